# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/cli_parse.py.

Fixtures live in fixtures/cli/.  Most are verbatim serial console output of an
AP9630 NMC2 (AOS 5.1.x and 6.9.6) from public captures; banner_guide.txt is the
sample screen of the vendor CLI guide.  The following are constructed from the
documented formats because no public capture exists: snmp.txt, snmpv3.txt and
web_aos6.txt (the simulator's documented guess), tcpip_aos5.txt (flat, tab
padded), banner_aos5.txt, banner_nmc3.txt, the Rack PDU outputs (ol*.txt,
prodinfo.txt, phreading_*.txt), e101_*.txt, e104.txt, session_two.txt and
date_with_reminder.txt.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import re

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse as cp
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import (
    CliCommandError,
    CliResult,
    RESULT_CODES,
    parse_result,
)

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'cli')


def load(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as handle:
        return handle.read()


def crlf(text):
    return text.replace('\r\n', '\n').replace('\n', '\r\n')


def tabs(text):
    """Padding after colons (and before values) as tabs instead of spaces."""
    return re.sub(r':( {2,})', lambda m: ':' + '\t' * (len(m.group(1)) // 8 + 1), text)


def trailing_blanks(text):
    return '\n'.join(line + '   ' for line in text.split('\n'))


def no_echo(text):
    return '\n'.join(line for line in text.split('\n') if not line.startswith('apc>'))


# (fixture, parser) pairs checked against every formatting variant.
PARSER_CASES = [
    ('about_aos696.txt', cp.parse_about),
    ('banner_aos696.txt', cp.parse_banner),
    ('banner_nmc3.txt', cp.parse_banner),
    ('system_aos696.txt', cp.parse_system),
    ('system_aos696_empty_message.txt', cp.parse_system),
    ('tcpip_aos696.txt', cp.parse_tcpip),
    ('tcpip_aos5.txt', cp.parse_tcpip),
    ('tcpip6_aos696.txt', cp.parse_tcpip6),
    ('boot.txt', cp.parse_boot),
    ('dns.txt', cp.parse_dns),
    ('ntp.txt', cp.parse_ntp),
    ('date.txt', cp.parse_date),
    ('user_list.txt', cp.parse_user_list),
    ('user_n_apc.txt', cp.parse_user_detail),
    ('userdflt.txt', cp.parse_userdflt),
    ('whoami.txt', cp.parse_whoami),
    ('session.txt', cp.parse_session),
    ('session_two.txt', cp.parse_session),
    ('snmp.txt', cp.parse_snmp),
    ('snmpv3.txt', cp.parse_snmpv3),
    ('web_aos5.txt', cp.parse_web),
    ('web_aos6.txt', cp.parse_web),
    ('console_aos5.txt', cp.parse_console),
    ('console_aos696.txt', cp.parse_console),
    ('ftp.txt', cp.parse_ftp),
    ('olstatus_all_24.txt', cp.parse_outlet_status),
    ('olstatus_all_8.txt', cp.parse_outlet_status),
    ('olname_all_8.txt', cp.parse_outlet_names),
    ('olondelay_all_8.txt', cp.parse_outlet_times),
    ('olrboottime_all_8.txt', cp.parse_outlet_times),
    ('prodinfo.txt', cp.parse_prodinfo),
    ('phreading_current.txt', cp.parse_phreading),
    ('upsabout.txt', cp.parse_upsabout),
    ('detstatus_all.txt', cp.parse_detstatus),
    ('ups_st.txt', cp.parse_ups_state),
]
CASE_IDS = [name for name, _parser in PARSER_CASES]


# ---------------------------------------------------------------------------
# parse_result
# ---------------------------------------------------------------------------

class TestParseResult:

    def test_output_after_code(self):
        result = parse_result(load('whoami.txt'))
        assert result.code == 'E000'
        assert result.message == 'Success'
        assert result.output == 'apc'
        assert result.ok and not result.failed
        assert result.reboot_required is False

    def test_output_before_code_lastrst(self):
        result = parse_result(load('lastrst.txt'))
        assert result.code == 'E000'
        assert result.output == '04 Requested Reset'

    def test_output_before_code_session_table(self):
        result = parse_result(load('session.txt'))
        assert result.code == 'E000'
        lines = result.output.split('\n')
        assert lines[0].startswith('User')
        assert lines[-1].startswith('apc')
        assert 'E000' not in result.output

    def test_e101_real_unit_wording(self):
        result = parse_result(load('e101_real.txt'))
        assert result.code == 'E101'
        assert result.message == 'Command Not Found'
        assert result.failed and not result.ok
        assert result.unsupported

    def test_e101_guide_wording(self):
        result = parse_result(load('e101_guide.txt'))
        assert result.code == 'E101'
        assert result.message == 'Command not found'
        assert result.unsupported

    def test_e102_usage_text_stays_in_output(self):
        result = parse_result(load('ledblink_e102.txt'))
        assert result.code == 'E102'
        assert result.message == 'Parameter Error'
        assert result.output.startswith('Usage: ledblink')
        assert result.output.split('\n')[1] == '   ledblink <duration time in minutes>'

    def test_e002_two_line_form(self):
        result = parse_result(load('portspeed_e002.txt'))
        assert result.code == 'E002'
        assert result.message == 'Success'
        assert result.reboot_required is True
        assert result.output == ''
        assert result.ok

    def test_e002_with_reminder_lines(self):
        result = parse_result(load('console_t_disable_reminder.txt'))
        assert result.code == 'E002'
        assert result.reboot_required is True
        assert 'Reboot' not in result.output

    def test_reminder_after_read_output(self):
        result = parse_result(load('date_with_reminder.txt'))
        assert result.code == 'E000'
        assert result.reboot_required is True
        assert result.output.split('\n')[-1] == 'Time Zone: +05:00'
        assert cp.parse_date(result)['time_zone'] == '+05:00'

    def test_only_first_code_line_is_the_result(self):
        result = parse_result('E000: Success\nE102: Parameter Error\n')
        assert result.code == 'E000'
        assert result.output == 'E102: Parameter Error'

    def test_case_and_spacing_of_code(self):
        result = parse_result('  e104 :  User Level Denial  \r\n')
        assert result.code == 'E104'
        assert result.message == 'User Level Denial'
        assert result.failed

    def test_no_code_line(self):
        result = parse_result('Reply from 192.168.254.1: time(ms)= <10\n')
        assert result.code is None
        assert result.ok and not result.failed
        assert result.output.startswith('Reply from')

    def test_prompts_and_echo_dropped(self):
        text = 'Administrator@apc>prompt -s short\r\nE000: Success\r\n\r\napc>'
        result = parse_result(text)
        assert result.code == 'E000' and result.output == ''
        result = parse_result('whoami\nE000: Success\napc\n', command='whoami')
        assert result.output == 'apc'

    def test_pager_prompt_dropped(self):
        result = parse_result('E000: Success\n 1: Outlet 1: On\nPress <ENTER> to continue...\n'
                              ' 2: Outlet 2: Off\n')
        assert result.output == ' 1: Outlet 1: On\n 2: Outlet 2: Off'
        assert len(cp.parse_outlet_status(result)) == 2

    def test_blank_lines_trimmed_lines_rstripped(self):
        result = parse_result('\n\nE000: Success\n\n  a  \n\n  b\t \n\n\n')
        assert result.output == '  a\n\n  b'

    def test_e2xx_is_failure(self):
        assert parse_result('E200: Input error').failed
        assert parse_result('E201: No response').failed

    def test_to_dict_is_json(self):
        data = parse_result(load('lastrst.txt')).to_dict()
        assert json.loads(json.dumps(data)) == data
        assert data['code'] == 'E000' and data['output'] == '04 Requested Reset'

    def test_result_codes_table(self):
        assert RESULT_CODES['E000'] == 'Success'
        assert RESULT_CODES['E002'].startswith('Reboot required')
        assert RESULT_CODES['E101'] == 'Command not found'
        assert RESULT_CODES['E107'].startswith('Serial communication')
        for code in ('E001', 'E100', 'E102', 'E103', 'E104', 'E105', 'E106', 'E108',
                     'E200', 'E201'):
            assert code in RESULT_CODES

    def test_passing_a_result_returns_it(self):
        result = parse_result(load('whoami.txt'))
        assert parse_result(result) is result

    def test_cli_command_error_message(self):
        result = parse_result(load('e104.txt'))
        err = CliCommandError('user', result)
        assert err.command == 'user' and err.result is result and err.code == 'E104'
        assert 'user' in str(err) and 'E104' in str(err) and 'User Level Denial' in str(err)
        err = CliCommandError('ledblink', parse_result(load('ledblink_e102.txt')))
        assert 'Usage: ledblink' in str(err)


# ---------------------------------------------------------------------------
# tolerance: the same answer in other clothes gives the same data
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('name,parser', PARSER_CASES, ids=CASE_IDS)
def test_crlf_line_ends(name, parser):
    text = load(name)
    assert parser(crlf(text)) == parser(text)


@pytest.mark.parametrize('name,parser', PARSER_CASES, ids=CASE_IDS)
def test_trailing_blanks(name, parser):
    text = load(name)
    assert parser(trailing_blanks(text)) == parser(text)


@pytest.mark.parametrize('name,parser', PARSER_CASES, ids=CASE_IDS)
def test_without_echo_line(name, parser):
    text = load(name)
    assert parser(no_echo(text)) == parser(text)


@pytest.mark.parametrize('name,parser', PARSER_CASES, ids=CASE_IDS)
def test_accepts_parsed_result(name, parser):
    text = load(name)
    assert parser(parse_result(text)) == parser(text)


@pytest.mark.parametrize('name,parser', PARSER_CASES, ids=CASE_IDS)
def test_json_able(name, parser):
    data = parser(load(name))
    json.dumps(data)


@pytest.mark.parametrize('name,parser', [
    case for case in PARSER_CASES
    if case[0] not in ('banner_aos696.txt', 'banner_nmc3.txt', 'user_list.txt',
                       'session.txt', 'session_two.txt')
], ids=lambda value: value if isinstance(value, str) else '')
def test_tab_padding(name, parser):
    text = load(name)
    assert parser(tabs(text)) == parser(text)


# ---------------------------------------------------------------------------
# generic helpers
# ---------------------------------------------------------------------------

class TestHelpers:

    def test_parse_kv_first_colon_and_snake_keys(self):
        data = cp.parse_kv(load('system_aos696.txt'))
        assert data['datetime'] == '08/24/2021:20:25:40'
        assert data['host_name_sync'] == 'Enabled'
        assert data['up_time'] == '0 Days 0 Hours 27 Minutes'
        assert data['aos'] == 'aos:v6.9.6'

    def test_parse_kv_line_without_colon(self):
        data = cp.parse_kv(load('ntp.txt'))
        assert data['secondary_ntp_server'] == '0.0.0.0'
        assert data['override_manual_ntp_settings'] == 'Disabled'

    def test_parse_kv_tabs_and_odd_labels(self):
        data = cp.parse_kv('Self-Test Result:\tNot Available\nAPDU timeout (ms):  6000\n'
                           'NMS IP/Host Name:\t0.0.0.0\n')
        assert data == {'self_test_result': 'Not Available', 'apdu_timeout_ms': '6000',
                        'nms_ip_host_name': '0.0.0.0'}

    def test_snake(self):
        assert cp.snake('Active IPv4 Address') == 'active_ipv4_address'
        assert cp.snake('  SSH/SCP ') == 'ssh_scp'
        assert cp.snake('APC OS(AOS)') == 'apc_os_aos'

    @pytest.mark.parametrize('value,expected', [
        ('enabled', True), ('Enabled ', True), ('ENABLE', True), ('yes', True),
        ('disabled', False), ('Disable', False), ('no', False),
        ('http', None), ('', None), (None, None),
    ])
    def test_to_bool(self, value, expected):
        assert cp.to_bool(value) is expected

    @pytest.mark.parametrize('value,expected', [
        ('00 C0 B7 99 43 CD', '00:C0:B7:99:43:CD'),
        ('00-c0-b7-99-43-cd', '00:C0:B7:99:43:CD'),
        ('00c0b79943cd', '00:C0:B7:99:43:CD'),
        ('00:C0:B7:99:43:CD', '00:C0:B7:99:43:CD'),
        ('not a mac', 'not a mac'),
    ])
    def test_normalise_mac(self, value, expected):
        assert cp.normalise_mac(value) == expected

    @pytest.mark.parametrize('value,expected', [
        ('v6.9.6', (6, 9, 6)), ('6.9.6', (6, 9, 6)), ('v2.5.0.8', (2, 5, 0, 8)),
        ('v3.7.3', (3, 7, 3)), ('aos:v6.9.6', (6, 9, 6)), ('sumx:v6.9.6', (6, 9, 6)),
        ('V5.1.7', (5, 1, 7)), ('vx.x.x', ()), ('', ()), (None, ()),
    ])
    def test_parse_version(self, value, expected):
        assert cp.parse_version(value) == expected

    def test_version_ordering(self):
        assert cp.parse_version('v6.10.0') > cp.parse_version('v6.9.6')


# ---------------------------------------------------------------------------
# system commands
# ---------------------------------------------------------------------------

class TestAbout:

    def test_sections(self):
        about = cp.parse_about(load('about_aos696.txt'))
        assert set(about) == {'hardware', 'application', 'aos', 'boot_monitor'}
        hardware = about['hardware']
        assert hardware['model_number'] == 'AP9630'
        assert hardware['serial_number'] == 'ZA1246002369'
        assert hardware['hardware_revision'] == '05'
        assert hardware['manufacture_date'] == '11/05/2012'
        assert hardware['mac_address'] == '00:C0:B7:99:43:CD'
        assert hardware['management_uptime'] == '0 Days 0 Hours 19 Minutes'
        assert about['application'] == {'name': 'sumx', 'version': 'v6.9.6',
                                        'date': 'Nov  6 2020', 'time': '11:08:39'}
        assert about['aos']['name'] == 'aos'
        assert about['aos']['version'] == 'v6.9.6'
        assert about['aos']['time'] == '08:31:17'
        assert about['boot_monitor']['version'] == 'v1.0.9'

    def test_unknown_section_and_extra_field(self):
        text = load('about_aos696.txt') + '\nNetwork Interface\n---------\nLink:  up\n'
        text = text.replace('MAC Address:', 'Frobnication:      7\nMAC Address:')
        about = cp.parse_about(text)
        assert about['network_interface'] == {'link': 'up'}
        assert about['hardware']['frobnication'] == '7'
        assert about['hardware']['mac_address'] == '00:C0:B7:99:43:CD'


class TestBanner:

    def test_aos696_banner(self):
        banner = cp.parse_banner(load('banner_aos696.txt'))
        assert banner['vendor'] == 'Schneider Electric'
        assert banner['aos_version'] == 'v6.9.6'
        assert banner['app_name'] == 'Smart-UPS & Matrix-UPS APP'
        assert banner['app_version'] == 'v6.9.6'
        assert banner['name'] == 'apc9943CD'
        assert banner['contact'] == 'Unknown'
        assert banner['location'] == 'Unknown'
        assert banner['up_time'] == '0 Days 0 Hours 0 Minutes'
        assert banner['date'] == '08/21/2021'
        assert banner['time'] == '23:03:49'
        assert banner['user'] == 'Super User'
        assert banner['stat'] == 'P+ N4+ N6+ A+'
        assert banner['services']['http'] is False
        assert banner['services']['https'] is True
        assert banner['services']['ssh_scp'] is True
        assert banner['services']['telnet'] is False
        assert banner['services']['snmpv1'] is False
        assert banner['services']['ipv6'] is True
        assert banner['services']['ping_response'] is True
        assert banner['users']['super_user'] is True
        assert banner['users']['network_only_user'] is False
        assert banner['users']['radius'] is False
        assert 'password' not in json.dumps(banner).lower()

    def test_guide_sample_banner(self):
        banner = cp.parse_banner(load('banner_guide.txt'))
        assert banner['vendor'] == 'Schneider Electric'
        assert banner['app_name'] == 'Symmetra APP'
        assert banner['name'] == 'Test Lab'
        assert banner['contact'] == 'Don Adams'
        assert banner['location'] == 'Building 3'
        assert banner['time'] == '5:58:30'
        assert banner['up_time'] == '0 Days, 21 Hours, 21 Minutes'
        assert 'services' not in banner

    def test_old_american_power_conversion_banner(self):
        banner = cp.parse_banner(load('banner_aos5.txt'))
        assert banner['vendor'] == 'American Power Conversion'
        assert banner['aos_version'] == 'v5.1.7'
        assert banner['app_name'] == 'RPDU 2g APP'
        assert banner['user'] == 'Administrator'
        assert 'services' not in banner and 'users' not in banner

    def test_nmc3_banner_four_part_version(self):
        banner = cp.parse_banner(crlf(load('banner_nmc3.txt')))
        assert banner['aos_version'] == 'v2.5.0.8'
        assert cp.parse_version(banner['aos_version']) == (2, 5, 0, 8)
        assert banner['app_name'] == 'Smart-UPS APP'
        assert banner['location'] == 'Row 4, Rack 12'
        assert banner['services']['modbus_tcp'] is False
        assert banner['users']['administrator'] is True


class TestSystem:

    def test_system(self):
        system = cp.parse_system(load('system_aos696.txt'))
        assert system['host_name_sync'] is True
        assert system['name'] == 'apc1500'
        assert system['contact'] == 'vladimir@stupin.su'
        assert system['location'] == 'Ufa'
        assert system['message'] == 'UPS for stupin.su'
        assert system['date_time'] == '08/24/2021:20:25:40'
        assert system['date'] == '08/24/2021'
        assert system['time'] == '20:25:40'
        assert system['user'] == 'apc'
        assert system['stat'] == 'P+ N+ A+'
        assert system['aos'] == {'name': 'aos', 'version': 'v6.9.6'}
        assert system['app'] == {'name': 'sumx', 'version': 'v6.9.6'}
        assert system['bootmon'] == {'name': 'bootmon', 'version': 'v1.0.9'}

    def test_empty_message(self):
        system = cp.parse_system(load('system_aos696_empty_message.txt'))
        assert system['message'] == ''
        assert system['host_name_sync'] is False
        assert system['stat'] == 'P+ N? A+'

    def test_missing_fields(self):
        system = cp.parse_system('E000: Success\nName: pdu1\n')
        assert system['name'] == 'pdu1'
        assert system['contact'] is None and system['aos'] is None


class TestNetwork:

    def test_tcpip_aos696(self):
        tcpip = cp.parse_tcpip(load('tcpip_aos696.txt'))
        assert tcpip['active'] == {'ipv4_address': '192.168.254.32',
                                   'subnet_mask': '255.255.255.0',
                                   'gateway': '192.168.254.1'}
        assert tcpip['ipv4_enabled'] is True
        assert tcpip['manual_settings'] is True
        assert tcpip['ipv4_address'] == '192.168.254.32'
        assert tcpip['subnet_mask'] == '255.255.255.0'
        assert tcpip['gateway'] == '192.168.254.1'
        assert tcpip['mac_address'] == '00:C0:B7:99:43:CD'
        assert tcpip['domain_name'] == 'lo.stupin.su'
        assert tcpip['host_name'] == 'apc1500'

    def test_tcpip_old_flat_form_with_tabs(self):
        tcpip = cp.parse_tcpip(load('tcpip_aos5.txt'))
        assert '\t' in load('tcpip_aos5.txt')
        assert tcpip['ipv4_address'] == '10.20.0.15'
        assert tcpip['subnet_mask'] == '255.255.255.0'
        assert tcpip['gateway'] == '10.20.0.1'
        assert tcpip['domain_name'] == 'example.com'
        assert tcpip['host_name'] == 'pdu-a1'
        assert tcpip['active']['ipv4_address'] is None

    def test_tcpip_lowercase_labels(self):
        tcpip = cp.parse_tcpip(load('tcpip_aos696.txt').lower())
        assert tcpip['active']['gateway'] == '192.168.254.1'
        assert tcpip['mac_address'] == '00:C0:B7:99:43:CD'

    def test_tcpip6(self):
        tcpip6 = cp.parse_tcpip6(load('tcpip6_aos696.txt'))
        assert tcpip6['ipv6_enabled'] is False
        assert tcpip6['manual_settings'] is False
        assert tcpip6['ipv6_address'] == '::/64'
        assert tcpip6['gateway'] == '::'
        assert tcpip6['mac_address'] == '00:C0:B7:99:43:CD'
        assert tcpip6['ipv6_autoconfiguration'] is True
        assert tcpip6['dhcpv6_mode'] == 'router controlled'

    def test_boot(self):
        boot = cp.parse_boot(load('boot.txt'))
        assert boot == {'boot_mode': 'dhcp', 'dhcp_cookie': False, 'vendor_class': 'APC',
                        'client_id': '00:C0:B7:5F:54:00', 'user_class': 'SUMX'}

    def test_dns(self):
        dns = cp.parse_dns(load('dns.txt'))
        assert dns['active'] == {'primary': '192.168.254.1', 'secondary': '0.0.0.0'}
        assert dns['override'] is False
        assert dns['primary'] == '0.0.0.0'
        assert dns['secondary'] == '0.0.0.0'
        assert dns['domain_name'] == 'lo.stupin.su'
        assert dns['domain_name_ipv6'] == 'lo.stupin.su'
        assert dns['system_name_sync'] is True
        assert dns['host_name'] == 'apc1500'

    def test_ntp_missing_colon(self):
        ntp = cp.parse_ntp(load('ntp.txt'))
        assert ntp['active'] == {'primary': '0.0.0.0', 'secondary': '0.0.0.0'}
        assert ntp['override'] is False
        assert ntp['primary'] == '0.0.0.0'
        assert ntp['secondary'] == '0.0.0.0'
        assert ntp['enabled'] is None

    def test_ntp_enabled_line_and_extra_field(self):
        text = load('ntp.txt') + 'NTP Enabled:                    enabled\nUpdate Interval: 6 hours\n'
        ntp = cp.parse_ntp(text)
        assert ntp['enabled'] is True
        assert ntp['update_interval'] == '6 hours'

    def test_date(self):
        assert cp.parse_date(load('date.txt')) == {
            'date': '2021-08-18', 'time': '22:20:20', 'format': 'yyyy-mm-dd',
            'time_zone': '+05:00'}


# ---------------------------------------------------------------------------
# users and sessions
# ---------------------------------------------------------------------------

class TestUsers:

    def test_user_list(self):
        users = cp.parse_user_list(load('user_list.txt'))
        assert [u['name'] for u in users] == ['apc', 'device', 'readonly']
        assert users[0]['user_type'] == 'Super User' and users[0]['enabled'] is True
        assert users[1]['user_type'] == 'Device' and users[1]['enabled'] is False
        assert users[2]['user_type'] == 'Read-Only' and users[2]['enabled'] is False

    def test_user_list_name_with_space_and_tabs(self):
        text = ('E000: Success\nName\t\t\tUser Type\t\t\tStatus\n----\t\t\t---------\t\t\t------\n'
                'ops team\t\tNetwork-Only\t\t\tEnabled\n')
        users = cp.parse_user_list(text)
        assert users == [{'name': 'ops team', 'user_type': 'Network-Only', 'enabled': True,
                          'status': 'Enabled'}]

    def test_user_detail(self):
        user = cp.parse_user_detail(load('user_n_apc.txt'))
        assert user['access'] is True
        assert user['user_name'] == 'apc'
        assert user['permission'] == 'Super User'
        assert user['description'] == 'User Description'
        assert user['session_timeout'] == 3
        assert user['serial_remote_auth_override'] is False
        assert user['event_log_color_coding'] is True
        assert user['export_log_format'] == 'tab'
        assert user['temperature_scale'] == 'metric'
        assert user['date_format'] == 'mm/dd/yyyy'
        assert user['language'] == 'English (enUs)'
        assert user['language_code'] == 'enUs'
        assert 'password' not in user
        assert '<hidden>' not in json.dumps(user)

    def test_userdflt(self):
        dflt = cp.parse_userdflt(load('userdflt.txt'))
        assert dflt['access'] is False
        assert dflt['permission'] == 'Administrator'
        assert dflt['session_timeout'] == 3
        assert dflt['bad_login_attempts'] == 0
        assert dflt['strong_passwords'] is False
        assert dflt['require_password_change_days'] == 0

    def test_whoami(self):
        assert cp.parse_whoami(load('whoami.txt')) == {'user': 'apc'}
        assert cp.parse_whoami('whoami\r\nE000: Success\r\nadmin\r\napc>') == {'user': 'admin'}

    def test_session_empty_address(self):
        sessions = cp.parse_session(load('session.txt'))
        assert sessions == [{'user': 'apc', 'interface': 'Serial', 'address': None,
                             'logged_in_time': '00:12:35', 'id': 1}]

    def test_session_two_rows(self):
        sessions = cp.parse_session(load('session_two.txt'))
        assert len(sessions) == 2
        assert sessions[1]['address'] == '192.168.254.10'
        assert sessions[1]['interface'] == 'SSH'
        assert sessions[1]['id'] == 2


# ---------------------------------------------------------------------------
# SNMP and services
# ---------------------------------------------------------------------------

class TestSnmp:

    def test_snmp(self):
        snmp = cp.parse_snmp(load('snmp.txt'))
        assert snmp['enabled'] is True
        assert len(snmp['communities']) == 4
        assert snmp['communities'][0] == {'index': 1, 'community': 'public', 'access': 'read',
                                          'nms': '0.0.0.0'}
        assert snmp['communities'][1]['access'] == 'write'
        assert snmp['communities'][1]['nms'] == '10.0.0.5'
        assert snmp['communities'][3]['access'] == 'writeplus'

    def test_snmpv3(self):
        v3 = cp.parse_snmpv3(load('snmpv3.txt'))
        assert v3['enabled'] is False
        assert v3['users'][0] == {'index': 1, 'user_name': 'apc snmp profile1',
                                  'authentication': 'sha', 'privacy': 'aes'}
        assert v3['users'][1]['authentication'] == 'none'
        assert v3['access'][0] == {'index': 1, 'enabled': True,
                                   'user_name': 'apc snmp profile1', 'nms': '10.0.0.5'}
        assert v3['access'][1]['enabled'] is False


class TestServices:

    def test_web_6x(self):
        web = cp.parse_web(load('web_aos6.txt'))
        assert web['form'] == '6.x'
        assert web['http_enabled'] is False and web['https_enabled'] is True
        assert web['http_port'] == 80 and web['https_port'] == 5443
        assert web['minimum_protocol'] == 'TLS1.1'

    def test_web_5x(self):
        web = cp.parse_web(load('web_aos5.txt'))
        assert web['form'] == '5.x'
        assert web['http_enabled'] is True and web['https_enabled'] is False
        assert web['http_port'] == 80 and web['https_port'] == 443

    @pytest.mark.parametrize('service,http,https', [
        ('https', False, True), ('disabled', False, False), ('HTTP', True, False)])
    def test_web_5x_service_values(self, service, http, https):
        web = cp.parse_web('E000: Success\nService:   %s\nHttp Port: 80\n' % service)
        assert (web['http_enabled'], web['https_enabled']) == (http, https)

    def test_console_6x(self):
        console = cp.parse_console(load('console_aos696.txt'))
        assert console == {'telnet_enabled': True, 'ssh_enabled': True, 'telnet_port': 23,
                           'ssh_port': 22, 'baud_rate': 9600, 'form': '6.x'}

    def test_console_5x(self):
        console = cp.parse_console(load('console_aos5.txt'))
        assert console['form'] == '5.x'
        assert console['telnet_enabled'] is False and console['ssh_enabled'] is False
        assert console['telnet_port'] == 23 and console['ssh_port'] == 22
        assert console['baud_rate'] == 9600
        ssh = cp.parse_console('E000: Success\nService:     ssh\nSSH Port:    2222\n')
        assert ssh['ssh_enabled'] is True and ssh['telnet_enabled'] is False
        assert ssh['ssh_port'] == 2222 and ssh['baud_rate'] is None

    def test_ftp(self):
        assert cp.parse_ftp(load('ftp.txt')) == {'enabled': True, 'port': 21}


# ---------------------------------------------------------------------------
# Rack PDU
# ---------------------------------------------------------------------------

class TestRackPdu:

    def test_outlet_status_24(self):
        outlets = cp.parse_outlet_status(load('olstatus_all_24.txt'))
        assert len(outlets) == 24
        assert [o['number'] for o in outlets] == list(range(1, 25))
        ps4 = outlets[21]
        assert ps4 == {'number': 22, 'name': 'PlayStation 4', 'state': 'on', 'pending': True}
        assert outlets[2]['name'] == 'Web Server: Front'
        assert outlets[4]['state'] == 'off' and outlets[4]['pending'] is False
        assert outlets[5]['state'] == 'off' and outlets[5]['pending'] is True
        assert outlets[0] == {'number': 1, 'name': 'Outlet 1', 'state': 'on', 'pending': False}

    def test_outlet_status_case_and_old_form(self):
        outlets = cp.parse_outlet_status('E000: Success\n 1: Outlet 1: ON\n2:Lab:off *\n')
        assert outlets[0]['state'] == 'on'
        assert outlets[1] == {'number': 2, 'name': 'Lab', 'state': 'off', 'pending': True}
        old = cp.parse_outlet_status(' 1: ON    : Outlet 1\n 2: OFF   : Server: B\n')
        assert old[0] == {'number': 1, 'name': 'Outlet 1', 'state': 'on', 'pending': False}
        assert old[1]['name'] == 'Server: B' and old[1]['state'] == 'off'

    def test_outlet_names(self):
        names = cp.parse_outlet_names(load('olname_all_8.txt'))
        assert len(names) == 8
        assert names[2] == 'Core Switch'
        assert names[4] == 'NAS: backup'

    def test_outlet_times(self):
        on_delay = cp.parse_outlet_times(load('olondelay_all_8.txt'))
        assert on_delay[1] == 0 and on_delay[2] == 15 and on_delay[4] == 20
        assert on_delay[8] == -1
        assert cp.parse_outlet_times(load('olrboottime_all_8.txt'))[2] == 10

    @pytest.mark.parametrize('line,seconds', [
        (' 1: Outlet 1: 5 sec', 5), (' 1: Outlet 1: 5 s', 5), (' 1: Outlet 1: 5 seconds', 5),
        (' 1: Outlet 1: 5', 5), (' 1: 5', 5), (' 1: Outlet 1: never', -1),
        (' 1: Outlet 1: Never', -1), (' 1: Outlet 1: -1', -1), (' 1: Outlet 1: 2 min', 120),
        (' 1: Rack: A1: 7 sec', 7),
    ])
    def test_outlet_time_forms(self, line, seconds):
        assert cp.parse_outlet_times('E000: Success\n' + line + '\n') == {1: seconds}

    def test_prodinfo(self):
        info = cp.parse_prodinfo(load('prodinfo.txt'))
        assert info['aos'] == 'v6.9.6'
        assert info['app_name'] == 'Switched Rack PDU'
        assert info['app_version'] == 'v6.9.6'
        assert info['model'] == 'AP7920B'
        assert info['present_outlets'] == 8
        assert info['max_current'] == 10
        assert info['max_current_unit'] == 'A'
        assert info['present_phases'] == 1

    def test_phreading(self):
        assert cp.parse_phreading(load('phreading_current.txt')) == [
            {'phase': 1, 'value': 0.5, 'unit': 'A'}]
        assert cp.parse_phreading(load('phreading_power.txt')) == [
            {'phase': 1, 'value': 0.04, 'unit': 'kW'}]
        three = cp.parse_phreading('1: 230 V\n2: 231 V\n3: 229.5 V\n')
        assert [r['value'] for r in three] == [230.0, 231.0, 229.5]


# ---------------------------------------------------------------------------
# UPS
# ---------------------------------------------------------------------------

class TestUps:

    def test_upsabout(self):
        about = cp.parse_upsabout(load('upsabout.txt'))
        assert about == {'model': 'Smart-UPS 1500', 'serial_number': 'AS0508120261',
                         'firmware_revision': '601.3.I', 'manufacture_date': '02/14/05'}

    def test_detstatus(self):
        status = cp.parse_detstatus(load('detstatus_all.txt'))
        assert status['status'] == 'On Line, No Alarms Present'
        assert status['state'] == 'On Line' and status['on_battery'] is False
        assert status['last_transfer'] == "Due to software command or UPS's test control"
        assert status['runtime_remaining_minutes'] == 215
        assert status['battery_charge_percent'] == 99.0
        assert status['output_voltage'] == 230.4
        assert status['output_frequency'] == 50.0
        assert status['output_watts_percent'] == 0.0
        assert status['input_voltage'] == 231.8
        assert status['battery_voltage'] == 27.8
        assert status['internal_temperature_c'] == 24.3
        assert status['internal_temperature_f'] == 75.7
        assert status['self_test_result'] == 'Not Available'
        assert status['self_test_date'] == 'Unknown'
        assert status['calibration_result'] == 'Not Available'
        assert status['calibration_date'] == 'Unknown'

    def test_detstatus_unknown_fields_kept(self):
        text = load('detstatus_all.txt') + 'Output VA Percent: 12.5 %\nBypass Frequency: 50.0 Hz\n'
        status = cp.parse_detstatus(text)
        assert status['output_va_percent'] == 12.5
        assert status['bypass_frequency'] == '50.0 Hz'

    def test_detstatus_partial(self):
        status = cp.parse_detstatus('E000: Success\nRuntime Remaining: 45 min\n')
        assert status['runtime_remaining_minutes'] == 45
        assert status['battery_charge_percent'] is None

    def test_ups_state(self):
        assert cp.parse_ups_state(load('ups_st.txt')) == {
            'state': 'On Line', 'alarms': 'No Alarms Present', 'on_battery': False}
        state = cp.parse_ups_state('E000: Success\nState: On Battery, Low Battery\n')
        assert state['on_battery'] is True and state['alarms'] == 'Low Battery'


def test_cli_result_constructible():
    result = CliResult(code='E000', message='Success', output='x')
    assert result.ok and not result.failed and result.meaning == 'Success'
