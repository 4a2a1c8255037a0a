#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: recover
short_description: Catch the reset-button login window of an APC card and set a new password
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Password recovery for AP79xx Rack PDUs, NMC1 and NMC2 cards whose password is lost. After
    the reset button is pressed, released, and pressed again while the status LED flashes, the
    card accepts the factory login C(apc)/C(apc) for about 30 seconds.
  - This module waits on the console for that window (trying the factory login once a second;
    the Super User is never locked out by failed logins), logs in within it, sets
    O(new_password) for the Super User at once and proves it with a fresh login.
  - It does not press the button; a person does (see the C(rackops.apc.pdu_factory_reset) role,
    which tells them what to do and when). It also waits for a card that is still starting
    (about 100 seconds after power-on) until it answers.
  - NMC3 cards (AP9640, AP9641, AP9643) have no such window (holding their reset button wipes
    the whole configuration); the module refuses them when O(model) names one.
  - The reset restores only the user name and password; the network settings are kept.
options:
  new_password:
    description: The new password of the Super User C(apc). Keep it in Ansible Vault.
    type: str
    required: true
  timeout:
    description:
      - Seconds to wait for the window (including the time the card needs to finish starting).
    type: float
    default: 120
  pressed_at:
    description:
      - When the second press of the reset button happened, in seconds since the epoch (for
        example the time recorded right after the person confirmed). Used to report how much of
        the window was left.
    type: float
  window_seconds:
    description: Length of the window after the second press.
    type: float
    default: 30
  model:
    description:
      - The model, when known (from the label). NMC3 cards are refused before the console is
        touched, and models without a reset window are named in the error.
    type: str
attributes:
  check_mode:
    support: none
    description: Recovery changes the password; in check mode the task is skipped.
  diff_mode:
    support: none
    description: Nothing to compare; the result says what was done.
  platform:
    support: full
    platforms: apc
    description: AP79xx Rack PDUs, NMC1 and NMC2 cards, through the C(rackops.apc.console) connection.
notes:
  - Use it as the first task on the host. The connection then logs in with the factory
    credentials inside the window instead of the lost configured password, and afterwards uses
    O(new_password); set C(ansible_password) to it for later runs.
seealso:
  - module: rackops.apc.user
'''

EXAMPLES = r'''
- name: Wait for the window and set a new password
  rackops.apc.recover:
    new_password: "{{ vault_apc_password }}"
    pressed_at: "{{ pressed_at }}"
    timeout: 60
'''

RETURN = r'''
attempts:
  description: Login attempts with the factory credentials (the last one succeeded).
  returned: success
  type: int
seconds_left:
  description: Seconds of the window that were left when the login succeeded (needs O(pressed_at)).
  returned: success
  type: float
device:
  description: Device information after the recovery (dialect, model, firmware...).
  returned: success
  type: dict
proven:
  description: A fresh login with the new password succeeded.
  returned: success
  type: bool
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.rackops.apc.plugins.module_utils import models
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError, check_text


def main():
    module = AnsibleModule(
        argument_spec=dict(
            new_password=dict(type='str', required=True, no_log=True),
            timeout=dict(type='float', default=120),
            pressed_at=dict(type='float'),
            window_seconds=dict(type='float', default=30),
            model=dict(type='str'),
        ),
        supports_check_mode=False,
    )
    params = module.params
    try:
        check_text('new_password', params['new_password'], max_length=64, allow_empty=False)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    if params['new_password'] == 'apc':
        module.fail_json(msg='new_password must not be the factory password apc')
    if params['timeout'] <= 0 or params['window_seconds'] <= 0:
        module.fail_json(msg='timeout and window_seconds must be positive')
    entry = models.lookup(params['model']) if params['model'] else None
    if params['model'] and entry is not None and not entry.get('reset_window'):
        module.fail_json(msg='%s (%s) has no reset-button login window: %s. Nothing was sent.' % (
            entry['model'], entry['description'],
            'holding the reset button of an NMC3 for 20-25 s wipes the whole configuration '
            '(network included); recover it through the documented factory reset instead'
            if entry['family'] == 'nmc3' else 'this procedure does not apply'))

    console = DeviceConsole(module)
    try:
        result = console.call('recover_login', secrets={'new_password': params['new_password']},
                              timeout=params['timeout'])
    except ConsoleFailure as exc:
        console.fail(exc)
    seconds_left = None
    if params['pressed_at'] is not None:
        seconds_left = round(params['window_seconds'] - (result['logged_in_at'] - params['pressed_at']), 1)
    device = dict((k, v) for k, v in result.items()
                  if k not in ('attempts', 'logged_in_at', 'proven', 'session'))
    module.exit_json(changed=True, attempts=result['attempts'], seconds_left=seconds_left,
                     proven=result['proven'], device=device)


if __name__ == '__main__':
    main()
