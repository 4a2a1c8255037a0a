#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: firmware
short_description: Bring an APC management card or Rack PDU to a given firmware over the serial console (XMODEM)
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Reads the running versions of the boot monitor, the AOS and the application, and sends
    only the modules that are not at the version of the files given. When every module is
    already at its target, nothing is sent and the task reports no change.
  - Every file is checked before the console is touched; its name (C(apc_hw05_aos_696.bin))
    and its header must agree, and once logged in, the hardware generation and the application
    must match the unit's model family. A file that does not fit is refused before anything
    is sent.
  - On command-line cards (NMC2, NMC3, Rack PDU 2G) the card is restarted and stopped in its
    boot monitor (C(BM>) prompt) by pressing ESC early in the restart; each module is sent
    there with the monitor's C(XMODEM) command, boot monitor first, then the AOS, then the
    application. C(BOOT) starts the new firmware; the task waits for the restart (up to
    O(restart_timeout)), logs in again and reads the versions back as proof.
  - On menu consoles (AP79xx Rack PDUs without the B suffix, NMC1 cards) each module is sent
    on System, Tools, File Transfer, XMODEM at the transfer speed chosen there
    (O(baud_rate)); the unit restarts after each module and the task logs in again each time.
  - Progress (bytes, percent, time left at the line speed, every 10 percent) of every module is
    returned in RV(transfers) and summed up in RV(summary). While the transfer runs, the
    module's action plugin shows the latest sample in the task output (a line per sample, the
    connection writes it beside its socket), and prints the summary at the end.
  - A UPS on its own DB9 port (smart protocol) is refused before anything is sent.
