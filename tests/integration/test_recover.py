# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reset-button password recovery against the simulator: the button is pressed with
`apcsim ctl SOCKET press-reset` while the playbook waits for the window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import CALLBACKS
from harness import inventory_for

NEW_PW = 'Recovered-Pw-42'


def lose_password(device):
    """Give the Super User a password nobody knows (edit the stopped simulator's state)."""
    device.stop()
    state = json.loads(Path(device.state).read_text())
    state['users'][0]['password'] = 'Nobody-Knows-1'
    Path(device.state).write_text(json.dumps(state))
    device.start()


def start_playbook(tmp_path, collections_path, play, inventory):
    (tmp_path / 'play.yml').write_text(yaml.safe_dump(play, sort_keys=False))
    (tmp_path / 'inv.yml').write_text(yaml.safe_dump(inventory, sort_keys=False))
    records = tmp_path / 'records.jsonl'
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections_path),
               ANSIBLE_CALLBACK_PLUGINS=str(CALLBACKS), ANSIBLE_CALLBACKS_ENABLED='record',
               RACKOPS_RECORD_FILE=str(records), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=str(tmp_path / 'pc'),
               ANSIBLE_APC_LOCK_DIR=str(tmp_path / 'locks'), ANSIBLE_NOCOLOR='1')
    playbook = str(Path(sys.executable).parent / 'ansible-playbook')
    proc = subprocess.Popen([playbook, '-i', str(tmp_path / 'inv.yml'), str(tmp_path / 'play.yml')],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True)
    return proc, records


