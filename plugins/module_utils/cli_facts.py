# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gather facts from the ``apc>`` command line, area by area.

:func:`gather_cli_facts` is transport-agnostic: it receives a ``run``
callable that sends one command and returns its :class:`CliResult`.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import (
    CliCommandError,
    CliResult,
    UNSUPPORTED_CODES,
)


# Commands each area reads, in the order they are sent.  'users' also sends
# 'user -n <name>' for every listed user; 'ups' sends 'ups -st' only when
# 'detstatus -all' fails.
AREA_COMMANDS = {
    'network': ('tcpip', 'tcpip6'),
    'boot': ('boot',),
    'dns': ('dns',),
    'identity': ('system',),
    'users': ('user', 'user -n <name>'),
    'services': ('web', 'console', 'ftp'),
    'snmp': ('snmp', 'snmpv3'),
    'time': ('date', 'ntp'),
    'outlets': ('prodInfo', 'olStatus all', 'olOnDelay all', 'olOffDelay all', 'olRbootTime all'),
    'ups': ('upsabout', 'detstatus -all', 'ups -st'),
}

AREAS = tuple(AREA_COMMANDS)

# Names accepted in a subset list (each may also be given as '!name').
VALID_SUBSETS = ('all',) + AREAS

# Areas that only make sense on one kind of device: area -> device_info flag.
DEVICE_AREAS = {'outlets': 'is_pdu', 'ups': 'is_ups'}


def applicable_areas(device_info):
    """Areas that apply to the device described by ``device_info``."""
    device_info = device_info or {}
    return [area for area in AREAS
            if area not in DEVICE_AREAS or bool(device_info.get(DEVICE_AREAS[area]))]


def _as_list(requested):
    if requested is None:
        return []
    if isinstance(requested, str):
        requested = requested.split(',')
    items = []
    for item in requested:
        if item is None:
            continue
        item = str(item).strip().lower()
        if item:
            items.append(item)
    return items


def _split_requested(requested):
    """-> (included names, excluded names); raises ValueError on unknown names."""
    include, exclude, unknown = [], [], []
    for item in _as_list(requested):
        negate = item.startswith('!')
        name = item[1:].strip() if negate else item
        if name not in VALID_SUBSETS:
            unknown.append(item)
            continue
        (exclude if negate else include).append(name)
    if unknown:
        raise ValueError(
            'unknown gather_subset value(s): %s; valid values are: %s '
            "(prefix a name with '!' to exclude it)"
            % (', '.join(unknown), ', '.join(VALID_SUBSETS)))
    return include, exclude


def resolve_subsets(requested, device_info):
    """Turn a gather_subset-style list into the ordered list of areas to read.

    - ``all`` (or an empty list) means every area applicable to the device;
    - ``!name`` removes an area, ``!all`` removes everything not asked for
      explicitly; a list holding only exclusions starts from ``all``;
    - an area named explicitly is kept even if also excluded;
    - ``outlets``/``ups`` are dropped on devices they do not apply to.

    Raises ValueError for unknown names, listing the valid ones.
    """
    include, exclude = _split_requested(requested)
    applicable = applicable_areas(device_info)
    explicit = set(name for name in include if name != 'all')
    if 'all' in include or not include:
        wanted = set(applicable)
    else:
        wanted = set()
    wanted.update(explicit)
    removed = set()
    for name in exclude:
        if name == 'all':
            removed.update(AREAS)
        else:
            removed.add(name)
    wanted -= (removed - explicit)
    return [area for area in AREAS if area in wanted and area in applicable]


def _quote(value):
    value = str(value)
    if value == '' or any(ch.isspace() for ch in value):
        return '"%s"' % value
    return value


class _Reader:
    """Sends commands through ``run`` and applies the error policy."""

    def __init__(self, run, notes):
        self._run = run
        self.notes = notes

    def send(self, command):
        result = self._run(command)
        if not isinstance(result, CliResult):
            result = cli_parse.parse_result(result, command=command)
        return result

    def read(self, command, area=None):
        """Output of a successful read, None when unsupported (note added).

        Any other error result raises CliCommandError.
        """
        result = self.send(command)
        if result.ok:
            return result
        if result.code in UNSUPPORTED_CODES:
            self.note_unsupported(command, result)
            return None
        raise CliCommandError(command, result)

    def note_unsupported(self, command, result):
        message = result.message or cli_parse.RESULT_CODES.get(result.code, '')
        self.notes.append('%s: not supported by this firmware (%s: %s)'
                          % (command, result.code, message))


