# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers for Smart-UPS units on the UPS-Link "smart" protocol (DB9 port, 2400 baud).

Nothing here talks to a device. The modules read replies through the connection's
``smart_query`` RPC and hand them to these functions:

- :func:`parse_eeprom_table` turns the ``^Z`` reply into ``{letter: [allowed values]}`` for
  one locale (the last character of the ``b`` reply);
- ``decode_*`` turn status replies (``Q``, ``G``, ``X``, ``9``, ``j``) and readings into data;
- :data:`SETTINGS` describes the EEPROM settings the ``ups_settings`` module offers;
- :func:`normalise_wanted`, :func:`check_against_table` and :func:`plan_settings` validate
  wanted values and say which settings have to be cycled.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field as dc_field
from typing import Optional

from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError

# Locale character (last character of the 'b' reply) -> nominal voltage.
LOCALES = {'D': 115, 'I': 230, 'A': 100, 'J': 100, 'M': 208}
ALL_LOCALES = '4'

# Asynchronous alert bytes: a free-text value containing them would not read back intact.
ALERT_CHARS = '!$%+?=*#&|'

# ------------------------------------------------------------------------------ ^Z table


class SmartTableError(ValueError):
    """The ^Z reply is not a well-formed table. ``groups`` holds what was parsed before."""

    def __init__(self, message, groups=None):
        self.groups = list(groups or [])
        super().__init__(message)


def parse_eeprom_groups(raw):
    """All groups of a ``^Z`` reply: a list of ``(letter, locale, [values])``.

    The reply starts with ``#``; every group is the setting's command character, a locale
    character (``4`` for every locale), a count digit, a width digit and count x width
    characters of values. Matrix-UPS units put ``##`` in front of every group (NUT skips two
    characters before each group there). ``#`` is never a setting's command character, so
    ``#`` characters at the start of a group are skipped in both forms; that also copes with a
    reader that took the leading ``#`` for the replace-battery alert. Values keep their blanks
    (``ON ``).
    """
    if raw is None:
        return []
    text = str(raw).rstrip('\r\n')
    pos = 0
    groups = []
    while pos < len(text):
        while pos < len(text) and text[pos] == '#':
            pos += 1
        if pos >= len(text):
            break
        if len(text) - pos < 4:
            raise SmartTableError('the ^Z table ends inside a group at offset %d: %r'
                                  % (pos, text[pos:]), groups)
        letter, locale, count, width = text[pos], text[pos + 1], text[pos + 2], text[pos + 3]
        if not (count.isdigit() and width.isdigit()):
            raise SmartTableError('the ^Z table has a malformed group at offset %d (count %r, '
                                  'width %r): %r' % (pos, count, width, text[pos:pos + 12]), groups)
        count, width = int(count), int(width)
        start = pos + 4
        end = start + count * width
        if end > len(text):
            raise SmartTableError('the ^Z group for %r at offset %d is cut short (needs %d '
                                  'characters of values, has %d)'
                                  % (letter, pos, count * width, len(text) - start), groups)
        values = [text[start + i * width:start + (i + 1) * width] for i in range(count)]
        groups.append((letter, locale, values))
        pos = end
    return groups


def parse_eeprom_table(raw, locale=None):
    """``{letter: [allowed values]}`` for one locale (``None``: every group).

    Only groups for ``locale`` or for all locales (``4``) are kept. Duplicated values (some
    units list ``L`` twice for the sensitivity) are kept once, in table order.
    """
    table = OrderedDict()
    for letter, group_locale, values in parse_eeprom_groups(raw):
        if locale is not None and group_locale not in (locale, ALL_LOCALES):
            continue
        allowed = table.setdefault(letter, [])
        for value in values:
            if value not in allowed:
                allowed.append(value)
    return table


def locale_of(firmware):
    """The locale character: last character of the ``b`` reply (``50.9.D`` -> ``D``)."""
    text = str(firmware or '').strip()
    return text[-1] if text else None


