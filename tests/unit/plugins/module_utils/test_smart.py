# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/smart.py (and the device-facing parts of the
ups_settings and facts modules, against a fake console that behaves like a smart UPS)."""

from __future__ import annotations

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import smart
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError, SettingsError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.modules import facts as facts_module
from ansible_collections.rackops.apc.plugins.modules import ups_settings

# A 3G Smart-UPS table: transfer points for D, I, A, M; shared groups with locale 4.
TABLE_3G = ''.join((
    '#uD43127130133136', 'uM43229234239224', 'uA43108110112114', 'uI43253257261265',
    'lD43106103100097', 'lI43208204200196', 'e44200155090', 'oD13115', 'oI43230240220225',
    's441HMLL', 'q44202050710', 'p443020180300600', 'k4410TLN', 'r443000060180300',
    'E443336168ON OFF'))


def test_table_groups_and_locale_filtering():
    groups = smart.parse_eeprom_groups(TABLE_3G)
    assert groups[0] == ('u', 'D', ['127', '130', '133', '136'])
    assert ('E', '4', ['336', '168', 'ON ', 'OFF']) in groups
    d = smart.parse_eeprom_table(TABLE_3G, 'D')
    assert d['u'] == ['127', '130', '133', '136']
    assert d['l'] == ['106', '103', '100', '097']
    assert d['o'] == ['115']
    assert d['s'] == ['H', 'M', 'L']            # the duplicated L is kept once
    assert d['E'] == ['336', '168', 'ON ', 'OFF']
    assert d['k'] == ['0', 'T', 'L', 'N']
    i = smart.parse_eeprom_table(TABLE_3G, 'I')
    assert i['u'] == ['253', '257', '261', '265'] and i['o'] == ['230', '240', '220', '225']
    assert i['e'] == ['00', '15', '50', '90']   # locale 4 groups apply everywhere
    j = smart.parse_eeprom_table(TABLE_3G, 'J')
    assert 'u' not in j and 'o' not in j and 'p' in j
    assert set(smart.parse_eeprom_table(TABLE_3G)) >= set('ulesoqpkrE')


def test_matrix_table_with_double_hash_groups():
    raw = '##uD43127130133136##lD43106103100097##pI43020180300600##k4410TLN'
    table = smart.parse_eeprom_table(raw, 'D')
    assert table == {'u': ['127', '130', '133', '136'], 'l': ['106', '103', '100', '097'],
                     'k': ['0', 'T', 'L', 'N']}
    assert smart.parse_eeprom_table(raw, 'I') == {'p': ['020', '180', '300', '600'],
                                                  'k': ['0', 'T', 'L', 'N']}
    # the leading ## taken for alerts by a reader: the other groups still parse
    assert smart.parse_eeprom_table(raw[2:], 'D') == smart.parse_eeprom_table(raw, 'D')


def test_table_crlf_missing_hash_and_empty():
    assert smart.parse_eeprom_table('#k4410TLN\r\n', 'D') == {'k': ['0', 'T', 'L', 'N']}
    # a reader that dropped the leading '#' (it is also the replace-battery alert)
    assert smart.parse_eeprom_table('k4410TLN', 'D') == {'k': ['0', 'T', 'L', 'N']}
    assert smart.parse_eeprom_table(None, 'D') == {}
    assert smart.parse_eeprom_table('#', 'D') == {}


@pytest.mark.parametrize('raw, message', [
    ('#uD4/127130', 'malformed group'),
    ('#k4410TLNu', 'ends inside a group'),
    ('#uD43127130', 'cut short'),
])
def test_malformed_tables(raw, message):
    with pytest.raises(smart.SmartTableError, match=message) as info:
        smart.parse_eeprom_groups(raw)
    assert isinstance(info.value, ValueError)


def test_malformed_keeps_groups_parsed_before():
    with pytest.raises(smart.SmartTableError) as info:
        smart.parse_eeprom_groups('#k4410TLNuD4x')
    assert info.value.groups == [('k', '4', ['0', 'T', 'L', 'N'])]


def test_status_bits():
    online = smart.decode_status('08')
    assert online['flags']['online'] and not online['flags']['on_battery']
    assert online['text'] == 'OL' and online['active'] == ['online']
    low = smart.decode_status('50')
    assert low['active'] == ['on_battery', 'battery_low'] and low['text'] == 'OB LB'
    every = smart.decode_status('FF')
    assert all(every['flags'].values()) and len(every['flags']) == 8
    assert every['text'] == 'CAL TRIM BOOST OL OB OVER LB RB'
    assert smart.decode_status('0A')['active'] == ['smart_trim', 'online']
    assert smart.decode_status('00')['text'] == 'OFF'
    assert smart.decode_status(None) is None
    assert smart.decode_status('zz')['value'] is None


@pytest.mark.parametrize('reply, cause', [
    ('R', 'rate_of_change'), ('H', 'high_line'), ('L', 'low_line'), ('T', 'notch_or_spike'),
    ('O', 'none'), ('S', 'self_test'), ('K', 'software'), (None, 'unknown'), ('?', 'unknown'),
])
def test_transfer_cause(reply, cause):
    assert smart.decode_transfer_cause(reply)['cause'] == cause


@pytest.mark.parametrize('reply, result', [
    ('OK', 'passed'), ('BT', 'failed_capacity'), ('NG', 'failed_overload'), ('NO', 'none'),
    (None, 'unknown'),
])
def test_self_test_result(reply, result):
    assert smart.decode_self_test(reply)['result'] == result


def test_readings_numbers_runtime_locale():
    assert smart.decode_runtime('0327:') == 327.0
    assert smart.parse_float('023.5') == 23.5
    assert smart.parse_float('NA') is None and smart.parse_float(None) is None
    assert smart.locale_of('50.9.D') == 'D' and smart.locale_of('') is None
    assert smart.decode_line_quality('FF') == {'code': 'FF', 'good': True}
    assert smart.decode_line_quality('00')['good'] is False
    values = {'f': '100.0', 'B': '27.87', 'L': '118.3', 'j': '0327:', 'Q': '08', 'G': 'O',
              'X': 'NO', '9': 'FF', 'C': None}
    readings = smart.decode_readings(values)
    assert readings['battery_charge'] == 100.0 and readings['runtime_minutes'] == 327.0
    assert readings['temperature'] is None
    assert readings['status']['text'] == 'OL' and readings['last_transfer']['cause'] == 'none'
    assert 'load' not in readings


# ------------------------------------------------------------------------------ settings
def unit(locale='D', table=TABLE_3G, model='SMART-UPS 1000'):
    return smart.Unit(model=model, locale=locale,
                      table=smart.parse_eeprom_table(table, locale) if table else None)


@pytest.mark.parametrize('name, value, expected', [
    ('upper_transfer_voltage', 133, 133),
    ('lower_transfer_voltage', '097', 97),
    ('sensitivity', 'low', 'L'),
    ('sensitivity', 'h', 'H'),
    ('alarm', 'delayed', 'T'),
    ('alarm', 'off', 'N'),
    ('alarm', False, 'N'),
    ('self_test_interval', False, 'OFF'),
    ('self_test_interval', 336, '336'),
    ('alarm', '0', '0'),
    ('self_test_interval', '14d', '336'),
    ('self_test_interval', '168', '168'),
    ('self_test_interval', 'on_startup', 'ON '),
    ('self_test_interval', 'OFF', 'OFF'),
    ('ups_id', 'RACK-A01', 'RACK-A01'),
    ('ups_id', '', ''),
    ('battery_date', '03/15/26', '03/15/26'),
])
def test_normalise_wanted(name, value, expected):
    assert smart.normalise_wanted(smart.SETTINGS[name], value) == expected


@pytest.mark.parametrize('name, value, message', [
    ('upper_transfer_voltage', 'abc', 'whole number'),
    ('upper_transfer_voltage', 1270, 'does not fit the 3 digits'),
    ('return_charge', -5, 'whole number'),
    ('sensitivity', 'extreme', "'extreme' is not one of high (H), medium (M), low (L), auto (A)"),
    ('alarm', 'loud', 'immediate (0), delayed (T), low_battery (L), off (N)'),
    ('self_test_interval', '30d', '14d (336), 7d (168), on_startup (ON), off (OFF)'),
    ('alarm', True, 'quote the value in YAML'),
    ('sensitivity', False, 'quote the value in YAML'),
    ('ups_id', 'NINECHARS', 'exactly 8'),
    ('ups_id', 'caf\xe9', 'printable ASCII'),
    ('ups_id', 'UPS#1', 'must not contain #'),
    ('battery_date', '', 'must not be empty'),
])
def test_normalise_refusals(name, value, message):
    with pytest.raises(SettingsError, match=None) as info:
        smart.normalise_wanted(smart.SETTINGS[name], value)
    assert message in str(info.value)


def test_check_against_table_uses_the_units_spelling():
    exact = smart.check_against_table({'lower_transfer_voltage': 97, 'return_charge': 0,
                                       'self_test_interval': 'ON ', 'ups_id': 'X'}, unit('D'))
    assert exact == {'lower_transfer_voltage': '097', 'return_charge': '00',
                     'self_test_interval': 'ON ', 'ups_id': 'X'}


def test_refusal_lists_the_allowed_values_for_unit_and_locale():
    with pytest.raises(SettingsError) as info:
        smart.check_against_table({'upper_transfer_voltage': 253}, unit('D'))
    msg = str(info.value)
    assert 'upper_transfer_voltage: 253 is not allowed on SMART-UPS 1000 (locale D, 115 V)' in msg
    assert 'allowed values: 127, 130, 133, 136' in msg
    # the same value is fine on the 230 V unit
    assert smart.check_against_table({'upper_transfer_voltage': 253}, unit('I')) == {
        'upper_transfer_voltage': '253'}
    with pytest.raises(SettingsError) as info:
        smart.check_against_table({'self_test_interval': '168', 'alarm': 'N'},
                                  unit('D', '#E423336OFFk4410TLN'))
    assert str(info.value) == ('self_test_interval: 7d (168) is not allowed on SMART-UPS 1000 '
                               '(locale D, 115 V); allowed values: 14d (336), off (OFF)')


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as info:
        smart.check_against_table({'upper_transfer_voltage': 140, 'sensitivity': 'A',
                                   'output_voltage': 230}, unit('D'))
    msg = str(info.value)
    assert 'upper_transfer_voltage: 140' in msg
    assert 'sensitivity: auto (A) is not allowed' in msg and 'high (H), medium (M), low (L)' in msg
    assert 'output_voltage: 230 is not allowed' in msg and 'allowed values: 115' in msg


def test_settings_missing_from_the_table_or_without_a_table():
    with pytest.raises(SettingsError) as info:
        smart.check_against_table({'wakeup_delay': 60}, unit('D', '#k4410TLN'))
    assert 'wakeup_delay (r): SMART-UPS 1000 (locale D, 115 V) does not have this setting' in str(info.value)
    with pytest.raises(SettingsError) as info:
        smart.check_against_table({'alarm': 'off'}, unit('D', None, model='BP650S'))
    assert 'BP650S' in str(info.value) and 'no EEPROM value table' in str(info.value)
    # free text does not depend on the table
    assert smart.check_against_table({'ups_id': 'A'}, unit('D', None)) == {'ups_id': 'A'}


def test_plan_cycles_only_what_differs():
    current = {'u': '127', 'l': '097', 'E': 'ON', 'c': 'UPS_IDEN', 'x': '01/01/20'}
    wanted = {'upper_transfer_voltage': '133', 'lower_transfer_voltage': '097',
              'self_test_interval': 'ON ', 'ups_id': 'UPS_IDEN', 'battery_date': '03/15/26'}
    changes = smart.plan_settings(wanted, current, unit())
    assert [(c['option'], c['before'], c['after']) for c in changes] == [
        ('upper_transfer_voltage', '127', '133'), ('battery_date', '01/01/20', '03/15/26')]
    assert smart.describe_change(changes[0]) == 'upper_transfer_voltage (u): 127 -> 133'
    assert smart.describe_change(changes[1]) == "battery_date (x): '01/01/20' -> '03/15/26'"
    # text compares without the blank padding
    assert smart.plan_settings({'ups_id': 'A'}, {'c': 'A       '}, unit()) == []
    change = smart.plan_settings({'alarm': 'T'}, {'k': '0'}, unit())[0]
    assert smart.describe_change(change) == 'alarm (k): immediate (0) -> delayed (T)'


def test_plan_refuses_settings_the_unit_answers_na_to():
    with pytest.raises(SettingsError) as info:
        smart.plan_settings({'ups_id': 'A', 'wakeup_delay': '060'}, {'c': None, 'r': None},
                            unit(model='SC620'))
    assert 'SC620 (locale D, 115 V) does not have the setting(s) ups_id (c), wakeup_delay (r)' in str(info.value)


def test_unit_from_info():
    info = {'dialect': 'smart', 'model': 'SMART-UPS 1000', 'firmware': {'ups': '60.11.I'},
            'locale': None, 'eeprom_raw': TABLE_3G, 'protocol': {'commands': 'WDAU'}}
    found = smart.unit_from_info(info)
    assert found.locale == 'I' and found.table['u'][0] == '253' and found.commands == 'WDAU'
    assert smart.unit_from_info(dict(info, eeprom_raw=None)).table is None
    with pytest.raises(SettingsError, match='cannot be checked'):
        smart.unit_from_info(dict(info, eeprom_raw='#uD4x'))
    assert smart.unit_from_info({'firmware': {'ups': '50.9.D'}}).model == \
        'the UPS with firmware 50.9.D (no model reply)'


def test_unit_without_b_takes_the_locale_from_v_or_keeps_only_shared_groups():
    raw = '##uM43229234239224##uI43253257261265##k4410TLN'
    matrix = {'dialect': 'smart', 'model': None, 'firmware': {'ups': None, 'old': '5WI'},
              'locale': None, 'eeprom_raw': raw}
    found = smart.unit_from_info(matrix)
    assert found.locale == 'I' and found.table == {'u': ['253', '257', '261', '265'],
                                                   'k': ['0', 'T', 'L', 'N']}
    assert 'firmware 5WI' in found.label()
    unknown = smart.unit_from_info(dict(matrix, firmware={'old': 'XYZ'}))
    assert unknown.locale is None and unknown.table == {'k': ['0', 'T', 'L', 'N']}
    assert smart.identity_facts(matrix)['locale'] == 'I'


def test_eeprom_facts_values_and_allowed():
    values = {'u': '127', 'l': '106', 's': 'H', 'E': '336', 'k': '0', 'c': 'UPS_IDEN',
              'x': '11/29/96', 'r': None, 'o': '115'}
    facts = smart.eeprom_facts(values, unit())
    assert facts['upper_transfer_voltage'] == {
        'letter': 'u', 'value': 127, 'raw': '127', 'unit': 'V', 'allowed': [127, 130, 133, 136],
        'allowed_raw': ['127', '130', '133', '136'], 'settable': True}
    assert facts['self_test_interval']['value'] == '14d'
    assert facts['self_test_interval']['allowed'] == ['14d', '7d', 'on_startup', 'off']
    assert facts['sensitivity']['allowed'] == ['high', 'medium', 'low']
    assert facts['alarm']['value'] == 'immediate'
    assert facts['ups_id']['value'] == 'UPS_IDEN' and facts['ups_id']['allowed'] is None
    assert 'wakeup_delay' not in facts
    no_table = smart.eeprom_facts({'k': '0'}, unit(table=None))
    assert no_table['alarm']['allowed'] == [] and no_table['alarm']['settable'] is False


@pytest.mark.parametrize('requested, expected', [
    (['all'], ['identity', 'readings', 'eeprom']),
    ([], ['identity', 'readings', 'eeprom']),
    (['readings'], ['readings']),
    (['all', '!eeprom'], ['identity', 'readings']),
    (['!readings'], ['identity', 'eeprom']),
    (['min'], []),
    (['!all', 'eeprom'], ['eeprom']),
])
def test_smart_subsets(requested, expected):
    assert smart.resolve_smart_subsets(requested) == expected


def test_smart_subsets_unknown():
    with pytest.raises(ValueError, match='valid values are: all, identity, readings, eeprom'):
        smart.resolve_smart_subsets(['network'])


# ------------------------------------------------------------------------------ fake UPS
class FakeSmartConsole:
    """Answers the connection's smart RPCs like a UPS; records every write."""

    def __init__(self, values, table=TABLE_3G, locale='D', check_mode=False):
        self.values = dict(values)
        self.table = smart.parse_eeprom_table(table, locale)
        self.locale = locale
        self.check_mode = check_mode
        self.writes = []
        self.queries = []

    def call(self, name, *args, **kwargs):
        kwargs.setdefault('check_mode', self.check_mode)
        return getattr(self, name)(*args, **kwargs)

    def smart_query(self, letters, check_mode=False):
        self.queries.append(list(letters))
        return {'values': dict((k, self.values.get(k)) for k in letters), 'events': []}

    def smart_set(self, letter, value, check_mode=False):
        assert not check_mode
        allowed = self.table[letter]
        before = self.values[letter]
        steps = 0
        while self.values[letter].strip() != value.strip():
            index = allowed.index(self.values[letter]) if self.values[letter] in allowed else -1
            self.values[letter] = allowed[(index + 1) % len(allowed)]
            self.writes.append((letter, '-'))
            steps += 1
            if self.values[letter] == before:
                # as plugin_utils/smart.cycle: back at the start, so the value is unchanged
                raise ConsoleFailure('%s wrapped' % letter)
        return {'before': before, 'after': self.values[letter].strip(), 'steps': steps,
                'changed': steps > 0, 'events': ['|'] if steps else []}

    def smart_set_text(self, letter, text, check_mode=False):
        assert not check_mode
        before = self.values[letter]
        self.values[letter] = text.ljust(8)
        self.writes.append((letter, text))
        return {'before': before, 'after': self.values[letter], 'changed': before != text.ljust(8)}

    def smart_events(self, check_mode=False):
        return []


