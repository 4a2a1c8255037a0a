# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure text parsers for the APC network management card command line.

Every function here takes the text a card printed (``str``) and returns plain,
JSON-able Python data.  Nothing here talks to a device.

The ``apc>`` command line answers every command with a result line of the form
``Ennn: message``.  Depending on the command, the interesting output comes
before that line (``lastrst``, ``session``) or after it (``about``,
``olStatus``, ``whoami``).  :func:`parse_result` separates the result line
from the rest; the ``parse_<command>`` helpers accept either raw text or an
already parsed :class:`CliResult` and work on its ``output``.

Parsers are deliberately tolerant: they accept CRLF or LF line ends, tabs or
spaces as padding, trailing blanks, any letter case in labels and values, an
echoed ``apc>command`` line, missing fields and extra unknown fields (unknown
``Label: value`` fields are kept under their snake_case label).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
from dataclasses import dataclass
from typing import Optional


RESULT_CODES = {
    'E000': 'Success',
    'E001': 'Successfully Issued',
    'E002': 'Reboot required for change to take effect',
    'E100': 'Command failed',
    'E101': 'Command not found',
    'E102': 'Parameter Error',
    'E103': 'Command Line Error',
    'E104': 'User Level Denial',
    'E105': 'Command Prefill',
    'E106': 'Data Not Available',
    'E107': 'Serial communication with the UPS (or Rack PDU) has been lost',
    'E108': 'EAPoL disabled due to invalid/encrypted certificate',
    'E200': 'Input error',
    'E201': 'No response',
}

# Codes meaning "this firmware does not know the command or this form of it".
UNSUPPORTED_CODES = frozenset(('E101', 'E102'))

_CODE_RE = re.compile(r'^\s*E(\d{3})\s*:\s*(.*?)\s*$', re.IGNORECASE)
_REBOOT_LINE_RE = re.compile(
    r'^\s*\*?\s*reboot\s+required\s+for\s+change\s+to\s+take\s+effect\.?\s*$',
    re.IGNORECASE)
# A prompt at the start of a line, optionally followed by the echoed command:
# "apc>", "apc> about", "Administrator@apc>tcpip", "APC> ".
_PROMPT_RE = re.compile(r'^\s*(?:[\w.\-]+@)?apc>', re.IGNORECASE)
_ANSI_RE = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')
_PAGER_RE = re.compile(r'^\s*press\s*<enter>\s*to\s*continue\.*\s*$', re.IGNORECASE)
# A rule line: only dashes/equals and blanks ('-----', '----   ------').
_DASHES_RE = re.compile(r'^[\s=-]*[-=]{3,}[\s=-]*$')
_BOOL_TRUE = frozenset(('enabled', 'enable', 'yes', 'on', 'true'))
_BOOL_FALSE = frozenset(('disabled', 'disable', 'no', 'off', 'false'))


# ---------------------------------------------------------------------------
# Result line
# ---------------------------------------------------------------------------

@dataclass
class CliResult:
    """One command's answer: result code, message, remaining output."""

    code: Optional[str] = None   # 'E000' ... or None when no result line was seen
    message: str = ''            # text after 'Ennn:'
    output: str = ''             # every other line, in order
    reboot_required: bool = False  # E002 or a reboot line (reminders included)
    reboot_reminder: bool = False  # a '* Reboot required' reminder of an earlier change

    @property
    def changed_needs_reboot(self):
        """This command's own change needs a reboot (E002), not an earlier one's."""
        return self.code == 'E002'

    @classmethod
    def from_dict(cls, data):
        """Rebuild a result from to_dict() output (as it crosses the JSON-RPC link)."""
        return cls(code=data.get('code'), message=data.get('message') or '',
                   output=data.get('output') or '',
                   reboot_required=bool(data.get('reboot_required')),
                   reboot_reminder=bool(data.get('reboot_reminder')))

    @property
    def ok(self):
        """True for E0xx results and for output without a result line."""
        return self.code is None or self.code.startswith('E0')

    @property
    def failed(self):
        """True for E1xx and E2xx results."""
        return self.code is not None and self.code[:2] in ('E1', 'E2')

    @property
    def unsupported(self):
        """True when the firmware rejected the command itself (E101/E102)."""
        return self.code in UNSUPPORTED_CODES

    @property
    def meaning(self):
        """The documented meaning of the code ('' when unknown)."""
        return RESULT_CODES.get(self.code or '', '')

    def to_dict(self):
        return {
            'code': self.code,
            'message': self.message,
            'output': self.output,
            'reboot_required': self.reboot_required,
            'reboot_reminder': self.reboot_reminder,
            'ok': self.ok,
            'failed': self.failed,
        }


class CliCommandError(Exception):
    """A command answered with an error result code (E1xx/E2xx)."""

    def __init__(self, command, result):
        self.command = command
        self.result = result
        self.code = getattr(result, 'code', None)
        super().__init__(self._build_message())

    def _build_message(self):
        result = self.result
        code = getattr(result, 'code', None) or 'no result code'
        device_msg = (getattr(result, 'message', '') or '').strip()
        meaning = RESULT_CODES.get(code, '')
        text = "command '%s' failed with %s" % (self.command, code)
        if device_msg:
            text += ': %s' % device_msg
        if meaning and meaning.lower() != device_msg.lower():
            text += ' (%s)' % meaning
        output = (getattr(result, 'output', '') or '').strip()
        if output:
            first = output.splitlines()[0].strip()
            if first:
                text += ' - %s' % first
        return text


def _normalise_text(text):
    """Text as a list of right-stripped lines (LF, no ANSI escapes, no NULs)."""
    if text is None:
        return []
    if isinstance(text, bytes):
        text = text.decode('utf-8', errors='replace')
    text = _ANSI_RE.sub('', text)
    text = text.replace('\r\n', '\n').replace('\r', '\n').replace('\x00', '')
    return [line.rstrip() for line in text.split('\n')]


