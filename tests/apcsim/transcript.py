"""Byte transcripts: every byte a simulated device received ("in") and sent ("out").

File format: JSON lines, one object per chunk::

    {"t": 0.1234, "dir": "in", "data": "apc\\r"}

``t`` is seconds since the device started, ``data`` is the chunk decoded as latin-1
(so every byte value round-trips). The writer flushes after every chunk.
"""

import json
import threading
import time


class TranscriptWriter:
    def __init__(self, path, t0=None):
        self.path = path
        self.t0 = time.monotonic() if t0 is None else t0
        self._lock = threading.Lock()
        self._fh = open(path, "a", encoding="utf-8")

    def log(self, direction, data):
        if not data:
            return
        rec = {
            "t": round(time.monotonic() - self.t0, 6),
            "dir": direction,
            "data": bytes(data).decode("latin-1"),
        }
        line = json.dumps(rec, ensure_ascii=True)
        with self._lock:
            if self._fh is None:
                return
            self._fh.write(line + "\n")
            self._fh.flush()

    def close(self):
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None


def read_transcript(path):
    """Return the list of records ``{"t", "dir", "data"}`` in file order."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def _join(path, direction):
    return "".join(r["data"] for r in read_transcript(path) if r["dir"] == direction)


def received_bytes(path):
    """Everything the device received, as bytes."""
    return _join(path, "in").encode("latin-1")


def sent_bytes(path):
    """Everything the device sent, as bytes."""
    return _join(path, "out").encode("latin-1")


def received_lines(path):
    """The lines the device received (``in`` chunks joined, split on CR, LF or CRLF).

    Backspace/DEL edits are applied, so the result is what the device's line editor saw.
    An unterminated trailing fragment is included as the last element if not empty.
    """
    text = _join(path, "in")
    lines = []
    cur = []
    prev_cr = False
    for ch in text:
        if ch == "\n" and prev_cr:
            prev_cr = False
            continue
        prev_cr = ch == "\r"
        if ch in "\r\n":
            lines.append("".join(cur))
            cur = []
        elif ch in "\x08\x7f":
            if cur:
                cur.pop()
        else:
            cur.append(ch)
    if cur:
        lines.append("".join(cur))
    return lines
