# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets in what the device prints: the echo of a line that carried a secret is masked by
position and likeness, so line noise that damages the echo cannot let the secret through;
the collection's own words are not searched for the password."""

from __future__ import annotations

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess

SECRET = 'Tulip-Garden-42'
SENT = 'user -n bob -pw %s -pe Read-Only' % SECRET
SHOWN = 'user -n bob -pw ******** -pe Read-Only'


def _session():
    session = sess.ConsoleSession('socket://127.0.0.1:9', password='apc', use_lock=False)
    session.redact.add(SECRET)
    session._remember_secret_line(SENT, SHOWN)  # pylint: disable=protected-access
    return session


@pytest.mark.parametrize('echo', [
    SENT,                                        # clean
    SENT.replace('Garden', 'Gar\ufffden'),       # one byte garbled
    SENT.replace('Tulip', 'Tlip'),               # one byte dropped
    SENT.replace('-42', '-4') + 'x',             # dropped and one extra
    'apc>' + SENT,                               # behind the prompt
])
def test_a_damaged_echo_is_masked_whole(echo):
    text = _session().scrub(echo + '\r\nE000: Success\r\n')
    assert 'Tulip' not in text and 'Garden' not in text and 'Gar' not in text
    assert SHOWN in text and 'E000: Success' in text


@pytest.mark.parametrize('echo', [SENT.replace('Garden', 'Gar\ufffden'), SENT.replace('Tulip', 'Tlip')])
def test_the_echo_of_a_secret_line_never_reaches_the_output(echo):
    raw = '%s\nE000: Success\n' % echo
    out = sess.ConsoleSession._strip_echo(raw, SENT, carried_secret=True)  # pylint: disable=protected-access
    assert out.strip() == 'E000: Success'


def test_other_lines_and_the_collections_words_stay_whole():
    session = _session()
    text = session.scrub('Name: pdu-a01\r\nContact: noc\r\n')
    assert text == 'Name: pdu-a01\r\nContact: noc\r\n'
    # a password that is an ordinary word: the log keeps the collection's message as it is
    logged = []
    session = sess.ConsoleSession('socket://127.0.0.1:9', password='wrong', use_lock=False,
                                  log=lambda level, msg: logged.append(msg))
    session.log('v', 'The password is wrong or the account is locked out')
    assert logged == ['The password is wrong or the account is locked out']