def _trim_blank(lines):
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _is_echo(line, command):
    if not command:
        return False
    return ' '.join(line.split()).lower() == ' '.join(command.split()).lower()


def parse_result(text, command=None):
    """Split a command's answer into result code, message and output.

    Only the first ``Ennn:`` line is the result; later ones stay in output.
    Prompt lines (``apc>...``) and pager prompts (``Press <ENTER> to
    continue...``) are dropped, as is a leading echo of
    ``command`` when given.  ``Reboot required for change to take effect.``
    (after E002, or as a ``*`` reminder anywhere) is removed and sets
    ``reboot_required``.
    """
    if isinstance(text, CliResult):
        return text
    lines = _normalise_text(text)
    code = None
    message = ''
    reboot = False
    reminder = False
    out = []
    seen_content = False
    for line in lines:
        if _PROMPT_RE.match(line) or _PAGER_RE.match(line):
            continue
        if not seen_content and line.strip():
            seen_content = True
            if _is_echo(line, command):
                continue
        if _REBOOT_LINE_RE.match(line):
            if line.lstrip().startswith('*'):
                # the reminder a card prints after every command until it reboots
                reminder = True
            reboot = True
            continue
        if code is None:
            match = _CODE_RE.match(line)
            if match:
                code = 'E' + match.group(1)
                message = match.group(2)
                if code == 'E002':
                    reboot = True
                continue
        out.append(line)
    return CliResult(code=code, message=message,
                     output='\n'.join(_trim_blank(out)),
                     reboot_required=reboot, reboot_reminder=reminder)


def _output_lines(text):
    """Output lines of raw text or of a CliResult, tabs expanded."""
    if isinstance(text, CliResult):
        result = text
    else:
        result = parse_result(text)
    return [line.expandtabs(8) for line in result.output.split('\n')] if result.output else []


# ---------------------------------------------------------------------------
# Value helpers
# ---------------------------------------------------------------------------

def snake(label):
    """'Active IPv4 Address' -> 'active_ipv4_address'."""
    return re.sub(r'[^a-z0-9]+', '_', label.lower()).strip('_')


def to_bool(value):
    """enabled/disabled, enable/disable, yes/no, on/off -> bool; else None."""
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    words = re.findall(r'[a-z]+', str(value).lower())
    if not words:
        return None
    if words[0] in _BOOL_TRUE:
        return True
    if words[0] in _BOOL_FALSE:
        return False
    return None


def _bool_or_raw(value):
    result = to_bool(value)
    return value if result is None else result


