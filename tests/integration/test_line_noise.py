# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Line noise in reads (issue 11 item 3): a damaged answer is read again, and a value is
returned only when it can be believed; otherwise the task fails naming line noise and what
to check. The simulator damages its output: one byte of one answer (garble-once), or every
byte with a probability (garble P, drop P) from a chosen point in the play."""

from __future__ import annotations

import sys

import pytest

from harness import inventory_for
from conftest import SIM_DIR
from test_faults import ctl_task, play_of

sys.path.insert(0, str(SIM_DIR))
try:
    from apcsim.transcript import sent_bytes
finally:
    sys.path.remove(str(SIM_DIR))

PROFILES = {
    # name: (model, transport, hostvars)
    'cli': ('AP8941', 'pty', {}),
    'menu': ('AP7920', 'pty', {}),
    'smart': ('SU1000NET', 'tcp', {'ansible_apc_dialect': 'smart', 'ansible_serial_baud_rate': 2400}),
}
ADVICE_WORDS = ('line noise', 'cable', 'line speed', 'console server')


def start(sim, profile):
    model, transport, hostvars = PROFILES[profile]
    device = sim(model, transport)
    return device, inventory_for({'unit': device}, **hostvars)


# Facts that change by themselves between two reads (clocks, counters)
VOLATILE = ('uptime', 'up_time', 'date', 'time', 'date_time', 'stat', 'session')


def believed(result):
    """What a user reads from facts: identity, the settings views and the UPS EEPROM
    (minus the values that change by themselves)."""
    apc = result['ansible_facts']['apc']

    def settled(value):
        if isinstance(value, dict):
            return dict((k, settled(v)) for k, v in value.items() if k not in VOLATILE)
        return value
    return settled({'device': apc['device'], 'config': apc.get('config'), 'identity': apc.get('identity'),
                    'eeprom': apc.get('eeprom'), 'network': apc.get('network')})


def no_damage_marks(value):
    text = repr(value)
    assert '\ufffd' not in text and '\\ufffd' not in text, text


def identity_text(run):
    """The unit's name as the clean read gave it (the text garble-once damages)."""
    apc = run.task('clean')['result']['ansible_facts']['apc']
    if apc.get('config', {}).get('identity'):
        return apc['config']['identity']['name']
    return apc['device']['model']


@pytest.mark.parametrize('profile', sorted(PROFILES))
def test_one_damaged_answer_is_read_again(sim, ansible_playbook, profile):
    """One byte of the answer that carries the unit's name (the model on a UPS) arrives
    damaged: the facts are still right, and the console was asked more than once."""
    device, inventory = start(sim, profile)
    subset = ['all'] if profile == 'smart' else ['identity']
    clean = ansible_playbook(play_of([{'name': 'clean', 'rackops.apc.facts': {'gather_subset': subset}}]),
                             inventory, check=False)
    assert clean.task('clean')['status'] == 'ok', clean.task('clean')
    text = identity_text(clean)
    assert len(text) >= 3, text
    # on a card, after the login (the name is in the banner too); a UPS has no login, and
    # its model is read when the connection identifies it
    tasks = [{'name': 'login', 'rackops.apc.facts': {'gather_subset': ['min']}}] if profile != 'smart' else []
    tasks += [ctl_task(device, 'fault', 'garble-once', text),
              {'name': 'noisy', 'rackops.apc.facts': {'gather_subset': subset}}]
    run = ansible_playbook(play_of(tasks), inventory, check=False)
    noisy = run.task('noisy')
    assert noisy['status'] == 'ok', noisy
    damaged = text[:len(text) // 2] + chr(ord(text[len(text) // 2]) | 0x80)
    assert damaged.encode('latin-1') in sent_bytes(str(device.transcript))   # the damage went out
    assert believed(noisy['result']) == believed(clean.task('clean')['result'])
    no_damage_marks(noisy['result'])


@pytest.mark.parametrize('kind', ['garble', 'drop'])
@pytest.mark.parametrize('profile', sorted(PROFILES))
def test_noisy_line_never_gives_damaged_facts(sim, ansible_playbook, profile, kind):
    """2 % of the bytes the unit sends are garbled or dropped from the third task on: the
    facts are either exactly the clean ones, or the task fails naming line noise and what
    to check. Never a damaged value reported as the unit's."""
    device, inventory = start(sim, profile)
    tasks = [{'name': 'clean', 'rackops.apc.facts': {}},
             ctl_task(device, 'fault', 'seed', '11'),
             ctl_task(device, 'fault', kind, '0.02'),
             {'name': 'noisy', 'rackops.apc.facts': {}, 'ignore_errors': True}]
    run = ansible_playbook(play_of(tasks), inventory, check=False)
    clean = run.task('clean')
    noisy = run.task('noisy')
    assert clean['status'] == 'ok', clean
    if noisy['status'] == 'ok':
        assert believed(noisy['result']) == believed(clean['result'])
        no_damage_marks(noisy['result'])
    else:
        msg = noisy['result']['msg']
        for word in ADVICE_WORDS:
            assert word in msg, (word, msg)
        assert noisy['result'].get('error_kind') == 'noise', noisy


@pytest.mark.parametrize('profile', ['cli', 'menu'])
def test_write_under_noise_reports_the_true_outcome(sim, ansible_playbook, profile):
    """A setting written while 2 % of the answers' bytes are dropped: the task reports what
    the device holds afterwards. ok means the device has the value; a change is never
    reported as changed false; a failure names line noise."""
    device, inventory = start(sim, profile)
    tasks = [{'name': 'login', 'rackops.apc.facts': {'gather_subset': ['min']}},
             ctl_task(device, 'fault', 'seed', '5'),
             ctl_task(device, 'fault', 'drop', '0.02'),
             {'name': 'write', 'rackops.apc.identity': {'location': 'Row 7 Rack 3'}, 'ignore_errors': True},
             ctl_task(device, 'fault', 'clear'),
             {'name': 'after', 'rackops.apc.facts': {'gather_subset': ['identity']}}]
    run = ansible_playbook(play_of(tasks), inventory, check=False)
    write = run.task('write')
    held = run.task('after')['result']['ansible_facts']['apc']['config']['identity']['location']
    if write['status'] == 'ok':
        assert held == 'Row 7 Rack 3', (write, held)
        assert write['result']['changed'] is True, write
    else:
        assert 'line noise' in write['result']['msg'], write
        if held == 'Row 7 Rack 3':
            assert write['result']['changed'] is True, (write['result']['msg'], write)