def _sub_reads(reader, commands):
    """{key: parsed} for (key, command, parser) triples; unsupported keys left out."""
    facts = {}
    for key, command, parser in commands:
        result = reader.read(command)
        if result is not None:
            facts[key] = parser(result)
    return facts


def _gather_network(reader, device_info):
    return _sub_reads(reader, (
        ('ipv4', 'tcpip', cli_parse.parse_tcpip),
        ('ipv6', 'tcpip6', cli_parse.parse_tcpip6),
    )) or None


def _single(command, parser):
    def gather(reader, device_info):
        result = reader.read(command)
        return None if result is None else parser(result)
    return gather


# AOS 5.x: the three fixed accounts of the ``user`` read, in the menu facts' shape.
_FIXED_ACCOUNTS = (('administrator', 'Administrator', 'Super User'),
                   ('device', 'Device Manager', 'Device'),
                   ('read_only', 'Read Only User', 'Read-Only'))


def _fixed_users(result):
    fixed = cli_parse.parse_user_fixed(result)
    users = []
    for key, account, user_type in _FIXED_ACCOUNTS:
        if fixed.get(key):
            # AOS 5.x cannot disable its fixed accounts
            users.append({'name': fixed[key], 'user_type': user_type, 'account': account,
                          'enabled': True, 'status': 'Enabled',
                          'session_timeout': fixed.get('session_timeout')})
    return users


def _gather_users(reader, device_info):
    result = reader.read('user')
    if result is None:
        return None
    listed = cli_parse.parse_user_list(result)
    if not listed:
        # AOS 5.x prints its three fixed accounts instead of a table (no 'user -n')
        return _fixed_users(result)
    users = []
    for entry in listed:
        command = 'user -n %s' % _quote(entry['name'])
        detail = reader.read(command)
        merged = dict(entry)
        if detail is not None:
            for key, value in cli_parse.parse_user_detail(detail).items():
                if key == 'user_name':
                    continue
                merged.setdefault(key, value)
        users.append(merged)
    return users


def _gather_services(reader, device_info):
    return _sub_reads(reader, (
        ('web', 'web', cli_parse.parse_web),
        ('console', 'console', cli_parse.parse_console),
        ('ftp', 'ftp', cli_parse.parse_ftp),
    )) or None


def _gather_snmp(reader, device_info):
    return _sub_reads(reader, (
        ('snmpv1', 'snmp', cli_parse.parse_snmp),
        ('snmpv3', 'snmpv3', cli_parse.parse_snmpv3),
    )) or None


def _gather_time(reader, device_info):
    return _sub_reads(reader, (
        ('date', 'date', cli_parse.parse_date),
        ('ntp', 'ntp', cli_parse.parse_ntp),
    )) or None


def merge_outlets(status, on_delay=None, off_delay=None, reboot_duration=None, names=None):
    """Merge per-outlet readings into a list sorted by outlet number.

    ``status`` is parse_outlet_status() output (list), the others are
    {number: seconds} / {number: name} dicts; missing readings are None.
    """
    by_number = {}
    for entry in status or ():
        by_number[entry['number']] = {
            'number': entry['number'], 'name': entry.get('name'),
            'state': entry.get('state'), 'pending': entry.get('pending'),
        }
    for source in (names, on_delay, off_delay, reboot_duration):
        for number in (source or {}):
            by_number.setdefault(number, {'number': number, 'name': None,
                                          'state': None, 'pending': None})
    outlets = []
    for number in sorted(by_number):
        entry = by_number[number]
        if entry['name'] is None and names:
            entry['name'] = names.get(number)
        entry['on_delay'] = (on_delay or {}).get(number)
        entry['off_delay'] = (off_delay or {}).get(number)
        entry['reboot_duration'] = (reboot_duration or {}).get(number)
        outlets.append(entry)
    return outlets


