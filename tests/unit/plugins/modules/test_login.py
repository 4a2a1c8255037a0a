# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.login: a proof is a password login, never a session the card kept."""

from __future__ import annotations

import pytest

from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.modules.login import prove_login, refused


class FakeConnection:
    """get_session_info / relogin answering with the session's login counter."""

    def __init__(self, dialect='cli', logins=1, fresh=(True,), refuse=False):
        self.dialect = dialect
        self.logins = logins
        self.fresh = list(fresh)     # per relogin: did it type the password?
        self.refuse = refuse
        self.calls = []

    def __call__(self, name, **kwargs):
        self.calls.append((name, kwargs))
        if name == 'relogin':
            if self.refuse:
                raise ConsoleFailure('the console rejected the login', 'login')
            if self.fresh.pop(0):
                self.logins += 1
        if name == 'get_session_info':
            return {'dialect': self.dialect, 'logins': self.logins}
        return {'dialect': self.dialect, 'model': 'AP8941', 'session': {'logins': self.logins}}


def test_a_fresh_login_is_a_proof():
    call = FakeConnection()
    info, left_over = prove_login(call, 'apc', 'new-pass-1')
    assert left_over is False and info['session']['logins'] == 2
    assert call.calls == [('get_session_info', {}),
                          ('relogin', {'user': 'apc', 'secrets': {'password': 'new-pass-1'}})]


def test_a_picked_up_session_is_logged_out_and_the_login_repeated():
    call = FakeConnection(fresh=(False, True))
    _info, left_over = prove_login(call, None, 'new-pass-1')
    assert left_over is True
    assert [name for name, _kwargs in call.calls] == ['get_session_info', 'relogin', 'relogin']


def test_never_a_password_login_fails():
    with pytest.raises(ConsoleFailure, match='could not be proven'):
        prove_login(FakeConnection(fresh=(False, False)), 'apc', 'new-pass-1')


def test_a_refused_login_is_not_retried():
    call = FakeConnection(refuse=True)
    with pytest.raises(ConsoleFailure) as err:
        prove_login(call, 'apc', 'wrong-pass')
    assert err.value.kind == 'login'
    assert [name for name, _kwargs in call.calls] == ['get_session_info', 'relogin']


def test_the_smart_protocol_has_no_login():
    call = FakeConnection(dialect='smart')
    with pytest.raises(ValueError, match='no login'):
        prove_login(call, 'apc', 'new-pass-1')
    assert [name for name, _kwargs in call.calls] == ['get_session_info']


@pytest.mark.parametrize('kind, message, expected', [
    ('login', "the console rejected the login for user 'apc' (it went back to User Name)", True),
    ('login', 'no prompt after the password within 20 s', False),
    ('timeout', 'no prompt within 10 s', False),
    ('lost', 'the console connection closed', False),
])
def test_refused_only_when_the_device_said_no(kind, message, expected):
    assert refused(ConsoleFailure(message, kind)) is expected
