#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: login
short_description: Prove a user name and password with a fresh login on the console
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Logs the console session out and logs in again with O(user) and O(password), so the device
    itself checks them. Works on the C(apc>) command line and on menu consoles.
  - The proof is always a password login. A card keeps a session logged in when the line
    drops (a console server port closing, a cable pulled); the connection would pick such a
    session up without a password. When that happens the module logs it out and logs in once
    more, and RV(left_session_logged_out) says so.
  - When the connection is not open yet, it first logs in with its own credentials
    (C(ansible_user), C(ansible_password)) and then again with O(user) and O(password).
  - A refused login is not retried (every try counts towards the lockout); the task fails with
    the console's answer.
  - Afterwards the session stays logged in as O(user), so later tasks in the same connection
    run with that account's rights. Log in again as the administrator (this module with its
    credentials, or C(meta reset_connection)) before tasks that need them.
  - A UPS DB9 port speaking the smart protocol has no login; the module fails there.
  - The C(rackops.apc.password_rotation) role proves every new password with it.
options:
  user:
    description:
      - The account to log in as. Defaults to the user the session logs in with
        (C(ansible_user)).
    type: str
  password:
    description:
      - The password to prove. It never appears in results or logs.
    type: str
    required: true
attributes:
  check_mode:
    support: none
    description:
      - A login can make the change the firmware forces at the first login with the factory
        password (C(ansible_apc_new_password)), so the module is skipped in check mode.
  diff_mode:
    support: none
    description: Nothing is compared.
  platform:
    support: full
    platforms: apc
    description: APC command-line and menu consoles, through the C(rackops.apc.console) connection.
seealso:
  - module: rackops.apc.user
  - module: rackops.apc.facts
'''

EXAMPLES = r'''
- name: Set a new password for the monitoring account
  rackops.apc.user:
    name: monitor
    password: "{{ vault_apc_monitor_password }}"
    update_password: always

- name: Prove it with a login as that account
  rackops.apc.login:
    user: monitor
    password: "{{ vault_apc_monitor_password }}"

- name: Back to the administrator for the next tasks
  rackops.apc.login:
    password: "{{ ansible_password }}"
'''

RETURN = r'''
proven:
  description: The device accepted O(user) and O(password) at a fresh login (always true when the task succeeds).
  returned: success
  type: bool
user:
  description: The account the session is now logged in as.
  returned: success
  type: str
  sample: apc
refused:
  description: The device turned the login down (it asked for the user name again). False when
    the task failed for another reason (no answer in time, the line dropped); trying again may
    then work.
  returned: failure
  type: bool
left_session_logged_out:
  description: The first attempt only picked up a session that was still logged in on the
    console; it was logged out and the login repeated.
  returned: success
  type: bool
device:
  description: Dialect, model and firmware of the device (as M(rackops.apc.facts) returns them
    under C(device)).
  returned: success
  type: dict
  sample:
    dialect: menu
    model: AP7920
    firmware: {aos: v3.7.3, app: v3.7.3, app_name: Rack PDU APP, bootmon: null}
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole

# How many times a login may turn out to be a picked-up session before giving up: the first
# relogin logs out what it picked up, so the second one is a password login.
ATTEMPTS = 2


SMART_NO_LOGIN = 'the smart protocol of a UPS DB9 port has no login: there is no password to prove'


def prove_login(call, user, password):
    """Log in again until a password login (not a picked-up session) has happened.

    ``call(name, **kwargs)`` is an RPC into the connection. Returns (device info, whether a
    left-over session had to be logged out). Raises ConsoleFailure when the device refuses.
    """
    # the session as it is, without connecting: a login with the connection's own password
    # first would be one more refused login when that password is the wrong one
    session = call('get_session_info')
    if session.get('dialect') == 'smart':
        raise ValueError(SMART_NO_LOGIN)
    logins = session.get('logins') or 0
    left_over = False
    for _attempt in range(ATTEMPTS):
        info = call('relogin', user=user, secrets={'password': password})
        if info.get('dialect') == 'smart':
            raise ValueError(SMART_NO_LOGIN)
        now = (info.get('session') or {}).get('logins') or 0
        if now > logins:
            return info, left_over
        # the console still had a session logged in and the connection took it over
        left_over = True
        logins = now
    raise ConsoleFailure('the console kept showing a logged-in session instead of asking for '
                         'the user name; the login could not be proven', 'console')


def refused(exc):
    """The device turned the credentials down (back at User Name), as opposed to a console
    that did not answer in time or a line that dropped."""
    return exc.kind == 'login' and 'rejected' in str(exc)


def main():
    module = ApcModule(
        argument_spec=dict(
            user=dict(type='str'),
            password=dict(type='str', required=True, no_log=True),
        ),
        supports_check_mode=False,
    )
    console = DeviceConsole(module)

    def call(name, **kwargs):
        return console._call(name, **kwargs)  # pylint: disable=protected-access

    try:
        info, left_over = prove_login(call, module.params['user'], module.params['password'])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    except ConsoleFailure as exc:
        console.fail(exc, refused=refused(exc))
    session = info.pop('session', None) or {}
    module.exit_json(changed=bool(info.get('password_changed_at_login')), proven=True,
                     user=session.get('user'), left_session_logged_out=left_over, device=info)


if __name__ == '__main__':
    main()
