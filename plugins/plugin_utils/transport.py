# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Byte transport to an APC serial console.

One class, :class:`SerialSpawn`, gives pexpect's ``expect()`` machinery on top of any
pyserial URL: a local adapter (``/dev/ttyUSB0``), an RFC 2217 console server
(``rfc2217://host:port``) or a raw TCP port (``socket://host:port``).  pexpect's own
``fdspawn`` cannot serve RFC 2217 (pyserial negotiates it in a thread of its own), so we
read and write through the pyserial object instead of a file descriptor.

:class:`PortLock` makes sure only one process on this controller talks to a port: a
lock file keyed by the normalised URL (every kind of URL) plus pyserial's ``exclusive``
flag for local ttys (which also keeps out other programs such as minicom).

This module never sleeps: every wait is a bounded read.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import time

try:
    import serial
    from serial.serialutil import SerialException
    HAS_PYSERIAL = True
    PYSERIAL_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported at connect time
    serial = None
    SerialException = OSError
    HAS_PYSERIAL = False
    PYSERIAL_IMPORT_ERROR = exc

try:
    from pexpect.spawnbase import SpawnBase
    from pexpect.exceptions import EOF, TIMEOUT
    HAS_PEXPECT = True
    PEXPECT_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported at connect time
    SpawnBase = object
    EOF = TIMEOUT = Exception
    HAS_PEXPECT = False
    PEXPECT_IMPORT_ERROR = exc


class TransportError(Exception):
    """The port could not be opened, locked or used."""


def check_dependencies():
    """Raise TransportError naming the missing Python packages, if any."""
    missing = []
    if not HAS_PYSERIAL:
        missing.append('pyserial (%s)' % PYSERIAL_IMPORT_ERROR)
    if not HAS_PEXPECT:
        missing.append('pexpect (%s)' % PEXPECT_IMPORT_ERROR)
    if missing:
        raise TransportError(
            'rackops.apc.console needs these Python packages on the controller (or in the '
            'execution environment): %s. Install them with: pip install -r requirements.txt '
            'from the collection.' % ', '.join(missing))


URL_SCHEMES = ('rfc2217://', 'socket://', 'loop://', 'spy://', 'alt://', 'hwgrep://')


def is_local_device(url):
    """True for a plain path such as /dev/ttyUSB0 (not a pyserial URL)."""
    return '://' not in url


def normalise_url(url):
    """The key two processes must agree on for the same physical port.

    Local paths are resolved through symlinks (``/dev/serial/by-id/...`` and
    ``/dev/ttyUSB0`` are the same port); URLs are compared case-insensitively on
    scheme and host, without their ``?option`` suffix.
    """
    url = url.strip()
    if is_local_device(url):
        return os.path.realpath(url)
    scheme, rest = url.split('://', 1)
    rest = rest.split('?', 1)[0].rstrip('/')
    return '%s://%s' % (scheme.lower(), rest.lower())


def default_lock_dir():
    base = os.environ.get('XDG_RUNTIME_DIR') or os.path.join(os.path.expanduser('~'), '.ansible')
    return os.path.join(base, 'rackops_apc', 'locks')


class PortLock:
    """An exclusive, non-blocking lock on one console port for this controller."""

    def __init__(self, url, lock_dir=None):
        self.url = url
        self.key = normalise_url(url)
        self.lock_dir = lock_dir or default_lock_dir()
        digest = hashlib.sha256(self.key.encode('utf-8')).hexdigest()[:24]
        self.path = os.path.join(self.lock_dir, '%s.lock' % digest)
        self._fd = None

    def acquire(self):
        os.makedirs(self.lock_dir, mode=0o700, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = ''
            try:
                holder = os.pread(fd, 4096, 0).decode('utf-8', 'replace').strip()
            except OSError:
                pass
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise TransportError(
                    'console port %s is in use by another process on this controller (%s). '
                    'Only one session per port is possible: wait for the other run to finish, '
                    'or stop a leftover ansible-connection process (it exits after its '
                    'persistent_connect_timeout).' % (self.url, holder or 'lock file %s' % self.path))
            raise TransportError('cannot lock console port %s: %s' % (self.url, exc))
        info = json.dumps({'pid': os.getpid(), 'url': self.key, 'since': int(time.time())})
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode('utf-8'), 0)
        self._fd = fd
        return self

    def release(self):
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None

    @property
    def held(self):
        return self._fd is not None


def open_port(url, baudrate=9600, bytesize=8, parity='N', stopbits=1, xonxoff=False,
              rtscts=False, open_timeout=10.0):
    """Open a pyserial port for ``url`` with the given line settings."""
    check_dependencies()
    kwargs = dict(baudrate=baudrate, bytesize=bytesize, parity=parity, stopbits=stopbits,
                  xonxoff=xonxoff, rtscts=rtscts, timeout=0)
    if is_local_device(url):
        # flock() on the tty: keeps minicom and friends out while we hold it.
        kwargs['exclusive'] = True
        # a tty whose flow control holds us back must not block a write forever
        # (pyserial's rfc2217 and socket ports do not support write timeouts)
        kwargs['write_timeout'] = open_timeout
    try:
        port = serial.serial_for_url(url, do_not_open=True, **kwargs)
        if url.lower().startswith('rfc2217://'):
            # bound the RFC 2217 option negotiation instead of pyserial's default
            port.timeout = open_timeout
        port.open()
        port.timeout = 0
    except (SerialException, OSError, ValueError) as exc:
        raise TransportError(_explain_open_error(url, exc))
    return port


def _explain_open_error(url, exc):
    text = str(exc)
    hints = []
    if is_local_device(url):
        if 'No such file' in text or 'could not open port' in text:
            hints.append('check that the USB-serial adapter is plugged in and the path is right '
                         '(ls -l /dev/serial/by-id/)')
        if 'Permission denied' in text:
            hints.append('the user running Ansible needs access to the tty (group dialout)')
        if 'busy' in text.lower() or 'exclusive' in text.lower() or 'lock' in text.lower():
            hints.append('another program (minicom, screen, a getty) holds the port')
    else:
        hints.append('check that the console server port is reachable and not used by '
                     'another session (console servers allow one client per port)')
    msg = 'cannot open console port %s: %s' % (url, text)
    if hints:
        msg += ' (%s)' % '; '.join(hints)
    return msg


def _set_read_timeout(port, timeout):
    """Change a port's read timeout without reconfiguring the line.

    pyserial's ``timeout`` setter calls ``_reconfigure_port()``: on an RFC 2217 port that
    renegotiates baud rate, data bits, parity and stop bits with the console server (four
    round trips) and on a tty it rewrites the termios settings - far too much to do before
    every read.  All of pyserial's port classes read the value from ``_timeout`` at read
    time, so that is set directly when present.
    """
    if hasattr(port, '_timeout'):
        port._timeout = timeout  # pylint: disable=protected-access
    else:
        port.timeout = timeout


# Bytes an APC console sends: printable ASCII, CR, LF, TAB, backspace, bell, form feed and
# ESC (menu screens). Anything else on the line (a byte with the top bit set, another
# control character) is line noise: a wrong speed, a bad cable, a console server's parity.
CONSOLE_BYTES = frozenset(range(0x20, 0x7f)) | frozenset(b'\r\n\t\x08\x07\x0c\x1b')


class ReadDamaged(Exception):
    """One answer to a read showed line noise; the reader (ConsoleSession.verified) asks
    again. Raised by the dialect drivers, never seen by a module."""


def noise_bytes(data):
    """How many bytes of ``data`` fall outside the console's character set."""
    return sum(1 for byte in data if byte not in CONSOLE_BYTES)


class SerialSpawn(SpawnBase):
    """pexpect spawn over an open pyserial port (any URL kind)."""

    def __init__(self, port, timeout=30, maxread=4096, searchwindowsize=None,
                 encoding='utf-8', codec_errors='replace', on_read=None, on_write=None):
        check_dependencies()
        super().__init__(timeout=timeout, maxread=maxread, searchwindowsize=searchwindowsize,
                         logfile=None, encoding=encoding, codec_errors=codec_errors)
        self.port = port
        self.child_fd = -1
        self.own_fd = False
        self.closed = False
        self.name = '<serial %s>' % getattr(port, 'portstr', port)
        # pexpect naps briefly after every read by default; waiting is done by bounded reads.
        self.delayafterread = None
        self.bytes_in = 0
        self.bytes_out = 0
        self.noise_in = 0           # received bytes outside CONSOLE_BYTES (see noise_bytes)
        self._on_read = on_read
        self._on_write = on_write

    def read_nonblocking(self, size=1, timeout=-1):
        if self.closed:
            raise EOF('the console port is closed')
        if timeout == -1:
            timeout = self.timeout
        try:
            # One blocking read bounded by ``timeout``, then whatever else is buffered.
            _set_read_timeout(self.port, timeout)
            data = self.port.read(1)
            if data:
                waiting = self.port.in_waiting
                if waiting:
                    _set_read_timeout(self.port, 0)
                    data += self.port.read(min(waiting, max(size - 1, 1)))
        except (SerialException, OSError) as exc:
            self.flag_eof = True
            raise EOF('the console connection was lost: %s' % exc)
        if not data:
            raise TIMEOUT('no data from the console within %s s' % timeout)
        self.bytes_in += len(data)
        self.noise_in += noise_bytes(data)
        if self._on_read:
            self._on_read(data)
        return self._decoder.decode(data, final=False)

    def send(self, s):
        if self.closed:
            raise EOF('the console port is closed')
        data = self._coerce_send_string(s)
        if isinstance(data, str):
            data = data.encode(self.encoding or 'utf-8')
        try:
            written = self.port.write(data)
            self.port.flush()
        except (SerialException, OSError) as exc:
            self.flag_eof = True
            raise EOF('writing to the console failed: %s' % exc)
        self.bytes_out += len(data)
        if self._on_write:
            self._on_write(data)
        return written

    def sendline(self, s=''):
        """APC consoles submit a line with CR."""
        return self.send(s + '\r')

    def discard_input(self):
        """Drop whatever the console already sent (used before a resync)."""
        try:
            self.port.reset_input_buffer()
        except (SerialException, OSError):
            pass
        self.buffer = self.string_type()
        self.before = self.string_type()

    def isalive(self):
        return not self.closed and bool(getattr(self.port, 'is_open', False))

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.port.close()
            except (SerialException, OSError):
                pass

    def fileno(self):
        return -1