def unit_locale(info):
    """The unit's locale: the connection's, else the last character of ``b``, else of the old
    firmware code ``V`` (``IWI``) when it is a known locale letter (units without ``b``)."""
    info = info or {}
    firmware = info.get('firmware') or {}
    locale = info.get('locale') or locale_of(firmware.get('ups'))
    if not locale:
        old = locale_of(firmware.get('old'))
        if old in LOCALES:
            locale = old
    return locale or None


def unit_model(info):
    """The model for messages: ``^A``, else a description from the firmware codes."""
    info = info or {}
    firmware = info.get('firmware') or {}
    if info.get('model'):
        return str(info['model']).strip()
    code = firmware.get('ups') or firmware.get('old')
    return 'the UPS with firmware %s (no model reply)' % code if code else 'the UPS'


def describe_locale(locale):
    volts = LOCALES.get(locale)
    if volts:
        return 'locale %s, %d V' % (locale, volts)
    return 'locale %s' % (locale or 'unknown')


# ------------------------------------------------------------------------------ readings
def parse_float(reply):
    """A reading as a float (``023.5`` -> 23.5); ``None`` for NA, empty or garbage."""
    if reply is None:
        return None
    text = str(reply).strip().rstrip(':')
    if not text or text == 'NA':
        return None
    try:
        return float(text)
    except ValueError:
        return None


def decode_runtime(reply):
    """``j`` reply (``0327:``, minutes with a trailing colon) -> 327.0."""
    return parse_float(reply)


STATUS_BITS = (
    (0x01, 'calibration'),
    (0x02, 'smart_trim'),
    (0x04, 'smart_boost'),
    (0x08, 'online'),
    (0x10, 'on_battery'),
    (0x20, 'overload'),
    (0x40, 'battery_low'),
    (0x80, 'replace_battery'),
)
# NUT's status words for the same bits.
STATUS_WORDS = {
    'calibration': 'CAL', 'smart_trim': 'TRIM', 'smart_boost': 'BOOST', 'online': 'OL',
    'on_battery': 'OB', 'overload': 'OVER', 'battery_low': 'LB', 'replace_battery': 'RB',
}


def decode_status(reply):
    """``Q`` reply (hex byte) -> ``{'raw', 'value', 'flags': {name: bool}, 'active': [...], 'text'}``."""
    if reply is None:
        return None
    text = str(reply).strip()
    try:
        value = int(text, 16) & 0xFF
    except ValueError:
        return {'raw': text, 'value': None, 'flags': {}, 'active': [], 'text': ''}
    flags = OrderedDict((name, bool(value & bit)) for bit, name in STATUS_BITS)
    active = [name for name, on in flags.items() if on]
    words = ' '.join(STATUS_WORDS[name] for name in active) or 'OFF'
    return {'raw': text, 'value': value, 'flags': dict(flags), 'active': active, 'text': words}


TRANSFER_CAUSES = {
    'R': ('rate_of_change', 'unacceptable rate of change of the input voltage'),
    'H': ('high_line', 'high input voltage'),
    'L': ('low_line', 'low input voltage'),
    'T': ('notch_or_spike', 'input voltage notch or spike'),
    'O': ('none', 'no transfer since the UPS was turned on'),
    'S': ('self_test', 'self-test or simulated power failure'),
    'K': ('software', 'software command'),
}


def decode_transfer_cause(reply):
    """``G`` reply -> ``{'code', 'cause', 'description'}`` (cause ``unknown`` for NA/other)."""
    if reply is None:
        return {'code': None, 'cause': 'unknown', 'description': 'not known yet (NA)'}
    code = str(reply).strip()
    cause, text = TRANSFER_CAUSES.get(code, ('unknown', 'unrecognised code %r' % code))
    return {'code': code, 'cause': cause, 'description': text}


