# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.outlet, rackops.apc.reboot and rackops.apc.reset against the simulator."""

from __future__ import annotations

import time

from harness import converge, inventory_for, is_write, one_task, rejected, stable_state

NEW_PW = 'Fresh-Passw0rd-7'


def _play(tasks, name='play'):
    return [{'name': name, 'hosts': 'all', 'gather_facts': False, 'tasks': tasks}]


def _outlets(device):
    return device.device_state()['outlets']


# ------------------------------------------------------------------------------ outlet
def test_outlet_settings_and_power_converge_on_ap8941(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.outlet', {
        'outlets': 3, 'name': 'web-01 psu A', 'on_delay': 10, 'off_delay': -1,
        'reboot_duration': 15})
    assert applied['commands'] == ['olName 3 "web-01 psu A"', 'olOnDelay 3 10', 'olOffDelay 3 -1',
                                   'olRbootTime 3 15']
    assert applied['diff']['before']['outlets']['3']['name'] == 'Outlet 3'
    assert applied['diff']['after']['outlets']['3'] == {
        'name': 'web-01 psu A', 'on_delay': 10, 'off_delay': -1, 'reboot_duration': 15}
    outlet = _outlets(device)[2]
    assert (outlet['name'], outlet['on_delay'], outlet['off_delay'], outlet['reboot_time']) == \
        ('web-01 psu A', 10, -1, 15)

    # off (opted in), then on: only the outlets that differ get a command
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.outlet', {
        'outlets': [3, 5, 6, 7], 'state': 'off', 'allow_power_off': True})
    assert applied['commands'] == ['olOff 3,5-7']
    assert applied['diff']['after']['outlets']['5'] == {'state': 'off'}
    states = [o['state'] for o in _outlets(device)]
    assert [n + 1 for n, s in enumerate(states) if s == 'off'] == [3, 5, 6, 7]
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.outlet',
                                       {'outlets': [1, 2, 3, 5], 'state': 'on'})
    assert applied['commands'] == ['olOn 3,5']
    assert [n + 1 for n, o in enumerate(_outlets(device)) if o['state'] == 'off'] == [6, 7]


def test_outlet_power_off_needs_the_opt_in(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    for state in ('off', 'rebooted'):
        msg = rejected(device, ansible_playbook, 'rackops.apc.outlet', {'outlets': 4, 'state': state})
        assert 'allow_power_off: true' in msg and 'Nothing was sent' in msg
    # refused before the console was touched
    assert device.received_lines() == []
    msg = rejected(device, ansible_playbook, 'rackops.apc.outlet', {'outlets': [3, 4], 'name': 'x'})
    assert 'one outlet at a time' in msg
    assert device.received_lines() == []


def test_outlet_rebooted_is_an_action(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    inventory = inventory_for({'dev': device})
    args = {'outlets': 2, 'reboot_duration': 6, 'state': 'rebooted', 'allow_power_off': True}
    before = stable_state(device)
    check = ansible_playbook(one_task('rackops.apc.outlet', args), inventory,
                             extra_args=['--check']).task('configure')['result']
    assert check['changed'] is True and check['commands'] == ['olRbootTime 2 6', 'olReboot 2']
    assert stable_state(device) == before
    assert not [line for line in device.received_lines() if is_write(line)]

    run = ansible_playbook(_play([
        {'name': 'reboot outlet', 'rackops.apc.outlet': args},
        {'name': 'status', 'rackops.apc.command': {'commands': ['olStatus 2']}},
        {'name': 'again', 'rackops.apc.outlet': {'outlets': 2, 'state': 'rebooted',
                                                 'allow_power_off': True}},
    ]), inventory)
    applied = run.task('reboot outlet')['result']
    assert applied['changed'] is True and applied['commands'] == check['commands']
    assert applied['outlets'][0]['state'] == 'off' and applied['outlets'][0]['pending'] is True
    assert run.task('status')['result']['stdout'][0].strip().endswith('Off*')
    again = run.task('again')['result']
    assert again['changed'] is True and again['commands'] == ['olReboot 2']
    assert _outlets(device)[1]['reboot_time'] == 6
    # ... and it comes back on by itself after the reboot duration
    deadline = time.monotonic() + 20
    while _outlets(device)[1]['state'] != 'on':
        assert time.monotonic() < deadline, 'outlet 2 did not come back on'
        time.sleep(0.5)
    assert device.received_lines().count('olReboot 2') == 2


def test_outlet_on_ap7920b_is_model_aware(sim, ansible_playbook):
    device = sim('AP7920B', 'pty')
    # the first login on 6.9.6 changes the password (not in check mode): do it once
    ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                     inventory_for({'dev': device}, ansible_apc_new_password=NEW_PW))
    hostvars = {'ansible_password': NEW_PW}
    msg = rejected(device, ansible_playbook, 'rackops.apc.outlet', {'outlets': 9, 'state': 'on'},
                   hostvars=hostvars)
    assert 'outlet 9 does not exist on the AP7920B: it has 8 outlets (1-8)' in msg
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.outlet', {
        'outlets': 'all', 'state': 'off', 'allow_power_off': True, 'off_delay': 0,
        'on_delay': 5}, hostvars=hostvars)
    assert applied['commands'] == ['olOnDelay 1-8 5', 'olOff 1-8']
    assert all(o['state'] == 'off' and o['on_delay'] == 5 for o in _outlets(device))


