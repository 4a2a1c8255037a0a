# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network settings: IPv4 (tcpip), boot mode (boot), DNS (dns), IPv6 (tcpip6)."""

from __future__ import annotations

import ipaddress

from ansible_collections.rackops.apc.plugins.module_utils.device import (
    Area, Field, SettingsError, check_host,
)


def _host_name(name, value):
    text = check_host(name, value, allow_ip=False)
    if '.' in text:
        raise SettingsError('%s must be a single label (put the domain in domain_name), got %r'
                            % (name, value))
    if text.lower() == 'apc':
        raise SettingsError('%s cannot be "apc": the card appends the last six hex digits of '
                            'its MAC address to that name; choose another name' % name)
    return text


def _domain(name, value):
    return check_host(name, value, allow_ip=False)


def _ip_any(name, value):
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        raise SettingsError('%s: %r is not an IPv4 or IPv6 address' % (name, value))


DHCPV6_READ = {'router controlled': 'router', 'router': 'router', 'stateful': 'statefull',
               'statefull': 'statefull', 'stateless': 'stateless', 'never': 'never',
               'address and other information': 'statefull', 'non-address information only': 'stateless'}


def _cross_check(wanted, info):
    """Options of one task that contradict each other (refused before the console)."""
    static = [name for name in ('ipv4_address', 'subnet_mask', 'gateway') if wanted.get(name)]
    if wanted.get('boot_mode') in ('dhcp', 'bootp') and static:
        raise SettingsError('boot_mode %s takes the address from the %s server, so %s would not '
                            'be used: give boot_mode manual with a static address, or leave %s '
                            'out. Nothing was sent.' % (wanted['boot_mode'], wanted['boot_mode'].upper(),
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


def _ipv6_prefix(name, value):
    text = str(value).strip()
    try:
        return str(ipaddress.IPv6Interface(text if '/' in text else text + '/64'))
    except ValueError:
        raise SettingsError('%s: %r is not an IPv6 address (with an optional /prefix)' % (name, value))


NETWORK = Area(
    name='network',
    command_order=('tcpip', 'boot', 'dns', 'tcpip6'),
    cross_check=_cross_check,
    fields=[
        Field('ipv4_enabled', 'tcpip', 'ipv4_enabled', '-S', kind='bool'),
        Field('ipv4_address', 'tcpip', 'ipv4_address', '-i', kind='ipv4'),
        Field('subnet_mask', 'tcpip', 'subnet_mask', '-s', kind='netmask'),
        Field('gateway', 'tcpip', 'gateway', '-g', kind='ipv4'),
        Field('host_name', 'tcpip', 'host_name', '-h', validate=_host_name, case_insensitive=True),
        Field('domain_name', 'tcpip', 'domain_name', '-d', validate=_domain, case_insensitive=True),
        Field('boot_mode', 'boot', 'boot_mode', '-b', kind='choice', choices=('dhcp', 'bootp', 'manual')),
        Field('dhcp_cookie', 'boot', 'dhcp_cookie', '-c', kind='bool'),
        Field('dns_override', 'dns', 'override', '-OM', kind='bool'),
        Field('dns_primary', 'dns', 'primary', '-p', validate=_ip_any),
        Field('dns_secondary', 'dns', 'secondary', '-s', validate=_ip_any),
        Field('ipv6_enabled', 'tcpip6', 'ipv6_enabled', '-S', kind='bool'),
        Field('ipv6_auto', 'tcpip6', 'ipv6_autoconfiguration', '-auto', kind='bool'),
        Field('ipv6_manual', 'tcpip6', 'manual_settings', '-man', kind='bool'),
        Field('ipv6_address', 'tcpip6', 'ipv6_address', '-i', validate=_ipv6_prefix),
        Field('ipv6_gateway', 'tcpip6', 'gateway', '-g', kind='ipv6'),
        Field('dhcpv6_mode', 'tcpip6', 'dhcpv6_mode', '-d6', kind='choice',
              choices=('router', 'statefull', 'stateless', 'never'), read_map=DHCPV6_READ),
    ],
)
