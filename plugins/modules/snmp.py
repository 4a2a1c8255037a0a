#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: snmp
short_description: Configure SNMPv1 communities and SNMPv3 users and access of an APC management card
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sets the SNMP agent of an NMC2/NMC3 card, AP79xxB or AP89xx Rack PDU through its serial
    console (C(rackops.apc.console) connection), using the C(snmp) and C(snmpv3) commands.
  - Reads the current values first and sends only what differs. Options left out are not
    touched; so are the communities, user profiles and access entries whose index is not
    listed, and the keys left out of a listed entry.
  - Each community, user profile and access entry that changes is set by one command holding
    all of its options (for example C(snmp -c1 public -a1 read -n1 192.0.2.5)); enabling or
    disabling SNMPv1 or SNMPv3 is a command of its own, sent after the entries.
  - Disabling SNMPv1 takes effect only after the management card reboots (the card answers
    C(E002)); the module then returns RV(reboot_required=true).
  - B(Passphrases and idempotence.) The card never shows SNMPv3 passphrases, so the module
    cannot compare them. A passphrase given in O(snmpv3_users) is sent only as
    O(update_passphrases) says. With V(on_change) (the default) the passphrases of a profile
    are sent only in a run that also changes that profile's user name, authentication
    protocol or privacy protocol; a run that changes nothing else sends nothing, so the task
    stays idempotent, and changing only a passphrase needs one run with V(always). With
    V(always) the given passphrases are sent on every run and the task always reports a
    change. Passphrases travel to the connection process as placeholders and appear as
    C(********) in RV(commands), in the diff and in logs.
  - Values are checked before anything is sent; a problem only visible with the card's current
    settings (an access entry naming a profile that will not exist) is found after reading
    and before the first change.
options:
  snmpv1_enabled:
    description:
      - Enable SNMPv1 (and SNMPv2c) access. Disabling it needs a reboot of the card.
    type: bool
  communities:
    description:
      - SNMPv1 communities (access control entries) to set, up to four, each with a different
        O(communities[].index). Entries not listed are left alone.
    type: list
    elements: dict
    suboptions:
      index:
        description: Access control entry number.
        type: int
        required: true
        choices: [1, 2, 3, 4]
      community:
        description:
          - Community name, 1 to 15 printable ASCII characters, no double quotes, not starting
            with C(-).
        type: str
      access:
        description: Access type of the community; V(disable) turns the entry off.
        type: str
        choices: [read, write, writeplus, disable]
      nms:
        description:
          - IPv4 or IPv6 address or host name of the network management station allowed to use
            the community; C(0.0.0.0) allows any station.
        type: str
  snmpv3_enabled:
    description: Enable SNMPv3 access.
    type: bool
  snmpv3_users:
    description:
      - SNMPv3 user profiles to set, up to four, each with a different O(snmpv3_users[].index).
        Profiles not listed are left alone.
    type: list
    elements: dict
    suboptions:
      index:
        description: User profile number.
        type: int
        required: true
        choices: [1, 2, 3, 4]
      user_name:
        description: User name, 1 to 32 printable ASCII characters, no double quotes.
        type: str
      auth_protocol:
        description: Authentication protocol.
        type: str
        choices: [sha, md5, none]
      auth_passphrase:
        description:
          - Authentication passphrase, 15 to 32 printable ASCII characters (the card's limit),
            no double quotes.
          - Write-only; sent as O(update_passphrases) says.
        type: str
      priv_protocol:
        description:
          - Privacy (encryption) protocol. Anything but V(none) needs an authentication
            protocol.
        type: str
        choices: [aes, des, none]
      priv_passphrase:
        description:
          - Privacy passphrase, 15 to 32 printable ASCII characters, no double quotes.
          - Write-only; sent as O(update_passphrases) says.
        type: str
  snmpv3_access:
    description:
      - SNMPv3 access entries to set, up to four, each with a different
        O(snmpv3_access[].index). Entries not listed are left alone.
    type: list
    elements: dict
    suboptions:
      index:
        description: Access entry number.
        type: int
        required: true
        choices: [1, 2, 3, 4]
      enabled:
        description: Enable the access entry.
        type: bool
      user_name:
        description:
          - User profile the entry gives access to. It must be the user name of a profile,
            as the card has it or as O(snmpv3_users) sets it in the same task.
        type: str
      nms:
        description:
          - IPv4 or IPv6 address or host name of the network management station;
            C(0.0.0.0) allows any station.
        type: str
  update_passphrases:
    description:
      - When given passphrases are sent. V(on_change) sends them only together with a change of
        the profile's user name or protocols; V(always) sends them on every run (the task then
        always reports a change). See the description for why.
    type: str
    choices: [on_change, always]
    default: on_change
