# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/rotate_passwords.yml across a rack of 20 simulated PDUs behind a console server
(raw TCP ports), in parallel, where two misbehave: one requires strong passwords (the new one
is refused before it is sent), one drops the line in the middle of the change."""

from __future__ import annotations

from pathlib import Path

from harness import inventory_for

REPO = Path(__file__).resolve().parents[2]
OLD = 'apc'
NEW = 'rotation-pass-2026'     # long enough, but no upper case and no special character


def test_rotation_across_twenty_devices(sim, ansible_playbook):
    devices = dict(('pdu%02d' % n, sim('AP8941', 'tcp', name='pdu%02d' % n)) for n in range(1, 21))
    inventory = inventory_for(devices)
    # pdu05's card requires strong passwords
    ansible_playbook([{'name': 'prep', 'hosts': 'pdu05', 'gather_facts': False, 'tasks': [
        {'name': 'strong', 'rackops.apc.command': {'commands': ['userdflt -sp enable']}}]}], inventory)
    # pdu09's console server drops the line right after the password change arrives
    assert devices['pdu09'].ctl('fault', 'disconnect-on', 'user -n apc -cp')['ok']

    run = ansible_playbook(str(REPO / 'playbooks' / 'rotate_passwords.yml'), inventory,
                           extra_args=['-f', '20', '-e', 'vault_apc_new_password=%s' % NEW],
                           check=False, timeout=900)
    assert run.rc != 0                      # a host that did not rotate fails the run
    assert NEW not in run.stdout and NEW not in run.stderr

    states = {}
    for name, device in devices.items():
        password = device.device_state()['users'][0]['password']
        states[name] = password
        assert password in (OLD, NEW), (name, password)   # nobody is left with an unknown one
    rotated = sorted(n for n, p in states.items() if p == NEW)
    assert 'pdu05' not in rotated and states['pdu05'] == OLD
    assert len(rotated) == 19 and 'pdu09' in rotated

    def facts_of(task):
        return dict((r['host'], r['result']['ansible_facts']) for r in run.records
                    if r['task'].endswith(task))
    ended = facts_of('Record how the rotation ended')
    lines = facts_of('Describe the outcome and the way back')
    assert sorted(h for h, f in ended.items() if f['password_rotation_state'] == 'rotated') == rotated
    assert ended['pdu05']['password_rotation_state'] == 'unchanged'
    assert 'strong passwords' in lines['pdu05']['password_rotation_line']
    assert ended['pdu09']['password_rotation_state'] == 'rotated'
    summary = [r for r in run.records if r['task'] == 'Summarise the rotation'][0]['result']['msg']
    assert summary[0] == '2 of 20 hosts need attention:'
    assert any(line.startswith('pdu05: unchanged') for line in summary[1:])
    assert any(line.startswith('pdu09: rotated') for line in summary[1:])
    failed = [r['host'] for r in run.records if r['task'] == 'Fail the hosts that did not rotate'
              and r['status'] == 'failed']
    assert failed == ['pdu05']
    # the pdu05 card never received the new password
    assert not any(NEW in line for line in devices['pdu05'].received_lines())
