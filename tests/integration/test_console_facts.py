# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook against the simulator: facts, commands, reboots, idle logouts, over a pty,
socket:// and rfc2217://."""

from __future__ import annotations

import json

import pytest

from harness import inventory_for, one_task

NEW_PW = 'Fresh-Passw0rd-7'

FACTS_PLAY = [{
    'name': 'facts',
    'hosts': 'all',
    'gather_facts': False,
    'tasks': [
        {'name': 'gather', 'rackops.apc.facts': {}},
    ],
}]

PROFILES = {
    # model: (forces a first-login change, is a pdu, outlet count, expected banner app)
    'AP8941': (False, True, 24),
    'AP7920B': (True, True, 8),
    'SUA1500-AP9631': (True, False, None),
    'SMT1500-AP9641': (True, False, None),
}


def _hostvars(forced):
    return {'ansible_apc_new_password': NEW_PW} if forced else {}


@pytest.mark.parametrize('model', sorted(PROFILES))
def test_facts_from_each_profile_over_pty(sim, ansible_playbook, model):
    forced, is_pdu, outlets = PROFILES[model]
    device = sim(model, 'pty')
    run = ansible_playbook(FACTS_PLAY, inventory_for({'dev': device}, **_hostvars(forced)))
    facts = run.task('gather')['result']['ansible_facts']['apc']
    info = facts['device']
    assert info['dialect'] == 'cli'
    assert info['is_pdu'] is is_pdu and info['is_ups'] is (not is_pdu)
    assert info['outlet_count'] == outlets
    assert info['password_changed_at_login'] is forced
    assert info['mac_address'] and ':' in info['mac_address']
    state = device.device_state()
    # what the module reports is what the device holds
    assert facts['identity']['name'] == info['name']
    assert facts['network']['ipv4']['mac_address'] == info['mac_address']
    usernames = sorted(u['name'] for u in facts['users'])
    assert 'apc' in usernames
    assert facts['services']['web']['http_port'] == 80
    assert len(facts['snmp']['snmpv1']['communities']) == 4
    if is_pdu:
        assert len(facts['outlets']) == outlets
        assert facts['outlets'][0]['number'] == 1
        assert facts['outlets'][0]['state'] in ('on', 'off')
        assert 'ups' not in facts
    else:
        assert facts['ups']['about']['model']
        assert 'outlets' not in facts
    if forced:
        # the device now holds the new password: a second run logs in with it
        assert NEW_PW not in run.stdout and NEW_PW not in run.stderr
        again = ansible_playbook(FACTS_PLAY, inventory_for({'dev': device}, ansible_password=NEW_PW))
        assert again.task('gather')['result']['ansible_facts']['apc']['device']['password_changed_at_login'] is False
    assert state is not None


@pytest.mark.parametrize('transport', ['tcp', 'rfc2217'])
def test_facts_over_network_console_ports(sim, ansible_playbook, transport):
    device = sim('AP8941', transport)
    assert device.url.startswith('socket://' if transport == 'tcp' else 'rfc2217://')
    play = [{
        'name': 'facts',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [
            {'name': 'gather', 'rackops.apc.facts': {'gather_subset': ['outlets', 'identity']}},
        ],
    }]
    run = ansible_playbook(play, inventory_for({'pdu': device}))
    facts = run.task('gather')['result']['ansible_facts']['apc']
    assert facts['device']['model'] == 'AP8941'
    assert len(facts['outlets']) == 24
    assert 'network' not in facts and 'users' not in facts
    assert sorted(facts['gather_subset']) == ['identity', 'outlets']


