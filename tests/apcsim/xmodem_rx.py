"""The simulated card's XMODEM receiver: checksum or CRC-16, 128- and 1024-byte blocks.

It reads through the dialect's ``ConsoleIO`` and answers with ``write``. What a receiver
does, in order: ask for the file (``C`` for CRC, NAK for the checksum) until the first
block arrives, check each block (number, its complement, checksum/CRC), ACK it or NAK it,
ACK the end (EOT), and stop when the sender cancels (CAN CAN). Trailing SUB (0x1A) padding
of the last block is removed from the file.

Faults (``apcsim ctl SOCKET fault xmodem ...``) make it misbehave on purpose:

- ``nak N``: the first N blocks that arrive are answered NAK once (line noise: the sender
  repeats them and the transfer succeeds);
- ``nak-storm AFTER``: every block after the first AFTER blocks is answered NAK, until the
  sender gives up;
- ``cancel AFTER``: after AFTER good blocks the receiver cancels (CAN CAN);
- ``drop AFTER``: after AFTER good blocks the line drops (a TCP client is disconnected; on a
  pty the card simply stops answering);
- ``checksum``: the receiver asks for the checksum variant (NAK) instead of CRC.
"""

import time

SOH, STX, EOT, ACK, NAK, CAN, SUB = 0x01, 0x02, 0x04, 0x06, 0x15, 0x18, 0x1A

# XMODEM's own timings (Ward Christensen's protocol note): a receiver repeats its request
# every few seconds until the sender starts, and allows about a second between the bytes of
# one block. The sender needs a while to start (the person or program at the other end
# switches the line speed and starts the transfer), so the card asks REQUESTS times.
REQUEST_INTERVAL = 3.0
REQUESTS = 20
BYTE_TIMEOUT = 1.0
BLOCK_TIMEOUT = 10.0       # between blocks (the sender waits for our answer, then sends)
MAX_ERRORS = 10            # bad receptions of one block before the receiver gives up


class TransferFailed(Exception):
    """The transfer ended without the file; ``result`` is the xferStatus wording."""

    def __init__(self, result, received=0):
        super().__init__(result)
        self.result = result
        self.received = received


class LineDropped(TransferFailed):
    """The drop fault cut the line."""


def crc16(data):
    """CRC-16 as XMODEM uses it (polynomial 0x1021, initial value 0, no reflection)."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def checksum8(data):
    return sum(data) & 0xFF


class Receiver:
    """Receive one file. ``fault`` is the dict kept by the device (or None)."""

    def __init__(self, io, drop_line=None, fault=None):
        self.io = io
        self.drop_line = drop_line or (lambda: None)
        self.fault = dict(fault or {})
        self.crc = not self.fault.get("checksum")
        self.blocks = 0           # good blocks kept
        self.naks = 0             # NAKs sent
        self.block_sizes = set()
        self._noise_left = int(self.fault.get("nak", 0) or 0)
        self.data = bytearray()   # what was kept so far (also after a failure)

    def _put(self, *values):
        self.io.write(bytes(values))

    def _byte(self, timeout):
        return self.io.read_byte(timeout=timeout)

    def _cancel(self, result, received):
        self._put(CAN, CAN)
        raise TransferFailed(result, received)

    def _read_exact(self, count):
        out = bytearray()
        while len(out) < count:
            b = self._byte(BYTE_TIMEOUT)
            if b is None:
                return None
            out.append(b)
        return bytes(out)

    def _purge(self):
        """Drop what is still arriving of a broken block (until the line is quiet)."""
        while self._byte(BYTE_TIMEOUT) is not None:
            pass

    def receive(self):
        data = self.data
        request = ord("C") if self.crc else NAK
        first = None
        for _attempt in range(REQUESTS):
            self._put(request)
            first = self._byte(REQUEST_INTERVAL)
            if first is not None:
                break
        if first is None:
            raise TransferFailed("Timed out", 0)
        expected = 1
        errors = 0
        b = first
        while True:
            if b is None:
                b = self._byte(BLOCK_TIMEOUT)
                if b is None:
                    raise TransferFailed("Timed out", len(data))
            if b == EOT:
                self._put(ACK)
                break
            if b == CAN:
                if self._byte(BYTE_TIMEOUT) == CAN:
                    raise TransferFailed("Cancelled by the sender", len(data))
                b = None
                continue
            if b not in (SOH, STX):
                b = None              # noise between blocks
                continue
            size = 128 if b == SOH else 1024
            body = self._read_exact(2 + size + (2 if self.crc else 1))
            good = body is not None and body[0] == 0xFF - body[1]
            if good:
                payload = body[2:2 + size]
                if self.crc:
                    good = crc16(payload) == (body[-2] << 8 | body[-1])
                else:
                    good = checksum8(payload) == body[-1]
            if not good:
                if body is None:
                    self._purge()
                errors += 1
                if errors > MAX_ERRORS:
                    self._cancel("Too many errors", len(data))
                self.naks += 1
                self._put(NAK)
                b = None
                continue
            seq = body[0]
            if seq == (expected - 1) & 0xFF and self.blocks:
                self._put(ACK)        # our ACK was lost: the sender repeated the block
                b = None
                continue
            if seq != expected:
                self._cancel("Out of sequence", len(data))
            if self._noise_left > 0:
                self._noise_left -= 1
                self.naks += 1
                self._put(NAK)
                b = None
                continue
            after = self.fault.get("after")
            mode = self.fault.get("mode")
            if mode == "nak-storm" and self.blocks >= int(after or 0):
                # no limit of our own: the storm lasts until the sender gives up
                self.naks += 1
                self._put(NAK)
                b = None
                continue
            if mode == "cancel" and self.blocks >= int(after or 0):
                self._cancel("Cancelled by the card", len(data))
            if mode == "drop" and self.blocks >= int(after or 0):
                if not self.drop_line():
                    # a pty cannot be hung up: for a block's time the card hears nothing it
                    # can use and says nothing; then it gives up as a receiver does
                    until = time.monotonic() + BLOCK_TIMEOUT
                    while time.monotonic() < until:
                        self._byte(until - time.monotonic())
                raise LineDropped("Line dropped", len(data))
            data += payload
            self.block_sizes.add(size)
            self.blocks += 1
            errors = 0
            expected = (expected + 1) & 0xFF
            self._put(ACK)
            b = None
        while data.endswith(bytes([SUB])):
            data.pop()
        return bytes(data)
