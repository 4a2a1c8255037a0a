# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults injected through the simulator, one at a time, and what the user gets (issue 11):
impossible timing options, a smart-protocol line dropped during a write, a console that
answers late, menu consoles restarting or logging out in the middle of a run, faults during
a write, and menu choice screens in another layout. docs/faults.md is the user's table."""

from __future__ import annotations

import sys

import pytest

from harness import inventory_for
from conftest import SIM_DIR

sys.path.insert(0, str(SIM_DIR))
try:
    from apcsim.transcript import received_bytes
finally:
    sys.path.remove(str(SIM_DIR))

FACTS = [{'name': 'facts', 'hosts': 'all', 'gather_facts': False,
          'tasks': [{'name': 'gather', 'rackops.apc.facts': {'gather_subset': ['min']}}]}]


# ------------------------------------------------------------------ item 8: impossible timings
BAD_TIMINGS = {
    # host: (hostvars, words the error must contain)
    'login_negative': ({'ansible_apc_login_timeout': -1}, ['login_timeout', '-1']),
    'login_zero': ({'ansible_apc_login_timeout': 0}, ['login_timeout', 'more than 0']),
    'login_word': ({'ansible_apc_login_timeout': 'soon'}, ['login_timeout']),
    'command_nan': ({'ansible_apc_command_timeout': 'nan'}, ['command_timeout', 'number']),
    'boot_negative': ({'ansible_apc_boot_timeout': -300}, ['boot_timeout']),
    'wake_zero': ({'ansible_apc_wake_interval': 0}, ['wake_interval', 'more than 0']),
    'wake_negative': ({'ansible_apc_wake_interval': -2}, ['wake_interval']),
    'wake_longer_than_login': ({'ansible_apc_wake_interval': 30, 'ansible_apc_login_timeout': 20},
                               ['wake_interval', 'login_timeout']),
    'idle_probe_negative': ({'ansible_apc_idle_probe_after': -5}, ['idle_probe_after']),
}


def test_impossible_timings_are_refused_before_the_console(sim, ansible_playbook):
    """Every host points at the same console; none may send it a byte."""
    device = sim('AP8941', 'pty')
    inventory = inventory_for({'good': device})
    template = inventory['all']['hosts'].pop('good')
    for host, (hostvars, _words) in BAD_TIMINGS.items():
        inventory['all']['hosts'][host] = dict(template, **hostvars)
    run = ansible_playbook(FACTS, inventory, check=False,
                           env={'ANSIBLE_FORKS': str(len(BAD_TIMINGS))})
    for host, (_hostvars, words) in BAD_TIMINGS.items():
        result = run.task('gather', host)
        assert result['status'] == 'failed', (host, result)
        msg = result['result']['msg']
        for word in words:
            assert word in msg, (host, word, msg)
        assert "cable" not in msg, (host, msg)
    assert received_bytes(str(device.transcript)) == b''


def ctl_task(device, *args, name=None):
    """A task that acts on the simulated device from the controller, between two tasks of
    the play (the timing is then independent of how long ansible takes to start)."""
    return {'name': name or 'simulator: %s' % ' '.join(args),
            'delegate_to': 'localhost',
            'ansible.builtin.command': {'argv': [sys.executable, '-m', 'apcsim', 'ctl',
                                                 str(device.control)] + list(args)},
            'environment': {'PYTHONPATH': str(SIM_DIR)},
            'vars': {'ansible_connection': 'local'}}


def play_of(tasks):
    return [{'name': 'faults', 'hosts': 'all', 'gather_facts': False, 'tasks': tasks}]


