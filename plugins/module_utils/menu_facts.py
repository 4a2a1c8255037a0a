# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts from a menu console (Control Console), in the command line's fact shapes where
the menus show the same thing (identity, network, boot, dns, users, services, snmp, time,
outlets, ups). ``read(path)`` / ``read_many(paths)`` return parsed screens."""

from __future__ import annotations

import re

from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp
from ansible_collections.rackops.apc.plugins.module_utils.cli_facts import resolve_subsets
from ansible_collections.rackops.apc.plugins.module_utils.menu_device import read_dns, read_tcpip

ACCOUNT_TYPES = (('Administrator', 'Super User'), ('Device Manager', 'Device'),
                 ('Read Only User', 'Read-Only'))
SNMP_ACCESS = {'disabled': 'disable', 'read': 'read', 'write': 'write', 'write+': 'writeplus'}


def _bool(value):
    text = mp.normalise(value)
    if text in ('enabled', 'enable', 'on', 'yes'):
        return True
    if text in ('disabled', 'disable', 'off', 'no'):
        return False
    return None


def _int(value):
    match = re.match(r'^\s*(-?\d+)', str(value or ''))
    return int(match.group(1)) if match else None


def _number(value):
    match = re.match(r'^\s*(-?\d+(?:\.\d+)?)', str(value or ''))
    return float(match.group(1)) if match else None


def identity(read):
    screen = read(mp.path('identification'))
    return {'name': mp.value_of(screen, 'System Name'), 'contact': mp.value_of(screen, 'Contact'),
            'location': mp.value_of(screen, 'Location')}


def network(read):
    tcp = read_tcpip(read(mp.path('tcpip')))
    ipv4 = {'ipv4_address': tcp['ipv4_address'], 'subnet_mask': tcp['subnet_mask'],
            'gateway': tcp['gateway'], 'mac_address': tcp['mac_address'], 'active': tcp['active']}
    return {'ipv4': ipv4}, {'boot_mode': tcp['boot_mode']}


def dns(read):
    values = read_dns(read(mp.path('dns')))
    return {'primary': values['dns_primary'], 'secondary': values['dns_secondary'],
            'domain_name': values['domain_name'], 'override': True}


def users(read_many):
    paths = [mp.path('users', label) for label, _type in ACCOUNT_TYPES]
    out = []
    for (label, user_type), screen in zip(ACCOUNT_TYPES, read_many(paths)):
        access = mp.value_of(screen, 'Access')
        enabled = True if access is None else _bool(access)
        out.append({'name': mp.value_of(screen, 'User Name'), 'user_type': user_type,
                    'account': label, 'enabled': enabled,
                    'status': 'Enabled' if enabled else 'Disabled'})
    return out


def services(read_many):
    web, console, ftp = read_many([mp.path('web'), mp.path('telnet_ssh'), mp.path('ftp')])
    web_on = _bool(mp.value_of(web, 'Access'))
    ssl = _bool(mp.value_of(web, 'SSL/TLS'))
    console_on = _bool(mp.value_of(console, 'Access'))
    protocol = mp.normalise(mp.value_of(console, 'Protocol'))
    out = {
        'web': {'http_enabled': bool(web_on and not ssl), 'https_enabled': bool(web_on and ssl),
                'http_port': _int(mp.value_of(web, 'HTTP Port')),
                'https_port': _int(mp.value_of(web, 'HTTPS Port')), 'form': 'menu'},
        'console': {'telnet_enabled': bool(console_on and protocol == 'telnet'),
                    'ssh_enabled': bool(console_on and protocol == 'ssh'),
                    'telnet_port': _int(mp.value_of(console, 'Telnet Port')),
                    'ssh_port': _int(mp.value_of(console, 'SSH Port')), 'form': 'menu'},
        'ftp': {'enabled': _bool(mp.value_of(ftp, 'Access')), 'port': _int(mp.value_of(ftp, 'Port'))},
    }
    certificate = mp.value_of(web, 'SSL Certificate')
    if certificate is not None:
        out['web']['ssl_certificate'] = certificate
    notes = [line for line in web.get('header_lines', []) if line]
    if notes:
        out['web']['note'] = ' '.join(notes)
    return out


def snmp(read, read_many):
    screen = read(mp.path('snmp'))
    communities = []
    labels = [item['label'] for item in screen['items'] if mp.normalise(item['label']).startswith('access control')]
    screens = read_many([mp.path('snmp', label) for label in labels]) if labels else []
    for label, sub in zip(labels, screens):
        access = mp.normalise(mp.value_of(sub, 'Access Type'))
        communities.append({'index': _int(label.split()[-1]), 'community': mp.value_of(sub, 'Community Name'),
                            'access': SNMP_ACCESS.get(access, access), 'nms': mp.value_of(sub, 'NMS IP')})
    return {'snmpv1': {'enabled': _bool(mp.value_of(screen, 'Access')), 'communities': communities}}


def date_time(read):
    screen = read(mp.path('datetime'))
    return {'date': {'date': mp.value_of(screen, 'Date'), 'time': mp.value_of(screen, 'Time'),
                     'format': mp.value_of(screen, 'Date Format')}}


def outlets(read, read_many, info):
    listed = mp.parse_outlet_list(read(mp.path('outlets')))
    configs = read_many([mp.outlet_path(o['number'], 'Configure Outlet') for o in listed])
    out = []
    for entry, screen in zip(listed, configs):
        config = mp.parse_outlet_config(screen)
        out.append({'number': entry['number'], 'name': config['name'] or entry['name'],
                    'state': entry['state'], 'pending': entry['pending'],
                    'on_delay': config['on_delay'], 'off_delay': config['off_delay'],
                    'reboot_duration': config['reboot_duration']})
    pdu = {'model': info.get('model'), 'present_outlets': len(listed)}
    return {'outlets': out, 'pdu': pdu}


def ups(read_many):
    about, status = read_many([mp.path('ups_about'), mp.path('ups_status')])
    head = about.get('header', {})
    stat = status.get('header', {})
    text = stat.get('Status of UPS')
    return {
        'about': {'model': head.get('Model'), 'serial_number': head.get('Serial Number'),
                  'firmware_revision': head.get('Firmware Revision'),
                  'manufacture_date': head.get('Manufacture Date')},
        'status': {
            'status': text,
            'state': text.split(',')[0].strip() if text else None,
            'on_battery': bool(text and 'battery' in text.lower()),
            'last_transfer': stat.get('Last Transfer'),
            'battery_charge_percent': _number(stat.get('Battery Capacity')),
            'runtime_remaining_minutes': _int(stat.get('Runtime Remaining')),
            'input_voltage': _number(stat.get('Input Voltage')),
            'input_frequency': _number(stat.get('Input Frequency')),
            'output_voltage': _number(stat.get('Output Voltage')),
            'output_watts_percent': _number(stat.get('Load Power')),
            'battery_voltage': _number(stat.get('Battery Voltage')),
            'internal_temperature_c': _number(stat.get('Internal Temperature')),
        },
    }


def gather_menu_facts(read, read_many, subsets, info):
    """Read the requested areas; returns (facts, notes)."""
    notes = []
    areas = resolve_subsets(subsets, info)
    facts = {}
    for area in areas:
        if area == 'identity':
            facts['identity'] = identity(read)
        elif area == 'network' or area == 'boot':
            if 'network' not in facts:
                net, boot = network(read)
                if 'network' in areas:
                    facts['network'] = net
                if 'boot' in areas:
                    facts['boot'] = boot
        elif area == 'dns':
            facts['dns'] = dns(read)
        elif area == 'users':
            facts['users'] = users(read_many)
        elif area == 'services':
            facts['services'] = services(read_many)
        elif area == 'snmp':
            facts['snmp'] = snmp(read, read_many)
            notes.append('snmp: the menu console has SNMPv1 only (no SNMPv3)')
        elif area == 'time':
            facts['time'] = date_time(read)
            notes.append('time: the menu console has no NTP or time zone settings')
        elif area == 'outlets':
            facts.update(outlets(read, read_many, info))
        elif area == 'ups':
            facts['ups'] = ups(read_many)
    if 'network' in areas:
        notes.append('network: the menu console has no IPv6, host name or DHCP cookie settings')
    return facts, notes
