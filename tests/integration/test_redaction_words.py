# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Redaction is complete but does not eat ordinary words.

A password that is a common word, a short one, or the factory ``apc`` must never be shown
(results, -vvvv output, the persistent connection's log), while the collection's own
messages, module names (``rackops.apc``) and model names stay readable. The secret is on the
wire only, so only in the simulator's byte transcript.
"""

from __future__ import annotations

import json
import re

import pytest

from harness import inventory_for
from test_line_noise import sent_bytes
from test_faults import ctl_task


# Names ansible and Python's tempfile make up at random (-vvvv prints them): a two-letter
# canary can occur in one by chance (CI once saw 'ansible-local-289057iqzxf2l'), which says
# nothing about redaction.
RANDOM_NAMES = re.compile(r'ansible-local-\d+[a-z0-9_]{8}|ansible-tmp-[\d.-]+|tmp[a-z0-9_]{8}')


def without_random_names(text):
    return RANDOM_NAMES.sub('<random>', text)


def _own_password_change(new):
    return [
        {'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['identity', 'users']}},
        {'name': 'change', 'rackops.apc.user': {'name': 'apc', 'password': '{{ new_pw }}',
                                                'update_password': 'always'}},
        {'name': 'who', 'rackops.apc.command': {'commands': ['whoami']}},
        {'name': 'prove', 'rackops.apc.login': {'password': '{{ new_pw }}'}},
    ]


@pytest.mark.parametrize('canary', ['river', 'qz'], ids=['common-word', 'short'])
def test_a_word_password_is_masked_and_messages_stay_whole(sim, ansible_playbook, tmp_path, canary):
    device = sim('AP8941', 'pty')
    log = tmp_path / 'ansible.log'
    play = [{'name': 'words', 'hosts': 'all', 'gather_facts': False,
             'tasks': _own_password_change(canary)}]
    inventory = inventory_for({'pdu': device}, new_pw=canary, ansible_persistent_log_messages=True)
    run = ansible_playbook(play, inventory, extra_args=['-vvvv'], env={'ANSIBLE_LOG_PATH': str(log)})
    change = run.task('change')['result']
    assert change['changed'] is True
    assert change['commands'] == ['user -n apc -cp ******** -pw ********']
    assert run.task('prove')['result']['proven'] is True
    assert run.task('who')['result']['stdout'] == ['apc']
    for text in (run.stdout, run.stderr, log.read_text(), json.dumps(run.records)):
        assert canary not in without_random_names(text).replace('rackops.apc', '')
    # the collection's words are intact: the model, the module names
    records = json.dumps(run.records)
    assert 'AP8941' in records and 'rackops.apc.login' in records
    assert 'rackops.apc.console' in log.read_text()
    # ... and the device really has the password (the wire carried it)
    users = dict((u['name'], u) for u in device.device_state()['users'])
    assert users['apc']['password'] == canary


def test_the_wrong_password_word_does_not_eat_the_message(sim, ansible_playbook):
    # with the password "wrong" the failure used to read "The password is ******** or ..."
    device = sim('AP8941', 'pty')
    play = [{'name': 'wrong', 'hosts': 'all', 'gather_facts': False,
             'tasks': [{'name': 'gather', 'rackops.apc.facts': {'gather_subset': ['min']}}]}]
    run = ansible_playbook(play, inventory_for({'pdu': device}, ansible_password='wrong'),
                           extra_args=['-vvvv'], check=False)
    msg = run.task('gather')['result']['msg']
    assert 'The password is wrong or the account is locked out' in msg
    assert '********' not in msg
    assert device.received_lines().count('wrong') == 1      # tried once


def test_the_factory_password_is_masked_by_position_not_by_value(sim, ansible_playbook, tmp_path):
    """``apc`` is the user name, the prompt and half of every module name: masking it by
    value would turn the output into stars. The device only ever prints a password in the
    echo of a command line that carried it: that line is masked by its position."""
    device = sim('AP8941', 'pty')
    log = tmp_path / 'ansible.log'
    new = 'Fresh-Pw-31'
    play = [{'name': 'factory', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['identity']}},
        # the card echoes "user -n apc -cp apc -pw ...": the current password is apc
        {'name': 'change', 'rackops.apc.user': {'name': 'apc', 'password': '{{ new_pw }}',
                                                'update_password': 'always'}},
    ]}]
    run = ansible_playbook(play, inventory_for({'pdu': device}, new_pw=new,
                                               ansible_persistent_log_messages=True),
                           extra_args=['-vvvv'], env={'ANSIBLE_LOG_PATH': str(log)})
    assert run.task('change')['result']['commands'] == ['user -n apc -cp ******** -pw ********']
    shown = run.stdout + run.stderr + log.read_text() + json.dumps(run.records)
    assert '-cp apc' not in shown and new not in shown
    assert 'rackops.apc.facts' in json.dumps(run.records) and 'AP8941' in json.dumps(run.records)
    assert 'rackops.apc.console' in log.read_text()
    assert 'rackops.********' not in shown
    assert any(line.startswith('user -n apc -cp apc -pw ') for line in device.received_lines())


@pytest.mark.parametrize('damage', ['garble-once', 'drop-once'])
def test_a_damaged_echo_of_a_secret_is_never_shown(sim, ansible_playbook, tmp_path, damage):
    """Issue 11 item 7: the card's echo of the command that carries the new password loses
    or changes one byte on the line, so it no longer matches the password: the line is still
    masked (by its position and likeness), in results, -vvvv output and the persistent log."""
    device = sim('AP8941', 'pty')
    log = tmp_path / 'ansible.log'
    canary = 'Canary-Pw-4471'
    play = [{'name': 'noise', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['identity']}},
        # the test's own task names the canary: it is kept out of the output
        dict(ctl_task(device, 'fault', damage, canary, name='simulator: damage the echo'), no_log=True),
        {'name': 'change', 'rackops.apc.user': {'name': 'apc', 'password': '{{ new_pw }}',
                                                'update_password': 'always'}},
        {'name': 'who', 'rackops.apc.command': {'commands': ['whoami']}},
    ]}]
    run = ansible_playbook(play, inventory_for({'pdu': device}, new_pw=canary,
                                               ansible_persistent_log_messages=True),
                           extra_args=['-vvvv'], env={'ANSIBLE_LOG_PATH': str(log)})
    assert run.task('change')['status'] == 'ok', run.task('change')
    assert users_of(device)['apc']['password'] == canary
    sent = sent_bytes(str(device.transcript))
    assert canary.encode() not in sent.split(b'-pw ', 1)[1][:40], sent     # the echo was damaged
    shown = run.stdout + run.stderr + log.read_text() + json.dumps(run.records)
    for piece in (canary, canary[:6], canary[-6:]):
        assert piece not in shown, piece


def users_of(device):
    return dict((u['name'], u) for u in device.device_state()['users'])