# ------------------------------------------------------------------ item 6: smart line drop
def test_smart_line_dropped_during_a_write_next_task_reconnects(sim, ansible_playbook):
    device = sim('SU1000NET', 'tcp')
    inventory = inventory_for({'ups': device}, ansible_apc_dialect='smart',
                              ansible_serial_baud_rate=2400)
    wanted = {'upper_transfer_voltage': 136}
    tasks = [
        {'name': 'read', 'rackops.apc.facts': {'gather_subset': ['min']}},
        ctl_task(device, 'fault', 'disconnect-on-bytes', '-'),
        {'name': 'cut', 'rackops.apc.ups_settings': wanted, 'ignore_errors': True},
        {'name': 'again', 'rackops.apc.ups_settings': wanted},
        {'name': 'after', 'rackops.apc.facts': {}},
    ]
    run = ansible_playbook(play_of(tasks), inventory, check=False)
    cut = run.task('cut')
    again = run.task('again')
    # the first '-' step reached the UPS (127 -> 130) before the line dropped: the task
    # fails, reports a change, and names the setting and the value it reads now
    assert cut['status'] == 'failed', cut
    assert cut['result']['changed'] is True, cut
    assert cut['result']['applied_commands'] == ['upper_transfer_voltage'], cut
    msg = cut['result']['msg']
    assert 'upper_transfer_voltage' in msg and "'130'" in msg and 'part of the way' in msg, msg
    assert 'Broken pipe' not in str(again['result']), again
    assert again['status'] == 'ok', again
    assert again['result']['changed'] is True, again
    assert again['result']['settings'][0]['before'] == '130', again
    assert device.device_state()['smart']['eeprom']['u'] == '136'
    assert run.task('after')['result']['ansible_facts']['apc']['eeprom']['upper_transfer_voltage']['raw'] == '136'


# ------------------------------------------------------------------ item 4: a late first answer
def test_late_console_never_gets_the_smart_probe_in_its_login(sim, ansible_playbook):
    """The console answers its first CR 3 s late (the inventory's wake_interval is 1 s):
    nothing but the user name may be typed at its User Name prompt."""
    device = sim('AP8941', 'pty')
    device.ctl('fault', 'late-answer', '3')
    run = ansible_playbook(FACTS, inventory_for({'pdu': device}), check=False)
    gather = run.task('gather')
    assert gather['status'] == 'ok', (gather, device.transcript)
    data = received_bytes(str(device.transcript))
    assert b'Y' not in data, data
    lines = device.received_lines()
    assert [line for line in lines if line][:2] == ['apc', 'apc'], lines


# ------------------------------------------------------------------ item 1: menu consoles restarting
MENU_VARS = {'ansible_apc_command_timeout': 10, 'ansible_apc_boot_timeout': 40}


def menu_events_play(device, event_tasks):
    """facts, then for each (name, simulator action): the action, then an identity task
    that sets the location to the name; then facts again."""
    tasks = [{'name': 'first', 'rackops.apc.facts': {'gather_subset': ['min']}}]
    for name, action in event_tasks:
        tasks.append(ctl_task(device, *action))
        tasks.append({'name': name, 'rackops.apc.identity': {'location': name}})
    tasks.append({'name': 'last', 'rackops.apc.facts': {'gather_subset': ['identity']}})
    return play_of(tasks)


def test_menu_console_restarts_and_logouts_between_tasks(sim, ansible_playbook):
    """A warm start, a reboot and an idle logout between two tasks: every task still runs."""
    device = sim('AP7920', 'pty', boot_seconds=3)
    events = [('after-warmstart', ('warmstart',)),
              ('after-reboot', ('reboot',)),
              ('after-logout', ('logout',))]
    run = ansible_playbook(menu_events_play(device, events),
                           inventory_for({'pdu': device}, **MENU_VARS), check=False)
    for name, _action in events:
        result = run.task(name)
        assert result['status'] == 'ok' and result['result']['changed'] is True, (name, result)
    assert run.task('last')['result']['ansible_facts']['apc']['identity']['location'] == 'after-logout'
    assert device.device_state()['system']['location'] == 'after-logout'
    assert device.device_state()['lastrst'] == '09 Coldstart Reset'


