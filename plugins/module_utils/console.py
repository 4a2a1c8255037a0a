# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' side of the console: JSON-RPC calls into the rackops.apc.console
connection, with failures turned into task errors that say what to check."""

from __future__ import annotations

from ansible.module_utils.connection import Connection, ConnectionError as RpcConnectionError

from ansible_collections.rackops.apc.plugins.module_utils import models
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliResult
from ansible_collections.rackops.apc.plugins.module_utils.errors import ADVICE, ERROR_NAMES


# The connection's requests that may change the device (run_command unless it only reads).
WRITE_RPCS = ('menu_set', 'menu_action', 'smart_set', 'smart_set_text', 'smart_control',
              'xmodem_upload_ini', 'recover_login', 'firmware_upload', 'firmware_recover')


class ConsoleFailure(Exception):
    """A failure reported by the connection, with its kind and advice."""

    def __init__(self, message, kind='console'):
        self.kind = kind
        self.advice = ADVICE.get(kind, '')
        super().__init__(message)


class DeviceConsole:
    """What a module needs from the console connection."""

    def __init__(self, module):
        self.module = module
        socket_path = getattr(module, '_socket_path', None)
        if not socket_path:
            module.fail_json(msg='this module needs the rackops.apc.console connection: set '
                                 'ansible_connection: rackops.apc.console for the host')
        self._conn = Connection(socket_path)
        self._info = None
        self._warned = set()
        self.model = None
        self.check_mode = bool(module.check_mode)
        self.noise_seen = 0     # damaged answers the session has seen (line noise)
        self.sent_write = False  # a request that may change the device has gone out

    def _call(self, name, *args, **kwargs):
        try:
            return getattr(self._conn, name)(*args, **kwargs)
        except RpcConnectionError as exc:
            kind = ERROR_NAMES.get(getattr(exc, 'code', None), 'console')
            raise ConsoleFailure(str(exc), kind)

    def call(self, name, *args, **kwargs):
        """Any public RPC of the connection (smart_query, smart_set...), check mode passed on."""
        kwargs.setdefault('check_mode', self.check_mode)
        if name in WRITE_RPCS and not kwargs['check_mode']:
            self.sent_write = True
        return self._call(name, *args, **kwargs)

    def device_info(self, refresh=False, reread_if_noisy=False):
        """What the connection read at login, plus ``self.model``: the model table's entry.
        A model the table does not know (or that disagrees with the console) gives a
        warning naming what could not be checked; the console's own answers still rule."""
        if self._info is None or refresh or reread_if_noisy:
            kwargs = {'reread_if_noisy': True} if reread_if_noisy else {}
            self._info = self._call('get_device_info', check_mode=self.check_mode, **kwargs)
            self._describe_model()
        return self._info

    def _describe_model(self):
        self.model, warnings = models.describe(self._info)
        for warning in warnings:
            if warning not in self._warned:
                self._warned.add(warning)
                self.module.warn(warning)

    def run(self, command, confirm=False, timeout=None, secrets=None, login_password_from=None,
            end_on_result=False, read=False):
        """Run one command; returns a CliResult (plus the raw result dict as .raw).
        ``read``: it only reads, so the connection may repeat it under line noise."""
        kwargs = {'confirm': confirm, 'check_mode': self.check_mode}
        if read:
            kwargs['read'] = read
        if timeout is not None:
            kwargs['timeout'] = timeout
        if secrets:
            # {name: value}: the value replaces <<name>> in the connection process
            kwargs['secrets'] = dict(secrets)
        if login_password_from:
            kwargs['login_password_from'] = login_password_from
        if end_on_result:
            kwargs['end_on_result'] = True
        if not read and not self.check_mode:
            self.sent_write = True
        data = self._call('run_command', command, **kwargs)
        self.noise_seen = max(self.noise_seen, int(data.get('noise_seen') or 0))
        result = CliResult.from_dict(data)
        result.raw = data
        return result

    def read(self, command, verify=False):
        """Run a command that only reads (see run); ``verify``: believe its answer only when
        two reads agree, even on a line that has shown no noise."""
        return self.run(command, read='verify' if verify else True)

    def wait_for_reboot(self, timeout=None):
        self._info = self._call('wait_for_reboot', timeout)
        self._describe_model()
        return self._info

    def fail(self, exc, **extra):
        """fail_json for a ConsoleFailure with its advice."""
        msg = str(exc)
        advice = getattr(exc, 'advice', '')
        if advice:
            msg = '%s. %s' % (msg.rstrip('.'), advice)
        # whether anything that may change the device had gone out when it failed: a
        # failure while reading, before any write, left the device as it was
        extra.setdefault('sent', self.sent_write)
        self.module.fail_json(msg=msg, error_kind=getattr(exc, 'kind', 'console'), **extra)
