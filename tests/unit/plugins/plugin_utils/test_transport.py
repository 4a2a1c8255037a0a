# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Port locking and URL handling of the transport, on real files and a real pty."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import transport as tp


def test_normalise_url_resolves_symlinks_and_case(tmp_path):
    target = tmp_path / 'ttyUSB0'
    target.write_text('')
    link = tmp_path / 'by-id-link'
    link.symlink_to(target)
    assert tp.normalise_url(str(link)) == tp.normalise_url(str(target))
    assert tp.normalise_url('RFC2217://Console.Example:7001/') == 'rfc2217://console.example:7001'
    assert tp.normalise_url('socket://h:1?logging=debug') == 'socket://h:1'


def test_second_lock_on_the_same_port_fails_with_the_holder(tmp_path):
    first = tp.PortLock('socket://127.0.0.1:7001', str(tmp_path)).acquire()
    # another process tries the same port (flock is per open file, so use a child)
    code = textwrap.dedent('''
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location('transport', %r)
        tp = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tp)
        try:
            tp.PortLock('SOCKET://127.0.0.1:7001/', %r).acquire()
        except tp.TransportError as exc:
            print(exc)
            sys.exit(3)
    ''' % (tp.__file__, str(tmp_path)))
    child = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=60,
                           check=False)
    assert child.returncode == 3, child.stderr
    assert 'in use by another process' in child.stdout
    assert '"pid": %d' % os.getpid() in child.stdout
    first.release()
    again = tp.PortLock('socket://127.0.0.1:7001', str(tmp_path)).acquire()
    again.release()


def test_open_missing_device_explains(tmp_path):
    with pytest.raises(tp.TransportError) as err:
        tp.open_port(str(tmp_path / 'ttyUSB9'))
    assert 'adapter' in str(err.value)


def test_local_tty_is_opened_exclusively():
    master, slave = os.openpty()
    path = os.ttyname(slave)
    try:
        port = tp.open_port(path)
        with pytest.raises(tp.TransportError):
            tp.open_port(path)
        port.close()
    finally:
        os.close(master)
        os.close(slave)
