# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reset-button password recovery against the simulator: the button is pressed with
`apcsim ctl SOCKET press-reset` while the playbook waits for the window."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pexpect
import pytest
import yaml

from conftest import REPO, ansible_environment
from harness import inventory_for

NEW_PW = 'Recovered-Pw-42'


def super_user(state):
    return next(u for u in state['users'] if u['type'] == 'Super User')


def lose_password(device):
    """Give the Super User a password nobody knows (edit the stopped simulator's state)."""
    device.stop()
    state = json.loads(Path(device.state).read_text())
    super_user(state)['password'] = 'Nobody-Knows-1'
    Path(device.state).write_text(json.dumps(state))
    device.start()


def playbook_command(tmp_path, collections_path, play, inventory, env=None):
    """(argv, environment, records file) of an ansible-playbook run of ``play``."""
    if isinstance(play, Path):
        playbook_path = play
    else:
        playbook_path = tmp_path / 'play.yml'
        playbook_path.write_text(yaml.safe_dump(play, sort_keys=False))
    (tmp_path / 'inv.yml').write_text(yaml.safe_dump(inventory, sort_keys=False))
    records = tmp_path / 'records.jsonl'
    environment = ansible_environment(tmp_path, collections_path, records)
    environment.update(env or {})
    playbook = str(Path(sys.executable).parent / 'ansible-playbook')
    return [playbook, '-i', str(tmp_path / 'inv.yml'), str(playbook_path)], environment, records


