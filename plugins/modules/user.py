#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: user
short_description: Manage local user accounts of an APC management card
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Creates, changes and deletes local accounts of an NMC2/NMC3 card, AP79xxB or AP89xx Rack
    PDU through its serial console (C(rackops.apc.console) connection), with the C(user)
    command.
  - On AOS 6.x/7.x and NMC3 accounts are named. The module reads the list (C(user)) and the
    account (C(user -n NAME)) first and sends one C(user -n NAME ...) command with only the
    settings that differ, or C(user -del NAME). Options left out are not touched; a new
    account gets the rest from the defaults (M(rackops.apc.user_defaults)).
  - On AOS 5.x the card has three fixed accounts (Administrator, Device Manager, Read Only
    User) that cannot be created or deleted. O(permission) picks the account, O(name) is the
    name it should have (a different name renames it with C(user -an|-dn|-rn)), O(password)
    sets its password (C(-ap|-dp|-rp)) and O(session_timeout) sets the inactivity timeout that
    all three share (C(-t)). O(state=absent), O(description), O(enabled) and
    O(permission=network_only) are refused there with a message naming the firmware.
  - A password cannot be read back from the card, so the module cannot tell whether it
    differs. With O(update_password=on_create) (the default) O(password) is sent only when
    the account is created (on AOS 5.x when the account gets a new name). With
    O(update_password=always) it is sent on every run, and the module then always reports a
    change.
  - Passwords never appear in results, diffs or logs; RV(commands) shows them as
    C(********).
  - Everything that can be checked is checked before the console is touched (name, lengths,
    characters, timeout range). Creating an account without O(password) fails after the
    list is read and before anything is sent.