SELF_TEST_RESULTS = {
    'OK': ('passed', 'passed'),
    'BT': ('failed_capacity', 'failed: battery capacity'),
    'NG': ('failed_overload', 'failed: overload'),
    'NO': ('none', 'no self-test in the last 5 minutes'),
}


def decode_self_test(reply):
    """``X`` reply -> ``{'code', 'result', 'description'}``."""
    if reply is None:
        return {'code': None, 'result': 'unknown', 'description': 'not supported (NA)'}
    code = str(reply).strip()
    result, text = SELF_TEST_RESULTS.get(code, ('unknown', 'unrecognised result %r' % code))
    return {'code': code, 'result': result, 'description': text}


def decode_line_quality(reply):
    """``9`` reply (``00`` bad, ``FF`` good) -> ``{'code', 'good'}``."""
    if reply is None:
        return None
    code = str(reply).strip().upper()
    good = None
    if code == 'FF':
        good = True
    elif code == '00':
        good = False
    return {'code': code, 'good': good}


# Readings: fact name -> (command letter, decoder).
READINGS = OrderedDict([
    ('battery_charge', ('f', parse_float)),
    ('battery_voltage', ('B', parse_float)),
    ('nominal_battery_voltage', ('g', parse_float)),
    ('input_voltage', ('L', parse_float)),
    ('max_input_voltage', ('M', parse_float)),
    ('min_input_voltage', ('N', parse_float)),
    ('output_voltage', ('O', parse_float)),
    ('load', ('P', parse_float)),
    ('temperature', ('C', parse_float)),
    ('frequency', ('F', parse_float)),
    ('runtime_minutes', ('j', decode_runtime)),
    ('status', ('Q', decode_status)),
    ('last_transfer', ('G', decode_transfer_cause)),
    ('self_test', ('X', decode_self_test)),
    ('line_quality', ('9', decode_line_quality)),
])


def decode_readings(values):
    """``smart_query`` values ``{letter: reply}`` -> readings facts (missing letters left out)."""
    out = OrderedDict()
    for name, (letter, decoder) in READINGS.items():
        if letter in values:
            out[name] = decoder(values[letter])
    return dict(out)


# ------------------------------------------------------------------------------ settings
@dataclass(frozen=True)
class Setting:
    """One EEPROM setting: the option, its command letter and its format."""

    name: str
    letter: str
    kind: str                     # 'number', 'enum' or 'text'
    width: int
    unit: str = ''
    names: tuple = ()             # enum: ((code, name), ...)
    aliases: tuple = ()           # enum: extra (alias, code) spellings
    description: str = ''
    allow_empty: bool = False
    meanings: dict = dc_field(default_factory=dict)

    def code_for_name(self, text):
        lowered = text.strip().lower()
        for code, name in self.names:
            if lowered == name.lower():
                return code
        for alias, code in self.aliases:
            if lowered == alias.lower():
                return code
        for code, _name in self.names:
            if text.strip().upper() == code.strip().upper():
                return code
        return None

    def name_for_code(self, code):
        if code is None:
            return None
        for known, name in self.names:
            if str(code).strip().upper() == known.strip().upper():
                return name
        return None