def start_playbook(tmp_path, collections_path, play, inventory, env=None):
    argv, environment, records = playbook_command(tmp_path, collections_path, play, inventory, env)
    proc = subprocess.Popen(argv, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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


def press_when_watched(proc, device, attempts, timeout=60, before_press=None):
    """Once the playbook has tried the factory login ``attempts`` times, press the simulated
    reset button and wait for the playbook; returns its output. Kills it on any failure."""
    try:
        wait_for_attempts(device, attempts, timeout=timeout)
        if before_press:
            before_press()
        assert device.ctl('press-reset')['ok']
        out, _unused = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    return out


def _assert_started(device):
    assert device.ctl('status')['booting'] is False     # no login tried while it started


def records_of(records):
    return [json.loads(line) for line in records.read_text().splitlines() if line.strip()]


WINDOW_TASK = 'Log in within the window and set the new password'
READY_TASK = 'Wait until the unit answers on its console'


def role_results(records, task, host=None):
    """The role's results of one task (not the skipped ones), in order."""
    return [r for r in records_of(records)
            if r['task'].endswith(task) and r['status'] != 'skipped' and (host is None or r['host'] == host)]


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
    out = press_when_watched(proc, device, 3)
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


def test_factory_reset_role_on_nmc3_without_the_model(sim, tmp_path, collections_path):
    """Without pdu_factory_reset_model the NMC3 cannot be told apart: its console answers with
    the same User Name prompt as an NMC2 and names the card only after a login. The window
    never opens; the role gives up naming NMC3 as a reason, nothing else was sent."""
    device = sim('SMT1500-AP9641', 'pty')
    lose_password(device)
    inventory = inventory_for({'nmc3': device}, recovered_password=NEW_PW)
    play = role_play({'pdu_factory_reset_attempts': 1, 'pdu_factory_reset_wait_timeout': 3})
    proc, records = start_playbook(tmp_path, collections_path, play, inventory)
    out, _unused = proc.communicate(timeout=300)
    assert proc.returncode != 0
    assert role_results(records, READY_TASK)[0]['result']['answer'] == 'login'
    assert 'NMC3' in role_results(records, WINDOW_TASK)[0]['result']['msg']
    assert 'If the unit is an NMC3 (AP9640/41/43), it has no such window' in out
    assert set(device.received_lines()) <= {'', 'apc'}
    assert super_user(device.device_state())['password'] == 'Nobody-Knows-1'


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
    # then straight on into the pdu role with the new password
    inventory = inventory_for({'pdu': device}, recovered_password=NEW_PW,
                              pdu_identity={'name': 'pdu-recovered'}, pdu_secure_services=False)
    play = role_play({'pdu_factory_reset_then_provision': True})
    # a new connection process afterwards logs in with the password the role set
    play[0]['post_tasks'].insert(0, {'name': 'new connection', 'ansible.builtin.meta': 'reset_connection'})
    proc, records = start_playbook(tmp_path, collections_path, play, inventory)
    out = press_when_watched(proc, device, 2)
    assert proc.returncode == 0, out[-3000:]
    ready = role_results(records, READY_TASK)
    assert len(ready) == 1 and ready[0]['result']['answer'] == 'login', ready
    results = role_results(records, WINDOW_TASK)
    assert len(results) == 1 and results[0]['result']['proven'] is True
    assert device.device_state()['users'][0]['password'] == NEW_PW
    assert role_results(records, 'after')[0]['result']['stdout'] == ['apc']
    assert role_results(records, 'rackops.apc.pdu : Identity')[0]['result']['changed'] is True
    assert device.device_state()['system']['name'] == 'pdu-recovered'
    lines = device.received_lines()
    logins = [n for n in range(len(lines) - 1) if lines[n:n + 2] == ['apc', NEW_PW]]
    assert len(logins) == 2, lines      # the proof, then the new connection's own login
    assert 'Recovered: logged in with apc/apc' in out, out[-2500:]
    assert NEW_PW not in out


def test_factory_reset_role_retries_when_the_window_is_missed(sim, tmp_path, collections_path):
    device = sim('AP8941', 'pty')
    lose_password(device)
    inventory = inventory_for({'pdu': device}, recovered_password=NEW_PW)
    proc, records = start_playbook(tmp_path, collections_path, role_play(), inventory)
    # nobody presses during the first attempt (6 s, about 6 login tries); press in the second
    # (two lines, user and password, per try)
    out = press_when_watched(proc, device, 16, timeout=90)
    assert proc.returncode == 0, out[-3000:]
    results = [r['result'] for r in role_results(records, WINDOW_TASK)]
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


def test_factory_reset_role_waits_until_the_unit_answers(sim, tmp_path, collections_path):
    """A unit that is restarting: the role knocks until the console answers and only
    then watches for the window (and, interactively, asks for the button)."""
    device = sim('AP8941', 'pty', boot_seconds=10)
    lose_password(device)
    inventory = inventory_for({'pdu': device}, recovered_password=NEW_PW)
    play = role_play()
    # the restart right before the role, from the play itself (however slow ansible starts)
    play[0]['pre_tasks'] = [{
        'name': 'restart the unit', 'delegate_to': 'localhost',
        'ansible.builtin.command': {'argv': [sys.executable, '-m', 'apcsim', 'ctl', str(device.control), 'reboot']},
        'environment': {'PYTHONPATH': str(REPO / 'tests')}}]
    proc, records = start_playbook(tmp_path, collections_path, play, inventory)
    out = press_when_watched(proc, device, 2, timeout=90,
                             before_press=lambda: _assert_started(device))
    assert proc.returncode == 0, out[-3000:]
    ready = role_results(records, READY_TASK)[0]['result']
    assert ready['changed'] is False and ready['answer'] == 'login'
    assert ready['waited'] > 0 and ready['crs_sent'] > 1, ready
    assert 'pdu answers on its console (login prompt, after' in out
    assert role_results(records, WINDOW_TASK)[0]['result']['proven'] is True
    assert device.device_state()['users'][0]['password'] == NEW_PW


def test_ready_stage_says_what_to_check_when_nothing_answers(sim, tmp_path, collections_path):
    device = sim('AP8941', 'pty', boot_seconds=60)
    assert device.ctl('reboot')['ok']                 # dead for longer than the task waits
    play = [{'name': 'ready', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'ready', 'rackops.apc.recover': {'stage': 'ready', 'timeout': 3}}]}]
    proc, records = start_playbook(tmp_path, collections_path, play, inventory_for({'pdu': device}))
    out, _unused = proc.communicate(timeout=300)
    assert proc.returncode != 0, out[-3000:]
    failed = records_of(records)[-1]['result']
    assert failed['error_kind'] == 'no_answer', failed
    assert 'did not answer within 3 s' in failed['msg'] and 'nothing came back' in failed['msg']
    assert 'finished starting' in failed['msg'] and '940-0144' in failed['msg']