options:
  name:
    description:
      - The account name. 1 to 64 characters (10 on AOS 5.x) out of letters, digits and
        C(.) C(_) C(@) C(-). Names are compared exactly; a name that differs from an existing
        one only in letter case is refused.
      - On AOS 5.x the name the fixed account picked by O(permission) should have.
    type: str
    required: true
  state:
    description:
      - V(present) creates the account or changes its settings.
      - V(absent) deletes it (C(user -del)); nothing happens when it does not exist. The other
        options are ignored then.
      - The Super User (C(apc) on a factory card) cannot be deleted, and neither can the
        account the console session is logged in with (it would end the session); both are
        refused before anything is sent.
      - Not available on AOS 5.x (the three accounts are fixed).
    type: str
    choices: [present, absent]
    default: present
  permission:
    description:
      - The account type. V(administrator), V(device), V(read_only) and V(network_only) are
        sent as C(Administrator), C(Device), C(Read-Only) and C(Network-Only).
      - The Super User's permission cannot be changed; giving O(permission) for it is refused.
      - Required on AOS 5.x, where it picks the fixed account (V(network_only) does not exist
        there).
    type: str
    choices: [administrator, device, read_only, network_only]
  description:
    description:
      - Free text shown with the account, up to 64 printable ASCII characters, no double
        quotes, no leading or trailing blanks. An empty string clears it.
      - Not available on AOS 5.x.
    type: str
  enabled:
    description:
      - Whether the account may log in (C(-e enable|disable)). Disabling the Super User or the
        account the session uses is allowed but gives a warning.
      - Not available on AOS 5.x.
    type: bool
  session_timeout:
    description:
      - Minutes of inactivity before the card ends a session of this account, 1 to 60
        (C(-st)).
      - On AOS 5.x one timeout for all accounts, 1 to 10 (C(-t)).
    type: int
  password:
    description:
      - The account's password, 1 to 64 printable ASCII characters (32 on AOS 5.x), no double
        quotes, no leading or trailing blank. With strong passwords on
        (M(rackops.apc.user_defaults) O(rackops.apc.user_defaults#module:strong_passwords))
        the card also wants 8 or more characters with upper and lower case letters, a digit
        and a symbol, and refuses others.
      - Required to create an account.
      - When it is sent depends on O(update_password).
      - When the account is the one the console session is logged in with, the session goes
        on with the new password (later tasks and re-logins in the same play use it). Later
        plays need the new password in the inventory.
    type: str
  update_password:
    description:
      - V(on_create) sends O(password) only when the account is created (on AOS 5.x, when
        it is renamed). An existing account's password is left alone.
      - V(always) sends O(password) on every run. The card cannot show a password, so the
        module cannot tell whether it changed and reports a change on every run.
    type: str
    choices: [always, on_create]
    default: on_create
  current_password:
    description:
      - The current password of the account, sent with C(-cp) when the password of the Super
        User or of the account the session is logged in with changes.
      - When the account is the one the session is logged in with it may be left out; the
        connection then supplies the session's own password.
      - Changing the Super User's password from a session of another account needs it.
      - Ignored for other accounts and on AOS 5.x.
    type: str
attributes:
  check_mode:
    support: full
    description: Reads the accounts and reports what would be sent in RV(commands); sends nothing.
  diff_mode:
    support: full
    description:
      - Before and after values of the account's readable settings that were given
        (O(permission), O(description), O(enabled), O(session_timeout)), plus C(name) and
        C(state).
      - C(password) appears in C(after), as C(********), only when the password is sent.
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - Renaming the account the session logs in with (AOS 5.x) gives a warning; set
    C(ansible_user) to the new name for later plays.
  - The card's per-user display preferences (C(-sr), C(-el), C(-lf), C(-ts), C(-df), C(-lg))
    are not managed by this module.
  - On menu consoles (Control Console of AP79xx Rack PDUs without the B suffix and NMC1 cards,
    AOS 2.x/3.x) the three fixed accounts live under System > User Manager. O(permission) picks
    the account (V(administrator), V(device) or V(read_only)), O(name) renames it, O(password)
    is entered with its confirmation (as O(update_password) says; names and passwords up to 10
    characters) and O(enabled) sets Access where the account's screen has it (not for the
    Administrator, not on AOS 2.x). O(state=absent), O(description), O(session_timeout) and
    O(permission=network_only) are refused before anything is changed. Changing the password
    or name of the account the session is logged in with keeps the session working.
    RV(commands) then lists the menu steps.
seealso:
  - module: rackops.apc.user_defaults
  - module: rackops.apc.facts
'''

EXAMPLES = r'''
- name: An operator account (the password is set when the account is created)
  rackops.apc.user:
    name: ops
    password: "{{ vault_apc_ops_password }}"
    permission: administrator
    description: Rack operations
    session_timeout: 10
    enabled: true

- name: A read-only monitoring account whose password is enforced on every run
  rackops.apc.user:
    name: monitor
    password: "{{ vault_apc_monitor_password }}"
    update_password: always
    permission: read_only
    enabled: true

- name: Change the Super User's password (the session logs in as apc; it keeps working)
  rackops.apc.user:
    name: apc
    password: "{{ vault_apc_new_password }}"
    update_password: always

- name: Remove an account
  rackops.apc.user:
    name: olduser
    state: absent

- name: AOS 5.x - rename the fixed Device Manager account and set its password
  rackops.apc.user:
    permission: device
    name: devmgr
    password: "{{ vault_apc_device_password }}"
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent); passwords as C(********).
  returned: always
  type: list
  elements: str
  sample: ['user -n ops -pw ******** -pe Administrator -d "Rack operations" -e enable -st 10']
reboot_required:
  description: A change takes effect only after the management card reboots (never for accounts).
  returned: always
  type: bool
diff:
  description: Before and after values of the account's readable settings (with C(--diff)).
  returned: when diff mode is on
  type: dict
  sample:
    before: {name: ops, state: absent}
    after: {name: ops, state: present, permission: administrator, password: '********'}
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.area_users import run_user_module


def main():
    module = ApcModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            permission=dict(type='str', choices=['administrator', 'device', 'read_only', 'network_only']),
            description=dict(type='str'),
            enabled=dict(type='bool'),
            session_timeout=dict(type='int'),
            password=dict(type='str', no_log=True),
            update_password=dict(type='str', default='on_create', choices=['always', 'on_create'],
                                 no_log=False),
            current_password=dict(type='str', no_log=True),
        ),
        supports_check_mode=True,
    )
    run_user_module(module)


if __name__ == '__main__':
    main()
