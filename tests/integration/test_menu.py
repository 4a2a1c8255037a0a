# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules on menu consoles (Control Console: AP79xx without B, NMC1) against the
simulator's menu profiles.

The command line's ``is_write()`` does not apply here: the evidence of "no write" is the
simulator state plus the transcript, which must show no value entered and no Accept
Changes / YES in a check-mode run or a re-run.
"""

from __future__ import annotations

import re

import pytest

from harness import inventory_for, one_task, stable_state, state_diff

MENU_HOSTVARS = {'ansible_apc_command_timeout': 10}
NMC1_HOSTVARS = {'ansible_serial_baud_rate': 2400, 'ansible_apc_command_timeout': 15}


def transcript(device):
    import json
    with open(str(device.transcript), encoding='utf-8') as handle:
        return [json.loads(line) for line in handle if line.strip()]


def menu_writes(device, since=0):
    """What changed something, from the transcript after entry ``since``: values typed
    at a prompt, YES, and numbers that chose ``Accept Changes`` on the screen shown.

    Menu numbers, ESC, Ctrl-C and CR alone only move around. The login (user name and
    password after ``User Name :``) is not a write.
    """
    out, line, writes = '', '', []
    for entry in transcript(device)[since:]:
        if entry['dir'] == 'out':
            out += entry['data']
            continue
        for char in entry['data']:
            if char not in '\r\n':
                if ord(char) >= 32:
                    line += char
                continue
            text, line = line.strip(), ''
            if not text:
                continue
            tail = out[-1500:]
            out = ''
            if re.search(r'(User Name|Password)\s*:\s*\S*$', tail.rstrip('*')) and 'Accept' not in tail:
                continue                        # logging in
            if text.isdigit():
                tail = tail[tail.rfind('\n------- '):]       # the last screen shown
                if re.search(r'\b%s- Accept Changes' % text, tail):
                    writes.append('Accept Changes')
                continue
            writes.append(text)
    return writes


def run_task(ansible_playbook, device, module, args, hostvars=None, extra=()):
    inventory = inventory_for({'dev': device}, **dict(MENU_HOSTVARS, **(hostvars or {})))
    return ansible_playbook(one_task(module, args), inventory, extra_args=list(extra), check=False)


def menu_converge(device, ansible_playbook, module, args, hostvars=None):
    """check mode untouched -> apply (changed, diff) -> re-apply unchanged, nothing entered."""
    before = stable_state(device)
    seen = len(transcript(device))
    check = run_task(ansible_playbook, device, module, args, hostvars, ['--check', '--diff']).task('configure')
    assert check['status'] == 'ok', check['result']
    check = check['result']
    assert check['changed'] is True and check['commands'], check
    after = stable_state(device)
    assert after == before, 'check mode changed the device: %s' % state_diff(before, after)
    assert menu_writes(device, seen) == []
    applied = run_task(ansible_playbook, device, module, args, hostvars, ['--diff']).task('configure')
    assert applied['status'] == 'ok', applied['result']
    applied = applied['result']
    assert applied['changed'] is True and applied['commands'] == check['commands'], applied
    assert applied['diff']['before'] != applied['diff']['after']
    assert stable_state(device) != before
    seen = len(transcript(device))
    changed_state = stable_state(device)
    again = run_task(ansible_playbook, device, module, args, hostvars).task('configure')['result']
    assert again['changed'] is False and again['commands'] == [], again
    assert menu_writes(device, seen) == []
    assert stable_state(device) == changed_state
    return check, applied, again


def menu_rejected(device, ansible_playbook, module, args, hostvars=None):
    before = stable_state(device)
    seen = len(transcript(device))
    result = run_task(ansible_playbook, device, module, args, hostvars).task('configure')
    assert result['status'] == 'failed', result
    assert stable_state(device) == before, state_diff(before, stable_state(device))
    assert 'Accept Changes' not in menu_writes(device, seen)
    return result['result']['msg']


def test_menu_writes_sees_values_and_accept(sim, ansible_playbook):
    # the evidence helper itself: an apply shows the values and Accept Changes
    device = sim('AP7920', 'pty')
    seen = len(transcript(device))
    run = run_task(ansible_playbook, device, 'rackops.apc.identity', {'location': 'DC9'})
    assert run.task('configure')['status'] == 'ok'
    assert menu_writes(device, seen) == ['DC9', 'Accept Changes']


@pytest.mark.parametrize('model', ['AP7920', 'AP7920-B2'])
def test_identity_converges(sim, ansible_playbook, model):
    device = sim(model, 'pty')
    args = {'name': 'pdu-a01', 'contact': 'noc@example.net', 'location': 'DC1 row A rack 01'}
    check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.identity', args)
    assert applied['commands'] == [
        'System > Identification > System Name: pdu-a01',
        'System > Identification > Contact: noc@example.net',
        'System > Identification > Location: DC1 row A rack 01',
        'System > Identification > Accept Changes']
    assert applied['diff']['after']['location'] == 'DC1 row A rack 01'
    state = device.device_state()['system']
    assert (state['name'], state['contact'], state['location']) == (
        'pdu-a01', 'noc@example.net', 'DC1 row A rack 01')


def test_identity_refuses_what_the_menu_lacks(sim, ansible_playbook):
    device = sim('AP7920-B2', 'pty')
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.identity',
                        {'name': 'x1', 'system_message': 'hello'})
    assert 'system_message' in msg and 'v2.6.4' in msg and 'menu console' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.identity', {'location': 'x' * 256})
    assert 'at most 255' in msg


@pytest.mark.parametrize('model', ['AP7920', 'AP7920-B2'])
def test_outlet_settings_and_state_converge(sim, ansible_playbook, model):
    device = sim(model, 'pty')
    _check, applied, _again = menu_converge(
        device, ansible_playbook, 'rackops.apc.outlet',
        {'outlets': 3, 'name': 'web-01 psu A', 'on_delay': 10, 'off_delay': -1})
    assert applied['commands'][-1] == ('Device Manager > Outlet Control/Configuration > Outlet 3 > '
                                       'Configure Outlet > Accept Changes')
    assert applied['diff']['after']['outlets']['3']['name'] == 'web-01 psu A'
    outlet = device.device_state()['outlets'][2]
    assert (outlet['name'], outlet['on_delay'], outlet['off_delay']) == ('web-01 psu A', 10, -1)
    _check, applied, _again = menu_converge(
        device, ansible_playbook, 'rackops.apc.outlet',
        {'outlets': '2-4', 'state': 'off', 'allow_power_off': True})
    assert len(applied['commands']) == 3 and applied['commands'][0].endswith('Immediate Off: YES')
    assert [o['state'] for o in device.device_state()['outlets'][1:4]] == ['off'] * 3
    assert [o['state'] for o in applied['outlets']] == ['off'] * 3


def test_outlet_reboot_and_bad_input(sim, ansible_playbook):
    device = sim('AP7920', 'pty')
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.outlet',
                        {'outlets': 2, 'state': 'rebooted'})
    assert 'allow_power_off' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.outlet', {'outlets': 9, 'on_delay': 5})
    assert 'outlet 9 does not exist on the AP7920' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.outlet', {'outlets': 1, 'reboot_duration': 99})
    assert 'between 5 and 60' in msg
    result = run_task(ansible_playbook, device, 'rackops.apc.outlet',
                      {'outlets': 2, 'state': 'rebooted', 'allow_power_off': True}).task('configure')
    assert result['status'] == 'ok' and result['result']['changed'] is True
    assert result['result']['commands'] == [
        'Device Manager > Outlet Control/Configuration > Outlet 2 > Control Outlet > Immediate Reboot: YES']


@pytest.mark.parametrize('model', ['AP7920', 'AP7920-B2'])
def test_network_converges(sim, ansible_playbook, model):
    device = sim(model, 'pty')
    args = {'boot_mode': 'manual', 'ipv4_address': '192.0.2.20', 'subnet_mask': '255.255.255.0',
            'gateway': '192.0.2.1', 'dns_primary': '192.0.2.53', 'domain_name': 'rack.example.net'}
    _check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.network', args)
    assert applied['reboot_required'] is True
    assert 'Network > TCP/IP > Boot Mode: Manual' in applied['commands']
    assert applied['diff']['before']['boot_mode'] == 'dhcp_bootp'
    state = device.device_state()
    assert state['boot']['mode'] == 'manual' and state['tcpip']['ip'] == '192.0.2.20'
    assert state['dns']['primary'] == '192.0.2.53' and state['dns']['domain'] == 'rack.example.net'


def test_network_refusals_touch_nothing(sim, ansible_playbook):
    device = sim('AP7920', 'pty')
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.network', {'ipv6_enabled': False})
    assert 'ipv6_enabled' in msg and 'AP7920' in msg and 'v3.7.3' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.network', {'ipv4_address': '192.0.2.9'})
    assert 'boot_mode: manual' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.network', {'subnet_mask': '255.0.255.0'})
    assert 'not a valid subnet mask' in msg


def test_facts_on_the_nmc1(sim, ansible_playbook):
    device = sim('SU1400-AP9617', 'pty')
    run = run_task(ansible_playbook, device, 'rackops.apc.facts', {}, NMC1_HOSTVARS)
    result = run.task('configure')
    assert result['status'] == 'ok', result
    apc = result['result']['ansible_facts']['apc']
    assert apc['device']['dialect'] == 'menu' and apc['device']['is_ups'] is True
    assert apc['device']['card_model'] == 'AP9617' and apc['device']['model'] == 'Smart-UPS 1400'
    assert apc['device']['firmware']['aos'] == 'v3.7.3'
    assert apc['ups']['about']['firmware_revision'] == '70.9.D'
    assert apc['ups']['status']['state'] == 'On Line'
    assert 'outlets' not in apc
    assert [u['name'] for u in apc['users']] == ['apc', 'device', 'readonly']
    assert all('password' not in u for u in apc['users'])


def test_facts_on_the_b2_and_modules_not_adapted_fail_clearly(sim, ansible_playbook):
    device = sim('AP7920-B2', 'pty')
    result = run_task(ansible_playbook, device, 'rackops.apc.facts', {}).task('configure')
    apc = result['result']['ansible_facts']['apc']
    assert apc['device']['firmware']['aos'] == 'v2.6.4' and apc['device']['outlet_count'] == 8
    assert len(apc['outlets']) == 8 and apc['identity']['name'].startswith('apc')
    assert 'Note: SSL/TLS' in apc['services']['web']['note']
    before = stable_state(device)
    result = run_task(ansible_playbook, device, 'rackops.apc.reset',
                      {'scope': 'keepip', 'confirm': True}).task('configure')
    assert result['status'] == 'failed'
    assert 'shows the menu console dialect' in result['result']['msg']
    assert stable_state(device) == before


SHARED = {
    'identity': {'name': 'rack-a01', 'contact': 'noc@example.net', 'location': 'DC1 row A'},
    'outlet': {'outlets': 2, 'name': 'db-01 psu B', 'on_delay': 15},
    'network': {'boot_mode': 'manual', 'ipv4_address': '192.0.2.30', 'subnet_mask': '255.255.255.0',
                'gateway': '192.0.2.1'},
}


def test_one_playbook_for_menu_and_command_line(sim, ansible_playbook):
    menu, cli = sim('AP7920', 'pty', name='menu'), sim('AP8941', 'pty', name='cli')
    inventory = inventory_for({'menu': menu, 'cli': cli}, **MENU_HOSTVARS)
    tasks = [{'name': 'identity', 'rackops.apc.identity': SHARED['identity']},
             {'name': 'outlet', 'rackops.apc.outlet': SHARED['outlet']},
             {'name': 'network', 'rackops.apc.network': SHARED['network']},
             {'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['identity', 'outlets', 'network', 'boot']}}]
    run = ansible_playbook([{'name': 'both', 'hosts': 'all', 'gather_facts': False, 'tasks': tasks}], inventory)
    facts = dict((host, run.task('facts', host)['result']['ansible_facts']['apc']) for host in ('menu', 'cli'))
    for host in ('menu', 'cli'):
        assert run.task('identity', host)['result']['changed'] is True
        assert run.task('network', host)['result']['reboot_required'] is True

    def shared(apc):
        outlet = apc['outlets'][1]
        return {
            'identity': dict((k, apc['identity'][k]) for k in ('name', 'contact', 'location')),
            'outlet': dict((k, outlet[k]) for k in ('number', 'name', 'on_delay', 'state')),
            'ipv4': dict((k, apc['network']['ipv4'][k]) for k in ('ipv4_address', 'subnet_mask', 'gateway')),
            'boot_mode': apc['boot']['boot_mode'],
        }
    assert shared(facts['menu']) == shared(facts['cli'])
    assert shared(facts['menu'])['identity'] == SHARED['identity']
    assert facts['menu']['device']['dialect'] == 'menu' and facts['cli']['device']['dialect'] == 'cli'
