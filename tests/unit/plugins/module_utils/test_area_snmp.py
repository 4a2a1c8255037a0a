# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SNMP planner: recorded ``snmp``/``snmpv3`` text + wanted state -> commands.

snmp.txt and snmpv3.txt are the simulator's documented guess of the read format (no public
capture exists); snmpv3_four_profiles.txt is the same layout with four profiles and the
protocols in capitals, as some firmware prints them.
"""

from __future__ import annotations

import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import area_snmp as snmp
from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError, SettingsError

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'cli')
AUTH = 'Canary-Auth-Pass-123'
PRIV = 'Canary-Priv-Pass-456'


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


class FakeConsole:
    """Answers reads from recorded text, records every other command with its secrets."""

    def __init__(self, reads, answers=None):
        self.reads = dict(reads)
        self.answers = answers or {}
        self.sent = []

    def read(self, command, verify=False):  # pylint: disable=unused-argument
        return self.run(command)

    def run(self, command, confirm=False, secrets=None, login_password_from=None, timeout=None):
        if command in self.reads:
            result = cli_parse.parse_result(self.reads[command], command)
        else:
            self.sent.append((command, dict(secrets or {})))
            result = cli_parse.parse_result(self.answers.get(command, 'E000: Success'))
        result.raw = {'ok': result.ok}
        return result


READS = {'snmp': fixture('snmp.txt'), 'snmpv3': fixture('snmpv3_four_profiles.txt')}


def planned(params, reads=None):
    wanted = snmp.validate(params)
    console = FakeConsole(reads or READS)
    result = snmp.ensure(console, wanted, check_mode=True)
    assert console.sent == []        # check mode: reads only
    return result


def test_same_values_plan_nothing():
    result = planned({
        'snmpv1_enabled': True,
        'communities': [{'index': 1, 'community': 'public', 'access': 'read', 'nms': '0.0.0.0'},
                        {'index': 4, 'community': 'ops', 'access': 'writeplus',
                         'nms': 'NMS.example.com'}],
        'snmpv3_enabled': True,
        'snmpv3_users': [{'index': 1, 'user_name': 'nagios', 'auth_protocol': 'sha',
                          'priv_protocol': 'aes', 'auth_passphrase': AUTH, 'priv_passphrase': PRIV}],
        'snmpv3_access': [{'index': 1, 'enabled': True, 'user_name': 'nagios', 'nms': '192.0.2.5'}],
    })
    assert result['changed'] is False and result['commands'] == []
    assert result['diff']['before'] == result['diff']['after']


def test_one_command_per_entry_then_the_switch():
    result = planned({
        'snmpv1_enabled': False,
        'communities': [{'index': 2, 'community': 'monitor', 'access': 'read', 'nms': '192.0.2.5'},
                        {'index': 1, 'access': 'read'},
                        {'index': 3, 'community': 'two words'}],
    })
    assert result['commands'] == ['snmp -c2 monitor -a2 read -n2 192.0.2.5',
                                  'snmp -c3 "two words"',
                                  'snmp -S disable']
    assert result['diff']['before']['communities'][1] == {'index': 2, 'community': 'private',
                                                          'access': 'write', 'nms': '10.0.0.5'}
    assert result['diff']['after']['snmpv1_enabled'] is False


def test_only_snmp_is_read_for_v1_options():
    console = FakeConsole({'snmp': fixture('snmp.txt')})
    snmp.ensure(console, snmp.validate({'snmpv1_enabled': True}), check_mode=True)
    # reading snmpv3 would have been "sent" (no recorded answer)
    assert console.sent == []


def test_passphrases_on_change_are_sent_with_a_profile_change_as_placeholders():
    wanted = snmp.validate({'snmpv3_users': [
        {'index': 2, 'user_name': 'zabbix', 'auth_protocol': 'md5', 'auth_passphrase': AUTH,
         'priv_protocol': 'des', 'priv_passphrase': PRIV}]})
    current = snmp.read_current(snmp.Reader(FakeConsole(READS)), wanted)
    commands, _before, after, warnings = snmp.plan(current, wanted)
    assert [c.display() for c in commands] == [
        'snmpv3 -u2 zabbix -ap2 md5 -a2 ******** -pp2 des -c2 ********']
    text, secrets = commands[0].template()
    assert text == ('snmpv3 -u2 zabbix -ap2 md5 -a2 <<snmpv3_auth_passphrase_2>> -pp2 des '
                    '-c2 <<snmpv3_priv_passphrase_2>>')
    assert secrets == {'snmpv3_auth_passphrase_2': AUTH, 'snmpv3_priv_passphrase_2': PRIV}
    assert after['snmpv3_users'] == [{'index': 2, 'user_name': 'zabbix', 'auth_protocol': 'md5',
                                      'priv_protocol': 'des', 'auth_passphrase': '********',
                                      'priv_passphrase': '********'}]
    assert warnings == []
    result = planned({'snmpv3_users': [{'index': 2, 'user_name': 'zabbix', 'auth_passphrase': AUTH,
                                        'priv_passphrase': PRIV}]})
    assert AUTH not in repr(result) and PRIV not in repr(result)


def test_passphrases_on_change_without_a_change_send_nothing():
    result = planned({'snmpv3_users': [{'index': 1, 'user_name': 'nagios', 'auth_passphrase': AUTH}]})
    assert result['commands'] == []
    assert 'auth_passphrase' not in result['diff']['after']['snmpv3_users'][0]


def test_passphrases_always_are_sent_every_time():
    result = planned({'snmpv3_users': [{'index': 1, 'user_name': 'nagios', 'auth_passphrase': AUTH}],
                      'update_passphrases': 'always'})
    assert result['changed'] is True
    assert result['commands'] == ['snmpv3 -a1 ********']


def test_a_profile_change_without_its_passphrase_warns():
    result = planned({'snmpv3_users': [{'index': 3, 'user_name': 'ops', 'auth_protocol': 'sha'}]})
    assert result['commands'] == ['snmpv3 -u3 ops -ap3 sha']
    assert any('no auth_passphrase' in w for w in result['warnings'])


def test_access_entries_follow_the_profiles_they_name():
    result = planned({
        'snmpv3_enabled': True,
        'snmpv3_users': [{'index': 2, 'user_name': 'zabbix'}],
        'snmpv3_access': [{'index': 2, 'enabled': True, 'user_name': 'zabbix', 'nms': '2001:DB8::5'}],
    }, reads={'snmpv3': fixture('snmpv3.txt')})
    assert result['commands'] == ['snmpv3 -u2 zabbix',
                                  'snmpv3 -ac2 enable -au2 zabbix -n2 2001:db8::5',
                                  'snmpv3 -S enable']


def test_access_naming_an_unknown_profile_is_refused_before_anything_is_sent():
    console = FakeConsole(READS)
    wanted = snmp.validate({'snmpv3_access': [{'index': 2, 'user_name': 'nobody'}]})
    with pytest.raises(SettingsError, match="names user 'nobody', but no SNMPv3 user profile"):
        snmp.ensure(console, wanted)
    assert console.sent == []


def test_disabling_v1_reboot_flag_and_verification():
    after = fixture('snmp.txt').replace('SNMPv1:                 enabled', 'SNMPv1:                 disabled')

    class Switching(FakeConsole):
        def run(self, command, **kwargs):
            result = FakeConsole.run(self, command, **kwargs)
            if command == 'snmp -S disable':
                self.reads['snmp'] = after
            return result

    console = Switching(READS, answers={'snmp -S disable': fixture('snmp_s_disable_e002.txt')})
    result = snmp.ensure(console, snmp.validate({'snmpv1_enabled': False}))
    assert result['reboot_required'] is True and result['commands'] == ['snmp -S disable']


def test_a_value_that_does_not_read_back_fails_the_task():
    console = FakeConsole(READS)
    with pytest.raises(ApplyError, match='reads back differently: communities index 1 community'):
        snmp.ensure(console, snmp.validate({'communities': [{'index': 1, 'community': 'other'}]}))


@pytest.mark.parametrize('params, message', [
    ({'communities': [{'index': 1, 'community': 'c' * 16}]}, 'the device takes at most 15'),
    ({'communities': [{'index': 1, 'community': ''}]}, 'must not be empty'),
    ({'communities': [{'index': 1, 'community': 'say "hi"'}]}, 'double quotes'),
    ({'communities': [{'index': 1, 'community': '-S'}]}, 'must not start with "-"'),
    ({'communities': [{'index': 1, 'community': 'caf\u00e9'}]}, 'printable ASCII'),
    ({'communities': [{'index': 5, 'community': 'x'}]}, 'between 1 and 4'),
    ({'communities': [{'community': 'x'}]}, 'needs an index'),
    ({'communities': [{'index': 2, 'access': 'read'}, {'index': 2, 'access': 'write'}]},
     'index 2 is listed more than once'),
    ({'communities': [{'index': 1, 'access': 'full'}]}, 'must be one of read, write'),
    ({'communities': [{'index': 1, 'nms': 'bad host!'}]}, 'not a valid host name'),
    ({'snmpv3_users': [{'index': 1, 'auth_passphrase': 'short'}]}, 'passphrases of 15 to 32'),
    ({'snmpv3_users': [{'index': 1, 'priv_passphrase': 'p' * 33}]}, 'passphrases of 15 to 32'),
    ({'snmpv3_users': [{'index': 1, 'auth_protocol': 'none', 'priv_protocol': 'aes'}]},
     'privacy (aes) needs authentication'),
    ({'snmpv3_users': [{'index': 1, 'user_name': 'u' * 33}]}, 'the device takes at most 32'),
    ({'snmpv3_access': [{'index': 1, 'nms': 'bad_host'}]}, 'not a valid host name'),
    ({'snmpv3_access': [{'index': i} for i in (1, 2, 3, 4, 1)]}, 'has 5 entries'),
    ({'snmpv1_enabled': 'yes'}, 'must be true or false'),
])
def test_bad_input_is_refused_before_the_console(params, message):
    with pytest.raises(SettingsError) as caught:
        snmp.validate(params)
    assert message in str(caught.value)


def test_a_refused_passphrase_is_not_repeated_in_the_message():
    with pytest.raises(SettingsError) as caught:
        snmp.validate({'snmpv3_users': [{'index': 1, 'auth_passphrase': 'Secret"Quote-1234'}]})
    assert 'Secret' not in str(caught.value)


def test_privacy_without_authentication_against_the_card_is_refused():
    # profile 2 has authentication none on the card
    with pytest.raises(SettingsError, match='privacy needs authentication'):
        planned({'snmpv3_users': [{'index': 2, 'priv_protocol': 'aes'}]})
