# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.config_ini against the simulator: xferINI with XMODEM, check mode, idempotence,
another line speed and back, failures, bad files refused before the console is touched."""

from __future__ import annotations

import pytest

from harness import converge, inventory_for, one_task, rejected, stable_state

INI = """; written by the integration test
[SystemID]
Name=pdu-b07
Contact=noc@example.net
Location=DC2 row B rack 07

[NetworkTCP/IP]
BootMode=Manual
SystemIP=192.0.2.70
SubnetMask=255.255.255.0
DefaultGateway=192.0.2.1
DomainName=rack.example.net
"""


def no_transfer(lines):
    return not [line for line in lines if 'xferini' in line.lower()]


@pytest.mark.parametrize('transport', ['pty', 'tcp'])
def test_config_ini_converges(sim, ansible_playbook, transport):
    device = sim('AP8941', transport)
    check, applied, again = converge(device, ansible_playbook, 'rackops.apc.config_ini',
                                     {'content': INI})
    assert check['commands'] == ['xferINI'] and 'xfer_status' not in check
    assert sorted(check['differing']) == sorted(check['keys'])      # a fresh card: all differ
    assert applied['xfer_status'] == 'OK'
    transfer = applied['transfer']
    assert transfer['mode'] == 'CRC' and transfer['bytes'] == len(INI.encode())
    assert transfer['progress'][-1]['percent'] == 100
    assert applied['before']['NetworkTCP/IP.SystemIP'] == '0.0.0.0'
    assert applied['after']['NetworkTCP/IP.SystemIP'] == '192.0.2.70'
    assert applied['diff']['after']['SystemID.Name'] == 'pdu-b07'
    assert again['differing'] == [] and 'transfer' not in again
    state = device.device_state()
    assert state['system']['name'] == 'pdu-b07' and state['system']['location'] == 'DC2 row B rack 07'
    assert state['tcpip']['ip'] == '192.0.2.70' and state['boot']['mode'] == 'manual'
    assert state['tcpip']['domain'] == 'rack.example.net'
    assert state['xfer']['result'] == 'OK' and state['files']['config.ini'] == INI
    # xferINI reached the card exactly once: in the apply run
    assert len([line for line in device.received_lines() if line.strip() == 'xferINI']) == 1


def test_config_ini_check_mode_sends_nothing(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    before = stable_state(device)
    run = ansible_playbook(one_task('rackops.apc.config_ini', {'content': INI}),
                           inventory_for({'dev': device}), extra_args=['--check', '--diff'])
    result = run.task('configure')['result']
    assert result['changed'] is True and result['commands'] == ['xferINI']
    assert stable_state(device) == before
    assert no_transfer(device.received_lines())
    assert 'xfer' not in device.device_state()


@pytest.mark.parametrize('transport', ['pty', 'rfc2217'])
def test_config_ini_at_38400_and_back(sim, ansible_playbook, transport):
    device = sim('AP8941', transport, pace=True)
    run = ansible_playbook(one_task('rackops.apc.config_ini',
                                    {'content': INI, 'baud_rate': 38400, 'block_size': 1024}),
                           inventory_for({'dev': device}))
    result = run.task('configure')['result']
    assert result['changed'] is True and result['xfer_status'] == 'OK'
    assert result['transfer']['baud'] == 38400 and result['transfer']['console_baud'] == 9600
    assert result['transfer']['block_size'] == 1024
    state = device.device_state()
    assert state['xfer']['baud'] == 38400 and state['runtime']['line_baud'] == 9600
    assert state['tcpip']['ip'] == '192.0.2.70'


def test_config_ini_secrets_and_unknown_keys(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    text = INI + '\n[SNMPv1Community1]\nCommunityName=s3cr3t-community\n'
    msg = rejected(device, ansible_playbook, 'rackops.apc.config_ini', {'content': text})
    assert 'SNMPv1Community1.CommunityName is not a key' in msg
    assert 's3cr3t-community' not in msg
    assert device.received_lines() == []
    run = ansible_playbook(one_task('rackops.apc.config_ini', {'content': text, 'allow_unknown': True}),
                           inventory_for({'dev': device}), extra_args=['--diff', '-vvv'])
    result = run.task('configure')['result']
    assert result['changed'] is True and result['xfer_status'] == 'OK'
    assert result['unknown_keys'] == ['SNMPv1Community1.CommunityName']
    assert result['keys']['SNMPv1Community1.CommunityName'] == '********'
    assert 's3cr3t-community' not in run.stdout and 's3cr3t-community' not in str(result)
    assert device.device_state()['xfer']['ignored'] == ['SNMPv1Community1.CommunityName']
    # unknown keys cannot be proven: the file is sent again
    again = ansible_playbook(one_task('rackops.apc.config_ini', {'content': text, 'allow_unknown': True}),
                             inventory_for({'dev': device})).task('configure')['result']
    assert again['changed'] is True and again['differing'] == ['SNMPv1Community1.CommunityName']


@pytest.mark.parametrize('text, message', [
    ('Name=x\n', 'before the first [Section]'),
    ('[SystemID]\nName x\n', 'neither [Section], Key=Value'),
    ('[SystemID]\nName=a\nname=b\n', 'is set twice'),
    ('[NetworkTCP/IP]\nSystemIP=192.0.2.300\n', 'NetworkTCP/IP.SystemIP'),
    ('[NetworkTCP/IP]\nBootMode=sometimes\n', 'must be Manual, DHCP or BOOTP'),
    ('[NetworkTCP/IP]\nSystemIP=192.0.2.5\nSubnetMask=255.255.255.0\nDefaultGateway=198.51.100.1\n',
     'is not in the network'),
    ('[SystemID]\nLocation=%s\n' % ('x' * 256), 'at most 255'),
    ('[SystemID]\nName=a\x1bb\n', 'control character'),
    ('; only a comment\n', 'sets nothing'),
])
def test_config_ini_bad_files_touch_nothing(sim, ansible_playbook, text, message):
    device = sim('AP8941', 'pty')
    msg = rejected(device, ansible_playbook, 'rackops.apc.config_ini', {'content': text})
    assert message in msg and 'before anything was sent' in msg
    assert device.received_lines() == []


def test_config_ini_receiver_cancel_fails_clearly(sim, ansible_playbook):
    device = sim('AP8941', 'tcp')
    device.ctl('fault', 'xmodem', 'cancel', '0')
    run = ansible_playbook(one_task('rackops.apc.config_ini', {'content': INI}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    assert result['status'] == 'failed'
    assert 'cancelled the transfer (CAN CAN)' in result['result']['msg']
    assert 'Cancelled by the card' in result['result']['msg']          # xferStatus
    assert device.device_state()['system']['name'] != 'pdu-b07'


def test_config_ini_nak_storm_fails_clearly(sim, ansible_playbook):
    device = sim('AP8941', 'tcp')
    device.ctl('fault', 'xmodem', 'nak-storm', '0')
    run = ansible_playbook(one_task('rackops.apc.config_ini', {'content': INI}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    assert result['status'] == 'failed'
    assert 'NAK' in result['result']['msg'] and 'gave up' in result['result']['msg']
    assert device.device_state()['tcpip']['ip'] == '0.0.0.0'


def test_config_ini_refused_on_a_menu_console(sim, ansible_playbook):
    device = sim('AP7920', 'pty')
    run = ansible_playbook(one_task('rackops.apc.config_ini', {'content': INI}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    assert result['status'] == 'failed' and 'menu' in result['result']['msg']


NEW_PW = 'Fresh-Passw0rd-7'


@pytest.mark.parametrize('model, forced', [('SUA1500-AP9630-AOS5', False), ('SMT1500-AP9641', True)])
def test_config_ini_on_other_cards(sim, ansible_playbook, model, forced):
    device = sim(model, 'pty')
    hostvars = {}
    if forced:
        # the first login on NMC3 changes the password (not in check mode): once with facts
        ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                         inventory_for({'dev': device}, ansible_apc_new_password=NEW_PW))
        hostvars = {'ansible_password': NEW_PW}
    _check, applied, _again = converge(device, ansible_playbook, 'rackops.apc.config_ini',
                                       {'content': INI}, hostvars=hostvars)
    assert applied['xfer_status'] == 'OK'
    state = device.device_state()
    assert state['system']['name'] == 'pdu-b07' and state['tcpip']['ip'] == '192.0.2.70'


def test_config_ini_refused_on_a_ups_db9_port(sim, ansible_playbook):
    device = sim('SU1000NET', 'pty', baud=2400)
    run = ansible_playbook(one_task('rackops.apc.config_ini', {'content': INI}),
                           inventory_for({'dev': device}, ansible_apc_dialect='smart',
                                         ansible_serial_baud_rate=2400), check=False)
    result = run.task('configure')
    assert result['status'] == 'failed' and 'smart' in result['result']['msg']
    assert not [line for line in device.received_lines() if 'xfer' in line.lower()]


def test_config_ini_from_src(sim, ansible_playbook, tmp_path):
    device = sim('AP8941', 'pty')
    path = tmp_path / 'pdu-b07.ini'
    path.write_text(INI)
    msg = rejected(device, ansible_playbook, 'rackops.apc.config_ini', {'src': 'pdu-b07.ini'})
    assert 'absolute path' in msg and device.received_lines() == []
    msg = rejected(device, ansible_playbook, 'rackops.apc.config_ini', {'src': str(tmp_path / 'none.ini')})
    assert 'cannot read src' in msg and device.received_lines() == []
    result = ansible_playbook(one_task('rackops.apc.config_ini', {'src': str(path)}),
                              inventory_for({'dev': device})).task('configure')['result']
    assert result['changed'] is True and result['xfer_status'] == 'OK'
    assert device.device_state()['files']['config.ini'] == INI


def test_config_ini_other_speed_refused_on_a_raw_tcp_port(sim, ansible_playbook):
    device = sim('AP8941', 'tcp')
    run = ansible_playbook(one_task('rackops.apc.config_ini', {'content': INI, 'baud_rate': 19200}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    assert result['status'] == 'failed' and 'rfc2217://' in result['result']['msg']
    assert no_transfer(device.received_lines())
    assert device.device_state()['system']['name'] != 'pdu-b07'
