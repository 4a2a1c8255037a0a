# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device layer: read a settings area, compare it with the wanted state, apply only
the difference, verify it, and report changed/diff/commands.

Knowledge is data. A settings area is a list of :class:`Field` entries, each saying how the
command line reads it (command + key in the parsed output), how it is set (command +
option), its type and limits, and which firmware has it. One planner serves every area;
areas whose settings are keyed entries (users, SNMP profiles, outlets) build their own
:class:`PlannedCommand` lists and reuse the reading, applying, verifying and reporting here.

Nothing here sends anything in check mode, and secrets only travel as ``<<name>>``
placeholders filled in by the connection process.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable, Optional

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse, wire
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.redact import MASK, placeholder

# Commands whose read output has a parser.
PARSERS = {
    'tcpip': cli_parse.parse_tcpip,
    'tcpip6': cli_parse.parse_tcpip6,
    'boot': cli_parse.parse_boot,
    'dns': cli_parse.parse_dns,
    'ntp': cli_parse.parse_ntp,
    'date': cli_parse.parse_date,
    'system': cli_parse.parse_system,
    'user': cli_parse.parse_user_list,
    'userdflt': cli_parse.parse_userdflt,
    'snmp': cli_parse.parse_snmp,
    'snmpv3': cli_parse.parse_snmpv3,
    'web': cli_parse.parse_web,
    'console': cli_parse.parse_console,
    'ftp': cli_parse.parse_ftp,
    'prodInfo': cli_parse.parse_prodinfo,
}

# Read forms with options whose output differs from the bare command's.
FORM_PARSERS = {
    ('user', '-n'): cli_parse.parse_user_detail,
}

FAMILIES = ('aos5', 'aos6', 'aos7', 'nmc3')
_QUOTE_NEEDED = re.compile(r'[\s]')


class SettingsError(Exception):
    """Bad input or a firmware limit, found before anything is sent."""


class ApplyError(Exception):
    """The device refused a command part-way; says what was already applied."""

    def __init__(self, message, applied=None, result=None):
        self.applied = list(applied or [])
        self.result = result
        super().__init__(message)


# ------------------------------------------------------------------------------ firmware
def firmware_family(info):
    """'aos5', 'aos6', 'aos7' or 'nmc3' from the device info the connection reports."""
    info = info or {}
    card = str(info.get('card_model') or '').upper()
    version = cli_parse.parse_version(str((info.get('firmware') or {}).get('aos') or ''))
    if card.startswith('AP964') or (version and len(version) >= 4 and version[0] <= 3):
        return 'nmc3'
    if version:
        return {5: 'aos5', 6: 'aos6', 7: 'aos7'}.get(version[0], 'aos%d' % version[0])
    return 'unknown'


def describe_firmware(info):
    info = info or {}
    return '%s %s (%s)' % (info.get('model') or 'device', (info.get('firmware') or {}).get('aos') or '?',
                           firmware_family(info))


# ------------------------------------------------------------------------------ values
def quote(value):
    """A value as the command line wants it: quoted when it has blanks or is empty."""
    text = str(value)
    if text == '' or _QUOTE_NEEDED.search(text):
        return '"%s"' % text
    return text


def argument(name, value, always_quote=False):
    """Free text as one command-line argument, through the byte gate (module_utils/wire):
    a leading "-" or a double quote is refused here, after the area was read and before
    anything is written."""
    try:
        return wire.argument(name, value, always_quote=always_quote)
    except wire.UnsafeInput as exc:
        raise SettingsError('%s %s. Nothing was written to the device (it was only read).'
                            % (name, exc.problem))


