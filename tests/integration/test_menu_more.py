# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""user, user_defaults, time, services, snmp and reboot on menu consoles (Control Console)
against the simulator's AP7920 (AOS v3.7.3) and AP7920-B2 (AOS v2.6.4).

Same evidence as test_menu.py (simulator state plus transcript). For the accounts the
transcript check is stricter than ``menu_writes()``: text typed at a ``User Name :`` or
``Password :`` prompt counts as a write when that prompt came from choosing the field on an
account screen (only the real login is left out).
"""

from __future__ import annotations

import json
import re
import sys

import pytest

from harness import inventory_for, stable_state, state_diff
from test_menu import MENU_HOSTVARS, menu_converge, menu_rejected, menu_writes, run_task, transcript

from conftest import SIM_DIR

CANARY = 'Kq7Zx3Wp9v'          # the menu firmware takes passwords of up to 10 characters
RE_ITEM = re.compile(r'^\s*(\d+)- (.*?)\s*(?::.*)?$')


def field_writes(device, since=0):
    """What changed something, strictly: [(field label or None, text typed)], ('choice',
    value picked from a list) and ('Accept Changes', None). Only the login is left out."""
    out, line, writes = '', '', []
    chosen = None                       # the label of the item chosen by the last number
    for entry in transcript(device)[since:]:
        if entry['dir'] == 'out':
            out += entry['data']
            continue
        for char in entry['data']:
            if char not in '\r\n':
                if ord(char) >= 32:
                    line += char
                continue
            text, line = line.strip(), ''
            if not text:
                continue
            tail, out = out[-3000:], ''
            if text.isdigit():
                screen = tail[tail.rfind('\n------- '):].replace('\r', '')
                labels = dict((m.group(1), m.group(2)) for m in map(RE_ITEM.match, screen.split('\n')) if m)
                chosen = labels.get(text)
                if chosen == 'Accept Changes':
                    writes.append(('Accept Changes', None))
                elif 'Current Setting' in screen:
                    writes.append(('choice', chosen))     # a value picked from a list
                continue
            prompt = tail.replace('\r', '').rstrip('*').rstrip()
            if prompt.endswith('Confirm Password :'):
                writes.append(('Confirm Password', text))
            elif chosen in ('User Name', 'Password') and prompt.endswith(chosen + ' :'):
                writes.append((chosen, text))
            elif re.search(r'(User Name|Password)\s*:$', prompt):
                pass                            # the login
            else:
                writes.append((None, text))
            if not prompt.endswith(('User Name :', 'Password :')):
                chosen = None
    return writes


# ------------------------------------------------------------------------------ user
def test_user_fixed_account_converges_and_keeps_the_password_secret(sim, ansible_playbook):
    device = sim('AP7920', 'pty')
    hostvars = {'device_password': CANARY}
    args = {'permission': 'device', 'name': 'devops', 'password': '{{ device_password }}',
            'enabled': False}
    before = stable_state(device)
    seen = len(transcript(device))
    check = run_task(ansible_playbook, device, 'rackops.apc.user', args, hostvars,
                     ['--check', '--diff']).task('configure')['result']
    assert check['changed'] is True and stable_state(device) == before
    assert field_writes(device, seen) == []
    assert check['commands'] == [
        'System > User Manager > Device Manager > Access: Disabled',
        'System > User Manager > Device Manager > User Name: devops',
        'System > User Manager > Device Manager > Password: ********',
        'System > User Manager > Device Manager > Accept Changes']
    seen = len(transcript(device))
    run = run_task(ansible_playbook, device, 'rackops.apc.user', args, hostvars, ['--diff', '-vvvv'])
    applied = run.task('configure')
    assert applied['status'] == 'ok', applied
    applied = applied['result']
    assert applied['changed'] is True and applied['commands'] == check['commands']
    assert applied['diff']['before'] == {'name': 'device', 'permission': 'device', 'enabled': True}
    assert applied['diff']['after'] == {'name': 'devops', 'permission': 'device', 'enabled': False,
                                        'password': '********'}
    writes = field_writes(device, seen)
    assert writes == [('choice', 'Disabled'), ('User Name', 'devops'), ('Password', CANARY),
                      ('Confirm Password', CANARY), ('Accept Changes', None)], writes
    account = [u for u in device.device_state()['users'] if u['type'] == 'Device'][0]
    assert (account['name'], account['password'], account['enabled']) == ('devops', CANARY, False)
    for text in (run.stdout, run.stderr, json.dumps(run.records)):
        assert CANARY not in text
    assert any(CANARY in line for line in device.received_lines())
    # on_create: the renamed account's password is not sent again
    seen = len(transcript(device))
    again = run_task(ansible_playbook, device, 'rackops.apc.user', args, hostvars).task('configure')['result']
    assert again['changed'] is False and again['commands'] == []
    assert field_writes(device, seen) == []
    # always: sent (and reported) on every run
    always = dict(args, update_password='always')
    result = run_task(ansible_playbook, device, 'rackops.apc.user', always, hostvars).task('configure')['result']
    assert result['changed'] is True
    assert result['commands'] == ['System > User Manager > Device Manager > Password: ********',
                                  'System > User Manager > Device Manager > Accept Changes']


def test_user_own_password_and_name_keep_the_session(sim, ansible_playbook):
    device = sim('AP7920-B2', 'pty')
    logout = {'ansible.builtin.command': {'argv': [sys.executable, '-m', 'apcsim', 'ctl',
                                                   str(device.control), 'logout'],
                                          'chdir': str(SIM_DIR)},
              'delegate_to': 'localhost', 'name': 'idle logout'}
    play = [{'name': 'own account', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'password', 'rackops.apc.user': {
            'permission': 'administrator', 'name': 'root', 'password': '{{ new_password }}',
            'update_password': 'always'}},
        logout,
        {'name': 'after', 'rackops.apc.identity': {'location': 'after relogin'}},
    ]}]
    inventory = inventory_for({'dev': device}, new_password=CANARY, **MENU_HOSTVARS)
    run = ansible_playbook(play, inventory, extra_args=['-vvvv'])
    result = run.task('password')['result']
    assert result['changed'] is True
    assert result['commands'] == ['System > User Manager > Administrator > User Name: root',
                                  'System > User Manager > Administrator > Password: ********',
                                  'System > User Manager > Administrator > Accept Changes']
    assert any('ansible_user' in w for w in result.get('warnings', []))
    assert run.task('after')['result']['changed'] is True
    admin = [u for u in device.device_state()['users'] if u['type'] == 'Super User'][0]
    assert (admin['name'], admin['password']) == ('root', CANARY)
    assert device.device_state()['system']['location'] == 'after relogin'
    for text in (run.stdout, run.stderr, json.dumps(run.records)):
        assert CANARY not in text
    # a later play logs in with the new credentials
    again = run_task(ansible_playbook, device, 'rackops.apc.identity', {'location': 'later'},
                     {'ansible_user': 'root', 'ansible_password': CANARY}).task('configure')
    assert again['status'] == 'ok', again


@pytest.mark.long_running(109)
def test_user_refusals_touch_nothing(sim, ansible_playbook):
    device = sim('AP7920-B2', 'pty')
    for args, words in (
            ({'permission': 'device', 'name': 'device', 'enabled': False}, ('enabled', 'Access', 'v2.6.4')),
            ({'permission': 'administrator', 'name': 'apc', 'enabled': True}, ('enabled', 'Administrator')),
            ({'name': 'device', 'state': 'absent'}, ('state=absent', 'v2.6.4')),
            ({'permission': 'device', 'name': 'device', 'session_timeout': 5}, ('session_timeout', 'v2.6.4')),
            ({'permission': 'network_only', 'name': 'x'}, ('network_only',)),
            ({'name': 'device'}, ('needs permission',)),
            ({'permission': 'device', 'name': 'a' * 11}, ('at most 10',)),
            ({'permission': 'device', 'name': 'APC'}, ('already the Administrator account',)),
    ):
        msg = menu_rejected(device, ansible_playbook, 'rackops.apc.user', args)
        assert all(w in msg for w in words), (args, msg)
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.user_defaults', {'bad_login_attempts': 3})
    assert 'user_defaults is not available' in msg and 'v2.6.4' in msg and 'menu console' in msg


# ------------------------------------------------------------------------------ time
@pytest.mark.parametrize('model', ['AP7920', 'AP7920-B2'])
def test_time_converges(sim, ansible_playbook, model):
    device = sim(model, 'pty')
    args = {'date_format': 'yyyy-mm-dd', 'date': '2031-05-17', 'time': '10:20:30'}
    _check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.time', args)
    assert applied['commands'] == ['System > Date/Time > Date Format: yyyy-mm-dd',
                                   'System > Date/Time > Date: 2031-05-17',
                                   'System > Date/Time > Time: 10:20:30',
                                   'System > Date/Time > Accept Changes']
    assert applied['diff']['after']['date'] == '2031-05-17'
    assert device.device_state()['date']['format'] == 'yyyy-mm-dd'


def test_time_refusals(sim, ansible_playbook):
    device = sim('AP7920', 'pty')
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.time', {'ntp_primary': '192.0.2.5'})
    assert 'ntp_primary' in msg and 'AP7920' in msg and 'v3.7.3' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.time', {'time_zone': '+01:00'})
    assert 'time_zone' in msg and 'menu console' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.time', {'date': '2031-13-01'})
    assert 'YYYY-MM-DD' in msg


# ------------------------------------------------------------------------------ services
def test_services_converge(sim, ansible_playbook):
    device = sim('AP7920', 'pty')
    args = {'http_enabled': False, 'https_enabled': True, 'https_port': 5443, 'telnet_enabled': False,
            'ssh_enabled': True, 'ftp_enabled': False}
    _check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.services', args)
    assert applied['reboot_required'] is True
    assert applied['commands'] == [
        'Network > Web/SSL/TLS > SSL/TLS: Enabled', 'Network > Web/SSL/TLS > HTTPS Port: 5443',
        'Network > Web/SSL/TLS > Accept Changes',
        'Network > Telnet/SSH > Protocol: SSH', 'Network > Telnet/SSH > Accept Changes',
        'Network > FTP Server > Access: Disabled', 'Network > FTP Server > Accept Changes']
    assert applied['diff']['before']['http_enabled'] is True
    state = device.device_state()
    assert (state['web']['http'], state['web']['https'], state['web']['https_port']) == (False, True, 5443)
    assert (state['console']['telnet'], state['console']['ssh']) == (False, True)
    assert state['ftp']['enabled'] is False


@pytest.mark.long_running(93)
def test_services_b2_crypto_limit_and_refusals(sim, ansible_playbook):
    device = sim('AP7920-B2', 'pty')
    for args in ({'https_enabled': True}, {'ssh_enabled': True, 'telnet_port': 5023}):
        seen = len(transcript(device))
        msg = menu_rejected(device, ansible_playbook, 'rackops.apc.services', args)
        assert 'web interface' in msg and 'v2.6.4' in msg and 'AP7920' in msg, msg
        assert menu_writes(device, seen) == []
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.services', {'console_baud_rate': 9600})
    assert 'console_baud_rate' in msg and 'menu console' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.services',
                        {'http_enabled': True, 'https_enabled': True})
    assert 'one of them at a time' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.services', {'http_port': 81})
    assert 'http_port' in msg
    # what the B2 can do over the console converges
    _check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.services',
                                            {'http_port': 5080, 'telnet_port': 5023, 'ftp_port': 5021})
    assert len(applied['commands']) == 6
    state = device.device_state()
    assert (state['web']['http_port'], state['console']['telnet_port'], state['ftp']['port']) == (5080, 5023, 5021)


# ------------------------------------------------------------------------------ snmp
@pytest.mark.parametrize('model', ['AP7920', 'AP7920-B2'])
def test_snmp_converges(sim, ansible_playbook, model):
    device = sim(model, 'pty')
    args = {'snmpv1_enabled': False,
            'communities': [{'index': 2, 'community': 'ops', 'access': 'writeplus', 'nms': '192.0.2.10'}]}
    _check, applied, _again = menu_converge(device, ansible_playbook, 'rackops.apc.snmp', args)
    assert applied['commands'] == [
        'Network > SNMP > Access Control 2 > Community Name: ops',
        'Network > SNMP > Access Control 2 > NMS IP: 192.0.2.10',
        'Network > SNMP > Access Control 2 > Access Type: Write+',
        'Network > SNMP > Access Control 2 > Accept Changes',
        'Network > SNMP > Access: Disabled', 'Network > SNMP > Accept Changes']
    assert applied['diff']['after']['communities'][0]['access'] == 'writeplus'
    snmp = device.device_state()['snmp']
    assert snmp['enabled'] is False
    assert snmp['access'][1] == dict(snmp['access'][1], community='ops', access='writeplus', nms='192.0.2.10')


def test_snmp_refusals(sim, ansible_playbook):
    device = sim('AP7920', 'pty')
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.snmp', {'snmpv3_enabled': True})
    assert 'snmpv3_enabled' in msg and 'v3.7.3' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.snmp',
                        {'communities': [{'index': 1, 'nms': 'nms.example.net'}]})
    assert 'IPv4 address only' in msg
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.snmp',
                        {'communities': [{'index': 1, 'community': 'x' * 16}]})
    assert '15' in msg


# ------------------------------------------------------------------------------ reboot
def test_reboot(sim, ansible_playbook):
    device = sim('AP7920', 'pty', boot_seconds=2)
    before = stable_state(device)
    seen = len(transcript(device))
    check = run_task(ansible_playbook, device, 'rackops.apc.reboot', {}, None, ['--check']).task('configure')
    assert check['result']['changed'] is True and check['result']['rebooted'] is True
    assert check['result']['commands'] == ['System > Tools > Reboot Management Interface: YES']
    assert stable_state(device) == before, state_diff(before, stable_state(device))
    assert menu_writes(device, seen) == []
    msg = menu_rejected(device, ansible_playbook, 'rackops.apc.reboot', {'only_if_required': True})
    assert 'only_if_required' in msg and 'v3.7.3' in msg
    result = run_task(ansible_playbook, device, 'rackops.apc.reboot', {}).task('configure')
    assert result['status'] == 'ok', result
    result = result['result']
    assert result['rebooted'] is True and result['elapsed'] > 0
    assert result['device']['firmware']['aos'] == 'v3.7.3'
    assert 'Requested' in str(device.device_state().get('lastrst'))
