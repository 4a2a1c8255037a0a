#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: config_ini
short_description: Upload a config.ini to an APC management card over the serial console (XMODEM)
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sends a C(config.ini) to the management card with the command line's C(xferINI) command
    and XMODEM, the way the serial console takes a configuration file when the network side
    of the card is dead or unconfigured.
  - Reads the values the file sets first (identity and network, the same reads as
    M(rackops.apc.identity) and M(rackops.apc.network)). When every key of the file already
    has its value, nothing is sent and the task reports no change.
  - Otherwise runs C(xferINI), chooses the transfer speed in the card's menu, switches the
    line to it, sends the file (CRC or checksum as the card asks; repeated blocks on NAK),
    switches the line back to the card's own speed, waits until the card has applied the
    file and logs in again (the card restarts its command line after system or network
    changes), reads C(xferStatus) and reads the values again to prove they took.
  - Progress (bytes, percent, time left at the line speed, every 10 percent) is returned in
    RV(transfer) (its C(progress) list) with the transfer time and its wire floor. It is not
    shown while the transfer runs (the whole transfer is one call into the connection).
options:
  src:
    description:
      - Absolute path of the C(config.ini) on the controller (modules of this collection run
        there). Use C("{{ playbook_dir }}/files/config.ini") for a file beside the playbook.
      - Exactly one of O(src) and O(content) is required.
    type: path
  content:
    description:
      - The file's text, for example from C(lookup('ansible.builtin.template', 'config.ini.j2')).
      - Exactly one of O(src) and O(content) is required.
    type: str
  baud_rate:
    description:
      - Line speed of the transfer, one the card's C(xferINI) menu offers. The line goes back
        to the connection's speed (C(ansible_serial_baud_rate)) as soon as the file is
        through, as the card does.
      - Defaults to the connection's line speed.
      - A faster transfer needs a console cable and console server that keep up with it. On
        local and RFC 2217 ports the collection switches the speed itself; a raw TCP port
        (C(socket://)) cannot switch the console server's side, so another speed is refused
        there before anything is sent.
    type: int
    choices: [2400, 9600, 19200, 38400]
  block_size:
    description:
      - XMODEM block size. C(1024) (XMODEM-1K) is used only when the card asks for CRC;
        a card that asks for the checksum variant gets 128-byte blocks.
    type: int
    choices: [128, 1024]
    default: 128
  allow_unknown:
    description:
      - Send keys the collection cannot read back (any other section or key of a full
        config.ini). Their effect cannot be proven, so the task then always sends the file
        and reports a change.
      - When false, such keys are refused before the console is touched, naming the line.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Validates the file, reads the current values and reports whether the file would be sent; sends nothing.
  diff_mode:
    support: full
    description: Before and after values of the keys the file sets (secrets masked).
  platform:
    support: full
    platforms: apc
    description: APC management cards with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - Known keys (their values are read back through the console) are C([SystemID]) C(Name),
    C(Contact), C(Location), C(Message), C(HostNameSync) (C(enabled)/C(disabled)) and
    C([NetworkTCP/IP]) C(IPv4), C(BootMode) (C(Manual), C(DHCP), C(BOOTP)), C(SystemIP),
    C(SubnetMask), C(DefaultGateway), C(HostName), C(DomainName). Section and key names are
    compared without regard to case.
  - Values of keys whose names look secret (password, passphrase, community, key) are never
    shown in results or diffs. The file itself only travels on the wire.
  - C(xferINI) needs a Super User or Administrator account and works on the serial console
    only. Menu consoles (AP79xx without the B suffix, NMC1) and UPS DB9 ports are refused.
  - Requires the Python package C(xmodem) on the controller (see the collection's
    requirements.txt).
  - The whole transfer runs in one call to the connection, so keep
    C(persistent_command_timeout) (C(ansible_command_timeout), 600 s by default) above the
    transfer time. At 9600 baud a 45 kB file takes about 55 seconds.
requirements:
  - xmodem >= 0.5.0
seealso:
  - module: rackops.apc.identity
  - module: rackops.apc.network
  - module: rackops.apc.facts
'''

EXAMPLES = r'''
- name: Give a new card its identity and address from a template
  rackops.apc.config_ini:
    content: "{{ lookup('ansible.builtin.template', 'config.ini.j2') }}"

- name: Upload a file at 38400 baud (the line comes back to 9600 afterwards)
  rackops.apc.config_ini:
    src: "{{ playbook_dir }}/files/pdu-a01.ini"
    baud_rate: 38400
    block_size: 1024

- name: A full config.ini exported from another card (keys the collection cannot read back)
  rackops.apc.config_ini:
    src: /srv/apc/golden-config.ini
    allow_unknown: true
'''

RETURN = r'''
commands:
  description: What was sent (C(xferINI)), or would be sent in check mode; empty when the file is already in effect.
  returned: always
  type: list
  elements: str
  sample: ['xferINI']
keys:
  description: The keys the file sets and their values (secrets masked).
  returned: always
  type: dict
  sample: {'SystemID.Name': 'pdu-a01', 'NetworkTCP/IP.SystemIP': '192.0.2.20'}
differing:
  description: The keys whose value is not in effect on the card (before the upload).
  returned: always
  type: list
  elements: str
  sample: ['NetworkTCP/IP.SystemIP']
unknown_keys:
  description: Keys sent without a way to read them back (O(allow_unknown=true)).
  returned: always
  type: list
  elements: str
before:
  description: The values of the known keys as the card reported them before.
  returned: always
  type: dict
after:
  description: The values of the known keys as the card reports them after the upload.
  returned: when the file was sent
  type: dict
xfer_status:
  description: The card's C(xferStatus) result after the upload (C(OK) when it took the file).
  returned: when the file was sent
  type: str
  sample: OK
transfer:
  description: >-
    How the transfer went: C(bytes), C(blocks), C(block_size), C(mode) (C(CRC) or
    C(checksum)), C(naks), C(baud), C(console_baud), C(seconds), C(wire_floor_seconds)
    (the framed bytes at the line speed) and C(progress) (samples every 10 percent with
    C(bytes), C(percent), C(elapsed) and C(eta_seconds)).
  returned: when the file was sent
  type: dict
diff:
  description: Before and after values of the keys the file sets (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

import base64
import os

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils import config_ini as ini
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.device import MASK, SettingsError
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import cli_device


def _load(module):
    src, content = module.params['src'], module.params['content']
    if src is not None:
        if not os.path.isabs(src):
            module.fail_json(msg='src must be an absolute path on the controller, got %r (use '
                                 '"{{ playbook_dir }}/..." or content with a lookup)' % src)
        try:
            with open(src, 'rb') as handle:
                raw = handle.read(ini.MAX_FILE_BYTES + 1)
        except (IOError, OSError) as exc:
            module.fail_json(msg='cannot read src %s: %s' % (src, exc))
        try:
            return raw.decode('ascii')
        except UnicodeDecodeError:
            module.fail_json(msg='src %s is not plain ASCII text (the card reads config.ini as '
                                 'ASCII)' % src)
    return content


def _shown_current(entries, values):
    out = {}
    for entry in entries:
        if entry.known is None:
            continue
        value = values.get(entry.label)
        out[entry.label] = MASK if entry.secret and value is not None else value
    return out


def main():
    module = ApcModule(
        argument_spec=dict(
            src=dict(type='path'),
            content=dict(type='str', no_log=True),
            baud_rate=dict(type='int', choices=list(ini.TRANSFER_SPEEDS)),
            block_size=dict(type='int', choices=[128, 1024], default=128),
            allow_unknown=dict(type='bool', default=False),
        ),
        file_options=('content',),
        required_one_of=[('src', 'content')],
        mutually_exclusive=[('src', 'content')],
        supports_check_mode=True,
    )
    text = _load(module)
    try:
        entries = ini.parse(text, allow_unknown=module.params['allow_unknown'])
    except SettingsError as exc:
        module.fail_json(msg='the config.ini was refused before anything was sent: %s' % exc)
    # nothing touched so far; from here on the console
    console, _info = cli_device(module)
    baud = module.params['baud_rate']
    try:
        current = ini.read_current(console, entries)
    except (SettingsError, CliCommandError) as exc:
        module.fail_json(msg=str(exc))
    except ConsoleFailure as exc:
        console.fail(exc)
    differ = ini.differing(entries, current)
    result = {
        'changed': bool(differ),
        'commands': ['xferINI'] if differ else [],
        'keys': ini.shown_values(entries),
        'differing': differ,
        'unknown_keys': [e.label for e in entries if e.known is None],
        'before': _shown_current(entries, current),
    }
    wanted_shown = dict((e.label, e.shown()) for e in entries)
    result['diff'] = {'before': dict(result['before']),
                      'after': dict(result['before'], **wanted_shown)}
    if not differ or module.check_mode:
        _finish(module, result)
    payload = base64.b64encode(text.encode('ascii')).decode('ascii')
    try:
        summary = console.call('xmodem_upload_ini', payload, baud_rate=baud,
                               block_size=module.params['block_size'])
    except ConsoleFailure as exc:
        console.fail(exc, changed=True, commands=['xferINI'], keys=result['keys'])
    console.device_info(refresh=True)
    status = (summary.pop('status', None) or {}).get('result')
    result['xfer_status'] = status
    result['transfer'] = summary
    try:
        after = ini.read_current(console, entries)
    except (SettingsError, CliCommandError) as exc:
        result['changed'] = True
        module.fail_json(msg='the file was sent but reading the values back failed: %s' % exc,
                         **result)
    except ConsoleFailure as exc:
        console.fail(exc, changed=True)
    result['after'] = _shown_current(entries, after)
    result['diff']['after'] = dict(result['after'], **dict(
        (e.label, e.shown()) for e in entries if e.known is None))
    if status is None or not status.upper().startswith('OK'):
        module.fail_json(msg='the card did not take the file: xferStatus says %r' % status,
                         **result)
    still = [label for label in ini.differing(entries, after) if label not in result['unknown_keys']]
    if still:
        module.fail_json(msg='the card took the file (xferStatus %s) but these keys read back '
                             'differently: %s' % (status, ', '.join(still)), **result)
    _finish(module, result)


def _finish(module, result):
    if not module._diff:
        result.pop('diff', None)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
