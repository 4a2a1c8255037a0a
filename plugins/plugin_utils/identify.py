# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a logged-in console is: model, serial numbers, firmware, outlet count, per dialect.

The connection plugin asks once per login (``identify``); modules get the answer through its
``get_device_info`` RPC. Everything here only reads: on the command line ``about``,
``prodInfo`` (Rack PDUs) and ``upsabout`` (UPS cards), on the menus the banner, About System,
the outlet list and About UPS, on a UPS's smart port its identification letters.
"""

from __future__ import annotations

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils import menu_parse
from ansible_collections.rackops.apc.plugins.module_utils import models

# The smart-protocol letters read to identify a UPS: model, serial number, manufacture date,
# firmware, old firmware, battery date, protocol string, EEPROM table.
SMART_IDENTITY = ('^A', 'n', 'm', 'b', 'V', 'x', 'a', '^Z')


def identify(session, log=None):
    """The device info of ``session`` (logged in). When line noise first shows while it is
    read, the answers read before were taken without a second read: it is read again, now
    with every answer verified (``ConsoleSession.verified``)."""
    before = session.noisy
    info = _identify_once(session)
    if not before and session.noisy:
        if log:
            log('vvv', 'line noise while identifying the device; reading it again')
        info = _identify_once(session)
    info['password_max'] = models.password_max(info)
    return info


def _identify_once(session):
    if session.dialect == 'smart':
        return smart_info(session.smart)
    if session.dialect == 'menu':
        return menu_info(session)
    return cli_info(session)


def _read(session, command):
    """A read-only command; None unless the card answered with success."""
    result = session.run(command, read=True)
    return result if result['code'] and result['code'].startswith('E0') else None


def cli_info(session):
    banner = cli_parse.parse_banner(session.banner) if session.banner else {}
    info = {
        'dialect': session.dialect,
        'model': None,
        'card_model': None,
        'serial_number': None,
        'card_serial_number': None,
        'mac_address': None,
        'name': banner.get('name'),
        'firmware': {'aos': banner.get('aos_version'), 'app': banner.get('app_version'),
                     'app_name': banner.get('app_name'), 'bootmon': None},
        'application': banner.get('app_name'),
        'is_pdu': False,
        'is_ups': False,
        'outlet_count': None,
        'phase_count': None,
        'password_changed_at_login': session.password_changed_at_login,
    }
    about = _read(session, 'about')
    if about:
        parsed = cli_parse.parse_about(about['output'])
        hardware = parsed.get('hardware', {})
        info['card_model'] = hardware.get('model_number')
        info['model'] = hardware.get('model_number')
        info['card_serial_number'] = hardware.get('serial_number')
        info['serial_number'] = hardware.get('serial_number')
        info['mac_address'] = hardware.get('mac_address')
        info['hardware_revision'] = hardware.get('hardware_revision')
        app = parsed.get('application', {})
        info['firmware']['aos'] = parsed.get('aos', {}).get('version') or info['firmware']['aos']
        info['firmware']['app'] = app.get('version') or info['firmware']['app']
        info['firmware']['app_module'] = app.get('name')
        info['firmware']['bootmon'] = parsed.get('boot_monitor', {}).get('version')
    app_text = ' '.join(str(v) for v in (info['firmware'].get('app_name'),
                                         info['firmware'].get('app_module')) if v).lower()
    info['is_pdu'] = 'rpdu' in app_text or 'rack pdu' in app_text
    info['is_ups'] = 'ups' in app_text or 'sumx' in app_text or app_text == 'sy'
    if info['is_pdu']:
        prod = _read(session, 'prodInfo')
        if prod:
            parsed = cli_parse.parse_prodinfo(prod['output'])
            info['model'] = parsed.get('model') or info['model']
            info['outlet_count'] = parsed.get('present_outlets')
            info['phase_count'] = parsed.get('present_phases')
    if info['is_ups']:
        ups = _read(session, 'upsabout')
        if ups:
            parsed = cli_parse.parse_upsabout(ups['output'])
            info['model'] = parsed.get('model') or info['model']
            info['serial_number'] = parsed.get('serial_number') or info['serial_number']
            info['ups_firmware'] = parsed.get('firmware_revision')
    return info


def smart_info(proto):
    values = dict((name, proto.query(name)) for name in SMART_IDENTITY)
    firmware = values['b'] or ''
    protocol = {}
    if values['a']:
        parts = values['a'].split('.')
        protocol = {'version': parts[0] if parts else None,
                    'alerts': parts[1] if len(parts) > 1 else '',
                    'commands': parts[2] if len(parts) > 2 else ''}
    return {
        'dialect': 'smart',
        'is_ups': True,
        'is_pdu': False,
        'outlet_count': None,
        'model': values['^A'],
        'card_model': None,
        'serial_number': values['n'],
        'manufacture_date': values['m'],
        'battery_date': values['x'],
        'mac_address': None,
        'name': None,
        'firmware': {'ups': values['b'], 'old': values['V'], 'aos': None},
        'locale': firmware[-1:] if firmware else None,
        'protocol': protocol,
        'eeprom_raw': values['^Z'],
        'password_changed_at_login': False,
    }


def menu_info(session):
    """Menu consoles: the banner, System > About System, the outlet list (Rack PDUs) and
    Device Manager > About UPS (NMC1 cards)."""
    nav = session.menu
    banner = menu_parse.parse_banner(session.banner)
    about = nav.read(menu_parse.path('about'))['header']
    app_name = banner.get('app_name')
    app_version = about.get(app_name) if app_name else None
    info = {
        'dialect': 'menu',
        'model': about.get('Model Number'),
        'card_model': about.get('Model Number'),
        'serial_number': about.get('Serial Number'),
        'card_serial_number': about.get('Serial Number'),
        'mac_address': menu_parse.mac(about.get('MAC Address')),
        'hardware_revision': about.get('Hardware Revision'),
        'manufacture_date': about.get('Manufacture Date'),
        'name': banner.get('name'),
        'firmware': {'aos': about.get('AOS') or banner.get('aos_version'),
                     'app': app_version or banner.get('app_version'),
                     'app_name': app_name, 'bootmon': None},
        'application': app_name,
        'status_line': banner.get('status_line'),
        'is_pdu': False,
        'is_ups': False,
        'outlet_count': None,
        'phase_count': None,
        'password_changed_at_login': False,
    }
    app_text = (app_name or '').lower()
    info['is_pdu'] = 'rack pdu' in app_text or 'rpdu' in app_text
    info['is_ups'] = 'ups' in app_text
    if info['is_pdu']:
        outlets = menu_parse.parse_outlet_list(nav.read(menu_parse.path('outlets')))
        info['outlet_count'] = len(outlets)
    if info['is_ups']:
        ups = nav.read(menu_parse.path('ups_about'))['header']
        info['model'] = ups.get('Model') or info['model']
        info['serial_number'] = ups.get('Serial Number') or info['serial_number']
        info['ups_firmware'] = ups.get('Firmware Revision')
    nav.home()
    return info
