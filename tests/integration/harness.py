# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the integration tests (imported by name, unlike conftest)."""

from __future__ import annotations


def inventory_for(devices, **hostvars):
    """An inventory dict with one host per (name, SimDevice)."""
    hosts = {}
    for name, device in devices.items():
        entry = {
            'ansible_connection': 'rackops.apc.console',
            'ansible_serial_url': device.url,
            'ansible_user': 'apc',
            'ansible_password': 'apc',
            'ansible_apc_login_timeout': 20,
            'ansible_apc_boot_timeout': 60,
            'ansible_apc_wake_interval': 1,
        }
        entry.update(hostvars)
        hosts[name] = entry
    return {'all': {'hosts': hosts}}