def _gather_outlets(reader, device_info):
    product = reader.read('prodInfo')
    status = reader.read('olStatus all')
    on_delay = reader.read('olOnDelay all')
    off_delay = reader.read('olOffDelay all')
    reboot = reader.read('olRbootTime all')
    facts = {}
    if product is not None:
        facts['pdu'] = cli_parse.parse_prodinfo(product)
    if any(r is not None for r in (status, on_delay, off_delay, reboot)):
        outlets = merge_outlets(
            cli_parse.parse_outlet_status(status) if status is not None else [],
            cli_parse.parse_outlet_times(on_delay) if on_delay is not None else None,
            cli_parse.parse_outlet_times(off_delay) if off_delay is not None else None,
            cli_parse.parse_outlet_times(reboot) if reboot is not None else None,
        )
        facts['outlets'] = outlets
        expected = (device_info or {}).get('outlet_count')
        if expected is None and 'pdu' in facts:
            expected = facts['pdu'].get('present_outlets')
        if isinstance(expected, int) and expected != len(outlets):
            reader.notes.append('outlets: the device reports %d outlets but %d were read'
                                % (expected, len(outlets)))
    return facts or None


def _gather_ups(reader, device_info):
    facts = {}
    about = reader.read('upsabout')
    if about is not None:
        facts['about'] = cli_parse.parse_upsabout(about)
    detstatus = reader.send('detstatus -all')
    if detstatus.ok:
        facts['status'] = cli_parse.parse_detstatus(detstatus)
    else:
        reader.notes.append('detstatus -all: failed (%s: %s), read ups -st instead'
                            % (detstatus.code, detstatus.message))
        state = reader.read('ups -st')
        if state is not None:
            facts['status'] = cli_parse.parse_ups_state(state)
    return facts or None


_GATHERERS = {
    'network': _gather_network,
    'boot': _single('boot', cli_parse.parse_boot),
    'dns': _single('dns', cli_parse.parse_dns),
    'identity': _single('system', cli_parse.parse_system),
    'users': _gather_users,
    'services': _gather_services,
    'snmp': _gather_snmp,
    'time': _gather_time,
    'outlets': _gather_outlets,
    'ups': _gather_ups,
}

# Areas whose gatherer returns a dict of top-level fact keys rather than
# the value of the area key itself.
_MULTI_KEY_AREAS = frozenset(('outlets',))


def gather_cli_facts(run, subsets, device_info):
    """Read the requested areas through ``run`` and return ``(facts, notes)``.

    ``run(command) -> CliResult`` sends one command.  ``subsets`` is a
    gather_subset-style list (see :func:`resolve_subsets`).  ``device_info``
    holds model, outlet_count, is_pdu, is_ups and firmware.

    facts keys (when gathered and supported):
      network: {'ipv4': parse_tcpip, 'ipv6': parse_tcpip6}
      boot: parse_boot; dns: parse_dns; identity: parse_system
      users: [list entry merged with 'user -n' detail]
      services: {'web', 'console', 'ftp'}
      snmp: {'snmpv1': parse_snmp, 'snmpv3': parse_snmpv3}
      time: {'date': parse_date, 'ntp': parse_ntp}
      outlets: [{number, name, state, pending, on_delay, off_delay, reboot_duration}]
      pdu: parse_prodinfo (read with the outlets area)
      ups: {'about': parse_upsabout, 'status': parse_detstatus or parse_ups_state}

    A command answered with E101/E102 leaves its key out and adds a note;
    any other error result raises CliCommandError.
    """
    notes = []
    areas = resolve_subsets(subsets, device_info)
    include, _exclude = _split_requested(subsets)
    for name in include:
        if name in DEVICE_AREAS and name not in areas:
            kind = 'Rack PDU' if name == 'outlets' else 'UPS'
            notes.append('%s: skipped, the device is not a %s' % (name, kind))
    reader = _Reader(run, notes)
    facts = {}
    for area in areas:
        value = _GATHERERS[area](reader, device_info)
        if value is None:
            continue
        if area in _MULTI_KEY_AREAS:
            facts.update(value)
        else:
            facts[area] = value
    return facts, notes