def test_outlet_refused_on_a_ups(sim, ansible_playbook):
    device = sim('SUA1500-AP9631', 'pty')
    ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                     inventory_for({'dev': device}, ansible_apc_new_password=NEW_PW))
    msg = rejected(device, ansible_playbook, 'rackops.apc.outlet', {'outlets': 1, 'state': 'on'},
                   hostvars={'ansible_password': NEW_PW})
    assert 'Smart-UPS 1500' in msg and 'has no switched outlets' in msg


# ------------------------------------------------------------------------------ reboot
def test_reboot_applies_a_pending_change(sim, ansible_playbook):
    device = sim('AP8941', 'pty', boot_seconds=2)
    run = ansible_playbook(_play([
        {'name': 'change', 'rackops.apc.command': {'commands': [
            'tcpip -i 192.0.2.20 -s 255.255.255.0 -g 192.0.2.1', 'boot -b manual']}},
        {'name': 'check', 'rackops.apc.reboot': {'only_if_required': True}, 'check_mode': True},
        {'name': 'reboot', 'rackops.apc.reboot': {'timeout': 30}},
        {'name': 'not needed', 'rackops.apc.reboot': {'only_if_required': True}},
        {'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['network', 'boot']}},
        {'name': 'reminder', 'rackops.apc.command': {'commands': ['whoami']}},
    ]), inventory_for({'dev': device}))
    assert run.task('change')['result']['reboot_required'] is True
    check = run.task('check')['result']
    assert check['changed'] is True and check['commands'] == ['reboot'] and check['reboot_required']
    reboot = run.task('reboot')['result']
    assert reboot['changed'] is True and reboot['rebooted'] is True
    assert reboot['elapsed'] >= 2 and reboot['reboot_required'] is False
    assert reboot['device']['model'] == 'AP8941' and reboot['device']['outlet_count'] == 24
    skipped = run.task('not needed')['result']
    assert skipped['changed'] is False and skipped['commands'] == []
    facts = run.task('facts')['result']['ansible_facts']['apc']
    assert facts['network']['ipv4']['active']['ipv4_address'] == '192.0.2.20'
    assert facts['boot']['boot_mode'] == 'manual'
    assert run.task('reminder')['result']['reboot_required'] is False
    lines = device.received_lines()
    assert lines.count('reboot') == 1 and lines.count('YES') == 1
    assert device.device_state()['lastrst'] == '04 Requested Reset'


# ------------------------------------------------------------------------------ reset
def test_reset_keepip(sim, ansible_playbook):
    device = sim('AP8941', 'pty', boot_seconds=2)
    msg = rejected(device, ansible_playbook, 'rackops.apc.reset', {'scope': 'keepip'})
    assert 'confirm: true' in msg and 'Nothing was sent' in msg
    assert device.received_lines() == []

    admin_pw = 'Admin-Passw0rd-9'
    ansible_playbook(_play([{'name': 'set up', 'rackops.apc.command': {'commands': [
        'tcpip -i 192.0.2.20 -s 255.255.255.0 -g 192.0.2.1', 'boot -b manual',
        'system -n pdu-a01', 'olName 4 "db-01"',
        'user -n ops -pw Ops-Passw0rd-1 -pe Administrator',
        'user -n apc -cp apc -pw %s' % admin_pw]}}]), inventory_for({'dev': device}))
    state = device.device_state()
    assert [u['name'] for u in state['users']] == ['apc', 'device', 'readonly', 'ops']

    inventory = inventory_for({'dev': device}, ansible_password=admin_pw)
    seen = len(device.received_lines())
    run = ansible_playbook(_play([
        {'name': 'check', 'rackops.apc.reset': {'scope': 'keepip', 'confirm': True},
         'check_mode': True},
        {'name': 'between', 'rackops.apc.command': {'commands': ['whoami']}},
        {'name': 'reset', 'rackops.apc.reset': {'scope': 'keepip', 'confirm': True, 'timeout': 30}},
        {'name': 'after', 'rackops.apc.facts': {'gather_subset': ['users', 'identity']}},
    ]), inventory)
    check = run.task('check')['result']
    assert check['changed'] is True and check['commands'] == ['resetToDef -p keepip', 'reboot']
    assert check['network_kept'] is True and check['network']['before']['ipv4_address'] == '192.0.2.20'
    # check mode sent no change: nothing written before the real task's resetToDef
    lines = device.received_lines()[seen:]
    first_write = [n for n, line in enumerate(lines) if is_write(line)][0]
    assert lines[first_write] == 'resetToDef -p keepip' and 'whoami' in lines[:first_write]
    reset = run.task('reset')['result']
    assert reset['changed'] is True and reset['commands'] == ['resetToDef -p keepip', 'reboot']
    assert reset['credentials_reset'] is True and reset['network_kept'] is True
    assert reset['login_user'] == 'apc' and reset['password_changed_at_login'] is False
    assert reset['network']['after']['ipv4_address'] == '192.0.2.20'
    assert [u['name'] for u in reset['users']] == ['apc', 'device', 'readonly']
    assert reset['reboot_required'] is False and reset['device']['model'] == 'AP8941'
    # the same connection went on with the factory login
    after = run.task('after')['result']['ansible_facts']['apc']
    assert sorted(u['name'] for u in after['users']) == ['apc', 'device', 'readonly']
    state = device.device_state()
    assert [(u['name'], u['password']) for u in state['users']][0] == ('apc', 'apc')
    assert state['tcpip']['ip'] == '192.0.2.20' and state['boot']['mode'] == 'manual'
    assert state['system']['name'] != 'pdu-a01' and state['outlets'][3]['name'] == 'Outlet 4'
    assert admin_pw not in run.stdout
    # a new run logs in with the factory credentials
    again = ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                             inventory_for({'dev': device}))
    assert again.task('configure')['status'] == 'ok'


def test_reset_needs_new_password_on_forcing_firmware(sim, ansible_playbook):
    device = sim('AP7920B', 'pty', boot_seconds=2)
    ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                     inventory_for({'dev': device}, ansible_apc_new_password=NEW_PW))
    msg = rejected(device, ansible_playbook, 'rackops.apc.reset', {'scope': 'all', 'confirm': True},
                   hostvars={'ansible_password': NEW_PW})
    assert 'forces a password change' in msg and 'new_password' in msg
    second = 'Second-Passw0rd-8'
    run = ansible_playbook(_play([
        {'name': 'reset', 'rackops.apc.reset': {'scope': 'all', 'confirm': True,
                                                'new_password': second, 'timeout': 30}},
        {'name': 'after', 'rackops.apc.command': {'commands': ['whoami']}},
    ]), inventory_for({'dev': device}, ansible_password=NEW_PW))
    reset = run.task('reset')['result']
    assert reset['password_changed_at_login'] is True and reset['credentials_reset'] is True
    assert run.task('after')['result']['stdout'] == ['apc']
    assert device.device_state()['users'][0]['password'] == second
    assert second not in run.stdout and NEW_PW not in run.stdout
