# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.firmware against the simulator: the boot monitor (reboot, ENTER early in the
restart, BM>, XMODEM per module, BOOT), check mode, idempotence, files refused before the
console is touched, files for another family refused after the login, a UPS DB9 port
refused, NAK storms, a receiver that cancels and a line drop mid-transfer."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from harness import converge, inventory_for, one_task, rejected, stable_state

SIM_DIR = Path(__file__).resolve().parents[1]          # tests/, where apcsim lives
sys.path.insert(0, str(SIM_DIR))
from apcsim.firmware import build_image, image_name  # noqa: E402  pylint: disable=wrong-import-position
sys.path.remove(str(SIM_DIR))

# AP8941 profile: bootmon v1.0.8, AOS v6.8.0, rpdu2g v6.8.0
FAST = {'boot_seconds': 2, 'bootmon_window': 4}


def image(tmp_path, module, version, hw='05', size=3000, name=None, **kw):
    path = tmp_path / (name or image_name(hw, module, version))
    path.write_bytes(kw.pop('data', None) or build_image(hw, module, version, size=size))
    return str(path)


def transfer_lines(lines):
    """The reboot, XMODEM and BOOT commands received (the text typed after an image shares
    its line with the image's last bytes: only what follows the last non-text byte counts)."""
    tails = [re.sub(r'^.*[^\x20-\x7e]', '', line).strip().lower() for line in lines]
    return [tail for tail in tails if tail in ('reboot', 'xmodem', 'boot')]


def firmware_state(device):
    state = device.device_state()
    return state['runtime']['firmware_modules'], state['runtime']['dialect']


def test_firmware_converges_through_the_boot_monitor(sim, ansible_playbook, tmp_path):
    device = sim('AP8941', 'pty', **FAST)
    images = [image(tmp_path, 'rpdu2g', 'v6.9.6'), image(tmp_path, 'aos', 'v6.9.6', size=5000),
              image(tmp_path, 'bootmon', 'v1.0.8')]        # bootmon already at its target
    seen = len(device.received_lines())
    check, applied, again = converge(device, ansible_playbook, 'rackops.apc.firmware',
                                     {'images': images, 'restart_timeout': 60})
    assert check['commands'] == ['XMODEM apc_hw05_aos_696.bin (aos v6.8.0 -> v6.9.6)',
                                 'XMODEM apc_hw05_rpdu2g_696.bin (rpdu2g v6.8.0 -> v6.9.6)']
    assert 'rpdu2g: v6.8.0 -> v6.9.6, 3128 bytes would be sent' in check['summary']
    assert [m['send'] for m in check['modules']] == [False, True, True]    # bootmon, aos, app
    assert applied['after'] == {'bootmon': 'v1.0.8', 'aos': 'v6.9.6', 'app': 'v6.9.6'}
    assert [t['module'] for t in applied['transfers']] == ['aos', 'app']
    for transfer in applied['transfers']:
        assert transfer['progress'][-1]['percent'] == 100 and transfer['mode'] == 'CRC'
        assert 'written' in transfer['card_says']
    assert applied['summary'][0] == 'bootmon: already at v1.0.8, skipped'
    assert applied['summary'][-1].startswith('restart: the unit answered again after')
    assert applied['diff']['before']['aos'] == 'v6.8.0' and applied['diff']['after']['aos'] == 'v6.9.6'
    assert again['summary'] == ['bootmon: already at v1.0.8, skipped', 'aos: already at v6.9.6, skipped',
                                'rpdu2g: already at v6.9.6, skipped']
    modules, dialect = firmware_state(device)
    assert modules['aos'] == 'v6.9.6' and modules['app'] == 'v6.9.6' and dialect == 'cli'
    log = device.device_state()['firmware_log']
    assert [(r['module'], r['version'], r['result']) for r in log] == [('aos', 'v6.9.6', 'OK'),
                                                                       ('app', 'v6.9.6', 'OK')]
    # the card was restarted twice (into the boot monitor, then BOOT) in the apply run only
    lines = transfer_lines(device.received_lines()[seen:])
    assert lines == ['reboot', 'xmodem', 'xmodem', 'boot']


