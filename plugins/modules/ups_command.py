#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ups_command
short_description: Run a test or control command on a Smart-UPS over its DB9 smart-protocol port
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sends one control command to a Smart-UPS, Back-UPS Pro, Smart-UPS SC or Matrix-UPS through
    its DB9 serial port speaking the UPS-Link C(smart) protocol, with the
    C(rackops.apc.console) connection and C(ansible_apc_dialect=smart).
  - Tests that keep the load powered - C(self_test), C(calibration), C(front_panel_test),
    C(simulate_power_failure) - and C(cancel) run when asked.
  - Commands that can cut power to the load - C(shutdown), C(shutdown_return), C(kill),
    C(load_off), C(turn_on) - are refused unless O(allow_load_change=true).
  - In check mode nothing is sent; the task is reported as skipped with a message.
  - A command the unit does not list in its protocol command set (the C(a) reply) is refused,
    naming the model.
options:
  command:
    description:
      - C(self_test) starts a battery self-test (C(W)); the result is read from C(X), see
        O(wait_for_result).
      - C(calibration) starts or stops a runtime calibration (C(D)); it discharges the battery
        and should only run with a steady load and a fully charged battery.
      - C(front_panel_test) lights the indicators and sounds the alarm (C(A)).
      - C(simulate_power_failure) makes the UPS go to battery briefly (C(U)).
      - C(cancel) cancels a pending C(shutdown), C(shutdown_return) or C(kill) (DEL).
      - C(shutdown) turns the load off after the shutdown delay and back on when utility power
        returns; on battery only (C(S)).
      - C(shutdown_return) turns the load off after the shutdown delay and back on after
        O(delay) x 6 minutes plus the wake-up delay (C(@nnn)).
      - C(kill) turns the load off after the grace period and keeps it off (C(K) twice, more
        than 1.5 s apart).
      - C(load_off) turns the load off at once (C(Z) twice).
      - C(turn_on) turns the load on (Ctrl-N twice; 3rd generation units).
    type: str
    required: true
    choices: [self_test, calibration, front_panel_test, simulate_power_failure, cancel,
              shutdown, shutdown_return, kill, load_off, turn_on]
  allow_load_change:
    description:
      - Must be C(true) for C(shutdown), C(shutdown_return), C(kill), C(load_off) and
        C(turn_on), which can cut or restore power to everything the UPS feeds.
    type: bool
    default: false
  delay:
    description:
      - For O(command=shutdown_return) (required there) - how long the load stays off, in units
        of 6 minutes (C(0) to C(999)), on top of the wake-up delay.
    type: int
  wait_for_result:
    description:
      - With O(command=self_test), wait until the UPS reports the test's result (C(X)) and
        return it in RV(self_test). Fails when O(timeout) passes first or the test fails.
    type: bool
    default: false
  timeout:
    description: Seconds to wait for the self-test result with O(wait_for_result=true).
    type: int
    default: 60
attributes:
  check_mode:
    support: full
    description: Nothing is sent in check mode; the task is skipped with a message.
  diff_mode:
    support: none
    description: A command has no before and after state to compare.
  platform:
    support: full
    platforms: apc
    description: APC UPS units with a DB9 port speaking the smart protocol, through the C(rackops.apc.console) connection.
seealso:
  - module: rackops.apc.ups_settings
  - module: rackops.apc.facts
'''

EXAMPLES = r'''
- name: Battery self-test, waiting for its result
  rackops.apc.ups_command:
    command: self_test
    wait_for_result: true
    timeout: 90
  register: test

- name: Show the result
  ansible.builtin.debug:
    msg: "{{ test.self_test.result }}"

- name: Turn the load off in 3 x 6 minutes' time after the shutdown delay (cuts power)
  rackops.apc.ups_command:
    command: shutdown_return
    delay: 3
    allow_load_change: true

- name: Cancel it again
  rackops.apc.ups_command:
    command: cancel
'''

RETURN = r'''
command:
  description: The command asked for.
  returned: always
  type: str
  sample: self_test
reply:
  description: The UPS's reply (C(OK), C(*), C(NO), or empty for commands with no reply).
  returned: when the command was sent
  type: str
  sample: OK
events:
  description: Alert characters the UPS sent meanwhile (C(!) on battery, C($) back on line...).
  returned: always
  type: list
  elements: str
  sample: ['!', '$']
self_test:
  description: The self-test result read from C(X) (with O(wait_for_result=true)).
  returned: when O(command=self_test) and O(wait_for_result=true)
  type: dict
  sample: {code: OK, result: passed, description: passed}
status:
  description: The decoded status (C(Q)) after the command.
  returned: when a command that keeps the load powered was sent
  type: dict
