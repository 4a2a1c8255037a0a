#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: services
short_description: Configure the web server, Telnet/SSH, FTP and serial speed of an APC management card
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sets the network services of an NMC2/NMC3 card, AP79xxB or AP89xx Rack PDU through its
    serial console (C(rackops.apc.console) connection), using the C(web), C(console) and
    C(ftp) commands.
  - Reads the current values first and sends only what differs, one command per area with
    every option that differs. Options left out are not touched.
  - On AOS 6.x, 7.x and NMC3 each protocol is switched on its own (C(web -h -s -ph -ps),
    C(console -t -s -pt -ps)). AOS 5.x serves only one web protocol and one remote console
    protocol at a time (C(web -S http|https|disable), C(console -S telnet|ssh|disable)); on
    that firmware the module sends those forms, enabling one protocol of a pair turns the
    other off (the diff shows it), and asking for both of a pair to be enabled is refused.
  - Service and port changes take effect only after the management card reboots (the card
    answers C(E002)); the module then returns RV(reboot_required=true). Reboot with
    M(rackops.apc.reboot) or a handler when it suits you.
  - Ports are checked before anything is sent (the card's ranges, and no two services on one
    port).
options:
  http_enabled:
    description: Serve the web interface over HTTP.
    type: bool
  https_enabled:
    description: Serve the web interface over HTTPS.
    type: bool
  http_port:
    description: HTTP port, V(80) or 5000 to 32768.
    type: int
  https_port:
    description: HTTPS port, V(443) or 5000 to 32768.
    type: int
  telnet_enabled:
    description: Allow Telnet access to the command line.
    type: bool
  ssh_enabled:
    description: Allow SSH (and SCP) access to the command line.
    type: bool
  telnet_port:
    description: Telnet port, V(23) or 5000 to 32768.
    type: int
  ssh_port:
    description: SSH port, V(22) or 5000 to 32768.
    type: int
  ftp_enabled:
    description: Run the FTP server.
    type: bool
  ftp_port:
    description: FTP port, V(21) or 5001 to 32768.
    type: int
  console_baud_rate:
    description:
      - Speed of the card's serial console.
      - B(This is the line the module itself talks over.) The card switches speed right after
        it answers, so the running connection can no longer read it. A change is therefore
        refused unless O(allow_console_baud_change=true). When it is made, it is sent last and
        alone and is not read back; the task warns and RV(next_steps) says what to do (set
        C(ansible_serial_baud_rate) to the new speed for the host and run
        C(meta) C(reset_connection) before the next task on it).
      - A value equal to the card's current speed changes nothing and needs no permission.
    type: int
    choices: [2400, 9600, 19200, 38400]
  allow_console_baud_change:
    description:
      - Allow O(console_baud_rate) to change the speed of the console this connection uses.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reads the device and reports what would be sent in RV(commands); sends nothing.
  diff_mode:
    support: full
    description:
      - Before and after values of the options given (on AOS 5.x also the other protocol of a
        pair that changes with it).
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - On menu consoles (Control Console, AOS 2.x/3.x) the web server is set under Network >
    Web/SSL/TLS (Access plus SSL/TLS, so one of HTTP and HTTPS at a time), Telnet/SSH under Network >
    Telnet/SSH (Access plus Protocol, one at a time) and FTP under Network > FTP Server; asking for
    both protocols of a pair is refused, and so is O(console_baud_rate). Changes take effect after
    a reboot (RV(reboot_required=true)). RV(commands) then lists the menu steps.
  - On AOS 2.x menu firmware (AP7920 hardware B2, 2005-2006) the SSL/TLS and SSH set-up (licence
    agreement, key generation) can only be completed in the web interface, so
    O(https_enabled=true) and O(ssh_enabled=true) are refused there before anything is changed.
seealso:
  - module: rackops.apc.snmp
  - module: rackops.apc.reboot
'''

EXAMPLES = r'''
- name: HTTPS only, SSH only, no FTP
  rackops.apc.services:
    http_enabled: false
    https_enabled: true
    telnet_enabled: false
    ssh_enabled: true
    ftp_enabled: false
  notify: Reboot management card

- name: Faster serial console, then reconnect at the new speed
  block:
    - name: Set 38400 baud
      rackops.apc.services:
        console_baud_rate: 38400
        allow_console_baud_change: true

    - name: Use the new speed from now on
      ansible.builtin.set_fact:
        ansible_serial_baud_rate: 38400

    - name: Reconnect
      ansible.builtin.meta: reset_connection
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['web -h disable -s enable', 'console -t disable -s enable']
reboot_required:
  description: A change takes effect only after the management card reboots.
  returned: always
  type: bool
next_steps:
  description: What to do next for the changes to take effect or for the connection to keep working.
  returned: always
  type: list
  elements: str
  sample: ['reboot the management card (rackops.apc.reboot) for the service changes to take effect']
diff:
  description: Before and after values of the options given (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.area_services import run_services_module


def main():
    module = ApcModule(
        argument_spec=dict(
            http_enabled=dict(type='bool'),
            https_enabled=dict(type='bool'),
            http_port=dict(type='int'),
            https_port=dict(type='int'),
            telnet_enabled=dict(type='bool'),
            ssh_enabled=dict(type='bool'),
            telnet_port=dict(type='int'),
            ssh_port=dict(type='int'),
            ftp_enabled=dict(type='bool'),
            ftp_port=dict(type='int'),
            console_baud_rate=dict(type='int', choices=[2400, 9600, 19200, 38400]),
            allow_console_baud_change=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    run_services_module(module)


if __name__ == '__main__':
    main()
