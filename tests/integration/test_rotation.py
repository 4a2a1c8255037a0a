# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/rotate_passwords.yml across a rack of 20 simulated devices behind a console
server (raw TCP ports), in parallel: every profile with a login (AOS 6.x Rack PDUs, AOS 6.9.6
with its forced first-login change, NMC2, NMC3, AOS 5.x, the four menu-console PDUs and the
NMC1 card at 2400 baud) and a UPS on the smart protocol (no passwords: not applicable).
Two misbehave: one requires strong passwords (the new one is refused before it is sent), one
drops the line in the middle of the change. Three of them also rotate the Device Manager
account ("chosen accounts").

Then the same rotation again (the new password is the one in use: nothing is written), and a
check-mode run towards another password (nothing is written either)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from harness import inventory_for, is_write, stable_state, state_diff
from test_menu import menu_writes, transcript

REPO = Path(__file__).resolve().parents[2]
PLAYBOOK = str(REPO / 'playbooks' / 'rotate_passwords.yml')
OLD = 'apc'
FIRST = 'first-pw-13'          # ups13 (NMC3) had its forced first-login change before
NEW = 'rotcanary9'             # 10 characters (the menu consoles' limit); not strong
NEW_DEVICE = 'devcanary7'      # the Device Manager accounts' new password
NEXT = 'chkcanary3'            # the check-mode run's target
NEXT_DEVICE = 'devcheck55'

# name -> (profile, simulator options, host variables)
NMC1 = {'ansible_serial_baud_rate': 2400, 'ansible_apc_command_timeout': 15}
RACK = {
    'pdu01': ('AP8941', {}, {}),
    'pdu02': ('AP8941', {}, {}),
    'pdu03': ('AP8941', {}, {}),
    'pdu04': ('AP8941', {}, {}),
    'pdu05': ('AP8941', {}, {}),                      # strong passwords required
    'pdu06': ('AP7920B', {}, {'ansible_apc_new_password': NEW}),   # forced change pending
    'pdu07': ('AP7920', {}, {}),
    'pdu08': ('AP7921', {}, {}),
    'pdu09': ('AP8941', {}, {}),                      # drops the line mid-change
    'pdu10': ('AP7900', {}, {}),
    'pdu11': ('AP7920-B2', {}, {}),
    'ups12': ('SUA1500-AP9631', {'no_first_login_change': True}, {}),
    'ups13': ('SMT1500-AP9641', {}, {'ansible_password': FIRST}),
    'ups14': ('SUA1500-AP9630-AOS5', {}, {}),
    'ups15': ('SU1400-AP9617', {'baud': 2400}, NMC1),
    'ups16': ('SU1000NET', {'baud': 2400},
              {'ansible_apc_dialect': 'smart', 'ansible_serial_baud_rate': 2400}),
    'pdu17': ('AP8941', {}, {}),
    'pdu18': ('AP8941', {}, {}),
    'pdu19': ('AP8941', {}, {}),
    'pdu20': ('AP8941', {}, {}),
}
SMART = {'ups16'}
MENU = {'pdu07', 'pdu08', 'pdu10', 'pdu11', 'ups15'}
WITH_DEVICE_ACCOUNT = ('pdu01', 'pdu07', 'ups14')      # AOS 6.x named, menu and AOS 5.x fixed
# The re-run and the check-mode run visit one device of each profile (and both misbehaving
# ones): the other AP8941s add run time, not evidence. The rest must not even be contacted.
REVISITED = sorted(set(RACK) - {'pdu02', 'pdu03', 'pdu04', 'pdu17', 'pdu18', 'pdu19', 'pdu20'})


def rack_inventory(devices, admin, device_accounts):
    """admin: host -> its current password; device_accounts: (new, old) for the chosen account."""
    inventory = inventory_for(devices)
    for name, host in inventory['all']['hosts'].items():
        host.update(RACK[name][2])
        if name not in SMART:
            host['ansible_password'] = admin[name]
        if device_accounts and name in WITH_DEVICE_ACCOUNT:
            new, old = device_accounts
            host['password_rotation_accounts'] = [{'name': 'device', 'password': new, 'old_password': old}]
    return inventory


