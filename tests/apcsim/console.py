"""Blocking console I/O for dialect programs.

A dialect program runs in its own thread and talks to the serial line only through a
``ConsoleIO``: ``read_byte``, ``read_line(echo, mask)``, ``write``. Bytes arrive from the
transport through ``feed``. Control actions (reboot, forced logout, stop) interrupt the
program: the next read (or write) raises ``Interrupted`` with a reason.
"""

import collections
import threading
import time

CR = 0x0D
LF = 0x0A
BS = 0x08
DEL = 0x7F


class Interrupted(Exception):
    """Raised by a read/write when the device asked the program to stop what it does."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class IdleTimeout(Exception):
    """Raised by a read when no byte arrived within ``ConsoleIO.idle_timeout``."""


class ConsoleIO:
    def __init__(self, writer):
        self._writer = writer              # callable(bytes) -> None
        self._buf = collections.deque()
        self._cond = threading.Condition()
        self._interrupt = None
        self._prev_cr = False              # the last line ended with CR: swallow one LF
        self.idle_timeout = None           # seconds, or None (no idle logout)
        self.last_input = time.monotonic()

    # -- transport side -------------------------------------------------------------
    def feed(self, data):
        with self._cond:
            self._buf.extend(data)
            self.last_input = time.monotonic()
            self._cond.notify_all()

    def interrupt(self, reason):
        with self._cond:
            self._interrupt = reason
            self._cond.notify_all()

    def clear_interrupt(self):
        with self._cond:
            self._interrupt = None

    def pending_interrupt(self):
        return self._interrupt

    def discard_input(self):
        with self._cond:
            self._buf.clear()
            self._prev_cr = False

    # -- program side ---------------------------------------------------------------
    def _check(self):
        if self._interrupt is not None:
            reason = self._interrupt
            self._interrupt = None
            raise Interrupted(reason)

    def read_byte(self, timeout=None):
        """Next input byte (int). Honours ``idle_timeout`` (raises IdleTimeout) and an
        explicit ``timeout`` (returns None)."""
        with self._cond:
            start = time.monotonic()
            while True:
                self._check()
                if self._buf:
                    return self._buf.popleft()
                waits = []
                now = time.monotonic()
                if timeout is not None:
                    left = start + timeout - now
                    if left <= 0:
                        return None
                    waits.append(left)
                if self.idle_timeout is not None:
                    left = self.last_input + self.idle_timeout - now
                    if left <= 0:
                        raise IdleTimeout()
                    waits.append(left)
                self._cond.wait(min(waits) if waits else None)

    def wait_for_cr(self):
        """Discard input until a CR (or a lone LF) arrives: how a silent console wakes."""
        while True:
            b = self.read_byte()
            if b == LF and self._prev_cr:
                self._prev_cr = False
                continue
            if b in (CR, LF):
                self._prev_cr = b == CR
                return

    def read_line(self, echo=True, mask=False, max_len=1024):
        """Read one line (CR, LF or CRLF ends it; CRLF counts once). Typed characters are
        echoed (``*`` when ``mask``); BS/DEL edits. The line end itself is not echoed:
        the caller writes what follows (usually starting with CRLF)."""
        chars = bytearray()
        while True:
            b = self.read_byte()
            if b == LF and self._prev_cr:
                self._prev_cr = False
                continue
            self._prev_cr = False
            if b in (CR, LF):
                self._prev_cr = b == CR
                return chars.decode("latin-1")
            if b in (BS, DEL):
                if chars:
                    chars.pop()
                    if echo:
                        self.write(b"\x08 \x08")
                continue
            if b < 0x20 and b != 0x09:
                continue  # other control characters are ignored
            if len(chars) >= max_len:
                continue
            chars.append(b)
            if echo:
                self.write(b"*" if mask else bytes([b]))

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1", "replace")
        self._check()
        self._writer(data)