SETTINGS = OrderedDict((s.name, s) for s in (
    Setting('upper_transfer_voltage', 'u', 'number', 3, 'V',
            description='input voltage above which the UPS goes to battery'),
    Setting('lower_transfer_voltage', 'l', 'number', 3, 'V',
            description='input voltage below which the UPS goes to battery'),
    Setting('sensitivity', 's', 'enum', 1,
            names=(('H', 'high'), ('M', 'medium'), ('L', 'low'), ('A', 'auto')),
            description='how readily the UPS goes to battery on a distorted input'),
    Setting('return_charge', 'e', 'number', 2, '%',
            description='battery charge needed before the UPS turns the load back on after a '
                        'low-battery shutdown'),
    Setting('output_voltage', 'o', 'number', 3, 'V',
            description='output voltage while on battery'),
    Setting('shutdown_delay', 'p', 'number', 3, 's',
            description='delay between a shutdown command and turning the load off'),
    Setting('low_battery_warning', 'q', 'number', 2, 'min',
            description='runtime left when the low-battery warning starts'),
    Setting('wakeup_delay', 'r', 'number', 3, 's',
            description='delay before turning the load back on when power returns'),
    Setting('alarm', 'k', 'enum', 1,
            names=(('0', 'immediate'), ('T', 'delayed'), ('L', 'low_battery'), ('N', 'off')),
            description='when the audible alarm sounds'),
    Setting('self_test_interval', 'E', 'enum', 3,
            names=(('336', '14d'), ('168', '7d'), ('ON ', 'on_startup'), ('OFF', 'off')),
            aliases=(('336h', '336'), ('168h', '168'), ('14 days', '336'), ('7 days', '168'),
                     ('on', 'ON '), ('startup', 'ON ')),
            description='automatic battery self-test interval'),
    Setting('ups_id', 'c', 'text', 8, allow_empty=True,
            description='UPS identifier (8 characters)'),
    Setting('battery_date', 'x', 'text', 8,
            description='battery replacement date (8 characters, usually mm/dd/yy)'),
))

LETTERS = OrderedDict((s.letter, s) for s in SETTINGS.values())


def _same(current, wanted):
    """Replies are compared without surrounding blanks ('ON ' reads back as 'ON' on some links)."""
    if current is None or wanted is None:
        return current is None and wanted is None
    return str(current).strip() == str(wanted).strip()


def display_value(setting, code):
    """A value as shown to people: ``133``, ``14d (336)``, ``high (H)``."""
    if code is None:
        return 'NA'
    shown = str(code).strip()
    name = setting.name_for_code(code)
    if name:
        return '%s (%s)' % (name, shown)
    return shown


def describe_allowed(setting, allowed):
    return ', '.join(display_value(setting, value) for value in allowed)


def normalise_wanted(setting, value):
    """Check the form of a wanted value (no device needed); returns the normalised form.

    Numbers -> int; enums -> the protocol code (names or codes accepted); text -> str.
    """
    if setting.kind == 'number':
        if isinstance(value, bool):
            raise SettingsError('%s must be a whole number, got %r' % (setting.name, value))
        text = str(value).strip()
        if not text.isdigit():
            raise SettingsError('%s must be a whole number (%s), got %r'
                                % (setting.name, setting.unit or 'digits', value))
        number = int(text)
        if number >= 10 ** setting.width:
            raise SettingsError('%s: %s does not fit the %d digits the UPS uses'
                                % (setting.name, value, setting.width))
        return number
    if setting.kind == 'enum':
        if isinstance(value, bool):
            # YAML reads an unquoted off as false
            if value is False and setting.code_for_name('off') is not None:
                value = 'off'
            else:
                raise SettingsError('%s: %r is not one of %s (quote the value in YAML)' % (
                    setting.name, value,
                    ', '.join('%s (%s)' % (name, code.strip()) for code, name in setting.names)))
        code = setting.code_for_name(str(value))
        if code is None:
            raise SettingsError('%s: %r is not one of %s' % (
                setting.name, value,
                ', '.join('%s (%s)' % (name, code.strip()) for code, name in setting.names)))
        return code
    text = '' if value is None else str(value)
    if len(text) > setting.width:
        raise SettingsError('%s is %d characters long; the UPS holds exactly %d (shorter text is '
                            'padded with blanks)' % (setting.name, len(text), setting.width))
    if not text and not setting.allow_empty:
        raise SettingsError('%s must not be empty' % setting.name)
    bad = [ch for ch in text if ord(ch) < 32 or ord(ch) > 126]
    if bad:
        raise SettingsError('%s must be printable ASCII characters, got %r' % (setting.name, text))
    alerts = sorted(set(ch for ch in text if ch in ALERT_CHARS))
    if alerts:
        raise SettingsError('%s must not contain %s: the UPS uses %s as alert characters, so '
                            'the value would not read back' % (
                                setting.name, ' '.join(alerts), ' '.join(ALERT_CHARS)))
    return text


