#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: facts
short_description: Read identity and settings of an APC PDU or UPS card over its serial console
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Reads the device through the C(rackops.apc.console) connection and returns what it finds as
    structured facts under C(ansible_facts.apc).
  - C(device) is always returned - dialect, model, management card model, firmware versions,
    serial number, MAC address, system name, outlet count (Rack PDUs) - from what the device
    reports, never assumed from a model name.
  - The settings areas are C(network) (IPv4 and IPv6 addressing), C(boot) (DHCP/BOOTP/manual),
    C(dns), C(identity) (name, contact, location, message), C(users) (accounts, permissions,
    session timeouts; never passwords), C(services) (HTTP/HTTPS, telnet/SSH, FTP, console baud
    rate), C(snmp) (SNMPv1 communities and SNMPv3 profiles; never passphrases), C(time)
    (date, time zone, NTP), C(outlets) (Rack PDUs - state, name, delays) and C(ups) (UPS cards -
    model, status, battery, load).
  - Only reads. Nothing is changed on the device, so the module behaves the same in check mode.
  - An area the firmware cannot show (the command answers C(E101) or C(E102)) is left out and
    named in RV(notes).
  - On a UPS DB9 port speaking the UPS-Link C(smart) protocol (C(ansible_apc_dialect=smart)) the
    areas are C(identity) (model, serial number, firmware, locale, manufacture and battery
    dates), C(readings) (battery, input and output, load, temperature, frequency, runtime,
    decoded status flags, last transfer cause, last self-test, line quality) and C(eeprom)
    (every EEPROM setting with its value and the values this unit allows for its locale, from
    its C(^Z) table).
  - On a menu console (Control Console of AP79xx Rack PDUs without the B suffix and NMC1 cards,
    AOS 2.x/3.x) the areas are read from the menu screens in the command line's shapes where
    the menus show the same thing; what the menus lack (IPv6, SNMPv3, NTP, user details) is
    left out and named in RV(notes).
options:
  gather_subset:
    description:
      - Areas to read. C(all) reads every area that applies to the device (C(outlets) only on
        Rack PDUs, C(ups) only on UPS cards). Prefix an area with C(!) to leave it out, for
        example C(['all', '!users']). C(min) reads only the device identity.
      - Valid areas are C(network), C(boot), C(dns), C(identity), C(users), C(services), C(snmp),
        C(time), C(outlets), C(ups).
      - On a smart-protocol UPS the valid areas are C(identity), C(readings) and C(eeprom).
    type: list
    elements: str
    default: [all]
attributes:
  check_mode:
    support: full
    description: Only reads; runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to compare.
  facts:
    support: full
    description: Returns C(ansible_facts.apc).
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, and UPS DB9 ports speaking the smart protocol,
      through the C(rackops.apc.console) connection.
seealso:
  - module: rackops.apc.command
  - module: rackops.apc.ups_settings
'''

EXAMPLES = r'''
- name: Gather everything
  rackops.apc.facts:

- name: Only network and outlets
  rackops.apc.facts:
    gather_subset:
      - network
      - outlets

- name: Everything but users
  rackops.apc.facts:
    gather_subset: ['all', '!users']

- name: Readings and EEPROM settings of a UPS on its DB9 port (ansible_apc_dialect smart)
  rackops.apc.facts:
    gather_subset:
      - readings
      - eeprom

- name: Show the firmware
  ansible.builtin.debug:
    msg: "{{ ansible_facts.apc.device.model }} runs AOS {{ ansible_facts.apc.device.firmware.aos }}"
