# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.user and rackops.apc.user_defaults against the simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import converge, inventory_for, one_task, rejected

SIM_DIR = Path(__file__).resolve().parents[1]
CANARY = 'Canary-Usr-91x'
CANARY2 = 'Canary-Usr-92y'
AOS5 = 'SUA1500-AP9630-AOS5'


def _models():
    env = dict(os.environ, PYTHONPATH=str(SIM_DIR))
    out = subprocess.run([sys.executable, '-m', 'apcsim', 'models'], capture_output=True,
                         text=True, env=env, timeout=60, check=False)
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


def _user(device, name):
    return next((u for u in device.device_state()['users'] if u['name'] == name), None)


def _no_canary(*texts, canary=CANARY):
    for text in texts:
        blob = text if isinstance(text, str) else json.dumps(text)
        assert canary not in blob, 'the password leaked: ...%s...' % blob[
            max(0, blob.find(canary) - 300):blob.find(canary) + 100]


@pytest.mark.long_running(49)
def test_user_lifecycle(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    # create (the password is sent because the account is new)
    create = {'name': 'ops', 'password': CANARY, 'update_password': 'on_create',
              'permission': 'device', 'description': 'Rack ops', 'enabled': True,
              'session_timeout': 5}
    results = converge(device, ansible_playbook, 'rackops.apc.user', create)
    applied = results[1]
    assert applied['commands'] == ['user -n ops -pw ******** -pe Device -d "Rack ops" -e enable -st 5']
    assert applied['diff']['before'] == {'name': 'ops', 'state': 'absent'}
    assert applied['diff']['after']['password'] == '********'
    assert applied['diff']['after']['permission'] == 'device'
    _no_canary(*results)
    user = _user(device, 'ops')
    assert user['password'] == CANARY and user['type'] == 'Device' and user['enabled'] is True
    assert user['description'] == 'Rack ops' and user['session_timeout'] == 5

    # modify: permission, description, enabled (the password is left alone: on_create)
    modify = dict(create, permission='administrator', description='Night shift', enabled=False)
    results = converge(device, ansible_playbook, 'rackops.apc.user', modify)
    applied = results[1]
    assert applied['commands'] == ['user -n ops -pe Administrator -d "Night shift" -e disable']
    assert applied['diff']['before'] == {'name': 'ops', 'state': 'present', 'permission': 'device',
                                         'description': 'Rack ops', 'enabled': True,
                                         'session_timeout': 5}
    assert 'password' not in applied['diff']['after']
    _no_canary(*results)
    user = _user(device, 'ops')
    assert (user['type'], user['description'], user['enabled']) == ('Administrator', 'Night shift', False)

    # update_password: always -> sent and reported as a change on every run; the password
    # is nowhere in -vvvv output, results or diff
    inventory = inventory_for({'dev': device})
    play = one_task('rackops.apc.user', dict(modify, password=CANARY2, update_password='always'))
    for _round in range(2):
        seen = len(device.received_lines())
        run = ansible_playbook(play, inventory, extra_args=['-vvvv', '--diff'])
        result = run.task('configure')['result']
        assert result['changed'] is True and result['commands'] == ['user -n ops -pw ********']
        assert result['diff']['after']['password'] == '********'
        _no_canary(run.stdout, run.stderr, run.records, canary=CANARY2)
        assert any(CANARY2 in line for line in device.received_lines()[seen:])
    assert _user(device, 'ops')['password'] == CANARY2

    # delete
    results = converge(device, ansible_playbook, 'rackops.apc.user', {'name': 'ops', 'state': 'absent'})
    assert results[1]['commands'] == ['user -del ops']
    assert results[1]['diff']['after'] == {'name': 'ops', 'state': 'absent'}
    assert _user(device, 'ops') is None


def test_super_user_changes_its_own_password(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    new = 'Own-Canary-77q'
    logout = [sys.executable, '-m', 'apcsim', 'ctl', str(device.control), 'logout']
    tasks = [
        {'name': 'change',
         'rackops.apc.user': {'name': 'apc', 'password': new, 'update_password': 'always'}},
        # the card logs the session out; the next task logs in again with the new password
        {'name': 'logout', 'delegate_to': 'localhost', 'ansible.builtin.command': {'argv': logout},
         'environment': {'PYTHONPATH': str(SIM_DIR)}},
        {'name': 'next', 'rackops.apc.user': {'name': 'device', 'enabled': True}},
    ]
    play = [{'name': 'own', 'hosts': 'all', 'gather_facts': False, 'tasks': tasks}]
    run = ansible_playbook(play, inventory_for({'dev': device}), extra_args=['-vvvv', '--diff'])
    change = run.task('change')['result']
    assert change['changed'] is True
    assert change['commands'] == ['user -n apc -cp ******** -pw ********']
    assert run.task('next')['result']['commands'] == ['user -n device -e enable']
    _no_canary(run.stdout, run.stderr, run.records, canary=new)
    assert _user(device, 'apc')['password'] == new
    assert _user(device, 'device')['enabled'] is True
    logins = [line for line in device.received_lines() if line == new]
    assert logins, 'the session did not log in again with the new password'
    # a new play logs in with the new password
    run = ansible_playbook(one_task('rackops.apc.user', {'name': 'device', 'enabled': True}),
                           inventory_for({'dev': device}, ansible_password=new))
    assert run.task('configure')['result']['changed'] is False


BAD_INPUT = [
    ({'name': 'bad name', 'password': 'x'}, 'may only contain letters'),
    ({'name': 'x' * 65, 'password': 'x'}, 'at most 64'),
    ({'name': 'bob', 'password': 'x', 'session_timeout': 61}, 'between 1 and 60'),
    ({'name': 'bob', 'password': 'x', 'description': 'say "hi"'}, 'double quotes'),
    ({'name': 'bob', 'password': 'Canary"Usr'}, 'double quotes'),
]


def test_user_bad_input_touches_nothing(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    for args, message in BAD_INPUT:
        msg = rejected(device, ansible_playbook, 'rackops.apc.user', args)
        assert message in msg, (args, msg)
        assert 'Canary' not in msg
    # refused before the console was touched: nothing at all was received
    assert device.received_lines() == []


def test_user_refusals_after_reading(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    msg = rejected(device, ansible_playbook, 'rackops.apc.user', {'name': 'bob', 'permission': 'device'})
    assert 'creating it needs password' in msg
    msg = rejected(device, ansible_playbook, 'rackops.apc.user', {'name': 'apc', 'state': 'absent'})
    assert 'Super User' in msg
    msg = rejected(device, ansible_playbook, 'rackops.apc.user', {'name': 'apc', 'permission': 'device'})
    assert 'permission cannot be changed' in msg


def test_user_defaults(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    args = {'bad_login_attempts': 5, 'strong_passwords': True, 'password_change_days': 90,
            'permission': 'read_only', 'session_timeout': 10, 'enabled': True,
            'description': 'New user'}
    results = converge(device, ansible_playbook, 'rackops.apc.user_defaults', args)
    assert results[1]['commands'] == [
        'userdflt -e enable -pe Read-Only -d "New user" -st 10 -bl 5 -sp enable -pp 90']
    dflt = device.device_state()['userdflt']
    assert (dflt['bad_login_attempts'], dflt['strong_passwords'], dflt['password_change_days'],
            dflt['type']) == (5, True, 90, 'Read-Only')
    # a new account gets the defaults; a weak password is refused with a hint
    # (the card is the judge of its policy: the command is sent and refused)
    run = ansible_playbook(one_task('rackops.apc.user', {'name': 'weak', 'password': 'abc'}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    assert result['status'] == 'failed' and 'password policy' in result['result']['msg']
    assert result['result']['changed'] is False and _user(device, 'weak') is None
    results = converge(device, ansible_playbook, 'rackops.apc.user', {'name': 'strong', 'password': CANARY})
    assert _user(device, 'strong')['type'] == 'Read-Only'
    assert rejected(device, ansible_playbook, 'rackops.apc.user_defaults',
                    {'bad_login_attempts': 100}).endswith('got 100')


@pytest.mark.skipif(AOS5 not in _models(), reason='the simulator has no %s profile yet' % AOS5)
def test_aos5_fixed_account(sim, ansible_playbook):
    device = sim(AOS5, 'pty')
    args = {'permission': 'device', 'name': 'devmgr', 'password': CANARY, 'session_timeout': 5}
    results = converge(device, ansible_playbook, 'rackops.apc.user', args)
    assert results[1]['commands'] == ['user -dn devmgr -dp ******** -t 5']
    assert results[1]['diff']['before']['name'] == 'device'
    _no_canary(*results)
    assert any(CANARY in line for line in device.received_lines())
    user = _user(device, 'devmgr')
    assert user['type'] == 'Device' and user['password'] == CANARY and user['session_timeout'] == 5
    msg = rejected(device, ansible_playbook, 'rackops.apc.user',
                   {'permission': 'device', 'name': 'devmgr', 'description': 'x'})
    assert 'option description is not available on' in msg and '(aos5)' in msg