def test_command_changes_and_errors(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    play = [{
        'name': 'commands',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [
            {'name': 'read', 'rackops.apc.command': {'commands': ['olStatus all']}},
            {'name': 'rename', 'rackops.apc.command': {'commands': ['olName 3 "web server"']}},
            {'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['outlets']}},
            {'name': 'bad', 'rackops.apc.command': {'commands': ['frobnicate now']},
             'ignore_errors': True},
        ],
    }]
    run = ansible_playbook(play, inventory_for({'pdu': device}))
    read = run.task('read')['result']
    assert read['changed'] is False and read['results'][0]['code'] == 'E000'
    assert len(read['stdout_lines'][0]) == 24
    rename = run.task('rename')['result']
    assert rename['changed'] is True
    outlets = run.task('facts')['result']['ansible_facts']['apc']['outlets']
    assert outlets[2]['name'] == 'web server'
    bad = run.task('bad')
    assert bad['status'] == 'failed'
    assert 'E101' in bad['result']['msg']


def test_command_is_skipped_in_check_mode(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    play = [{
        'name': 'check',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [{'name': 'off', 'rackops.apc.command': {'commands': ['olOff 1']}}],
    }]
    run = ansible_playbook(play, inventory_for({'pdu': device}), extra_args=['--check'])
    assert run.task('off')['status'] == 'skipped'
    assert not any('olOff' in line for line in device.received_lines())


def test_reboot_in_the_middle_of_a_play(sim, ansible_playbook):
    device = sim('AP8941', 'pty', boot_seconds=2)
    play = [{
        'name': 'reboot',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [
            {'name': 'before', 'rackops.apc.command': {'commands': ['boot -b manual']}},
            {'name': 'reboot', 'rackops.apc.command': {'commands': ['reboot'], 'confirm': True}},
            {'name': 'after', 'rackops.apc.facts': {'gather_subset': ['boot', 'identity']}},
        ],
    }]
    run = ansible_playbook(play, inventory_for({'pdu': device}))
    assert run.task('before')['result']['reboot_required'] is True
    assert run.task('reboot')['result']['results'][0]['rebooting'] is True
    after = run.task('after')['result']['ansible_facts']['apc']
    assert after['boot']['boot_mode'] == 'manual'
    lines = device.received_lines()
    assert lines.count('YES') == 1
    # two logins with the same user: before and after the reboot
    assert lines.count('apc') >= 2


def test_idle_logout_between_two_tasks(sim, ansible_playbook):
    device = sim('AP8941', 'pty', idle_timeout=2)
    play = [{
        'name': 'idle',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [
            {'name': 'first', 'rackops.apc.command': {'commands': ['whoami']}},
            {'name': 'wait past the idle timeout', 'ansible.builtin.pause': {'seconds': 4}},
            {'name': 'second', 'rackops.apc.command': {'commands': ['whoami']}},
        ],
    }]
    run = ansible_playbook(play, inventory_for({'pdu': device}))
    assert run.task('first')['result']['stdout'] == ['apc']
    assert run.task('second')['result']['stdout'] == ['apc']
    lines = device.received_lines()
    assert lines.count('whoami') == 2


def test_wrong_password_fails_once_with_advice(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    canary = 'Wr0ng-Canary-Pw'
    run = ansible_playbook(FACTS_PLAY, inventory_for({'pdu': device}, ansible_password=canary),
                           extra_args=['-vvvv'], check=False)
    assert run.rc != 0
    failed = run.task('gather')
    assert failed['status'] == 'failed'
    assert 'rejected the login' in failed['result']['msg']
    assert 'reset' in failed['result']['msg']
    assert canary not in run.stdout and canary not in run.stderr
    assert device.received_lines().count(canary) == 1


def test_missing_serial_url_is_a_clear_error(ansible_playbook):
    host = {'ansible_connection': 'rackops.apc.console', 'ansible_password': 'apc'}
    inventory = {'all': {'hosts': {'pdu': host}}}
    run = ansible_playbook(FACTS_PLAY, inventory, check=False)
    assert run.rc != 0
    assert 'ansible_serial_url' in run.stdout + run.stderr


def test_bad_gather_subset_fails_before_the_console(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    play = [{
        'name': 'bad',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [{'name': 'gather', 'rackops.apc.facts': {'gather_subset': ['network', 'bogus']}}],
    }]
    run = ansible_playbook(play, inventory_for({'pdu': device}), check=False)
    failed = run.task('gather')
    assert failed['status'] == 'failed'
    assert 'bogus' in failed['result']['msg']
    assert device.received_lines() == []


def test_canary_password_never_leaves_the_wire(sim, ansible_playbook, tmp_path):
    """A first-login password change with a canary: -vvvv output, the persistent
    connection log (log messages on) and results must not contain it; the simulator's
    byte transcript (the wire) is the only place it may appear."""
    canary = 'Canary-7f3e-Pw!'
    device = sim('AP7920B', 'pty')
    log = tmp_path / 'ansible.log'
    play = [{
        'name': 'canary',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [
            {'name': 'gather', 'rackops.apc.facts': {'gather_subset': ['identity', 'users']}},
            {'name': 'again', 'rackops.apc.command': {'commands': ['whoami']}},
        ],
    }]
    inventory = inventory_for({'pdu': device}, ansible_apc_new_password=canary,
                              ansible_persistent_log_messages=True)
    run = ansible_playbook(play, inventory, extra_args=['-vvvv'],
                           env={'ANSIBLE_LOG_PATH': str(log)})
    assert run.task('again')['result']['stdout'] == ['apc']
    assert log.exists() and 'jsonrpc request' in log.read_text()
    for text in (run.stdout, run.stderr, log.read_text(), json.dumps(run.records)):
        assert canary not in text
    # nothing the collection wrote (lock files, temp dirs) holds it either
    for path in tmp_path.rglob('*'):
        if path.is_file() and 'transcript' not in path.name and 'inventory' not in path.name \
                and 'state' not in path.name:
            assert canary.encode() not in path.read_bytes(), path
    # ... while the wire did carry it (the device got its new password)
    assert canary in device.received_lines()


def test_command_secrets_placeholders_stay_off_the_record(sim, ansible_playbook):
    canary = 'Canary-Cmd-55aa'
    device = sim('AP8941', 'pty')
    play = [{
        'name': 'secret command',
        'hosts': 'all',
        'gather_facts': False,
        'tasks': [
            {'name': 'create', 'rackops.apc.command': {
                'commands': ['user -n bob -pw <<pw>> -pe Read-Only'],
                'secrets': {'pw': '{{ bob_password }}'}}},
            {'name': 'missing', 'rackops.apc.command': {'commands': ['user -n eve -pw <<nope>>']},
             'ignore_errors': True},
        ],
    }]
    # as in real use the secret comes from a variable (vault), not from the play's text
    run = ansible_playbook(play, inventory_for({'pdu': device}, bob_password=canary),
                           extra_args=['-vvvv'])
    created = run.task('create')['result']
    assert created['results'][0]['code'] == 'E000'
    assert 'placeholder' in run.task('missing')['result']['msg']
    for text in (run.stdout, run.stderr, json.dumps(run.records)):
        assert canary not in text
    assert any(canary in line for line in device.received_lines())
    users = dict((u['name'], u) for u in device.device_state()['users'])
    assert users['bob']['password'] == canary


def test_unknown_model_works_with_a_warning(sim, ansible_playbook):
    """A model the collection's table does not know: detected by its dialect, read and
    configured as usual, with a warning naming what could not be checked."""
    device = sim('AP8941', 'pty', model_number='AP8999X')
    play = [{'name': 'unknown', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'gather', 'rackops.apc.facts': {'gather_subset': ['identity', 'outlets']}},
        {'name': 'configure', 'rackops.apc.identity': {'name': 'pdu-x1'}},
    ]}]
    run = ansible_playbook(play, inventory_for({'dev': device}))
    gathered = run.task('gather')['result']
    assert gathered['ansible_facts']['apc']['device']['model'] == 'AP8999X'
    assert gathered['ansible_facts']['apc']['model_info'] is None
    assert len(gathered['ansible_facts']['apc']['outlets']) == 24      # the console's own count
    warning = ' '.join(gathered['warnings'])
    assert 'AP8999X' in warning and 'could not be checked' in warning and 'reset-button' in warning
    assert 'AP8999X' in ' '.join(run.task('configure')['result']['warnings'])
    assert run.task('configure')['result']['changed'] is True
    assert device.device_state()['system']['name'] == 'pdu-x1'
    shown = run.stdout + run.stderr
    assert '[WARNING]' in shown and 'AP8999X' in shown


@pytest.mark.parametrize('model, family, warnings', [
    ('AP8941', 'rpdu2g', []), ('SUA1500-AP9631', 'nmc2', [])])
def test_known_models_carry_the_table(sim, ansible_playbook, model, family, warnings):
    device = sim(model, 'pty', no_first_login_change=True)
    run = ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['min']}),
                           inventory_for({'dev': device}))
    result = run.task('configure')['result']
    assert result['ansible_facts']['apc']['model_info']['family'] == family
    assert result.get('warnings', []) == warnings
    # min reads the identity only: no settings area, no command beyond the identity's
    assert sorted(result['ansible_facts']['apc']) == ['device', 'gather_subset', 'model_info']
    assert not [line for line in device.received_lines() if line.split()[:1] in (['tcpip'], ['user'], ['web'])]