'''

RETURN = r'''
ansible_facts:
  description: Facts about the device.
  returned: always
  type: dict
  contains:
    apc:
      description: Everything read, one key per area plus C(device) and C(gather_subset).
      type: dict
      contains:
        device:
          description:
            - Identity of the device and its console session.
            - C(password_max) is the longest password the console takes (10 on menu consoles,
              32 on AOS 5.x, 64 on AOS 6.x/7.x and NMC3; C(null) on a smart-protocol UPS port,
              which has no passwords).
          type: dict
          sample:
            dialect: cli
            model: AP8941
            card_model: AP8941
            serial_number: 5A1234E12345
            mac_address: "00:C0:B7:12:34:56"
            name: apc123456
            firmware: {aos: v6.8.0, app: v6.8.0, app_name: RPDU 2g APP, bootmon: v1.0.8}
            is_pdu: true
            is_ups: false
            outlet_count: 24
            password_max: 64
        model_info:
          description:
            - What the collection's model table knows about the device (C(null) when it does not
              know the model; the task then warns which checks could not be made). The console's
              own answers in C(device) win where the two differ.
            - C(model), C(family) (C(rpdu_menu), C(rpdu2g), C(nmc1), C(nmc2), C(nmc3), C(smart)),
              C(kind) (C(pdu), C(card), C(ups)), C(dialects), C(baud), C(cable) (APC part number),
              C(reset_window) (the reset-button apc/apc window exists),
              C(first_login_change) (firmware from which the first login forces a new password, or
              C(false)), C(factory) credentials, C(description), and where known C(outlets),
              C(phases), C(rating), C(generation) (smart-protocol units), C(notes).
          type: dict
          sample:
            model: AP8941
            family: rpdu2g
            kind: pdu
            dialects: [cli]
            baud: 9600
            cable: 940-0144
            reset_window: true
            outlets: 24
        network:
          description: IPv4 (active and manual settings) and IPv6 settings.
          type: dict
        boot:
          description: Boot mode and DHCP options.
          type: dict
        dns:
          description: DNS servers, override flag, domain and host names.
          type: dict
        identity:
          description:
            - System name, contact, location, message, host name sync, uptime.
            - On a smart-protocol UPS - model, serial number, firmware, locale, nominal voltage,
              manufacture and battery dates, UPS id.
          type: dict
        users:
          description: Accounts with permission, status, description and session timeout.
          type: list
          elements: dict
        services:
          description: Web, console (telnet/SSH, baud rate) and FTP settings.
          type: dict
        snmp:
          description: SNMPv1 communities and SNMPv3 user profiles and access entries.
          type: dict
        time:
          description: Date, time, format, time zone and NTP settings.
          type: dict
        outlets:
          description: Per outlet number, name, state, pending flag and delays (Rack PDUs).
          type: list
          elements: dict
        ups:
          description: UPS model, firmware, status and readings (UPS cards).
          type: dict
        readings:
          description:
            - Smart-protocol UPS readings as numbers (C(battery_charge), C(battery_voltage),
              C(input_voltage), C(max_input_voltage), C(min_input_voltage), C(output_voltage),
              C(load), C(temperature), C(frequency), C(runtime_minutes)), C(null) where the unit
              answers C(NA).
            - C(status) (C(Q) bits decoded - C(flags) calibration, smart_trim, smart_boost, online,
              on_battery, overload, battery_low, replace_battery), C(last_transfer) (C(G)),
              C(self_test) (C(X)), C(line_quality) (C(9)).
          type: dict
          sample:
            battery_charge: 100.0
            input_voltage: 118.3
            runtime_minutes: 327.0
            status: {raw: '08', value: 8, text: OL, active: [online]}
            last_transfer: {code: O, cause: none}
        eeprom:
          description:
            - Smart-protocol UPS EEPROM settings, by the option names of M(rackops.apc.ups_settings),
              each with C(letter), C(value), C(raw) and, for enumerated settings, C(allowed) (the
              values this unit accepts for its locale) and C(settable).
          type: dict
          sample:
            upper_transfer_voltage: {letter: u, value: 127, raw: '127', unit: V, allowed: [127, 130, 133, 136], settable: true}
        config:
          description:
            - The areas that are described by the collection's settings schema, under the
              option names of their modules (secrets left out), so that they can be fed back
              to the module unchanged (C(rackops.apc.identity) with
              C(ansible_facts.apc.config.identity) changes nothing). Options the console
              lacks (the menu consoles have no system message) are not listed.
            - Present when such an area was gathered; today C(identity).
          type: dict
          sample:
            identity: {name: pdu-a01, contact: noc@example.net, location: DC1, system_message: '', host_name_sync: false}
        gather_subset:
          description: The areas that were read.
          type: list
          elements: str
notes:
  description: Areas left out and why (for example a command this firmware lacks).
  returned: always
  type: list
  elements: str
events:
  description: Alert characters a smart-protocol UPS sent while it was read (C(!) on battery, C($) back on line...).
  returned: on a smart-protocol UPS
  type: list
  elements: str
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.cli_facts import gather_cli_facts, resolve_subsets
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.menu_facts import gather_menu_facts
from ansible_collections.rackops.apc.plugins.module_utils import smart
from ansible_collections.rackops.apc.plugins.module_utils.schema import SCHEMAS