def test_bad_input_is_refused_before_the_console(sim, tmp_path, collections_path):
    device = sim('AP8941', 'pty')
    cases = [
        ({'new_password': 'apc'}, 'must not be the factory password'),
        ({'stage': 'window'}, 'new_password is required with stage=window'),
        ({'new_password': 'Eleven-Char', 'model': 'AP7920'}, 'takes at most 10'),
        ({'stage': 'ready', 'pressed_at': 1}, 'pressed_at only applies to stage=window'),
        ({'stage': 'ready', 'new_password': 'has"quote'}, 'double quote'),
        ({'new_password': NEW_PW, 'model': 'SMT1500-AP9641'}, 'no reset-button login window'),
    ]
    tasks = [{'name': 'case%d' % n, 'rackops.apc.recover': args, 'ignore_errors': True}
             for n, (args, _msg) in enumerate(cases)]
    play = [{'name': 'bad', 'hosts': 'all', 'gather_facts': False, 'tasks': tasks}]
    proc, records = start_playbook(tmp_path, collections_path, play, inventory_for({'pdu': device}))
    out, _unused = proc.communicate(timeout=300)
    results = dict((r['task'], r) for r in records_of(records))
    for n, (_args, msg) in enumerate(cases):
        record = results['case%d' % n]
        assert record['status'] == 'failed' and msg in record['result']['msg'], (n, record)
        assert record['result']['error_kind'] == 'input'
    assert '****' not in results['case0']['result']['msg']     # no masked value in the text
    assert device.received_lines() == []
    assert 'Eleven-Char' not in out


# Every simulator profile with a reset-button window except AP8941 (tested above), with its
# simulator options and host variables. The NMC3 (SMT1500-AP9641) has none: see the refusal
# tests. AP7921 stands for the AOS 3.x menu consoles' login lockout (3 failed logins lock the
# console; 5 s here instead of 2 minutes): its button is pressed only after 4 refused tries.
WINDOW_PROFILES = {
    'AP7920B': ({}, {}),                 # command line, AOS 6.9.6 (first-login change firmware)
    'SUA1500-AP9631': ({}, {}),          # NMC2, AOS 6.9.6
    'SUA1500-AP9630-AOS5': ({}, {}),     # NMC2 on AOS 5.1.7: fixed accounts, user -an/-ap
    'AP7920': ({}, {}),                  # menu consoles, AOS 3.7.3
    'AP7921': ({'lockout_seconds': 5}, {}),
    'AP7900': ({}, {}),
    'AP7920-B2': ({}, {}),               # menu console, AOS 2.6.4 (no lockout)
    'SU1400-AP9617': ({}, {'ansible_serial_baud_rate': 2400}),   # NMC1: 2400 baud, 3 CRs
}
PRESS_AFTER_TRIES = {'AP7921': 4}
MENU_PW = 'Rcv-Pw-42x'                   # menu consoles take at most 10 characters


def press_after_tries(proc, device, tries):
    """The lab's button: pressed once ``device`` has refused ``tries`` factory logins (two
    'apc' lines each). Returns the seconds waited, None if the playbook ended first."""
    started = time.monotonic()
    while proc.poll() is None:
        if device.received_lines().count('apc') >= 2 * tries - 1:
            assert device.ctl('press-reset')['ok'], device.model
            return round(time.monotonic() - started, 1)
        time.sleep(0.2)
    return None