def check_text(name, value, max_length=None, allow_empty=True):
    """Free text for any console: printable ASCII (the byte gate), no double quote, within
    ``max_length``, and no blanks at either end (the cards drop them, so the value would
    never read back as given and every run would write it again)."""
    try:
        text = wire.check(name, value)
    except wire.UnsafeInput as exc:
        raise SettingsError('%s %s. Nothing was sent to the device.' % (name, exc.problem))
    if '"' in text:
        raise SettingsError('%s must not contain double quotes (the console cannot store them)'
                            % name)
    if not allow_empty and not text:
        raise SettingsError('%s must not be empty' % name)
    if text != text.strip():
        raise SettingsError('%s must not start or end with blanks%s: the device drops them, '
                            'so it would never read back as given' % (
                                name, ' (it is only blanks)' if not text.strip() else ''))
    if max_length is not None and len(text) > max_length:
        raise SettingsError('%s is %d characters long; the device takes at most %d'
                            % (name, len(text), max_length))
    return text


def check_ipv4(name, value):
    try:
        return str(ipaddress.IPv4Address(str(value).strip()))
    except ValueError:
        raise SettingsError('%s: %r is not an IPv4 address' % (name, value))


def check_netmask(name, value):
    address = check_ipv4(name, value)
    bits = int(ipaddress.IPv4Address(address))
    inverted = (~bits) & 0xFFFFFFFF
    if inverted & (inverted + 1):
        raise SettingsError('%s: %s is not a valid subnet mask' % (name, value))
    return address


_HOST_LABEL = re.compile(r'^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$')


def check_host(name, value, allow_ip=True):
    text = str(value).strip()
    if allow_ip:
        try:
            return str(ipaddress.ip_address(text))
        except ValueError:
            pass
    labels = text.rstrip('.').split('.')
    if not text or len(text) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        raise SettingsError('%s: %r is not a valid host name%s' % (
            name, value, ' or IP address' if allow_ip else ''))
    return text


def check_ipv6(name, value, prefix=False):
    text = str(value).strip()
    try:
        if prefix:
            return str(ipaddress.IPv6Interface(text if '/' in text else text + '/64'))
        return str(ipaddress.IPv6Address(text))
    except ValueError:
        raise SettingsError('%s: %r is not an IPv6 address' % (name, value))