options:
  images:
    description:
      - Absolute paths of the firmware files on the controller, one per module (C(bootmon),
        C(aos), the application); any order, they are sent boot monitor first, then AOS, then
        the application. Modules without a file are left as they are.
      - The file name must have APC's form C(apc_hw<NN>_<module>_<version digits>.bin).
      - Menu consoles do not show the boot monitor's version, so a C(bootmon) file is refused
        there (its effect could not be proven).
    type: list
    elements: path
    required: true
  verify_header:
    description:
      - Read and check each file's header (hardware, module, version, size and CRC-32) against
        its name before anything is sent.
      - The header layout is the one documented in the collection's simulator (C(APCFW1) and
        C(key=value) fields in the first 128 bytes); APC's own layout is not documented. Set
        to false to judge real images by their file name alone.
    type: bool
    default: true
  force:
    description:
      - Send the modules even when the unit already runs their version.
    type: bool
    default: false
  baud_rate:
    description:
      - Line speed of the transfer on menu consoles, one their XMODEM screen offers. The line
        goes back to the connection's speed (C(ansible_serial_baud_rate)) after each module,
        as the unit does. Defaults to the connection's line speed.
      - A raw TCP port (C(socket://)) cannot switch the console server's side, so another speed
        is refused there before anything is sent.
      - Command-line cards receive at their console speed in the boot monitor; another value is
        refused there before anything is sent.
    type: int
    choices: [2400, 9600, 19200, 38400]
  block_size:
    description:
      - XMODEM block size. C(1024) (XMODEM-1K) is used only when the receiver asks for CRC.
    type: int
    choices: [128, 1024]
    default: 128
  restart_timeout:
    description:
      - Seconds to wait for the unit to come back after the new firmware was written. A card
        in a linked or large unit can take several minutes to start.
    type: int
    default: 300
attributes:
  check_mode:
    support: full
    description: Checks the files, reads the running versions and reports which modules would be sent; sends nothing and does not restart the unit.
  diff_mode:
    support: full
    description: Running and target versions per module.
  platform:
    support: full
    platforms: apc
    description: APC management cards and Rack PDUs (command line and menu consoles) through the C(rackops.apc.console) connection.
notes:
  - The unit restarts during the upgrade; outlets of a Rack PDU keep their state while its
    management card restarts.
  - A transfer that breaks after part of a module was written leaves that module half-written;
    the error names it. The card then stays in its boot monitor, which takes the module again
    with C(XMODEM). Running the task again finds the C(BM>) prompt at the login and sends every
    file given from there (the running versions cannot be read in the boot monitor; the family
    is checked once the unit answers, and the boot monitor checks each image's hardware).
  - The whole upgrade runs in one call to the connection, so keep C(persistent_command_timeout)
    (C(ansible_command_timeout)) above the transfer time plus O(restart_timeout). At 9600 baud
    a 3 MB image takes about an hour.
  - Requires the Python package C(xmodem) on the controller (see the collection's
    requirements.txt).
requirements:
  - xmodem >= 0.5.0
seealso:
  - module: rackops.apc.facts
  - module: rackops.apc.config_ini
'''

EXAMPLES = r'''
- name: Bring a Rack PDU 2G to AOS and application 6.9.6
  rackops.apc.firmware:
    images:
      - "{{ playbook_dir }}/files/apc_hw05_aos_696.bin"
      - "{{ playbook_dir }}/files/apc_hw05_rpdu2g_696.bin"
    restart_timeout: 600

- name: What would be sent (nothing is sent in check mode)
  rackops.apc.firmware:
    images: "{{ lookup('ansible.builtin.fileglob', playbook_dir + '/files/apc_hw05_*.bin', wantlist=True) }}"
  check_mode: true
'''

RETURN = r'''
commands:
  description: What was sent (or would be sent in check mode), one entry per module; empty when the unit is at the target.
  returned: always
  type: list
  elements: str
  sample: ['XMODEM apc_hw05_aos_696.bin (aos v6.8.0 -> v6.9.6)']
modules:
  description: Per module given, C(module) (bootmon, aos, app), C(name), C(file), C(running), C(target), C(bytes) and C(send).
  returned: always
  type: list
  elements: dict
before:
  description: Running versions before (C(bootmon), C(aos), C(app)).
  returned: always
  type: dict
after:
  description: Versions read back after the restart.
  returned: when firmware was sent
  type: dict
transfers:
  description: >-
    One summary per module sent, C(module), C(file), C(bytes), C(blocks), C(block_size),
    C(mode), C(naks), C(seconds), C(wire_floor_seconds), C(card_says) (the boot monitor's
    answer) and C(progress) (samples every 10 percent with C(bytes), C(percent), C(elapsed)
    and C(eta_seconds)).
  returned: when firmware was sent
  type: list
  elements: dict
boot_monitor:
  description: True when the unit was found in its boot monitor (a module left half-written) and every file was sent from there.
  returned: when the console showed the boot monitor
  type: bool
restart_seconds:
  description: How long the unit took to come back after the new firmware was written.
  returned: when firmware was sent
  type: float
summary:
  description: One line per module (sent, skipped, would be sent) and the restart.
  returned: always
  type: list
  elements: str
diff:
  description: Running and target versions per module (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

import base64
import os

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils import firmware as fw
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError, describe_firmware


def _load(module):
    images = []
    for path in module.params['images']:
        if not os.path.isabs(path):
            module.fail_json(msg='images must be absolute paths on the controller, got %r (use '
                                 '"{{ playbook_dir }}/..."); nothing was sent' % path)
        try:
            size = os.path.getsize(path)
            if size > fw.MAX_IMAGE_BYTES:
                module.fail_json(msg='%s is %d bytes, more than any APC firmware image (%d); '
                                     'nothing was sent' % (path, size, fw.MAX_IMAGE_BYTES))
            with open(path, 'rb') as handle:
                data = handle.read()
        except (IOError, OSError) as exc:
            module.fail_json(msg='cannot read %s: %s; nothing was sent' % (path, exc))
        try:
            images.append(fw.Image(path, data, verify_header=module.params['verify_header']))
        except SettingsError as exc:
            module.fail_json(msg='the firmware file was refused before anything was sent: %s' % exc)
    try:
        return fw.check_set(images)
    except SettingsError as exc:
        module.fail_json(msg='the firmware files were refused before anything was sent: %s' % exc)


def _summary_lines(steps, transfers, check_mode):
    lines = []
    sent = dict((t['module'], t) for t in transfers)
    for step in steps:
        if not step['send']:
            lines.append('%s: already at %s, skipped' % (step['name'], step['running']))
        elif step['module'] in sent:
            t = sent[step['module']]
            lines.append('%s: %s -> %s, %d bytes in %.1f s (%s, %d NAKs)' % (
                step['name'], step['running'], step['target'], t['bytes'], t['seconds'],
                t['mode'], t['naks']))
        else:
            lines.append('%s: %s -> %s, %d bytes %s' % (
                step['name'], step['running'], step['target'], step['bytes'],
                'would be sent' if check_mode else 'to send'))
    return lines


def main():
    module = ApcModule(
        argument_spec=dict(
            images=dict(type='list', elements='path', required=True),
            verify_header=dict(type='bool', default=True),
            force=dict(type='bool', default=False),
            block_size=dict(type='int', choices=[128, 1024], default=128),
            restart_timeout=dict(type='int', default=300),
            baud_rate=dict(type='int', choices=[2400, 9600, 19200, 38400]),
        ),
        supports_check_mode=True,
    )
    if not module.params['images']:
        module.fail_json(msg='images is empty: give at least one firmware file')
    if module.params['restart_timeout'] < 1:
        module.fail_json(msg='restart_timeout must be at least 1 second')
    images = _load(module)
    # nothing touched so far; from here on the console
    console = DeviceConsole(module)
    try:
        info = console.device_info()
    except ConsoleFailure as exc:
        if exc.kind != 'bootmon':
            console.fail(exc)
        _from_boot_monitor(module, console, images, exc)
    dialect = info.get('dialect')
    if dialect == 'smart':
        module.fail_json(msg='this port is a UPS\'s own DB9 serial port (smart protocol, %s): there is '
                             'no management card behind it to update, and this module never sends '
                             'firmware over a UPS port. Nothing was sent' % (info.get('model') or 'unknown model'),
                         error_kind='dialect')
    if dialect not in ('cli', 'menu'):
        module.fail_json(msg='%s shows the %s console; rackops.apc.firmware needs a management '
                             'card\'s command line or menus. Nothing was sent'
                             % (describe_firmware(info), dialect), error_kind='dialect')
    line_baud = (info.get('session') or {}).get('baud_rate')
    if dialect == 'cli' and module.params['baud_rate'] and line_baud and module.params['baud_rate'] != line_baud:
        module.fail_json(msg='baud_rate %s: command-line cards receive firmware in their boot '
                             'monitor at the console speed (%s); leave baud_rate unset. Nothing was '
                             'sent' % (module.params['baud_rate'], line_baud))
    url = str((info.get('session') or {}).get('url') or '')
    if dialect == 'menu' and module.params['baud_rate'] and line_baud and module.params['baud_rate'] != line_baud \
            and url.strip().lower().startswith('socket://'):
        module.fail_json(msg='baud_rate %s: a raw TCP port (socket://) cannot change the console '
                             'server\'s line speed (%s), so the transfer cannot run at another speed; '
                             'use the line\'s speed or an RFC 2217 URL (rfc2217://). Nothing was sent'
                             % (module.params['baud_rate'], line_baud))
    if dialect == 'menu' and any(i.key == 'bootmon' for i in images):
        module.fail_json(msg='%s: a menu console does not show the boot monitor\'s version, so its '
                             'update could not be proven; leave the bootmon file out. Nothing was '
                             'sent' % next(i.name for i in images if i.key == 'bootmon'))
    family = (console.model or {}).get('family')
    if family is None:
        module.fail_json(msg='the unit reports model %s, which is not in the collection\'s model '
                             'table: its firmware family cannot be checked, so nothing was sent'
                             % (info.get('card_model') or info.get('model') or 'unknown'))
    running_app = (info.get('firmware') or {}).get('app_module') if dialect == 'cli' else None
    try:
        fw.check_fit(images, family, running_app)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    before = fw.running_versions(info)
    steps = fw.plan(images, before, force=module.params['force'])
    todo = [s for s in steps if s['send']]
    result = {
        'changed': bool(todo),
        'commands': ['XMODEM %s (%s %s -> %s)' % (s['file'], s['name'], s['running'], s['target'])
                     for s in todo],
        'modules': steps,
        'before': before,
        'diff': {'before': dict((s['module'], s['running']) for s in steps),
                 'after': dict((s['module'], s['target']) for s in steps)},
    }
    if not todo or module.check_mode:
        result['summary'] = _summary_lines(steps, [], module.check_mode)
        _finish(module, result)
    by_key = dict((i.key, i) for i in images)
    payload = [{'module': s['module'], 'name': s['file'],
                'data': base64.b64encode(by_key[s['module']].data).decode('ascii')} for s in todo]
    try:
        outcome = console.call('firmware_upload', payload, block_size=module.params['block_size'],
                               restart_timeout=module.params['restart_timeout'],
                               baud_rate=module.params['baud_rate'])
    except ConsoleFailure as exc:
        console.fail(exc, changed=True, commands=result['commands'], modules=steps, before=before)
    info = console.device_info(refresh=True)
    after = fw.running_versions(info)
    result.update(after=after, transfers=outcome.get('modules', []),
                  restart_seconds=outcome.get('restart_seconds'))
    result['summary'] = _summary_lines(steps, result['transfers'], False) + [
        'restart: the unit answered again after %s s' % outcome.get('restart_seconds')]
    wrong = ['%s reads %s, expected %s' % (s['name'], after.get(s['module']), s['target'])
             for s in todo if not fw.same_version(after.get(s['module']), s['target'])]
    if wrong:
        module.fail_json(msg='the firmware was sent and the unit restarted, but %s' % '; '.join(wrong),
                         **result)
    _finish(module, result)


def _from_boot_monitor(module, console, images, why):
    """The console shows the boot monitor (an interrupted upgrade left a module half-written):
    every file given is sent from there (the running versions cannot be read at BM>), the card
    is started and the versions are read back. The family is checked once it answers; the boot
    monitor checks each image's hardware itself."""
    steps = [{'module': i.key, 'name': i.module_name, 'file': i.name, 'running': None,
              'target': i.version, 'bytes': len(i.data), 'send': True} for i in images]
    result = {
        'changed': True,
        'boot_monitor': True,
        'commands': ['XMODEM %s (%s -> %s, from the boot monitor)' % (s['file'], s['name'], s['target'])
                     for s in steps],
        'modules': steps,
        'before': {'bootmon': None, 'aos': None, 'app': None},
        'diff': {'before': dict((s['module'], None) for s in steps),
                 'after': dict((s['module'], s['target']) for s in steps)},
    }
    module.warn('the card is in its boot monitor (BM>): %s' % str(why).split('. Last lines', maxsplit=1)[0])
    if module.check_mode:
        result['summary'] = ['%s: %s, %d bytes would be sent from the boot monitor' % (
            s['name'], s['target'], s['bytes']) for s in steps]
        _finish(module, result)
    payload = [{'module': i.key, 'name': i.name, 'data': base64.b64encode(i.data).decode('ascii')}
               for i in images]
    try:
        outcome = console.call('firmware_recover', payload, block_size=module.params['block_size'],
                               restart_timeout=module.params['restart_timeout'])
    except ConsoleFailure as exc:
        console.fail(exc, changed=True, commands=result['commands'], modules=steps, boot_monitor=True)
    info = console.device_info(refresh=True)
    after = fw.running_versions(info)
    result.update(after=after, transfers=outcome.get('modules', []),
                  restart_seconds=outcome.get('restart_seconds'))
    result['summary'] = ['%s: sent from the boot monitor, %d bytes in %.1f s' % (
        t['module'], t['bytes'], t['seconds']) for t in result['transfers']] + [
        'restart: the unit answered again after %s s' % outcome.get('restart_seconds')]
    family = (console.model or {}).get('family')
    try:
        fw.check_fit(images, family, (info.get('firmware') or {}).get('app_module'))
    except SettingsError as exc:
        module.fail_json(msg='the files were sent from the boot monitor, but now that the unit '
                             'answers they do not fit it: %s' % exc, **result)
    wrong = ['%s reads %s, expected %s' % (s['name'], after.get(s['module']), s['target'])
             for s in steps if not fw.same_version(after.get(s['module']), s['target'])]
    if wrong:
        module.fail_json(msg='the firmware was sent from the boot monitor and the unit restarted, '
                             'but %s' % '; '.join(wrong), **result)
    _finish(module, result)


def _finish(module, result):
    if not module._diff:
        result.pop('diff', None)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