attributes:
  check_mode:
    support: full
    description: Reads the device and reports what would be sent in RV(commands); sends nothing.
  diff_mode:
    support: full
    description:
      - Before and after values of the options and entries given. Passphrases cannot be read,
        so they appear only in the after half, as C(********), when they are sent.
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - On menu consoles (Control Console, AOS 2.x/3.x) O(snmpv1_enabled) and O(communities) are set
    under Network > SNMP and its Access Control 1-4 screens (O(communities[].nms) must be an IPv4
    address); the SNMPv3 options do not exist there and are refused before anything is changed.
    Changes take effect after a reboot. RV(commands) then lists the menu steps.
seealso:
  - module: rackops.apc.services
  - module: rackops.apc.reboot
'''

EXAMPLES = r'''
- name: Read-only community for the monitoring server, SNMPv1 on
  rackops.apc.snmp:
    snmpv1_enabled: true
    communities:
      - index: 1
        community: monitor
        access: read
        nms: 192.0.2.5
      - index: 2
        access: disable

- name: SNMPv3 only, one authenticated and encrypted profile
  rackops.apc.snmp:
    snmpv1_enabled: false
    snmpv3_enabled: true
    snmpv3_users:
      - index: 1
        user_name: nagios
        auth_protocol: sha
        auth_passphrase: "{{ vault_snmp_auth }}"
        priv_protocol: aes
        priv_passphrase: "{{ vault_snmp_priv }}"
    snmpv3_access:
      - index: 1
        enabled: true
        user_name: nagios
        nms: 192.0.2.5
  notify: Reboot management card

- name: Rotate the passphrases (nothing else changes, so say always; run it once)
  rackops.apc.snmp:
    snmpv3_users:
      - index: 1
        auth_passphrase: "{{ vault_snmp_auth_new }}"
        priv_passphrase: "{{ vault_snmp_priv_new }}"
    update_passphrases: always
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent); passphrases as C(********).
  returned: always
  type: list
  elements: str
  sample: ['snmp -c1 monitor -a1 read -n1 192.0.2.5', 'snmpv3 -u1 nagios -ap1 sha -a1 ******** -pp1 aes -c1 ********', 'snmp -S disable']
reboot_required:
  description: A change takes effect only after the management card reboots (disabling SNMPv1).
  returned: always
  type: bool
diff:
  description: Before and after values of the options given (with C(--diff)); passphrases masked.
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.area_snmp import run_snmp_module


def main():
    module = ApcModule(
        argument_spec=dict(
            snmpv1_enabled=dict(type='bool'),
            communities=dict(type='list', elements='dict', options=dict(
                index=dict(type='int', required=True, choices=[1, 2, 3, 4]),
                community=dict(type='str'),
                access=dict(type='str', choices=['read', 'write', 'writeplus', 'disable']),
                nms=dict(type='str'),
            )),
            snmpv3_enabled=dict(type='bool'),
            snmpv3_users=dict(type='list', elements='dict', options=dict(
                index=dict(type='int', required=True, choices=[1, 2, 3, 4]),
                user_name=dict(type='str'),
                auth_protocol=dict(type='str', choices=['sha', 'md5', 'none']),
                auth_passphrase=dict(type='str', no_log=True),
                priv_protocol=dict(type='str', choices=['aes', 'des', 'none']),
                priv_passphrase=dict(type='str', no_log=True),
            )),
            snmpv3_access=dict(type='list', elements='dict', options=dict(
                index=dict(type='int', required=True, choices=[1, 2, 3, 4]),
                enabled=dict(type='bool'),
                user_name=dict(type='str'),
                nms=dict(type='str'),
            )),
            update_passphrases=dict(type='str', choices=['on_change', 'always'], default='on_change'),
        ),
        supports_check_mode=True,
    )
    run_snmp_module(module)


if __name__ == '__main__':
    main()
