# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure planning helpers of menu_settings (accounts, date/time, services, SNMPv1) on
screens recorded from the simulator's menu profiles (fixtures/menu/)."""

from __future__ import annotations

import datetime
import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import area_time as atm
from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp
from ansible_collections.rackops.apc.plugins.module_utils import menu_settings as ms
from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'menu')
V3, V26 = 'ap7920_v3.7.3', 'ap7920b2_v2.6.4'
INFO3 = {'model': 'AP7920', 'firmware': {'aos': 'v3.7.3', 'app_name': 'Rack PDU APP', 'app': 'v3.7.3'}}
INFO26 = {'model': 'AP7920', 'firmware': {'aos': 'v2.6.4', 'app_name': 'Rack PDU APP', 'app': 'v2.6.5'}}


def screen(variant, name):
    with open(os.path.join(FIXTURES, variant, name + '.txt'), encoding='latin-1', newline='') as handle:
        return mp.parse_screen(handle.read())


def user_wanted(**kw):
    wanted = {'name': 'device', 'state': 'present', 'update_password': 'on_create', 'permission': 'device'}
    wanted.update(kw)
    return wanted


# ------------------------------------------------------------------------------ users
def test_user_rename_with_password_and_access():
    plan = ms.plan_user(screen(V3, 'device_user'), {}, user_wanted(name='ops', password='pw', enabled=False),
                        INFO3, session_user='apc')
    assert list(plan['values']) == ['Access', 'User Name', 'Password']
    assert plan['values']['Password'] == '<<password>>' and plan['secrets'] == ['Password']
    assert plan['commands'][-2:] == ['System > User Manager > Device Manager > Password: ********',
                                     'System > User Manager > Device Manager > Accept Changes']
    assert plan['after'] == {'name': 'ops', 'permission': 'device', 'enabled': False, 'password': '********'}
    assert plan['login_password_from'] is None and plan['login_user_from'] is None


def test_user_password_on_create_and_always():
    plan = ms.plan_user(screen(V3, 'device_user'), {}, user_wanted(password='pw'), INFO3)
    assert plan['values'] == {} and plan['commands'] == []
    plan = ms.plan_user(screen(V3, 'device_user'), {}, user_wanted(password='pw', update_password='always'), INFO3)
    assert plan['values'] == {'Password': '<<password>>'}


def test_user_own_account_moves_the_session_credentials():
    wanted = user_wanted(permission='administrator', name='root', password='pw', update_password='always')
    plan = ms.plan_user(screen(V3, 'admin'), {}, wanted, INFO3, session_user='apc')
    assert plan['login_password_from'] == 'Password' and plan['login_user_from'] == 'User Name'
    assert plan['warnings'] and 'ansible_user' in plan['warnings'][0]


def test_user_refusals():
    with pytest.raises(SettingsError, match='no Access setting'):
        ms.plan_user(screen(V26, 'device_user'), {}, user_wanted(enabled=True), INFO26)
    with pytest.raises(SettingsError, match='already the Read Only User'):
        ms.plan_user(screen(V3, 'device_user'), {'Read Only User': 'readonly'}, user_wanted(name='ReadOnly'), INFO3)
    for wanted, text in ((user_wanted(state='absent'), 'state=absent'),
                         (user_wanted(session_timeout=5), 'session_timeout'),
                         (user_wanted(description='x'), 'description'),
                         (user_wanted(permission=None), 'needs permission'),
                         (user_wanted(permission='network_only'), 'network_only'),
                         (user_wanted(permission='administrator', enabled=True), 'Administrator'),
                         (user_wanted(name='a' * 11), 'at most 10'),
                         (user_wanted(password='p' * 11), 'at most 10')):
        with pytest.raises(SettingsError, match=text):
            ms.check_user_menu(dict((k, v) for k, v in wanted.items() if v is not None), INFO3)