def test_firmware_check_mode_sends_nothing(sim, ansible_playbook, tmp_path):
    device = sim('AP8941', 'pty', **FAST)
    before = stable_state(device)
    run = ansible_playbook(one_task('rackops.apc.firmware', {'images': [image(tmp_path, 'aos', 'v6.9.6')]}),
                           inventory_for({'dev': device}), extra_args=['--check', '--diff'])
    result = run.task('configure')['result']
    assert result['changed'] is True and result['commands'] == ['XMODEM apc_hw05_aos_696.bin (aos v6.8.0 -> v6.9.6)']
    assert result['diff'] == {'before': {'aos': 'v6.8.0'}, 'after': {'aos': 'v6.9.6'}}
    assert stable_state(device) == before
    assert transfer_lines(device.received_lines()) == []


@pytest.mark.parametrize('how, message', [
    ('relative', 'absolute paths'),
    ('badname', 'not an APC firmware file name'),
    ('noheader', 'no firmware header'),
    ('header-version', 'its header says version v6.9.5, its name 696'),
    ('header-module', 'its header says module sumx, its name aos'),
    ('damaged', 'is damaged'),
    ('truncated', 'truncated or padded'),
    ('twice', 'two images for the aos module'),
    ('mixed-hw', 'different hardware'),
])
def test_firmware_bad_files_touch_nothing(sim, ansible_playbook, tmp_path, how, message):
    device = sim('AP8941', 'pty', **FAST)
    good = build_image('05', 'aos', 'v6.9.6', size=600)
    if how == 'relative':
        images = ['apc_hw05_aos_696.bin']
    elif how == 'badname':
        images = [image(tmp_path, 'aos', 'v6.9.6', name='aos-6.9.6.bin')]
    elif how == 'noheader':
        images = [image(tmp_path, 'aos', 'v6.9.6', data=b'\x7fELF' + b'\0' * 500)]
    elif how == 'header-version':
        images = [image(tmp_path, 'aos', 'v6.9.6', data=build_image('05', 'aos', 'v6.9.5'))]
    elif how == 'header-module':
        images = [image(tmp_path, 'aos', 'v6.9.6', data=build_image('05', 'sumx', 'v6.9.6'))]
    elif how == 'damaged':
        images = [image(tmp_path, 'aos', 'v6.9.6', data=good[:-1] + b'X')]
    elif how == 'truncated':
        images = [image(tmp_path, 'aos', 'v6.9.6', data=good[:-10])]
    elif how == 'twice':
        images = [image(tmp_path, 'aos', 'v6.9.6'), image(tmp_path, 'aos', 'v6.9.5')]
    else:
        images = [image(tmp_path, 'aos', 'v6.9.6'), image(tmp_path, 'rpdu2g', 'v6.9.6', hw='21')]
    msg = rejected(device, ansible_playbook, 'rackops.apc.firmware', {'images': images})
    assert message in msg, msg
    assert device.received_lines() == []          # the console was not touched at all


@pytest.mark.parametrize('hw, module, message', [
    ('21', 'aos', 'is for hardware hw21; this unit (rpdu2g) takes hw05'),
    ('05', 'sumx', 'holds the sumx application; this unit runs rpdu2g'),
])
def test_firmware_for_another_family_refused_after_login(sim, ansible_playbook, tmp_path, hw, module, message):
    device = sim('AP8941', 'pty', **FAST)
    msg = rejected(device, ansible_playbook, 'rackops.apc.firmware',
                   {'images': [image(tmp_path, module, 'v6.9.6', hw=hw)]})
    assert message in msg and 'Nothing was sent' in msg
    assert transfer_lines(device.received_lines()) == []
    assert firmware_state(device) == ({'bootmon': 'v1.0.8', 'aos': 'v6.8.0', 'app': 'v6.8.0',
                                       'app_name': 'rpdu2g', 'half_written': None}, 'cli')


