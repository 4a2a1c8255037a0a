#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: time
short_description: Configure NTP, date format, time zone and clock of an APC management card
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sets the time settings of an NMC2/NMC3 card, AP79xxB or AP89xx Rack PDU through its serial
    console (C(rackops.apc.console) connection), using the C(ntp) and C(date) commands.
  - Reads the current values first and sends only what differs. Options left out are not
    touched. NTP changes are one C(ntp) command; the date format, time zone and clock are one
    C(date) command (C(date -f -z -d -t)), so a date is written in the format set with it.
  - B(Setting the clock and idempotence.) A clock moves, so it is never equal to a wanted
    value. The clock is set only when the card's clock is more than O(max_drift) seconds away
    from the wanted moment, and left alone otherwise. Give the wanted moment with O(date) and
    O(time) (templated from the controller's C(now()) to stay idempotent; literal values are
    only within O(max_drift) for that long after they were set), or let O(sync_clock) take it
    from the controller's clock. O(date) alone compares the day only; O(time) alone compares
    the time of day.
  - The card shows local time (UTC plus its time zone, no daylight saving). When O(time_zone)
    changes in the same task, the clock is compared as it will read in the new zone.
  - When NTP sets the card's clock, a clock set by hand is overwritten at the next NTP update.
  - None of these changes needs a reboot.
options:
  ntp_enabled:
    description:
      - Use NTP (C(ntp -e)).
      - Only on cards whose C(ntp) output says whether NTP is enabled; AOS 6.9.6, for one, does
        not print it, and the task then fails before sending anything (the module could not
        tell whether a change is needed).
    type: bool
  ntp_override:
    description: Use the manual NTP servers even when DHCP supplies others (C(ntp -OM)).
    type: bool
  ntp_primary:
    description: Primary NTP server, IPv4 or IPv6 address or host name; C(0.0.0.0) means none.
    type: str
  ntp_secondary:
    description: Secondary NTP server, IPv4 or IPv6 address or host name; C(0.0.0.0) means none.
    type: str
  date_format:
    description: How the card writes dates everywhere in its interfaces.
    type: str
    choices: [mm/dd/yyyy, dd.mm.yyyy, mmm-dd-yy, dd-mmm-yy, yyyy-mm-dd]
  time_zone:
    description:
      - Offset from UTC, C(+hh:mm) or C(-hh:mm) with minutes 00, 15, 30 or 45, from C(-12:00) to
        C(+14:00).
    type: str
  date:
    description:
      - Wanted date of the card's clock, always written C(YYYY-MM-DD) (the module converts it to
        the card's date format), years 2000 to 2099.
      - Without O(time), the date is set when the card's day differs.
    type: str
  time:
    description:
      - Wanted time of the card's clock, 24-hour C(HH:MM:SS), local time in the card's
        (or the new O(time_zone)'s) zone.
      - Set only when the clock is more than O(max_drift) seconds away.
    type: str
  sync_clock:
    description:
      - Set the card's clock to the controller's current time (UTC shifted by the card's time
        zone) when it is more than O(max_drift) seconds away. Mutually exclusive with O(date)
        and O(time).
    type: bool
    default: false
  max_drift:
    description:
      - How many seconds the card's clock may be away from the wanted moment before it is set.
        Reading the card takes a second or two at 9600 baud; values below 5 make the task
        report a change nearly every time.
    type: int
    default: 60
attributes:
  check_mode:
    support: full
    description: Reads the device and reports what would be sent in RV(commands); sends nothing.
  diff_mode:
    support: full
    description:
      - Before and after values of the options given; for the clock the card's date and time
        and the wanted ones (equal when the clock is within O(max_drift)).
  platform:
    support: full
    platforms: apc
    description: APC devices with the C(apc>) command line, through the C(rackops.apc.console) connection.
notes:
  - On menu consoles (Control Console, AOS 2.x/3.x) O(date_format), O(date) and O(time) are set
    under System > Date/Time (O(sync_clock) sets UTC, the menu has no time zone). The NTP
    options and O(time_zone) do not exist there and are refused before anything is changed.
    RV(commands) then lists the menu steps.
seealso:
  - module: rackops.apc.network
'''

EXAMPLES = r'''
- name: NTP servers, time zone and ISO dates
  rackops.apc.time:
    ntp_override: true
    ntp_primary: 192.0.2.123
    ntp_secondary: ntp.example.net
    time_zone: "+01:00"
    date_format: yyyy-mm-dd

- name: Set the clock from the controller when it is more than two minutes off
  rackops.apc.time:
    sync_clock: true
    max_drift: 120

- name: Set the clock to a templated moment (local time of the card's zone)
  rackops.apc.time:
    time_zone: "+00:00"
    date: "{{ now(utc=true).strftime('%Y-%m-%d') }}"
    time: "{{ now(utc=true).strftime('%H:%M:%S') }}"
'''

RETURN = r'''
commands:
  description: Commands sent (or, in check mode, that would be sent).
  returned: always
  type: list
  elements: str
  sample: ['ntp -OM enable -p 192.0.2.123', 'date -f yyyy-mm-dd -z +01:00 -d 2026-03-01 -t 12:00:00']
reboot_required:
  description: A change takes effect only after the management card reboots (not expected for these settings).
  returned: always
  type: bool
diff:
  description: Before and after values of the options given (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.area_time import run_time_module


def main():
    module = ApcModule(
        argument_spec=dict(
            ntp_enabled=dict(type='bool'),
            ntp_override=dict(type='bool'),
            ntp_primary=dict(type='str'),
            ntp_secondary=dict(type='str'),
            date_format=dict(type='str', choices=['mm/dd/yyyy', 'dd.mm.yyyy', 'mmm-dd-yy',
                                                  'dd-mmm-yy', 'yyyy-mm-dd']),
            time_zone=dict(type='str'),
            date=dict(type='str'),
            time=dict(type='str'),
            sync_clock=dict(type='bool', default=False),
            max_drift=dict(type='int', default=60),
        ),
        supports_check_mode=True,
    )
    run_time_module(module)


if __name__ == '__main__':
    main()
