# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Switched Rack PDU outlets: names, delays and power state, keyed by outlet number.

The outlets are keyed entries, so this area builds its own :class:`PlannedCommand` list
and reuses the applying and reporting of :mod:`device`:

* :func:`validate` checks the options without the device (numbers, lengths, ranges, the
  explicit opt-in for cutting power) - nothing is touched when it fails;
* :func:`resolve_outlets` checks the outlet numbers against the model's outlet count;
* :func:`read_outlets` reads only what was asked (``olStatus``, ``olName``, ``olOnDelay``,
  ``olOffDelay``, ``olRbootTime`` for the selected outlets);
* :func:`plan` turns current + wanted into commands: one per setting (outlets that differ
  listed together, ``3,5-7``), one ``olName`` per renamed outlet, and one power command;
* :func:`ensure_outlets` does it all and returns the module result.

Decisions:

* ``state: on|off`` compares with ``olStatus``. An outlet showing a pending command (``*``:
  a delayed on/off or an outlet reboot in progress) is never taken as being in the wanted
  state: it gets the immediate command, which supersedes the pending one, so the outlet ends
  (and stays) on or off as asked.
* ``state: rebooted`` is an action: ``olReboot`` for every selected outlet, always changed.
* Power is only ever cut (``off``, ``rebooted``) with ``allow_power_off: true``.
"""

from __future__ import annotations

import re
import time

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse, models
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, PlannedCommand, SettingsError, apply_commands, check_int, check_text,
)

NAME_MAX = 23               # olName takes 1-23 characters
DELAY_RANGE = (0, 7200)     # olOnDelay/olOffDelay seconds; -1 = never as well
REBOOT_RANGE = (5, 60)      # olRbootTime seconds
NEVER = -1

# option -> command that reads and sets it
SETTINGS = (
    ('name', 'olName'),
    ('on_delay', 'olOnDelay'),
    ('off_delay', 'olOffDelay'),
    ('reboot_duration', 'olRbootTime'),
)
STATE_COMMANDS = {'on': 'olOn', 'off': 'olOff', 'rebooted': 'olReboot'}
POWER_CUTTING = ('off', 'rebooted')

# Right after the management card starts, device commands answer E101 for a while.
DEVICE_READY_WAIT = 30.0
# The card gives no sign when its device commands come up: ask again every 2 s until
# DEVICE_READY_WAIT has passed.
DEVICE_READY_POLL = 2.0

_SPEC_PART = re.compile(r'^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$')
_LIST_LIKE = re.compile(r'^[0-9,\- ]+$')


# ------------------------------------------------------------------------------ outlet lists
def parse_outlets(value):
    """``outlets`` option -> 'all' or a sorted list of distinct positive outlet numbers.

    Accepts a number, ``all``, a string list (``3,5-7``) or a list of numbers/strings.
    """
    if value is None:
        raise SettingsError('outlets is required: a number, a list of numbers or all')
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items:
        raise SettingsError('outlets must not be empty')
    numbers = set()
    saw_all = False
    for item in items:
        if isinstance(item, bool):
            raise SettingsError('outlets: %r is not an outlet number' % (item,))
        if isinstance(item, int):
            parts = [(item, item)]
        elif isinstance(item, float) and item.is_integer():
            parts = [(int(item), int(item))]
        elif isinstance(item, str) and item.strip().lower() == 'all':
            saw_all = True
            continue
        elif isinstance(item, str) and item.strip():
            parts = []
            for piece in item.split(','):
                match = _SPEC_PART.match(piece)
                if not match:
                    raise SettingsError('outlets: %r is not an outlet number, a range like 5-7 '
                                        'or all' % item)
                first = int(match.group(1))
                last = int(match.group(2) or first)
                if first > last:
                    raise SettingsError('outlets: the range %r runs backwards' % piece.strip())
                parts.append((first, last))
        else:
            raise SettingsError('outlets: %r is not an outlet number' % (item,))
        for first, last in parts:
            if first < 1:
                raise SettingsError('outlets: outlet numbers start at 1, got %d' % first)
            numbers.update(range(first, last + 1))
    if saw_all:
        if numbers or len(items) > 1:
            raise SettingsError('outlets: all cannot be combined with outlet numbers')
        return 'all'
    return sorted(numbers)


def compress(numbers):
    """[3, 5, 6, 7, 10] -> '3,5-7,10' (runs of three or more become ranges)."""
    numbers = sorted(set(numbers))
    parts = []
    index = 0
    while index < len(numbers):
        end = index
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        if end - index >= 2:
            parts.append('%d-%d' % (numbers[index], numbers[end]))
        else:
            parts.extend(str(n) for n in numbers[index:end + 1])
        index = end + 1
    return ','.join(parts)


# ------------------------------------------------------------------------------ validation
def check_name(value):
    text = check_text('name', value, max_length=NAME_MAX, allow_empty=False)
    if text != text.strip():
        raise SettingsError('name must not start or end with blanks (the card trims them)')
    if text.lower() == 'all' or _LIST_LIKE.match(text):
        raise SettingsError('name %r would read as an outlet number or list; the card refuses '
                            'it' % text)
    return text


def check_delay(name, value, low, high, never=False):
    """Seconds within [low, high]; -1 (never) too when ``never``."""
    number = check_int(name, value)
    if never and number == NEVER:
        return number
    if not low <= number <= high:
        raise SettingsError('%s must be between %d and %d seconds%s, got %s'
                            % (name, low, high, ' or -1 (never)' if never else '', number))
    return number


def validate(params):
    """The options, checked without the device. Returns the wanted state.

    ``{'outlets': 'all' | [n...], 'name', 'on_delay', 'off_delay', 'reboot_duration',
    'state'}`` (options not given are left out).
    """
    wanted = {'outlets': parse_outlets(params.get('outlets'))}
    if params.get('name') is not None:
        if wanted['outlets'] == 'all' or len(wanted['outlets']) != 1:
            raise SettingsError('name can only be set for one outlet at a time; give a single '
                                'outlet number in outlets')
        wanted['name'] = check_name(params['name'])
    for option in ('on_delay', 'off_delay'):
        if params.get(option) is not None:
            wanted[option] = check_delay(option, params[option], *DELAY_RANGE, never=True)
    if params.get('reboot_duration') is not None:
        wanted['reboot_duration'] = check_delay('reboot_duration', params['reboot_duration'],
                                                *REBOOT_RANGE)
    state = params.get('state')
    if state is not None:
        if state not in STATE_COMMANDS:
            raise SettingsError('state must be one of on, off, rebooted, got %r' % (state,))
        if state in POWER_CUTTING and not params.get('allow_power_off'):
            raise SettingsError(
                'state=%s cuts the power of outlet%s %s and whatever is plugged into it; set '
                'allow_power_off: true to confirm. Nothing was sent.' % (
                    state, '' if wanted['outlets'] != 'all' and len(wanted['outlets']) == 1 else 's',
                    describe(wanted['outlets'])))
        wanted['state'] = state
    if len(wanted) == 1:
        raise SettingsError('nothing to do: give state, name, on_delay, off_delay or '
                            'reboot_duration')
    return wanted


def describe(outlets):
    return 'all' if outlets == 'all' else compress(outlets)


def resolve_outlets(wanted, info):
    """The outlet numbers, checked against the model. Raises SettingsError."""
    info = info or {}
    model = info.get('model') or 'the device'
    count = info.get('outlet_count')
    if info.get('is_pdu') and not count:
        # the console did not list its outlets: the model table's count stands in
        count = (models.lookup(info.get('model')) or {}).get('outlets')
    if not info.get('is_pdu') or not isinstance(count, int) or count < 1:
        app = (info.get('firmware') or {}).get('app_name') or info.get('application') or 'unknown application'
        raise SettingsError('%s (%s) has no switched outlets: rackops.apc.outlet needs a switched '
                            'Rack PDU (AP79xxB, AP89xx)' % (model, app))
    outlets = wanted['outlets']
    if outlets == 'all':
        return list(range(1, count + 1))
    missing = [n for n in outlets if n > count]
    if missing:
        raise SettingsError('outlet%s %s do%s not exist on the %s: it has %d outlets (1-%d)' % (
            's' if len(missing) > 1 else '', ', '.join(str(n) for n in missing),
            '' if len(missing) > 1 else 'es', model, count, count))
    return list(outlets)


# ------------------------------------------------------------------------------ reading
def run_read(console, command, ready_wait=DEVICE_READY_WAIT, sleep=time.sleep, clock=time.monotonic):
    """Run a read command; waits out the E101 a card answers right after it starts."""
    deadline = clock() + ready_wait
    while True:
        result = console.read(command)
        if result.code == 'E101' and clock() < deadline:
            sleep(DEVICE_READY_POLL)
            continue
        if result.failed:
            if result.code == 'E101':
                raise SettingsError('the device does not know %r (E101) after %.0f s: it is no '
                                    'switched Rack PDU, or its device commands are still '
                                    'starting up' % (command, ready_wait))
            raise cli_parse.CliCommandError(command, result)
        return result


def read_outlets(run, outlets, names):
    """Current values of ``names`` (option names and/or 'state') for ``outlets``.

    ``run(command) -> CliResult``. Returns {number: {'state', 'pending', 'name', ...}}.
    """
    spec = compress(outlets)
    current = dict((n, {}) for n in outlets)
    if 'state' in names:
        for entry in cli_parse.parse_outlet_status(run('olStatus %s' % spec)):
            if entry['number'] in current:
                current[entry['number']].update(state=entry['state'], pending=entry['pending'])
    if 'name' in names:
        for number, name in cli_parse.parse_outlet_names(run('olName %s' % spec)).items():
            if number in current:
                current[number]['name'] = name
    for option, command in SETTINGS[1:]:
        if option in names:
            for number, seconds in cli_parse.parse_outlet_times(run('%s %s' % (command, spec))).items():
                if number in current:
                    current[number][option] = seconds
    return current


def needed_reads(wanted):
    return [key for key in ('state', 'name', 'on_delay', 'off_delay', 'reboot_duration')
            if key in wanted]


# ------------------------------------------------------------------------------ planning
def plan(current, wanted, outlets):
    """Commands taking ``current`` to ``wanted`` for ``outlets``.

    Returns (commands, changed) where ``changed`` maps outlet number -> changed option names.
    """
    commands = []
    changed = {}

    def differ(option):
        value = wanted[option]
        return [n for n in outlets if current.get(n, {}).get(option) != value]

    if 'name' in wanted:
        for number in differ('name'):
            commands.append(PlannedCommand('olName').add(None, str(number))
                            .add(None, '"%s"' % wanted['name']))
            changed.setdefault(number, []).append('name')
    for option, command in SETTINGS[1:]:
        if option not in wanted:
            continue
        numbers = differ(option)
        if numbers:
            commands.append(PlannedCommand(command).add(None, compress(numbers))
                            .add(None, str(wanted[option])))
            for number in numbers:
                changed.setdefault(number, []).append(option)
    state = wanted.get('state')
    if state == 'rebooted':
        numbers = list(outlets)
    elif state:
        numbers = [n for n in outlets
                   if current.get(n, {}).get('state') != state or current.get(n, {}).get('pending')]
    else:
        numbers = []
    if numbers:
        commands.append(PlannedCommand(STATE_COMMANDS[state]).add(None, compress(numbers)))
        for number in numbers:
            changed.setdefault(number, []).append('state')
    return commands, changed


def diff_of(current, wanted, outlets, changed):
    """Per-outlet before/after of the options given (keys are outlet numbers as text)."""
    keys = needed_reads(wanted)
    before, after = {}, {}
    for number in outlets:
        now = current.get(number, {})
        entry = dict((key, now.get(key)) for key in keys)
        if 'state' in keys and now.get('pending'):
            entry['state'] = '%s (pending command)' % now.get('state')
        before[str(number)] = entry
        later = dict(entry)
        for key in changed.get(number, ()):
            later[key] = wanted[key]
        after[str(number)] = later
    return {'before': {'outlets': before}, 'after': {'outlets': after}}


def verify(run, outlets, wanted, changed):
    """Read back what was changed; raises ApplyError when the card reads differently."""
    numbers = sorted(changed)
    check = set(key for n in numbers for key in changed[n])
    if wanted.get('state') == 'rebooted':
        check.discard('state')          # transient by nature: off now, on after the duration
    if not check:
        return read_outlets(run, outlets, needed_reads(wanted))
    now = read_outlets(run, outlets, needed_reads(wanted))
    wrong = []
    for number in numbers:
        for key in changed[number]:
            if key not in check:
                continue
            value = now.get(number, {}).get(key)
            if value != wanted[key]:
                wrong.append('outlet %d %s is %r (wanted %r)' % (number, key, value, wanted[key]))
    if wrong:
        raise ApplyError('the device accepted the commands but reads back differently: %s'
                         % '; '.join(wrong))
    return now


def summary(current, outlets):
    rows = []
    for number in outlets:
        entry = {'number': number}
        entry.update(current.get(number, {}))
        rows.append(entry)
    return rows


def ensure_outlets(console, wanted, info, check_mode=False, ready_wait=DEVICE_READY_WAIT):
    """Read, plan, (apply, verify) the outlets. Returns the module result."""
    outlets = resolve_outlets(wanted, info)

    def run(command):
        return run_read(console, command, ready_wait=ready_wait)

    current = read_outlets(run, outlets, needed_reads(wanted))
    commands, changed = plan(current, wanted, outlets)
    result = {
        'changed': bool(commands),
        'commands': [c.display() for c in commands],
        'reboot_required': False,
        'diff': diff_of(current, wanted, outlets, changed),
        'outlets': summary(current, outlets),
    }
    if not commands or check_mode:
        return result
    _results, reboot = apply_commands(console, commands)
    result['reboot_required'] = reboot
    now = verify(run, outlets, wanted, changed)
    result['outlets'] = summary(now, outlets)
    return result