def test_apply_changes_cycles_and_verifies():
    ups = FakeSmartConsole({'u': '127', 'k': '0', 'c': 'UPS_IDEN'})
    changes = smart.plan_settings({'upper_transfer_voltage': '136', 'alarm': '0', 'ups_id': 'RACK-A01'},
                                  {'u': '127', 'k': '0', 'c': 'UPS_IDEN'}, unit())
    done, events = ups_settings.apply_changes(ups, changes)
    assert [(d['option'], d['steps']) for d in done] == [('upper_transfer_voltage', 3), ('ups_id', None)]
    assert events == ['|']
    assert ups.values['u'] == '136' and ups.values['c'] == 'RACK-A01'
    assert ('k', '-') not in ups.writes


def test_apply_changes_reports_what_was_applied_on_failure():
    ups = FakeSmartConsole({'u': '127', 'l': '106'})
    ups.table['l'] = ['106', '103']   # the UPS will never show 097: it wraps
    changes = smart.plan_settings({'upper_transfer_voltage': '130', 'lower_transfer_voltage': '097'},
                                  {'u': '127', 'l': '106'}, unit())
    with pytest.raises(ApplyError) as info:
        ups_settings.apply_changes(ups, changes)
    assert info.value.applied == ['upper_transfer_voltage']
    assert 'already applied: upper_transfer_voltage' in str(info.value)


