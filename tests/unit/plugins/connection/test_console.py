# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option handling of the rackops.apc.console connection plugin (loaded as Ansible does)."""

from __future__ import annotations

import logging

import pytest

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.connection import ConnectionError as RpcConnectionError
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader

from ansible_collections.rackops.apc.plugins.module_utils.errors import ERROR_CODES
from ansible_collections.rackops.apc.plugins.module_utils.redact import RedactingLogFilter
from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess
from ansible_collections.rackops.apc.plugins.plugin_utils import transport as tp


def load(var_options=None, env=None, monkeypatch=None):
    if env and monkeypatch:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
    conn = connection_loader.get('rackops.apc.console', PlayContext(), '/dev/null')
    conn.set_options(var_options=var_options or {})
    return conn


def test_defaults_are_the_apc_console_line_settings():
    options = load({'ansible_serial_url': '/dev/ttyUSB0', 'ansible_password': 'pw'})._session_options()
    assert options['url'] == '/dev/ttyUSB0'
    assert options['user'] == 'apc'
    assert (options['baudrate'], options['bytesize'], options['parity'], options['stopbits']) == (9600, 8, 'N', 1)
    assert options['xonxoff'] is False and options['rtscts'] is False
    assert options['login_timeout'] == 60 and options['command_timeout'] == 30
    assert options['boot_timeout'] == 300


def test_vars_set_every_line_option():
    options = load({
        'ansible_serial_url': 'rfc2217://127.0.0.1:7001',
        'ansible_serial_baud_rate': 2400,
        'ansible_serial_byte_size': 7,
        'ansible_serial_parity': 'E',
        'ansible_serial_stop_bits': 2,
        'ansible_serial_xonxoff': True,
        'ansible_serial_rtscts': True,
        'ansible_user': 'admin',
        'ansible_password': 'pw',
        'ansible_apc_new_password': 'new-pw',
        'ansible_apc_login_timeout': 5,
        'ansible_apc_command_timeout': 7,
        'ansible_apc_lock_dir': '/tmp/locks',
    })._session_options()
    assert options['baudrate'] == 2400 and options['bytesize'] == 7 and options['parity'] == 'E'
    assert options['stopbits'] == 2 and options['xonxoff'] and options['rtscts']
    assert options['user'] == 'admin' and options['new_password'] == 'new-pw'
    assert options['login_timeout'] == 5 and options['command_timeout'] == 7
    assert options['lock_dir'] == '/tmp/locks'


def test_environment_variables(monkeypatch):
    conn = load({'ansible_password': 'pw'}, env={'ANSIBLE_SERIAL_URL': 'socket://127.0.0.1:4001',
                                                 'ANSIBLE_SERIAL_BAUD_RATE': '19200'},
                monkeypatch=monkeypatch)
    options = conn._session_options()
    assert options['url'] == 'socket://127.0.0.1:4001' and options['baudrate'] == 19200


def test_invalid_parity_is_rejected():
    with pytest.raises(Exception) as err:
        load({'ansible_serial_url': '/dev/ttyUSB0', 'ansible_serial_parity': 'X'})
    assert 'parity' in str(err.value).lower() or 'X' in str(err.value)


def test_missing_url_names_the_variable():
    conn = load({'ansible_password': 'pw'})
    with pytest.raises(AnsibleConnectionFailure) as err:
        conn._session_options()
    assert 'ansible_serial_url' in str(err.value)


def test_persistent_options_declared():
    conn = load({'ansible_serial_url': '/dev/ttyUSB0', 'ansible_command_timeout': 900,
                 'ansible_connect_timeout': 45})
    assert conn.get_option('persistent_command_timeout') == 900
    assert conn.get_option('persistent_connect_timeout') == 45
    assert conn.get_option('persistent_log_messages') is False


def test_log_redaction_installed_for_the_password():
    handler = logging.StreamHandler()
    logging.root.addHandler(handler)
    try:
        load({'ansible_serial_url': '/dev/ttyUSB0', 'ansible_password': 'Canary-Log-Pw'})
        filters = [f for f in handler.filters if isinstance(f, RedactingLogFilter)]
        assert filters
        record = logging.LogRecord('x', logging.INFO, __file__, 1,
                                   'jsonrpc request: {"password": "Canary-Log-Pw"}', None, None)
        filters[0].filter(record)
        assert 'Canary-Log-Pw' not in record.getMessage()
    finally:
        logging.root.removeHandler(handler)


@pytest.mark.parametrize('exc, kind', [
    (sess.FirstLoginPasswordRequired('x'), 'first_login'),
    (sess.LoginError('x'), 'login'),
    (sess.CommandTimeout('x'), 'timeout'),
    (sess.ConnectionLost('x'), 'lost'),
    (sess.UnsupportedDialect('x'), 'dialect'),
    (tp.TransportError('x'), 'transport'),
])
def test_errors_map_to_rpc_codes(exc, kind):
    conn = load({'ansible_serial_url': '/dev/ttyUSB0'})
    err = conn._rpc_error(exc)
    assert isinstance(err, RpcConnectionError)
    assert err.code == ERROR_CODES[kind]
