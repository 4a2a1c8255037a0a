# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.snmp, rackops.apc.services and rackops.apc.time against the simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import converge, inventory_for, is_write, one_task, rejected

CANARY_AUTH = 'Canary-Snmp-Pass-123'
CANARY_PRIV = 'Canary-Snmp-Priv-456'
AOS5 = 'SUA1500-AP9630-AOS5'
SIM_DIR = Path(__file__).resolve().parents[1]


def _models():
    env = dict(os.environ, PYTHONPATH=str(SIM_DIR))
    out = subprocess.run([sys.executable, '-m', 'apcsim', 'models'], capture_output=True, text=True,
                         env=env, timeout=60, check=False)
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


HAVE_AOS5 = AOS5 in _models()
SNMP_ARGS = {
    'snmpv1_enabled': False,
    'communities': [{'index': 1, 'community': 'monitor', 'access': 'read', 'nms': '192.0.2.5'}],
    'snmpv3_enabled': True,
    'snmpv3_users': [{'index': 1, 'user_name': 'nagios', 'auth_protocol': 'sha',
                      'auth_passphrase': CANARY_AUTH, 'priv_protocol': 'aes',
                      'priv_passphrase': CANARY_PRIV}],
    'snmpv3_access': [{'index': 1, 'enabled': True, 'user_name': 'nagios', 'nms': '192.0.2.5'}],
}


def test_snmp_converges_and_passphrases_stay_on_the_wire(sim, ansible_playbook, tmp_path):
    device = sim('AP8941', 'pty')
    check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.snmp', SNMP_ARGS)
    assert applied['commands'] == [
        'snmp -c1 monitor -n1 192.0.2.5',
        'snmp -S disable',
        'snmpv3 -u1 nagios -ap1 sha -a1 ******** -pp1 aes -c1 ********',
        'snmpv3 -ac1 enable -au1 nagios -n1 192.0.2.5',
        'snmpv3 -S enable',
    ]
    assert applied['reboot_required'] is True          # disabling SNMPv1 answers E002
    assert applied['diff']['before']['snmpv1_enabled'] is True
    assert applied['diff']['after']['snmpv3_users'][0]['auth_passphrase'] == '********'
    state = device.device_state()
    assert state['snmp']['enabled'] is False and state['snmp']['access'][0]['community'] == 'monitor'
    user = state['snmpv3']['users'][0]
    assert (user['name'], user['auth'], user['priv']) == ('nagios', 'sha', 'aes')
    assert (user['auth_phrase'], user['crypt_phrase']) == (CANARY_AUTH, CANARY_PRIV)
    assert state['snmpv3']['access'][0] == {'enabled': True, 'user': 'nagios', 'nms': '192.0.2.5'}

    # update_passphrases: always sends them again (changed), at -vvvv with the connection's
    # log on: the canaries are on the wire only
    log = tmp_path / 'ansible.log'
    seen = len(device.received_lines())
    run = ansible_playbook(one_task('rackops.apc.snmp', dict(SNMP_ARGS, update_passphrases='always')),
                           inventory_for({'dev': device}, ansible_persistent_log_messages=True),
                           extra_args=['-vvvv', '--diff'], env={'ANSIBLE_LOG_PATH': str(log)})
    result = run.task('configure')['result']
    assert result['changed'] is True
    assert result['commands'] == ['snmpv3 -a1 ******** -c1 ********']
    for text in (run.stdout, run.stderr, log.read_text(), json.dumps(run.records),
                 json.dumps([check, applied])):
        assert CANARY_AUTH not in text and CANARY_PRIV not in text
    wire = device.received_lines()[seen:]
    assert any(CANARY_AUTH in line and CANARY_PRIV in line for line in wire)


def test_services_converge(sim, ansible_playbook):
    device = sim('AP8941', 'pty')   # 6.8.0: HTTP on, HTTPS off, Telnet on, SSH off, FTP on
    args = {'http_enabled': False, 'https_enabled': True, 'https_port': 5443,
            'telnet_enabled': False, 'ssh_enabled': True, 'ftp_enabled': False}
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.services', args)
    assert applied['commands'] == ['web -h disable -s enable -ps 5443',
                                   'console -t disable -s enable', 'ftp -S disable']
    assert applied['reboot_required'] is True
    assert any('reboot the management card' in step for step in applied['next_steps'])
    assert applied['diff']['before']['http_enabled'] is True
    state = device.device_state()
    assert state['web'] == {'http': False, 'https': True, 'http_port': 80, 'https_port': 5443}
    assert (state['console']['telnet'], state['console']['ssh']) == (False, True)
    assert state['ftp']['enabled'] is False


