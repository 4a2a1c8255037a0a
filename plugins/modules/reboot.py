#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: reboot
short_description: Restart the management card of an APC device and wait until it is back
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Restarts the network management card (NMC2/NMC3, or the card built into an AP79xxB or
    AP89xx Rack PDU) with the C(reboot) command, answers its C(YES) question, waits until the
    console answers again and logs in, and returns the device information read after the
    restart.
  - Only the management card restarts. The load keeps its power; the outlets of a Rack PDU
    and the output of a UPS are not switched. To power-cycle an outlet use
    M(rackops.apc.outlet) with O(rackops.apc.outlet#module:state=rebooted).
  - Settings that answered C(E002) (network, boot mode, services, a C(resetToDef)) take
    effect now; the card stops printing the C(* Reboot required) reminder.
  - Use it as a handler notified by the configuration modules when they return
    C(reboot_required=true).
options:
  timeout:
    description:
      - Seconds to wait for the card to answer on the console again after the restart.
        Defaults to the connection's C(boot_timeout) (300 s). Cards take from about 30 seconds
        to 2 minutes.
      - Keep it below the connection's C(persistent_command_timeout).
    type: float
  only_if_required:
    description:
      - Restart only when this console session has seen a change that waits for a reboot
        (a command answered C(E002), or the card printed the C(* Reboot required) reminder).
        Otherwise the task reports no change and sends nothing.
      - The session notices an earlier play's pending change from the reminder the card
        prints after every command, including the ones read at login.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports a change (or, with O(only_if_required=true), whether a reboot is pending) and sends nothing.
  diff_mode:
    support: none
    description: Nothing is compared.
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - On menu consoles (Control Console, AOS 2.x/3.x) the card is restarted with System > Tools >
    Reboot Management Interface (answered C(YES)). O(only_if_required) is refused there, as the menu
    console does not show whether a change waits for a reboot.
seealso:
  - module: rackops.apc.network
  - module: rackops.apc.reset
  - module: rackops.apc.outlet
'''

EXAMPLES = r'''
# In a play: configuration tasks notify a handler that restarts the card once.
#   tasks:
#     - name: Static address
#       rackops.apc.network: {boot_mode: manual, ipv4_address: 192.0.2.20,
#                             subnet_mask: 255.255.255.0, gateway: 192.0.2.1}
#       notify: Reboot management card
#   handlers:
#     - name: Reboot management card
#       rackops.apc.reboot:
#         timeout: 180

- name: Reboot the management card and wait until it is back
  rackops.apc.reboot:
    timeout: 180

- name: Restart only if an earlier change still waits for it
  rackops.apc.reboot:
    only_if_required: true
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['reboot']
rebooted:
  description: The card was restarted (in check mode, would be).
  returned: always
  type: bool
elapsed:
  description: Seconds from sending C(reboot) until the console was logged in again.
  returned: when the card was restarted
  type: float
  sample: 74.2
reboot_required:
  description: A change still waits for a reboot (false after a restart).
  returned: always
  type: bool
device:
  description: Device information read after the restart (before it, when nothing was restarted).
  returned: always
  type: dict
  contains:
    model:
      description: Model number.
      type: str
    firmware:
      description: Firmware versions (C(aos), C(app), C(bootmon)).
      type: dict
    name:
      description: System name.
      type: str
    outlet_count:
      description: Number of outlets of a Rack PDU.
      type: int
  sample: {'model': 'AP8941', 'name': 'apc9943CD', 'firmware': {'aos': 'v6.8.0'}}
'''

import time

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils import menu_settings

from ansible_collections.rackops.apc.plugins.module_utils.area_power import public_info, reboot_and_wait
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError
from ansible_collections.rackops.apc.plugins.module_utils.menu_device import describe
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import cli_device, fail_apply


def menu_reboot(module, console, info, timeout):
    """Menu consoles: System > Tools > Reboot Management Interface, YES, wait, log in."""
    device, _pending = public_info(info)
    command = menu_settings.reboot_command()
    if module.params['only_if_required']:
        module.fail_json(msg='only_if_required is not available on %s: the menu console does not '
                             'show whether a change waits for a reboot. Nothing was changed.'
                             % describe(info))
    if module.check_mode:
        module.exit_json(changed=True, rebooted=True, commands=[command], reboot_required=False,
                         device=device)
    started = time.monotonic()
    try:
        menu_settings.start_reboot(console)
    except ApplyError as exc:
        fail_apply(module, exc, changed=False)
    except ConsoleFailure as exc:
        console.fail(exc)
    try:
        after = console.wait_for_reboot(timeout)
    except ConsoleFailure as exc:
        # the card did restart: a change was made
        console.fail(exc, changed=True)
    device, pending = public_info(after)
    module.exit_json(changed=True, rebooted=True, commands=[command],
                     elapsed=round(time.monotonic() - started, 1), reboot_required=pending,
                     device=device)


def main():
    module = ApcModule(
        argument_spec=dict(
            timeout=dict(type='float'),
            only_if_required=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    timeout = module.params['timeout']
    if timeout is not None and timeout <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds, got %s' % timeout)
    console, info = cli_device(module, menu=True)
    if info.get('dialect') == 'menu':
        menu_reboot(module, console, info, timeout)
    device, pending = public_info(info)
    if module.params['only_if_required'] and not pending:
        module.exit_json(changed=False, rebooted=False, commands=[], reboot_required=False,
                         device=device, msg='no change is waiting for a reboot')
    if module.check_mode:
        module.exit_json(changed=True, rebooted=True, commands=['reboot'],
                         reboot_required=pending, device=device)
    elapsed, after = None, None
    try:
        elapsed, after = reboot_and_wait(console, timeout)
    except ApplyError as exc:
        fail_apply(module, exc, changed=False)
    except ConsoleFailure as exc:
        # the card did restart (or may have): a change was made
        console.fail(exc, changed=True)
    device, pending = public_info(after)
    module.exit_json(changed=True, rebooted=True, commands=['reboot'], elapsed=elapsed,
                     reboot_required=pending, device=device)


if __name__ == '__main__':
    main()
