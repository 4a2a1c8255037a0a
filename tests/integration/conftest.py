# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration harness: real ansible-playbook runs against the apcsim simulator.

Every test starts its own simulated device (a subprocess listening on loopback or a pty),
writes an inventory for it, runs ``ansible-playbook`` and reads the task results that the
``record`` callback wrote.  Fixtures stop everything they started.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SIM_DIR = REPO / 'tests'
CALLBACKS = Path(__file__).resolve().parent / 'callback_plugins'
READY_TIMEOUT = 30.0


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'long_running(seconds): a test that takes a minute or more (seconds: as measured '
        'with two workers on two cores); started first, longest first, so that the parallel '
        'workers (make integration, pytest-xdist) finish together')


def _expected_seconds(item):
    marker = item.get_closest_marker('long_running')
    if marker is None:
        return 0
    return marker.args[0] if marker.args else 60


def pytest_collection_modifyitems(items):
    """The long_running tests first, longest first; the rest in their order. Longest-first
    scheduling keeps a long test from starting last while the other worker sits idle."""
    items.sort(key=lambda item: -_expected_seconds(item))   # stable: the rest keep their order


def _venv_bin(name):
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else shutil.which(name)


@pytest.fixture(scope='session')
def collections_path(tmp_path_factory):
    base = tmp_path_factory.mktemp('collections')
    ns = base / 'ansible_collections' / 'rackops'
    ns.mkdir(parents=True)
    (ns / 'apc').symlink_to(REPO)
    return base


class SimDevice:
    """One ``apcsim serve`` subprocess."""

    def __init__(self, workdir, model, transport='pty', **options):
        self.workdir = Path(workdir)
        self.model = model
        self.transport = transport
        self.name = options.pop('name', model.lower())
        self.state = self.workdir / ('%s.state.json' % self.name)
        self.transcript = self.workdir / ('%s.transcript.jsonl' % self.name)
        self.control = self.workdir / ('%s.ctl' % self.name)
        self.link = self.workdir / ('%s.tty' % self.name)
        self.options = options
        self.proc = None
        self.url = None
        self.ready = None

    def command(self):
        cmd = [sys.executable, '-m', 'apcsim', 'serve', '--model', self.model,
               '--state', str(self.state), '--transcript', str(self.transcript),
               '--control', str(self.control)]
        if self.transport == 'pty':
            cmd += ['--pty', str(self.link)]
        elif self.transport == 'tcp':
            cmd += ['--tcp', '127.0.0.1:0']
        elif self.transport == 'rfc2217':
            cmd += ['--rfc2217', '127.0.0.1:0']
        else:
            raise ValueError(self.transport)
        for key, value in self.options.items():
            flag = '--' + key.replace('_', '-')
            if value is True:
                cmd.append(flag)
            elif value is False or value is None:
                continue
            else:
                cmd += [flag, str(value)]
        return cmd

    def start(self):
        env = dict(os.environ, PYTHONPATH=str(SIM_DIR), PYTHONUNBUFFERED='1')
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, env=env, text=True)
        self.ready = self._wait_ready()
        if self.transport == 'pty':
            self.url = str(self.link)
        else:
            self.url = self.ready['url']
        return self

    def _wait_ready(self):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith('READY'):
                data = json.loads(line[len('READY'):].strip())
                if isinstance(data, dict) and 'devices' in data:
                    data = data['devices'][0]
                return data
        self.stop()
        raise RuntimeError('apcsim did not become ready: %s' % (self.proc.stderr.read() if self.proc else ''))

    def ctl(self, *args):
        env = dict(os.environ, PYTHONPATH=str(SIM_DIR))
        out = subprocess.run([sys.executable, '-m', 'apcsim', 'ctl', str(self.control)] + list(args),
                             capture_output=True, text=True, env=env, timeout=30, check=True)
        text = out.stdout.strip()
        try:
            return json.loads(text)
        except ValueError:
            return text

    def device_state(self):
        return self.ctl('state')

    def received_lines(self):
        sys.path.insert(0, str(SIM_DIR))
        try:
            from apcsim.transcript import received_lines
        finally:
            sys.path.remove(str(SIM_DIR))
        return received_lines(str(self.transcript))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc:
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()


