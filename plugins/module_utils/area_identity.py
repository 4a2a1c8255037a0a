# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identity: system name, contact, location, message, host-name sync (system)."""

from __future__ import annotations

from ansible_collections.rackops.apc.plugins.module_utils.device import Area, Field

# The command-line guide documents no limits; the web UI and SNMP (sysName, sysContact,
# sysLocation) take 255 characters. A longer value is refused before anything is sent.
MAX_TEXT = 255

IDENTITY = Area(
    name='identity',
    command_order=('system',),
    fields=[
        Field('name', 'system', 'name', '-n', max_length=MAX_TEXT),
        Field('contact', 'system', 'contact', '-c', max_length=MAX_TEXT),
        Field('location', 'system', 'location', '-l', max_length=MAX_TEXT),
        Field('system_message', 'system', 'message', '-m', max_length=MAX_TEXT),
        Field('host_name_sync', 'system', 'host_name_sync', '-s', kind='bool'),
    ],
)