def test_console_baud_rate_needs_permission_and_says_what_next(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    msg = rejected(device, ansible_playbook, 'rackops.apc.services', {'console_baud_rate': 19200})
    assert 'allow_console_baud_change: true' in msg and 'ansible_serial_baud_rate: 19200' in msg
    run = ansible_playbook(one_task('rackops.apc.services', {'console_baud_rate': 19200,
                                                             'allow_console_baud_change': True}),
                           inventory_for({'dev': device}))
    result = run.task('configure')['result']
    assert result['changed'] is True and result['commands'] == ['console -b 19200']
    assert result['reboot_required'] is False
    assert any('ansible_serial_baud_rate: 19200' in step for step in result['next_steps'])
    assert any('reset_connection' in warning for warning in result['warnings'])
    assert device.device_state()['console']['baud'] == 19200
    assert device.received_lines().count('console -b 19200') == 1
    # at the new speed the card answers, and the setting is in place
    seen = len(device.received_lines())
    again = ansible_playbook(one_task('rackops.apc.services', {'console_baud_rate': 19200}),
                             inventory_for({'dev': device}, ansible_serial_baud_rate=19200))
    assert again.task('configure')['result']['changed'] is False
    assert not [line for line in device.received_lines()[seen:] if is_write(line)]


def test_time_converges(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    args = {'ntp_override': True, 'ntp_primary': '192.0.2.123', 'ntp_secondary': 'ntp.example.net',
            'time_zone': '+01:00', 'date_format': 'dd.mm.yyyy',
            'date': '2030-06-15', 'time': '12:00:00', 'max_drift': 30}
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.time', args)
    assert applied['commands'] == [
        'ntp -OM enable -p 192.0.2.123 -s ntp.example.net',
        'date -f dd.mm.yyyy -z +01:00 -d 15.06.2030 -t 12:00:00']
    assert applied['reboot_required'] is False
    assert applied['diff']['after']['date'] == '2030-06-15'
    state = device.device_state()
    assert state['ntp']['primary'] == '192.0.2.123' and state['ntp']['override'] is True
    assert state['date']['format'] == 'dd.mm.yyyy' and state['date']['tz'] == '+01:00'


def test_sync_clock_is_idempotent(sim, ansible_playbook):
    device = sim('AP8941', 'pty')   # the simulated clock follows the host's (UTC + zone)
    run = ansible_playbook(one_task('rackops.apc.time', {'sync_clock': True, 'time_zone': '+00:00'}),
                           inventory_for({'dev': device}), extra_args=['--diff'])
    result = run.task('configure')['result']
    assert result['changed'] is False and result['commands'] == []


@pytest.mark.parametrize('module, args, message', [
    ('rackops.apc.snmp', {'snmpv3_users': [{'index': 1, 'auth_passphrase': 'too-short'}]},
     'passphrases of 15 to 32'),
    ('rackops.apc.snmp', {'communities': [{'index': 1, 'community': 'x' * 16}]}, 'at most 15'),
    ('rackops.apc.snmp', {'communities': [{'index': 2, 'access': 'read'}, {'index': 2}]},
     'listed more than once'),
    ('rackops.apc.services', {'http_port': 8080, 'https_port': 8080}, 'would both use port 8080'),
    ('rackops.apc.services', {'ftp_port': 5000}, 'ftp_port must be 21 or between 5001'),
    ('rackops.apc.time', {'time_zone': '+05:20'}, 'minutes 00, 15, 30 or 45'),
    ('rackops.apc.time', {'date': '15.06.2030'}, 'YYYY-MM-DD'),
])
def test_bad_input_touches_nothing(sim, ansible_playbook, module, args, message):
    device = sim('AP8941', 'pty')
    assert message in rejected(device, ansible_playbook, module, args)
    assert device.received_lines() == []     # refused before the console was touched


def test_refusals_after_reading(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    msg = rejected(device, ansible_playbook, 'rackops.apc.snmp',
                   {'snmpv3_access': [{'index': 2, 'user_name': 'nobody'}]})
    assert "names user 'nobody'" in msg
    msg = rejected(device, ansible_playbook, 'rackops.apc.time', {'ntp_enabled': True})
    assert 'ntp_enabled cannot be managed' in msg


@pytest.mark.long_running(49)
@pytest.mark.skipif(not HAVE_AOS5, reason='simulator profile %s not available yet' % AOS5)
def test_services_aos5_forms(sim, ansible_playbook):
    device = sim(AOS5, 'pty')       # 5.1.7: no forced first-login change
    args = {'https_enabled': True, 'https_port': 5443, 'ssh_enabled': True}
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.services', args)
    assert applied['commands'] == ['web -S https -ps 5443', 'console -S ssh']
    assert applied['reboot_required'] is True
    # one protocol at a time: https on turned http off, and the diff says so
    assert applied['diff']['after']['http_enabled'] is False
    state = device.device_state()
    assert (state['web']['http'], state['web']['https']) == (False, True)
    assert (state['console']['telnet'], state['console']['ssh']) == (False, True)
    msg = rejected(device, ansible_playbook, 'rackops.apc.services',
                   {'http_enabled': True, 'https_enabled': True})
    assert 'v5.1.7 (aos5)' in msg and 'one of them at a time' in msg
