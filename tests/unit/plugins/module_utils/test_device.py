# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The table-driven planner: recorded console text + wanted state -> commands."""

from __future__ import annotations

import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils import device as dev
from ansible_collections.rackops.apc.plugins.module_utils.schema import IDENTITY as IDENTITY_SCHEMA
from ansible_collections.rackops.apc.plugins.module_utils.schema import NETWORK as NETWORK_SCHEMA

NETWORK = NETWORK_SCHEMA.cli_area()
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure

IDENTITY = IDENTITY_SCHEMA.cli_area()

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'cli')


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


class FakeConsole:
    """Answers read commands from recorded text and records what else is sent."""

    def __init__(self, reads, answers=None):
        self.reads = reads
        self.answers = answers or {}
        self.sent = []

    def read(self, command, verify=False):  # pylint: disable=unused-argument
        return self.run(command)

    def run(self, command, confirm=False, secrets=None, login_password_from=None, timeout=None):
        if command in self.reads:
            result = cli_parse.parse_result(self.reads[command], command)
        else:
            self.sent.append((command, dict(secrets or {})))
            result = cli_parse.parse_result(self.answers.get(command.split()[0], 'E000: Success'))
        result.raw = {'ok': result.ok}
        return result


READS = {
    'tcpip': fixture('tcpip_aos696.txt'),
    'boot': fixture('boot.txt'),
    'dns': fixture('dns.txt'),
    'tcpip6': fixture('tcpip6_aos696.txt'),
    'system': fixture('system_aos696.txt'),
}
INFO_696 = {'model': 'Smart-UPS 1500', 'card_model': 'AP9630', 'firmware': {'aos': 'v6.9.6'}}


def plan(area, wanted):
    reader = dev.Reader(FakeConsole(READS))
    wanted = area.validate(wanted, INFO_696)
    current = area.read(reader, list(wanted))
    commands, _changed = area.plan(current, wanted)
    return [c.display() for c in commands]


def test_same_values_plan_nothing():
    # the capture's card: manual 192.168.254.32/24, gw .1, host apc1500, dhcp
    # (boot_mode dhcp is checked on its own: with a static address it is refused, see
    # test_dhcp_with_a_static_address_is_refused)
    assert plan(NETWORK, {'ipv4_address': '192.168.254.32', 'subnet_mask': '255.255.255.0',
                          'gateway': '192.168.254.1', 'host_name': 'APC1500',
                          'dns_override': False}) == []
    assert plan(NETWORK, {'boot_mode': 'dhcp', 'host_name': 'APC1500'}) == []


@pytest.mark.parametrize('mode', ['dhcp', 'bootp'])
def test_dhcp_with_a_static_address_is_refused(mode):
    expected = 'boot_mode %s takes the address from the %s server, so ipv4_address would not be used' \
        % (mode, mode.upper())
    with pytest.raises(dev.SettingsError, match=expected):
        NETWORK.validate({'boot_mode': mode, 'ipv4_address': '10.0.0.5'})


def test_only_differences_are_sent_grouped_per_command_in_order():
    commands = plan(NETWORK, {'ipv4_address': '192.168.254.40', 'subnet_mask': '255.255.255.0',
                              'boot_mode': 'manual', 'dns_primary': '192.168.254.53',
                              'dns_override': True, 'ipv6_enabled': False})
    assert commands == ['tcpip -i 192.168.254.40', 'boot -b manual',
                        'dns -OM enable -p 192.168.254.53']


def test_dhcpv6_wording_is_mapped():
    # the card prints 'router controlled' for the option value 'router'
    assert plan(NETWORK, {'dhcpv6_mode': 'router'}) == []
    assert plan(NETWORK, {'dhcpv6_mode': 'never'}) == ['tcpip6 -d6 never']


def test_identity_quotes_blanks_and_empty():
    assert plan(IDENTITY, {'location': 'Ufa'}) == []
    assert plan(IDENTITY, {'location': 'DC1 row A', 'system_message': ''}) == ['system -l "DC1 row A" -m ""']


@pytest.mark.parametrize('wanted, message', [
    ({'ipv4_address': '10.0.0.256'}, 'is not an IPv4 address'),
    ({'subnet_mask': '255.255.0.255'}, 'not a valid subnet mask'),
    ({'ipv4_address': '10.0.0.5', 'subnet_mask': '255.255.255.0', 'gateway': '10.0.1.1'}, 'not in the network'),
    ({'host_name': 'apc'}, 'appends the last six hex digits'),
    ({'host_name': 'a.b'}, 'single label'),
    ({'dns_primary': 'dns.example'}, 'not an IPv4 or IPv6 address'),
    ({'boot_mode': 'static'}, 'must be one of dhcp, bootp, manual'),
    ({'ipv6_address': 'fe80::zz'}, 'not an IPv6 address'),
])
def test_bad_network_input(wanted, message):
    with pytest.raises(dev.SettingsError) as err:
        NETWORK.validate(wanted)
    assert message in str(err.value)