def wait_for_attempts(device, count, timeout=60):
    """Until the device has received ``count`` factory-login attempts (apc as user name)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if device.received_lines().count('apc') >= count:
            return
        time.sleep(0.2)
    raise AssertionError('the recovery did not try the factory login %d times' % count)


def records_of(records):
    return [json.loads(line) for line in records.read_text().splitlines() if line.strip()]


def test_recover_inside_the_window(sim, tmp_path, collections_path):
    device = sim('AP8941', 'pty', reset_window_seconds=30)
    lose_password(device)
    play = [{'name': 'recover', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'recover', 'rackops.apc.recover': {
            'new_password': '{{ recovered_password }}', 'timeout': 60,
            'pressed_at': '{{ lookup("ansible.builtin.file", pressed_file) | float }}'}},
        {'name': 'after', 'rackops.apc.command': {'commands': ['whoami']}},
    ]}]
    pressed_file = tmp_path / 'pressed_at'
    inventory = inventory_for({'pdu': device}, ansible_password='wrong-anyway',
                              recovered_password=NEW_PW, pressed_file=str(pressed_file))
    # the person presses the button before the task reads pressed_at: write it first
    proc = None
    try:
        pressed_file.write_text('%f' % time.time())
        assert device.ctl('press-reset')['ok']
        proc, records = start_playbook(tmp_path, collections_path, play, inventory)
        out, _unused = proc.communicate(timeout=300)
    finally:
        if proc and proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out[-3000:]
    results = dict((r['task'], r['result']) for r in records_of(records))
    recovered = results['recover']
    assert recovered['changed'] and recovered['proven'] and recovered['attempts'] >= 1
    assert 0 < recovered['seconds_left'] <= 30
    assert results['after']['stdout'] == ['apc']
    assert device.device_state()['users'][0]['password'] == NEW_PW
    assert NEW_PW not in out


def test_recover_waits_for_a_late_press(sim, tmp_path, collections_path):
    """The window opens only after a few refused attempts: the module keeps trying."""
    device = sim('AP8941', 'pty', reset_window_seconds=30)
    lose_password(device)
    play = [{'name': 'recover', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'recover', 'rackops.apc.recover': {'new_password': NEW_PW, 'timeout': 60}}]}]
    proc, records = start_playbook(tmp_path, collections_path, play, inventory_for({'pdu': device}))
    try:
        wait_for_attempts(device, 3)
        assert device.ctl('press-reset')['ok']
        out, _unused = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out[-3000:]
    recovered = records_of(records)[-1]['result']
    assert recovered['attempts'] >= 3 and recovered['seconds_left'] is None


def test_recover_gives_up_with_advice(sim, tmp_path, collections_path):
    device = sim('AP8941', 'pty')
    lose_password(device)
    play = [{'name': 'recover', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'recover', 'rackops.apc.recover': {'new_password': NEW_PW, 'timeout': 4}}]}]
    proc, records = start_playbook(tmp_path, collections_path, play, inventory_for({'pdu': device}))
    out, _unused = proc.communicate(timeout=300)
    assert proc.returncode != 0
    failed = records_of(records)[-1]['result']
    assert 'no reset-button login window' in failed['msg'] and 'LED' in failed['msg']
    assert device.device_state()['users'][0]['password'] == 'Nobody-Knows-1'


def test_nmc3_is_refused_before_the_console(sim, tmp_path, collections_path):
    device = sim('SMT1500-AP9641', 'pty')
    play = [{'name': 'recover', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'recover', 'rackops.apc.recover': {'new_password': NEW_PW, 'model': 'AP9641'}}]}]
    proc, records = start_playbook(tmp_path, collections_path, play, inventory_for({'nmc3': device}))
    out, _unused = proc.communicate(timeout=300)
    assert proc.returncode != 0
    assert 'no reset-button login window' in records_of(records)[-1]['result']['msg']
    assert device.received_lines() == []


def role_play(extra=None):
    role_vars = {'pdu_factory_reset_new_password': '{{ recovered_password }}',
                 'pdu_factory_reset_interactive': False,
                 'pdu_factory_reset_wait_timeout': 6,
                 'pdu_factory_reset_attempts': 3}
    role_vars.update(extra or {})
    return [{'name': 'factory reset', 'hosts': 'all', 'gather_facts': False,
             'roles': [{'role': 'rackops.apc.pdu_factory_reset', 'vars': role_vars}],
             'post_tasks': [{'name': 'after', 'rackops.apc.command': {'commands': ['whoami']}}]}]


def test_factory_reset_role_inside_the_window(sim, tmp_path, collections_path):
    device = sim('AP8941', 'pty')
    lose_password(device)
    inventory = inventory_for({'pdu': device}, recovered_password=NEW_PW)
    proc, records = start_playbook(tmp_path, collections_path, role_play(), inventory)
    try:
        wait_for_attempts(device, 2)                  # the role is watching the console
        assert device.ctl('press-reset')['ok']        # the button, pressed "by other means"
        out, _unused = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out[-3000:]
    results = [r for r in records_of(records)
               if r['action'] == 'rackops.apc.recover' and r['status'] != 'skipped']
    assert len(results) == 1 and results[0]['result']['proven'] is True
    assert device.device_state()['users'][0]['password'] == NEW_PW
    assert 'Recovered: logged in with apc/apc' in out, out[-2500:]
    assert NEW_PW not in out


def test_factory_reset_role_retries_when_the_window_is_missed(sim, tmp_path, collections_path):
    device = sim('AP8941', 'pty')
    lose_password(device)
    inventory = inventory_for({'pdu': device}, recovered_password=NEW_PW)
    proc, records = start_playbook(tmp_path, collections_path, role_play(), inventory)
    try:
        # nobody presses during the first attempt (6 s, about 6 login tries); press in the second
        wait_for_attempts(device, 16, timeout=90)   # two lines (user, password) per try
        assert device.ctl('press-reset')['ok']
        out, _unused = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out[-3000:]
    results = [r['result'] for r in records_of(records)
               if r['action'] == 'rackops.apc.recover' and r['status'] != 'skipped']
    assert len(results) == 2
    assert 'no reset-button login window' in results[0]['msg']
    assert results[1]['proven'] is True
    assert 'Window missed' in out and 'Recovered' in out
    assert device.device_state()['users'][0]['password'] == NEW_PW


def test_factory_reset_role_refuses_nmc3(sim, tmp_path, collections_path):
    device = sim('SMT1500-AP9641', 'pty')
    inventory = inventory_for({'nmc3': device}, recovered_password=NEW_PW)
    proc, _records = start_playbook(tmp_path, collections_path,
                                    role_play({'pdu_factory_reset_model': 'AP9641'}), inventory)
    out, _unused = proc.communicate(timeout=300)
    assert proc.returncode != 0 and 'no temporary apc/apc window' in out
    assert device.received_lines() == []
