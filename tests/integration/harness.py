# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the integration tests (imported by name, unlike conftest)."""

from __future__ import annotations


def inventory_for(devices, **hostvars):
    """An inventory dict with one host per (name, SimDevice)."""
    hosts = {}
    for name, device in devices.items():
        entry = {
            'ansible_connection': 'rackops.apc.console',
            'ansible_serial_url': device.url,
            'ansible_user': 'apc',
            'ansible_password': 'apc',
            'ansible_apc_login_timeout': 20,
            'ansible_apc_boot_timeout': 60,
            'ansible_apc_wake_interval': 1,
        }
        entry.update(hostvars)
        hosts[name] = entry
    return {'all': {'hosts': hosts}}


# Commands whose options only select what to read.
READ_WITH_OPTIONS = {
    'user': lambda args: len(args) == 2 and args[0] == '-n',
    'detstatus': lambda args: True,
    'ups': lambda args: args == ['-st'],
    'olstatus': lambda args: True,
    'olname': lambda args: len(args) == 1,
    'olondelay': lambda args: len(args) == 1,
    'oloffdelay': lambda args: len(args) == 1,
    'olrboottime': lambda args: len(args) == 1,
    'phreading': lambda args: True,
    'cfgshutdn': lambda args: args == ['-all'],
}
ALWAYS_WRITE = ('olon', 'oloff', 'olreboot', 'reboot', 'resettodef', 'yes')

# Parts of the simulator state that change by themselves (uptime, readings, sessions).
VOLATILE_STATE = ('runtime', 'session', 'lastrst')


def is_write(line):
    """True when a line the device received is a command that changes something."""
    import shlex
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    if not words:
        return False
    name, args = words[0].lower(), words[1:]
    if name in ALWAYS_WRITE:
        return True
    if name in READ_WITH_OPTIONS:
        return bool(args) and not READ_WITH_OPTIONS[name](args)
    return any(arg.startswith('-') for arg in args)


def stable_state(device):
    state = device.device_state()
    return dict((k, v) for k, v in state.items() if k not in VOLATILE_STATE)


def state_diff(old, new, path=''):
    """The paths where two simulator states differ (for assertion messages)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            out += state_diff(old.get(key), new.get(key), '%s.%s' % (path, key))
        return out
    return [] if old == new else ['%s: %r -> %r' % (path, old, new)]


def one_task(module, args, name='configure', check_mode=None):
    task = {'name': name, module: args}
    if check_mode is not None:
        task['check_mode'] = check_mode
    return [{'name': module, 'hosts': 'all', 'gather_facts': False, 'tasks': [task]}]


def converge(device, ansible_playbook, module, args, hostvars=None, name='configure'):
    """The configuring-test pattern: check mode, apply, re-apply; returns the three results.

    1. check mode (with --diff): reports a change, lists commands, and the device state is
       untouched and no write command reached the device;
    2. apply (with --diff): changed, the diff shows the change;
    3. apply again: changed false, no commands, and no write command reached the device.
    """
    inventory = inventory_for({'dev': device}, **(hostvars or {}))
    play = one_task(module, args, name)
    before = stable_state(device)
    seen = len(device.received_lines())
    check = ansible_playbook(play, inventory, extra_args=['--check', '--diff']).task(name)['result']
    assert check['changed'] is True, check
    assert check['commands'], check
    after_check = stable_state(device)
    assert after_check == before, 'check mode changed the device: %s' % state_diff(before, after_check)
    lines = device.received_lines()[seen:]
    assert not [line for line in lines if is_write(line)], lines
    applied = ansible_playbook(play, inventory, extra_args=['--diff']).task(name)['result']
    assert applied['changed'] is True and applied['commands'] == check['commands'], applied
    assert applied['diff']['before'] != applied['diff']['after']
    assert stable_state(device) != before, 'apply did not change the device'
    seen = len(device.received_lines())
    again = ansible_playbook(play, inventory).task(name)['result']
    assert again['changed'] is False and again['commands'] == [], again
    lines = device.received_lines()[seen:]
    assert not [line for line in lines if is_write(line)], lines
    return check, applied, again


def rejected(device, ansible_playbook, module, args, hostvars=None, name='configure'):
    """Bad input: the task fails, and the device state is untouched, no write sent."""
    inventory = inventory_for({'dev': device}, **(hostvars or {}))
    before = stable_state(device)
    seen = len(device.received_lines())
    run = ansible_playbook(one_task(module, args, name), inventory, check=False)
    result = run.task(name)
    assert result['status'] == 'failed', result
    assert stable_state(device) == before
    assert not [line for line in device.received_lines()[seen:] if is_write(line)]
    return result['result']['msg']
