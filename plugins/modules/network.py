#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: network
short_description: Configure IPv4, boot mode, DNS and IPv6 of an APC management card
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sets the network configuration of an NMC2/NMC3 card, AP79xxB or AP89xx Rack PDU through its
    serial console (C(rackops.apc.console) connection), using the C(tcpip), C(boot), C(dns) and
    C(tcpip6) commands.
  - Reads the current values first and sends only what differs. Options left out are not
    touched.
  - Most network changes take effect only after the management card reboots (the card answers
    C(E002)); the module then returns RV(reboot_required=true). Reboot with M(rackops.apc.reboot)
    or a handler when it suits you; the console keeps working meanwhile.
  - Values are checked before anything is sent (addresses, masks, a gateway outside the
    network, host names).
options:
  ipv4_enabled:
    description: Enable IPv4 on the card.
    type: bool
  ipv4_address:
    description:
      - Manual IPv4 address. Used when O(boot_mode=manual).
    type: str
  subnet_mask:
    description: Manual subnet mask, for example C(255.255.255.0).
    type: str
  gateway:
    description: Manual default gateway; must be inside the network of O(ipv4_address) when both are given.
    type: str
  host_name:
    description:
      - Host name (one label). C(apc) is refused because the card appends part of its MAC
        address to it.
    type: str
  domain_name:
    description: Domain name.
    type: str
  boot_mode:
    description:
      - How the card gets its IPv4 address.
      - V(dhcp_bootp) (DHCP, then BOOTP) exists on the menu consoles only (AP79xx, NMC1), which
        show it as C(DHCP & BOOTP); the command line's C(boot -b) takes the other three and
        refuses it before anything is sent.
    type: str
    choices: [dhcp, bootp, manual, dhcp_bootp]
  dhcp_cookie:
    description:
      - Require the APC cookie (vendor option C(01 04 31 41 50 43)) in DHCP offers.
    type: bool
  dns_override:
    description:
      - Use the manual DNS servers even when DHCP supplies others.
    type: bool
  dns_primary:
    description: Primary DNS server (IPv4 or IPv6 address).
    type: str
  dns_secondary:
    description: Secondary DNS server (IPv4 or IPv6 address).
    type: str
  ipv6_enabled:
    description: Enable IPv6.
    type: bool
  ipv6_auto:
    description: IPv6 stateless address autoconfiguration.
    type: bool
  ipv6_manual:
    description: Use the manual IPv6 address.
    type: bool
  ipv6_address:
    description: Manual IPv6 address with an optional prefix length (C(/64) when left out).
    type: str
  ipv6_gateway:
    description: Manual IPv6 gateway.
    type: str
  dhcpv6_mode:
    description:
      - DHCPv6 mode. C(router) follows the router advertisements; C(statefull) (the card's
        spelling) asks for an address and other information; C(stateless) for other
        information only; C(never) disables DHCPv6.
    type: str
    choices: [router, statefull, stateless, never]
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
  - On menu consoles (Control Console, AOS 2.x/3.x) O(boot_mode), O(ipv4_address),
    O(subnet_mask), O(gateway), O(dns_primary), O(dns_secondary) and O(domain_name) are set
    under Network > TCP/IP and DNS (the addresses need O(boot_mode=manual)); the IPv6, host
    name, IPv4 on/off, DHCP cookie options and O(dns_override=false) are refused before
    anything is changed. RV(commands) then lists the menu steps.
seealso:
  - module: rackops.apc.facts
  - module: rackops.apc.reboot
'''

EXAMPLES = r'''
- name: Static address with DNS
  rackops.apc.network:
    boot_mode: manual
    ipv4_address: 192.0.2.20
    subnet_mask: 255.255.255.0
    gateway: 192.0.2.1
    host_name: pdu-a01
    domain_name: rack.example.net
    dns_override: true
    dns_primary: 192.0.2.53
  notify: Reboot management card

- name: Back to DHCP, requiring the APC cookie
  rackops.apc.network:
    boot_mode: dhcp
    dhcp_cookie: true
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['tcpip -i 192.0.2.20 -s 255.255.255.0 -g 192.0.2.1', 'boot -b manual']
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

from ansible_collections.rackops.apc.plugins.module_utils.schema import NETWORK
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import run_area_module


def main():
    module = ApcModule(argument_spec=NETWORK.argument_spec(), supports_check_mode=True)
    run_area_module(module, NETWORK.cli_area(), module.params)


if __name__ == '__main__':
    main()