# ------------------------------------------------------------------------------ time
def test_time_plan_format_date_time():
    day = screen(V3, 'datetime')
    card = ms.read_clock(day)
    shown = datetime.datetime.combine(atm.parse_card_date(card['date'], card['format']),
                                      atm.check_time('t', card['time']))
    clock = {'date': datetime.date(2031, 5, 17), 'time': datetime.time(10, 20, 30), 'sync': False,
             'max_drift': 60}
    values, commands, before, after = ms.plan_time(day, {'date_format': 'yyyy-mm-dd'}, clock, INFO3)
    assert list(values) == ['Date Format', 'Date', 'Time']
    assert values['Date'] == '2031-05-17' and values['Time'][0] == '10:20:30'
    assert values['Time'][1] == '10:20:31' and len(values['Time']) == 61
    assert commands[-1] == 'System > Date/Time > Accept Changes'
    assert before['date'] == shown.date().isoformat()
    assert after == {'date_format': 'yyyy-mm-dd', 'date': '2031-05-17', 'time': '10:20:30'}
    # the card's own moment: nothing to do
    same = {'date': shown.date(), 'time': shown.time(), 'sync': False, 'max_drift': 60}
    values, commands, _b, _a = ms.plan_time(day, {'date_format': card['format']}, same, INFO3)
    assert values == {} and commands == []


def test_time_refuses_ntp_before_reading():
    with pytest.raises(SettingsError, match='ntp_primary.*AP7920.*v3.7.3'):
        ms.ensure_time(None, {'ntp_primary': '192.0.2.1'}, None, INFO3)


# ------------------------------------------------------------------------------ services
def test_services_read_and_plan_pairs():
    web = screen(V3, 'web')
    assert ms.read_service('web', web) == {'http_enabled': True, 'https_enabled': False,
                                           'http_port': 80, 'https_port': 443}
    values, changed, _cur, final = ms.plan_service('web', web, {'https_enabled': True})
    assert values == {'SSL/TLS': 'Enabled'} and changed == ['http_enabled', 'https_enabled']
    assert final['http_enabled'] is False
    values, changed, _cur, _final = ms.plan_service('web', web, {'http_enabled': False})
    assert values == {'Access': 'Disabled'} and changed == ['http_enabled']
    values, changed, _cur, _final = ms.plan_service('web', web, {'https_enabled': False, 'http_port': 80})
    assert values == {} and changed == []
    tel = screen(V26, 'telnet_ssh')
    values, _changed, _cur, _final = ms.plan_service('telnet_ssh', tel, {'telnet_enabled': False,
                                                                         'telnet_port': 5023})
    assert values == {'Access': 'Disabled', 'Telnet Port': '5023'}
    values, _changed, _cur, _final = ms.plan_service('ftp', screen(V3, 'ftp'), {'ftp_enabled': False})
    assert values == {'Access': 'Disabled'}


def test_services_refusals():
    with pytest.raises(SettingsError, match='https_enabled: true.*v2.6.4.*web interface'):
        ms.check_services_menu({'https_enabled': True}, INFO26)
    with pytest.raises(SettingsError, match='ssh_enabled'):
        ms.check_services_menu({'ssh_enabled': True}, INFO26)
    ms.check_services_menu({'https_enabled': True, 'ssh_enabled': True}, INFO3)
    with pytest.raises(SettingsError, match='one of them at a time'):
        ms.check_services_menu({'telnet_enabled': True, 'ssh_enabled': True}, INFO3)
    with pytest.raises(SettingsError, match='console_baud_rate'):
        ms.check_services_menu({'console_baud_rate': 9600}, INFO3)


# ------------------------------------------------------------------------------ snmp
def test_snmp_plan():
    ac1 = screen(V3, 'snmp_ac1')
    current = ms.read_community(ac1)
    wanted = {'snmpv1_enabled': False,
              'communities': {1: {'community': current['community'], 'access': 'writeplus', 'nms': '192.0.2.9'}}}
    writes, commands, before, after = ms.plan_snmp(screen(V3, 'snmp'), {1: ac1}, wanted)
    assert writes == [(['Network', 'SNMP', 'Access Control 1'], {'NMS IP': '192.0.2.9', 'Access Type': 'Write+'}),
                      (['Network', 'SNMP'], {'Access': 'Disabled'})]
    assert commands[2] == 'Network > SNMP > Access Control 1 > Accept Changes'
    assert before['snmpv1_enabled'] is True and after['communities'][0]['access'] == 'writeplus'


def test_snmp_refusals():
    with pytest.raises(SettingsError, match='snmpv3_users'):
        ms.check_snmp_menu({'snmpv3_users': {1: {}}}, INFO3)
    with pytest.raises(SettingsError, match='IPv4 address only'):
        ms.check_snmp_menu({'communities': {1: {'nms': '2001:db8::1'}}}, INFO3)


def test_reboot_command():
    assert ms.reboot_command() == 'System > Tools > Reboot Management Interface: YES'
