# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/cli_facts.py (fake console backed by fixtures)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import cli_facts as cf
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import (
    CliCommandError,
    parse_result,
)

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'cli')

E101 = 'E101: Command Not Found\n'

UPS = {'model': 'AP9630', 'outlet_count': None, 'is_pdu': False, 'is_ups': True,
       'firmware': {'aos': 'v6.9.6', 'app': 'v6.9.6'}}
PDU = {'model': 'AP7920B', 'outlet_count': 8, 'is_pdu': True, 'is_ups': False,
       'firmware': {'aos': 'v6.9.6', 'app': 'v6.9.6'}}

UPS_AREAS = ['network', 'boot', 'dns', 'identity', 'users', 'services', 'snmp', 'time', 'ups']
PDU_AREAS = ['network', 'boot', 'dns', 'identity', 'users', 'services', 'snmp', 'time',
             'outlets']


def load(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as handle:
        return handle.read()


COMMON = {
    'tcpip': 'tcpip_aos696.txt',
    'tcpip6': 'tcpip6_aos696.txt',
    'boot': 'boot.txt',
    'dns': 'dns.txt',
    'system': 'system_aos696.txt',
    'user': 'user_list.txt',
    'user -n apc': 'user_n_apc.txt',
    'user -n device': 'user_n_apc.txt',
    'user -n readonly': 'user_n_apc.txt',
    'web': 'web_aos6.txt',
    'console': 'console_aos696.txt',
    'ftp': 'ftp.txt',
    'snmp': 'snmp.txt',
    'snmpv3': 'e101_real.txt',
    'date': 'date.txt',
    'ntp': 'ntp.txt',
}
UPS_COMMANDS = dict(COMMON, **{
    'upsabout': 'upsabout.txt',
    'detstatus -all': 'detstatus_all.txt',
    'ups -st': 'ups_st.txt',
})
PDU_COMMANDS = dict(COMMON, **{
    'prodInfo': 'prodinfo.txt',
    'olStatus all': 'olstatus_all_8.txt',
    'olOnDelay all': 'olondelay_all_8.txt',
    'olOffDelay all': 'oloffdelay_all_8.txt',
    'olRbootTime all': 'olrboottime_all_8.txt',
})


class FakeConsole:
    """run(command) -> CliResult from a {command: fixture name or raw text} table."""

    def __init__(self, table, raw=False):
        self.table = table
        self.raw = raw
        self.sent = []

    def _text(self, command):
        entry = self.table.get(command)
        if entry is None:
            return E101
        if entry.endswith('.txt') and '\n' not in entry:
            return load(entry)
        return entry

    def __call__(self, command):
        self.sent.append(command)
        text = self._text(command)
        return text if self.raw else parse_result(text, command=command)


# ---------------------------------------------------------------------------
# subset resolution
# ---------------------------------------------------------------------------

class TestResolveSubsets:

    def test_all_depends_on_device(self):
        assert cf.resolve_subsets(['all'], UPS) == UPS_AREAS
        assert cf.resolve_subsets(['all'], PDU) == PDU_AREAS

    def test_empty_means_all(self):
        assert cf.resolve_subsets([], UPS) == UPS_AREAS
        assert cf.resolve_subsets(None, PDU) == PDU_AREAS

    def test_negation(self):
        assert cf.resolve_subsets(['!snmp'], UPS) == [a for a in UPS_AREAS if a != 'snmp']
        assert cf.resolve_subsets(['all', '!snmp', '!users'], PDU) == \
            [a for a in PDU_AREAS if a not in ('snmp', 'users')]

    def test_not_all_plus_explicit(self):
        assert cf.resolve_subsets(['!all', 'network', 'dns'], UPS) == ['network', 'dns']
        assert cf.resolve_subsets(['!all'], UPS) == []

    def test_explicit_wins_over_exclusion(self):
        assert cf.resolve_subsets(['network', '!network'], UPS) == ['network']

    def test_explicit_only(self):
        assert cf.resolve_subsets(['time', 'network'], UPS) == ['network', 'time']

    def test_device_specific_areas(self):
        assert cf.resolve_subsets(['outlets'], UPS) == []
        assert cf.resolve_subsets(['ups'], PDU) == []
        assert cf.resolve_subsets(['outlets', 'ups'], PDU) == ['outlets']
        assert cf.resolve_subsets(['all'], {}) == [a for a in UPS_AREAS if a != 'ups']

    def test_string_and_case(self):
        assert cf.resolve_subsets('Network, !DNS', UPS) == ['network']
        assert cf.resolve_subsets(' all , !ups', UPS) == UPS_AREAS[:-1]

    def test_unknown_names(self):
        with pytest.raises(ValueError) as err:
            cf.resolve_subsets(['network', 'hardware', '!bogus'], UPS)
        message = str(err.value)
        assert 'hardware' in message and '!bogus' in message
        for name in cf.VALID_SUBSETS:
            assert name in message

    def test_data_tables(self):
        assert set(cf.VALID_SUBSETS) == set(cf.AREA_COMMANDS) | {'all'}
        assert cf.AREA_COMMANDS['network'] == ('tcpip', 'tcpip6')
        assert cf.AREA_COMMANDS['services'] == ('web', 'console', 'ftp')
        assert 'olStatus all' in cf.AREA_COMMANDS['outlets']
        assert 'detstatus -all' in cf.AREA_COMMANDS['ups']


# ---------------------------------------------------------------------------
# gathering
# ---------------------------------------------------------------------------

class TestGatherUps:

    def test_all_on_ups(self):
        console = FakeConsole(UPS_COMMANDS)
        facts, notes = cf.gather_cli_facts(console, ['all'], UPS)
        assert set(facts) == set(UPS_AREAS)
        json.dumps(facts)
        assert facts['network']['ipv4']['active']['ipv4_address'] == '192.168.254.32'
        assert facts['network']['ipv4']['mac_address'] == '00:C0:B7:99:43:CD'
        assert facts['network']['ipv6']['ipv6_enabled'] is False
        assert facts['boot']['boot_mode'] == 'dhcp'
        assert facts['dns']['active']['primary'] == '192.168.254.1'
        assert facts['identity']['name'] == 'apc1500'
        assert facts['services']['web']['https_enabled'] is True
        assert facts['services']['console']['ssh_enabled'] is True
        assert facts['services']['ftp'] == {'enabled': True, 'port': 21}
        assert facts['time']['date']['time_zone'] == '+05:00'
        assert facts['time']['ntp']['override'] is False
        assert facts['ups']['about']['model'] == 'Smart-UPS 1500'
        assert facts['ups']['status']['runtime_remaining_minutes'] == 215
        assert 'ups -st' not in console.sent
        assert not any(c.startswith('ol') or c == 'prodInfo' for c in console.sent)

    def test_e101_leaves_key_out_with_note(self):
        facts, notes = cf.gather_cli_facts(FakeConsole(UPS_COMMANDS), ['snmp'], UPS)
        assert facts == {'snmp': {'snmpv1': facts['snmp']['snmpv1']}}
        assert 'snmpv3' not in facts['snmp']
        assert facts['snmp']['snmpv1']['communities'][0]['community'] == 'public'
        assert notes == ['snmpv3: not supported by this firmware (E101: Command Not Found)']

    def test_single_command_area_unsupported(self):
        table = dict(UPS_COMMANDS, dns='e101_guide.txt')
        facts, notes = cf.gather_cli_facts(FakeConsole(table), ['dns', 'boot'], UPS)
        assert 'dns' not in facts and 'boot' in facts
        assert notes == ['dns: not supported by this firmware (E101: Command not found)']

    def test_e102_is_unsupported_too(self):
        table = dict(UPS_COMMANDS, ftp='ledblink_e102.txt')
        facts, notes = cf.gather_cli_facts(FakeConsole(table), ['services'], UPS)
        assert set(facts['services']) == {'web', 'console'}
        assert notes[0].startswith('ftp: not supported by this firmware (E102: Parameter Error)')

    def test_other_errors_raise(self):
        table = dict(UPS_COMMANDS, user='e104.txt')
        with pytest.raises(CliCommandError) as err:
            cf.gather_cli_facts(FakeConsole(table), ['users'], UPS)
        assert err.value.command == 'user'
        assert err.value.result.code == 'E104'
        assert 'E104' in str(err.value) and 'User Level Denial' in str(err.value)

    def test_users_list_and_details(self):
        console = FakeConsole(UPS_COMMANDS)
        facts, notes = cf.gather_cli_facts(console, ['users'], UPS)
        assert console.sent == ['user', 'user -n apc', 'user -n device', 'user -n readonly']
        users = facts['users']
        assert [u['name'] for u in users] == ['apc', 'device', 'readonly']
        assert users[0]['user_type'] == 'Super User'
        assert users[0]['enabled'] is True
        assert users[0]['permission'] == 'Super User'
        assert users[0]['session_timeout'] == 3
        assert users[1]['enabled'] is False
        assert all('password' not in u for u in users)
        assert notes == []

    def test_users_on_aos5_are_the_three_fixed_accounts(self):
        table = dict(UPS_COMMANDS, user='user_fixed_aos5.txt')
        console = FakeConsole(table)
        facts, notes = cf.gather_cli_facts(console, ['users'], UPS)
        assert console.sent == ['user']
        assert facts['users'] == [
            {'name': 'apc', 'user_type': 'Super User', 'account': 'Administrator',
             'enabled': True, 'status': 'Enabled', 'session_timeout': 3},
            {'name': 'device', 'user_type': 'Device', 'account': 'Device Manager',
             'enabled': True, 'status': 'Enabled', 'session_timeout': 3},
            {'name': 'readonly', 'user_type': 'Read-Only', 'account': 'Read Only User',
             'enabled': True, 'status': 'Enabled', 'session_timeout': 3},
        ]
        assert notes == []

    def test_user_names_with_spaces_are_quoted(self):
        listing = ('E000: Success\nName                    User Type                      Status\n'
                   '----                    ---------                      ------\n'
                   'ops team                Network-Only                   Enabled\n')
        table = dict(UPS_COMMANDS, user=listing)
        table['user -n "ops team"'] = 'user_n_apc.txt'
        console = FakeConsole(table)
        facts, notes = cf.gather_cli_facts(console, ['users'], UPS)
        assert console.sent == ['user', 'user -n "ops team"']
        assert facts['users'][0]['name'] == 'ops team'
        assert facts['users'][0]['permission'] == 'Super User'

    def test_user_detail_unsupported_keeps_list_entry(self):
        table = dict(UPS_COMMANDS)
        del table['user -n device']
        facts, notes = cf.gather_cli_facts(FakeConsole(table), ['users'], UPS)
        assert facts['users'][1] == {'name': 'device', 'user_type': 'Device',
                                     'enabled': False, 'status': 'Disabled'}
        assert notes == ['user -n device: not supported by this firmware '
                         '(E101: Command Not Found)']

    def test_detstatus_falls_back_to_ups_st(self):
        table = dict(UPS_COMMANDS)
        del table['detstatus -all']
        console = FakeConsole(table)
        facts, notes = cf.gather_cli_facts(console, ['ups'], UPS)
        assert console.sent == ['upsabout', 'detstatus -all', 'ups -st']
        assert facts['ups']['status'] == {'state': 'On Line', 'alarms': 'No Alarms Present',
                                          'on_battery': False}
        assert any(note.startswith('detstatus -all') for note in notes)

    def test_outlets_requested_on_ups_is_noted(self):
        console = FakeConsole(UPS_COMMANDS)
        facts, notes = cf.gather_cli_facts(console, ['outlets', 'boot'], UPS)
        assert set(facts) == {'boot'}
        assert console.sent == ['boot']
        assert notes == ['outlets: skipped, the device is not a Rack PDU']

    def test_negation_skips_commands(self):
        console = FakeConsole(UPS_COMMANDS)
        facts, _notes = cf.gather_cli_facts(console, ['!snmp', '!users'], UPS)
        assert 'snmp' not in facts and 'users' not in facts
        assert 'snmp' not in console.sent and 'snmpv3' not in console.sent
        assert 'user' not in console.sent

    def test_run_returning_raw_text(self):
        facts, notes = cf.gather_cli_facts(FakeConsole(UPS_COMMANDS, raw=True), ['snmp', 'time'],
                                           UPS)
        assert facts['time']['date']['date'] == '2021-08-18'
        assert len(notes) == 1

    def test_unknown_subset_raises(self):
        with pytest.raises(ValueError):
            cf.gather_cli_facts(FakeConsole(UPS_COMMANDS), ['nope'], UPS)


class TestGatherPdu:

    def test_outlet_merge_8_outlets(self):
        console = FakeConsole(PDU_COMMANDS)
        facts, notes = cf.gather_cli_facts(console, ['outlets'], PDU)
        assert console.sent == ['prodInfo', 'olStatus all', 'olOnDelay all', 'olOffDelay all',
                                'olRbootTime all']
        assert notes == []
        assert facts['pdu']['model'] == 'AP7920B'
        assert facts['pdu']['present_outlets'] == 8
        outlets = facts['outlets']
        assert [o['number'] for o in outlets] == list(range(1, 9))
        assert outlets[0] == {'number': 1, 'name': 'Outlet 1', 'state': 'on', 'pending': False,
                              'on_delay': 0, 'off_delay': 0, 'reboot_duration': 5}
        assert outlets[1] == {'number': 2, 'name': 'Core Switch', 'state': 'on',
                              'pending': False, 'on_delay': 15, 'off_delay': 0,
                              'reboot_duration': 10}
        assert outlets[2]['off_delay'] == -1
        assert outlets[3]['name'] == 'NAS: backup' and outlets[3]['state'] == 'off'
        assert outlets[6]['name'] == 'Lab Router' and outlets[6]['pending'] is True
        assert outlets[7]['on_delay'] == -1
        json.dumps(facts)

    def test_all_on_pdu(self):
        console = FakeConsole(PDU_COMMANDS)
        facts, notes = cf.gather_cli_facts(console, ['all'], PDU)
        assert set(facts) == set(PDU_AREAS) | {'pdu'}
        assert 'ups' not in facts
        assert not any(c in console.sent for c in ('upsabout', 'detstatus -all', 'ups -st'))

    def test_delay_command_unsupported(self):
        table = dict(PDU_COMMANDS)
        del table['olRbootTime all']
        facts, notes = cf.gather_cli_facts(FakeConsole(table), ['outlets'], PDU)
        assert all(o['reboot_duration'] is None for o in facts['outlets'])
        assert facts['outlets'][1]['on_delay'] == 15
        assert notes == ['olRbootTime all: not supported by this firmware '
                         '(E101: Command Not Found)']

    def test_outlet_count_mismatch_noted(self):
        info = dict(PDU, outlet_count=24)
        facts, notes = cf.gather_cli_facts(FakeConsole(PDU_COMMANDS), ['outlets'], info)
        assert len(facts['outlets']) == 8
        assert notes == ['outlets: the device reports 24 outlets but 8 were read']

    def test_outlets_all_unsupported(self):
        facts, notes = cf.gather_cli_facts(FakeConsole(COMMON), ['outlets'], PDU)
        assert facts == {}
        assert len(notes) == 5

    def test_merge_outlets_helper(self):
        merged = cf.merge_outlets(
            [{'number': 2, 'name': 'b', 'state': 'off', 'pending': False}],
            on_delay={1: 5, 2: -1}, names={1: 'a'})
        assert merged == [
            {'number': 1, 'name': 'a', 'state': None, 'pending': None, 'on_delay': 5,
             'off_delay': None, 'reboot_duration': None},
            {'number': 2, 'name': 'b', 'state': 'off', 'pending': False, 'on_delay': -1,
             'off_delay': None, 'reboot_duration': None},
        ]
