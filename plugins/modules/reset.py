#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: reset
short_description: Reset an APC management card to its factory settings
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Resets the configuration of an NMC2/NMC3 card, AP79xxB or AP89xx Rack PDU to the factory
    defaults with C(resetToDef -p all) or C(resetToDef -p keepip), answers its C(YES) question,
    restarts the management card (the reset takes effect at the restart), waits until the
    console is back, logs in with the factory Super User C(apc)/C(apc), and reports the state
    the card came back in.
  - Every account is reset, also with O(scope=keepip); afterwards only the factory users exist
    and the Super User logs in as C(apc)/C(apc). The credentials the connection was configured
    with no longer work; this task's connection logs in with the factory ones (and
    O(new_password)) and keeps using them for the rest of the run. Update C(ansible_password)
    in your inventory or vault for later runs.
  - AOS 6.9.6 and later and NMC3 cards force a password change at the first login with
    C(apc)/C(apc); on those firmwares O(new_password) is required and is set during that
    login. The task fails before anything is sent when it is missing.
  - The load is not switched; outlet names and delays of a Rack PDU go back to their defaults.
  - The task fails before anything is sent unless O(confirm=true).
options:
  scope:
    description:
      - C(all) resets everything, network settings included; the card comes back with DHCP and
        may get another address.
      - C(keepip) keeps the TCP/IP settings (C(tcpip), C(tcpip6), C(boot)) and resets the rest.
    type: str
    required: true
    choices: [all, keepip]
  confirm:
    description:
      - Must be C(true), because the reset erases the configuration, users and passwords included.
    type: bool
    default: false
  new_password:
    description:
      - Password for the Super User C(apc) when the firmware forces a change at the first login
        after the reset (AOS 6.9.6 and later, NMC3). Required there; ignored elsewhere.
      - Must differ from C(apc) and meet the card's password policy.
    type: str
  timeout:
    description:
      - Seconds to wait for the card to answer on the console after the restart. Defaults to
        the connection's C(boot_timeout).
    type: float
