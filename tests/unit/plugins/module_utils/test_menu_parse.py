# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Menu-console screen parsers on screens recorded from the simulator's menu profiles
(fixtures/menu/: AP7920 AOS v3.7.3, AP7920 hardware B2 AOS v2.6.4, AP9617 NMC1 v3.7.3).
Each fixture is the raw text after choosing an item: the echoed number first."""

from __future__ import annotations

import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'menu')
V3, V26, NMC1 = 'ap7920_v3.7.3', 'ap7920b2_v2.6.4', 'ap9617_v3.7.3'


def screen(variant, name):
    with open(os.path.join(FIXTURES, variant, name + '.txt'), encoding='latin-1', newline='') as handle:
        return mp.parse_screen(handle.read())


def raw(variant, name):
    with open(os.path.join(FIXTURES, variant, name + '.txt'), encoding='latin-1', newline='') as handle:
        return handle.read()


def test_main_menu_title_items_footer():
    main = screen(V3, 'login')
    assert main['title'] == 'Control Console'
    assert [i['label'] for i in main['items']] == ['Device Manager', 'Network', 'System', 'Logout']
    assert main['footer'].startswith('<ESC>- Main Menu')
    assert main['prompt'] is True


@pytest.mark.parametrize('variant, number', [(V3, 6), (V26, 5)])
def test_items_are_found_by_label_not_number(variant, number):
    network = screen(variant, 'network')
    for label in ('Web/SSL/TLS', 'Web/SSL', 'web/ssl/tls', '  WEB/SSL  '):
        assert mp.find_item(network, label)['number'] == number
    assert mp.find_item(network, ('Web', 'Web/SSL/TLS'))['label'] == 'Web/SSL/TLS'
    assert mp.find_item(network, 'Nothing Here', required=False) is None
    with pytest.raises(mp.MenuParseError, match='no item'):
        mp.find_item(network, 'Nothing Here')


def test_abbreviations_and_extensions_of_labels():
    users = screen(V3, 'users')
    assert mp.find_item(users, 'Device Manager User')['number'] == 2
    assert mp.find_item(users, 'Device Manager')['number'] == 2
    assert mp.find_item(users, 'Read Only')['number'] == 3
    assert mp.find_item(users, 'Administrator')['number'] == 1


def test_fields_with_values_and_padding():
    tcpip = screen(V26, 'tcpip')
    assert mp.fields(tcpip) == {'Boot Mode': 'DHCP & BOOTP', 'System IP': '0.0.0.0',
                                'Subnet Mask': '0.0.0.0', 'Default Gateway': '0.0.0.0'}
    assert tcpip['header']['Current IP Address'] == '192.168.254.41'
    assert mp.find_item(tcpip, mp.ACCEPT)['number'] == 5
    # AOS 3.x shows the addresses only in manual mode
    assert mp.fields(screen(V3, 'tcpip')) == {'Boot Mode': 'DHCP & BOOTP'}
    assert mp.find_item(screen(V3, 'tcpip'), mp.ACCEPT)['number'] == 2


def test_choice_screen():
    boot = screen(V3, 'boot_mode')
    assert mp.is_choice_screen(boot) and mp.current_setting(boot) == 'DHCP & BOOTP'
    assert mp.find_item(boot, 'Manual')['number'] == 1
    assert mp.find_item(boot, 'DHCP')['number'] == 3           # exact beats 'DHCP & BOOTP'
    assert mp.find_item(screen(V26, 'boot_mode'), 'Manual')['number'] == 4
    assert not mp.is_choice_screen(screen(V3, 'tcpip'))


def test_password_shows_hidden_and_b2_has_no_access_item():
    assert mp.value_of(screen(V3, 'device_user'), 'Password') == '<hidden>'
    assert mp.value_of(screen(V3, 'device_user'), 'Access') == 'Enabled'
    assert mp.find_item(screen(V26, 'device_user'), 'Access', required=False) is None


@pytest.mark.parametrize('variant', [V3, V26])
def test_outlet_list_and_configure_outlet(variant):
    outlets = mp.parse_outlet_list(screen(variant, 'outlet_list'))
    assert [o['number'] for o in outlets] == list(range(1, 9))
    assert outlets[0] == {'number': 1, 'name': 'Outlet 1', 'state': 'on', 'pending': False}
    config = mp.parse_outlet_config(screen(variant, 'configure'))
    assert config == {'name': 'Outlet 1', 'on_delay': 0, 'off_delay': 0, 'reboot_duration': 5}
    assert screen(variant, 'configure')['header']['Outlet'] == '1'


def test_outlet_names_with_blanks_and_never():
    text = ('1\r\n\r\n------- Outlet Control/Configuration ----------------------------------------\r\n\r\n'
            '     1- web-01 psu A             OFF\r\n     2- Outlet 2                 ON\r\n'
            '     3- Master Control/Configuration\r\n\r\n'
            '     <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> ')
    outlets = mp.parse_outlet_list(mp.parse_screen(text))
    assert outlets == [{'number': 1, 'name': 'web-01 psu A', 'state': 'off', 'pending': False},
                       {'number': 2, 'name': 'Outlet 2', 'state': 'on', 'pending': False}]
    assert mp.parse_delay('Never') == -1 and mp.parse_delay('120') == 120


def test_error_messages_before_the_screen():
    text = ('10.0.0.300\r\nInvalid IP address.\r\n\r\n' + raw(V26, 'tcpip')[1:])
    parsed = mp.parse_screen(text)
    assert parsed['title'] == 'TCP/IP'
    assert mp.strip_messages(parsed, '10.0.0.300') == ['Invalid IP address.']


def test_banner_pdu_and_nmc1():
    banner = mp.parse_banner(raw(V3, 'login'))
    assert banner['aos_version'] == 'v3.7.3' and banner['app_name'] == 'Rack PDU APP'
    assert banner['name'] == 'apc5A7920' and banner['user'] == 'Administrator'
    assert banner['status_line'] == 'Switched Rack PDU: Communication Established'
    nmc = mp.parse_banner(raw(NMC1, 'login'))
    assert nmc['app_name'] == 'Smart-UPS & Matrix-UPS APP'
    assert mp.parse_ups_status_line(nmc['status_line']) == {
        'model': 'Smart-UPS 1400', 'name': 'UPS_IDEN', 'status': 'On Line, No Alarms Present'}
    assert mp.parse_banner(raw(V26, 'login'))['aos_version'] == 'v2.6.4'


def test_header_only_screens():
    about = screen(NMC1, 'about')
    assert about['items'] == [] and about['header']['Model Number'] == 'AP9617'
    assert mp.value_of(screen(NMC1, 'ups_about'), 'Firmware Revision') == '70.9.D'
    assert mp.mac(about['header']['MAC Address']) == '00:C0:B7:96:17:AA'


def test_no_screen_raises():
    with pytest.raises(mp.MenuParseError):
        mp.parse_screen('User Name : ')


def test_paths():
    assert mp.outlet_path(3, 'Configure Outlet') == [
        'Device Manager', '?Outlet Management', 'Outlet Control/Configuration', '#3', 'Configure Outlet']
    assert mp.path('web') == ['Network', 'Web/SSL/TLS']


TITLED_BOOT_MODE = (
    '\r\n\r\n------- Boot Mode -------------------------------------------------------------\r\n\r\n'
    '     1- Manual\r\n     2- BOOTP\r\n     3- DHCP\r\n     4- DHCP & BOOTP\r\n\r\n'
    '     <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> ')
NETWORK_MENU = (
    '\r\n\r\n------- Network ---------------------------------------------------------------\r\n\r\n'
    '     1- TCP/IP\r\n     2- DNS\r\n\r\n'
    '     <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> ')


def test_choice_screen_by_structure_without_a_current_setting_header():
    boot = mp.parse_screen(TITLED_BOOT_MODE)
    assert mp.is_choice_screen(boot, 'Boot Mode')
    assert mp.current_setting(boot) is None
    # without the field's name only the header could tell
    assert not mp.is_choice_screen(boot)
    # a menu of plain items whose title is not the field chosen, and a settings screen
    assert not mp.is_choice_screen(mp.parse_screen(NETWORK_MENU), 'Boot Mode')
    assert not mp.is_choice_screen(screen(V3, 'tcpip'), 'TCP/IP')
    variant = mp.parse_screen(TITLED_BOOT_MODE.replace('\r\n\r\n     1-', '\r\n\r\n     Current Value: DHCP\r\n\r\n     1-'))
    assert mp.is_choice_screen(variant) and mp.current_setting(variant) == 'DHCP'