READINGS = {'B': '27.87', 'f': '100.0', 'g': '024', 'L': '118.3', 'M': '118.9', 'N': '117.6',
            'O': '118.3', 'P': '023.5', 'C': '036.0', 'F': '60.00', 'j': '0327:', 'Q': '08',
            'G': 'O', 'X': 'NO', '9': 'FF'}


def test_gather_smart_facts_with_a_fake_ups():
    values = dict(READINGS, u='127', l='106', e='00', o='115', s='H', q='02', p='020', k='0',
                  r='000', E='336', c='UPS_IDEN', x='11/29/96')
    ups = FakeSmartConsole(values)
    info = {'dialect': 'smart', 'is_ups': True, 'is_pdu': False, 'model': 'SMART-UPS 1000',
            'serial_number': 'WS9643050926', 'manufacture_date': '11/29/96',
            'battery_date': '11/29/96', 'firmware': {'ups': '60.11.D', 'old': None},
            'locale': 'D', 'protocol': {'version': '3', 'alerts': '!$', 'commands': 'WDAU'},
            'eeprom_raw': TABLE_3G}
    subsets, facts, notes, events = facts_module.gather_smart_facts(ups, ['all'], info)
    assert subsets == ['identity', 'readings', 'eeprom'] and events == [] and notes == []
    assert facts['identity']['serial_number'] == 'WS9643050926'
    assert facts['identity']['nominal_voltage'] == 115 and facts['identity']['ups_id'] == 'UPS_IDEN'
    assert facts['readings']['load'] == 23.5 and facts['readings']['status']['text'] == 'OL'
    assert facts['eeprom']['lower_transfer_voltage']['allowed'] == [106, 103, 100, 97]
    assert len(ups.queries) == 1 and not ups.writes
    subsets, facts, notes, events = facts_module.gather_smart_facts(
        FakeSmartConsole(dict(values, r=None)), ['eeprom'], dict(info, eeprom_raw=None))
    assert list(facts) == ['eeprom']
    assert any('no EEPROM value table' in n for n in notes)
    assert any('wakeup_delay' in n for n in notes)
