# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network settings: the checks of their values. The settings themselves (IPv4 with tcpip,
boot mode with boot, DNS with dns, IPv6 with tcpip6, and the menu screens) are described in
schema.NETWORK."""

from __future__ import annotations

import ipaddress

from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError, check_host


def host_name(name, value):
    text = check_host(name, value, allow_ip=False)
    if '.' in text:
        raise SettingsError('%s must be a single label (put the domain in domain_name), got %r'
                            % (name, value))
    if text.lower() == 'apc':
        raise SettingsError('%s cannot be "apc": the card appends the last six hex digits of '
                            'its MAC address to that name; choose another name' % name)
    return text


def domain(name, value):
    return check_host(name, value, allow_ip=False)


def ip_any(name, value):
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        raise SettingsError('%s: %r is not an IPv4 or IPv6 address' % (name, value))


DHCPV6_READ = {'router controlled': 'router', 'router': 'router', 'stateful': 'statefull',
               'statefull': 'statefull', 'stateless': 'stateless', 'never': 'never',
               'address and other information': 'statefull', 'non-address information only': 'stateless'}


def cross_check(wanted, info):
    """Options of one task that contradict each other (refused before the console)."""
    static = [name for name in ('ipv4_address', 'subnet_mask', 'gateway') if wanted.get(name)]
    if wanted.get('boot_mode') in ('dhcp', 'bootp', 'dhcp_bootp') and static:
        raise SettingsError('boot_mode %s takes the address from the %s server, so %s would not '
                            'be used: give boot_mode manual with a static address, or leave %s '
                            'out. Nothing was sent.' % (wanted['boot_mode'], wanted['boot_mode'].upper().replace('_', ' & '),
                                                        ', '.join(static), 'it' if len(static) == 1 else 'them'))
    check_gateway(wanted)


def check_gateway(wanted):
    """The gateway lies in the address's network. (A whole configuration, such as a
    config.ini, may hold a static address beside boot mode DHCP: the card keeps it for
    manual mode, so only this check applies there.)"""
    address, mask = wanted.get('ipv4_address'), wanted.get('subnet_mask')
    gateway = wanted.get('gateway')
    if address and mask and gateway and gateway != '0.0.0.0':
        net = ipaddress.IPv4Network('%s/%s' % (address, mask), strict=False)
        if ipaddress.IPv4Address(gateway) not in net:
            raise SettingsError('gateway %s is not in the network %s of ipv4_address %s'
                                % (gateway, net, address))


def ipv6_prefix(name, value):
    text = str(value).strip()
    try:
        return str(ipaddress.IPv6Interface(text if '/' in text else text + '/64'))
    except ValueError:
        raise SettingsError('%s: %r is not an IPv6 address (with an optional /prefix)' % (name, value))
