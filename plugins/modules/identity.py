#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: identity
short_description: Set the system name, contact, location and message of an APC device
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sets the identification an APC management card shows in its banner, web interface and
    SNMP (sysName, sysContact, sysLocation), through the serial console (C(system) command).
  - Sends only what differs from the current values; options left out are not touched.
options:
  name:
    description: System name (up to 255 characters).
    type: str
  contact:
    description: Contact (up to 255 characters).
    type: str
  location:
    description: Location (up to 255 characters).
    type: str
  system_message:
    description:
      - The card's system message (C(system -m)), shown at login (up to 255 characters); an
        empty string clears it.
      - Called C(system_message) because C(message) is reserved by Ansible.
    type: str
  host_name_sync:
    description:
      - Keep the DNS host name equal to the system name (the card's host name sync).
    type: bool
attributes:
  check_mode:
    support: full
    description: Reads the device and reports what would be sent in RV(commands); sends nothing.
  diff_mode:
    support: full
    description: Before and after values of the options given.
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - On menu consoles (Control Console of AP79xx Rack PDUs without the B suffix and NMC1 cards,
    AOS 2.x/3.x) O(name), O(contact) and O(location) are set under System > Identification;
    O(system_message) and O(host_name_sync) do not exist there and are refused before
    anything is changed. RV(commands) then lists the menu steps.
seealso:
  - module: rackops.apc.facts
'''

EXAMPLES = r'''
- name: Label a PDU
  rackops.apc.identity:
    name: pdu-a01
    contact: noc@example.net
    location: DC1 row A rack 01
    system_message: Managed by Ansible - changes will be overwritten
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['system -n pdu-a01 -l "DC1 row A rack 01"']
reboot_required:
  description: A change takes effect only after the management card reboots.
  returned: always
  type: bool
diff:
  description: Before and after values of the options given (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.schema import IDENTITY
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import run_area_module


def main():
    module = ApcModule(
        argument_spec=IDENTITY.argument_spec(),
        supports_check_mode=True,
    )
    run_area_module(module, IDENTITY.cli_area(), module.params)


if __name__ == '__main__':
    main()