def test_firmware_refused_on_a_ups_db9_port(sim, ansible_playbook, tmp_path):
    device = sim('SU1000NET', 'pty', baud=2400)
    run = ansible_playbook(one_task('rackops.apc.firmware', {'images': [image(tmp_path, 'aos', 'v6.9.6')]}),
                           inventory_for({'dev': device}, ansible_apc_dialect='smart',
                                         ansible_serial_baud_rate=2400), check=False)
    result = run.task('configure')
    assert result['status'] == 'failed' and 'DB9' in result['result']['msg']
    assert result['result']['error_kind'] == 'dialect'
    # only the smart protocol's own identification letters went out
    assert not [line for line in device.received_lines() if 'xmodem' in line.lower() or 'reboot' in line.lower()]


def test_firmware_on_a_ups_card_with_a_slow_restart(sim, ansible_playbook, tmp_path):
    """A Smart-UPS NMC2 (sumx application) whose restart after new firmware takes longer
    than a plain reboot (linked units take minutes; here 12 s)."""
    device = sim('SUA1500-AP9631', 'pty', firmware_boot_seconds=12, **FAST)
    hostvars = {'ansible_password': 'Fresh-Passw0rd-7'}
    ansible_playbook(one_task('rackops.apc.facts', {'gather_subset': ['identity']}),
                     inventory_for({'dev': device}, ansible_apc_new_password='Fresh-Passw0rd-7'))
    images = [image(tmp_path, 'sumx', 'v7.0.4'), image(tmp_path, 'aos', 'v7.0.4'),
              image(tmp_path, 'bootmon', 'v1.1.0')]
    run = ansible_playbook(one_task('rackops.apc.firmware', {'images': images, 'block_size': 1024}),
                           inventory_for({'dev': device}, **hostvars))
    result = run.task('configure')['result']
    assert result['changed'] is True
    assert [t['module'] for t in result['transfers']] == ['bootmon', 'aos', 'app']
    assert result['transfers'][0]['block_size'] == 1024
    assert result['after'] == {'bootmon': 'v1.1.0', 'aos': 'v7.0.4', 'app': 'v7.0.4'}
    assert result['restart_seconds'] >= 10


