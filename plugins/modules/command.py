#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: command
short_description: Run raw commands on an APC command-line console
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sends commands to the C(apc>) command line of an NMC2/NMC3 card, AP79xxB or AP89xx Rack PDU
    through the M(rackops.apc.facts)-style persistent connection C(rackops.apc.console), and
    returns each command's result code (C(E000)...), message and output.
  - Fails when a command answers with an error code (C(E1xx), C(E2xx)), with the device's
    message and output; later commands are not sent.
  - Confirmation questions (C(Enter 'YES' to continue or <ENTER> to cancel)) are answered with
    YES only when O(confirm=true); otherwise they are cancelled and the task fails.
  - Use the configuration modules of this collection for settings; they are idempotent and
    support check mode. This module is for what they do not cover.
options:
  commands:
    description:
      - Commands to run in order, as typed at the C(apc>) prompt, for example C(olStatus all)
        or C(system -l "Rack A3").
      - Each command is one line of printable ASCII. A CR, a line feed or any other control
        character (backspace, DEL, Ctrl-C, ESC, Ctrl-Z) would make the console run something
        else than the text given, so the task fails before the console is touched, naming
        the character. The same holds for the values in O(secrets), which also must not
        start with C(-) or hold a double quote (they are command-line arguments).
    type: list
    elements: str
    required: true
  secrets:
    description:
      - Secret values for C(<<name>>) placeholders in O(commands), for example the command
        C(user -n bob -pw <<bob_pw>>) with a C(bob_pw) key in O(secrets) taken from a vault
        variable (see the examples).
      - The values are filled in by the connection process, so they never appear in the
        task's results, its output at any verbosity, or the persistent connection log. A
        password typed straight into O(commands) is not protected that way.
    type: dict
  confirm:
    description:
      - Answer YES to a confirmation question a command asks (C(reboot), C(resetToDef)).
      - When a command reboots the card, the session logs in again at the next task once the
        card is back (within the connection's C(boot_timeout)).
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for each command's prompt. Defaults to the connection's
        C(command_timeout).
    type: float
  changed_when_read_only:
    description:
      - Report C(changed=true) even when every command is a known read-only one (a command name
        from the read-only list, without options). By default such runs report no change.
    type: bool
    default: false
attributes:
  check_mode:
    support: none
    description: A raw command may change anything, so in check mode the task is skipped.
  diff_mode:
    support: none
    description: Nothing is compared; see RV(results) for what was sent.
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - Check mode is not supported; Ansible skips this module in check mode.
  - Commands that only read (for example C(about), C(olStatus all), C(tcpip)) report no change.
    Any other command reports a change.
seealso:
  - module: rackops.apc.facts
'''

EXAMPLES = r'''
- name: Show outlet states
  rackops.apc.command:
    commands:
      - olStatus all
  register: outlets

- name: Set a password without it showing up anywhere
  rackops.apc.command:
    commands:
      - user -n bob -pw <<bob_pw>>
    secrets:
      bob_pw: "{{ vault_bob_password }}"

- name: Reboot the management card (not the load)
  rackops.apc.command:
    commands:
      - reboot
    confirm: true
'''

RETURN = r'''
results:
  description: One entry per command sent.
  returned: always
  type: list
  elements: dict
  contains:
    command:
      description: The command as sent (secrets masked).
      type: str
    code:
      description: Result code such as C(E000), or null when the command printed none.
      type: str
    message:
      description: The text after the code (C(Success), C(Command Not Found)...).
      type: str
    output:
      description: Everything else the command printed, without the echo and the code line.
      type: str
    reboot_required:
      description: The command answered C(E002) (the change takes effect after a reboot).
      type: bool
    rebooting:
      description: The management card started rebooting.
      type: bool
stdout:
  description: The output of each command.
  returned: always
  type: list
  elements: str
stdout_lines:
  description: The output of each command, split into lines.
  returned: always
  type: list
  elements: list
reboot_required:
  description: A command's change needs a reboot of the management card to take effect.
  returned: always
  type: bool
'''

from ansible_collections.rackops.apc.plugins.module_utils import wire
from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.redact import PLACEHOLDER_RE

# Commands that only read when given no options.
READ_ONLY = frozenset(c.lower() for c in (
    '?', 'help', 'about', 'alarmcount', 'boot', 'console', 'date', 'detstatus', 'dir', 'dns',
    'eventlog', 'ftp', 'lastrst', 'netstat', 'ntp', 'olstatus', 'olname', 'olondelay',
    'oloffdelay', 'olrboottime', 'phreading', 'portspeed', 'prodinfo', 'session', 'snmp',
    'snmpv3', 'system', 'tcpip', 'tcpip6', 'upsabout', 'user', 'userdflt', 'web', 'whoami',
    'cfgshutdn', 'cfgpower', 'bkreading', 'devstartdly', 'userlist', 'ups', 'radius', 'smtp',
    'email', 'snmptrap', 'cipher', 'firewall', 'bacnet', 'modbus', 'eapol', 'pwd', 'lang'))
# Read-only with these arguments (first token after the command).
READ_ONLY_ARGS = {
    'olstatus': None, 'olname': 1, 'olondelay': 1, 'oloffdelay': 1, 'olrboottime': 1,
    'phreading': None, 'detstatus': None, 'ups': ('-st',), 'user': ('-l',), 'cfgshutdn': ('-all',),
    'cfgpower': ('-all',), 'bkreading': None,
}


def is_read_only(command):
    """Whether ``command`` only reads, judged on the words the card will see: the same
    splitting as the card's (double quotes only), on the exact text that is sent (control
    characters never get this far: they are refused before the console is touched)."""
    try:
        words = wire.command_words(wire.check('command', command))
    except wire.UnsafeInput:
        return False
    if not words:
        return True
    name = words[0].lower()
    if name not in READ_ONLY:
        return False
    args = words[1:]
    if not args:
        return True
    rule = READ_ONLY_ARGS.get(name, ())
    if rule is None:
        return True                 # arguments only select what to show
    if rule == 1:
        return len(args) == 1       # 'olName all' reads, 'olName 3 "x"' writes
    return all(arg in rule for arg in args)


def main():
    module = ApcModule(
        argument_spec=dict(
            commands=dict(type='list', elements='str', required=True),
            confirm=dict(type='bool', default=False),
            secrets=dict(type='dict', no_log=True),
            timeout=dict(type='float'),
            changed_when_read_only=dict(type='bool', default=False),
        ),
        supports_check_mode=False,
    )
    commands = list(module.params['commands'])
    bad = [c for c in commands if not isinstance(c, str) or not c.strip() or '\n' in c or '\r' in c]
    if bad or not commands:
        module.fail_json(msg='commands must be a non-empty list of single-line commands; '
                             'got %r' % (bad or commands))
    secrets = {}
    for key, value in (module.params['secrets'] or {}).items():
        try:
            # a command-line argument: no control character, no leading "-", no double quote
            secrets[str(key)] = wire.check_argument('secrets.%s' % key, value, secret=True)
        except wire.UnsafeInput as exc:
            module.fail_json(msg=str(exc))
    for command in commands:
        missing = [name for name in PLACEHOLDER_RE.findall(command) if name not in secrets]
        if missing:
            module.fail_json(msg='%r uses the placeholder(s) %s with no value in secrets'
                                 % (command, ', '.join('<<%s>>' % m for m in missing)))
    timeout = module.params['timeout']
    if timeout is not None and timeout <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds, got %s' % timeout)

    console = DeviceConsole(module)
    results = []
    changed = False
    for command in commands:
        try:
            used = dict((k, v) for k, v in secrets.items() if '<<%s>>' % k in command)
            result = console.run(command, confirm=module.params['confirm'], timeout=timeout,
                                 secrets=used)
        except ConsoleFailure as exc:
            console.fail(exc, results=results, changed=changed, failed_command=command)
        entry = {
            'command': result.raw.get('command', command),
            'code': result.code,
            'message': result.message,
            'output': result.output,
            'reboot_required': result.reboot_required,
            'rebooting': bool(result.raw.get('rebooting')),
        }
        results.append(entry)
        if module.params['changed_when_read_only'] or not is_read_only(command):
            changed = True
        if result.raw.get('cancelled'):
            module.fail_json(msg='%r asked for a confirmation and it was cancelled; set '
                                 'confirm: true to answer YES' % command,
                             results=results, changed=changed, failed_command=command)
        if result.failed:
            module.fail_json(msg='%r failed on the device: %s: %s%s' % (
                command, result.code, result.message,
                ('\n' + result.output) if result.output else ''),
                results=results, changed=changed, failed_command=command)
    module.exit_json(
        changed=changed,
        results=results,
        stdout=[r['output'] for r in results],
        stdout_lines=[r['output'].splitlines() for r in results],
        reboot_required=any(r['reboot_required'] for r in results),
    )


if __name__ == '__main__':
    main()
