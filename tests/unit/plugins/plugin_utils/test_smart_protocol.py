# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The smart-protocol primitives against a character-level fake UPS."""

from __future__ import annotations

import time

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess
from ansible_collections.rackops.apc.plugins.plugin_utils import smart


class FakeUps:
    """Answers single command characters like a smart-protocol UPS."""

    def __init__(self, eeprom=None, alerts_before=''):
        self.rx = bytearray()
        self.timeout = 0
        self.is_open = True
        self.smart = False
        self.last = None
        self.text = None
        self.writes = []
        self.eeprom = eeprom or {'u': ['127', '130', '133', '136'], 'c': ['UPS_IDEN']}
        self.alerts_before = alerts_before
        self.locked = set()
        protocol = '3.!$%+?=#|.ABCDEFGKLMNOPQRSUVWXYZabcefgjklmnopqrsuxyz~\'7890@\x7f\x0e\x1a'
        self.values = {'\x01': 'SMART-UPS 1000', 'n': 'WS9643050926', 'B': '27.87', 'a': protocol}

    @property
    def in_waiting(self):
        return len(self.rx)

    def read(self, size=1):
        if not self.rx and self.timeout:
            time.sleep(min(self.timeout, 0.01))
        data = bytes(self.rx[:size])
        del self.rx[:size]
        return data

    def reset_input_buffer(self):
        self.rx.clear()

    def flush(self):
        pass

    def close(self):
        self.is_open = False

    def answer(self, text):
        self.rx.extend((self.alerts_before + text + '\r\n').encode('latin-1'))
        self.alerts_before = ''

    def write(self, data):
        for char in data.decode('latin-1'):
            self.writes.append(char)
            if self.text is not None:
                self.text += char
                if len(self.text) == 8:
                    self.eeprom['c'] = [self.text]
                    self.text = None
                    self.answer('OK')
                continue
            if char == 'Y':
                self.smart = True
                self.answer('SM')
            elif not self.smart or char in '\r\n':
                continue
            elif char == '-':
                values = self.eeprom.get(self.last)
                if self.last == 'c':
                    self.text = ''
                elif values and self.last not in self.locked:
                    values.append(values.pop(0))
                    self.answer('OK')
                else:
                    self.answer('NO')
            elif char in self.eeprom:
                self.last = char
                self.answer(self.eeprom[char][0])
            elif char in self.values:
                self.last = char
                self.answer(self.values[char])
            else:
                self.answer('NA')
        return len(data)


def session_for(port, **kwargs):
    options = dict(login_timeout=1, command_timeout=0.5, wake_interval=0.05, use_lock=False,
                   port_factory=lambda url, **line: port, dialect='auto')
    options.update(kwargs)
    return sess.ConsoleSession('socket://127.0.0.1:1', **options).connect()


def test_auto_detects_the_smart_protocol_after_a_long_silence(monkeypatch):
    # the probe letter only once SMART_PROBE_AFTER_CRS CRs and SMART_PROBE_SILENCE seconds
    # got no answer (shortened here): a late management card would take Y as a user name
    monkeypatch.setattr(sess, 'SMART_PROBE_SILENCE', 0.2)
    port = FakeUps()
    session = session_for(port)
    assert session.dialect == 'smart' and session.logged_in
    crs = port.writes.index('Y')
    assert crs >= sess.SMART_PROBE_AFTER_CRS
    assert set(port.writes[:crs]) == {'\r'}


def test_query_na_and_alerts_become_events():
    port = FakeUps(alerts_before='!')
    session = session_for(port, dialect='smart')
    assert session.smart.query('B') == '27.87'
    assert session.smart.query('^A') == 'SMART-UPS 1000'
    assert session.smart.query('G') is None                  # NA
    assert session.smart.take_events() == ['!']              # arrived with the SM answer
    port.alerts_before = '$'
    assert session.smart.query('B') == '27.87'
    assert session.smart.take_events() == ['$']


def test_protocol_string_keeps_its_alert_characters():
    session = session_for(FakeUps(), dialect='smart')
    assert session.smart.query('a').startswith('3.!$%+?=#|.')


def test_cycle_is_direction_agnostic_and_detects_wrap():
    port = FakeUps()
    session = session_for(port, dialect='smart')
    result = session.smart.cycle('u', '133')
    assert result['changed'] and result['steps'] == 2 and result['after'] == '133'
    assert session.smart.cycle('u', '133')['steps'] == 0
    with pytest.raises(smart.SmartError, match='not among the values'):
        session.smart.cycle('u', '140')
    assert port.eeprom['u'][0] == '133'      # a full turn leaves it where it was


def test_cycle_refused_with_no():
    port = FakeUps(eeprom={'u': ['127', '130'], 'k': ['0', 'T', 'L', 'N']})
    port.locked.add('k')   # the unit answers NO to '-'
    session = session_for(port, dialect='smart')
    with pytest.raises(smart.SmartError, match='refused'):
        session.smart.cycle('k', 'T')


def test_free_text_is_eight_characters_then_ok():
    port = FakeUps()
    session = session_for(port, dialect='smart')
    result = session.smart.write_text('c', 'RACK-A1')
    assert result['changed'] and result['after'] == 'RACK-A1 '
    # then the value is read back (twice: smart replies are believed when two agree)
    assert ''.join(port.writes).rstrip('c').endswith('c-RACK-A1 ')
    assert session.smart.write_text('c', 'RACK-A1')['changed'] is False


def test_double_character_commands_are_spaced(monkeypatch):
    slept = []
    monkeypatch.setattr(smart.time, 'sleep', slept.append)
    port = FakeUps()
    port.values['K'] = 'OK'
    session = session_for(port, dialect='smart')
    session.smart.control('kill')
    assert port.writes[-2:] == ['K', 'K']
    assert slept == [smart.DOUBLE_COMMAND_GAP] and smart.DOUBLE_COMMAND_GAP > 1.5
