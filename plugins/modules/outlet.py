#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: outlet
short_description: Switch, reboot, name and time the outlets of an APC switched Rack PDU
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Manages the outlets of an AP79xxB or AP89xx switched Rack PDU through its serial console
    (C(rackops.apc.console) connection) with the C(olStatus), C(olName), C(olOnDelay),
    C(olOffDelay), C(olRbootTime), C(olOn), C(olOff) and C(olReboot) commands.
  - Reads the selected outlets first and sends commands only for the outlets that differ,
    several outlets in one command (C(olOff 3,5-7)). Options left out are not touched.
  - O(state=off) and O(state=rebooted) cut the power of whatever is plugged into the outlets.
    They are refused, before anything is sent, unless O(allow_power_off=true).
  - The outlet numbers are checked against the model's outlet count once logged in, before the
    first command is sent. Devices without switched outlets (UPS cards) are refused.
options:
  outlets:
    description:
      - The outlets to manage. An outlet number, a list of numbers, a string list such as
        C(3,5-7), or C(all) for every outlet of the PDU.
      - Numbers start at 1 and must exist on the model (an AP7920B has 8, an AP8941 24).
    type: raw
    required: true
  name:
    description:
      - Outlet name, 1 to 23 printable characters, no double quotes. Only with a single outlet in
        O(outlets).
      - Names that read as an outlet number or list (C(12), C(3-5)) or C(all) are refused
        because the card accepts a name wherever an outlet number goes.
    type: str
  on_delay:
    description:
      - Seconds the outlet waits before it turns on after a delayed on command or a power-up of
        the PDU (0 to 7200). C(-1) means never (the card reads C(never)).
    type: int
  off_delay:
    description:
      - Seconds the outlet waits before it turns off after a delayed off command (0 to 7200).
        C(-1) means never.
    type: int
  reboot_duration:
    description:
      - Seconds an outlet stays off during an outlet reboot (5 to 60).
    type: int
  state:
    description:
      - C(on) and C(off) switch the outlets at once (C(olOn), C(olOff)); outlets already in that
        state get no command. An outlet showing a pending command (a C(*) after its state in
        C(olStatus), meaning a delayed command or an outlet reboot under way) always gets the
        command, which supersedes the pending one, so the outlet ends in the state asked for.
      - C(rebooted) turns the outlets off and back on after their reboot duration
        (C(olReboot)). It is an action and always reports a change. The task returns when the
        card has accepted the command; the outlets show a pending command until they are back
        on. An outlet that was off comes on at the end of the reboot.
      - Names and delays given in the same task are set before the power command, so a new
        O(reboot_duration) already applies to the reboot.
      - Left out, the power state is not touched.
      - Quote C('on') and C('off') in YAML, where bare C(on) and C(off) are booleans.
    type: str
    choices: ['on', 'off', rebooted]
  allow_power_off:
    description:
      - Required to be C(true) for O(state=off) and O(state=rebooted), which cut the power of
        the equipment on the outlets. Without it such tasks fail before anything is sent.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description:
      - Reads the outlets and reports in RV(commands) what would be sent; sends nothing.
      - For O(state=rebooted) it reports a change and sends nothing.
  diff_mode:
    support: full
    description: Per outlet, the before and after values of the options given.
  platform:
    support: full
    platforms: apc
    description: APC switched Rack PDUs (AP79xxB, AP89xx) with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - On menu consoles (AP79xx Rack PDUs without the B suffix, AOS 2.x/3.x) the same options
    work through Outlet Control/Configuration (Configure Outlet, Control Outlet with its YES
    confirmation). These consoles show no pending commands. RV(commands) then lists the menu
    steps.
  - Right after the management card restarts, a PDU answers its outlet commands with C(E101)
    for a while; the module waits up to 30 seconds for them before it gives up.
  - Rebooting the management card (M(rackops.apc.reboot)) does not switch the outlets.
seealso:
  - module: rackops.apc.facts
  - module: rackops.apc.reboot
'''

EXAMPLES = r'''
- name: Name outlet 3 and give it a 10 s on-delay
  rackops.apc.outlet:
    outlets: 3
    name: web-01 psu A
    on_delay: 10

- name: Stagger nothing - outlets 5 to 8 come on at once after a power failure
  rackops.apc.outlet:
    outlets: 5-8
    on_delay: 0

- name: Make sure outlets 1, 2 and 4 are on
  rackops.apc.outlet:
    outlets: [1, 2, 4]
    state: 'on'

- name: Cut the power of the spare outlets (explicit opt-in)
  rackops.apc.outlet:
    outlets: 9-24
    state: 'off'
    allow_power_off: true

- name: Power-cycle a hung server for 15 seconds
  rackops.apc.outlet:
    outlets: 7
    reboot_duration: 15
    state: rebooted
    allow_power_off: true
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['olName 3 "web-01 psu A"', 'olOnDelay 3,5-7 10', 'olOff 3,5']
outlets:
  description:
    - The selected outlets as read after the change (in check mode and without change, as
      read before), with the values the task looked at.
    - After O(state=rebooted) the outlets typically read C(off) with C(pending=true).
  returned: always
  type: list
  elements: dict
  contains:
    number:
      description: Outlet number.
      type: int
    state:
      description: C(on) or C(off) (when O(state) was given).
      type: str
    pending:
      description: The outlet shows a pending command (when O(state) was given).
      type: bool
    name:
      description: Outlet name (when O(name) was given).
      type: str
    on_delay:
      description: On delay in seconds, -1 for never (when O(on_delay) was given).
      type: int
    off_delay:
      description: Off delay in seconds, -1 for never (when O(off_delay) was given).
      type: int
    reboot_duration:
      description: Reboot duration in seconds (when O(reboot_duration) was given).
      type: int
  sample: [{'number': 3, 'state': 'off', 'pending': false}]
reboot_required:
  description: A change needs a reboot of the management card (outlet settings never do).
  returned: always
  type: bool
diff:
  description: Per outlet (keyed by number), before and after values (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils import menu_device
from ansible_collections.rackops.apc.plugins.module_utils.area_outlets import ensure_outlets, validate
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError, SettingsError
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import cli_device, fail_apply, finish


def main():
    module = ApcModule(
        argument_spec=dict(
            outlets=dict(type='raw', required=True),
            name=dict(type='str'),
            on_delay=dict(type='int'),
            off_delay=dict(type='int'),
            reboot_duration=dict(type='int'),
            state=dict(type='str', choices=['on', 'off', 'rebooted']),
            allow_power_off=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    try:
        wanted = validate(module.params)        # nothing touched yet
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    console, info = cli_device(module, menu=True)
    result = None
    try:
        if info.get('dialect') == 'menu':
            result = menu_device.ensure_outlets(console, wanted, info, check_mode=module.check_mode)
        else:
            result = ensure_outlets(console, wanted, info, check_mode=module.check_mode)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    except (ApplyError, CliCommandError) as exc:
        fail_apply(module, exc, changed=isinstance(exc, ApplyError) and bool(exc.applied))
    except ConsoleFailure as exc:
        console.fail(exc)
    finish(module, result)


if __name__ == '__main__':
    main()