@pytest.fixture
def sim(tmp_path):
    """Factory: sim('AP8941', transport='pty', **options) -> started SimDevice."""
    started = []

    def factory(model, transport='pty', **options):
        device = SimDevice(tmp_path, model, transport, **options)
        started.append(device)
        return device.start()

    yield factory
    for device in started:
        device.stop()


class PlaybookRun:
    def __init__(self, proc, records):
        self.proc = proc
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.records = records

    def task(self, name, host=None):
        found = [r for r in self.records if r['task'] == name and (host is None or r['host'] == host)]
        if not found:
            raise AssertionError('no result for task %r; tasks: %s\n%s' % (
                name, [r['task'] for r in self.records], self.stdout[-3000:]))
        return found[-1]


def ansible_environment(tmp_path, collections_path, records=None):
    """The environment of an ansible command a test starts: everything ansible writes goes
    below the test's own ``tmp_path``, so tests can run in parallel (pytest-xdist) without
    sharing a directory (local temp, persistent-connection sockets, port locks, the async
    dir, ANSIBLE_HOME); only the collections path is shared, and only read."""
    environment = dict(os.environ)
    home = tmp_path / 'ansible-home'
    environment.update({
        'ANSIBLE_HOME': str(home),
        'ANSIBLE_COLLECTIONS_PATH': str(collections_path),
        'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'False',
        'ANSIBLE_CALLBACK_PLUGINS': str(CALLBACKS),
        'ANSIBLE_CALLBACKS_ENABLED': 'record',
        'ANSIBLE_HOST_KEY_CHECKING': 'False',
        'ANSIBLE_RETRY_FILES_ENABLED': 'False',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'ansible-local'),
        'ANSIBLE_ASYNC_DIR': str(home / 'async'),
        'ANSIBLE_PERSISTENT_CONTROL_PATH_DIR': str(tmp_path / 'pc'),
        'ANSIBLE_APC_LOCK_DIR': str(tmp_path / 'locks'),
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'PATH': '%s:%s' % (Path(sys.executable).parent, os.environ.get('PATH', '')),
    })
    if records is not None:
        environment['RACKOPS_RECORD_FILE'] = str(records)
    return environment


@pytest.fixture
def ansible_playbook(tmp_path, collections_path):
    """Run a playbook (text or path) against an inventory dict; returns a PlaybookRun."""
    counter = {'n': 0}

    def run(playbook, inventory, extra_args=(), env=None, check=True, timeout=600):
        counter['n'] += 1
        n = counter['n']
        if isinstance(playbook, (list, dict)):
            path = tmp_path / ('play%d.yml' % n)
            path.write_text(yaml.safe_dump(playbook, sort_keys=False))
            playbook = str(path)
        inv = tmp_path / ('inventory%d.yml' % n)
        inv.write_text(yaml.safe_dump(inventory, sort_keys=False))
        records = tmp_path / ('records%d.jsonl' % n)
        environment = ansible_environment(tmp_path, collections_path, records)
        environment.update(env or {})
        cmd = [_venv_bin('ansible-playbook'), '-i', str(inv), playbook] + list(extra_args)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=environment,
                              stdin=subprocess.DEVNULL, timeout=timeout, cwd=str(tmp_path),
                              check=False)
        entries = []
        if records.exists():
            entries = [json.loads(line) for line in records.read_text().splitlines() if line.strip()]
        result = PlaybookRun(proc, entries)
        if check and proc.returncode != 0:
            raise AssertionError('ansible-playbook failed (rc=%s)\nSTDOUT:\n%s\nSTDERR:\n%s' % (
                proc.returncode, proc.stdout[-6000:], proc.stderr[-3000:]))
        return result

    return run