@pytest.mark.long_running(49)
def test_factory_reset_role_on_every_profile_with_a_window(sim, tmp_path, collections_path):
    """One run over all profiles in parallel (non-interactive). Each device's button is
    pressed once it has received a factory login; afterwards every device has the new
    password, and the transcript shows the fresh login with it that proved it."""
    devices, hostvars = {}, {}
    for model, (options, variables) in WINDOW_PROFILES.items():
        host = re.sub(r'[^a-z0-9]+', '_', model.lower())
        devices[host] = sim(model, 'pty', name=host, **options)
        hostvars[host] = variables
    with ThreadPoolExecutor(len(devices)) as pool:
        list(pool.map(lose_password, devices.values()))
    inventory = inventory_for(devices, recovered_password=MENU_PW)
    for host, variables in hostvars.items():
        inventory['all']['hosts'][host].update(variables)
    play = role_play({'pdu_factory_reset_wait_timeout': 60})
    del play[0]['post_tasks']           # AP8941 tests the next connection (cli command only)
    proc, records = start_playbook(tmp_path, collections_path, play, inventory,
                                   env={'ANSIBLE_FORKS': str(len(devices))})
    try:
        with ThreadPoolExecutor(len(devices)) as pool:
            pressed = dict((host, pool.submit(press_after_tries, proc, device,
                                              PRESS_AFTER_TRIES.get(device.model, 1)))
                           for host, device in devices.items())
            pressed = dict((host, future.result()) for host, future in pressed.items())
        out, _unused = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    failures = [(r['host'], r['task'], r['result'].get('msg')) for r in records_of(records)
                if r['status'] == 'failed']
    assert proc.returncode == 0 and not failures, (failures, out[-3000:])
    assert None not in pressed.values(), pressed
    for host, device in devices.items():
        window = role_results(records, WINDOW_TASK, host)
        assert len(window) == 1 and window[0]['result']['proven'] is True, (host, window)
        assert super_user(device.device_state())['password'] == MENU_PW, host
        # the proof: after the change, a login as apc with the new password (and nothing after
        # it but the logout of that session)
        lines = device.received_lines()
        logins = [n for n in range(len(lines) - 1) if lines[n:n + 2] == ['apc', MENU_PW]]
        assert logins, (host, lines[-12:])
    locked = role_results(records, WINDOW_TASK, 'ap7921')[0]['result']
    assert locked['attempts'] >= 4 and locked['proof_waited'] > 0, locked
    assert MENU_PW not in out


def test_factory_reset_playbook_interactive_on_a_terminal(sim, tmp_path, collections_path):
    """playbooks/factory_reset_pdu.yml as a person runs it: on a terminal (a pty this test
    drives; the real stdin is never read), the pause prompt waits for ENTER; the button is
    pressed, ENTER confirms, and the window is counted down while the console is watched."""
    device = sim('AP8941', 'pty')
    lose_password(device)
    host = inventory_for({'pdu-a01': device})['all']['hosts']['pdu-a01']
    inventory = {'all': {'vars': {'vault_apc_password': NEW_PW},
                         'children': {'pdus': {'hosts': {'pdu-a01': host}}}}}
    argv, env, records = playbook_command(tmp_path, collections_path,
                                          REPO / 'playbooks' / 'factory_reset_pdu.yml', inventory)
    log = io.StringIO()
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=str(tmp_path), encoding='utf-8',
                          codec_errors='replace', timeout=120, dimensions=(50, 200))
    child.logfile_read = log
    try:
        child.expect('Press ENTER right after the second press')
        assert device.ctl('press-reset')['ok']          # the person presses the button twice
        for _try in range(3):
            # the prompt flushes what was typed before it reads: ENTER again if it was lost
            child.send('\r')
            if child.expect(['window closes in', pexpect.TIMEOUT], timeout=10) == 0:
                break
        child.expect(pexpect.EOF, timeout=180)
    finally:
        child.close(force=True)
    out = log.getvalue()
    assert child.exitstatus == 0, out[-3000:]
    assert re.search(r'pdu-a01: window closes in \d+ s', out), out[-3000:]
    assert 'Recovered: logged in with apc/apc at the first try' in out, out[-3000:]
    window = role_results(records, WINDOW_TASK)[0]['result']
    assert window['proven'] is True and 0 < window['seconds_left'] <= 30
    assert super_user(device.device_state())['password'] == NEW_PW
    assert NEW_PW not in out
