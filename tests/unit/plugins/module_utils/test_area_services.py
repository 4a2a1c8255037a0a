# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Services planner: recorded ``web``/``console``/``ftp`` text + wanted state -> commands,
in the 6.x forms and the AOS 5.x ``-S`` forms.

console_aos696.txt, console_aos5.txt, web_aos5.txt and ftp.txt are verbatim captures;
web_aos6.txt is the documented 6.x guess; web_aos5_https.txt and console_aos5_ssh.txt are the
captured 5.x layouts with another service selected.
"""

from __future__ import annotations

import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import area_services as svc
from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError, SettingsError

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'cli')
INFO_6 = {'model': 'Smart-UPS 1500', 'card_model': 'AP9630', 'firmware': {'aos': 'v6.9.6'}}
INFO_5 = {'model': 'Smart-UPS 1500', 'card_model': 'AP9630', 'firmware': {'aos': 'v5.1.7'}}


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


class FakeConsole:
    def __init__(self, reads, answers=None, after=None):
        self.reads = dict(reads)
        self.answers = answers or {}
        self.after = after or {}       # command sent -> reads that change with it
        self.sent = []

    def read(self, command, verify=False):  # pylint: disable=unused-argument
        return self.run(command)

    def run(self, command, confirm=False, secrets=None, login_password_from=None, timeout=None,
            end_on_result=False):
        self.ended_on_result = getattr(self, 'ended_on_result', []) + ([command] if end_on_result else [])
        if command in self.reads:
            result = cli_parse.parse_result(self.reads[command], command)
        else:
            self.sent.append(command)
            result = cli_parse.parse_result(self.answers.get(command, 'E000: Success'))
            self.reads.update(self.after.get(command, {}))
        result.raw = {'ok': result.ok}
        return result


READS_6 = {'web': fixture('web_aos6.txt'), 'console': fixture('console_aos696.txt'),
           'ftp': fixture('ftp.txt')}
READS_5 = {'web': fixture('web_aos5.txt'), 'console': fixture('console_aos5.txt'),
           'ftp': fixture('ftp.txt')}


def planned(params, info=None, reads=None, allow_baud=False):
    info = info or INFO_6
    console = FakeConsole(reads or READS_6)
    result = svc.ensure(console, params, info, check_mode=True, allow_baud=allow_baud)
    assert console.sent == []
    return result


def test_same_values_plan_nothing():
    result = planned({'http_enabled': False, 'https_enabled': True, 'https_port': 5443,
                      'telnet_enabled': True, 'ssh_enabled': True, 'console_baud_rate': 9600,
                      'ftp_enabled': True, 'ftp_port': 21})
    assert result['commands'] == [] and result['changed'] is False
    assert result['diff']['before'] == result['diff']['after']


def test_six_x_forms_one_command_per_area():
    result = planned({'http_enabled': True, 'https_enabled': False, 'http_port': 5080,
                      'telnet_enabled': False, 'ssh_port': 5022, 'ftp_enabled': False,
                      'ftp_port': 5021})
    assert result['commands'] == ['web -h enable -s disable -ph 5080',
                                  'console -t disable -ps 5022',
                                  'ftp -S disable -p 5021']


def test_reboot_and_next_steps_after_apply():
    console = FakeConsole(READS_6, answers={'web -h enable': fixture('web_set_e002.txt')},
                          after={'web -h enable': {'web': fixture('web_aos6.txt').replace(
                              'Http:                   disabled', 'Http:                   enabled')}})
    result = svc.ensure(console, {'http_enabled': True}, INFO_6)
    assert console.sent == ['web -h enable']
    assert result['reboot_required'] is True
    assert 'reboot the management card' in result['next_steps'][0]


def test_value_not_read_back_fails():
    console = FakeConsole(READS_6)
    with pytest.raises(ApplyError, match='http_enabled is False'):
        svc.ensure(console, {'http_enabled': True}, INFO_6)


def test_aos5_forms_turn_the_pair_into_one_word():
    # web_aos5: Service http; console_aos5: Service disabled
    result = planned({'https_enabled': True, 'https_port': 5443, 'ssh_enabled': True},
                     info=INFO_5, reads=READS_5)
    assert result['commands'] == ['web -S https -ps 5443', 'console -S ssh']
    # enabling https turned http off: the diff says so
    assert result['diff']['before']['http_enabled'] is True
    assert result['diff']['after'] == {'https_enabled': True, 'https_port': 5443, 'ssh_enabled': True,
                                       'http_enabled': False, 'telnet_enabled': False}


def test_aos5_disable_and_no_change():
    assert planned({'http_enabled': False}, info=INFO_5, reads=READS_5)['commands'] == ['web -S disable']
    assert planned({'http_enabled': True, 'https_enabled': False, 'telnet_enabled': False,
                    'ssh_enabled': False}, info=INFO_5, reads=READS_5)['commands'] == []
    # https wanted off while the card serves http: nothing to do
    assert planned({'https_enabled': False}, info=INFO_5, reads=READS_5)['commands'] == []
    reads = dict(READS_5, web=fixture('web_aos5_https.txt'), console=fixture('console_aos5_ssh.txt'))
    assert planned({'http_enabled': True, 'telnet_enabled': True, 'telnet_port': 5023},
                   info=INFO_5, reads=reads)['commands'] == ['web -S http', 'console -S telnet -pt 5023']


def test_aos5_both_of_a_pair_is_refused_naming_the_firmware():
    with pytest.raises(SettingsError) as caught:
        planned({'http_enabled': True, 'https_enabled': True}, info=INFO_5, reads=READS_5)
    assert 'v5.1.7 (aos5)' in str(caught.value) and 'one of them at a time' in str(caught.value)
    with pytest.raises(SettingsError, match='telnet_enabled and ssh_enabled cannot both be true'):
        planned({'telnet_enabled': True, 'ssh_enabled': True}, info=INFO_5, reads=READS_5)


def test_baud_change_is_refused_unless_allowed():
    with pytest.raises(SettingsError) as caught:
        planned({'console_baud_rate': 19200, 'telnet_enabled': False})
    assert 'allow_console_baud_change: true' in str(caught.value)
    assert 'ansible_serial_baud_rate: 19200' in str(caught.value)


def test_allowed_baud_change_is_last_alone_and_not_read_back():
    console = FakeConsole(READS_6, after={'console -t disable': {'console': fixture(
        'console_aos696.txt').replace('Telnet:      enabled', 'Telnet:      disabled')}})
    result = svc.ensure(console, {'console_baud_rate': 19200, 'telnet_enabled': False}, INFO_6,
                        allow_baud=True)
    assert result['commands'] == ['console -t disable', 'console -b 19200']
    assert console.sent == ['console -t disable', 'console -b 19200']
    assert any('ansible_serial_baud_rate: 19200' in s for s in result['next_steps'])
    assert any('reset_connection' in w for w in result['warnings'])


@pytest.mark.parametrize('params, message', [
    ({'http_port': 81}, 'http_port must be 80 or between 5000 and 32768'),
    ({'https_port': 4430}, 'https_port must be 443 or between 5000 and 32768'),
    ({'telnet_port': 32769}, 'telnet_port must be 23'),
    ({'ssh_port': 2222}, 'ssh_port must be 22'),
    ({'ftp_port': 5000}, 'ftp_port must be 21 or between 5001 and 32768'),
    ({'console_baud_rate': 115200}, 'console_baud_rate must be one of 2400, 9600, 19200, 38400'),
    ({'http_port': 5000, 'https_port': 5000}, 'http_port and https_port would both use port 5000'),
    ({'telnet_enabled': 'yes'}, 'must be true or false'),
])
def test_bad_input_is_refused_before_the_console(params, message):
    with pytest.raises(SettingsError) as caught:
        svc.SERVICES.validate(params)
    assert message in str(caught.value)


def test_a_port_taken_by_a_service_the_card_has_is_refused():
    # web_aos6 has https on 5443
    with pytest.raises(SettingsError, match='http_port and https_port would both use port 5443'):
        planned({'http_port': 5443})


def test_baud_change_ends_at_its_result_line():
    # the prompt after 'console -b' comes at the new speed: the command must end on its
    # E000 line, read at the old speed, and a silent card is a failure, not a success
    from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure

    console = FakeConsole(READS_6)
    result = svc.ensure(console, {'console_baud_rate': 38400}, INFO_6, allow_baud=True)
    assert console.ended_on_result == ['console -b 38400']
    assert result['changed'] is True and result['reboot_required'] is False
    assert 'ansible_serial_baud_rate: 38400' in result['next_steps'][0]

    class Silent(FakeConsole):
        def run(self, command, **kwargs):
            if command == 'console -b 38400':
                raise ConsoleFailure("no prompt after 'console -b 38400' within 30 s", 'timeout')
            return FakeConsole.run(self, command, **kwargs)

    with pytest.raises(ConsoleFailure):
        svc.ensure(Silent(READS_6), {'console_baud_rate': 38400}, INFO_6, allow_baud=True)


def test_baud_change_refused_by_the_card_fails():
    console = FakeConsole(READS_6, answers={'console -b 2400': 'E102: Parameter Error'})
    with pytest.raises(ApplyError, match="refused 'console -b 2400'"):
        svc.ensure(console, {'console_baud_rate': 2400}, INFO_6, allow_baud=True)
