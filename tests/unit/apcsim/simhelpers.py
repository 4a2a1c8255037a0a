"""Helpers for the simulator's own tests: start ``python -m apcsim`` as a subprocess,
wait for its READY line (no sleeps), and talk to it with pyserial."""

import json
import os
import re
import select
import signal
import subprocess
import sys
import time

import serial

TESTS_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

PY = sys.executable


def sim_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = TESTS_DIR + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(*args, timeout=20):
    return subprocess.run([PY, "-m", "apcsim"] + list(args), env=sim_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


class SimProcess:
    def __init__(self, args, timeout=15):
        self.args = args
        self.stderr = ""
        self.proc = subprocess.Popen([PY, "-m", "apcsim"] + args, env=sim_env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.info = self._wait_ready(timeout)
        self.devices = self.info["devices"]
        self.dev = self.devices[0]

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise AssertionError("simulator not ready in %ss" % timeout)
            r, _w, _x = select.select([self.proc.stdout], [], [], left)
            if not r:
                continue
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read()
                raise AssertionError("simulator exited: %s" % err)
            if line.startswith("READY "):
                return json.loads(line[len("READY "):])

    @property
    def url(self):
        return self.dev["url"]

    def ctl(self, action, *args, name=None):
        from apcsim.control import request
        dev = self.dev if name is None else next(d for d in self.devices if d["name"] == name)
        return request(dev["control"], action, args)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.proc.stderr.closed:
            try:
                self.stderr = self.proc.stderr.read()
            except Exception:
                self.stderr = ""
        for f in (self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except Exception:
                pass
        return self.stderr


class Console:
    """A tiny expect-style client over a pyserial URL."""

    def __init__(self, url, **kw):
        self.ser = serial.serial_for_url(url, timeout=0.05, **kw)
        self.buf = b""

    def close(self):
        try:
            self.ser.close()
        except Exception:
            pass

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.ser.write(data)
        self.ser.flush()

    def _fill(self):
        n = self.ser.in_waiting
        chunk = self.ser.read(n or 1)
        if chunk:
            self.buf += chunk
        return chunk

    def expect(self, pattern, timeout=5.0):
        """Wait for regex ``pattern`` (bytes or str); return the text up to and including it."""
        if isinstance(pattern, str):
            pattern = pattern.encode("latin-1")
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                out = self.buf[:m.end()]
                self.buf = self.buf[m.end():]
                return out.decode("latin-1")
            if time.monotonic() > deadline:
                raise AssertionError("timeout waiting for %r; got %r" % (pattern, self.buf))
            self._fill()

    def quiet(self, seconds):
        """Read for ``seconds``; return what arrived (used to prove silence)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._fill()
        out, self.buf = self.buf, b""
        return out

    def login(self, user="apc", password="apc", new_password=None):
        self.send("\r")
        self.expect(r"User Name : $")
        self.send(user + "\r")
        self.expect(r"Password  : $")
        self.send(password + "\r")
        if new_password is not None:
            self.expect(r"Enter current password: $")
            self.send(password + "\r")
            self.expect(r"Enter new password: $")
            self.send(new_password + "\r")
            self.expect(r"Confirm new password: $")
            self.send(new_password + "\r")
        return self.expect(r"\r\n[A-Za-z-]*@?apc>$")

    def exit(self):
        """Leave the session with ``exit``; return what the console printed."""
        self.send("exit\r")
        return self.expect(r"Bye\.\r\n$")

    def cmd(self, command, timeout=5.0):
        """Run a command at the prompt; return the output between the echo and the next
        prompt (CRLFs kept)."""
        self.send(command + "\r")
        text = self.expect(r"\r\n[A-Za-z-]*@?apc>$", timeout=timeout)
        echo = command
        assert text.startswith(echo), (echo, text)
        body = text[len(echo):]
        body = re.sub(r"\r\n[A-Za-z-]*@?apc>$", "", body)
        return body
