# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The provisioning roles on the other menu profiles (AP7920, AP7921, AP7900, the NMC1 card): check
mode untouched, apply, re-apply unchanged with no writes."""

from __future__ import annotations

import pytest

from test_roles import run_role_three_times

MENU_PDU_VARS = {
    'pdu_identity': {'name': 'pdu-m01', 'location': 'Lab rack 3', 'contact': 'lab@example.net'},
    'pdu_network': {'boot_mode': 'manual', 'ipv4_address': '192.0.2.31',
                    'subnet_mask': '255.255.255.0', 'gateway': '192.0.2.1'},
    'pdu_time': {'date_format': 'yyyy-mm-dd'},
    'pdu_outlets': [{'outlets': 1, 'name': 'router'}, {'outlets': [2, 3], 'on_delay': 4}],
}


@pytest.mark.parametrize('model', ['AP7920', 'AP7921', 'AP7900'])
def test_pdu_role_on_menu_profiles(sim, ansible_playbook, model):
    device = sim(model, 'pty', boot_seconds=2)
    run_role_three_times(device, ansible_playbook, 'rackops.apc.pdu', MENU_PDU_VARS)
    state = device.device_state()
    assert state['system']['name'] == 'pdu-m01'
    assert state['outlets'][0]['name'] == 'router'


@pytest.mark.long_running(46)
def test_ups_role_on_the_nmc1_card(sim, ansible_playbook):
    device = sim('SU1400-AP9617', 'pty', boot_seconds=2)
    hostvars = {'ansible_serial_baud_rate': 2400,
                'ups_identity': {'name': 'ups-m01', 'location': 'Lab rack 3'}}
    run_role_three_times(device, ansible_playbook, 'rackops.apc.ups', hostvars)
    state = device.device_state()
    assert state['system']['name'] == 'ups-m01'
    # the secure defaults of the NMC1 family (AOS 3.x): HTTPS instead of HTTP, SSH instead of telnet
    assert state['web']['https'] is True and state['web']['http'] is False
