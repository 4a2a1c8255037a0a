# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The console session against a scripted fake port.

Each test scripts the console: for every line the session is expected to write, the bytes
the console answers.  The fake fails the test on any unexpected write, so these tests also
prove what the session does NOT send (a second password try, a YES nobody asked for).
"""

from __future__ import annotations

import time

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess

BANNER = (
    '\r\nSchneider Electric                      Network Management Card AOS      v6.9.6\r\n'
    '(c) Copyright 2020 All Rights Reserved  RPDU 2g APP                      v6.9.6\r\n'
    '-------------------------------------------------------------------------------\r\n'
    'Name      : apc9943CD                                 Date : 08/21/2021\r\n'
    'Contact   : Unknown                                   Time : 23:03:49\r\n'
    'Location  : Unknown                                   User : Super User\r\n'
    'Up Time   : 0 Days 0 Hours 0 Minutes                  Stat : P+ N4+ N6+ A+\r\n'
    '-------------------------------------------------------------------------------\r\n'
    '\r\nType ? for command listing\r\n'
    'Use tcpip command for IP address(-i), subnet(-s), and gateway(-g)\r\n\r\napc>'
)
PROMPT = '\r\n\r\napc>'


class ScriptedPort:
    """A pyserial-like port that answers each written line from a script."""

    def __init__(self, script, greeting=''):
        self.script = list(script)
        self.rx = bytearray(greeting.encode())
        self.pending = b''
        self.written = []
        self.timeout = 0
        self.is_open = True

    # reading -----------------------------------------------------------------------
    @property
    def in_waiting(self):
        return len(self.rx)

    def read(self, size=1):
        if not self.is_open:
            raise OSError('socket disconnected')
        if not self.rx and self.timeout:
            # a real port blocks for its timeout before returning nothing; a short
            # stand-in keeps the session's retry loops at a realistic pace
            time.sleep(min(self.timeout, 0.02))
        data = bytes(self.rx[:size])
        del self.rx[:size]
        return data          # empty == the read timed out

    def reset_input_buffer(self):
        self.rx.clear()

    # writing -----------------------------------------------------------------------
    def write(self, data):
        self.pending += data
        while b'\r' in self.pending:
            line, self.pending = self.pending.split(b'\r', 1)
            text = line.decode() + '\r'
            self.written.append(text)
            if not self.script:
                raise AssertionError('unexpected write %r (script finished)' % text)
            expected, answer = self.script.pop(0)
            if expected != text:
                raise AssertionError('expected the session to write %r, it wrote %r' % (expected, text))
            if answer == 'HANGUP':
                self.is_open = False
                continue
            self.rx.extend(answer.encode())
        return len(data)

    def flush(self):
        pass

    def close(self):
        self.is_open = False


def make_session(port, **kwargs):
    options = dict(user='apc', password='apc', login_timeout=0.5, command_timeout=0.5,
                   wake_interval=0.05, idle_probe_after=3600, use_lock=False, dialect='cli',
                   port_factory=lambda url, **line: port)
    options.update(kwargs)
    return sess.ConsoleSession('socket://127.0.0.1:1', **options)


LOGIN = [
    ('\r', '\r\nUser Name : '),
    ('apc\r', 'apc\r\nPassword  : '),
    ('apc\r', '***\r\n' + BANNER),
]


def test_login_wakes_with_cr_and_reads_banner():
    port = ScriptedPort(LOGIN)
    session = make_session(port).connect()
    assert session.logged_in and session.dialect == 'cli'
    assert 'RPDU 2g APP' in session.banner
    assert port.written == ['\r', 'apc\r', 'apc\r']
    assert not port.script


def test_wake_retries_cr_until_the_console_answers():
    # the first two CRs get no answer (console still starting)
    script = [('\r', ''), ('\r', ''), ('\r', '\r\nUser Name : ')] + LOGIN[1:]
    session = make_session(ScriptedPort(script)).connect()
    assert session.logged_in


def test_wake_gives_up_with_what_it_saw_and_advice():
    port = ScriptedPort([('\r', 'garbage\x00\xff')] + [('\r', '')] * 200)
    session = make_session(port, login_timeout=0.3)
    with pytest.raises(sess.ConsoleError) as err:
        session.connect()
    text = str(err.value)
    assert 'did not answer' in text and '940-0144' in text and 'garbage' in text


def test_wrong_password_is_tried_once_and_never_shown():
    script = LOGIN[:2] + [('s3cret-canary\r', '*************\r\n\r\nUser Name : ')]
    port = ScriptedPort(script)
    session = make_session(port, password='s3cret-canary')
    with pytest.raises(sess.LoginError) as err:
        session.connect()
    assert 'rejected the login' in str(err.value)
    assert 's3cret-canary' not in str(err.value)
    # exactly one password attempt was written
    assert port.written.count('s3cret-canary\r') == 1


def test_forced_first_login_password_change():
    script = LOGIN[:2] + [
        ('apc\r', '***\r\n\r\nThe current password policy requires you to change your password...\r\n'
                  '\r\nEnter current password: '),
        ('apc\r', '***\r\n\r\nEnter new password: '),
        ('N3w-Passw0rd\r', '************\r\nConfirm new password: '),
        ('N3w-Passw0rd\r', '************\r\n' + BANNER),
    ]
    session = make_session(ScriptedPort(script), new_password='N3w-Passw0rd').connect()
    assert session.password_changed_at_login
    assert session.password == 'N3w-Passw0rd'


def test_forced_change_without_new_password_fails_clearly():
    script = LOGIN[:2] + [
        ('apc\r', '***\r\n\r\nThe current password policy requires you to change your password...\r\n'
                  '\r\nEnter current password: '),
    ]
    with pytest.raises(sess.FirstLoginPasswordRequired) as err:
        make_session(ScriptedPort(script)).connect()
    assert 'ansible_apc_new_password' in str(err.value)


def test_command_output_before_and_after_code_and_reboot_reminder():
    script = LOGIN + [
        ('lastrst\r', 'lastrst\r\n04 Requested Reset\r\nE000: Success' + PROMPT),
        ('boot -b manual\r', 'boot -b manual\r\nE002: Success\r\nReboot required for change to take effect.' + PROMPT),
        ('whoami\r', 'whoami\r\nE000: Success\r\napc\r\n\r\n* Reboot required for change to take effect.' + PROMPT),
    ]
    session = make_session(ScriptedPort(script)).connect()
    first = session.run('lastrst')
    assert first['code'] == 'E000' and first['output'] == '04 Requested Reset'
    second = session.run('boot -b manual')
    assert second['code'] == 'E002' and second['reboot_required'] is True
    third = session.run('whoami')
    assert third['output'] == 'apc'
    assert third['reboot_pending'] is True


def test_pager_is_paged_through():
    script = LOGIN + [
        ('eventlog\r', 'eventlog\r\nE000: Success\r\nline 1\r\nPress <ENTER> to continue...'),
        ('\r', '\r\nline 2' + PROMPT),
    ]
    result = make_session(ScriptedPort(script)).connect().run('eventlog')
    assert result['pages'] == 1
    assert 'line 1' in result['output'] and 'line 2' in result['output']
    assert 'Press <ENTER>' not in result['output']


def test_confirmation_cancelled_unless_asked():
    confirm = "\r\nEnter 'YES' to continue or <ENTER> to cancel : "
    script = LOGIN + [
        ('reboot\r', 'reboot\r\nE000: Success\r\nReboot Management Interface' + confirm),
        ('\r', '\r\nCommand cancelled.' + PROMPT),
    ]
    result = make_session(ScriptedPort(script)).connect().run('reboot')
    assert result['cancelled'] and not result['confirmed'] and not result['rebooting']


def test_reboot_then_login_again_when_the_card_is_back():
    confirm = "\r\nEnter 'YES' to continue or <ENTER> to cancel : "
    script = LOGIN + [
        ('reboot\r', 'reboot\r\nE000: Success\r\nReboot Management Interface' + confirm),
        ('YES\r', 'YES\r\nRebooting...\r\n'),
        # booting: the card ignores CRs for a while
        ('\r', ''), ('\r', ''),
    ] + LOGIN + [
        ('whoami\r', 'whoami\r\nE000: Success\r\napc' + PROMPT),
    ]
    session = make_session(ScriptedPort(script), boot_timeout=2).connect()
    result = session.run('reboot', confirm=True)
    assert result['confirmed'] and result['rebooting']
    assert session.state == 'rebooting' and not session.logged_in
    assert session.run('whoami')['output'] == 'apc'
    assert session.logins == 2


def test_idle_logout_prompt_waiting_in_buffer_triggers_login():
    script = LOGIN + [
        ('whoami\r', 'whoami\r\nE000: Success\r\napc' + PROMPT),
    ] + LOGIN[1:] + [
        ('whoami\r', 'whoami\r\nE000: Success\r\napc' + PROMPT),
    ]
    port = ScriptedPort(script)
    session = make_session(port).connect()
    session.run('whoami')
    # later, while the session is idle, the card logs it out and prints the login prompt
    port.rx.extend(b'\r\n\r\nUser Name : ')
    # the unsolicited 'User Name : ' (idle logout) is noticed before the next command
    assert session.run('whoami')['output'] == 'apc'
    assert session.logins == 2


def test_silent_idle_logout_command_taken_as_user_name():
    script = LOGIN + [
        # the card logged us out silently: our command text goes to the login dialogue
        ('olStatus all\r', '\r\nUser Name : '),
    ] + LOGIN[1:] + [
        ('olStatus all\r', 'olStatus all\r\nE000: Success\r\n 1: Outlet 1: On' + PROMPT),
    ]
    session = make_session(ScriptedPort(script)).connect()
    result = session.run('olStatus all')
    assert result['output'] == ' 1: Outlet 1: On'
    assert session.logins == 2


def test_timeout_says_what_was_seen_and_resyncs():
    script = LOGIN + [
        ('slowcmd\r', 'slowcmd\r\npartial output'),
        ('\r', PROMPT),
        ('whoami\r', 'whoami\r\nE000: Success\r\napc' + PROMPT),
    ]
    session = make_session(ScriptedPort(script), command_timeout=0.2).connect()
    with pytest.raises(sess.CommandTimeout) as err:
        session.run('slowcmd')
    assert 'partial output' in str(err.value)
    assert session.run('whoami')['output'] == 'apc'


def test_secrets_in_commands_are_masked_in_results():
    script = LOGIN + [
        ('user -n bob -pw Canary-123\r', 'user -n bob -pw Canary-123\r\nE000: Success' + PROMPT),
    ]
    logged = []
    session = make_session(ScriptedPort(script), log=lambda lvl, msg: logged.append(msg)).connect()
    result = session.run('user -n bob -pw Canary-123', secrets=['Canary-123'])
    assert 'Canary-123' not in repr(result)
    assert not any('Canary-123' in m for m in logged)
    assert any('********' in m for m in logged)


def test_connection_lost_is_reported():
    script = LOGIN + [('whoami\r', 'HANGUP')]
    port = ScriptedPort(script)
    session = make_session(port).connect()
    with pytest.raises(sess.ConnectionLost):
        session.run('whoami')


def test_existing_session_of_same_user_is_reused():
    script = [
        ('\r', PROMPT),
        ('whoami\r', 'whoami\r\nE000: Success\r\napc' + PROMPT),
    ]
    session = make_session(ScriptedPort(script)).connect()
    assert session.session_reused and session.logins == 0


def test_existing_session_of_other_user_is_logged_out():
    script = [
        ('\r', PROMPT),
        ('whoami\r', 'whoami\r\nE000: Success\r\ndevice' + PROMPT),
        ('exit\r', 'exit\r\nBye.\r\n'),
        ('\r', '\r\nUser Name : '),
    ] + LOGIN[1:]
    session = make_session(ScriptedPort(script)).connect()
    assert not session.session_reused and session.logins == 1


def test_menu_console_logs_in_at_the_main_menu():
    menu = ('\r\nAmerican Power Conversion               Network Management Card AOS      v3.7.3\r\n'
            '\r\n------- Control Console -------------------------------------------------------\r\n'
            '\r\n     1- Device Manager\r\n     2- Network\r\n     3- System\r\n     4- Logout\r\n'
            '\r\n     <ESC>- Main Menu, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> ')
    script = LOGIN[:2] + [('apc\r', '***\r\n' + menu)]
    session = make_session(ScriptedPort(script)).connect()
    assert session.dialect == 'menu' and session.logged_in
    assert session.menu.screen['title'] == 'Control Console'
    assert session.menu.trail == []
    assert 'v3.7.3' in session.banner
    # command-line commands are refused on a menu console, before anything is sent
    with pytest.raises(sess.UnsupportedDialect) as err:
        session.run('about')
    assert 'command-line dialect' in str(err.value)


def test_command_can_end_at_its_result_line():
    # 'console -b': the answer comes at the old speed, the prompt at the new one (noise)
    script = LOGIN + [('console -b 19200\r', 'console -b 19200\r\nE000: Success\r\n\x8f\xf3\x11\xe0')]
    session = make_session(ScriptedPort(script)).connect()
    result = session.run('console -b 19200', end_on_result=True)
    assert result['code'] == 'E000'
    assert session.state == 'unknown' and not session.logged_in


# ------------------------------------------------------------------ reset-button recovery
def test_wait_for_answer_knocks_until_the_console_answers_and_does_not_log_in():
    script = [('\r', ''), ('\r', ''), ('\r', '\r\nUser Name : ')]
    port = ScriptedPort(script)
    session = make_session(port)
    answer = session.wait_for_answer(5)
    assert answer['screen'] == 'login' and answer['crs_sent'] == 3 and answer['waited'] > 0
    assert port.written == ['\r', '\r', '\r'] and not session.logged_in


def test_wait_for_answer_says_what_to_check_when_nothing_comes_back():
    session = make_session(ScriptedPort([('\r', '')] * 200))
    with pytest.raises(sess.NoAnswer) as err:
        session.wait_for_answer(0.3)
    text = str(err.value)
    assert 'did not answer within 0 s' in text and 'nothing came back' in text
    assert 'finished starting' in text and '940-0144' in text


def test_wait_for_answer_points_to_the_line_speed_when_garbage_comes_back():
    session = make_session(ScriptedPort([('\r', '\x8f\xfe\x00')] + [('\r', '')] * 200))
    with pytest.raises(sess.NoAnswer) as err:
        session.wait_for_answer(0.3)
    assert 'bytes came back but no login prompt' in str(err.value)
    assert 'line speed' in str(err.value)


REFUSED = [('apc\r', 'apc\r\nPassword  : '), ('apc\r', '***\r\n\r\nUser Name : ')]


def test_recovery_types_the_user_name_at_the_prompt_without_a_waking_cr(monkeypatch):
    """A CR at User Name would be an empty user name - one more failed login, which menu
    consoles count towards their lockout."""
    monkeypatch.setattr(sess, 'RECOVERY_RETRY_INTERVAL', 0.05)
    script = [('\r', '\r\nUser Name : ')] + REFUSED + REFUSED + LOGIN[1:]
    port = ScriptedPort(script)
    session = make_session(port)
    session.wait_for_answer(5)
    assert session.recover_window(5) == 3
    assert port.written == ['\r'] + ['apc\r'] * 6 and not port.script
    assert session.logged_in and session.refused_logins == 2


def test_recovery_counts_the_empty_login_of_a_waking_cr(monkeypatch):
    monkeypatch.setattr(sess, 'RECOVERY_RETRY_INTERVAL', 0.05)
    # the console already showed User Name (before this session): the CR is an empty name
    script = [('\r', '\r\nPassword  : '), ('\r', '\r\nUser Name : ')] + REFUSED + LOGIN[1:]
    session = make_session(ScriptedPort(script))
    assert session.recover_window(5) == 2
    assert session.refused_logins == 2


def test_fresh_login_waits_for_a_console_lockout_to_end(monkeypatch):
    monkeypatch.setattr(sess, 'LOCKOUT_RETRY_INTERVAL', 0.1)
    locked = [('new-pw-canary\r', '*************\r\n\r\nUser Name : ')]
    script = [LOGIN[0], LOGIN[1]] + locked + [LOGIN[1]] + locked + [LOGIN[1], ('new-pw-canary\r', '***' + BANNER)]
    port = ScriptedPort(script)
    session = make_session(port, password='new-pw-canary')
    waited = session.login_through_lockout(time.monotonic() + 5)
    assert session.logged_in and 0 < waited < 2
    assert port.written.count('\r') == 1        # only the first login woke the console


def test_fresh_login_gives_up_once_the_lockout_must_have_ended(monkeypatch):
    monkeypatch.setattr(sess, 'LOCKOUT_RETRY_INTERVAL', 0.1)
    locked = [('new-pw-canary\r', '*************\r\n\r\nUser Name : ')]
    script = [LOGIN[0], LOGIN[1]] + locked + ([LOGIN[1]] + locked) * 20
    session = make_session(ScriptedPort(script), password='new-pw-canary')
    with pytest.raises(sess.LoginRejected) as err:
        session.login_through_lockout(time.monotonic() + 0.25)
    assert 'new-pw-canary' not in str(err.value)


@pytest.mark.parametrize('options, words', [
    ({'login_timeout': -1}, ['login_timeout', 'ansible_apc_login_timeout', '-1']),
    ({'login_timeout': 0}, ['login_timeout', 'more than 0']),
    ({'command_timeout': 'later'}, ['command_timeout', 'number', 'later']),
    ({'boot_timeout': float('inf')}, ['boot_timeout', 'number']),
    ({'wake_interval': 0}, ['wake_interval']),
    ({'wake_interval': 2, 'login_timeout': 1}, ['wake_interval', 'login_timeout', 'single']),
    ({'idle_probe_after': -1}, ['idle_probe_after', 'at least 0']),
    ({'login_timeout': True}, ['login_timeout', 'number']),
])
def test_impossible_timings_are_refused_before_the_port_opens(options, words):
    opened = []
    with pytest.raises(ValueError) as info:
        make_session(None, port_factory=lambda url, **line: opened.append(url), **options)
    for word in words:
        assert word in str(info.value)
    assert opened == []


def test_timings_in_range_are_floats():
    assert sess.check_timings({'login_timeout': '5', 'wake_interval': 5, 'idle_probe_after': 0}) == \
        {'login_timeout': 5.0, 'wake_interval': 5.0, 'idle_probe_after': 0.0}


def test_a_console_answering_after_the_smart_probe_never_gets_the_y_as_text(monkeypatch):
    """Silent past the probe time, then a management card: every byte after the Y starts
    with a backspace, so its User Name field never submits the Y."""
    monkeypatch.setattr(sess, 'SMART_PROBE_SILENCE', 0.1)
    script = [('\r', '')] * sess.SMART_PROBE_AFTER_CRS + [
        ('Y\x08\r', '\r\nPassword  : '),        # the Y was erased: an empty user name
        ('\r', '\r\nUser Name : '),
        ('\x08apc\r', 'apc\r\nPassword  : '),
        ('apc\r', '***\r\n' + BANNER),
    ]
    port = ScriptedPort(script)
    session = make_session(port, dialect='auto', login_timeout=5).connect()
    assert session.dialect == 'cli' and session.logged_in
    typed = [line.replace('Y\x08', '').replace('\x08', '') for line in port.written]
    assert typed[-2:] == ['apc\r', 'apc\r'] and not any('Y' in line for line in typed)
