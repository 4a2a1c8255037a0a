# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The console server's own file is the rack's inventory: rackops.apc.ser2net reads a ser2net
YAML file, and Debian's ser2net runs that very file in front of simulated devices on ptys.
A playbook then reaches every device through it (RFC 2217 and a raw TCP port)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
import yaml

from conftest import _venv_bin, ansible_environment

SER2NET = shutil.which('ser2net') or ('/usr/sbin/ser2net' if os.path.exists('/usr/sbin/ser2net') else None)
LISTEN_TIMEOUT = 20.0

if SER2NET is None and os.environ.get('CI'):
    pytest.fail('ser2net is not installed (.ci/run installs Debian\'s ser2net)', pytrace=False)
pytestmark = pytest.mark.skipif(SER2NET is None, reason="Debian's ser2net is not installed")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _listening(port):
    """Whether something listens on TCP ``port`` (read from /proc: a test connection would
    make ser2net open the device)."""
    want = ':%04X' % port
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(table, encoding='ascii') as handle:
                for line in handle.readlines()[1:]:
                    fields = line.split()
                    if fields[1].endswith(want) and fields[3] == '0A':
                        return True
        except OSError:
            continue
    return False


SER2NET_FILE = '''%%YAML 1.1
---
# Debian's form: several connection keys in one document, a define used inside strings
define: &lo 127.0.0.1
connection: &pdu-a01
    accepter: telnet(rfc2217),tcp,*(lo),%(port1)d
    enable: on
    options:
      kickolduser: true
    connector: serialdev,
              %(tty1)s,
              9600n81,local
connection: &pdu-a02
    accepter: tcp,*(lo),%(port2)d
    connector: serialdev,%(tty2)s,9600n81,local
connection: &spare-01
    accepter: tcp,*(lo),%(port3)d
    enable: off
    connector: serialdev,/dev/null,9600n81,local
'''


def _plain(value):
    """ansible-inventory --list output without the unsafe-text markers of ansible-core 2.19."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.fixture
def ser2net(tmp_path):
    started = []

    def start(config):
        pid = tmp_path / 'ser2net.pid'
        proc = subprocess.Popen([SER2NET, '-n', '-c', str(config), '-P', str(pid)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def test_ser2net_file_is_the_inventory(sim, ser2net, ansible_playbook, collections_path, tmp_path):
    pdu1 = sim('AP8941', 'pty', name='a01')
    pdu2 = sim('AP7920', 'pty', name='a02')
    ports = dict(port1=_free_port(), port2=_free_port(), port3=_free_port())
    config = tmp_path / 'ser2net.yaml'
    config.write_text(SER2NET_FILE % dict(ports, tty1=pdu1.url, tty2=pdu2.url))
    proc = ser2net(config)
    deadline = time.monotonic() + LISTEN_TIMEOUT
    while not (_listening(ports['port1']) and _listening(ports['port2'])):
        assert proc.poll() is None, 'ser2net exited: %s' % proc.stdout.read()
        assert time.monotonic() < deadline, 'ser2net did not listen within %.0f s' % LISTEN_TIMEOUT
        time.sleep(0.1)   # polling /proc for a state ser2net does not announce

    source = tmp_path / 'rack.ser2net.yml'
    source.write_text(yaml.safe_dump({
        'plugin': 'rackops.apc.ser2net', 'path': 'ser2net.yaml', 'group': 'rack_a',
        'keyed_groups': [{'key': "ser2net_connection.split('-')[0]", 'prefix': 'kind'}],
    }))
    env = dict(ansible_environment(tmp_path, collections_path),
               ANSIBLE_INVENTORY_ENABLED='rackops.apc.ser2net', ANSIBLE_INVENTORY_UNPARSED_FAILED='1')
    listed = subprocess.run([_venv_bin('ansible-inventory'), '-i', str(source), '--list'],
                            capture_output=True, text=True, env=env, check=True, timeout=120)
    data = _plain(json.loads(listed.stdout))
    hostvars = data['_meta']['hostvars']
    assert sorted(hostvars) == ['pdu-a01', 'pdu-a02'], listed.stderr
    assert hostvars['pdu-a01']['ansible_serial_url'] == 'rfc2217://127.0.0.1:%d?ign_set_control' % ports['port1']
    assert hostvars['pdu-a02']['ansible_serial_url'] == 'socket://127.0.0.1:%d' % ports['port2']
    assert hostvars['pdu-a01']['ansible_serial_baud_rate'] == 9600
    assert hostvars['pdu-a01']['ansible_connection'] == 'rackops.apc.console'
    assert hostvars['pdu-a02']['ser2net_device'] == pdu2.url
    assert sorted(data['rack_a']['hosts']) == ['pdu-a01', 'pdu-a02']
    assert sorted(data['kind_pdu']['hosts']) == ['pdu-a01', 'pdu-a02']
    assert 'spare-01 is disabled' in listed.stderr

    # the same file drives a play: each device answers through ser2net
    play = [{'name': 'through ser2net', 'hosts': 'rack_a', 'gather_facts': False,
             'tasks': [{'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['min']}}]}]
    credentials = {'all': {'vars': {'ansible_user': 'apc', 'ansible_password': 'apc',
                                    'ansible_apc_login_timeout': 20,
                                    'ansible_apc_wake_interval': 1}}}
    run = ansible_playbook(play, credentials, extra_args=['-i', str(source), '-f', '2'],
                           env={'ANSIBLE_INVENTORY_ENABLED': 'rackops.apc.ser2net,yaml'})
    models = dict((host, run.task('facts', host)['result']['ansible_facts']['apc']['device']['model'])
                  for host in ('pdu-a01', 'pdu-a02'))
    assert models == {'pdu-a01': 'AP8941', 'pdu-a02': 'AP7920'}
    # the bytes went through ser2net to the ptys: the simulators saw the logins
    assert 'apc' in pdu1.received_lines() and 'apc' in pdu2.received_lines()
    assert sys.executable
