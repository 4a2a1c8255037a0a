# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
author:
  - rackops.apc contributors (@rackops)
name: console
short_description: Persistent serial-console connection to APC PDUs and UPS cards
description:
  - Holds one logged-in session on the serial console of an APC device for the whole play,
    in ansible-core's persistent connection process. Modules of this collection send their
    console commands through it; modules run on the controller.
  - The port may be a local adapter (C(/dev/ttyUSB0)), a port of an RFC 2217 console server
    (C(rfc2217://host:port), for example ser2net, Opengear or Lantronix) or a raw TCP port
    (C(socket://host:port)). Line settings apply to local adapters and RFC 2217 ports.
  - The console is woken with CR (it prints nothing until it gets one), logged in with the
    configured user, and the dialect is detected from what it shows. This version drives the
    command-line dialect (C(apc>) prompt) of NMC2 and NMC3 cards, AP79xxB and AP89xx Rack PDUs,
    the numbered menu console (Control Console) of AP79xx Rack PDUs without the B suffix and
    NMC1 cards (AOS 2.x/3.x), whose items are found by their labels, and the smart protocol
    of UPS DB9 ports.
  - Only one process may use a port at a time. The plugin takes an exclusive lock per port
    (a lock file keyed by the URL, plus the tty's exclusive flag for local adapters) and
    fails with a clear message when another run holds it.
  - Passwords are never written to the collection's output or logs. A wrong password is tried
    once only, so the device's lockout counter is not burnt by retries.
version_added: 0.1.0
requirements:
  - pyserial >= 3.4
  - pexpect >= 4.8
  - xmodem >= 0.5.0 (only for file uploads, rackops.apc.config_ini)
extends_documentation_fragment:
  - rackops.apc.persistent
options:
  serial_url:
    description:
      - The console port. A device path such as C(/dev/ttyUSB0) or
        C(/dev/serial/by-id/usb-FTDI_...), or a pyserial URL C(rfc2217://host:port) or
        C(socket://host:port).
      - Do not use C(ansible_port) for this; it must be an integer.
      - Required; a task fails with a message naming C(ansible_serial_url) when it is missing.
    type: str
    vars:
      - name: ansible_serial_url
    env:
      - name: ANSIBLE_SERIAL_URL
  baud_rate:
    description:
      - Line speed. APC consoles run at 9600 8N1 unless changed on the card
        (C(console -b)); UPS DB9 ports speaking the smart protocol and NMC1 cards reached
        through them run at 2400.
    type: int
    default: 9600
    choices: [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]
    vars:
      - name: ansible_serial_baud_rate
    env:
      - name: ANSIBLE_SERIAL_BAUD_RATE
    ini:
      - section: rackops_apc
        key: baud_rate
  byte_size:
    description: Data bits per character.
    type: int
    default: 8
    choices: [5, 6, 7, 8]
    vars:
      - name: ansible_serial_byte_size
    env:
      - name: ANSIBLE_SERIAL_BYTE_SIZE
    ini:
      - section: rackops_apc
        key: byte_size
  parity:
    description: Parity (C(N) none, C(E) even, C(O) odd, C(M) mark, C(S) space).
    type: str
    default: N
    choices: [N, E, O, M, S]
    vars:
      - name: ansible_serial_parity
    env:
      - name: ANSIBLE_SERIAL_PARITY
    ini:
      - section: rackops_apc
        key: parity
  stop_bits:
    description: Stop bits.
    type: float
    default: 1
    choices: [1, 1.5, 2]
    vars:
      - name: ansible_serial_stop_bits
    env:
      - name: ANSIBLE_SERIAL_STOP_BITS
    ini:
      - section: rackops_apc
        key: stop_bits
  xonxoff:
    description: Software flow control. APC consoles use none.
    type: bool
    default: false
    vars:
      - name: ansible_serial_xonxoff
    env:
      - name: ANSIBLE_SERIAL_XONXOFF
    ini:
      - section: rackops_apc
        key: xonxoff
  rtscts:
    description: Hardware (RTS/CTS) flow control. APC consoles use none.
    type: bool
    default: false
    vars:
      - name: ansible_serial_rtscts
    env:
      - name: ANSIBLE_SERIAL_RTSCTS
    ini:
      - section: rackops_apc
        key: rtscts
  remote_user:
    description:
      - User name to log in with. The factory Super User is C(apc).
    type: str
    default: apc
    vars:
      - name: ansible_user
    env:
      - name: ANSIBLE_REMOTE_USER
    ini:
      - section: defaults
        key: remote_user
  password:
    description:
      - Password of O(remote_user). Keep it in Ansible Vault or a lookup.
      - Tried once per login; a rejected password fails the task at once.
      - Printable ASCII only. A password holding a CR, a line feed or another control
        character (or a byte outside ASCII) fails the task before the first byte of the
        login is typed (at the Password prompt the rest would run as a command).
    type: str
    vars:
      - name: ansible_password
  new_password:
    description:
      - Password to set when the firmware forces a change at the first login with the
        default credentials (AOS 6.9.6 and later, NMC3). Used only when the device asks.
      - After the change the session uses it for any later login in the same run; remember
        to update O(password) in your inventory or vault.
      - Printable ASCII only, checked like O(password) before the console is touched.
    type: str
    vars:
      - name: ansible_apc_new_password
  dialect:
    description:
      - The console dialect. V(auto) detects it from what the console shows, that is a login
        prompt (command line or menus), or, when the port stays silent, a UPS that answers
        C(Y) with C(SM) (the smart protocol on a UPS DB9 port).
      - The probe letter C(Y) goes out only after 5 CRs and 10 seconds without any answer, so
        that a management card answering late never gets it in its User Name field (after
        the probe, a backspace erases it before anything else is typed). A UPS is therefore
        detected about 10 seconds after the first CR.
      - V(smart) skips the detection for a UPS on the smart protocol (set O(baud_rate=2400)).
    type: str
    default: auto
    choices: [auto, cli, menu, smart]
    vars:
      - name: ansible_apc_dialect
    env:
      - name: ANSIBLE_APC_DIALECT
    ini:
      - section: rackops_apc
        key: dialect
  login_timeout:
    description:
      - Seconds to wait for the console to answer the wake-up CR and for each login step.
      - Must be a number above 0; an impossible value fails the task before the console is
        touched, naming the option.
    type: float
    default: 60
    vars:
      - name: ansible_apc_login_timeout
    env:
      - name: ANSIBLE_APC_LOGIN_TIMEOUT
    ini:
      - section: rackops_apc
        key: login_timeout
  command_timeout:
    description:
      - Seconds to wait for the prompt after one console command (paging included).
      - Keep it below O(persistent_command_timeout). Must be a number above 0.
    type: float
    default: 30
    vars:
      - name: ansible_apc_command_timeout
    env:
      - name: ANSIBLE_APC_COMMAND_TIMEOUT
    ini:
      - section: rackops_apc
        key: command_timeout
  boot_timeout:
    description:
      - Seconds to wait for a rebooting management card to answer on the console again.
        Cards take from about 30 seconds to 2 minutes. Must be a number above 0.
    type: float
    default: 300
    vars:
      - name: ansible_apc_boot_timeout
    env:
      - name: ANSIBLE_APC_BOOT_TIMEOUT
    ini:
      - section: rackops_apc
        key: boot_timeout
  wake_interval:
    description:
      - While waking the console, seconds of silence after which another CR is sent.
        Old NMC1 cards need 3 to 5 CRs before they show the login prompt.
      - Must be above 0 and not above O(login_timeout).
    type: float
    default: 2
    vars:
      - name: ansible_apc_wake_interval
    env:
      - name: ANSIBLE_APC_WAKE_INTERVAL
    ini:
      - section: rackops_apc
        key: wake_interval
  idle_probe_after:
    description:
      - When the session has been quiet for this many seconds, a CR is sent before the next
        command to find out whether the card logged the session out (its idle timeout is
        3 minutes by default). A logout that printed a login prompt is noticed without it.
      - Must be 0 (probe before every task after a pause) or more.
    type: float
    default: 60
    vars:
      - name: ansible_apc_idle_probe_after
    env:
      - name: ANSIBLE_APC_IDLE_PROBE_AFTER
    ini:
      - section: rackops_apc
        key: idle_probe_after
  lock_dir:
    description:
      - Directory for the per-port lock files. Defaults to C($XDG_RUNTIME_DIR/rackops_apc/locks)
        or C(~/.ansible/rackops_apc/locks).
    type: path
    vars:
      - name: ansible_apc_lock_dir
    env:
      - name: ANSIBLE_APC_LOCK_DIR
    ini:
      - section: rackops_apc
        key: lock_dir
'''

EXAMPLES = r'''
# inventory (YAML)
# all:
#   children:
#     rack_a:
#       hosts:
#         pdu-a1:
#           ansible_serial_url: rfc2217://console-server.example.net:7001
#         ups-a1:
#           ansible_serial_url: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0
#       vars:
#         ansible_connection: rackops.apc.console
#         ansible_user: apc
#         ansible_password: "{{ vault_apc_password }}"

- name: Read what the console reports
  hosts: rack_a
  gather_facts: false
  tasks:
    - name: Gather APC facts
      rackops.apc.facts:
'''

import os
import re
import time

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.connection import ConnectionError as RpcConnectionError
from ansible.plugins.connection import NetworkConnectionBase, ensure_connect

from ansible_collections.rackops.apc.plugins.module_utils import models
from ansible_collections.rackops.apc.plugins.module_utils.device import describe_firmware, firmware_family, quote
from ansible_collections.rackops.apc.plugins.module_utils.errors import ERROR_CODES
from ansible_collections.rackops.apc.plugins.module_utils.redact import (
    PLACEHOLDER_RE, Redactor, display_command, install_log_redaction, substitute_secrets,
)
from ansible_collections.rackops.apc.plugins.module_utils import wire
from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess
from ansible_collections.rackops.apc.plugins.plugin_utils import transport as tp
from ansible_collections.rackops.apc.plugins.plugin_utils.identify import identify
from ansible_collections.rackops.apc.plugins.plugin_utils.menu import (
    RESYNC_ERRORS, MenuError, MenuLoggedOut, MenuLost, MenuNoise, MenuRefused, MenuTimeout,
)
from ansible_collections.rackops.apc.plugins.plugin_utils.smart import SmartError


# Longest Super User password each console takes (menu consoles: 10; AOS 5.x: 32; 6.x+: 64).
RECOVERY_PASSWORD_MAX = models.PASSWORD_MAX


def _error_code(exc):
    for cls, name in ((sess.InputRefused, 'input'),
                      (sess.AtBootMonitor, 'bootmon'),
                      (sess.LineNoise, 'noise'),
                      (MenuNoise, 'noise'),
                      (SmartError, 'smart'),
                      (sess.RecoveryWindowMissed, 'window'),
                      (sess.NoAnswer, 'no_answer'),
                      (MenuRefused, 'refused'),
                      (MenuTimeout, 'timeout'),
                      (MenuLoggedOut, 'lost'),
                      (MenuLost, 'lost'),
                      (MenuError, 'menu'),
                      (sess.FirstLoginPasswordRequired, 'first_login'),
                      (sess.LoginError, 'login'),
                      (sess.ConsoleRebooted, 'rebooted'),
                      (sess.CommandTimeout, 'timeout'),
                      (sess.ConnectionLost, 'lost'),
                      (sess.UnsupportedDialect, 'dialect'),
                      (tp.TransportError, 'transport'),
                      (sess.ConsoleError, 'console')):
        if isinstance(exc, cls):
            return ERROR_CODES[name]
    return ERROR_CODES['console']


class Connection(NetworkConnectionBase):
    """Persistent serial-console connection to APC devices."""

    transport = 'rackops.apc.console'
    has_pipelining = False

    def __init__(self, play_context, *args, **kwargs):
        # new_stdin (positional in ansible-core < 2.19, a keyword after) passes through
        super().__init__(play_context, *args, **kwargs)
        self._session = None
        self._device_info = None
        self._device_info_noise = 0     # the session's noise count when it was read
        self._check_mode = False
        self._redactor = Redactor()

    # ----------------------------------------------------------------- options
    def set_options(self, task_keys=None, var_options=None, direct=None):
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        for key in ('password', 'new_password'):
            self._redactor.add(self.get_option(key))
        self._redactor.add(getattr(self._play_context, 'password', None))
        # The persistent helper logs every JSON-RPC request verbatim (set_options carries
        # the password); mask secrets in whatever this process writes to the log file.
        install_log_redaction(self._redactor)

    def _session_options(self):
        url = self.get_option('serial_url')
        if not url:
            raise AnsibleConnectionFailure(
                'rackops.apc.console needs the console port: set ansible_serial_url '
                '(for example /dev/ttyUSB0, rfc2217://console-server:7001 or socket://host:port)')
        if tp.is_local_device(url) and not os.path.isabs(url):
            raise AnsibleConnectionFailure(
                'ansible_serial_url %r is a relative path; give the absolute device path '
                '(the connection process does not run in the playbook directory)' % url)
        password = self.get_option('password') or getattr(self._play_context, 'password', None)
        for var, value, secret in (('ansible_user', self.get_option('remote_user'), False),
                                   ('ansible_password', password, True),
                                   ('ansible_apc_new_password', self.get_option('new_password'), True)):
            if value is not None:
                try:
                    wire.check(var, value, secret=secret)
                except wire.UnsafeInput as exc:
                    raise AnsibleConnectionFailure('rackops.apc.console: %s' % exc)
        try:
            timings = sess.check_timings(dict((name, self.get_option(name))
                                              for name, _var, _low, _ok in sess.TIMING_OPTIONS))
        except ValueError as exc:
            raise RpcConnectionError('rackops.apc.console: %s. Nothing was sent to the console' % exc,
                                     code=ERROR_CODES['input'])
        limit = self.get_option('persistent_command_timeout')
        if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
            raise RpcConnectionError('rackops.apc.console: persistent_command_timeout '
                                     '(ansible_command_timeout) must be more than 0 seconds, not %r. '
                                     'Nothing was sent to the console' % (limit,), code=ERROR_CODES['input'])
        stop_bits = self.get_option('stop_bits')
        if stop_bits in (1.0, 2.0):
            stop_bits = int(stop_bits)
        return dict(
            url=url,
            user=self.get_option('remote_user') or models.FACTORY['user'],
            password=password,
            new_password=self.get_option('new_password'),
            baudrate=self.get_option('baud_rate'),
            bytesize=self.get_option('byte_size'),
            parity=self.get_option('parity'),
            stopbits=stop_bits,
            xonxoff=self.get_option('xonxoff'),
            rtscts=self.get_option('rtscts'),
            login_timeout=timings['login_timeout'],
            command_timeout=timings['command_timeout'],
            boot_timeout=timings['boot_timeout'],
            wake_interval=timings['wake_interval'],
            idle_probe_after=timings['idle_probe_after'],
            lock_dir=self.get_option('lock_dir'),
            dialect=self.get_option('dialect'),
        )

    # ----------------------------------------------------------------- lifecycle
    def _connect(self):
        if self._connected:
            return
        options = self._session_options()
        self._redactor.add(options['password'])
        self._redactor.add(options['new_password'])
        if self._session is not None:
            # left by a recovery stage that did not log in (wait_for_answer, a missed window)
            self._session.close(logout=False)
            self._session = None
        limit = self.get_option('persistent_command_timeout')
        if options['login_timeout'] + options['command_timeout'] >= limit:
            self.queue_message('warning', 'login_timeout + command_timeout (%s s) is not below '
                               'persistent_command_timeout (%s s): a slow login may be cut off'
                               % (options['login_timeout'] + options['command_timeout'], limit))
        self.queue_message('vvv', 'opening APC console %s as %s' % (options['url'], options['user']))
        self._session = sess.ConsoleSession(log=self.queue_message, **options)
        self._session.allow_password_change = not self._check_mode
        try:
            self._session.connect()
            self._device_info = self._read_device_info()
        except Exception as exc:
            if self._session is not None:
                self._session.close(logout=False)
            self._session = None
            raise self._rpc_error(exc)
        self._connected = True
        self.queue_message('vvv', 'APC console ready: %s %s (%s dialect)' % (
            self._device_info.get('model'), self._device_info.get('firmware', {}).get('aos'),
            self._device_info.get('dialect')))

    def close(self):
        if self._session is not None:
            try:
                self._session.close(logout=True)
            except Exception as exc:  # pylint: disable=broad-except
                self.queue_message('vvvv', 'error while closing the console: %s' % self._redactor(exc))
            self._session = None
        self._device_info = None
        super().close()

    def _rpc_error(self, exc):
        """The error a module sees. The collection's own words are kept as they are: they are
        built from masked parts only (commands in display form, device text scrubbed by the
        session), so a password that is an ordinary word does not eat that word in the
        message. What the device printed is masked again here; an exception of an unexpected
        kind, whose text nobody vetted, is masked whole."""
        if isinstance(exc, RpcConnectionError):
            return exc
        if isinstance(exc, sess.ConsoleError):
            text = exc.message
            if exc.seen:
                text += '. Last lines seen: %r' % self._redactor(exc.seen)
            if exc.hint:
                text += '. %s' % exc.hint
        elif isinstance(exc, (MenuError, SmartError, tp.TransportError, wire.UnsafeInput)):
            text = str(exc)
        else:
            text = self._redactor(str(exc))
        return RpcConnectionError(text, code=_error_code(exc))

    # ----------------------------------------------------------------- device info
    def _read_device_info(self):
        """What the console is (plugin_utils/identify.py), read once per login."""
        info = identify(self._session, self.queue_message)
        self._device_info_noise = self._session.noisy
        return info

    def _menu(self, check_mode):
        self._connect_for(check_mode)
        session = self._session
        if session.dialect != 'menu' or session.menu is None:
            raise RpcConnectionError('this console speaks the %s dialect, not the menu console'
                                     % session.dialect, code=ERROR_CODES['dialect'])
        try:
            session.ensure_ready()      # logs in again after an idle logout or a warm start
        except Exception as exc:
            raise self._rpc_error(exc)
        return session.menu

    def _menu_run(self, nav, work, retry):
        """Run ``work(nav)``. When the console restarted, logged the session out or the line
        dropped meanwhile (menu.RESYNC_ERRORS), resynchronise (log in again, main menu) and,
        when ``retry`` says so, run it once more: ``retry`` is True (reads), False, or a
        callable telling from the navigator whether running again is safe. After any other
        error go back to the main menu before reporting it."""
        session = self._session
        try:
            return work(nav)
        except RESYNC_ERRORS as exc:
            again = retry(nav) if callable(retry) else retry
            self._menu_resync(exc)
            if not again:
                raise self._rpc_error(exc)
            self.queue_message('vvv', 'menu console resynchronised after: %s; running again' % exc)
            try:
                return work(nav)
            except Exception as again_exc:
                if session.spawn is not None:
                    nav.recover()
                raise self._rpc_error(again_exc)
        except Exception as exc:
            if session.spawn is not None:
                nav.recover()
            raise self._rpc_error(exc)

    def _menu_resync(self, cause):
        """Back to a logged-in main menu after ``cause``; a failure says both."""
        try:
            found = self._session.resync_menu()
        except Exception as exc:
            raise self._rpc_error(sess.ConsoleError('%s; getting the menu console back failed: %s'
                                                    % (cause, exc)))
        self.queue_message('v', 'menu console: %s; found it %s and logged in again'
                           % (cause, {'menu': 'at a menu', 'login': 'at its login prompt',
                                      'restarted': 'restarting'}[found]))
        return found

    def menu_read(self, path=None, paths=None, check_mode=False):
        """Menu console: the screen at ``path`` (labels from the main menu), parsed into
        title, header, items (label, value), footer. ``paths``: several, as a list."""
        nav = self._menu(check_mode)
        if paths is None and not isinstance(path, list):
            raise RpcConnectionError('menu_read needs path (a list of labels)', code=ERROR_CODES['input'])

        def work(navigator):
            if paths is not None:
                return [self._screen_out(navigator.read(p)) for p in paths]
            return self._screen_out(navigator.read(path))
        return self._redactor.redact_obj(self._menu_run(nav, work, retry=True))

    @staticmethod
    def _screen_out(screen):
        out = dict(screen)
        out.pop('messages', None)
        return out

    def menu_set(self, path, values, secrets=None, accept=True, check_mode=False,
                 login_password_from=None, login_user_from=None):
        """Menu console: set fields of the screen at ``path`` and Accept Changes.

        ``values`` maps field labels to values, in the order they are entered (Boot Mode
        before System IP: the screen changes with it). Enumerated fields take the label of
        the value to pick. A secret travels as ``<<name>>`` in ``values`` and its value in
        ``secrets`` (masked in the persistent log), filled in here. In check mode nothing
        is entered: the result says which fields differ. Returns ``{'before', 'after',
        'changed', 'entered', 'title'}``. ``login_password_from``/``login_user_from``: the
        label whose new value becomes the session's password/user name once accepted.
        """
        if not isinstance(values, dict) or not values:
            raise RpcConnectionError('menu_set needs values: {label: value}', code=ERROR_CODES['input'])
        nav = self._menu(check_mode)
        filled = {}
        secret_labels = []
        for label, value in values.items():
            forms = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
            if not forms:
                raise RpcConnectionError('menu_set: no value for %r' % label, code=ERROR_CODES['input'])
            filled_forms = []
            for text in forms:
                try:
                    new, used = substitute_secrets(text, secrets if isinstance(secrets, dict) else {})
                except ValueError as exc:
                    raise RpcConnectionError(str(exc), code=ERROR_CODES['input'])
                if PLACEHOLDER_RE.search(text):
                    if label not in secret_labels:
                        secret_labels.append(label)
                    for secret in used:
                        self._redactor.add(secret)
                        self._session.redact.add(secret)
                filled_forms.append(new)
            # a list: the text to enter, then other forms the screen may show it in
            filled[label] = filled_forms if isinstance(value, (list, tuple)) else filled_forms[0]

        def work(navigator):
            return navigator.set_values(path, filled, secret_labels=secret_labels, accept=bool(accept),
                                        check_mode=bool(check_mode))
        first = {}

        def note_first(navigator):
            # setting is idempotent (only fields that differ are entered), so after a restart
            # or logout it runs again; pending values were dropped, an accept may have landed
            first.update(before=navigator.last_before, accepted=navigator.accept_sent,
                         entered=list(navigator.last_entered))
            return True
        try:
            result = self._menu_run(nav, work, retry=note_first)
        except RpcConnectionError as exc:
            if first.get('accepted'):
                raise RpcConnectionError(
                    '%s. Accept Changes had been chosen when the console was interrupted, and it '
                    'could not be read back: these fields may have been stored: %s'
                    % (exc, ', '.join(first['entered'])), code=exc.code)
            if first:
                raise RpcConnectionError('%s. Accept Changes had not been chosen: nothing was '
                                         'stored' % exc, code=exc.code)
            raise
        if first and first.get('before') is not None:
            # the true outcome: compared with the screen before the first attempt
            plain = [label for label in filled if label not in secret_labels]
            landed = [label for label in plain if first['before'].get(label) != result['after'].get(label)]
            result['before'] = first['before']
            result['changed'] = bool(result['changed'] or landed)
            result['entered'] = list(dict.fromkeys(list(result['entered']) + landed))
            result['resynced'] = True
        if result.get('changed') and not check_mode and accept:
            if login_password_from in filled and login_password_from in result['entered']:
                self._session.password = str(filled[login_password_from])
                self.queue_message('vvv', 'the session now logs in with the new password')
            if login_user_from in filled and login_user_from in result['entered']:
                self._session.user = filled[login_user_from]
        nav.recover()
        return self._redactor.redact_obj(result)

    def menu_action(self, path, item_label, confirm=True, check_mode=False):
        """Menu console: choose a command item (outlet control, reboot) at ``path`` and
        answer its YES confirmation. Never in check mode."""
        nav = self._menu(check_mode)
        if check_mode:
            raise RpcConnectionError('menu actions are never run in check mode', code=ERROR_CODES['input'])

        def work(navigator):
            return navigator.action(path, item_label, confirm=bool(confirm))
        writes = nav.writes
        try:
            # again after a restart only when no YES went out (an action is not idempotent)
            result = self._menu_run(nav, work, retry=lambda navigator: navigator.writes == writes)
        except RpcConnectionError as exc:
            if nav.writes != writes:
                raise RpcConnectionError('%s. %r had been confirmed with YES: it may have been '
                                         'carried out; check before running it again'
                                         % (exc, item_label), code=exc.code)
            raise
        if result.get('rebooting'):
            session = self._session
            session.logged_in = False
            session.state = 'rebooting'
            session.reboot_required = False
        else:
            nav.recover()
        if result.get('screen'):
            result['screen'] = self._screen_out(result['screen'])
        return self._redactor.redact_obj(result)

    def _smart(self, check_mode):
        self._connect_for(check_mode)
        if self._session.dialect != 'smart' or self._session.smart is None:
            raise RpcConnectionError('this console speaks the %s dialect, not the smart protocol'
                                     % self._session.dialect, code=ERROR_CODES['dialect'])
        try:
            self._session.ensure_ready()    # opens the line again after it dropped
        except Exception as exc:
            raise self._rpc_error(exc)
        return self._session.smart

    def smart_query(self, letters, check_mode=False):
        """Smart protocol: query command characters ('B', '^A'...); NA reads as None."""
        proto = self._smart(check_mode)
        try:
            values = dict((name, proto.query(name)) for name in letters)
        except Exception as exc:
            raise self._rpc_error(exc)
        return {'values': values, 'events': proto.take_events()}

    def smart_set(self, letter, value, check_mode=False):
        """Smart protocol: cycle an enumerated EEPROM setting until it reads ``value``."""
        proto = self._smart(check_mode)
        if check_mode:
            raise RpcConnectionError('smart_set writes to the UPS EEPROM; not in check mode',
                                     code=ERROR_CODES['input'])
        try:
            result = proto.cycle(letter, value)
        except Exception as exc:
            raise self._rpc_error(exc)
        result['events'] = proto.take_events()
        return result

    def smart_set_text(self, letter, text, check_mode=False):
        """Smart protocol: write a free-text EEPROM entry (c, x), 8 characters."""
        proto = self._smart(check_mode)
        if check_mode:
            raise RpcConnectionError('smart_set_text writes to the UPS EEPROM; not in check mode',
                                     code=ERROR_CODES['input'])
        try:
            result = proto.write_text(letter, text)
        except Exception as exc:
            raise self._rpc_error(exc)
        result['events'] = proto.take_events()
        return result

    def smart_control(self, name, check_mode=False, args=None):
        """Smart protocol: a control command (self_test, kill...). Never in check mode."""
        proto = self._smart(check_mode)
        if check_mode:
            raise RpcConnectionError('control commands are never sent in check mode',
                                     code=ERROR_CODES['input'])
        try:
            return proto.control(name, delay=(args or {}).get('delay'))
        except Exception as exc:
            raise self._rpc_error(exc)

    def smart_events(self, check_mode=False):
        """Smart protocol: alert events seen since the last call."""
        proto = self._smart(check_mode)
        proto.drain_alerts()
        return proto.take_events()

    # ----------------------------------------------------------------- public RPCs
    def _connect_for(self, check_mode):
        """Connect on behalf of a task; a check-mode task must not trigger the forced
        first-login password change (it is a change)."""
        self._check_mode = bool(check_mode)
        if self._session is not None:
            self._session.allow_password_change = not self._check_mode
        if not self._connected:
            self._connect()

    def _recovery_session(self):
        """The session of the reset-button recovery: created without a login (the configured
        password is unknown or lost); kept between the recovery RPCs of one run."""
        if self._session is None:
            options = self._session_options()
            options['password'] = models.FACTORY['password']
            self._session = sess.ConsoleSession(log=self.queue_message, **options)
        return self._session

    def wait_for_answer(self, timeout=150, check_mode=False):
        """Recovery, first stage: wait until the console answers, without logging in.

        A unit that was just powered on needs about 100 seconds before its console answers;
        the person at the rack must not be asked to press the reset button before that.
        Returns ``screen`` (``login``, ``cli``/``menu`` when a session is still logged in,
        ``smart``), ``waited`` (seconds) and ``crs_sent``. A UPS on the smart protocol is
        refused: it has no management card and no password.
        """
        if self._connected and self._session is not None and self._session.logged_in:
            return {'screen': self._session.dialect, 'waited': 0.0, 'crs_sent': 0}
        session = self._recovery_session()
        try:
            answer = session.wait_for_answer(float(timeout))
        except Exception as exc:
            raise self._rpc_error(exc)
        if answer['screen'] == 'smart':
            raise RpcConnectionError(
                'this port answers with the UPS smart protocol (UPS-Link): it is the UPS\'s own '
                'serial port, without a management card, and has no password to recover. An '
                'NMC1 card behind that port would have shown a login prompt', code=ERROR_CODES['dialect'])
        self.queue_message('vvv', 'the console answered (%s) after %.1f s' % (answer['screen'], answer['waited']))
        return answer

    def recover_login(self, secrets=None, timeout=120, user='apc', check_mode=False):
        """Reset-button recovery: wait for the temporary apc/apc login window, log in within
        it, set ``secrets['new_password']`` for the Super User at once and prove it with a
        fresh login. Returns what happened, with ``logged_in_at`` (epoch seconds) so the
        caller can tell how much of the window was left.

        Runs before any normal login (the configured password is unknown or lost).
        """
        secrets = secrets if isinstance(secrets, dict) else {}
        new_password = secrets.get('new_password')
        if not new_password:
            raise RpcConnectionError('recover_login needs secrets={"new_password": ...}',
                                     code=ERROR_CODES['input'])
        if check_mode:
            raise RpcConnectionError('the reset-button recovery changes the password; it does not '
                                     'run in check mode', code=ERROR_CODES['input'])
        self._redactor.add(new_password)
        session = self._recovery_session()
        session.redact.add(new_password)
        session.new_password = new_password          # a forced first-login change uses it
        try:
            attempts = session.recover_window(float(timeout))
            logged_in_at = time.time()
            self._connected = True
            self._device_info = self._read_device_info()
            self._check_recovered_password(new_password)
            self._set_recovered_password(session, user, new_password)
            proof_waited = self._prove_recovered_login(session, user, new_password)
            self._device_info = self._read_device_info()
        except RpcConnectionError:
            raise
        except Exception as exc:
            raise self._rpc_error(exc)
        info = self.get_device_info()
        info.update({'attempts': attempts, 'logged_in_at': logged_in_at, 'proven': True,
                     'proof_waited': proof_waited})
        return info

    def _prove_recovered_login(self, session, user, new_password):
        """Log out of the window session and in again with the new password. A menu console
        on AOS 3.x may have locked its login after the refused attempts that waited for the
        window; the login is then tried again until that lock must have ended."""
        locked_until = time.monotonic()
        if session.dialect == 'menu' and session.refused_logins >= sess.MENU_LOCKOUT_AFTER \
                and firmware_family(self._device_info) != 'aos2':      # AOS 2.6 has no lockout
            locked_until = session.last_refused_at + sess.MENU_LOCKOUT_SECONDS
        session.close(logout=True)
        session.user, session.password = user, new_password
        try:
            waited = session.login_through_lockout(locked_until)
        except sess.LoginRejected as exc:
            raise sess.LoginError(
                'the new password was set inside the window, but the fresh login with it was '
                'refused (%s). Log in by hand in a few minutes to check (a console lockout may '
                'have lasted longer); if that fails too, run the recovery again'
                % str(exc).split('. ', maxsplit=1)[0])
        if waited:
            self.queue_message('warning', 'the console refused logins for %.0f s after the window '
                               '(its lockout after failed logins); the new password works' % waited)
        return waited

    def _check_recovered_password(self, new_password):
        """The firmware's password length limit, known only now that the card is identified
        (logged in inside the window, nothing changed yet)."""
        if self._session.password_changed_at_login:
            return
        if self._session.dialect == 'menu':
            limit = RECOVERY_PASSWORD_MAX['menu']
        else:
            limit = RECOVERY_PASSWORD_MAX.get(firmware_family(self._device_info), RECOVERY_PASSWORD_MAX['cli'])
        if len(new_password) > limit:
            raise RpcConnectionError(
                'the new password is %d characters long; %s takes at most %d. Nothing was changed '
                '(the console is logged in with apc/apc until the window closes): choose a '
                'shorter password and run the recovery again'
                % (len(new_password), describe_firmware(self._device_info), limit),
                code=ERROR_CODES['input'])

    def _set_recovered_password(self, session, user, new_password):
        if session.password_changed_at_login:
            return          # the forced first-login change already set it
        if session.dialect == 'cli':
            if firmware_family(self._device_info) == 'aos5':
                # AOS 5.x: three fixed accounts; -an/-ap name the Administrator account and
                # set its password (the window let us in as apc, so that is its name now)
                command = 'user -an %s -ap %s' % (quote(user), quote(new_password))
            else:
                command = 'user -n %s -cp %s -pw %s' % (quote(user), quote(session.password),
                                                        quote(new_password))
            result = session.run(command, secrets=[new_password])
            if result.get('failed'):
                raise sess.ConsoleError('the card refused the new password: %s %s %s' % (
                    result.get('code'), result.get('message'), result.get('output')))
        elif session.dialect == 'menu':
            nav = session._menu_navigator()  # pylint: disable=protected-access
            nav.set_values(['System', 'User Manager', ('Administrator', 'Admin')],
                           {'User Name': user, 'Password': new_password},
                           secret_labels=['Password'], accept=True)
        else:
            raise sess.UnsupportedDialect('no reset-button recovery on the %s dialect' % session.dialect)
        session.password = new_password

    def get_device_info(self, check_mode=False, reread_if_noisy=False):
        """Dialect, model, firmware, serial number, MAC, name and outlet count.
        ``reread_if_noisy``: read them again when line noise has shown since they were read
        (they were taken from one answer each, before reads were verified)."""
        self._connect_for(check_mode)
        if (reread_if_noisy and self._session is not None
                and self._session.noisy > getattr(self, '_device_info_noise', 0)):
            try:
                self._device_info = self._read_device_info()
            except Exception as exc:
                raise self._rpc_error(exc)
        info = dict(self._device_info or {})
        info['session'] = self._session.info() if self._session else {}
        return info

    def run_command(self, command, confirm=False, timeout=None, secrets=None, check_mode=False,
                    login_password_from=None, end_on_result=False, read=False):
        """Run one console command; returns code, message, output and reboot flags.

        ``confirm`` answers a YES/NO confirmation with YES (otherwise it is cancelled).
        ``secrets`` maps placeholder names to secret values: ``<<name>>`` in ``command`` is
        replaced here, in the connection process, so the secret never appears in the
        command text that crosses JSON-RPC (which the persistent log records verbatim,
        while the ``secrets`` key is masked there). Secrets are masked in everything
        logged or returned. ``read``: the command only reads (the session may repeat it
        while line noise damages its answers, see ConsoleSession.verified); ``'verify'``:
        believe it only when two reads agree.
        """
        if not isinstance(command, str) or not command.strip():
            raise RpcConnectionError('run_command needs a non-empty command string',
                                     code=ERROR_CODES['input'])
        self._connect_for(check_mode)
        if '<<login_password>>' in command and not isinstance(secrets, (list, tuple)):
            secrets = dict(secrets or {}, login_password=self._session.password)
        if login_password_from and (not isinstance(secrets, dict) or login_password_from not in secrets):
            raise RpcConnectionError('login_password_from names no secret', code=ERROR_CODES['input'])
        template = command
        try:
            command, values = substitute_secrets(command, secrets)
        except ValueError as exc:
            raise RpcConnectionError(str(exc), code=ERROR_CODES['input'])
        for secret in values:
            self._redactor.add(secret)
        try:
            result = self._session.run(command, confirm=bool(confirm), timeout=timeout,
                                       secrets=values, end_on_result=bool(end_on_result),
                                       display=display_command(template, secrets), read=read)
        except Exception as exc:
            raise self._rpc_error(exc)
        if login_password_from and result.get('ok'):
            self._session.password = secrets[login_password_from]
            self.queue_message('vvv', 'the session now logs in with the new password')
        # what the device printed is masked again; the command is already in display form
        for key in ('output', 'message'):
            if isinstance(result.get(key), str):
                result[key] = self._redactor(result[key])
        result['noise_seen'] = self._session.noisy
        return result

    @ensure_connect
    def wait_for_reboot(self, timeout=None):
        """Wait until a rebooting card answers again and log in; returns device info."""
        try:
            self._session.wait_for_reboot(timeout=timeout)
            self._device_info = self._read_device_info()
        except Exception as exc:
            raise self._rpc_error(exc)
        return self.get_device_info()

    def get_session_info(self):
        """Session state without touching the console (no connect)."""
        if self._session is None:
            return {'connected': False}
        info = self._session.info()
        info['connected'] = self._connected
        info['pid'] = os.getpid()
        return info

    def relogin(self, user=None, secrets=None, timeout=None):
        """Log in again with other credentials; returns device info.

        For use after ``resetToDef``: once the card has rebooted, the credentials the
        connection was configured with no longer work. ``secrets`` is a dict with
        ``password`` and optionally ``new_password`` (for the first-login change the
        firmware may force); it travels under the ``secrets`` key, which the persistent log
        masks. When the card is rebooting, waits for it first (``timeout`` seconds, default
        the connection's boot_timeout). The session keeps these credentials for the rest of
        the run.
        """
        secrets = secrets if isinstance(secrets, dict) else {}
        if not secrets.get('password'):
            raise RpcConnectionError('relogin needs secrets={"password": ...}', code=ERROR_CODES['input'])
        if self._session is None:
            # not connected (a new run, or the line dropped and the session was closed):
            # the only login is the one with these credentials, never one with the
            # configured password first (each refused login counts towards a lockout)
            options = self._session_options()
            options['password'] = secrets['password']
            self._session = sess.ConsoleSession(log=self.queue_message, **options)
        session = self._session
        for key in ('password', 'new_password'):
            self._redactor.add(secrets.get(key))
            session.redact.add(secrets.get(key))
        if user:
            session.user = user
        session.password = secrets['password']
        if secrets.get('new_password'):
            session.new_password = secrets['new_password']
        session.password_changed_at_login = False
        session.allow_password_change = True
        saved_boot_timeout = session.boot_timeout
        try:
            if session.state == 'rebooting':
                session.wait_for_reboot(timeout=timeout)
            else:
                session.close(logout=True)
                session.connect()
            self._device_info = self._read_device_info()
        except Exception as exc:
            raise self._rpc_error(exc)
        finally:
            session.boot_timeout = saved_boot_timeout
        self._connected = True
        self.queue_message('vvv', 'logged in again as %s with the credentials given' % session.user)
        return self.get_device_info()

    # ----------------------------------------------------------------- XMODEM uploads
    def xmodem_upload_ini(self, data, baud_rate=None, block_size=128, check_mode=False):
        """Upload a config.ini with ``xferINI`` (XMODEM) and log in again afterwards.

        ``data`` is the file, base64-encoded. ``baud_rate`` is the transfer speed the card's
        menu offers (default: the line's speed); the port goes back to its own speed after
        the transfer, as the card does. Returns the transfer summary (bytes, blocks, mode
        CRC/checksum, NAKs, seconds, the wire floor, progress samples) and ``status``, the
        card's ``xferStatus`` answer. Never in check mode.
        """
        import base64  # pylint: disable=import-outside-toplevel
        from ansible_collections.rackops.apc.plugins.plugin_utils import xfer  # pylint: disable=import-outside-toplevel
        if check_mode:
            raise RpcConnectionError('an upload changes the card; it does not run in check mode',
                                     code=ERROR_CODES['input'])
        try:
            payload = base64.b64decode(data, validate=True)
        except (TypeError, ValueError):
            raise RpcConnectionError('xmodem_upload_ini needs the file base64-encoded',
                                     code=ERROR_CODES['input'])
        self._connect_for(check_mode)
        session = self._session
        if session.dialect != 'cli':
            raise RpcConnectionError('xferINI needs the command line (apc>); this console speaks '
                                     'the %s dialect' % session.dialect, code=ERROR_CODES['dialect'])

        def report(sample):     # to the persistent log (shown only there), and in the result
            self.queue_message('log', 'xferINI: %(bytes)d of %(total)d bytes (%(percent)d %%), '
                               'about %(eta_seconds)s s left at the line speed' % sample)

        try:
            summary = xfer.upload_ini(session, payload, baud_rate, int(block_size), report,
                                      self.queue_message)
        except xfer.TransferError as exc:
            status = None
            if exc.reason in ('cancelled', 'refused', 'silent', 'start'):
                try:            # the card is back at its prompt: ask for its side
                    session.login()
                    status = xfer.transfer_status(session).get('result')
                except Exception:  # pylint: disable=broad-except
                    status = None
            message = str(exc)
            if status:
                message += '; the card reports: %s' % status
            raise RpcConnectionError(self._redactor(message), code=ERROR_CODES['transfer'])
        except Exception as exc:
            raise self._rpc_error(exc)
        try:
            session.login()         # the command line restarts after system/network changes
            summary['status'] = xfer.transfer_status(session)
            self._device_info = self._read_device_info()
        except Exception as exc:
            raise self._rpc_error(exc)
        return self._redactor.redact_obj(summary)

    # ----------------------------------------------------------------- firmware
    def firmware_upload(self, images, block_size=128, restart_timeout=300, baud_rate=None,
                        check_mode=False):
        """Write firmware modules (see _firmware_upload); progress for the action plugin."""
        try:
            return self._firmware_upload(images, block_size, restart_timeout, baud_rate, check_mode)
        finally:
            self._clear_firmware_progress()

    def _firmware_upload(self, images, block_size=128, restart_timeout=300, baud_rate=None,
                         check_mode=False):
        """Write firmware modules through the boot monitor (command-line cards).

        ``images`` is a list of ``{'module', 'name', 'data'}`` (``data`` base64) in the
        order to send (bootmon, aos, application). The card is restarted (``reboot``,
        YES) and stopped in its boot monitor with ESC early in the restart; each image
        goes with the monitor's ``XMODEM`` command; ``BOOT`` starts the new firmware,
        which may take ``restart_timeout`` seconds; then the session logs in again.
        Menu consoles (AP79xx, NMC1) take each image on System > Tools > File Transfer >
        XMODEM at ``baud_rate`` (the port switches to it and back) and restart after each.
        Returns ``modules`` (one transfer summary each, with what the monitor said),
        ``restart_seconds`` and the device info read after the restart. Never in check mode.
        """
        import base64  # pylint: disable=import-outside-toplevel
        from ansible_collections.rackops.apc.plugins.plugin_utils import xfer  # pylint: disable=import-outside-toplevel
        if check_mode:
            raise RpcConnectionError('a firmware upload changes the card; it does not run in check '
                                     'mode', code=ERROR_CODES['input'])
        if not isinstance(images, list) or not images:
            raise RpcConnectionError('firmware_upload needs a list of images', code=ERROR_CODES['input'])
        payloads = []
        for image in images:
            try:
                payloads.append((str(image['module']), str(image['name']),
                                 base64.b64decode(image['data'], validate=True)))
            except (KeyError, TypeError, ValueError):
                raise RpcConnectionError('firmware_upload needs module, name and base64 data per '
                                         'image', code=ERROR_CODES['input'])
        self._connect_for(check_mode)
        session = self._session
        if session.dialect not in ('cli', 'menu'):
            raise RpcConnectionError('firmware uploads need a management card console (command '
                                     'line or menus); this console speaks the %s dialect'
                                     % session.dialect, code=ERROR_CODES['dialect'])
        xfer.check_dependency()
        done = []
        current = {}

        def report(sample):     # to the persistent log, the action plugin's display, the result
            self.queue_message('log', 'firmware %s: %d of %d bytes (%d %%), about %s s left at '
                               'the line speed' % (current.get('name'), sample['bytes'],
                                                   sample['total'], sample['percent'],
                                                   sample['eta_seconds']))
            self._firmware_progress(dict(sample, module=current.get('module'), file=current.get('name'),
                                         index=len(done) + 1, count=len(payloads)))

        if session.dialect == 'menu':
            return self._firmware_menu(session, payloads, int(block_size), float(restart_timeout),
                                       baud_rate, report, current, done)
        try:
            xfer.enter_boot_monitor(session)
            self.queue_message('vvv', 'the card is in its boot monitor (BM>)')
            for module, name, data in payloads:
                current.update(module=module, name=name, size=len(data))
                summary = xfer.bootmon_send(session, data, int(block_size), report)
                summary.update(module=module, file=name)
                done.append(summary)
            current.clear()
            xfer.leave_boot_monitor(session)
            waited = xfer.wait_for_firmware_start(session, float(restart_timeout))
            session.login()         # the console answered: a normal login
            self._device_info = self._read_device_info()
        except xfer.TransferError as exc:
            message = self._firmware_failure(session, exc, current, done)
            self._drop_session()
            raise RpcConnectionError(self._redactor(message), code=ERROR_CODES['transfer'])
        except Exception as exc:
            self._drop_session()
            raise self._rpc_error(exc)
        return self._redactor.redact_obj({'modules': done, 'restart_seconds': waited,
                                          'device_info': self.get_device_info()})

    def _progress_path(self):
        return (self._socket_path + '.progress') if getattr(self, '_socket_path', None) else None

    def _firmware_progress(self, record):
        """The latest progress sample, for the action plugin to show while the RPC runs (a
        file beside the connection's socket, replaced atomically; display only)."""
        import json  # pylint: disable=import-outside-toplevel
        path = self._progress_path()
        if not path:
            return
        try:
            with open(path + '.tmp', 'w', encoding='utf-8') as handle:
                json.dump(record, handle)
            os.replace(path + '.tmp', path)
        except (IOError, OSError):
            pass

    def _clear_firmware_progress(self):
        path = self._progress_path()
        if path and os.path.exists(path):
            try:
                os.remove(path)
            except OSError:
                pass

    def _drop_session(self):
        """After a failed upload the console's state is what the error says; the next call
        opens the port afresh and finds out what the unit shows."""
        if self._session is not None:
            try:
                self._session.close(logout=False)
            except Exception:  # pylint: disable=broad-except
                pass
        self._session = None
        self._device_info = None
        self._connected = False

    def firmware_recover(self, images, block_size=128, restart_timeout=300, check_mode=False):
        """Send firmware from the boot monitor (see _firmware_recover); progress as above."""
        try:
            return self._firmware_recover(images, block_size, restart_timeout, check_mode)
        finally:
            self._clear_firmware_progress()

    def _firmware_recover(self, images, block_size=128, restart_timeout=300, check_mode=False):
        """A card that shows its boot monitor (BM>) at the login: send ``images`` (as for
        :meth:`firmware_upload`) there, BOOT, wait for the restart and log in. For a module
        an interrupted upgrade left half-written. Never in check mode."""
        import base64  # pylint: disable=import-outside-toplevel
        from ansible_collections.rackops.apc.plugins.plugin_utils import xfer  # pylint: disable=import-outside-toplevel
        if check_mode:
            raise RpcConnectionError('a firmware upload changes the card; it does not run in check '
                                     'mode', code=ERROR_CODES['input'])
        try:
            payloads = [(str(i['module']), str(i['name']), base64.b64decode(i['data'], validate=True))
                        for i in images]
        except (KeyError, TypeError, ValueError):
            raise RpcConnectionError('firmware_recover needs module, name and base64 data per image',
                                     code=ERROR_CODES['input'])
        if self._connected and self._session is not None and self._session.logged_in:
            raise RpcConnectionError('the console is logged in, not at its boot monitor: use '
                                     'firmware_upload', code=ERROR_CODES['input'])
        xfer.check_dependency()
        self._drop_session()
        session = self._session = sess.ConsoleSession(log=self.queue_message, **self._session_options())
        done, current, waited = [], {}, None
        try:
            session.open()
            xfer.knock_for_boot_monitor(session, session.login_timeout)

            def report(sample):
                self._firmware_progress(dict(sample, module=current.get('module'), file=current.get('name'),
                                             index=len(done) + 1, count=len(payloads)))

            for module, name, data in payloads:
                current.update(module=module, name=name, size=len(data))
                summary = xfer.bootmon_send(session, data, int(block_size), report)
                summary.update(module=module, file=name)
                done.append(summary)
            current.clear()
            xfer.leave_boot_monitor(session)
            waited = xfer.wait_for_firmware_start(session, float(restart_timeout))
            session.login()
            self._connected = True
            self._device_info = self._read_device_info()
        except xfer.TransferError as exc:
            message = self._firmware_failure(session, exc, current, done)
            self._drop_session()
            raise RpcConnectionError(self._redactor(message), code=ERROR_CODES['transfer'])
        except Exception as exc:
            self._drop_session()
            raise self._rpc_error(exc)
        return self._redactor.redact_obj({'modules': done, 'restart_seconds': waited,
                                          'device_info': self.get_device_info()})

    def _firmware_menu(self, session, payloads, block_size, restart_timeout, baud_rate, report,
                       current, done):
        """Menu consoles: one image per File Transfer > XMODEM, a restart after each."""
        from ansible_collections.rackops.apc.plugins.plugin_utils import xfer  # pylint: disable=import-outside-toplevel
        waited = 0.0
        try:
            for module, name, data in payloads:
                current.update(module=module, name=name, size=len(data))
                summary = xfer.menu_send(session, data, baud_rate, block_size, report, self.queue_message)
                summary.update(module=module, file=name)
                done.append(summary)
                current.clear()
                waited += xfer.wait_for_firmware_start(session, restart_timeout, quiet=0)
                session.login()
            self._device_info = self._read_device_info()
        except xfer.TransferError as exc:
            message = self._firmware_failure(session, exc, current, done)
            self._drop_session()
            raise RpcConnectionError(self._redactor(message), code=ERROR_CODES['transfer'])
        except Exception as exc:
            self._drop_session()
            raise self._rpc_error(exc)
        return self._redactor.redact_obj({'modules': done, 'restart_seconds': round(waited, 1),
                                          'device_info': self.get_device_info()})

    def _firmware_failure(self, session, exc, current, done):
        """The message of a failed firmware upload: what failed, which module is in which state."""
        from ansible_collections.rackops.apc.plugins.plugin_utils import xfer  # pylint: disable=import-outside-toplevel
        message = str(exc)
        written = ', '.join('%s (%s)' % (d['module'], d['file']) for d in done)
        if current and session.dialect == 'menu':
            message = 'sending the %s module (%s) failed: %s' % (current['module'], current['name'], message)
            said = ''
            if exc.reason in ('cancelled', 'refused', 'silent', 'start') and session.spawn is not None:
                idx = session._expect([re.compile(r'File\s+transfer\s+failed[^\r\n]*')], session.command_timeout)  # pylint: disable=protected-access
                said = session.spawn.after.strip() if idx == 0 else ''
                session.menu.forget()
            if said:
                message += '; the unit says: %s' % session.scrub(said)
            if exc.acked:
                message += ('. The %s module is left half-written (%d of %d bytes were acknowledged): '
                            'the unit runs on until its next restart, which ends in its boot monitor '
                            '(BM>); the boot monitor recovers it when the module is sent again'
                            % (current['module'], exc.acked, current['size']))
            else:
                message += ('. Nothing of the %s module was written (no block was acknowledged); the '
                            'unit keeps running its firmware' % current['module'])
        elif current:
            said = ''
            if exc.reason in ('cancelled', 'refused', 'silent', 'start'):
                said = xfer.bootmon_failure_text(session)
            message = 'sending the %s module (%s) failed: %s' % (current['module'], current['name'], message)
            if said:
                message += '; the boot monitor says: %s' % said
            if exc.acked:
                message += ('. The %s module is left half-written on the card (%d of %d bytes were '
                            'acknowledged): the card cannot start it and stays in its boot monitor '
                            '(BM>), which recovers it when the module is sent again: run the task '
                            'again (it finds the card at BM> and sends its files from there)'
                            % (current['module'], exc.acked, current['size']))
            else:
                message += '. Nothing of the %s module was written (no block was acknowledged)' % current['module']
                message += self._restart_after_failure(session)
        if written:
            message += '. Written before: %s' % written
        return message

    def _restart_after_failure(self, session):
        """A transfer failed before anything was written: BOOT, so the card runs what it has."""
        from ansible_collections.rackops.apc.plugins.plugin_utils import xfer  # pylint: disable=import-outside-toplevel
        if session.spawn is None:
            return '; the line is gone, so the card stays in its boot monitor (BM>) until BOOT is typed there or it is power cycled'
        try:
            xfer.leave_boot_monitor(session)
            xfer.wait_for_firmware_start(session, session.boot_timeout)
            session.login()
            self._device_info = self._read_device_info()
        except Exception as exc:  # pylint: disable=broad-except
            return ('; starting the card again from its boot monitor failed too (%s): it may still '
                    'be at BM>' % self._redactor(str(exc)))
        fw = self._device_info.get('firmware') or {}
        return ('; the card was started again and runs bootmon %s, AOS %s, %s %s'
                % (fw.get('bootmon'), fw.get('aos'), fw.get('app_module') or 'application', fw.get('app')))
