# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pdu and ups roles on simulator profiles: check mode untouched, apply, re-apply
unchanged with no write on the wire."""

from __future__ import annotations

import pytest

from harness import inventory_for, is_write, one_task, stable_state, state_diff

NEW_PW = 'Fresh-Passw0rd-7'

PDU_VARS = {
    'pdu_identity': {'name': 'pdu-a01', 'location': 'DC1 row A rack 01', 'contact': 'noc@example.net'},
    'pdu_network': {'boot_mode': 'manual', 'ipv4_address': '192.0.2.21',
                    'subnet_mask': '255.255.255.0', 'gateway': '192.0.2.1'},
    'pdu_users': [{'name': 'ops', 'permission': 'device', 'password': '{{ ops_password }}',
                   'description': 'Night shift'}],
    'pdu_snmp': {'communities': [{'index': 1, 'community': 'monitor', 'access': 'read',
                                  'nms': '192.0.2.50'}]},
    'pdu_time': {'time_zone': '+01:00', 'date_format': 'yyyy-mm-dd'},
    'pdu_outlets': [{'outlets': 1, 'name': 'web-01'}, {'outlets': [2, 3], 'on_delay': 5}],
    'ops_password': 'Ops-Canary-31x',
}


def role_play(role):
    return [{'name': role, 'hosts': 'all', 'gather_facts': False, 'roles': [{'role': role}]}]


def changed_tasks(run):
    out = []
    for record in run.records:
        result = record['result']
        items = result.get('results') if isinstance(result.get('results'), list) else [result]
        if any(isinstance(i, dict) and i.get('changed') for i in items):
            out.append(record['task'])
    return out


def run_role_three_times(device, ansible_playbook, role, hostvars):
    inventory = inventory_for({'dev': device}, **hostvars)
    before = stable_state(device)
    seen = len(device.received_lines())
    check = ansible_playbook(role_play(role), inventory, extra_args=['--check', '--diff'])
    after_check = stable_state(device)
    assert after_check == before, state_diff(before, after_check)
    assert not [line for line in device.received_lines()[seen:] if is_write(line)]
    assert changed_tasks(check)
    applied = ansible_playbook(role_play(role), inventory, extra_args=['--diff'])
    assert changed_tasks(applied)
    seen = len(device.received_lines())
    again = ansible_playbook(role_play(role), inventory)
    assert changed_tasks(again) == [], changed_tasks(again)
    assert not [line for line in device.received_lines()[seen:] if is_write(line)]
    for run in (check, applied, again):
        assert '[WARNING]' not in run.stdout + run.stderr, run.stderr[-2000:]
    return check, applied, again


@pytest.mark.long_running(63)
def test_pdu_role_on_ap8941(sim, ansible_playbook):
    device = sim('AP8941', 'pty', boot_seconds=2)
    _check, applied, _again = run_role_three_times(device, ansible_playbook, 'rackops.apc.pdu', PDU_VARS)
    # network and services changes answer E002: one reboot at the end
    reboot = applied.task('rackops.apc.pdu : Reboot the management card (not the load) once for the changes that need it')
    assert reboot['status'] == 'ok' and reboot['result']['changed'] is True
    assert device.received_lines().count('YES') == 1
    state = device.device_state()
    assert state['system']['name'] == 'pdu-a01'
    assert state['active']['tcpip']['ip'] == '192.0.2.21'
    assert state['outlets'][0]['name'] == 'web-01'
    assert state['web']['https'] is True and state['web']['http'] is False
    assert 'Ops-Canary-31x' not in applied.stdout


def test_pdu_role_on_ap7920b(sim, ansible_playbook):
    device = sim('AP7920B', 'pty', boot_seconds=2)
    ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                     inventory_for({'dev': device}, ansible_apc_new_password=NEW_PW))
    hostvars = dict(PDU_VARS, ansible_password=NEW_PW,
                    pdu_outlets=[{'outlets': 8, 'name': 'switch-01'}])
    run_role_three_times(device, ansible_playbook, 'rackops.apc.pdu', hostvars)
    assert device.device_state()['outlets'][7]['name'] == 'switch-01'


def test_ups_role_on_nmc2(sim, ansible_playbook):
    device = sim('SUA1500-AP9631', 'pty', boot_seconds=2)
    ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                     inventory_for({'dev': device}, ansible_apc_new_password=NEW_PW))
    hostvars = {'ansible_password': NEW_PW, 'ups_identity': {'name': 'ups-a01'},
                'ups_time': {'time_zone': '+02:00'}}
    run_role_three_times(device, ansible_playbook, 'rackops.apc.ups', hostvars)
    assert device.device_state()['system']['name'] == 'ups-a01'
