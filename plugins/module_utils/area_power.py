# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restarting and resetting the management card (never the load).

Shared by the ``reboot`` and ``reset`` modules: send ``reboot`` answering its YES question,
wait until the console is back and logged in, and the pieces the reset reports with (the
network configuration before and after, the accounts, whether the firmware forces a
password change at the first login with the factory credentials).
"""

from __future__ import annotations

import time

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse, models
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, firmware_family,
)

FACTORY_USER = models.FACTORY['user']
FACTORY_PASSWORD = models.FACTORY['password']
RESET_SCOPES = ('all', 'keepip')

# What the network snapshot holds (compared to tell whether the network was kept).
NETWORK_KEYS = ('boot_mode', 'ipv4_address', 'subnet_mask', 'gateway', 'host_name', 'domain_name')


def _run(console, command, confirm=False):
    result = console.run(command, confirm=confirm)
    raw = result.raw or {}
    if result.failed or raw.get('cancelled'):
        detail = '%s: %s' % (result.code, result.message) if result.code else 'cancelled'
        raise ApplyError('the device refused %r (%s)' % (command, detail), result=result)
    return result


def start_reboot(console):
    """Send ``reboot`` and answer YES; raises ApplyError unless the card started rebooting."""
    result = _run(console, 'reboot', confirm=True)
    if not (result.raw or {}).get('rebooting'):
        raise ApplyError('the management card did not announce a reboot after YES (%s %s)'
                         % (result.code or 'no result code', result.message), result=result)
    return result


def reboot_and_wait(console, timeout=None, clock=time.monotonic):
    """Reboot the management card and wait until the console is logged in again.

    Returns (elapsed seconds, device info after the reboot).
    """
    started = clock()
    start_reboot(console)
    info = console.wait_for_reboot(timeout)
    return round(clock() - started, 1), info


def relogin(console, user, secrets, timeout=None):
    """Log the session in again as ``user`` (after a reset), waiting for a rebooting card.

    ``secrets``: {'password': ..., 'new_password': ...}; they cross JSON-RPC under the
    ``secrets`` key, which the persistent log masks. Returns the device info.
    """
    # the connection's relogin RPC; DeviceConsole turns its errors into ConsoleFailure
    info = console._call('relogin', user=user, secrets=dict(secrets), timeout=timeout)  # pylint: disable=protected-access
    console._info = info  # pylint: disable=protected-access
    return info


def forces_first_login_change(info):
    """AOS 6.9.6 and later (and NMC3) make the factory apc/apc login change its password."""
    family = firmware_family(info)
    if family == 'nmc3':
        return True
    version = cli_parse.parse_version(str(((info or {}).get('firmware') or {}).get('aos') or ''))
    if family == 'aos6':
        return tuple(version[:3]) >= (6, 9, 6)
    return family not in ('aos5', 'unknown')


def read_network(console):
    """The card's IPv4 configuration (boot mode and manual settings) as a flat dict."""
    snapshot = {}
    tcpip = cli_parse.parse_tcpip(_run(console, 'tcpip').output)
    boot = cli_parse.parse_boot(_run(console, 'boot').output)
    snapshot['boot_mode'] = boot.get('boot_mode')
    for key in NETWORK_KEYS[1:]:
        snapshot[key] = tcpip.get(key)
    snapshot['active_ipv4_address'] = (tcpip.get('active') or {}).get('ipv4_address')
    return snapshot


def network_kept(before, after):
    return all(before.get(key) == after.get(key) for key in NETWORK_KEYS)


def read_users(console):
    """[{'name', 'user_type', 'enabled'}] from the ``user`` list."""
    users = cli_parse.parse_user_list(_run(console, 'user').output)
    return [{'name': u['name'], 'user_type': u['user_type'], 'enabled': u['enabled']} for u in users]


def public_info(info):
    """Device info without the session block, and the session's reboot flag on its own."""
    info = dict(info or {})
    session = info.pop('session', None) or {}
    return info, bool(session.get('reboot_required'))
