"""Fixtures for the simulator's own tests (helpers live in simhelpers.py)."""

import os
import tempfile

import pytest

from simhelpers import Console, SimProcess  # noqa: F401  (also puts tests/ on sys.path)


@pytest.fixture
def short_tmp():
    """A short temp dir (Unix socket paths are limited to ~107 bytes)."""
    d = tempfile.mkdtemp(prefix="apcsim-")
    yield d
    for root, dirs, files in os.walk(d, topdown=False):
        for f in files:
            try:
                os.unlink(os.path.join(root, f))
            except OSError:
                pass
        for x in dirs:
            try:
                os.rmdir(os.path.join(root, x))
            except OSError:
                pass
    try:
        os.rmdir(d)
    except OSError:
        pass


@pytest.fixture
def start_sim(short_tmp):
    """start_sim(model, transport="tcp", **options) -> SimProcess (stopped at teardown)."""
    procs = []

    def start(model, transport="tcp", control=True, state=None, transcript=None, extra=(),
              **opts):
        args = ["serve", "--model", model]
        if transport == "tcp":
            args += ["--tcp", "127.0.0.1:0"]
        elif transport == "rfc2217":
            args += ["--rfc2217", "127.0.0.1:0"]
        else:
            args += ["--pty", os.path.join(short_tmp, "tty-%d" % len(procs))]
        if control:
            args += ["--control", os.path.join(short_tmp, "c%d.sock" % len(procs))]
        if state:
            args += ["--state", state]
        if transcript:
            args += ["--transcript", transcript]
        for k, v in opts.items():
            flag = "--" + k.replace("_", "-")
            if v is True:
                args.append(flag)
            else:
                args += [flag, str(v)]
        args += list(extra)
        p = SimProcess(args)
        procs.append(p)
        return p

    yield start
    errors = []
    for p in procs:
        err = p.stop()
        if "Traceback" in err:
            errors.append(err)
    assert not errors, "simulator printed a traceback:\n" + "\n".join(errors)


@pytest.fixture
def console():
    opened = []

    def make(url, **kw):
        c = Console(url, **kw)
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.close()