def test_menu_console_silent_logout_between_tasks(sim, ansible_playbook):
    """An idle logout that prints nothing: the console waits for a CR."""
    device = sim('AP7920', 'pty', idle_logout_style='silent')
    events = [('after-silent-logout', ('logout',))]
    run = ansible_playbook(menu_events_play(device, events),
                           inventory_for({'pdu': device}, **MENU_VARS), check=False)
    result = run.task('after-silent-logout')
    assert result['status'] == 'ok' and result['result']['changed'] is True, result
    assert device.device_state()['system']['location'] == 'after-silent-logout'


AT_SCREEN = [
    # (event, screen or prompt where the next key sets it off)
    ('warmstart', 'Control Console'),           # the main menu
    ('reboot', 'System'),                       # a menu
    ('logout', 'Identification'),               # the settings screen
    ('warmstart', 'Location'),                  # a half-typed field (its first character)
    # the identity module reads the screen (1), opens it afresh to set the value (2), shows
    # it with the pending value (3) and after Accept Changes stored it (4)
    ('reboot', 'Identification @3'),            # the Accept key sets it off: nothing stored
    ('warmstart', 'Identification @4'),         # right after Accept Changes stored it
]


@pytest.mark.long_running(83)
def test_menu_console_restart_at_any_screen_during_a_write(sim, ansible_playbook):
    """One identity task per fault, each on a fresh location: the task ends ok and changed,
    and the device holds the value (the read-back after the resync is the evidence)."""
    device = sim('AP7920', 'pty', boot_seconds=3)
    tasks = [{'name': 'first', 'rackops.apc.facts': {'gather_subset': ['min']}}]
    for number, (event, where) in enumerate(AT_SCREEN):
        tasks.append(ctl_task(device, 'fault', 'at-screen', event, *where.split()))
        tasks.append({'name': 'write%d' % number, 'rackops.apc.identity': {'location': 'room-%d' % number},
                      'ignore_errors': True})
        tasks.append(ctl_task(device, 'fault', 'clear', name='clear%d' % number))
        tasks.append({'name': 'read%d' % number, 'rackops.apc.facts': {'gather_subset': ['identity']},
                      'ignore_errors': True})
    run = ansible_playbook(play_of(tasks), inventory_for({'pdu': device}, **MENU_VARS), check=False)
    problems = []
    for number, (event, where) in enumerate(AT_SCREEN):
        result = run.task('write%d' % number)
        read = run.task('read%d' % number)
        location = (read['result'].get('ansible_facts') or {}).get('apc', {}).get('identity', {}).get('location')
        if result['status'] != 'ok' or result['result'].get('changed') is not True \
                or location != 'room-%d' % number:
            problems.append((event, where, result['status'], result['result'].get('msg'), location))
    assert not problems, problems
    assert device.device_state()['system']['location'] == 'room-%d' % (len(AT_SCREEN) - 1)


# ------------------------------------------------------------------ item 2: faults during a write
CLI_VARS = {'ansible_apc_command_timeout': 6, 'ansible_apc_boot_timeout': 30}


def test_cli_reboot_in_the_middle_of_a_write_is_named_and_read_back(sim, ansible_playbook):
    """The card restarts when the set command arrives (the command is lost): the task fails
    naming the restart, says nothing changed, and the next task runs."""
    device = sim('AP8941', 'pty', boot_seconds=2)
    before = device.device_state()['system']['location']
    tasks = [{'name': 'first', 'rackops.apc.facts': {'gather_subset': ['min']}},
             ctl_task(device, 'fault', 'reboot-on', 'system -l'),
             {'name': 'write', 'rackops.apc.identity': {'location': 'lost-in-reboot'}, 'ignore_errors': True},
             {'name': 'next', 'rackops.apc.identity': {'contact': 'after-reboot'}}]
    run = ansible_playbook(play_of(tasks), inventory_for({'pdu': device}, **CLI_VARS), check=False)
    write = run.task('write')
    assert write['status'] == 'failed', write
    msg = write['result']['msg']
    assert 'restarted' in msg and 'system -l' in msg and 'nothing was changed' in msg, msg
    assert 'no prompt after' not in msg.split('restarted')[0], msg
    assert write['result'].get('changed') is False, write
    assert run.task('next')['status'] == 'ok'
    state = device.device_state()
    assert state['system']['location'] == before and state['system']['contact'] == 'after-reboot'
    assert state['lastrst'] == '09 Coldstart Reset'


