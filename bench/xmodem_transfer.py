# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XMODEM transfer time against the framed wire floor (used by bench/run).

A config.ini of FILE_BYTES goes to the simulator's xferINI (a pty, paced at the line speed)
through the collection's own sender (plugins/plugin_utils/xfer.py) at each speed and block
size. The floor is the file plus XMODEM's framing (header, CRC, the ACK of every block, EOT)
at 10 bits per byte; the time measured is the transfer alone (from the receiver's first
request to the ACK of EOT), not the dialogue or the login around it.
"""

import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILE_BYTES = int(os.environ.get('BENCH_XMODEM_BYTES', str(16 * 1024)))
SPEEDS = (9600, 19200, 57600)
BLOCK_SIZES = (128, 1024)


def _import_xfer():
    """The collection's modules from this checkout (ansible_collections/rackops/apc)."""
    base = tempfile.mkdtemp(prefix='rackops-bench-coll-')
    os.makedirs(os.path.join(base, 'ansible_collections', 'rackops'))
    os.symlink(REPO, os.path.join(base, 'ansible_collections', 'rackops', 'apc'))
    sys.path.insert(0, base)
    from ansible_collections.rackops.apc.plugins.plugin_utils import session, xfer  # pylint: disable=import-outside-toplevel
    return session, xfer


def _ini(size):
    text = '[SystemID]\r\nName=bench-pdu\r\n'
    n = 0
    while len(text) < size:
        n += 1
        text += '; bench padding line %05d of a long configuration file\r\n' % n
    return text[:size].encode('ascii')


def _start_sim(work, extra=()):
    link = os.path.join(work, 'dev.tty')
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, 'tests'), PYTHONUNBUFFERED='1')
    proc = subprocess.Popen([sys.executable, '-m', 'apcsim', 'serve', '--model', 'AP8941',
                             '--pty', link, '--pace', '--state', os.path.join(work, 'state.json'),
                             '--xfer-bauds', ','.join(str(s) for s in SPEEDS)] + list(extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, text=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sel.select(deadline - time.monotonic()):
        if proc.stdout.readline().startswith('READY'):
            return proc, link
    proc.kill()
    raise SystemExit('simulator did not start')


def measure(runs=1):
    """[{baud, block_size, bytes, seconds, floor, ratio, naks}] (the best of ``runs``)."""
    session, xfer = _import_xfer()
    data = _ini(FILE_BYTES)
    rows = []
    for baud in SPEEDS:
        for block_size in BLOCK_SIZES:
            best = None
            for _run in range(runs):
                work = tempfile.mkdtemp(prefix='rackops-bench-x-')
                proc, link = _start_sim(work)
                try:
                    con = session.ConsoleSession(link, password='apc', use_lock=False,
                                                 login_timeout=20, wake_interval=1)
                    con.connect()
                    summary = xfer.upload_ini(con, data, baud, block_size=block_size)
                    con.close(logout=False)
                finally:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=10)
                if best is None or summary['seconds'] < best['seconds']:
                    best = summary
            rows.append({'baud': baud, 'block_size': block_size, 'bytes': best['bytes'],
                         'seconds': best['seconds'], 'floor': best['wire_floor_seconds'],
                         'ratio': best['seconds'] / best['wire_floor_seconds'],
                         'naks': best['naks'], 'mode': best['mode']})
            print('xmodem %6d baud %4d-byte blocks: %.2f s, floor %.2f s, %.3fx'
                  % (baud, block_size, best['seconds'], best['wire_floor_seconds'],
                     rows[-1]['ratio']), flush=True)
    return rows


def markdown(rows, runs):
    out = ['## XMODEM transfers (`rackops.apc.config_ini`)', '',
           'A %d-byte config.ini sent to the simulator\'s `xferINI` over a pty paced at the line '
           'speed (best of %d), by the collection\'s sender (`plugins/plugin_utils/xfer.py`, the '
           '`xmodem` package). The floor is the file plus XMODEM framing (3-byte header, CRC, the '
           'receiver\'s ACK per block, EOT and its ACK) at 10 bits per byte; the time is the '
           'transfer alone (first request to the ACK of EOT). Goal: within 1.1x of the floor. '
           '(The card\'s menu offers 2400-38400 baud; the simulator was given 57600 too, '
           '`--xfer-bauds`.)' % (FILE_BYTES, runs), '',
           '| baud | block | mode | seconds | framed floor s | ratio | NAKs |',
           '|---|---|---|---|---|---|---|']
    for row in rows:
        out.append('| %d | %d | %s | %.2f | %.2f | %.3f | %d |' % (
            row['baud'], row['block_size'], row['mode'], row['seconds'], row['floor'],
            row['ratio'], row['naks']))
    return '\n'.join(out) + '\n'