attributes:
  check_mode:
    support: full
    description: Reads the network settings and reports what would happen; sends no change.
  diff_mode:
    support: none
    description: Nothing is compared; the result has the network settings before and after.
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - To recover a card whose password is lost, use the reset button procedure instead (see the
    collection's C(playbooks/factory_reset_pdu.yml)); this module needs a working login.
seealso:
  - module: rackops.apc.reboot
  - module: rackops.apc.facts
'''

EXAMPLES = r'''
- name: Reset everything but the network settings
  rackops.apc.reset:
    scope: keepip
    confirm: true

- name: Full factory reset of an AOS 6.9.6 Rack PDU
  rackops.apc.reset:
    scope: all
    confirm: true
    new_password: "{{ vault_apc_password }}"
    timeout: 240

- name: Read the card as it came back
  rackops.apc.facts:
    gather_subset: [network, users]
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['resetToDef -p keepip', 'reboot']
scope:
  description: The scope of the reset.
  returned: always
  type: str
credentials_reset:
  description:
    - The card accepted the factory Super User login C(apc)/C(apc) after the reset (in check
      mode always true, as it would be).
  returned: always
  type: bool
password_changed_at_login:
  description: The firmware forced a password change at that login and O(new_password) was set.
  returned: when the card was reset
  type: bool
login_user:
  description: The user the session is now logged in as.
  returned: always
  type: str
  sample: apc
network_kept:
  description:
    - The boot mode and the manual IPv4 settings read after the reset equal the ones before
      (in check mode, whether they would be, from the scope).
  returned: always
  type: bool
network:
  description: Boot mode and manual IPv4 settings before and after the reset.
  returned: always
  type: dict
  contains:
    before:
      description: As read before the reset.
      type: dict
    after:
      description: As read after the reset (absent in check mode).
      type: dict
users:
  description: The accounts after the reset.
  returned: when the card was reset
  type: list
  elements: dict
  sample: [{'name': 'apc', 'user_type': 'Super User', 'enabled': true}]
elapsed:
  description: Seconds from sending C(reboot) until the console was logged in again.
  returned: when the card was reset
  type: float
reboot_required:
  description: A change still waits for a reboot (false after the reset).
  returned: always
  type: bool
device:
  description: Device information read after the reset (before it, in check mode).
  returned: always
  type: dict
'''

import time

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils import area_power as power
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.area_users import (
    PASSWORD_MAX, PASSWORD_MAX_AOS5, check_password,
)
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, SettingsError, describe_firmware, firmware_family,
)
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import cli_device, fail_apply


def main():
    module = ApcModule(
        argument_spec=dict(
            scope=dict(type='str', required=True, choices=list(power.RESET_SCOPES)),
            confirm=dict(type='bool', default=False),
            new_password=dict(type='str', no_log=True),
            timeout=dict(type='float'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    scope = params['scope']
    # checks that need no console: nothing has been touched when they fail
    if not params['confirm']:
        module.fail_json(msg='resetToDef -p %s erases the configuration of the management card, '
                             'users and passwords included; set confirm: true to reset. Nothing '
                             'was sent.' % scope)
    if params['new_password'] is not None and params['new_password'] in ('', power.FACTORY_PASSWORD):
        module.fail_json(msg='new_password must be set and differ from the factory password. '
                             'Nothing was sent.')
    if params['new_password'] is not None:
        # every input is checked before the first destructive step (resetToDef)
        try:
            check_password('new_password', params['new_password'], PASSWORD_MAX)
        except SettingsError as exc:
            module.fail_json(msg='%s. Nothing was sent.' % exc)
    if params['timeout'] is not None and params['timeout'] <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds, got %s' % params['timeout'])

    console, info = cli_device(module)
    if params['new_password'] is not None and firmware_family(info) == 'aos5' \
            and len(params['new_password']) > PASSWORD_MAX_AOS5:
        module.fail_json(msg='new_password is %d characters long; %s takes at most %d. Nothing '
                             'was sent.' % (len(params['new_password']), describe_firmware(info),
                                            PASSWORD_MAX_AOS5))
    if power.forces_first_login_change(info) and not params['new_password']:
        module.fail_json(msg='%s forces a password change at the first login with apc/apc after '
                             'the reset; set new_password to the password to give the Super User '
                             'then. Nothing was sent.' % describe_firmware(info))
    commands = ['resetToDef -p %s' % scope, 'reboot']
    result = {'commands': commands, 'scope': scope, 'changed': True}
    try:
        before = power.read_network(console)
    except ApplyError as exc:
        fail_apply(module, exc, changed=False)
    except ConsoleFailure as exc:
        console.fail(exc)
    result['network'] = {'before': before}
    if module.check_mode:
        device, pending = power.public_info(info)
        result.update(credentials_reset=True, network_kept=scope == 'keepip',
                      login_user=power.FACTORY_USER, reboot_required=pending, device=device)
        module.exit_json(**result)

    secrets = {'password': power.FACTORY_PASSWORD}
    if params['new_password']:
        secrets['new_password'] = params['new_password']
    applied = []
    after_info = None
    try:
        reset = console.run(commands[0], confirm=True)
        if reset.failed or (reset.raw or {}).get('cancelled'):
            raise ApplyError('the device refused %r (%s: %s); nothing was changed'
                             % (commands[0], reset.code or 'cancelled', reset.message), result=reset)
        applied.append(commands[0])
        started = time.monotonic()
        power.start_reboot(console)
        applied.append(commands[1])
        after_info = power.relogin(console, power.FACTORY_USER, secrets, params['timeout'])
        result['elapsed'] = round(time.monotonic() - started, 1)
        result['network']['after'] = power.read_network(console)
        result['users'] = power.read_users(console)
    except ApplyError as exc:
        fail_apply(module, exc, changed=bool(applied), applied_commands=applied)
    except ConsoleFailure as exc:
        console.fail(exc, changed=bool(applied), applied_commands=applied)
    device, pending = power.public_info(after_info)
    result.update(
        credentials_reset=True,
        password_changed_at_login=bool(device.get('password_changed_at_login')),
        login_user=power.FACTORY_USER,
        network_kept=power.network_kept(before, result['network']['after']),
        reboot_required=pending,
        device=device,
    )
    module.warn('the card was reset: the Super User is now %s with %s; update ansible_password '
                'for later runs' % (power.FACTORY_USER, 'the new_password given'
                                    if result['password_changed_at_login'] else 'the factory password'))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