def match_allowed(setting, wanted, allowed):
    """The table value equal to ``wanted`` (``97`` matches ``097``), or None."""
    for value in allowed:
        if setting.kind == 'number':
            try:
                if int(value.strip()) == int(wanted):
                    return value
            except ValueError:
                continue
        elif str(value).strip().upper() == str(wanted).strip().upper():
            return value
    return None


@dataclass
class Unit:
    """What the settings checks need to know about one UPS."""

    model: str
    locale: Optional[str]
    table: Optional[dict]          # {letter: [values]} for the locale; None: no ^Z table
    commands: Optional[str] = None  # command characters from 'a' (None: unknown)

    def label(self):
        return '%s (%s)' % (self.model or 'this UPS', describe_locale(self.locale))


def unit_from_info(info):
    """A :class:`Unit` from the connection's ``get_device_info`` answer.

    Raises SettingsError when the ^Z table is malformed.
    """
    info = info or {}
    locale = unit_locale(info)
    model = unit_model(info)
    raw = info.get('eeprom_raw')
    table = None
    if raw:
        try:
            # an unknown locale keeps only the groups valid everywhere
            table = parse_eeprom_table(raw, locale or ALL_LOCALES)
        except SmartTableError as exc:
            raise SettingsError('%s: %s; its settings cannot be checked' % (model, exc))
    commands = (info.get('protocol') or {}).get('commands')
    return Unit(model=model, locale=locale, table=table, commands=commands)


def check_against_table(wanted, unit):
    """Check normalised wanted values against the unit's ^Z table, BEFORE anything is written.

    ``wanted`` is ``{option: normalised value}``. Returns ``{option: exact value to set}``
    (the table's own spelling for enumerated settings). Raises SettingsError listing every
    problem, with the values this unit allows for its locale.
    """
    problems = []
    exact = OrderedDict()
    for name, value in wanted.items():
        setting = SETTINGS[name]
        if setting.kind == 'text':
            exact[name] = value
            continue
        if unit.table is None:
            problems.append('%s (%s): %s has no EEPROM value table (^Z), so the values it '
                            'accepts cannot be checked; the setting is refused'
                            % (name, setting.letter, unit.label()))
            continue
        allowed = unit.table.get(setting.letter)
        if not allowed:
            problems.append('%s (%s): %s does not have this setting (not in its ^Z table)'
                            % (name, setting.letter, unit.label()))
            continue
        found = match_allowed(setting, value, allowed)
        if found is None:
            shown = display_value(setting, value) if setting.kind == 'enum' else str(value)
            problems.append('%s: %s is not allowed on %s; allowed values: %s'
                            % (name, shown, unit.label(), describe_allowed(setting, allowed)))
            continue
        exact[name] = found
    if problems:
        raise SettingsError('; '.join(problems))
    return exact


def plan_settings(wanted, current, unit):
    """Which settings to cycle: ``wanted`` {option: exact value}, ``current`` {letter: reply}.

    Returns a list of ``{'option', 'letter', 'kind', 'before', 'after'}`` for the settings that
    differ, in option order. Settings the unit answers NA to are refused (SettingsError).
    """
    lacking = []
    changes = []
    for name, value in wanted.items():
        setting = SETTINGS[name]
        if setting.letter not in current:
            raise SettingsError('%s (%s) was not read from the UPS' % (name, setting.letter))
        before = current[setting.letter]
        if before is None:
            lacking.append('%s (%s)' % (name, setting.letter))
            continue
        if setting.kind == 'text':
            differs = before.rstrip() != value.rstrip()
        else:
            differs = not _same(before, value)
        if differs:
            changes.append({'option': name, 'letter': setting.letter, 'kind': setting.kind,
                            'before': before, 'after': value})
    if lacking:
        raise SettingsError('%s does not have the setting(s) %s: it answers NA'
                            % (unit.label(), ', '.join(lacking)))
    return changes