def test_text_limits():
    with pytest.raises(dev.SettingsError, match='at most 255'):
        IDENTITY.validate({'name': 'n' * 256})
    with pytest.raises(dev.SettingsError, match='double quotes'):
        IDENTITY.validate({'contact': 'a "b"'})
    with pytest.raises(dev.SettingsError, match='printable ASCII'):
        IDENTITY.validate({'location': 'Zürich'})


def test_firmware_family():
    assert dev.firmware_family(INFO_696) == 'aos6'
    assert dev.firmware_family({'firmware': {'aos': 'v5.1.7'}}) == 'aos5'
    assert dev.firmware_family({'card_model': 'AP9641', 'firmware': {'aos': 'v2.5.0.8'}}) == 'nmc3'
    assert dev.firmware_family({'firmware': {'aos': 'v7.0.6'}}) == 'aos7'


def test_firmware_limited_field_is_refused_naming_firmware_and_option():
    area = dev.Area('x', [dev.Field('only6', 'system', 'name', '-n', families=('aos6',))], ('system',))
    with pytest.raises(dev.SettingsError) as err:
        area.validate({'only6': 'v'}, {'model': 'AP9630', 'firmware': {'aos': 'v5.1.7'}})
    assert 'only6' in str(err.value) and 'v5.1.7' in str(err.value)


def test_ensure_check_mode_sends_nothing_and_apply_verifies():
    console = FakeConsole(dict(READS))
    wanted = IDENTITY.validate({'contact': 'noc@example.net'}, INFO_696)
    result = dev.ensure(console, IDENTITY, wanted, check_mode=True)
    assert result['changed'] and result['commands'] == ['system -c noc@example.net']
    assert console.sent == []
    assert result['diff'] == {'before': {'contact': 'vladimir@stupin.su'},
                              'after': {'contact': 'noc@example.net'}}
    # applying: the device "accepts" but reads back the old value -> a clear failure
    with pytest.raises(dev.ApplyError, match='reads back differently'):
        dev.ensure(console, IDENTITY, wanted)
    assert console.sent == [('system -c noc@example.net', {})]


def test_refusal_names_what_was_applied():
    console = FakeConsole(dict(READS), answers={'boot': 'E102: Parameter Error'})
    wanted = NETWORK.validate({'ipv4_address': '192.168.254.40', 'boot_mode': 'manual'}, INFO_696)
    with pytest.raises(dev.ApplyError) as err:
        dev.ensure(console, NETWORK, wanted)
    assert "refused 'boot -b manual' (E102: Parameter Error)" in str(err.value)
    assert 'already applied: tcpip -i 192.168.254.40' in str(err.value)


def test_secret_fields_travel_as_placeholders():
    cmd = dev.PlannedCommand('user').add('-n', 'bob').add('-pw', 'Top Secret', secret_name='password')
    text, secrets = cmd.template()
    assert text == 'user -n bob -pw "<<password>>"'
    assert secrets == {'password': 'Top Secret'}
    assert cmd.display() == 'user -n bob -pw ********'


class FaultyConsole(FakeConsole):
    """The first write fails as a dropped line would; what the device then holds is
    ``after`` (the system read's location and contact lines replaced), or unreadable."""

    def __init__(self, after=None, unreadable=False):
        super().__init__(dict(READS))
        self.after = after
        self.unreadable = unreadable
        self.faulted = False

    def run(self, command, confirm=False, secrets=None, login_password_from=None, timeout=None):
        if command.split()[0] == 'system' and len(command.split()) > 1 and not self.faulted:
            self.faulted = True
            self.sent.append((command, {}))
            if self.after is not None:
                text = self.reads['system']
                for key, value in self.after.items():
                    text = '\n'.join(('%s%s' % (line.split(':')[0] + ':', ' ' * 10 + value))
                                     if line.startswith(key) else line for line in text.split('\n'))
                self.reads['system'] = text
            raise ConsoleFailure('the console connection closed', 'lost')
        if self.faulted and self.unreadable:
            raise ConsoleFailure('the console did not answer', 'no_answer')
        return super().run(command, confirm, secrets, login_password_from, timeout)


def test_fault_during_a_write_reads_back_the_true_outcome():
    wanted = IDENTITY.validate({'location': 'DC9', 'contact': 'noc'}, INFO_696)
    # applied: ok, with a warning
    result = dev.ensure(FaultyConsole(after={'Location': 'DC9', 'Contact': 'noc'}), IDENTITY, wanted)
    assert result['changed'] is True and 'read back' in result['warnings'][0]
    # not applied: failed, nothing applied
    with pytest.raises(dev.ApplyError) as info:
        dev.ensure(FaultyConsole(after={}), IDENTITY, wanted)
    assert 'nothing was changed' in str(info.value) and info.value.applied == []
    # partly applied: failed, the command named
    with pytest.raises(dev.ApplyError) as info:
        dev.ensure(FaultyConsole(after={'Location': 'DC9'}), IDENTITY, wanted)
    assert 'applied: location' in str(info.value) and 'not applied: contact' in str(info.value)
    assert info.value.applied and info.value.applied[0].startswith('system')
    # unreadable: failed, the commands that may have been applied
    with pytest.raises(dev.ApplyError) as info:
        dev.ensure(FaultyConsole(unreadable=True), IDENTITY, wanted)
    assert 'may have been applied' in str(info.value) and info.value.applied