def check_int(name, value, minimum=None, maximum=None, allowed=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingsError('%s must be a whole number, got %r' % (name, value))
    if allowed is not None and number not in allowed:
        raise SettingsError('%s must be one of %s, got %s' % (name, ', '.join(str(a) for a in allowed), number))
    if minimum is not None and number < minimum or maximum is not None and number > maximum:
        raise SettingsError('%s must be between %s and %s, got %s' % (name, minimum, maximum, number))
    return number


# ------------------------------------------------------------------------------ fields
@dataclass(frozen=True)
class Field:
    """One setting: how it is read, compared, validated and written on the command line."""

    name: str                          # module option name
    command: str                       # command that reads (no options) and sets it
    read_key: str                      # dot path into the parsed read output
    option: str                        # command-line option that sets it
    kind: str = 'str'                  # str, bool, int, ipv4, netmask, host, ipv6, choice
    choices: tuple = ()
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    allowed: Optional[tuple] = None    # exact allowed ints
    max_length: Optional[int] = None
    true_false: tuple = ('enable', 'disable')
    families: tuple = FAMILIES         # firmware families that have this setting
    secret: bool = False
    verify: bool = True                # compare after applying (False: not readable)
    case_insensitive: bool = False
    validate: Optional[Callable[[str, Any], Any]] = None
    read_map: Optional[dict] = None    # device wording -> option value ('router controlled' -> 'router')
    cli_values: tuple = ()             # of ``choices``, the ones the command line takes (all: empty)

    def check(self, value):
        """Validate and normalise a wanted value (raises SettingsError)."""
        if self.validate is not None:
            return self.validate(self.name, value)
        kind = self.kind
        if kind == 'bool':
            if not isinstance(value, bool):
                raise SettingsError('%s must be true or false' % self.name)
            return value
        if kind == 'int':
            return check_int(self.name, value, self.minimum, self.maximum, self.allowed)
        if kind == 'ipv4':
            return check_ipv4(self.name, value)
        if kind == 'netmask':
            return check_netmask(self.name, value)
        if kind == 'host':
            return check_host(self.name, value)
        if kind == 'ipv6':
            return check_ipv6(self.name, value)
        if kind == 'choice':
            text = str(value).strip().lower()
            for choice in self.choices:
                if text == str(choice).lower():
                    return choice
            raise SettingsError('%s must be one of %s, got %r' % (self.name, ', '.join(self.choices), value))
        return check_text(self.name, value, self.max_length)

    def normalise(self, value):
        """A current (read) value in the form used to compare with a wanted one."""
        if value is None:
            return None
        if self.read_map:
            value = self.read_map.get(str(value).strip().lower(), value)
        if self.kind == 'bool':
            if isinstance(value, bool):
                return value
            return cli_parse.to_bool(value)
        if self.kind == 'int':
            try:
                return int(value)
            except (TypeError, ValueError):
                return value
        if self.kind in ('ipv4', 'netmask', 'host', 'ipv6'):
            try:
                return self.check(value)
            except SettingsError:
                return str(value)
        if self.kind == 'choice' or self.case_insensitive:
            return str(value).strip().lower()
        return str(value)

    def same(self, current, wanted):
        cur = self.normalise(current)
        if self.kind == 'choice' or self.case_insensitive:
            return cur == str(wanted).strip().lower()
        return cur == wanted

    def render(self, value):
        if self.kind == 'bool':
            return self.true_false[0] if value else self.true_false[1]
        if self.kind == 'str' and self.validate is None:
            return argument(self.name, value)
        return quote(value)


def dig(data, path):
    for key in path.split('.'):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


@dataclass
class PlannedCommand:
    """A command to send: ``command`` followed by (option, value, secret) triples."""

    command: str
    options: list = dc_field(default_factory=list)
    confirm: bool = False
    login_password_from: Optional[str] = None   # secret that becomes the session's password

    def add(self, option, value, secret_name=None):
        self.options.append((option, value, secret_name))
        return self

    def template(self):
        """Command text with <<name>> placeholders for secrets, and the secrets dict."""
        parts = [self.command]
        secrets = {}
        for option, value, secret_name in self.options:
            if option:
                parts.append(option)
            if secret_name == 'login_password':
                parts.append(placeholder('login_password'))   # filled by the connection
            elif secret_name:
                secrets[secret_name] = value
                parts.append(quote_placeholder(value, secret_name))
            elif value is not None:
                parts.append(value)
        return ' '.join(parts), secrets

    def display(self):
        """Command text with secrets masked, for results and logs."""
        parts = [self.command]
        for option, value, secret_name in self.options:
            if option:
                parts.append(option)
            if secret_name:
                parts.append(MASK)
            elif value is not None:
                parts.append(value)
        return ' '.join(parts)


def quote_placeholder(value, name):
    token = placeholder(name)
    return '"%s"' % token if (value == '' or _QUOTE_NEEDED.search(str(value))) else token


# ------------------------------------------------------------------------------ reading
class Reader:
    """Runs each read command once and caches the parsed output. ``verify``: every answer
    is believed only when two reads agree (after a fault, or to confirm a mismatch: a byte
    dropped on an otherwise clean line leaves no other trace)."""

    def __init__(self, console, verify=False):
        self.console = console
        self.verify = verify
        self._cache = {}

    def parsed(self, command):
        if command not in self._cache:
            result = self.console.read(command, verify=self.verify)
            if result.failed:
                if result.unsupported:
                    raise SettingsError('the %r command is not available on this firmware (%s: %s)'
                                        % (command, result.code, result.message))
                raise cli_parse.CliCommandError(command, result)
            words = command.split()
            parser = FORM_PARSERS.get(tuple(words[:2])) or PARSERS.get(words[0])
            self._cache[command] = parser(result.output) if parser else result.output
        return self._cache[command]

    def value(self, fld):
        return dig(self.parsed(fld.command), fld.read_key)


# ------------------------------------------------------------------------------ areas
@dataclass
class Area:
    """A settings area served by the table-driven planner."""

    name: str
    fields: list
    command_order: tuple            # order in which set commands are sent
    cross_check: Optional[Callable] = None   # (wanted, info) -> None or raises SettingsError

    def by_name(self):
        return dict((f.name, f) for f in self.fields)

    def validate(self, params, info=None):
        """Wanted values (None = leave as is), validated, firmware-checked.

        Without ``info`` (before the console is touched) only the values are checked; with
        it, options the detected firmware lacks are refused too.
        """
        family = firmware_family(info) if info else 'unknown'
        fields = self.by_name()
        wanted = {}
        for name, value in params.items():
            if value is None or name not in fields:
                continue
            fld = fields[name]
            if family != 'unknown' and family not in fld.families:
                raise SettingsError('option %s is not available on %s: the firmware has no '
                                    'console setting for it' % (name, describe_firmware(info)))
            wanted[name] = fld.check(value)
            if family != 'unknown' and fld.cli_values and wanted[name] not in fld.cli_values:
                raise SettingsError('%s %s is not available on the command line of %s (it takes %s). '
                                    'Nothing was sent.' % (name, wanted[name], describe_firmware(info),
                                                           ', '.join(fld.cli_values)))
        if self.cross_check:
            self.cross_check(wanted, info or {})
        return wanted

    def read(self, reader, names=None):
        fields = self.by_name()
        names = names if names is not None else list(fields)
        return dict((name, fields[name].normalise(reader.value(fields[name]))) for name in names
                    if not fields[name].secret)

    def plan(self, current, wanted):
        """Commands that take ``current`` to ``wanted``: one per command, options grouped."""
        planned = {}
        changed = []
        for fld in self.fields:           # field order: stable, readable commands
            if fld.name not in wanted:
                continue
            name, value = fld.name, wanted[fld.name]
            if not fld.secret and fld.same(current.get(name), value):
                continue
            changed.append(name)
            cmd = planned.setdefault(fld.command, PlannedCommand(fld.command))
            if fld.secret:
                cmd.add(fld.option, value, secret_name=name)
            else:
                cmd.add(fld.option, fld.render(value))
        order = list(self.command_order) + [c for c in planned if c not in self.command_order]
        return [planned[c] for c in order if c in planned], changed


# ------------------------------------------------------------------------------ applying
# Failures during a write after which the device's state is read back (module_utils.console
# raises ConsoleFailure with these kinds: line lost, no prompt in time, console confused,
# no answer at all, card restarted).
FAULT_KINDS = ('lost', 'timeout', 'console', 'no_answer', 'rebooted', 'noise')
FAULT_ERRORS = (ConsoleFailure,)


def apply_commands(console, commands):
    """Send planned commands in order; stop at the first refusal.

    Returns (results, reboot_required). Raises ApplyError naming what was applied.
    """
    applied = []
    reboot = False
    results = []
    for cmd in commands:
        text, secrets = cmd.template()
        result = console.run(text, confirm=cmd.confirm, secrets=secrets,
                             login_password_from=cmd.login_password_from)
        results.append(result)
        if result.failed or (result.raw or {}).get('cancelled'):
            detail = '%s: %s' % (result.code, result.message) if result.code else 'cancelled'
            if result.output:
                detail += ' - %s' % result.output.strip().splitlines()[0]
            done = ('; already applied: %s' % ', '.join(applied)) if applied else \
                '; nothing was changed before it'
            raise ApplyError('the device refused %r (%s)%s' % (cmd.display(), detail, done),
                             applied=applied, result=result)
        applied.append(cmd.display())
        if result.changed_needs_reboot:
            reboot = True
    return results, reboot


def ensure(console, area, wanted, check_mode=False, info=None):
    """Read, plan, (apply, verify) one table-driven area. Returns the module result."""
    reader = Reader(console)
    names = [n for n in wanted if not area.by_name()[n].secret]
    current = area.read(reader, names)
    commands, changed_names = area.plan(current, wanted)
    before = dict(current)
    after = dict(current)
    for name in changed_names:
        if area.by_name()[name].secret:
            after[name] = MASK
        else:
            after[name] = wanted[name]
    result = {
        'changed': bool(commands),
        'commands': [c.display() for c in commands],
        'reboot_required': False,
        'diff': {'before': before, 'after': after},
        'current': before,
    }
    if not commands or check_mode:
        return result
    try:
        _results, reboot = apply_commands(console, commands)
    except FAULT_ERRORS as exc:
        if getattr(exc, 'kind', None) not in FAULT_KINDS:
            raise
        # the line dropped, the card restarted or stopped answering during a write: what
        # happened is read back once the console answers again (the connection logs in anew)
        outcome_after_fault(console, area, wanted, changed_names, before, commands, exc)
        result['fault'] = str(exc)
        result['warnings'] = ['%s; read back after it: every change is on the device' % exc]
        return result
    result['reboot_required'] = reboot
    try:
        verify(console, area, wanted, changed_names)
    except ConsoleFailure as exc:
        # the commands were taken (Ennn success); only the read afterwards failed
        shown = [c.display() for c in commands]
        raise ApplyError('the device accepted %s, but the settings could not be read back '
                         'afterwards: %s' % ('; '.join(shown), exc), applied=shown)
    return result


def outcome_after_fault(console, area, wanted, names, before, commands, fault):
    """After a fault during a write, read the area back and tell the true outcome: returns
    when every change is on the device (the caller reports changed); raises ApplyError
    saying nothing changed, what changed, or - when the area cannot be read - which
    commands may have been applied (``applied`` lists what did or may have changed)."""
    fields = area.by_name()
    readable = [n for n in names if not fields[n].secret]
    secret = [n for n in names if fields[n].secret]
    shown = [c.display() for c in commands]
    try:
        now = area.read(Reader(console, verify=True), readable)
    except Exception as exc:  # pylint: disable=broad-except
        raise ApplyError('%s. The settings could not be read back afterwards (%s): these '
                         'commands may have been applied: %s' % (fault, exc, '; '.join(shown)),
                         applied=shown)
    landed = [n for n in readable if fields[n].same(now.get(n), wanted[n])]
    untouched = [n for n in readable if n not in landed and fields[n].same(now.get(n), before.get(n))]
    if len(landed) == len(readable) and not secret:
        return
    if not landed and len(untouched) == len(readable) and not secret:
        raise ApplyError('%s. Read back afterwards: nothing was changed (%s as before)'
                         % (fault, ', '.join('%s is %r' % (n, now.get(n)) for n in readable)),
                         applied=[])
    maybe = [c.display() for c in commands
             if any(n in landed or n in secret for n in _fields_of(area, c))]
    parts = []
    if landed:
        parts.append('applied: %s' % ', '.join(landed))
    missing = [n for n in readable if n not in landed]
    if missing:
        parts.append('not applied: %s' % ', '.join('%s is %r' % (n, now.get(n)) for n in missing))
    if secret:
        parts.append('%s cannot be read back and may have been changed' % ', '.join(secret))
    raise ApplyError('%s. Read back afterwards: %s' % (fault, '; '.join(parts)), applied=maybe)


def _fields_of(area, command):
    return [f.name for f in area.fields if f.command == command.command]


def verify(console, area, wanted, names):
    """Read the area again and check every changed, readable setting took."""
    fields = area.by_name()
    check = [n for n in names if fields[n].verify and not fields[n].secret]
    if not check:
        return
    now = area.read(Reader(console), check)
    if any(not fields[n].same(now.get(n), wanted[n]) for n in check):
        # confirmed by two reads that agree before it is reported
        now = area.read(Reader(console, verify=True), check)
    wrong = ['%s is %r (wanted %r)' % (n, now.get(n), wanted[n]) for n in check
             if not fields[n].same(now.get(n), wanted[n])]
    if wrong:
        raise ApplyError('the device accepted the commands but reads back differently: %s'
                         % '; '.join(wrong))