def passwords(device):
    """{user name: password} from the simulator (it keeps them in clear text)."""
    return dict((u['name'], u['password']) for u in device.device_state().get('users', []))


def writes(name, device, seen):
    """What changed something on the device since transcript entry ``seen``."""
    if name in MENU:
        # 'Y' alone is the connection probing a silent port for the smart protocol (the NMC1
        # only answers after its third CR), not a value
        return [text for text in menu_writes(device, seen) if text != 'Y']
    lines = received_since(device, seen)
    return [line for line in lines if is_write(line)]


def received_since(device, seen):
    text = ''.join(e['data'] for e in transcript(device)[seen:] if e['dir'] == 'in')
    return text.replace('\r\n', '\n').replace('\r', '\n').split('\n')


def facts_of(run, task):
    return dict((r['host'], r['result']['ansible_facts']) for r in run.records
                if r['task'].endswith(task) and r['status'] == 'ok' and 'ansible_facts' in r['result'])


def summary_of(run):
    return [r for r in run.records if r['task'] == 'Summarise the rotation'][0]['result']['msg']


def failed_hosts(run):
    return sorted(r['host'] for r in run.records
                  if r['task'] == 'Fail the hosts whose passwords are not as wanted' and r['status'] == 'failed')


@pytest.mark.long_running(276)
def test_rotation_across_a_mixed_rack(sim, ansible_playbook):
    started = time.monotonic()
    devices = dict((name, sim(model, 'tcp', name=name, **options))
                   for name, (model, options, _hostvars) in RACK.items())
    admin = dict((name, FIRST if name == 'ups13' else OLD) for name in RACK)

    # pdu05's card requires strong passwords; pdu01's Device Manager account may log in;
    # ups13 (NMC3) gets its first password through the forced first-login change
    prep = rack_inventory(devices, admin, None)
    prep['all']['hosts']['ups13'].update(ansible_password=OLD, ansible_apc_new_password=FIRST)
    ansible_playbook([{'name': 'prep', 'hosts': 'pdu05,pdu01,ups13', 'gather_facts': False, 'tasks': [
        {'name': 'strong', 'rackops.apc.command': {'commands': ['userdflt -sp enable']},
         'when': "inventory_hostname == 'pdu05'"},
        {'name': 'device account', 'rackops.apc.user': {'name': 'device', 'enabled': True},
         'when': "inventory_hostname == 'pdu01'"},
        {'name': 'first login', 'rackops.apc.facts': {'gather_subset': ['identity']},
         'when': "inventory_hostname == 'ups13'"}]}], prep)
    assert passwords(devices['ups13'])['apc'] == FIRST
    # pdu09's console server drops the line right after the password change arrives
    assert devices['pdu09'].ctl('fault', 'disconnect-on', 'user -n apc -cp')['ok']
    smart_before = stable_state(devices['ups16'])

    # ---------------------------------------------------------------- the rotation
    inventory = rack_inventory(devices, admin, (NEW_DEVICE, OLD))
    seen = dict((name, len(transcript(device))) for name, device in devices.items())
    run = ansible_playbook(PLAYBOOK, inventory, check=False, timeout=900,
                           extra_args=['-f', '20', '-v', '-e', 'vault_apc_new_password=%s' % NEW])
    first_run = time.monotonic() - started
    assert run.rc != 0                      # a host that did not rotate fails the run
    for secret in (NEW, NEW_DEVICE, FIRST):
        assert secret not in run.stdout and secret not in run.stderr, secret

    ended = facts_of(run, 'Record how the rotation ended')
    lines = facts_of(run, 'Describe the outcome and the way back')
    assert sorted(ended) == sorted(RACK)
    outcome = dict((h, f['password_rotation_line']) for h, f in lines.items())
    for name, device in devices.items():
        if name in SMART:
            continue
        admin_password = passwords(device)['apc']
        assert admin_password in (admin[name], NEW), (name, admin_password)  # nobody is left with an unknown one
    rotated = sorted(n for n in RACK if n not in SMART and passwords(devices[n])['apc'] == NEW)
    assert rotated == sorted(set(RACK) - SMART - {'pdu05'}), outcome
    assert passwords(devices['pdu05'])['apc'] == OLD
    assert sorted(h for h, f in ended.items() if f['password_rotation_state'] == 'rotated') == rotated, outcome
    assert ended['pdu05']['password_rotation_state'] == 'not_rotated'
    assert 'strong passwords' in lines['pdu05']['password_rotation_line']
    assert 'the old password still works' in lines['pdu05']['password_rotation_line']
    assert ended['pdu09']['password_rotation_state'] == 'rotated'
    assert ended['pdu09']['password_rotation_reason'].startswith('the change reported an error, but the new password logs in')
    assert 'still had a session logged in' in lines['pdu09']['password_rotation_line']
    assert 'first login' in lines['pdu06']['password_rotation_line']
    # the smart-protocol UPS: not applicable, not a failure, untouched
    assert ended['ups16']['password_rotation_state'] == 'not_applicable'
    assert lines['ups16']['password_rotation_failed'] is False
    assert stable_state(devices['ups16']) == smart_before
    # the chosen accounts
    for name in WITH_DEVICE_ACCOUNT:
        assert passwords(devices[name])['device'] == NEW_DEVICE, name
        assert lines[name]['password_rotation_account_states'] == [
            {'name': 'device', 'state': 'rotated', 'reason': ''}], name
    summary = summary_of(run)
    assert summary[0] == '2 of 20 hosts need attention:', summary
    assert any(line.startswith('pdu05: not_rotated') for line in summary[1:])
    assert any(line.startswith('pdu09: rotated') for line in summary[1:])
    assert summary[-1] == 'States: not_applicable 1, not_rotated 1, rotated 18'
    assert failed_hosts(run) == ['pdu05']
    # the pdu05 card never received the new password
    assert not any(NEW in line for line in devices['pdu05'].received_lines())
    # pdu09: the proof after the drop was a password login, not the session the card kept
    after_drop = received_since(devices['pdu09'], seen['pdu09'])
    change = [i for i, line in enumerate(after_drop) if line.startswith('user -n apc -cp')]
    assert len(change) == 1 and NEW in after_drop[change[0] + 1:], after_drop

    # ---------------------------------------------------------------- the same rotation again
    # The vault now holds the new password for the hosts that rotated (pdu05 keeps its old one).
    # "Unchanged" for a rotation: the new password is the one in use; it is proven by a fresh
    # login, and nothing is written (no setting command, no menu value, no Accept Changes).
    current = dict((name, NEW if name in rotated else admin[name]) for name in RACK)
    inventory = rack_inventory(devices, current, (NEW_DEVICE, NEW_DEVICE))
    before = dict((name, stable_state(device)) for name, device in devices.items())
    seen = dict((name, len(transcript(device))) for name, device in devices.items())
    again = ansible_playbook(PLAYBOOK, inventory, check=False, timeout=900,
                             extra_args=['-f', '20', '--limit', ','.join(REVISITED),
                                         '-e', 'vault_apc_new_password=%s' % NEW])
    for name, device in devices.items():
        assert stable_state(device) == before[name], (name, state_diff(before[name], stable_state(device)))
        assert writes(name, device, seen[name]) == [], name
    states = facts_of(again, 'Record how the rotation ended')
    outcome = dict((h, f['password_rotation_line']) for h, f in
                   facts_of(again, 'Describe the outcome and the way back').items())
    revisited_rotated = sorted(set(rotated) & set(REVISITED))
    assert sorted(states) == REVISITED
    assert sorted(h for h, f in states.items() if f['password_rotation_state'] == 'unchanged') == revisited_rotated, outcome
    assert states['pdu05']['password_rotation_state'] == 'not_rotated'     # still refused, still nothing sent
    assert states['ups16']['password_rotation_state'] == 'not_applicable'
    assert [r['task'] for r in again.records if r['result'].get('changed')] == []
    for name in WITH_DEVICE_ACCOUNT:
        assert facts_of(again, 'Describe the outcome and the way back')[name][
            'password_rotation_account_states'][0]['state'] == 'unchanged'
    assert summary_of(again)[0] == '1 of %d hosts need attention:' % len(REVISITED)
    assert failed_hosts(again) == ['pdu05']
    # unchanged is proven, not assumed: every rotated host saw a login with the new password
    for name in RACK:
        if name in revisited_rotated:
            assert NEW in received_since(devices[name], seen[name]), name
        elif name not in REVISITED:
            assert received_since(devices[name], seen[name]) == [''], name     # not contacted

    # ---------------------------------------------------------------- check mode
    inventory = rack_inventory(devices, current, (NEXT_DEVICE, NEW_DEVICE))
    seen = dict((name, len(transcript(device))) for name, device in devices.items())
    check = ansible_playbook(PLAYBOOK, inventory, check=False, timeout=900,
                             extra_args=['-f', '20', '--limit', ','.join(REVISITED), '--check',
                                         '-e', 'vault_apc_new_password=%s' % NEXT])
    for name, device in devices.items():
        assert stable_state(device) == before[name], (name, state_diff(before[name], stable_state(device)))
        assert writes(name, device, seen[name]) == [], name
        assert not any(NEXT in line or NEXT_DEVICE in line for line in received_since(device, seen[name])), name
    states = facts_of(check, 'Record how the rotation ended')
    outcome = dict((h, f['password_rotation_line']) for h, f in
                   facts_of(check, 'Describe the outcome and the way back').items())
    assert sorted(h for h, f in states.items() if f['password_rotation_state'] == 'would_rotate') == revisited_rotated, outcome
    assert states['pdu05']['password_rotation_state'] == 'not_rotated'
    assert states['ups16']['password_rotation_state'] == 'not_applicable'
    would = [r['host'] for r in check.records if r['task'].endswith('Set the new password')
             and r['status'] == 'ok' and r['result'].get('changed')]
    assert sorted(would) == revisited_rotated
    for name in WITH_DEVICE_ACCOUNT:
        assert facts_of(check, 'Describe the outcome and the way back')[name][
            'password_rotation_account_states'][0]['state'] == 'would_rotate'
    print('rotation test: first run %.0f s, all three runs %.0f s' % (first_run, time.monotonic() - started))