def gather_smart_facts(console, requested, info):
    """Facts of a UPS on the smart protocol: identity, readings, eeprom."""
    subsets = smart.resolve_smart_subsets(requested)
    notes = []
    letters = []
    if 'identity' in subsets:
        letters.append('c')
    if 'readings' in subsets:
        letters += [letter for letter, _decoder in smart.READINGS.values()]
    if 'eeprom' in subsets:
        letters += [s.letter for s in smart.SETTINGS.values()]
    letters = list(dict.fromkeys(letters))
    values = {}
    events = []
    if letters:
        read = console.call('smart_query', letters)
        values = read.get('values') or {}
        events = list(read.get('events') or [])
    facts = {}
    if 'identity' in subsets:
        facts['identity'] = smart.identity_facts(info, values)
    if 'readings' in subsets:
        facts['readings'] = smart.decode_readings(values)
    if 'eeprom' in subsets:
        try:
            unit = smart.unit_from_info(info)
        except smart.SettingsError as exc:
            notes.append(str(exc))
            unit = smart.Unit(model=info.get('model'), locale=info.get('locale'), table=None)
        if unit.table is None:
            notes.append('the UPS has no EEPROM value table (^Z): allowed values are unknown')
        facts['eeprom'] = smart.eeprom_facts(values, unit)
        missing = [name for name, s in smart.SETTINGS.items() if values.get(s.letter) is None]
        if missing:
            notes.append('settings this unit answers NA to: %s' % ', '.join(missing))
    return subsets, facts, notes, events


def main():
    module = ApcModule(
        argument_spec=dict(
            gather_subset=dict(type='list', elements='str', default=['all']),
        ),
        supports_check_mode=True,
    )
    # 'min' reads the device identity only (it is always read)
    requested = ['!all' if str(item).strip().lower() == 'min' else item
                 for item in module.params['gather_subset']]
    # Validate the names before the console is touched (command-line or smart-protocol areas).
    try:
        resolve_subsets(requested, {'is_pdu': True, 'is_ups': True})
    except ValueError as exc:
        try:
            smart.resolve_smart_subsets(module.params['gather_subset'])
        except ValueError as smart_exc:
            module.fail_json(msg='%s (on a smart-protocol UPS: %s)' % (exc, smart_exc))

    console = DeviceConsole(module)
    try:
        info = console.device_info()
        noisy_before = (info.get('session') or {}).get('noise_seen')
        if info.get('dialect') == 'smart':
            subsets, facts, notes, events = gather_smart_facts(console, module.params['gather_subset'], info)
            device = dict(info)
            device.pop('session', None)
            apc = {'device': device, 'gather_subset': subsets, 'model_info': console.model}
            apc.update(facts)
            module.exit_json(changed=False, ansible_facts={'apc': apc}, notes=notes, events=events)
        if info.get('dialect') not in ('cli', 'menu'):
            module.fail_json(msg='facts for the %s console dialect are not supported by this '
                                 'version of rackops.apc' % info.get('dialect'))
        subsets, facts, notes, config = _gather(console, info, requested)
        if not noisy_before and _noise_seen(console):
            # line noise first showed during this read: what was read before it was taken
            # from one answer each; read everything again (every answer is now verified)
            info = console.device_info(reread_if_noisy=True)
            subsets, facts, notes, config = _gather(console, info, requested)
    except ConsoleFailure as exc:
        console.fail(exc)
    except CliCommandError as exc:
        module.fail_json(msg=str(exc))
    except ValueError as exc:
        module.fail_json(msg=str(exc))

    device = dict(info)
    device.pop('session', None)
    apc = {'device': device, 'gather_subset': subsets, 'model_info': console.model}
    apc.update(facts)
    if config:
        apc['config'] = config
    module.exit_json(changed=False, ansible_facts={'apc': apc}, notes=notes)


def _noise_seen(console):
    """Whether the session has seen line noise (command-line answers carry the count; the
    menu reads are asked through the session's info)."""
    if console.noise_seen:
        return True
    return bool((console.device_info(refresh=True).get('session') or {}).get('noise_seen'))


def _gather(console, info, requested):
    """One read of the requested areas: (subsets, facts, notes, config)."""
    subsets = resolve_subsets(requested, info)
    if info.get('dialect') == 'menu':
        read = _once(lambda path: console.call('menu_read', path), key=tuple)
        facts, notes = gather_menu_facts(
            read, lambda paths: console.call('menu_read', paths=paths), requested, info)
        config = dict((area, SCHEMAS[area].menu_config(read)) for area in subsets if area in SCHEMAS)
    else:
        # the request itself: an empty resolved list (min) would read as "all" again
        run = _once(console.read)
        facts, notes = gather_cli_facts(run, requested, info)
        config = dict((area, SCHEMAS[area].cli_config(run, info)) for area in subsets if area in SCHEMAS)
    return subsets, facts, notes, config


def _once(read, key=None):
    """``read`` with each answer kept for the rest of the task: the facts of an area and
    its ``config`` view come from one read of the console."""
    seen = {}

    def cached(what):
        index = key(what) if key else what
        if index not in seen:
            seen[index] = read(what)
        return seen[index]
    return cached


if __name__ == '__main__':
    main()
