"""Fixtures for the real-client acceptance tests of the simulator's ``smart`` dialect.

The tests start the simulator on a pty, point a real Debian UPS client at the pty link and
compare what the client reports with the simulator's state. Every daemon a test starts is
stopped by the fixture; its pid is also written to ``$APCSIM_CLIENT_PIDDIR`` (set by
``tests/clients/run``) so the runner's trap can stop it if pytest itself dies.

Nothing here touches a real serial port: the only "device" is the simulator's pty, and
servers listen on 127.0.0.1 only.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS_DIR = os.path.dirname(HERE)
SIM_HELPERS = os.path.join(TESTS_DIR, "unit", "apcsim")
for _path in (TESTS_DIR, SIM_HELPERS):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from simhelpers import SimProcess  # noqa: E402  pylint: disable=wrong-import-position


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_until(fn, timeout=30.0, interval=0.25, what="condition"):
    """Call ``fn`` until it returns something truthy; return that, or fail after timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
        except (subprocess.SubprocessError, OSError, ValueError, KeyError) as e:
            last = e
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError("timed out after %.0f s waiting for %s (last: %r)" % (timeout, what, last))


class Daemons:
    """Processes started by a test: stopped (SIGTERM, then SIGKILL) at teardown."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = []
        self.piddir = os.environ.get("APCSIM_CLIENT_PIDDIR")

    def start(self, name, argv, env=None):
        log = open(os.path.join(self.workdir, name + ".log"), "wb")  # pylint: disable=consider-using-with
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,  # pylint: disable=consider-using-with
                                stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.procs.append((name, proc))
        if self.piddir and os.path.isdir(self.piddir):
            with open(os.path.join(self.piddir, "%s-%d.pid" % (name, proc.pid)), "w",
                      encoding="utf-8") as fh:
                fh.write("%d\n" % proc.pid)
        return proc

    def log(self, name):
        path = os.path.join(self.workdir, name + ".log")
        if not os.path.exists(path):
            return ""
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def stop_all(self):
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if self.piddir:
                try:
                    os.unlink(os.path.join(self.piddir, "%s-%d.pid" % (name, proc.pid)))
                except OSError:
                    pass
        self.procs = []


@pytest.fixture
def workdir():
    d = tempfile.mkdtemp(prefix="apcsim-cl-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def daemons(workdir):
    ds = Daemons(workdir)
    yield ds
    ds.stop_all()


@pytest.fixture
def smart_sim(workdir):
    """smart_sim(model, **options) -> SimProcess on a pty link ``<workdir>/ups.tty``."""
    procs = []

    def start(model, **opts):
        args = ["serve", "--model", model, "--pty", os.path.join(workdir, "ups.tty"),
                "--control", os.path.join(workdir, "ctl.sock"),
                "--state", os.path.join(workdir, "state.json")]
        for key, value in opts.items():
            flag = "--" + key.replace("_", "-")
            args += [flag] if value is True else [flag, str(value)]
        sim = SimProcess(args)
        procs.append(sim)
        piddir = os.environ.get("APCSIM_CLIENT_PIDDIR")
        if piddir and os.path.isdir(piddir):
            with open(os.path.join(piddir, "apcsim-%d.pid" % sim.proc.pid), "w",
                      encoding="utf-8") as fh:
                fh.write("%d\n" % sim.proc.pid)
        return sim

    yield start
    for sim in procs:
        err = sim.stop()
        piddir = os.environ.get("APCSIM_CLIENT_PIDDIR")
        if piddir:
            try:
                os.unlink(os.path.join(piddir, "apcsim-%d.pid" % sim.proc.pid))
            except OSError:
                pass
        assert "Traceback" not in err, err


def sim_state(sim):
    reply = sim.ctl("state")
    assert reply["ok"], reply
    return reply["state"]


def sim_unit(model):
    from apcsim.profiles import get_profile  # pylint: disable=import-outside-toplevel
    return get_profile(model)["smart"]


REPO = os.path.dirname(TESTS_DIR)
CALLBACKS = os.path.join(TESTS_DIR, "integration", "callback_plugins")


def run_rackops(workdir, url, tasks):
    """Run the collection's modules against the UPS at ``url`` with ansible-playbook.

    Returns {task name: result}. The clients tests use it to compare what rackops.apc
    reports and sets with what NUT and apcupsd then read from the same (simulated) UPS.
    """
    import json
    import yaml
    coll = os.path.join(workdir, "collections", "ansible_collections", "rackops")
    os.makedirs(coll, exist_ok=True)
    if not os.path.islink(os.path.join(coll, "apc")):
        os.symlink(REPO, os.path.join(coll, "apc"))
    inventory = os.path.join(workdir, "inventory.yml")
    with open(inventory, "w", encoding="utf-8") as fh:
        yaml.safe_dump({"all": {"hosts": {"ups": {
            "ansible_connection": "rackops.apc.console", "ansible_serial_url": url,
            "ansible_serial_baud_rate": 2400, "ansible_apc_dialect": "smart"}}}}, fh)
    play = os.path.join(workdir, "play.yml")
    with open(play, "w", encoding="utf-8") as fh:
        yaml.safe_dump([{"name": "rackops", "hosts": "all", "gather_facts": False,
                         "tasks": tasks}], fh, sort_keys=False)
    records = os.path.join(workdir, "records.jsonl")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, "collections"),
               ANSIBLE_CALLBACK_PLUGINS=CALLBACKS, ANSIBLE_CALLBACKS_ENABLED="record",
               RACKOPS_RECORD_FILE=records, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=os.path.join(workdir, "pc"),
               ANSIBLE_APC_LOCK_DIR=os.path.join(workdir, "locks"))
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    proc = subprocess.run([playbook, "-i", inventory, play], env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    with open(records, encoding="utf-8") as fh:
        entries = [json.loads(line) for line in fh if line.strip()]
    return dict((e["task"], e["result"]) for e in entries)