def describe_change(change):
    """One line for ``commands``: ``upper_transfer_voltage (u): 127 -> 133``."""
    setting = SETTINGS[change['option']]
    if setting.kind == 'text':
        return '%s (%s): %r -> %r' % (change['option'], change['letter'],
                                      change['before'].rstrip(), change['after'].rstrip())
    return '%s (%s): %s -> %s' % (change['option'], change['letter'],
                                  display_value(setting, change['before']),
                                  display_value(setting, change['after']))


def setting_value(setting, reply):
    """A read EEPROM value for facts and diffs: ints for numbers, names for enums, text."""
    if reply is None:
        return None
    if setting.kind == 'number':
        try:
            return int(str(reply).strip())
        except ValueError:
            return str(reply).strip()
    if setting.kind == 'enum':
        return setting.name_for_code(reply) or str(reply).strip()
    return str(reply).rstrip()


def eeprom_facts(values, unit):
    """EEPROM facts: ``{option: {'letter', 'value', 'raw', 'allowed', 'allowed_raw'}}``.

    ``values`` are the ``smart_query`` replies; settings the UPS answers NA to are left out.
    """
    out = OrderedDict()
    for name, setting in SETTINGS.items():
        if setting.letter not in values:
            continue
        reply = values[setting.letter]
        if reply is None:
            continue
        entry = {'letter': setting.letter, 'value': setting_value(setting, reply),
                 'raw': str(reply) if setting.kind == 'text' else str(reply).strip()}
        if setting.unit:
            entry['unit'] = setting.unit
        if setting.kind == 'text':
            entry['allowed'] = None
            entry['max_length'] = setting.width
        else:
            allowed = (unit.table or {}).get(setting.letter) if unit.table is not None else None
            entry['allowed'] = [setting_value(setting, v) for v in allowed] if allowed else []
            entry['allowed_raw'] = [v.strip() for v in allowed] if allowed else []
            entry['settable'] = bool(allowed)
        out[name] = entry
    return dict(out)


# ------------------------------------------------------------------------------ facts subsets
SMART_SUBSETS = ('identity', 'readings', 'eeprom')


def resolve_smart_subsets(requested):
    """gather_subset for smart UPS units -> ordered list; raises ValueError on unknown names."""
    include, exclude, unknown = [], [], []
    for item in requested or []:
        text = str(item).strip().lower()
        if not text:
            continue
        negate = text.startswith('!')
        name = text[1:].strip() if negate else text
        if name == 'min':
            name, negate = 'all', True
        if name not in SMART_SUBSETS + ('all',):
            unknown.append(str(item))
            continue
        (exclude if negate else include).append(name)
    if unknown:
        raise ValueError('unknown gather_subset value(s) for a smart-protocol UPS: %s; valid '
                         'values are: all, %s' % (', '.join(unknown), ', '.join(SMART_SUBSETS)))
    explicit = set(n for n in include if n != 'all')
    wanted = set(SMART_SUBSETS) if ('all' in include or not include) else set()
    wanted |= explicit
    removed = set(SMART_SUBSETS) if 'all' in exclude else set(exclude)
    wanted -= (removed - explicit)
    return [name for name in SMART_SUBSETS if name in wanted]


def identity_facts(info, values=None):
    """Identity of a smart UPS from device info (+ optional ``c`` UPS id reply)."""
    info = info or {}
    firmware = info.get('firmware') or {}
    locale = unit_locale(info)
    out = {
        'model': info.get('model'),
        'serial_number': info.get('serial_number'),
        'firmware': firmware.get('ups'),
        'firmware_old': firmware.get('old'),
        'locale': locale,
        'nominal_voltage': LOCALES.get(locale),
        'manufacture_date': info.get('manufacture_date'),
        'battery_date': info.get('battery_date'),
    }
    if values and values.get('c') is not None:
        out['ups_id'] = str(values['c']).rstrip()
    return out
