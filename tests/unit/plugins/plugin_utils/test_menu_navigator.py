# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The menu navigator against a small scripted Control Console (a fake serial port).

The fake has a main menu, Network > TCP/IP (a Boot Mode choice screen, System IP with
validation, Accept Changes) and an outlet with a YES-confirmed command; item numbers are
deliberately not those of any firmware, so only labels can find them.
"""

from __future__ import annotations

import time

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import menu as mn
from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess

FOOT = '     <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log'
BANNER = ('\r\n\r\nAmerican Power Conversion               Network Management Card AOS      v3.7.3\r\n'
          '(c) Copyright 2009 All Rights Reserved  Rack PDU APP                     v3.7.3\r\n\r\n'
          'Switched Rack PDU: Communication Established')


class FakeMenu:
    """A pyserial-like port that behaves like a (tiny) menu console."""

    def __init__(self):
        self.rx = bytearray()
        self.timeout = 0
        self.is_open = True
        self.line = ''
        self.state = 'asleep'
        self.stack = ['main']
        self.stored = {'mode': 'DHCP', 'ip': '0.0.0.0', 'outlet': 'ON'}
        self.pending = {}
        self.prompt = None
        self.received = []
        self.silent_ctrl_c = False

    # pyserial side ---------------------------------------------------------------
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

    def out(self, text):
        self.rx.extend(text.encode('latin-1'))

    def write(self, data):
        for char in data.decode('latin-1'):
            self.key(char)
        return len(data)

    # console side ----------------------------------------------------------------
    def screens(self, name):
        mode = self.pending.get('mode', self.stored['mode'])
        if name == 'main':
            return 'Control Console', [], ['System', 'Network', 'Device Manager', 'Logout']
        if name == 'network':
            return 'Network', [], ['DNS', 'TCP/IP']
        if name == 'tcpip':
            items = ['Boot Mode      : %s' % mode]
            if mode == 'Manual':
                items.append('System IP      : %s' % self.pending.get('ip', self.stored['ip']))
            return 'TCP/IP', [], items + ['Accept Changes']
        if name == 'boot':
            return 'Boot Mode', ['     Current Setting : %s' % mode], ['DHCP', 'Manual']
        if name == 'device':
            return 'Device Manager', [], ['Outlet Control/Configuration']
        if name == 'outlets':
            return 'Outlet Control/Configuration', [], ['%-25s%s' % ('web-01', self.stored['outlet'])]
        if name == 'outlet':
            return 'web-01', ['     Outlet       : 1'], ['Control Outlet']
        if name == 'control':
            return 'Control Outlet', [], ['Immediate Off', 'Immediate On']
        return name, [], []

    def render(self, note=''):
        title, header, items = self.screens(self.stack[-1])
        text = note + '\r\n\r\n' + ('------- %s ' % title).ljust(79, '-') + '\r\n\r\n'
        if header:
            text += ''.join(h + '\r\n' for h in header) + '\r\n'
        text += ''.join('%6d- %s\r\n' % (n, i) for n, i in enumerate(items, 1)) + '\r\n'
        self.out(text + FOOT + '\r\n> ')

    def key(self, char):
        if self.state == 'asleep':
            if char == '\r':
                self.state = 'user'
                self.out('\r\nUser Name : ')
            return
        if char == '\x03':
            if self.silent_ctrl_c:
                return
            self.prompt = None
            self.pending = {}
            self.stack = ['main']
            self.render()
            return
        if char == '\x1b':
            if self.prompt:
                self.prompt = None
                self.render()
                return
            if len(self.stack) > 1:
                if self.stack[-1] == 'tcpip':
                    self.pending = {}
                self.stack.pop()
            self.render()
            return
        if char != '\r':
            self.line += char
            self.out(char if self.state != 'password' else '*')
            return
        line, self.line = self.line, ''
        self.received.append(line)
        if self.state == 'user':
            self.state = 'password'
            self.out('\r\nPassword  : ')
            return
        if self.state == 'password':
            self.state = 'menu'
            self.out(BANNER)
            self.render()
            return
        self.answer(line)

    def answer(self, line):
        if self.prompt == 'ip':
            self.prompt = None
            if line.count('.') != 3:
                self.render('\r\nInvalid IP address.')
                return
            self.pending['ip'] = line
            self.render()
            return
        if self.prompt == 'yes':
            self.prompt = 'pager' if line.upper() == 'YES' else None
            if self.prompt:
                self.stored['outlet'] = 'OFF'
                self.out('\r\n\r\nCommand successfully issued.\r\n\r\nPress <ENTER> to continue...')
            else:
                self.render()
            return
        if self.prompt == 'pager':
            self.prompt = None
            self.render()
            return
        if not line.isdigit():
            self.render()
            return
        _title, _header, items = self.screens(self.stack[-1])
        number = int(line)
        if not 1 <= number <= len(items):
            self.render()
            return
        label = items[number - 1].split(':')[0].strip()
        where = self.stack[-1]
        targets = {('main', 'Network'): 'network', ('network', 'TCP/IP'): 'tcpip',
                   ('tcpip', 'Boot Mode'): 'boot', ('main', 'Device Manager'): 'device',
                   ('device', 'Outlet Control/Configuration'): 'outlets',
                   ('control', 'x'): None, ('outlet', 'Control Outlet'): 'control'}
        if where == 'outlets':
            self.stack.append('outlet')
        elif (where, label) in targets:
            self.stack.append(targets[(where, label)])
        elif where == 'boot':
            self.pending['mode'] = label
            self.stack.pop()
        elif where == 'tcpip' and label == 'System IP':
            self.prompt = 'ip'
            self.out('\r\nSystem IP : ')
            return
        elif where == 'tcpip' and label == 'Accept Changes':
            self.stored.update(self.pending)
            self.pending = {}
        elif where == 'control':
            self.prompt = 'yes'
            self.out('\r\n\r\n' + '-' * 79 + '\r\n        %s\r\n\r\n        This command will ...\r\n\r\n'
                     "Enter 'YES' to continue or <ENTER> to cancel : " % label)
            return
        elif label == 'Logout':
            self.state = 'asleep'
            self.stack = ['main']
            self.out('\r\n\r\nConnection Closed - Bye\r\n')
            return
        self.render()


def connect(fake, **kwargs):
    options = dict(user='apc', password='apc', login_timeout=1, command_timeout=1,
                   wake_interval=0.05, idle_probe_after=3600, use_lock=False, dialect='menu',
                   port_factory=lambda url, **line: fake)
    options.update(kwargs)
    return sess.ConsoleSession('socket://127.0.0.1:1', **options).connect()


def test_login_lands_at_the_main_menu():
    fake = FakeMenu()
    session = connect(fake)
    assert session.dialect == 'menu' and session.menu.screen['title'] == 'Control Console'
    assert fake.received == ['apc', 'apc']


def test_goto_by_labels_and_reuse_of_open_screens():
    fake = FakeMenu()
    nav = connect(fake).menu
    screen = nav.goto(['Network', 'TCP/IP'])
    assert screen['title'] == 'TCP/IP' and fake.received[-2:] == ['2', '2']
    sent = len(fake.received)
    nav.goto(['Network', 'DNS'])             # one ESC back, then DNS: no trip via the main menu
    assert fake.received[sent:] == ['1']


def test_set_values_choice_then_prompt_accept_and_read_back():
    fake = FakeMenu()
    nav = connect(fake).menu
    result = nav.set_values(['Network', 'TCP/IP'], {'Boot Mode': 'Manual', 'System IP': '10.0.0.5'})
    assert result['entered'] == ['Boot Mode', 'System IP'] and result['changed']
    assert result['after'] == {'Boot Mode': 'Manual', 'System IP': '10.0.0.5'}
    assert fake.stored == {'mode': 'Manual', 'ip': '10.0.0.5', 'outlet': 'ON'}
    # again: nothing entered, no Accept Changes
    sent = len(fake.received)
    again = nav.set_values(['Network', 'TCP/IP'], {'Boot Mode': 'Manual', 'System IP': '10.0.0.5'})
    assert again['entered'] == [] and '10.0.0.5' not in fake.received[sent:]


def test_check_mode_enters_nothing():
    fake = FakeMenu()
    nav = connect(fake).menu
    result = nav.set_values(['Network', 'TCP/IP'], {'Boot Mode': 'Manual'}, check_mode=True)
    assert result['entered'] == ['Boot Mode'] and fake.stored['mode'] == 'DHCP'
    assert nav.writes == 0


def test_refused_value_raises_and_recover_drops_pending():
    fake = FakeMenu()
    nav = connect(fake).menu
    with pytest.raises(mn.MenuRefused, match='Invalid IP address'):
        nav.set_values(['Network', 'TCP/IP'], {'Boot Mode': 'Manual', 'System IP': 'bad'})
    assert nav.recover() and nav.screen['title'] == 'Control Console'
    assert fake.pending == {} and fake.stored['mode'] == 'DHCP'


def test_missing_item_is_named():
    fake = FakeMenu()
    nav = connect(fake).menu
    with pytest.raises(mn.MenuError, match="no item 'Web/SSL/TLS'"):
        nav.goto(['Network', 'Web/SSL/TLS'])


def test_action_answers_yes_and_the_pager():
    fake = FakeMenu()
    nav = connect(fake).menu
    path = ['Device Manager', '?Outlet Management', 'Outlet Control/Configuration', '#1', 'Control Outlet']
    result = nav.action(path, 'Immediate Off')
    assert result['confirmed'] and result['message'] == 'Command successfully issued.'
    assert result['screen']['title'] == 'Control Outlet' and fake.stored['outlet'] == 'OFF'
    assert 'YES' in fake.received


def test_action_cancelled_without_confirm():
    fake = FakeMenu()
    nav = connect(fake).menu
    path = ['Device Manager', 'Outlet Control/Configuration', '#1', 'Control Outlet']
    result = nav.action(path, 'Immediate Off', confirm=False)
    assert not result['confirmed'] and fake.stored['outlet'] == 'ON' and 'YES' not in fake.received


def test_home_with_escape_when_ctrl_c_is_ignored():
    fake = FakeMenu()
    nav = connect(fake).menu
    nav.goto(['Network', 'TCP/IP'])
    fake.silent_ctrl_c = True
    nav.timeout = 0.3
    assert nav.home()['title'] == 'Control Console'


def test_logged_in_menu_left_on_the_line_is_logged_out_first():
    fake = FakeMenu()
    fake.state = 'menu'                      # somebody's session is still open
    session = connect(fake, dialect='auto')
    assert session.dialect == 'menu' and fake.received[-2:] == ['apc', 'apc']
    assert '4' in fake.received              # Logout chosen by its label