def test_firmware_nak_storm_restarts_the_card_on_its_firmware(sim, ansible_playbook, tmp_path):
    device = sim('AP8941', 'tcp', **FAST)
    device.ctl('fault', 'xmodem', 'nak-storm', '0')
    run = ansible_playbook(one_task('rackops.apc.firmware', {'images': [image(tmp_path, 'aos', 'v6.9.6')]}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    msg = result['result']['msg']
    assert result['status'] == 'failed' and result['result']['error_kind'] == 'transfer'
    assert 'sending the aos module (apc_hw05_aos_696.bin) failed' in msg and 'NAK' in msg
    assert 'Nothing of the aos module was written' in msg
    assert 'the card was started again and runs bootmon v1.0.8, AOS v6.8.0' in msg
    modules, dialect = firmware_state(device)
    assert modules['aos'] == 'v6.8.0' and modules['half_written'] is None and dialect == 'cli'


def test_firmware_receiver_cancel_leaves_the_module_half_written(sim, ansible_playbook, tmp_path):
    device = sim('AP8941', 'pty', **FAST)
    device.ctl('fault', 'xmodem', 'cancel', '3')
    run = ansible_playbook(one_task('rackops.apc.firmware', {'images': [image(tmp_path, 'aos', 'v6.9.6')]}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    msg = result['result']['msg']
    assert result['status'] == 'failed' and result['result']['error_kind'] == 'transfer'
    assert 'cancelled the transfer (CAN CAN)' in msg
    assert 'The aos module is left half-written on the card (384 of 3128 bytes' in msg
    assert 'boot monitor (BM>), which recovers it' in msg
    modules, dialect = firmware_state(device)
    assert modules['half_written'] == 'aos' and dialect == 'bootmon'


@pytest.mark.parametrize('transport', ['tcp', 'pty'])    # pty: the card falls silent instead
def test_firmware_line_drop_names_the_half_written_module(sim, ansible_playbook, tmp_path, transport):
    device = sim('AP8941', transport, **FAST)
    device.ctl('fault', 'xmodem', 'drop', '4')
    images = [image(tmp_path, 'aos', 'v6.9.6'), image(tmp_path, 'rpdu2g', 'v6.9.6')]
    run = ansible_playbook(one_task('rackops.apc.firmware', {'images': images}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    msg = result['result']['msg']
    assert result['status'] == 'failed' and result['result']['error_kind'] == 'transfer'
    assert 'sending the aos module (apc_hw05_aos_696.bin) failed' in msg
    assert 'The aos module is left half-written' in msg and 'rpdu2g' not in msg.split('failed')[0]
    modules, dialect = firmware_state(device)
    assert modules['half_written'] == 'aos' and modules['app'] == 'v6.8.0' and dialect == 'bootmon'
    # the boot monitor recovers it: the task run again finds BM> at the login (check mode
    # first: nothing sent) and sends the files from there
    device.ctl('fault', 'xmodem', 'off')
    seen = len(device.received_lines())
    check = ansible_playbook(one_task('rackops.apc.firmware', {'images': images}),
                             inventory_for({'dev': device}), extra_args=['--check']).task('configure')
    assert check['result']['changed'] is True and check['result']['boot_monitor'] is True
    assert 'in its boot monitor' in ' '.join(check['result'].get('warnings', []))
    assert transfer_lines(device.received_lines()[seen:]) == []
    run = ansible_playbook(one_task('rackops.apc.firmware', {'images': images}), inventory_for({'dev': device}))
    result = run.task('configure')['result']
    assert result['changed'] is True and result['boot_monitor'] is True
    assert result['after'] == {'bootmon': 'v1.0.8', 'aos': 'v6.9.6', 'app': 'v6.9.6'}
    assert firmware_state(device)[0]['half_written'] is None and firmware_state(device)[1] == 'cli'
    again = ansible_playbook(one_task('rackops.apc.firmware', {'images': images}),
                             inventory_for({'dev': device})).task('configure')['result']
    assert again['changed'] is False and again['commands'] == []


# ------------------------------------------------------------------ menu consoles (AP79xx)
# AP7920 profile: AOS v3.7.3, Rack PDU APP (rpdu) v3.7.3, hardware generation hw02

@pytest.mark.parametrize('transport, baud', [('pty', None), ('rfc2217', 19200)])
def test_firmware_on_a_menu_console_through_file_transfer(sim, ansible_playbook, tmp_path, transport, baud):
    device = sim('AP7920', transport, **FAST)
    args = {'images': [image(tmp_path, 'rpdu', 'v3.9.2', hw='02'), image(tmp_path, 'aos', 'v3.9.2', hw='02')]}
    if baud:
        args['baud_rate'] = baud
    check, applied, again = converge(device, ansible_playbook, 'rackops.apc.firmware', args)
    assert check['commands'] == ['XMODEM apc_hw02_aos_392.bin (aos v3.7.3 -> v3.9.2)',
                                 'XMODEM apc_hw02_rpdu_392.bin (rpdu v3.7.3 -> v3.9.2)']
    assert applied['after']['aos'] == 'v3.9.2' and applied['after']['app'] == 'v3.9.2'
    assert [t['module'] for t in applied['transfers']] == ['aos', 'app']
    assert all('written' in t['card_says'] for t in applied['transfers'])
    assert applied['transfers'][0]['baud'] == (baud or 9600) and applied['transfers'][0]['console_baud'] == 9600
    assert again['changed'] is False
    log = device.device_state()['firmware_log']
    speed = baud or 9600
    assert [(r['module'], r['result'], r['baud']) for r in log] == [('aos', 'OK', speed), ('app', 'OK', speed)]
    assert device.device_state()['runtime']['line_baud'] == 9600


def test_firmware_menu_refuses_a_bootmon_file_and_cancel_names_the_module(sim, ansible_playbook, tmp_path):
    device = sim('AP7920', 'pty', **FAST)
    msg = rejected(device, ansible_playbook, 'rackops.apc.firmware',
                   {'images': [image(tmp_path, 'bootmon', 'v1.0.9', hw='02')]})
    assert 'does not show the boot monitor' in msg and 'Nothing was sent' in msg
    device.ctl('fault', 'xmodem', 'cancel', '2')
    run = ansible_playbook(one_task('rackops.apc.firmware',
                                    {'images': [image(tmp_path, 'aos', 'v3.9.2', hw='02')]}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    msg = result['result']['msg']
    assert result['status'] == 'failed' and result['result']['error_kind'] == 'transfer'
    assert 'cancelled the transfer (CAN CAN)' in msg and 'File transfer failed: Cancelled by the card' in msg
    assert 'The aos module is left half-written (256 of' in msg and 'boot monitor' in msg
    modules, dialect = firmware_state(device)
    assert modules['half_written'] == 'aos' and dialect == 'menu'       # it runs on until a restart
    device.ctl('reboot')
    deadline = time.monotonic() + 20
    while firmware_state(device)[1] != 'bootmon' and time.monotonic() < deadline:
        time.sleep(0.2)
    assert firmware_state(device)[1] == 'bootmon'
    # run again: the login finds BM>, the file goes from the boot monitor, the menus come back
    device.ctl('fault', 'xmodem', 'off')
    run = ansible_playbook(one_task('rackops.apc.firmware',
                                    {'images': [image(tmp_path, 'aos', 'v3.9.2', hw='02')]}),
                           inventory_for({'dev': device}))
    result = run.task('configure')['result']
    assert result['boot_monitor'] is True and result['after']['aos'] == 'v3.9.2'
    assert firmware_state(device)[1] == 'menu' and firmware_state(device)[0]['half_written'] is None


def test_firmware_menu_nak_storm_keeps_the_firmware(sim, ansible_playbook, tmp_path):
    device = sim('AP7920', 'pty', **FAST)
    device.ctl('fault', 'xmodem', 'nak-storm', '0')
    run = ansible_playbook(one_task('rackops.apc.firmware',
                                    {'images': [image(tmp_path, 'rpdu', 'v3.9.2', hw='02')]}),
                           inventory_for({'dev': device}), check=False)
    result = run.task('configure')
    msg = result['result']['msg']
    assert result['status'] == 'failed' and 'NAK' in msg
    assert 'Nothing of the app module was written' in msg and 'keeps running its firmware' in msg
    modules, dialect = firmware_state(device)
    assert modules['app'] == 'v3.7.3' and modules['half_written'] is None and dialect == 'menu'


def test_firmware_progress_shows_while_the_transfer_runs(sim, ansible_playbook, tmp_path):
    """At the line's real speed (paced) a 6 kB image takes about 7 s: the action plugin shows
    the connection's progress samples while it runs, then the summary."""
    device = sim('AP8941', 'pty', pace=True, **FAST)
    run = ansible_playbook(one_task('rackops.apc.firmware',
                                    {'images': [image(tmp_path, 'aos', 'v6.9.6', size=6000)]}),
                           inventory_for({'dev': device}))
    result = run.task('configure')['result']
    assert result['changed'] is True and result['after']['aos'] == 'v6.9.6'
    shown = [line for line in run.stdout.splitlines() if 'firmware 1/1 aos (apc_hw05_aos_696.bin)' in line]
    assert len(shown) >= 2, run.stdout
    percents = [int(re.search(r'\((\d+) %\)', line).group(1)) for line in shown]
    assert percents == sorted(percents) and percents[-1] > percents[0]
    assert 'dev: aos: v6.8.0 -> v6.9.6, 6128 bytes in' in run.stdout
    assert 'dev: restart: the unit answered again after' in run.stdout


@pytest.mark.parametrize('model, transport, message', [
    ('AP8941', 'pty', 'receive firmware in their boot monitor at the console speed (9600)'),
    ('AP7920', 'tcp', 'a raw TCP port (socket://) cannot change'),
])
def test_firmware_other_speed_refused_before_sending(sim, ansible_playbook, tmp_path, model, transport, message):
    device = sim(model, transport, **FAST)
    hw = '05' if model == 'AP8941' else '02'
    msg = rejected(device, ansible_playbook, 'rackops.apc.firmware',
                   {'images': [image(tmp_path, 'aos', 'v3.9.2', hw=hw)], 'baud_rate': 19200})
    assert message in msg and 'Nothing was sent' in msg
    assert transfer_lines(device.received_lines()) == []
    assert not [line for line in device.received_lines() if 'File Transfer' in line]
    assert device.device_state().get('firmware_log') is None