'''

import time

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.smart import decode_self_test, decode_status

# command -> (character the unit lists in its 'a' reply, affects the load)
COMMANDS = {
    'self_test': ('W', False),
    'calibration': ('D', False),
    'front_panel_test': ('A', False),
    'simulate_power_failure': ('U', False),
    'cancel': ('\x7f', False),
    'shutdown': ('S', True),
    'shutdown_return': ('@', True),
    'kill': ('K', True),
    'load_off': ('Z', True),
    'turn_on': ('\x0e', True),
}
TEST_DONE = ('OK', 'BT', 'NG')
# A self-test result (X) only appears when the test ends, and the UPS announces nothing:
# read X and Q again once a second (bounded by the task's timeout).
POLL_INTERVAL = 1.0


def wait_self_test(module, console, timeout, events):
    """Poll X (and Q) until a result shows and the UPS is back on line."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        time.sleep(POLL_INTERVAL)
        read = console.call('smart_query', ['X', 'Q'])
        events.extend(read.get('events') or [])
        values = read.get('values') or {}
        last = values.get('X')
        status = decode_status(values.get('Q')) or {}
        on_battery = bool((status.get('flags') or {}).get('on_battery'))
        if last is not None and last.strip() in TEST_DONE and not on_battery:
            return decode_self_test(last), status
        if time.monotonic() >= deadline:
            module.fail_json(msg='the self-test result did not show within %d s (X answers %r)'
                                 % (timeout, last), changed=True, command='self_test',
                             events=events, self_test=decode_self_test(last))


def main():
    module = ApcModule(
        argument_spec=dict(
            command=dict(type='str', required=True, choices=list(COMMANDS)),
            allow_load_change=dict(type='bool', default=False),
            delay=dict(type='int'),
            wait_for_result=dict(type='bool', default=False),
            timeout=dict(type='int', default=60),
        ),
        required_if=[('command', 'shutdown_return', ('delay',))],
        supports_check_mode=True,
    )
    name = module.params['command']
    char, affects_load = COMMANDS[name]
    delay = module.params['delay']
    if delay is not None and name != 'shutdown_return':
        module.fail_json(msg='delay applies only to command=shutdown_return')
    if delay is not None and not 0 <= delay <= 999:
        module.fail_json(msg='delay is in units of 6 minutes and must be between 0 and 999, got %d' % delay)
    if module.params['wait_for_result'] and name != 'self_test':
        module.fail_json(msg='wait_for_result applies only to command=self_test')
    if module.params['timeout'] <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds')
    if affects_load and not module.params['allow_load_change']:
        module.fail_json(msg='%s can cut or restore power to the load of the UPS; set '
                             'allow_load_change: true to send it' % name, command=name)

    console = DeviceConsole(module)
    try:
        info = console.device_info()
    except ConsoleFailure as exc:
        console.fail(exc)
    if info.get('dialect') != 'smart':
        module.fail_json(msg='%s speaks the %s console dialect; ups_command needs a UPS DB9 port '
                             'with the smart protocol (set ansible_apc_dialect: smart)'
                             % (info.get('model') or 'the device', info.get('dialect')))
    model = info.get('model') or (info.get('firmware') or {}).get('ups') or 'this UPS'
    listed = (info.get('protocol') or {}).get('commands')
    if listed and char not in listed:
        module.fail_json(msg='%s does not list %s (%r) among its protocol commands; it cannot %s'
                             % (model, name, char, name.replace('_', ' ')), command=name)

    if module.check_mode:
        module.exit_json(changed=False, skipped=True, command=name, events=[],
                         msg='check mode: %s was not sent to %s' % (name, model))

    events = []
    kwargs = {}
    if name == 'shutdown_return':
        kwargs['args'] = {'delay': '%03d' % delay}
    result = {'changed': True, 'command': name, 'events': events}
    try:
        sent = console.call('smart_control', name, **kwargs)
        reply = sent.get('reply')
        result['reply'] = reply
        events.extend(sent.get('events') or [])
        if reply is not None and reply.strip() in ('NA', 'NO'):
            module.fail_json(msg='%s refused %s: it answered %s' % (model, name, reply.strip()), **result)
        if name == 'self_test' and module.params['wait_for_result']:
            outcome, status = wait_self_test(module, console, module.params['timeout'], events)
            result['self_test'] = outcome
            result['status'] = status
            if outcome['result'] != 'passed':
                module.fail_json(msg='self-test %s (X answers %s)' % (outcome['description'], outcome['code']),
                                 **result)
        elif not affects_load:
            # after a load command the UPS may be going to sleep: do not ask it anything more
            read = console.call('smart_query', ['Q'])
            events.extend(read.get('events') or [])
            result['status'] = decode_status((read.get('values') or {}).get('Q'))
    except ConsoleFailure as exc:
        console.fail(exc, **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
