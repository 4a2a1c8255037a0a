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
  - The recovery has two stages, one task each. With O(stage=ready) the module only waits
    until the console answers (a unit that was just powered on needs about 100 seconds), sending
    CR now and then, and logs nothing in; run it before asking anybody to press the button.
  - With O(stage=window) (the default) it waits on the console for the window (trying the
    factory login once a second; the Super User is never locked out by failed logins), logs in
    within it, sets O(new_password) for the Super User at once and proves it with a fresh login.
  - It does not press the button; a person does (see the C(rackops.apc.pdu_factory_reset) role,
    which tells them what to do and when). With O(pressed_at) the task prints how many seconds
    of the window are left while it watches the console (every 5 seconds, every second in the
    last 5).
  - NMC3 cards (AP9640, AP9641, AP9643) have no such window (holding their reset button wipes
    the whole configuration); the module refuses them when O(model) names one. Their login
    prompt looks like that of an NMC2, so without O(model) an NMC3 is only noticed by the
    window never opening.
  - The reset restores only the user name and password; the network settings are kept.
options:
  stage:
    description:
      - V(ready) waits until the console answers, without logging in, and returns what it showed
        and how long that took. Nothing is changed.
      - V(window) catches the login window and sets the new password.
    type: str
    choices: [ready, window]
    default: window
  new_password:
    description:
      - The new password of the Super User C(apc). Keep it in Ansible Vault.
      - Required with O(stage=window). With O(stage=ready) it is optional and only checked, so a
        bad password fails before anybody is asked to press the button.
      - At most 64 characters (AOS 5.x 32, menu consoles 10), printable ASCII, no double quotes,
        not C(apc). The limit of the firmware is checked after the login inside the window and
        before anything is changed; with O(model) naming a menu-console unit, before the console
        is touched.
    type: str
  timeout:
    description:
      - With O(stage=ready), seconds to wait for the console to answer (a unit needs about 100
        seconds after power-on).
      - With O(stage=window), seconds to wait for the window (including the time the card needs
        to finish starting, when the O(stage=ready) task was not run).
    type: float
    default: 120
  pressed_at:
    description:
      - When the second press of the reset button happened, in seconds since the epoch (for
        example the time recorded right after the person confirmed). Used to report how much of
        the window was left, and to print a countdown while the console is watched.
      - Only with O(stage=window).
    type: float
  window_seconds:
    description: Length of the window after the second press.
    type: float
    default: 30
  model:
    description:
      - The model, when known (from the label). NMC3 cards are refused before the console is
        touched, and models without a reset window are named in the error.
      - A combined name such as C(SUA1500-AP9631) (a UPS and its card) is looked up by its
        parts from the right, so the card decides.
    type: str
attributes:
  action:
    support: full
    description: An action plugin of the same name prints the window countdown on the controller.
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
  - When the console does not answer at all, the error says whether anything came back
    (bytes but no prompt points to the line speed) and what to check (power, start-up, cable,
    port).
seealso:
  - module: rackops.apc.user
'''

EXAMPLES = r'''
- name: Wait until the unit answers on its console (it may still be starting)
  rackops.apc.recover:
    stage: ready
    timeout: 150
  register: console_answer

- name: Wait for the window and set a new password
  rackops.apc.recover:
    new_password: "{{ vault_apc_password }}"
    pressed_at: "{{ pressed_at }}"
    timeout: 60
'''

RETURN = r'''
answer:
  description:
    - What the console showed when it answered (O(stage=ready)) - V(login) for the User Name
      prompt, V(cli) or V(menu) when a session was still logged in.
  returned: success and O(stage=ready)
  type: str
  sample: login
waited:
  description: Seconds until the console answered (O(stage=ready)).
  returned: success and O(stage=ready)
  type: float
  sample: 41.5
crs_sent:
  description: CR sent to wake the console (O(stage=ready)).
  returned: success and O(stage=ready)
  type: int
attempts:
  description: Login attempts with the factory credentials (the last one succeeded).
  returned: success and O(stage=window)
  type: int
seconds_left:
  description: Seconds of the window that were left when the login succeeded (needs O(pressed_at)).
  returned: success and O(stage=window)
  type: float
device:
  description: Device information after the recovery (dialect, model, firmware...).
  returned: success and O(stage=window)
  type: dict
proven:
  description: A fresh login with the new password succeeded.
  returned: success and O(stage=window)
  type: bool
proof_waited:
  description:
    - Seconds the fresh login waited for the console's login lockout to end. Menu consoles on
      AOS 3.x refuse every login for 2 minutes after 3 failed ones, and the attempts before the
      window count; the login is tried again every 10 seconds until the lock must have ended.
  returned: success and O(stage=window)
  type: float
