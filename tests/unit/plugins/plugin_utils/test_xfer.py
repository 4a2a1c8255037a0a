# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/xfer.py on a scripted port: the receiver's request found past the card's
text, named failures, the wire floor and progress. (The whole transfer against the
simulator's receiver is in tests/unit/apcsim/test_apcsim_xmodem.py.)"""

from __future__ import annotations

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import xfer


class FakePort:
    """Bytes the 'receiver' has sent; a read past them returns nothing (a timeout)."""

    def __init__(self, data=b'', fail=False):
        self.rx = bytearray(data)
        self.tx = bytearray()
        self._timeout = 0
        self.fail = fail

    @property
    def in_waiting(self):
        return len(self.rx)

    def read(self, size=1):
        if self.fail:
            raise OSError('socket disconnected')
        out = bytes(self.rx[:size])
        del self.rx[:size]
        return out

    def write(self, data):
        if self.fail:
            raise OSError('socket disconnected')
        self.tx += data
        return len(data)

    def flush(self):
        pass


def test_wire_floor_counts_every_framing_byte():
    # 1000 bytes: 8 blocks of 128 + 3 header + 2 CRC + 1 ACK, then EOT and its ACK
    assert xfer.framed_bytes(1000, 128, crc=True) == 8 * 134 + 2
    assert xfer.framed_bytes(1000, 128, crc=False) == 8 * 133 + 2
    assert xfer.framed_bytes(1000, 1024, crc=True) == 1030 + 2
    assert xfer.wire_seconds(1000, 9600) == pytest.approx((8 * 134 + 2) * 10 / 9600.0)


def test_request_inside_the_cards_text_is_not_taken():
    port = FakePort(b'\r\nStart the XMODEM-CRC transfer now.\r\nCCC')
    line = xfer._Line(port)
    assert line.wait_for_request(1.0) is True
    assert port.rx == b''            # repeated requests are not left to read as answers


def test_a_word_starting_with_c_is_not_a_request():
    port = FakePort(b'\r\nCRC transfer: go\r\n\x15')
    assert xfer._Line(port).wait_for_request(1.0) is False       # NAK: checksum


def test_receiver_that_cancels_before_the_start():
    port = FakePort(b'\x18\x18')
    with pytest.raises(xfer.TransferError) as err:
        xfer._Line(port).wait_for_request(1.0)
    assert err.value.reason == 'cancelled'


def test_receiver_that_never_asks(monkeypatch):
    monkeypatch.setattr(xfer, 'ENTER_REPEAT', 0.01)
    port = FakePort(b'')
    nudges = []
    with pytest.raises(xfer.TransferError) as err:
        xfer._Line(port).wait_for_request(0.05, nudge=lambda: nudges.append(1))
    assert err.value.reason == 'start' and 'did not ask' in str(err.value)
    assert nudges                  # ENTER was repeated while the line was silent


def test_cancel_during_the_transfer_and_silence_are_named():
    line = xfer._Line(FakePort(b'\x06\x18\x18'))
    assert line.getc(1) == b'\x06'
    assert line.getc(1) == b'\x18'
    with pytest.raises(xfer.TransferError) as err:
        line.getc(1)
    assert err.value.reason == 'cancelled'
    line = xfer._Line(FakePort(b''))
    assert line.getc(1, 0) is None
    with pytest.raises(xfer.TransferError) as err:
        line.getc(1, 0)
    assert err.value.reason == 'silent'


def test_a_dropped_line_is_named():
    line = xfer._Line(FakePort(fail=True))
    with pytest.raises(xfer.TransferError) as err:
        line.putc(b'\x01')
    assert err.value.reason == 'lost'
    with pytest.raises(xfer.TransferError) as err:
        line.getc(1)
    assert err.value.reason == 'lost'


def test_progress_samples_every_ten_percent_with_time_left():
    seen = []
    progress = xfer.Progress(1280, 9600, 128, True, report=seen.append)
    for block in range(11):
        progress.update(block)
    assert [s['percent'] for s in seen] == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert seen[0]['eta_seconds'] == pytest.approx(xfer.wire_seconds(1280, 9600), abs=0.1)
    assert seen[-1]['bytes'] == 1280 and seen[-1]['eta_seconds'] == 0


def test_speed_menu_numbers():
    menu = '\r\n        1- 2400\r\n        2- 9600\r\n        3- 19200\r\n        4- 38400\r\n\r\n> '
    assert xfer._menu_number(menu, 19200) == '3'
    assert xfer._menu_number(menu, 57600) is None
