#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: user_defaults
short_description: Set the defaults for new accounts, lockout and password policy of an APC card
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sets what a new local account gets when it is created (permission, description,
    session timeout, enabled), how many bad logins lock an account, the strong password
    policy and the password change interval of an NMC2/NMC3 card, AP79xxB or AP89xx Rack PDU
    through its serial console (C(rackops.apc.console) connection), with the C(userdflt)
    command.
  - Reads the current values first and sends only what differs, in one C(userdflt) command.
    Options left out are not touched.
  - The defaults also apply to remotely authenticated (RADIUS) users for the values the
    server does not supply.
  - AOS 5.x has no C(userdflt) command (its three accounts are fixed); the module fails
    there with a message naming the firmware, before anything is sent.
options:
  enabled:
    description: Whether a new account may log in (C(-e enable|disable)).
    type: bool
  permission:
    description:
      - Permission of a new account (C(-pe)). V(administrator), V(device), V(read_only) and
        V(network_only) are sent as C(Administrator), C(Device), C(Read-Only) and
        C(Network-Only).
    type: str
    choices: [administrator, device, read_only, network_only]
  description:
    description:
      - Description of a new account (C(-d)), up to 64 printable ASCII characters, no double
        quotes, no leading or trailing blanks. An empty string clears it.
    type: str
  session_timeout:
    description: Minutes of inactivity before the card ends a session of a new account, 1 to 60 (C(-st)).
    type: int
  bad_login_attempts:
    description:
      - Consecutive bad logins after which an account is locked, 0 to 99 (C(-bl)); V(0)
        never locks. The Super User is never locked; an administrator re-enables a locked
        account (M(rackops.apc.user) O(rackops.apc.user#module:enabled=true)).
    type: int
  strong_passwords:
    description:
      - Require strong passwords (C(-sp enable|disable)); the card then refuses passwords that
        do not meet its policy (8 or more characters with upper and lower case letters, a
        digit and a symbol).
    type: bool
  password_change_days:
    description:
      - Days after which a password must be changed, 0 to 365 (C(-pp)); V(0) never requires a
        change.
    type: int
attributes:
  check_mode:
    support: full
    description: Reads the device and reports what would be sent in RV(commands); sends nothing.
  diff_mode:
    support: full
    description: Before and after values of the options given.
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line (AOS 6.x, 7.x, NMC3), through the C(rackops.apc.console) connection.
notes:
  - Menu consoles (Control Console, AOS 2.x/3.x) have three fixed accounts and no defaults for new
    accounts; the module fails there, naming the firmware, before anything is changed.
seealso:
  - module: rackops.apc.user
'''

EXAMPLES = r'''
- name: Lock accounts after five bad logins and require strong passwords
  rackops.apc.user_defaults:
    bad_login_attempts: 5
    strong_passwords: true
    password_change_days: 180

- name: New accounts are read-only, enabled, with a 10 minute timeout
  rackops.apc.user_defaults:
    permission: read_only
    enabled: true
    session_timeout: 10
    description: ""
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['userdflt -bl 5 -sp enable -pp 180']
reboot_required:
  description: A change takes effect only after the management card reboots (never for these settings).
  returned: always
  type: bool
diff:
  description: Before and after values of the options given (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.area_users import USER_DEFAULTS
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import run_area_module


def main():
    module = ApcModule(
        argument_spec=dict(
            enabled=dict(type='bool'),
            permission=dict(type='str', choices=['administrator', 'device', 'read_only', 'network_only']),
            description=dict(type='str'),
            session_timeout=dict(type='int'),
            bad_login_attempts=dict(type='int'),
            strong_passwords=dict(type='bool', no_log=False),
            password_change_days=dict(type='int', no_log=False),
        ),
        supports_check_mode=True,
    )
    run_area_module(module, USER_DEFAULTS, module.params)


if __name__ == '__main__':
    main()