# ------------------------------------------------------------------ issue 11 item 5
def line_of(run, host):
    found = [r for r in run.records if r['task'].endswith('Report the rotation') and r['host'] == host]
    assert found, [r['task'] for r in run.records]
    return found[-1]['result']['msg']


def login_attempts(device):
    """The passwords typed at the device's Password prompts, in order (from its transcript)."""
    lines = [line for line in device.received_lines() if line]
    return [lines[i + 1] for i, line in enumerate(lines[:-1]) if line == 'apc']


def test_line_dropped_during_the_read_before_the_change(sim, ansible_playbook):
    """The line drops while the user module reads the account, before it sends the change:
    the old password still works, so the state is not_rotated (never unknown, never advice
    to reset the unit), and the new password was never typed at a login."""
    device = sim('AP8941', 'tcp')
    assert device.ctl('fault', 'disconnect-on', 'user -n apc')['ok']
    inventory = inventory_for({'pdu': device})
    inventory['all']['hosts']['pdu']['ansible_password'] = OLD
    run = ansible_playbook(PLAYBOOK, inventory, check=False,
                           extra_args=['-e', 'password_rotation_new_password=' + NEW])
    line = line_of(run, 'pdu')
    assert passwords(device)['apc'] == OLD, line
    assert 'not_rotated' in line and 'old password still works' in line, line
    assert 'reset' not in line, line
    assert NEW not in login_attempts(device), login_attempts(device)