def test_cli_line_dropped_after_the_write_reached_the_device_is_changed(sim, ansible_playbook):
    """The console server drops the client after the card took the command: read back,
    the change is there, so the task reports changed (not a failure, never changed: false)."""
    device = sim('AP8941', 'tcp')
    tasks = [{'name': 'first', 'rackops.apc.facts': {'gather_subset': ['min']}},
             ctl_task(device, 'fault', 'disconnect-on', 'system -l'),
             {'name': 'write', 'rackops.apc.identity': {'location': 'landed'}},
             {'name': 'again', 'rackops.apc.identity': {'location': 'landed'}}]
    run = ansible_playbook(play_of(tasks), inventory_for({'pdu': device}, **CLI_VARS), check=False)
    write = run.task('write')
    assert write['status'] == 'ok' and write['result']['changed'] is True, write
    assert 'read back' in ' '.join(write['result'].get('warnings', [])), write
    assert run.task('again')['result']['changed'] is False
    assert device.device_state()['system']['location'] == 'landed'
    assert device.received_lines().count('system -l landed') == 1


# ------------------------------------------------------------------ item 9: choice screens by structure
@pytest.mark.parametrize('model, layout', [('AP7920', 'titled'), ('AP7920-B2', 'titled'),
                                           ('AP7920', 'current-value')])
def test_network_and_services_with_other_choice_screen_layouts(sim, ansible_playbook, model, layout):
    """Lists of values without the 'Current Setting' header ('------- Boot Mode', numbered
    values, prompt) or with another header: the network and services areas converge. The
    default layout is covered by test_menu.py and test_menu_more.py."""
    from test_menu import menu_converge
    device = sim(model, 'pty', choice_layout=layout)
    network = {'boot_mode': 'manual', 'ipv4_address': '192.0.2.20', 'subnet_mask': '255.255.255.0',
               'gateway': '192.0.2.1'}
    _check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.network', network)
    assert 'Network > TCP/IP > Boot Mode: Manual' in applied['commands']
    services = {'http_enabled': False, 'https_enabled': model == 'AP7920', 'telnet_enabled': False,
                'ftp_enabled': False}
    if model == 'AP7920':
        services['ssh_enabled'] = True
    _check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.services', services)
    state = device.device_state()
    assert state['boot']['mode'] == 'manual' and state['tcpip']['ip'] == '192.0.2.20'
    assert state['web']['http'] is False and state['ftp']['enabled'] is False
    assert state['console']['telnet'] is False
    if model == 'AP7920':
        assert state['web']['https'] is True and state['console']['ssh'] is True


def test_menu_console_restart_during_the_login_is_not_a_refused_login(sim, ansible_playbook):
    """A warm start while the session logs in again (at User Name, at Password): the banner
    before the new User Name prompt tells a restart from a refused password; one more login."""
    device = sim('AP7920', 'pty')
    tasks = [{'name': 'first', 'rackops.apc.facts': {'gather_subset': ['min']}}]
    for number, where in enumerate(('User Name', 'Password')):
        tasks += [ctl_task(device, 'fault', 'at-screen', 'warmstart', *where.split(), name='arm%d' % number),
                  ctl_task(device, 'logout', name='logout%d' % number),
                  {'name': 'write%d' % number, 'rackops.apc.identity': {'location': 'login-%d' % number}}]
    run = ansible_playbook(play_of(tasks), inventory_for({'pdu': device}, **MENU_VARS), check=False)
    for number in range(2):
        result = run.task('write%d' % number)
        assert result['status'] == 'ok' and result['result']['changed'] is True, (result['result'].get('msg'), result)
    assert device.device_state()['system']['location'] == 'login-1'
    assert device.device_state()['runtime']['fault'].get('at_screen') is None
