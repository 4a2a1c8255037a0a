# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Firmware through the boot monitor against the framed wire floor (used by bench/run).

An image of IMAGE_BYTES goes to the simulator's boot monitor (AP8941 on a pty paced at
9600 baud) with the collection's own functions (plugins/plugin_utils/xfer.py): reboot and
ESC into BM>, XMODEM, BOOT, the wait for the login. The transfer is timed alone (first
request to the ACK of EOT) against the framed floor; the whole upgrade (from the reboot
command to the login after BOOT) is shown beside it, with the simulator's restart set to
BOOT_SECONDS so the figure shows the collection's own overhead.
"""

import os
import signal
import sys
import tempfile
import time

import xmodem_transfer

REPO = xmodem_transfer.REPO
IMAGE_BYTES = int(os.environ.get('BENCH_FIRMWARE_BYTES', str(16 * 1024)))
BLOCK_SIZES = (128, 1024)
BOOT_SECONDS = 2.0
HEADING = '## Firmware through the boot monitor'


def _sim(work):
    # xmodem_transfer's start-up with the boot monitor options
    args = ['--boot-seconds', str(BOOT_SECONDS), '--bootmon-window', '4']
    return xmodem_transfer._start_sim(work, extra=args)  # pylint: disable=protected-access


def measure(runs=1):
    session, xfer = xmodem_transfer._import_xfer()  # pylint: disable=protected-access
    sys.path.insert(0, os.path.join(REPO, 'tests'))
    from apcsim.firmware import build_image  # pylint: disable=import-outside-toplevel
    data = build_image('05', 'aos', 'v6.9.6', size=IMAGE_BYTES - 128)
    rows = []
    for block_size in BLOCK_SIZES:
        best = None
        for _run in range(runs):
            work = tempfile.mkdtemp(prefix='rackops-bench-fw-')
            proc, link = _sim(work)
            try:
                con = session.ConsoleSession(link, password='apc', use_lock=False,
                                             login_timeout=20, wake_interval=1)
                con.connect()
                started = time.monotonic()
                xfer.enter_boot_monitor(con)
                summary = xfer.bootmon_send(con, data, block_size=block_size)
                xfer.leave_boot_monitor(con)
                xfer.wait_for_firmware_start(con, 60)
                con.login()
                summary['upgrade_seconds'] = time.monotonic() - started
                con.close(logout=False)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=10)
            if best is None or summary['seconds'] < best['seconds']:
                best = summary
        rows.append({'block_size': block_size, 'bytes': best['bytes'], 'seconds': best['seconds'],
                     'floor': best['wire_floor_seconds'],
                     'ratio': best['seconds'] / best['wire_floor_seconds'],
                     'upgrade': best['upgrade_seconds'], 'naks': best['naks']})
        print('firmware 9600 baud %4d-byte blocks: %.2f s, floor %.2f s, %.3fx, upgrade %.1f s'
              % (block_size, best['seconds'], best['wire_floor_seconds'], rows[-1]['ratio'],
                 best['upgrade_seconds']), flush=True)
    return rows


def markdown(rows, runs):
    out = [HEADING + ' (`rackops.apc.firmware`)', '',
           'A %d-byte image (the simulator\'s header layout) sent to the simulated AP8941\'s boot '
           'monitor over a pty paced at 9600 baud (best of %d) by the collection\'s functions '
           '(`reboot`, ESC into `BM>`, `XMODEM`, `BOOT`, the login). Transfer time and framed floor '
           'as in the XMODEM table; "upgrade" is the reboot command to the login after `BOOT`, '
           'with the simulator restarting in %.0f s each time: the rest is the collection\'s '
           'waits (the ESC knocks, the %.0f s quiet window after BOOT, `xfer.BM_KEY_WINDOW`) and '
           'the line.' % (IMAGE_BYTES, runs, BOOT_SECONDS, 6.0), '',
           '| baud | block | seconds | framed floor s | ratio | NAKs | upgrade s |',
           '|---|---|---|---|---|---|---|']
    for row in rows:
        out.append('| 9600 | %d | %.2f | %.2f | %.3f | %d | %.1f |' % (
            row['block_size'], row['seconds'], row['floor'], row['ratio'], row['naks'], row['upgrade']))
    return '\n'.join(out) + '\n'
