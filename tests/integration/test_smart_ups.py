# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.facts, ups_settings and ups_command against every smart-protocol profile of
the simulator (UPS DB9 port, 2400 baud).

Three playbook runs per profile:

1. nothing may be written: facts (compared with ``apcsim ctl state`` and the profile), the
   settings in check mode with diff, bad input (a value outside the unit's ``^Z`` table, too
   long a text, a setting the unit lacks), a load-affecting command without the opt-in and
   with it in check mode;
2. the settings applied (diff), a locked setting refused by the unit, a self-test with its
   result, a shutdown-and-return with the opt-in;
3. the settings again: unchanged, and no write byte reached the UPS.

The wire evidence is the transcript of bytes the simulated UPS received.
"""

from __future__ import annotations

import sys

import pytest

from harness import inventory_for, stable_state, state_diff
from conftest import SIM_DIR

sys.path.insert(0, str(SIM_DIR))
try:
    from apcsim import smart_profiles as sp
    from apcsim.transcript import received_bytes
except ImportError:     # the simulator has no smart dialect yet
    sp = None
finally:
    sys.path.remove(str(SIM_DIR))

PROFILES = sorted(sp.SMART_UNITS) if sp else []

# Bytes that change something on a smart UPS: EEPROM cycling (- +), factory reset (z), tests
# and control commands. Everything the modules read with is a single letter outside this set.
WRITE_BYTES = set('-+zWDAUS@KZ') | {'\x0e', '\x7f'}

# Letter -> ups_settings option.
ENUM_OPTIONS = {
    'u': 'upper_transfer_voltage', 'l': 'lower_transfer_voltage', 'e': 'return_charge',
    'o': 'output_voltage', 's': 'sensitivity', 'q': 'low_battery_warning',
    'p': 'shutdown_delay', 'k': 'alarm', 'r': 'wakeup_delay', 'E': 'self_test_interval',
}
NUMBER_LETTERS = 'uleoqpr'
TEXT = {'c': ('ups_id', 'RACK-A01'), 'x': ('battery_date', '03/15/26')}
CTRL_Z = '\x1a'


def unit_of(model):
    return sp.SMART_UNITS[model][1]


def table_for(unit):
    """{letter: allowed values} as the simulated unit defines them (None: no ^Z)."""
    if CTRL_Z not in unit['commands']:
        return None
    return dict((letter, sp.allowed_values(unit, letter)) for letter in ENUM_OPTIONS
                if letter in unit['commands'] and sp.allowed_values(unit, letter))


def option_value(letter, raw):
    return int(raw) if letter in NUMBER_LETTERS else raw.strip()


def wanted_settings(unit):
    """Task arguments changing every setting the unit can change, and the EEPROM expected."""
    args, expected = {}, {}
    for letter, values in (table_for(unit) or {}).items():
        if letter in unit['locked'] or len(values) < 2:
            continue
        target = values[-1]                  # the factory value is the first one
        args[ENUM_OPTIONS[letter]] = option_value(letter, target)
        expected[letter] = target
    for letter, (option, text) in TEXT.items():
        if letter in unit['commands']:
            args[option] = text
            expected[letter] = text.ljust(8)
    return args, expected


def smart_hostvars():
    return {'ansible_apc_dialect': 'smart', 'ansible_serial_baud_rate': 2400}


def writes(data):
    """The write bytes among bytes the UPS received."""
    return [chr(b) for b in data if chr(b) in WRITE_BYTES]


class Wire:
    """Bytes the simulated UPS received since the last mark."""

    def __init__(self, device):
        self.device = device
        self.seen = 0
        self.mark()

    def mark(self):
        self.seen = len(received_bytes(str(self.device.transcript)))

    def since(self):
        return received_bytes(str(self.device.transcript))[self.seen:]


def task(name, module, args, **extra):
    entry = {'name': name, module: args}
    entry.update(extra)
    return entry


def play(tasks):
    return [{'name': 'smart', 'hosts': 'all', 'gather_facts': False, 'tasks': tasks}]


def check_facts(apc, unit, state):
    eeprom_state = state['smart']['eeprom']
    identity = apc['identity']

    def listed(char, value):
        # what a unit answers NA to (a command it does not list) reads as None
        return value if char in unit['commands'] else None

    assert apc['device']['dialect'] == 'smart' and apc['device']['is_ups'] is True
    assert identity['model'] == listed('\x01', unit['model'])
    assert identity['serial_number'] == listed('n', unit['serial'])
    assert identity['firmware'] == listed('b', unit['firmware'])
    assert identity['firmware_old'] == listed('V', unit['old_firmware'])
    assert identity['locale'] == unit['locale']
    assert identity['manufacture_date'] == listed('m', unit['mfg_date'])
    assert identity['battery_date'] == listed('x', eeprom_state['x'])
    assert identity['ups_id'] == eeprom_state['c'].rstrip()
    readings = apc['readings']
    assert readings['battery_charge'] == 100.0
    assert readings['nominal_battery_voltage'] == unit['nominal_battery_v']
    assert readings['input_voltage'] == unit['input_voltage']
    assert readings['frequency'] == unit['frequency']
    assert readings['load'] == unit['load_pct']
    assert readings['runtime_minutes'] == unit['runtime_min']
    assert readings['temperature'] == (unit['temperature_c'] if 'C' in unit['commands'] else None)
    assert readings['status']['flags']['online'] is True and readings['status']['text'] == 'OL'
    assert readings['last_transfer']['code'] == state['smart']['last_transfer']
    assert readings['self_test']['code'] == state['smart']['self_test']
    assert readings['line_quality'] == {'code': 'FF', 'good': True}
    table = table_for(unit)
    for letter, option in ENUM_OPTIONS.items():
        if letter not in eeprom_state:
            assert option not in apc['eeprom'], option
            continue
        fact = apc['eeprom'][option]
        assert fact['raw'] == eeprom_state[letter].strip(), option
        expected = [v.strip() for v in (table or {}).get(letter, [])]
        assert fact['allowed_raw'] == expected, option
    for letter, (option, _text) in TEXT.items():
        assert apc['eeprom'][option]['value'] == eeprom_state[letter].rstrip()


def refusal_cases(unit):
    """(task name, args, text expected in the error) for bad input on this unit."""
    table = table_for(unit)
    cases = [('bad_text', {'ups_id': 'TOO-LONG-ID'}, 'exactly 8')]
    label = unit['model'] or unit['old_firmware']
    if table is None:
        cases.append(('bad_value', {'upper_transfer_voltage': 999},
                      ['upper_transfer_voltage (u)', label, 'no EEPROM value table']))
        return cases
    allowed = ', '.join(str(option_value('u', v)) for v in table['u'])
    cases.append(('bad_value', {'upper_transfer_voltage': 999},
                  ['upper_transfer_voltage: 999 is not allowed on', label,
                   'locale %s' % unit['locale'], 'allowed values: %s' % allowed]))
    lacking = [letter for letter in ENUM_OPTIONS if letter not in table]
    if lacking:
        option = ENUM_OPTIONS[lacking[0]]
        value = 60 if lacking[0] in NUMBER_LETTERS else 'off'
        cases.append(('lacking', {option: value}, [option, label, 'does not have this setting']))
    return cases


@pytest.mark.skipif(not PROFILES, reason='the simulator has no smart-protocol profiles yet')
@pytest.mark.parametrize('model', PROFILES)
def test_smart_ups_profile(sim, ansible_playbook, model):
    unit = unit_of(model)
    device = sim(model, 'pty')
    inventory = inventory_for({'dev': device}, **smart_hostvars())
    wire = Wire(device)
    args, expected = wanted_settings(unit)
    assert args, 'nothing to change on %s' % model
    refusals = refusal_cases(unit)

    # ---- 1. nothing may be written
    before = stable_state(device)
    tasks = [task('facts', 'rackops.apc.facts', {}),
             task('check', 'rackops.apc.ups_settings', args, check_mode=True, diff=True)]
    tasks += [task(name, 'rackops.apc.ups_settings', bad, ignore_errors=True)
              for name, bad, _msg in refusals]
    tasks += [task('kill_refused', 'rackops.apc.ups_command', {'command': 'kill'},
                   ignore_errors=True),
              task('kill_check', 'rackops.apc.ups_command',
                   {'command': 'kill', 'allow_load_change': True}, check_mode=True)]
    run = ansible_playbook(play(tasks), inventory)
    received = wire.since()
    assert not writes(received), 'written in the read-only run: %r' % received
    after = stable_state(device)
    assert after == before, 'the read-only run changed the UPS: %s' % state_diff(before, after)

    check_facts(run.task('facts')['result']['ansible_facts']['apc'], unit, before)
    check = run.task('check')['result']
    assert check['changed'] is True
    assert len(check['commands']) == len(expected), check
    assert all(s['steps'] is None for s in check['settings'])
    assert check['diff']['before'] != check['diff']['after']
    for name, _bad, message in refusals:
        result = run.task(name)
        assert result['status'] == 'failed', result
        for part in ([message] if isinstance(message, str) else message):
            assert part in result['result']['msg'], (part, result['result']['msg'])
    refused = run.task('kill_refused')
    assert refused['status'] == 'failed' and 'allow_load_change' in refused['result']['msg']
    skipped = run.task('kill_check')
    assert skipped['status'] == 'skipped', skipped
    assert 'check mode' in skipped['result']['msg']

    # ---- 2. apply, locked setting, self-test, shutdown and return
    wire.mark()
    tasks = [task('apply', 'rackops.apc.ups_settings', args, diff=True)]
    locked = [letter for letter in unit['locked'] if letter in (table_for(unit) or {})
              and len(table_for(unit)[letter]) > 1]
    if locked:
        letter = locked[0]
        current = before['smart']['eeprom'][letter]
        other = [v for v in table_for(unit)[letter] if v != current][0]
        tasks.append(task('locked', 'rackops.apc.ups_settings',
                          {ENUM_OPTIONS[letter]: option_value(letter, other)}, ignore_errors=True))
    tasks += [task('self_test', 'rackops.apc.ups_command',
                   {'command': 'self_test', 'wait_for_result': True, 'timeout': 30}),
              task('shutdown_return', 'rackops.apc.ups_command',
                   {'command': 'shutdown_return', 'delay': 2, 'allow_load_change': True})]
    run = ansible_playbook(play(tasks), inventory)
    applied = run.task('apply')['result']
    assert applied['changed'] is True and applied['commands'] == check['commands'], applied
    assert applied['diff'] == check['diff']
    assert all(s['steps'] for s in applied['settings'] if s['letter'] not in TEXT)
    state = device.device_state()
    for letter, value in expected.items():
        assert state['smart']['eeprom'][letter] == value, (letter, state['smart']['eeprom'])
    if locked:
        result = run.task('locked')
        assert result['status'] == 'failed' and 'NO' in result['result']['msg'], result
        assert state['smart']['eeprom'][locked[0]] == before['smart']['eeprom'][locked[0]]
    test = run.task('self_test')['result']
    assert test['reply'] == 'OK' and test['self_test']['result'] == 'passed', test
    assert state['smart']['self_test'] == 'OK'
    shutdown = run.task('shutdown_return')['result']
    assert shutdown['reply'] == 'OK', shutdown
    log = [(entry['command'], entry['accepted']) for entry in state['smart']['control_log']]
    assert ('W', True) in log and ('@002', True) in log, log
    assert not [c for c, _ok in log if c.startswith('K')], 'kill reached the UPS: %s' % log
    assert '-' in writes(wire.since())

    # ---- 3. again: unchanged, nothing written
    wire.mark()
    settled = stable_state(device)
    run = ansible_playbook(play([task('again', 'rackops.apc.ups_settings', args, diff=True),
                                 task('facts', 'rackops.apc.facts',
                                      {'gather_subset': ['eeprom']})]), inventory)
    again = run.task('again')['result']
    assert again['changed'] is False and again['commands'] == [] and again['settings'] == [], again
    received = wire.since()
    assert not writes(received), 'written on the second apply: %r' % received
    assert stable_state(device) == settled
    eeprom = run.task('facts')['result']['ansible_facts']['apc']['eeprom']
    for letter, value in expected.items():
        option = ENUM_OPTIONS.get(letter) or TEXT[letter][0]
        assert eeprom[option]['raw'].strip() == value.strip(), (option, eeprom[option])
        # the diff showed the values as the facts do
        assert applied['diff']['after'][option] == eeprom[option]['value'], option
