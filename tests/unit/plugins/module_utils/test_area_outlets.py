# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/area_outlets.py (and the helpers of area_power.py).

The console is a fake that answers each command with recorded text from fixtures/cli/
(the ol*.txt outputs of an 8-outlet AP7920B-class and a 24-outlet AP8941-class PDU).
"""

from __future__ import annotations

import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import area_outlets as ao
from ansible_collections.rackops.apc.plugins.module_utils import area_power as ap
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliResult, parse_result
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError, SettingsError

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'cli')

PDU8 = {'model': 'AP7920B', 'outlet_count': 8, 'is_pdu': True, 'is_ups': False,
        'firmware': {'aos': 'v6.9.6', 'app': 'v6.9.6', 'app_name': 'RPDU 2g APP'}}
PDU24 = dict(PDU8, model='AP8941', outlet_count=24, firmware={'aos': 'v6.8.0'})
UPS = {'model': 'AP9631', 'outlet_count': None, 'is_pdu': False, 'is_ups': True,
       'firmware': {'aos': 'v6.9.6', 'app_name': 'Smart-UPS & Matrix-UPS APP'}}


def load(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as handle:
        return handle.read()


def result_of(text):
    result = parse_result(text)
    result.raw = {}
    return result


class FakeConsole:
    """Answers reads from fixtures (by command word), records everything sent."""

    def __init__(self, reads, writes=None):
        self.reads = reads              # command word (lower) -> fixture text
        self.writes = writes or {}      # exact command -> text ('E000: Success' by default)
        self.sent = []

    def read(self, command, verify=False):  # pylint: disable=unused-argument
        return self.run(command)

    def run(self, command, confirm=False, timeout=None, secrets=None, login_password_from=None):
        self.sent.append(command)
        word, _sep, rest = command.partition(' ')
        is_read = word.lower() in self.reads and (
            word.lower() == 'olstatus' or len(rest.split()) <= 1)
        if is_read and command not in self.writes:
            return result_of(self.reads[word.lower()])
        return result_of(self.writes.get(command, 'E000: Success'))


READS8 = {
    'olstatus': load('olstatus_all_8.txt'),
    'olname': load('olname_all_8.txt'),
    'olondelay': load('olondelay_all_8.txt'),
    'oloffdelay': load('oloffdelay_all_8.txt'),
    'olrboottime': load('olrboottime_all_8.txt'),
}


def current8(names=('state', 'name', 'on_delay', 'off_delay', 'reboot_duration')):
    console = FakeConsole(READS8)
    return ao.read_outlets(console.run, list(range(1, 9)), list(names))


# ------------------------------------------------------------------------------ lists
@pytest.mark.parametrize('numbers, text', [
    ([3], '3'),
    ([3, 5, 6, 7], '3,5-7'),
    ([7, 5, 6, 3, 10], '3,5-7,10'),
    ([1, 2], '1,2'),
    ([1, 2, 3, 4, 5, 6, 7, 8], '1-8'),
    ([1, 3, 5], '1,3,5'),
    ([4, 5, 6, 8, 9], '4-6,8,9'),
])
def test_compress(numbers, text):
    assert ao.compress(numbers) == text


@pytest.mark.parametrize('value, expected', [
    (3, [3]),
    ('3', [3]),
    ('all', 'all'),
    ('ALL', 'all'),
    (['all'], 'all'),
    ([5, 3, 3], [3, 5]),
    (['3', 4], [3, 4]),
    ('3,5-7', [3, 5, 6, 7]),
    (' 3 , 5 - 7 ', [3, 5, 6, 7]),
    (['1-3', 8], [1, 2, 3, 8]),
])
def test_parse_outlets(value, expected):
    assert ao.parse_outlets(value) == expected


@pytest.mark.parametrize('value, message', [
    (0, 'start at 1'),
    (-2, 'start at 1'),
    ('0-3', 'start at 1'),
    ('7-5', 'backwards'),
    ('three', 'not an outlet number'),
    ([], 'must not be empty'),
    (True, 'not an outlet number'),
    (['all', 3], 'cannot be combined'),
    ('3;4', 'not an outlet number'),
    (2.5, 'not an outlet number'),
])
def test_parse_outlets_refuses(value, message):
    with pytest.raises(SettingsError, match=message):
        ao.parse_outlets(value)


# ------------------------------------------------------------------------------ validation
def params(**kwargs):
    base = {'outlets': None, 'name': None, 'on_delay': None, 'off_delay': None,
            'reboot_duration': None, 'state': None, 'allow_power_off': False}
    base.update(kwargs)
    return base


@pytest.mark.parametrize('kwargs, message', [
    ({'outlets': [3, 4], 'name': 'x'}, 'one outlet at a time'),
    ({'outlets': 'all', 'name': 'x'}, 'one outlet at a time'),
    ({'outlets': 3, 'name': 'x' * 24}, 'at most 23'),
    ({'outlets': 3, 'name': 'say "hi"'}, 'double quotes'),
    ({'outlets': 3, 'name': ''}, 'must not be empty'),
    ({'outlets': 3, 'name': '12'}, 'outlet number or list'),
    ({'outlets': 3, 'name': '3-5'}, 'outlet number or list'),
    ({'outlets': 3, 'name': 'All'}, 'outlet number or list'),
    ({'outlets': 3, 'name': ' padded'}, 'blanks'),
    ({'outlets': 3, 'on_delay': 7201}, 'between 0 and 7200 seconds or -1'),
    ({'outlets': 3, 'off_delay': -2}, 'between 0 and 7200 seconds or -1'),
    ({'outlets': 3, 'reboot_duration': 4}, 'between 5 and 60'),
    ({'outlets': 3, 'reboot_duration': -1}, 'between 5 and 60'),
    ({'outlets': 3, 'state': 'off'}, 'allow_power_off: true'),
    ({'outlets': [3, 5], 'state': 'rebooted'}, 'outlets 3,5'),
    ({'outlets': 3}, 'nothing to do'),
])
def test_validate_refuses(kwargs, message):
    with pytest.raises(SettingsError, match=message):
        ao.validate(params(**kwargs))


def test_validate_accepts_never_and_opt_in():
    wanted = ao.validate(params(outlets='3', on_delay=-1, off_delay=0, reboot_duration=60,
                                state='off', allow_power_off=True))
    assert wanted == {'outlets': [3], 'on_delay': -1, 'off_delay': 0, 'reboot_duration': 60,
                      'state': 'off'}
    assert ao.validate(params(outlets=3, state='on'))['state'] == 'on'


@pytest.mark.parametrize('info, outlets, message', [
    (PDU8, [9], 'outlet 9 does not exist on the AP7920B: it has 8 outlets \\(1-8\\)'),
    (PDU8, [2, 9, 12], 'outlets 9, 12 do not exist on the AP7920B'),
    (UPS, [1], 'AP9631 \\(Smart-UPS & Matrix-UPS APP\\) has no switched outlets'),
])
def test_resolve_refuses_by_model(info, outlets, message):
    with pytest.raises(SettingsError, match=message):
        ao.resolve_outlets({'outlets': outlets}, info)


def test_resolve_all_and_in_range():
    assert ao.resolve_outlets({'outlets': 'all'}, PDU8) == list(range(1, 9))
    assert ao.resolve_outlets({'outlets': [24]}, PDU24) == [24]


def test_model_table_stands_in_for_an_unlisted_outlet_count():
    silent = dict(PDU8, outlet_count=None)
    assert ao.resolve_outlets({'outlets': 'all'}, silent) == list(range(1, 9))
    with pytest.raises(SettingsError, match='outlet 9 does not exist on the AP7920B'):
        ao.resolve_outlets({'outlets': [9]}, silent)


# ------------------------------------------------------------------------------ reading
def test_read_outlets_merges_recorded_output():
    current = current8()
    assert current[4] == {'state': 'off', 'pending': False, 'name': 'NAS: backup', 'on_delay': 20,
                          'off_delay': 0, 'reboot_duration': 5}
    assert current[7]['pending'] is True and current[7]['state'] == 'off'
    assert current[8]['on_delay'] == -1          # 'never'
    assert current[3]['off_delay'] == -1
    assert current[2]['reboot_duration'] == 10


def test_read_only_what_is_asked_for_the_selected_outlets():
    console = FakeConsole({'olstatus': load('olstatus_3_5-7.txt')})
    current = ao.read_outlets(console.run, [3, 5, 6, 7], ['state'])
    assert console.sent == ['olStatus 3,5-7']
    assert current == {3: {'state': 'on', 'pending': False}, 5: {'state': 'off', 'pending': False},
                       6: {'state': 'on', 'pending': True}, 7: {'state': 'on', 'pending': False}}


def test_run_read_waits_out_e101_after_a_boot():
    answers = [load('olondelay_e101.txt'), load('olondelay_e101.txt'), load('olondelay_all_8.txt')]
    console = FakeConsole({})
    console.run = lambda command, **kw: result_of(answers.pop(0))
    naps = []
    clock = iter([0.0, 1.0, 3.0, 5.0]).__next__
    result = ao.run_read(console, 'olOnDelay 1-8', ready_wait=30, sleep=naps.append, clock=clock)
    assert result.code == 'E000' and naps == [ao.DEVICE_READY_POLL] * 2


def test_run_read_gives_up_on_e101():
    console = FakeConsole({})
    console.run = lambda command, **kw: result_of(load('olondelay_e101.txt'))
    with pytest.raises(SettingsError, match='does not know'):
        ao.run_read(console, 'olOnDelay 1-8', ready_wait=0)


# ------------------------------------------------------------------------------ planning
def plan_texts(wanted, outlets):
    commands, changed = ao.plan(current8(), wanted, outlets)
    return [c.display() for c in commands], changed


def test_plan_names_and_delays_only_for_outlets_that_differ():
    # on delays: 1:0 2:15 3:15 4:20 5:25 6:30 7:35 8:never
    texts, changed = plan_texts({'on_delay': 15}, [1, 2, 3, 4, 5, 6, 7, 8])
    assert texts == ['olOnDelay 1,4-8 15']
    assert sorted(changed) == [1, 4, 5, 6, 7, 8]
    texts, _changed = plan_texts({'off_delay': -1}, [1, 2, 3])
    assert texts == ['olOffDelay 1,2 -1']
    texts, _changed = plan_texts({'name': 'web-01 psu A'}, [3])
    assert texts == ['olName 3 "web-01 psu A"']
    texts, _changed = plan_texts({'name': 'Core Switch'}, [2])
    assert texts == []


def test_plan_orders_settings_before_power():
    texts, changed = plan_texts({'name': 'db', 'on_delay': 0, 'off_delay': 5,
                                 'reboot_duration': 20, 'state': 'rebooted'}, [2])
    assert texts == ['olName 2 "db"', 'olOnDelay 2 0', 'olOffDelay 2 5', 'olRbootTime 2 20',
                     'olReboot 2']
    assert changed[2] == ['name', 'on_delay', 'off_delay', 'reboot_duration', 'state']


def test_plan_power_state_is_idempotent_and_pending_gets_the_command():
    # states: 1 on, 2 on, 3 on, 4 off, 5 on, 6 on, 7 off*, 8 on
    texts, changed = plan_texts({'state': 'off'}, list(range(1, 9)))
    assert texts == ['olOff 1-3,5-8']
    assert 4 not in changed and 7 in changed
    # the reboot duration of outlet 2 is 10 already: no command for it
    texts, _changed = plan_texts({'reboot_duration': 10}, [1, 2])
    assert texts == ['olRbootTime 1 10']
    # 7 reads off but has a pending command (an outlet reboot would bring it back on)
    texts, changed = plan_texts({'state': 'off'}, [4, 7])
    assert texts == ['olOff 7'] and list(changed) == [7]
    texts, _changed = plan_texts({'state': 'on'}, list(range(1, 9)))
    assert texts == ['olOn 4,7']
    texts, _changed = plan_texts({'state': 'on'}, [1, 2, 3])
    assert texts == []


def test_plan_rebooted_always_sends_every_selected_outlet():
    texts, changed = plan_texts({'state': 'rebooted'}, [3, 4, 5, 6])
    assert texts == ['olReboot 3-6'] and sorted(changed) == [3, 4, 5, 6]


def test_diff_is_per_outlet():
    current = current8()
    wanted = {'outlets': [4, 7], 'state': 'on'}
    _commands, changed = ao.plan(current, wanted, [4, 7])
    diff = ao.diff_of(current, wanted, [4, 7], changed)
    assert diff['before'] == {'outlets': {'4': {'state': 'off'}, '7': {'state': 'off (pending command)'}}}
    assert diff['after'] == {'outlets': {'4': {'state': 'on'}, '7': {'state': 'on'}}}


# ------------------------------------------------------------------------------ ensure
class StatefulConsole(FakeConsole):
    """Applies olOff/olOn/olOnDelay to an in-memory copy, so the read-back sees them."""

    def __init__(self):
        super().__init__(dict(READS8))
        self.state = current8()

    def run(self, command, confirm=False, timeout=None, secrets=None, login_password_from=None):
        self.sent.append(command)
        words = command.split()
        word = words[0].lower()
        numbers = ao.parse_outlets(words[1]) if len(words) > 1 else list(range(1, 9))
        if word in ('olon', 'oloff'):
            for n in numbers:
                self.state[n].update(state=word[2:], pending=False)
            return result_of('E000: Success')
        if word == 'olondelay' and len(words) == 3:
            for n in numbers:
                self.state[n]['on_delay'] = int(words[2])
            return result_of('E000: Success')
        lines = ['E000: Success']
        for n in numbers:
            entry = self.state[n]
            if word == 'olstatus':
                lines.append('%2d: %s: %s%s' % (n, entry['name'], entry['state'].capitalize(),
                                                '*' if entry['pending'] else ''))
            elif word == 'olondelay':
                lines.append('%2d: %s: %s' % (n, entry['name'], 'never' if entry['on_delay'] < 0
                                              else '%d sec' % entry['on_delay']))
        return result_of('\n'.join(lines))


def test_ensure_applies_verifies_and_is_then_unchanged():
    console = StatefulConsole()
    wanted = ao.validate(params(outlets='1-8', state='off', on_delay=5, allow_power_off=True))
    check = ao.ensure_outlets(console, wanted, PDU8, check_mode=True)
    assert check['changed'] and check['commands'] == ['olOnDelay 1-8 5', 'olOff 1-3,5-8']
    assert all(c.split()[0] in ('olStatus', 'olOnDelay') and len(c.split()) == 2 for c in console.sent)
    console.sent = []
    applied = ao.ensure_outlets(console, wanted, PDU8)
    assert applied['commands'] == check['commands']
    assert [c for c in console.sent if len(c.split()) > 2 or c.startswith('olOff')] == check['commands']
    assert [o['state'] for o in applied['outlets']] == ['off'] * 8
    again = ao.ensure_outlets(console, wanted, PDU8)
    assert again['changed'] is False and again['commands'] == []


def test_ensure_refuses_before_sending_for_a_missing_outlet():
    console = StatefulConsole()
    with pytest.raises(SettingsError, match='it has 8 outlets'):
        ao.ensure_outlets(console, ao.validate(params(outlets=9, state='on')), PDU8)
    assert console.sent == []


def test_ensure_reports_a_change_that_did_not_take():
    console = FakeConsole(READS8)      # accepts olOn but the read-back still shows off
    with pytest.raises(ApplyError, match='outlet 4 state is'):
        ao.ensure_outlets(console, ao.validate(params(outlets=4, state='on')), PDU8)


def test_apply_stops_at_a_refusal():
    console = FakeConsole(READS8, writes={'olOnDelay 1,4-8 15': 'E102: Parameter Error'})
    with pytest.raises(ApplyError, match='nothing was changed before it'):
        ao.ensure_outlets(console, ao.validate(params(outlets='all', on_delay=15)), PDU8)


# ------------------------------------------------------------------------------ area_power
@pytest.mark.parametrize('aos, card, forced', [
    ('v6.8.0', 'AP8941', False),
    ('v6.9.6', 'AP7920B', True),
    ('v6.9.4', 'AP9631', False),
    ('v5.1.7', 'AP9630', False),
    ('v7.0.4', 'AP9631', True),
    ('v2.5.0.8', 'AP9641', True),
])
def test_forces_first_login_change(aos, card, forced):
    assert ap.forces_first_login_change({'card_model': card, 'firmware': {'aos': aos}}) is forced


def test_network_kept_compares_the_configuration_only():
    before = {'boot_mode': 'manual', 'ipv4_address': '192.0.2.20', 'subnet_mask': '255.255.255.0',
              'gateway': '192.0.2.1', 'host_name': 'pdu', 'domain_name': 'x', 'active_ipv4_address': 'a'}
    assert ap.network_kept(before, dict(before, active_ipv4_address='b'))
    assert not ap.network_kept(before, dict(before, boot_mode='dhcp'))


def test_start_reboot_needs_the_card_to_announce_it():
    console = FakeConsole({})
    with pytest.raises(ApplyError, match='did not announce a reboot'):
        ap.start_reboot(console)
    result = CliResult(code='E000', message='Success')
    result.raw = {'rebooting': True}
    console.run = lambda command, **kw: result
    assert ap.start_reboot(console) is result
