# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A management card's config.ini: parsed, checked against the keys the collection knows,
and compared with what the card reports (through the identity and network areas).

A config.ini holds ``[Section]`` headers and ``Key=Value`` lines; ``;`` starts a comment.
The keys known here are the ones whose current value the collection can read back, so a
file made only of them can be proven to be in effect already (nothing is sent then). A
key is known with its section, the module option it corresponds to and the way its value
is written in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ansible_collections.rackops.apc.plugins.module_utils.schema import IDENTITY as IDENTITY_SCHEMA
from ansible_collections.rackops.apc.plugins.module_utils.schema import NETWORK as NETWORK_SCHEMA
from ansible_collections.rackops.apc.plugins.module_utils.area_network import check_gateway

NETWORK = NETWORK_SCHEMA.cli_area()
from ansible_collections.rackops.apc.plugins.module_utils.device import MASK, Reader, SettingsError

MAX_FILE_BYTES = 256 * 1024         # a full NMC2 config.ini is about 45 kB
TRANSFER_SPEEDS = (2400, 9600, 19200, 38400)

# Key names that carry secrets: their values never appear in results or diffs.
SECRET_KEY_RE = re.compile(r'pass|phrase|secret|community|key$|token', re.I)
_CONTROL_RE = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')

_BOOL_WORDS = {'enabled': True, 'enable': True, 'disabled': False, 'disable': False}
_BOOT_WORDS = {'manual': 'manual', 'dhcp': 'dhcp', 'bootp': 'bootp'}


@dataclass(frozen=True)
class IniKey:
    section: str
    key: str
    area: str               # identity | network
    option: str             # the area's field (module option) name
    kind: str = 'text'      # text | bool | bootmode

    @property
    def label(self):
        return '%s.%s' % (self.section, self.key)


KNOWN_KEYS = [
    IniKey('SystemID', 'Name', 'identity', 'name'),
    IniKey('SystemID', 'Contact', 'identity', 'contact'),
    IniKey('SystemID', 'Location', 'identity', 'location'),
    IniKey('SystemID', 'Message', 'identity', 'system_message'),
    IniKey('SystemID', 'HostNameSync', 'identity', 'host_name_sync', 'bool'),
    IniKey('NetworkTCP/IP', 'IPv4', 'network', 'ipv4_enabled', 'bool'),
    IniKey('NetworkTCP/IP', 'BootMode', 'network', 'boot_mode', 'bootmode'),
    IniKey('NetworkTCP/IP', 'SystemIP', 'network', 'ipv4_address'),
    IniKey('NetworkTCP/IP', 'SubnetMask', 'network', 'subnet_mask'),
    IniKey('NetworkTCP/IP', 'DefaultGateway', 'network', 'gateway'),
    IniKey('NetworkTCP/IP', 'HostName', 'network', 'host_name'),
    IniKey('NetworkTCP/IP', 'DomainName', 'network', 'domain_name'),
]
AREAS = {'identity': IDENTITY_SCHEMA.cli_area(), 'network': NETWORK}
_BY_NAME = dict(((k.section.lower(), k.key.lower()), k) for k in KNOWN_KEYS)
KNOWN_SECTIONS = sorted(set(k.section for k in KNOWN_KEYS))


@dataclass
class Entry:
    section: str
    key: str
    value: str
    line: int
    known: IniKey = None
    wanted: object = None       # the value as the area's option (validated)

    @property
    def label(self):
        return '%s.%s' % (self.section, self.key)

    @property
    def secret(self):
        return bool(SECRET_KEY_RE.search(self.key))

    def shown(self):
        return MASK if self.secret else self.value


def _option_value(known, value, line):
    fld = AREAS[known.area].by_name()[known.option]
    if known.kind == 'bool':
        word = value.strip().lower()
        if word not in _BOOL_WORDS:
            raise SettingsError('line %d: %s must be enabled or disabled, got %r'
                                % (line, known.label, value))
        return _BOOL_WORDS[word]
    if known.kind == 'bootmode':
        word = value.strip().lower()
        if word not in _BOOT_WORDS:
            raise SettingsError('line %d: %s must be Manual, DHCP or BOOTP, got %r'
                                % (line, known.label, value))
        return _BOOT_WORDS[word]
    try:
        return fld.check(value)
    except SettingsError as exc:
        raise SettingsError('line %d: %s: %s' % (line, known.label, exc))


def parse(text, allow_unknown=False):
    """Entries of a config.ini (raises SettingsError naming the line)."""
    if not isinstance(text, str):
        raise SettingsError('the file must be text')
    if len(text.encode('utf-8')) > MAX_FILE_BYTES:
        raise SettingsError('the file is larger than %d bytes; a card\'s config.ini is about '
                            '45 kB' % MAX_FILE_BYTES)
    try:
        text.encode('ascii')
    except UnicodeEncodeError:
        raise SettingsError('the file must be plain ASCII (the card reads config.ini as ASCII)')
    entries = []
    seen = set()
    section = None
    for number, raw in enumerate(text.replace('\r\n', '\n').split('\n'), 1):
        if _CONTROL_RE.search(raw.replace('\r', '')):
            raise SettingsError('line %d holds a control character' % number)
        line = raw.strip()
        if not line or line[0] in ';#':
            continue
        if line.startswith('['):
            if not line.endswith(']') or len(line) < 3:
                raise SettingsError('line %d: a section header is [Name], got %r' % (number, line))
            section = line[1:-1].strip()
            continue
        if '=' not in line:
            raise SettingsError('line %d is neither [Section], Key=Value nor a ; comment'
                                % number)
        if section is None:
            raise SettingsError('line %d: Key=Value before the first [Section]' % number)
        key, value = [part.strip() for part in line.split('=', 1)]
        if not key:
            raise SettingsError('line %d has no key before =' % number)
        ident = (section.lower(), key.lower())
        if ident in seen:
            raise SettingsError('line %d: %s.%s is set twice' % (number, section, key))
        seen.add(ident)
        entry = Entry(section, key, value, number, _BY_NAME.get(ident))
        if entry.known is None:
            if not allow_unknown:
                raise SettingsError(
                    'line %d: %s is not a key this collection can read back (known: %s). Set '
                    'allow_unknown: true to send it anyway (the task then always reports a '
                    'change)' % (number, entry.label, ', '.join(k.label for k in KNOWN_KEYS)))
        else:
            entry.wanted = _option_value(entry.known, value, number)
        entries.append(entry)
    if not entries:
        raise SettingsError('the file sets nothing (no Key=Value line)')
    wanted = dict((e.known.option, e.wanted) for e in entries if e.known)
    if wanted:
        check_gateway(dict((k, v) for k, v in wanted.items() if k in NETWORK.by_name()))
    return entries


def read_current(console, entries):
    """{label: current value as the option} for the known entries (one read per command)."""
    reader = Reader(console)
    out = {}
    for entry in entries:
        if entry.known is None:
            continue
        area = AREAS[entry.known.area]
        out[entry.label] = area.read(reader, [entry.known.option])[entry.known.option]
    return out


def differing(entries, current):
    """Labels of the entries whose value is not in effect (unknown keys always differ)."""
    out = []
    for entry in entries:
        if entry.known is None:
            out.append(entry.label)
            continue
        fld = AREAS[entry.known.area].by_name()[entry.known.option]
        if not fld.same(current.get(entry.label), entry.wanted):
            out.append(entry.label)
    return out


def shown_values(entries):
    """{label: value} as the file sets them, secrets masked."""
    return dict((e.label, e.shown()) for e in entries)
