# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The provisioning roles on the profiles test_roles.py and test_menu_profiles.py do not
cover: the AOS 2.6 menu PDU, the NMC3 and AOS 5.x cards and every smart-protocol UPS. Each
runs check mode (untouched), apply, and re-apply (unchanged, no write on the wire); several
units of one kind share one playbook run, in parallel, as a rack would."""

from __future__ import annotations

import pytest

from harness import inventory_for, is_write, stable_state, state_diff
from test_roles import NEW_PW, changed_tasks, role_play, run_role_three_times

B2_VARS = {
    'pdu_identity': {'name': 'pdu-b2', 'location': 'Lab rack 9'},
    'pdu_time': {'date_format': 'yyyy-mm-dd'},
    'pdu_outlets': [{'outlets': 8, 'name': 'spare'}, {'outlets': [6, 7], 'on_delay': 3}],
}


def test_pdu_role_on_aos26_menu_leaves_the_secure_defaults_out(sim, ansible_playbook):
    """AOS 2.6 sets up SSL/SSH only in its web interface: the role's secure defaults are left
    out with the reason, and everything else converges."""
    device = sim('AP7920-B2', 'pty', boot_seconds=2)
    web_before = device.device_state()['web']
    _check, applied, _again = run_role_three_times(device, ansible_playbook, 'rackops.apc.pdu', B2_VARS)
    state = device.device_state()
    assert state['system']['name'] == 'pdu-b2'
    assert state['outlets'][7]['name'] == 'spare'
    assert state['web'] == web_before
    described = applied.task('rackops.apc.pdu : Describe the unit')['result']['msg']
    assert 'AOS 2.x' in described and 'web interface' in described
    assert applied.task('rackops.apc.pdu : Services')['status'] == 'skipped'


def test_pdu_role_refuses_outlets_the_model_lacks_before_anything_changes(sim, ansible_playbook):
    device = sim('AP7920-B2', 'pty')
    before = stable_state(device)
    seen = len(device.received_lines())
    hostvars = dict(B2_VARS)
    hostvars['pdu_outlets'] = [{'outlets': [8, 12], 'name': 'x'}]
    run = ansible_playbook(role_play('rackops.apc.pdu'), inventory_for({'dev': device}, **hostvars),
                           check=False)
    assert run.rc != 0
    failed = run.task('rackops.apc.pdu : Check the outlet numbers before anything is changed')
    assert 'outlet(s) 12' in failed['result']['msg'] and 'has 8 outlets' in failed['result']['msg']
    assert stable_state(device) == before
    assert not [line for line in device.received_lines()[seen:] if is_write(line)]


def test_pdu_role_refuses_a_ups(sim, ansible_playbook):
    device = sim('SUA1500-AP9631', 'pty', no_first_login_change=True)
    run = ansible_playbook(role_play('rackops.apc.pdu'), inventory_for({'dev': device}), check=False)
    assert run.rc != 0
    assert 'use the rackops.apc.ups role' in run.task('rackops.apc.pdu : Refuse a unit that is not a Rack PDU')['result']['msg']


def rack_inventory(devices, common=None, per_host=None):
    """One inventory for several simulated devices, with per-host variables."""
    hosts = {}
    for name, device in devices.items():
        hosts.update(inventory_for({name: device}, **dict(common or {}, **(per_host or {}).get(name, {})))['all']['hosts'])
    return {'all': {'hosts': hosts}}


def three_runs(devices, ansible_playbook, role, inventory):
    """check mode (nothing written), apply, re-apply (unchanged, nothing written); for
    several devices in one parallel playbook run each."""
    before = dict((n, stable_state(d)) for n, d in devices.items())
    check = ansible_playbook(role_play(role), inventory, extra_args=['--check', '--diff', '-f', str(len(devices))])
    for name, device in devices.items():
        after = stable_state(device)
        assert after == before[name], (name, state_diff(before[name], after))
    applied = ansible_playbook(role_play(role), inventory, extra_args=['--diff', '-f', str(len(devices))])
    again = ansible_playbook(role_play(role), inventory, extra_args=['-f', str(len(devices))])
    assert changed_tasks(again) == [], changed_tasks(again)
    return check, applied, again


@pytest.mark.long_running(117)
def test_ups_role_on_every_smart_protocol_unit(sim, ansible_playbook):
    from test_smart_ups import PROFILES, Wire, smart_hostvars, unit_of, wanted_settings, writes
    devices = dict(('ups%d' % n, sim(model, 'pty')) for n, model in enumerate(PROFILES, 1))
    models = dict(('ups%d' % n, model) for n, model in enumerate(PROFILES, 1))
    per_host = {}
    for name, model in models.items():
        args, _expected = wanted_settings(unit_of(model))
        per_host[name] = {'ups_eeprom': dict(list(sorted(args.items()))[:2])}
    inventory = rack_inventory(devices, smart_hostvars(), per_host)
    wires = dict((n, Wire(d)) for n, d in devices.items())
    check, applied, again = three_runs(devices, ansible_playbook, 'rackops.apc.ups', inventory)
    for name, device in devices.items():
        facts = [r for r in applied.records if r['host'] == name and r['action'] == 'rackops.apc.facts']
        apc = facts[0]['result']['ansible_facts']['apc']
        if apc['device']['model']:
            assert apc['model_info']['family'] == 'smart', (models[name], apc['device']['model'])
        else:       # a unit that answers NA to ^A: known by its dialect, with a warning
            assert apc['model_info'] is None
            assert 'does not answer ^A' in ' '.join(facts[0]['result']['warnings'])
        changed = [r['task'] for r in applied.records if r['host'] == name and r['result'].get('changed')]
        assert changed == ['rackops.apc.ups : EEPROM settings'], (models[name], changed)
        assert per_host[name]['ups_eeprom'], models[name]
    # the re-apply sent nothing that writes
    for name, wire in wires.items():
        wire.mark()
    ansible_playbook(role_play('rackops.apc.ups'), inventory, extra_args=['-f', str(len(devices))])
    for name, wire in wires.items():
        assert not writes(wire.since()), models[name]
    assert check and again


@pytest.mark.long_running(75)
def test_ups_role_on_the_nmc3_and_aos5_cards(sim, ansible_playbook):
    devices = {'nmc3': sim('SMT1500-AP9641', 'pty', boot_seconds=2),
               'aos5': sim('SUA1500-AP9630-AOS5', 'pty', boot_seconds=2)}
    # the NMC3 forces a new password at its first login
    ansible_playbook([{'name': 'first', 'hosts': 'nmc3', 'gather_facts': False,
                       'tasks': [{'name': 'first', 'rackops.apc.facts': {'gather_subset': ['min']}}]}],
                     rack_inventory(devices, {'ansible_apc_new_password': NEW_PW}))
    common = {'ups_identity': {'name': '{{ inventory_hostname }}-ups', 'location': 'DC2 row B'},
              'ups_time': {'date_format': 'yyyy-mm-dd'}}
    inventory = rack_inventory(devices, common, {'nmc3': {'ansible_password': NEW_PW}})
    _check, applied, _again = three_runs(devices, ansible_playbook, 'rackops.apc.ups', inventory)
    for name, device in devices.items():
        state = device.device_state()
        assert state['system']['name'] == name + '-ups'
        services = applied.task('rackops.apc.ups : Services', name)['result']
        reboot = applied.task('rackops.apc.ups : Reboot the management card (not the load) once for the changes that need it', name)
        # a reboot exactly when a change asked for one (services answer E002)
        assert (reboot['status'] == 'ok') is bool(services.get('reboot_required')), (name, services, reboot)
        assert state['web']['https'] is True and state['web']['http'] is False, (name, state['web'])


def test_roles_refuse_unknown_option_names_before_the_console(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    run = ansible_playbook(role_play('rackops.apc.pdu'),
                           inventory_for({'dev': device}, pdu_identity={'name': 'x', 'locaton': 'typo'},
                                         pdu_outlets=[{'outlets': 1, 'on_dealy': 5}]), check=False)
    assert run.rc != 0
    msg = run.task('rackops.apc.pdu : Check the option names before the console is touched')['result']['msg']
    assert 'pdu_identity has no option locaton' in msg and 'pdu_outlets has no option on_dealy' in msg
    assert device.received_lines() == []