def to_int(value):
    """First integer in the value ('3 minutes' -> 3, '47808 (0xBAC0)' -> 47808)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = re.search(r'-?\d+', str(value))
    return int(match.group(0)) if match else None


def to_float(value):
    """First number in the value ('99.0 %' -> 99.0, '230.4 VAC' -> 230.4)."""
    if value is None:
        return None
    match = re.search(r'-?\d+(?:\.\d+)?', str(value))
    return float(match.group(0)) if match else None


def normalise_mac(value):
    """'00 C0 B7 99 43 CD' (or with '-', ':', '.', none) -> '00:C0:B7:99:43:CD'.

    Values that are not six octets come back stripped but otherwise unchanged.
    """
    if value is None:
        return None
    raw = str(value).strip()
    octets = re.findall(r'[0-9A-Fa-f]{2}', raw)
    compact = re.sub(r'[\s:.\-]', '', raw)
    if len(octets) == 6 and len(compact) == 12 and re.match(r'^[0-9A-Fa-f]{12}$', compact):
        return ':'.join(o.upper() for o in octets)
    return raw


def parse_version(text):
    """'v6.9.6', '6.9.6', 'aos:v6.9.6', 'v2.5.0.8' -> tuple of ints; () if none."""
    if not text:
        return ()
    match = re.search(r'(?<![\w.])v?(\d+(?:\.\d+)+|\d+)', str(text), re.IGNORECASE)
    if not match:
        match = re.search(r'(\d+(?:\.\d+)*)', str(text))
        if not match:
            return ()
    return tuple(int(part) for part in match.group(1).split('.'))


def _split_name_version(value):
    """'aos:v6.9.6' -> {'name': 'aos', 'version': 'v6.9.6'}."""
    if value is None:
        return None
    value = value.strip()
    match = re.match(r'^(?P<name>[^:\s]+)\s*:\s*(?P<version>\S+)$', value)
    if match:
        return {'name': match.group('name'), 'version': match.group('version')}
    return {'name': None, 'version': value or None}


def _duration_minutes(value):
    """'3 hr 35 min' -> 215, '45 min' -> 45, '1 hr' -> 60, '90 sec' -> 1."""
    if value is None:
        return None
    total = 0.0
    found = False
    for number, unit in re.findall(r'(\d+(?:\.\d+)?)\s*([a-z]*)', value.lower()):
        found = True
        number = float(number)
        if unit.startswith('d'):
            total += number * 1440
        elif unit.startswith('h'):
            total += number * 60
        elif unit.startswith('s'):
            total += number / 60.0
        else:
            total += number
    return int(round(total)) if found else None


# ---------------------------------------------------------------------------
# Generic "Label: value" parsing
# ---------------------------------------------------------------------------

_NOCOLON_KV_RE = re.compile(r'^(?P<key>\S(?:.*?\S)?)(?:\s{2,}|\t+)(?P<value>\S.*)$')


def _split_kv(line):
    """One 'Label:  value' line -> (label, value) or None.

    Splits on the first colon.  A line without a colon but with a wide gap
    ('Secondary NTP Server            0.0.0.0') is accepted as label + value.
    """
    stripped = line.strip()
    if not stripped or _DASHES_RE.match(stripped):
        return None
    if ':' in stripped:
        key, value = stripped.split(':', 1)
        key = key.strip()
        if not key:
            return None
        return key, value.strip()
    match = _NOCOLON_KV_RE.match(stripped)
    if match:
        return match.group('key').strip(), match.group('value').strip()
    return None


def kv_pairs(text):
    """All (snake_label, value, raw_label) tuples of the output, in order."""
    pairs = []
    for line in _output_lines(text):
        kv = _split_kv(line)
        if kv is None:
            continue
        key = snake(kv[0])
        if key:
            pairs.append((key, kv[1], kv[0]))
    return pairs


def parse_kv(text):
    """Generic 'Key:   value' parser -> {snake_key: value} (first one wins)."""
    result = {}
    for key, value, _raw in kv_pairs(text):
        result.setdefault(key, value)
    return result


def _apply_schema(pairs, schema, drop=()):
    """Map snake labels through ``schema`` {label: (out_key, converter)}.

    Known labels are converted and stored under their output key; unknown
    ones are kept as raw strings under their snake label.  Every output key
    of the schema is present (None when the card did not print it).
    """
    result = {}
    for out_key, _conv in schema.values():
        result.setdefault(out_key, None)
    seen = set()
    for key, value, _raw in pairs:
        if key in drop:
            continue
        if key in schema:
            out_key, conv = schema[key]
            if out_key in seen:
                continue
            seen.add(out_key)
            result[out_key] = conv(value) if conv else (value if value != '' else None)
        elif key not in result:
            result[key] = value
    return result


def _str(value):
    return value if value != '' else None


def _lower(value):
    return value.lower() if value else None


# ---------------------------------------------------------------------------
# about / banner / system
# ---------------------------------------------------------------------------

def _about_section(header):
    low = header.lower()
    if 'hardware' in low:
        return 'hardware'
    if 'application' in low:
        return 'application'
    if 'boot' in low:
        return 'boot_monitor'
    if re.search(r'\baos\b|\bos\b', low):
        return 'aos'
    return snake(header)


def parse_about(text):
    """``about`` -> {'hardware': {...}, 'application': {...}, 'aos': {...},
    'boot_monitor': {...}} (plus any other section under its snake name)."""
    lines = _output_lines(text)
    result = {}
    section = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or _DASHES_RE.match(stripped):
            continue
        nxt = ''
        for later in lines[index + 1:]:
            if later.strip():
                nxt = later
                break
        if ':' not in stripped and (_DASHES_RE.match(nxt) or re.match(
                r'^(hardware factory|application module|apc os|apc boot monitor)', stripped, re.I)):
            section = _about_section(stripped)
            result.setdefault(section, {})
            continue
        kv = _split_kv(line)
        if kv is None:
            continue
        key, value = snake(kv[0]), kv[1]
        target = result.setdefault(section or 'general', {})
        if key in target:
            continue
        if key == 'mac_address':
            value = normalise_mac(value)
        target[key] = value
    return result


_BANNER_KEY_RE = re.compile(
    r'(?:^\s*|(?<=\s\s))(?P<key>[A-Za-z][A-Za-z0-9/()+.\-]*(?: [A-Za-z0-9/()+.\-]+)*)\s*:(?=\s|$)')
_BANNER_TOP = {
    'name': 'name', 'contact': 'contact', 'location': 'location', 'up_time': 'up_time',
    'date': 'date', 'time': 'time', 'user': 'user', 'stat': 'stat',
}
_BANNER_USERS = frozenset((
    'super_user', 'administrator', 'device_user', 'read_only_user', 'network_only_user',
    'radius', 'device', 'read_only', 'network_only', 'outlet_user'))
_VERSION_TOKEN = r'(?P<version>v\S+|\d+(?:\.\d+)+\S*)'


def _banner_fields(line):
    """'Name : x     Date : y' -> [('Name', 'x'), ('Date', 'y')]."""
    matches = list(_BANNER_KEY_RE.finditer(line))
    fields = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        fields.append((match.group('key').strip(), line[match.end():end].strip()))
    return fields


def parse_banner(text):
    """The screen printed after login -> vendor, versions, identity, blocks.

    Returns {'vendor', 'aos_version', 'app_name', 'app_version', 'name',
    'contact', 'location', 'up_time', 'date', 'time', 'user', 'stat'} and,
    when the card prints them (6.x), 'services' and 'users' dicts of bools.
    """
    result = {'vendor': None, 'aos_version': None, 'app_name': None, 'app_version': None}
    for key in _BANNER_TOP.values():
        result[key] = None
    services = {}
    users = {}
    lines = [line.expandtabs(8) for line in _normalise_text(
        text.output if isinstance(text, CliResult) else text)]
    for line in lines:
        stripped = line.strip()
        if not stripped or _DASHES_RE.match(stripped) or _PROMPT_RE.match(line):
            continue
        aos = re.search(r'^(?P<vendor>.*?)\s*Network\s+Management\s+Card\s+AOS\s+' + _VERSION_TOKEN,
                        stripped, re.IGNORECASE)
        if aos:
            result['aos_version'] = aos.group('version')
            if aos.group('vendor'):
                result['vendor'] = aos.group('vendor').strip()
            continue
        if re.match(r'^\(c\)', stripped, re.IGNORECASE):
            rest = re.sub(r'^\(c\)\s*copyright.*?reserved\.?', '', stripped, flags=re.IGNORECASE)
            app = re.match(r'^\s*(?P<name>\S.*?)\s+' + _VERSION_TOKEN + r'\s*$', rest)
            if app:
                result['app_name'] = app.group('name')
                result['app_version'] = app.group('version')
            continue
        if result['vendor'] is None:
            vendor = re.match(r'^(schneider electric|american power conversion)\b', stripped,
                              re.IGNORECASE)
            if vendor:
                result['vendor'] = vendor.group(1)
        for label, value in _banner_fields(line):
            key = snake(label)
            if not key or 'password' in key or key == 'user_name':
                continue
            if key in _BANNER_TOP:
                if result[_BANNER_TOP[key]] is None:
                    result[_BANNER_TOP[key]] = value
            elif key in _BANNER_USERS:
                users[key] = _bool_or_raw(value)
            elif to_bool(value) is not None:
                services[key] = to_bool(value)
            else:
                result.setdefault(key, value)
    if services:
        result['services'] = services
    if users:
        result['users'] = users
    return result


def _split_datetime(value):
    """'08/24/2021:20:25:40' -> ('08/24/2021', '20:25:40')."""
    if not value:
        return None, None
    match = re.match(r'^(?P<date>.*?\S)[\s:]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)$', value.strip())
    if match:
        return match.group('date'), match.group('time')
    return value, None


def parse_system(text):
    """``system`` -> identity fields; 'aos'/'app'/'bootmon' split into name/version."""
    schema = {
        'host_name_sync': ('host_name_sync', to_bool),
        'name': ('name', _str),
        'contact': ('contact', _str),
        'location': ('location', _str),
        'message': ('message', lambda v: v),
        'datetime': ('date_time', _str),
        'date_time': ('date_time', _str),
        'user': ('user', _str),
        'up_time': ('up_time', _str),
        'stat': ('stat', _str),
        'bootmon': ('bootmon', _split_name_version),
        'aos': ('aos', _split_name_version),
        'app': ('app', _split_name_version),
    }
    result = _apply_schema(kv_pairs(text), schema)
    result['date'], result['time'] = _split_datetime(result.get('date_time'))
    return result


# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------

def parse_tcpip(text):
    """``tcpip`` -> {'active': {ipv4_address, subnet_mask, gateway},
    'ipv4_enabled', 'manual_settings', 'ipv4_address', 'subnet_mask',
    'gateway', 'mac_address', 'domain_name', 'host_name'}.

    Accepts the 6.x two-block form and the older flat form.
    """
    result = {
        'active': {'ipv4_address': None, 'subnet_mask': None, 'gateway': None},
        'ipv4_enabled': None, 'manual_settings': None, 'ipv4_address': None,
        'subnet_mask': None, 'gateway': None, 'mac_address': None,
        'domain_name': None, 'host_name': None,
    }
    seen = set()
    in_active = False
    for line in _output_lines(text):
        stripped = line.strip()
        if not stripped or _DASHES_RE.match(stripped):
            continue
        if ':' not in stripped and re.search(r'settings\s*$', stripped, re.IGNORECASE):
            in_active = stripped.lower().startswith('active')
            continue
        kv = _split_kv(line)
        if kv is None:
            continue
        key, value = snake(kv[0]), kv[1]
        active = in_active
        if key.startswith('active_'):
            active = True
            key = key[len('active_'):]
        if key in ('ipv4_subnet_mask', 'ipv4_gateway', 'ip_subnet_mask', 'ip_gateway'):
            key = key.split('_', 1)[1]
        if key in ('ip_address', 'ipv4_address', 'ip', 'address'):
            key = 'ipv4_address'
        if key in ('default_gateway',):
            key = 'gateway'
        if active and key in result['active']:
            if result['active'][key] is None:
                result['active'][key] = _str(value)
            continue
        if key in ('ipv4', 'ipv4_status', 'tcp_ip', 'tcpip'):
            key, value = 'ipv4_enabled', to_bool(value)
        elif key == 'manual_settings':
            value = to_bool(value)
        elif key == 'mac_address':
            value = normalise_mac(value)
        else:
            value = _str(value)
        if key in seen:
            continue
        seen.add(key)
        result[key] = value
    return result


def parse_tcpip6(text):
    """``tcpip6`` -> ipv6_enabled, manual_settings, ipv6_address, mac_address,
    gateway, ipv6_manual_address, ipv6_autoconfiguration, dhcpv6_mode."""
    schema = {
        'ipv6': ('ipv6_enabled', to_bool),
        'manual_settings': ('manual_settings', to_bool),
        'ipv6_address': ('ipv6_address', _str),
        'mac_address': ('mac_address', normalise_mac),
        'gateway': ('gateway', _str),
        'ipv6_manual_address': ('ipv6_manual_address', _bool_or_raw),
        'ipv6_autoconfiguration': ('ipv6_autoconfiguration', _bool_or_raw),
        'dhcpv6_mode': ('dhcpv6_mode', _str),
    }
    return _apply_schema(kv_pairs(text), schema)


def parse_boot(text):
    """``boot`` -> boot_mode, dhcp_cookie (bool), vendor_class, client_id, user_class."""
    schema = {
        'boot_mode': ('boot_mode', _lower),
        'dhcp_cookie': ('dhcp_cookie', to_bool),
        'vendor_class': ('vendor_class', _str),
        'client_id': ('client_id', normalise_mac),
        'user_class': ('user_class', _str),
    }
    return _apply_schema(kv_pairs(text), schema)


def _with_active(result):
    result['active'] = {'primary': result.pop('_active_primary', None),
                        'secondary': result.pop('_active_secondary', None)}
    return result


def parse_dns(text):
    """``dns`` -> {'active': {primary, secondary}, override, primary, secondary,
    domain_name, domain_name_ipv6, system_name_sync, host_name}."""
    schema = {
        'active_primary_dns_server': ('_active_primary', _str),
        'active_secondary_dns_server': ('_active_secondary', _str),
        'override_manual_dns_settings': ('override', to_bool),
        'primary_dns_server': ('primary', _str),
        'secondary_dns_server': ('secondary', _str),
        'domain_name': ('domain_name', _str),
        'domain_name_ipv6': ('domain_name_ipv6', _str),
        'system_name_sync': ('system_name_sync', to_bool),
        'host_name': ('host_name', _str),
    }
    return _with_active(_apply_schema(kv_pairs(text), schema))


def parse_ntp(text):
    """``ntp`` -> {'active': {primary, secondary}, override, primary, secondary,
    enabled} (enabled is None unless the card prints a status line)."""
    schema = {
        'active_primary_ntp_server': ('_active_primary', _str),
        'active_secondary_ntp_server': ('_active_secondary', _str),
        'override_manual_ntp_settings': ('override', to_bool),
        'primary_ntp_server': ('primary', _str),
        'secondary_ntp_server': ('secondary', _str),
        'ntp_enabled': ('enabled', to_bool),
        'ntp': ('enabled', to_bool),
        'ntp_status': ('enabled', to_bool),
        'service': ('enabled', to_bool),
        'status': ('enabled', to_bool),
        'enabled': ('enabled', to_bool),
    }
    return _with_active(_apply_schema(kv_pairs(text), schema))


def parse_date(text):
    """``date`` -> date, time, format, time_zone."""
    schema = {
        'date': ('date', _str),
        'time': ('time', _str),
        'format': ('format', _str),
        'date_format': ('format', _str),
        'time_zone': ('time_zone', _str),
        'timezone': ('time_zone', _str),
    }
    return _apply_schema(kv_pairs(text), schema)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

def _chunks(line):
    """[(start, text)] of the runs separated by two or more blanks."""
    return [(m.start(), m.group(0).strip()) for m in re.finditer(r'\S+(?: \S+)*', line)]


def _parse_table(lines, header_re, columns):
    """Rows under a header (matched by ``header_re``) -> list of dicts.

    Columns are located from the header's label positions; each run of text
    in a row goes to the column whose label starts at or just before it, so
    empty cells (e.g. an empty Address) are handled.
    """
    header_index = None
    for index, line in enumerate(lines):
        if re.search(header_re, line, re.IGNORECASE):
            header_index = index
            break
    if header_index is None:
        return []
    header = lines[header_index]
    starts = [start for start, _label in _chunks(header)]
    if len(starts) != len(columns):
        starts = None
    rows = []
    for line in lines[header_index + 1:]:
        stripped = line.strip()
        if not stripped:
            if rows:
                break
            continue
        if _DASHES_RE.match(stripped) or _CODE_RE.match(line):
            continue
        row = dict.fromkeys(columns)
        chunks = _chunks(line)
        if starts is None:
            for name, (_s, value) in zip(columns, chunks):
                row[name] = value
        else:
            for start, value in chunks:
                col = 0
                for i, col_start in enumerate(starts):
                    if col_start <= start + 2:
                        col = i
                name = columns[col]
                row[name] = value if row[name] is None else row[name] + ' ' + value
        rows.append(row)
    return rows


_USER_TYPES = r'(?:super\s+user|administrator|device(?:\s+user)?|read[- ]only(?:\s+user)?|' \
              r'network[- ]only(?:\s+user)?|outlet\s+user)'


def parse_user_list(text):
    """``user`` (6.x list) -> [{'name', 'user_type', 'enabled', 'status'}]."""
    lines = _output_lines(text)
    rows = _parse_table(lines, r'^\s*name\s+user\s*type\s+status\s*$',
                        ('name', 'user_type', 'status'))
    users = []
    for row in rows:
        if row['name'] is None:
            continue
        if row['status'] is None or row['user_type'] is None:
            # Misaligned row: fall back to known user type words.
            joined = ' '.join(v for v in (row['name'], row['user_type'], row['status']) if v)
            match = re.match(r'^(?P<name>.+?)\s+(?P<type>' + _USER_TYPES + r')\s+(?P<status>\S+)$',
                             joined, re.IGNORECASE)
            if match:
                row = {'name': match.group('name'), 'user_type': match.group('type'),
                       'status': match.group('status')}
        status = row['status']
        users.append({'name': row['name'], 'user_type': row['user_type'],
                      'enabled': to_bool(status) is True, 'status': status})
    return users


def parse_session(text):
    """``session`` -> [{'user', 'interface', 'address', 'logged_in_time', 'id'}]."""
    lines = _output_lines(text)
    rows = _parse_table(lines, r'^\s*user\s+interface\s+address\s+logged\s+in\s+time\s+id\s*$',
                        ('user', 'interface', 'address', 'logged_in_time', 'id'))
    sessions = []
    for row in rows:
        if row['user'] is None:
            continue
        ident = row['id']
        if ident is not None and re.match(r'^\d+$', ident):
            ident = int(ident)
        sessions.append({'user': row['user'], 'interface': row['interface'],
                         'address': row['address'] or None,
                         'logged_in_time': row['logged_in_time'], 'id': ident})
    return sessions


# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------

def _language_code(value):
    if not value:
        return None
    match = re.search(r'\(([a-z]{2}[A-Za-z]{2})\)', value)
    if match:
        return match.group(1)
    match = re.match(r'^([a-z]{2}[A-Z][a-zA-Z])$', value.strip())
    return match.group(1) if match else None


_USER_COMMON_SCHEMA = {
    'access': ('access', to_bool),
    'user_permission': ('permission', _str),
    'permission': ('permission', _str),
    'user_description': ('description', _str),
    'description': ('description', _str),
    'session_timeout': ('session_timeout', to_int),
    'serial_remote_authentication_override': ('serial_remote_auth_override', to_bool),
    'event_log_color_coding': ('event_log_color_coding', to_bool),
    'export_log_format': ('export_log_format', _lower),
    'temperature_scale': ('temperature_scale', _lower),
    'date_format': ('date_format', _str),
    'language': ('language', _str),
}
_SECRET_KEYS = ('password', 'current_password', 'new_password', 'authentication_phrase',
                'auth_phrase', 'crypt_phrase', 'privacy_phrase', 'passphrase', 'pin',
                'touch_screen_pin', 'touch_screen_access_pin')


def parse_user_detail(text):
    """``user -n <name>`` -> access, user_name, permission, description,
    session_timeout (minutes), serial_remote_auth_override,
    event_log_color_coding, export_log_format, temperature_scale,
    date_format, language, language_code.  The password is never returned."""
    schema = dict(_USER_COMMON_SCHEMA)
    schema['user_name'] = ('user_name', _str)
    schema['name'] = ('user_name', _str)
    result = _apply_schema(kv_pairs(text), schema, drop=_SECRET_KEYS)
    result['language_code'] = _language_code(result.get('language'))
    return result


def parse_userdflt(text):
    """``userdflt`` -> the user detail fields plus bad_login_attempts (int),
    strong_passwords (bool), require_password_change_days (int)."""
    schema = dict(_USER_COMMON_SCHEMA)
    schema.update({
        'bad_login_attempts': ('bad_login_attempts', to_int),
        'strong_passwords': ('strong_passwords', to_bool),
        'strong_password': ('strong_passwords', to_bool),
        'require_password_change': ('require_password_change_days', to_int),
    })
    result = _apply_schema(kv_pairs(text), schema, drop=_SECRET_KEYS)
    result['language_code'] = _language_code(result.get('language'))
    return result


def parse_whoami(text):
    """``whoami`` -> {'user': name} (the line after the result line)."""
    if isinstance(text, CliResult):
        candidates = [line.strip() for line in text.output.split('\n') if line.strip()]
        return {'user': candidates[-1] if candidates else None}
    after = []
    before = []
    seen_code = False
    for line in _normalise_text(text):
        if _PROMPT_RE.match(line) or _REBOOT_LINE_RE.match(line) or not line.strip():
            continue
        if not seen_code and _CODE_RE.match(line):
            seen_code = True
            continue
        (after if seen_code else before).append(line.strip())
    if after:
        return {'user': after[0]}
    return {'user': before[-1] if before else None}


# ---------------------------------------------------------------------------
# SNMP
# ---------------------------------------------------------------------------

_BLOCK_RE = re.compile(
    r'^\s*(?P<kind>access\s+control|user\s+profile|community)\s*(?:#|no\.?|number)?\s*:?\s*'
    r'(?P<index>\d+)\s*:?\s*$', re.IGNORECASE)


def _blocks(text):
    """Top-level pairs and numbered blocks ('Access Control 1', 'User Profile 2').

    Returns (top_pairs, [(kind, index, pairs)]) where kind is snake_case.
    """
    top = []
    blocks = []
    current = None
    for line in _output_lines(text):
        match = _BLOCK_RE.match(line)
        if match:
            current = (snake(match.group('kind')), int(match.group('index')), [])
            blocks.append(current)
            continue
        kv = _split_kv(line)
        if kv is None:
            continue
        key = snake(kv[0])
        if key in ('access_control', 'user_profile') and re.match(r'^\d+$', kv[1]):
            current = (key, int(kv[1]), [])
            blocks.append(current)
            continue
        (current[2] if current is not None else top).append((key, kv[1], kv[0]))
    return top, blocks


def _first(pairs, *keys):
    for key, value, _raw in pairs:
        if key in keys:
            return value
    return None


def parse_snmp(text):
    """``snmp`` -> {'enabled': bool, 'communities': [{index, community, access, nms}]}."""
    top, blocks = _blocks(text)
    result = {'enabled': to_bool(_first(top, 'snmpv1', 'snmp', 'snmpv1_access', 'service',
                                        'status', 'enabled')),
              'communities': []}
    for _kind, index, pairs in blocks:
        access = _first(pairs, 'access_type', 'access')
        result['communities'].append({
            'index': index,
            'community': _first(pairs, 'community_name', 'community'),
            'access': access.lower() if access else None,
            'nms': _first(pairs, 'nms_ip_host_name', 'nms_ip', 'nms', 'nms_host_name',
                          'address', 'ip_address'),
        })
    return result


def parse_snmpv3(text):
    """``snmpv3`` -> {'enabled': bool,
    'users': [{index, user_name, authentication, privacy}],
    'access': [{index, enabled, user_name, nms}]}.  Phrases are never returned."""
    top, blocks = _blocks(text)
    result = {'enabled': to_bool(_first(top, 'snmpv3', 'snmpv3_access', 'snmp', 'service',
                                        'status', 'enabled')),
              'users': [], 'access': []}
    for kind, index, pairs in blocks:
        if kind == 'user_profile':
            auth = _first(pairs, 'authentication', 'authentication_protocol', 'auth_protocol')
            priv = _first(pairs, 'privacy', 'privacy_protocol', 'encryption')
            result['users'].append({
                'index': index,
                'user_name': _first(pairs, 'user_name', 'name'),
                'authentication': auth.lower() if auth else None,
                'privacy': priv.lower() if priv else None,
            })
        else:
            result['access'].append({
                'index': index,
                'enabled': to_bool(_first(pairs, 'access', 'status', 'enabled')),
                'user_name': _first(pairs, 'user_name', 'user_profile', 'user'),
                'nms': _first(pairs, 'nms_ip_host_name', 'nms_ip', 'nms', 'nms_host_name',
                              'address', 'ip_address'),
            })
    return result


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------

def parse_web(text):
    """``web`` -> {http_enabled, https_enabled, http_port, https_port, form}.

    6.x prints 'Http:'/'Https:' switches; 5.x prints 'Service: http|https|disabled'
    (one protocol at a time, form '5.x', plus 'service').
    """
    pairs = kv_pairs(text)
    data = {}
    for key, value, _raw in pairs:
        data.setdefault(key, value)
    result = {'http_enabled': None, 'https_enabled': None,
              'http_port': to_int(data.get('http_port')),
              'https_port': to_int(data.get('https_port')),
              'form': None}
    if 'http' in data or 'https' in data:
        result['form'] = '6.x'
        result['http_enabled'] = to_bool(data.get('http'))
        result['https_enabled'] = to_bool(data.get('https'))
    elif 'service' in data:
        result['form'] = '5.x'
        service = data['service'].strip().lower()
        result['service'] = service
        result['http_enabled'] = service == 'http'
        result['https_enabled'] = service == 'https'
    for key, value in data.items():
        if key not in ('http', 'https', 'http_port', 'https_port', 'service'):
            result.setdefault(key, _bool_or_raw(value))
    return result


def parse_console(text):
    """``console`` -> {telnet_enabled, ssh_enabled, telnet_port, ssh_port,
    baud_rate, form} for the 6.x ('Telnet:'/'SSH:') and 5.x ('Service:') forms."""
    data = {}
    for key, value, _raw in kv_pairs(text):
        data.setdefault(key, value)
    result = {'telnet_enabled': None, 'ssh_enabled': None,
              'telnet_port': to_int(data.get('telnet_port')),
              'ssh_port': to_int(data.get('ssh_port')),
              'baud_rate': to_int(data.get('baud_rate')),
              'form': None}
    if 'telnet' in data or 'ssh' in data:
        result['form'] = '6.x'
        result['telnet_enabled'] = to_bool(data.get('telnet'))
        result['ssh_enabled'] = to_bool(data.get('ssh'))
    elif 'service' in data:
        result['form'] = '5.x'
        service = data['service'].strip().lower()
        result['service'] = service
        result['telnet_enabled'] = service == 'telnet'
        result['ssh_enabled'] = service == 'ssh'
    for key, value in data.items():
        if key not in ('telnet', 'ssh', 'telnet_port', 'ssh_port', 'baud_rate', 'service'):
            result.setdefault(key, _bool_or_raw(value))
    return result


def parse_ftp(text):
    """``ftp`` -> {'enabled': bool, 'port': int}."""
    schema = {
        'service': ('enabled', to_bool),
        'ftp': ('enabled', to_bool),
        'status': ('enabled', to_bool),
        'ftp_port': ('port', to_int),
        'port': ('port', to_int),
    }
    return _apply_schema(kv_pairs(text), schema)


# ---------------------------------------------------------------------------
# Rack PDU
# ---------------------------------------------------------------------------

_OUTLET_STATUS_RE = re.compile(
    r'^\s*(?P<number>\d+)\s*:\s*(?P<name>.*?)\s*:\s*(?P<state>on|off)\s*(?P<pending>\*)?\s*$',
    re.IGNORECASE)
# AOS 3.x hidden command line: " 1: ON    : Outlet 1"
_OUTLET_STATUS_OLD_RE = re.compile(
    r'^\s*(?P<number>\d+)\s*:\s*(?P<state>on|off)\s*(?P<pending>\*)?\s*:\s*(?P<name>.*?)\s*$',
    re.IGNORECASE)


def parse_outlet_status(text):
    """``olStatus all`` -> [{'number', 'name', 'state': 'on'|'off', 'pending'}]."""
    outlets = []
    for line in _output_lines(text):
        match = _OUTLET_STATUS_RE.match(line) or _OUTLET_STATUS_OLD_RE.match(line)
        if not match:
            continue
        outlets.append({
            'number': int(match.group('number')),
            'name': match.group('name'),
            'state': match.group('state').lower(),
            'pending': bool(match.group('pending')),
        })
    return outlets


def parse_outlet_names(text):
    """``olName all`` -> {number: name}."""
    names = {}
    for line in _output_lines(text):
        match = re.match(r'^\s*(\d+)\s*:\s*(.*?)\s*$', line)
        if match:
            names[int(match.group(1))] = match.group(2)
    return names


_OUTLET_TIME_RE = re.compile(
    r'^\s*(?P<number>\d+)\s*:\s*(?:(?P<name>.*?)\s*:\s*)?'
    r'(?P<value>never|-?\d+(?:\.\d+)?)\s*(?P<unit>[a-z]*)\.?\s*$', re.IGNORECASE)


def parse_outlet_times(text):
    """``olOnDelay``/``olOffDelay``/``olRbootTime all`` -> {number: seconds}.

    'never' (and a negative value) becomes -1.  Accepts '5 sec', '5 s',
    '5 seconds', a bare number, and minutes ('2 min').
    """
    times = {}
    for line in _output_lines(text):
        match = _OUTLET_TIME_RE.match(line)
        if not match:
            continue
        value = match.group('value').lower()
        if value == 'never':
            seconds = -1
        else:
            number = float(value)
            unit = match.group('unit').lower()
            if unit.startswith('m') and not unit.startswith('ms'):
                number *= 60
            elif unit.startswith('h'):
                number *= 3600
            seconds = -1 if number < 0 else int(round(number))
        times[int(match.group('number'))] = seconds
    return times


def _number_with_unit(value):
    match = re.match(r'^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z%]*)\s*$', value or '')
    if not match:
        return None, None
    text = match.group(1)
    number = float(text) if '.' in text else int(text)
    return number, match.group(2) or None


_PRODINFO_KNOWN = {
    'aos': 'aos', 'model': 'model', 'model_number': 'model',
    'present_outlets': 'present_outlets', 'max_current': 'max_current',
    'present_phases': 'present_phases', 'name': 'name', 'serial_number': 'serial_number',
}


def parse_prodinfo(text):
    """``prodInfo`` -> aos, app_name, app_version, model, present_outlets,
    max_current (+ max_current_unit), present_phases, plus other fields
    (ints/floats where numeric)."""
    result = {'aos': None, 'app_name': None, 'app_version': None, 'model': None,
              'present_outlets': None, 'max_current': None, 'max_current_unit': None,
              'present_phases': None}
    for key, value, raw in kv_pairs(text):
        out_key = _PRODINFO_KNOWN.get(key)
        if out_key is None and result['app_name'] is None and re.match(
                r'^(?:[a-z0-9]+:)?v?\d+(?:\.\d+)+\S*$', value, re.IGNORECASE):
            result['app_name'] = raw.strip()
            result['app_version'] = value
            continue
        key = out_key or key
        if result.get(key) is not None:
            continue
        number, unit = _number_with_unit(value)
        if key in ('aos', 'model', 'name', 'serial_number') or number is None:
            result[key] = _str(value)
        else:
            result[key] = number
            if unit and key != 'present_outlets' and key != 'present_phases':
                result[key + '_unit'] = unit
    return result


def parse_phreading(text):
    """``phReading all <kind>`` -> [{'phase', 'value', 'unit'}]."""
    readings = []
    for line in _output_lines(text):
        match = re.match(r'^\s*(?P<phase>[\w\-]+)\s*:\s*(?P<value>-?\d+(?:\.\d+)?)\s*'
                         r'(?P<unit>[A-Za-z%]*)\s*$', line)
        if not match:
            continue
        phase = match.group('phase')
        readings.append({
            'phase': int(phase) if phase.isdigit() else phase,
            'value': float(match.group('value')),
            'unit': match.group('unit') or None,
        })
    return readings


# ---------------------------------------------------------------------------
# UPS
# ---------------------------------------------------------------------------

def parse_upsabout(text):
    """``upsabout`` -> model, serial_number, firmware_revision, manufacture_date, ..."""
    schema = {
        'model': ('model', _str),
        'serial_number': ('serial_number', _str),
        'firmware_revision': ('firmware_revision', _str),
        'manufacture_date': ('manufacture_date', _str),
    }
    return _apply_schema(kv_pairs(text), schema)


def _split_state(value):
    if value is None:
        return {'state': None, 'alarms': None, 'on_battery': None}
    state, _sep, alarms = value.partition(',')
    state = state.strip()
    return {'state': state or None, 'alarms': alarms.strip() or None,
            'on_battery': 'battery' in state.lower()}


def parse_ups_state(text):
    """``ups -st`` -> {'state': 'On Line', 'alarms': 'No Alarms Present', 'on_battery'}."""
    data = parse_kv(text)
    value = data.get('state', data.get('status', data.get('status_of_ups')))
    return _split_state(value)


def parse_detstatus(text):
    """``detstatus -all`` -> normalised UPS status; unknown fields kept raw."""
    schema = {
        'status_of_ups': ('status', _str),
        'last_transfer': ('last_transfer', _str),
        'runtime_remaining': ('runtime_remaining_minutes', _duration_minutes),
        'battery_state_of_charge': ('battery_charge_percent', to_float),
        'output_voltage': ('output_voltage', to_float),
        'output_frequency': ('output_frequency', to_float),
        'output_watts_percent': ('output_watts_percent', to_float),
        'output_va_percent': ('output_va_percent', to_float),
        'output_current': ('output_current', to_float),
        'input_voltage': ('input_voltage', to_float),
        'input_frequency': ('input_frequency', to_float),
        'battery_voltage': ('battery_voltage', to_float),
        'internal_temperature': ('_temperature', _str),
        'self_test_result': ('self_test_result', _str),
        'self_test_date': ('self_test_date', _str),
        'calibration_result': ('calibration_result', _str),
        'calibration_date': ('calibration_date', _str),
    }
    result = _apply_schema(kv_pairs(text), schema)
    temp = result.pop('_temperature', None) or ''
    celsius = re.search(r'(-?\d+(?:\.\d+)?)\s*(?:\u00b0\s*)?C\b', temp)
    fahrenheit = re.search(r'(-?\d+(?:\.\d+)?)\s*(?:\u00b0\s*)?F\b', temp)
    result['internal_temperature_c'] = float(celsius.group(1)) if celsius else None
    result['internal_temperature_f'] = float(fahrenheit.group(1)) if fahrenheit else None
    result.update(_split_state(result.get('status')))
    return result


# ---------------------------------------------------------------------------
# AOS 5.x fixed accounts
# ---------------------------------------------------------------------------

_USER_FIXED_SCHEMA = {
    'administrator': ('administrator', _str),
    'admin': ('administrator', _str),
    'administrator_name': ('administrator', _str),
    'device_manager': ('device', _str),
    'device_user': ('device', _str),
    'device': ('device', _str),
    'read_only_user': ('read_only', _str),
    'read_only': ('read_only', _str),
    'readonly_user': ('read_only', _str),
    'session_timeout': ('session_timeout', to_int),
    'inactivity_timeout': ('session_timeout', to_int),
}


def parse_user_fixed(text):
    """``user`` on AOS 5.x (three fixed accounts) -> {'administrator': name,
    'device': name, 'read_only': name, 'session_timeout': minutes}.

    Expected form (after ``E000: Success``)::

        Administrator:          apc
        Device Manager:         device
        Read Only User:         readonly
        Session Timeout:        3 minutes

    Password lines, if a firmware prints any, are dropped."""
    return _apply_schema(kv_pairs(text), _USER_FIXED_SCHEMA, drop=_SECRET_KEYS + (
        'administrator_password', 'device_manager_password', 'read_only_user_password',
        'admin_password', 'device_password', 'read_only_password'))
