# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.network and rackops.apc.identity against the simulator."""

from __future__ import annotations

import pytest

from harness import converge, inventory_for, one_task, rejected

NEW_PW = 'Fresh-Passw0rd-7'
FORCED = {'AP8941': {}, 'SMT1500-AP9641': {'ansible_apc_new_password': NEW_PW}}


@pytest.mark.parametrize('model', sorted(FORCED))
def test_network_converges(sim, ansible_playbook, model):
    device = sim(model, 'pty')
    args = {'boot_mode': 'manual', 'ipv4_address': '192.0.2.20', 'subnet_mask': '255.255.255.0',
            'gateway': '192.0.2.1', 'host_name': 'pdu-a01', 'domain_name': 'rack.example.net',
            'dns_override': True, 'dns_primary': '192.0.2.53', 'ipv6_enabled': False}
    hostvars = {}
    if FORCED[model]:
        # a first login on this firmware changes the password (not in check mode): do it
        # once with facts, then configure with the new password
        ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                         inventory_for({'dev': device}, **FORCED[model]))
        hostvars = {'ansible_password': NEW_PW}
    check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.network', args,
                                      hostvars=hostvars)
    assert 'boot -b manual' in applied['commands']
    assert any(c.startswith('tcpip ') and '-i 192.0.2.20' in c for c in applied['commands'])
    assert applied['reboot_required'] is True
    assert applied['diff']['before']['boot_mode'] == 'dhcp'
    assert applied['diff']['after']['ipv4_address'] == '192.0.2.20'
    state = device.device_state()
    assert state['tcpip']['ip'] == '192.0.2.20' and state['boot']['mode'] == 'manual'
    assert state['dns']['primary'] == '192.0.2.53'


def test_identity_converges_with_blanks_and_empty_message(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    args = {'name': 'pdu-a01', 'contact': 'noc@example.net', 'location': 'DC1 row A rack 01',
            'system_message': ''}
    check, applied, again = converge(device, ansible_playbook, 'rackops.apc.identity',
                                     {k: v for k, v in args.items() if k != 'system_message'})
    assert applied['commands'] == ['system -n pdu-a01 -c noc@example.net -l "DC1 row A rack 01"']
    assert applied['reboot_required'] is False
    state = device.device_state()['system']
    assert state['location'] == 'DC1 row A rack 01' and state['contact'] == 'noc@example.net'


@pytest.mark.parametrize('args, message', [
    ({'ipv4_address': '192.0.2.300'}, 'is not an IPv4 address'),
    ({'subnet_mask': '255.0.255.0'}, 'not a valid subnet mask'),
    ({'ipv4_address': '192.0.2.20', 'subnet_mask': '255.255.255.0', 'gateway': '198.51.100.1'},
     'is not in the network'),
    ({'host_name': 'apc'}, 'appends the last six hex digits'),
    ({'host_name': 'bad_name!'}, 'not a valid host name'),
])
def test_network_bad_input_touches_nothing(sim, ansible_playbook, args, message):
    device = sim('AP8941', 'pty')
    assert message in rejected(device, ansible_playbook, 'rackops.apc.network', args)
    # refused before the console was touched: nothing at all was received
    assert device.received_lines() == []


def test_identity_bad_input(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    msg = rejected(device, ansible_playbook, 'rackops.apc.identity', {'location': 'x' * 256})
    assert 'at most 255' in msg
    msg = rejected(device, ansible_playbook, 'rackops.apc.identity', {'contact': 'say "hi"'})
    assert 'double quotes' in msg


def test_first_login_change_is_not_made_in_check_mode(sim, ansible_playbook):
    device = sim('AP7920B', 'pty')
    run = ansible_playbook(one_task('rackops.apc.identity', {'name': 'x1'}),
                           inventory_for({'dev': device}, ansible_apc_new_password=NEW_PW),
                           extra_args=['--check'], check=False)
    result = run.task('configure')
    assert result['status'] == 'failed'
    assert 'not made in check mode' in result['result']['msg']
    assert NEW_PW not in device.received_lines()
    assert device.device_state()['users'][0]['password'] == 'apc'