error_kind:
  description:
    - On failure, what went wrong - V(window) (no window in time), V(no_answer) (the console
      did not answer), V(input) (bad input or a password the firmware does not take), or the
      kind of console error.
  returned: failure
  type: str
'''

import re

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils import models
from ansible_collections.rackops.apc.plugins.module_utils.area_users import PASSWORD_MAX, check_password
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError


# Longest password of the Super User on menu consoles (AP79xx without B, NMC1).
MENU_PASSWORD_MAX = models.PASSWORD_MAX['menu']


def lookup_model(model):
    """The model table's entry for ``model``; a combined name such as ``SUA1500-AP9631`` (a UPS
    with its card) is looked up by its parts from the right, so the card decides."""
    entry = models.lookup(model)
    if entry is None:
        for part in reversed(re.split(r'[-/\s]+', model.strip())):
            entry = models.lookup(part) if part else None
            if entry is not None:
                break
    return entry


def why_no_window(entry):
    if entry['family'] == 'nmc3':
        return ('holding the reset button of an NMC3 for 20-25 s wipes the whole configuration '
                '(network included); recover it through the documented factory reset instead')
    if entry.get('kind') == 'ups':
        return ('a UPS itself has no login; give the model of its network management card '
                '(AP9617, AP9630, AP9631...) if it has one')
    return 'this procedure does not apply'


def check_input(module):
    """Everything that can be refused before the console is touched (messages never
    contain the password)."""
    params = module.params
    if params['stage'] == 'window' and params['new_password'] is None:
        module.fail_json(msg='new_password is required with stage=window', error_kind='input')
    if params['new_password'] is not None:
        try:
            check_password('new_password', params['new_password'], PASSWORD_MAX)
        except SettingsError as exc:
            module.fail_json(msg=str(exc), error_kind='input')
        if params['new_password'] == models.FACTORY['password']:
            module.fail_json(msg='new_password must not be the factory password', error_kind='input')
    if params['timeout'] <= 0 or params['window_seconds'] <= 0:
        module.fail_json(msg='timeout and window_seconds must be positive', error_kind='input')
    if params['pressed_at'] is not None and params['stage'] != 'window':
        module.fail_json(msg='pressed_at only applies to stage=window', error_kind='input')
    entry = lookup_model(params['model']) if params['model'] else None
    if entry is not None and not entry.get('reset_window'):
        module.fail_json(msg='%s (%s) has no reset-button login window: %s. Nothing was sent.' % (
            entry['model'], entry['description'], why_no_window(entry)), error_kind='input')
    if entry is not None and entry.get('dialects') == ('menu',) and params['new_password'] is not None \
            and len(params['new_password']) > MENU_PASSWORD_MAX:
        module.fail_json(msg='new_password is %d characters long; %s (menu console) takes at most %d. '
                             'Nothing was sent.' % (len(params['new_password']), entry['model'],
                                                    MENU_PASSWORD_MAX), error_kind='input')


def main():
    module = ApcModule(
        argument_spec=dict(
            stage=dict(type='str', choices=['ready', 'window'], default='window'),
            new_password=dict(type='str', no_log=True),
            timeout=dict(type='float', default=120),
            pressed_at=dict(type='float'),
            window_seconds=dict(type='float', default=30),
            model=dict(type='str'),
        ),
        supports_check_mode=False,
    )
    params = module.params
    check_input(module)

    console = DeviceConsole(module)
    if params['stage'] == 'ready':
        try:
            answer = console.call('wait_for_answer', timeout=params['timeout'])
        except ConsoleFailure as exc:
            console.fail(exc)
        module.exit_json(changed=False, answer=answer['screen'], waited=round(answer['waited'], 1),
                         crs_sent=answer['crs_sent'])

    try:
        result = console.call('recover_login', secrets={'new_password': params['new_password']},
                              timeout=params['timeout'])
    except ConsoleFailure as exc:
        if exc.kind == 'login':
            # the proof login after the change: the generic login advice does not fit
            module.fail_json(msg=str(exc), error_kind='login')
        console.fail(exc)
    seconds_left = None
    if params['pressed_at'] is not None:
        seconds_left = round(params['window_seconds'] - (result['logged_in_at'] - params['pressed_at']), 1)
    device = dict((k, v) for k, v in result.items()
                  if k not in ('attempts', 'logged_in_at', 'proven', 'proof_waited', 'session'))
    module.exit_json(changed=True, attempts=result['attempts'], seconds_left=seconds_left,
                     proven=result['proven'], proof_waited=round(result.get('proof_waited') or 0, 1),
                     device=device)


if __name__ == '__main__':
    main()
