"""xferINI / xferStatus and the XMODEM receiver of the simulator, driven by the collection's
own sender (plugins/plugin_utils/xfer.py over a ConsoleSession): checksum and CRC, 128- and
1024-byte blocks, a line speed change and back on a pty, NAKs, a NAK storm, a receiver
that cancels and a line that drops. The simulator's state and its transcript are the
evidence."""

import os
import time

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess
from ansible_collections.rackops.apc.plugins.plugin_utils import xfer

from apcsim.transcript import received_bytes, sent_bytes
from apcsim.xmodem_rx import crc16

INI = ("[SystemID]\r\nName=pdu-x1\r\nContact=noc@example.net\r\nLocation=Row B\r\n"
       "[NetworkTCP/IP]\r\nSystemIP=192.0.2.44\r\nSubnetMask=255.255.255.0\r\n"
       "DefaultGateway=192.0.2.1\r\nBootMode=Manual\r\n")


def big_ini(size):
    """A file of about ``size`` bytes: the keys above plus comment lines."""
    text = INI
    n = 0
    while len(text) < size:
        n += 1
        text += "; padding line %04d for a longer transfer\r\n" % n
    return text


def session_for(url, **kw):
    s = sess.ConsoleSession(url, password="apc", use_lock=False, login_timeout=10,
                            wake_interval=1, **kw)
    s.connect()
    return s


def state(p):
    return p.ctl("state")["state"]


def settled(p, timeout=10.0):
    """The state once the card has recorded the transfer's result (it ACKs the end of the
    file first, then applies it): polled over the control socket, bounded."""
    deadline = time.monotonic() + timeout
    while True:
        st = state(p)
        if st.get("xfer") or time.monotonic() > deadline:
            return st


def test_crc16_matches_the_xmodem_check_value():
    assert crc16(b"123456789") == 0x31C3


@pytest.mark.parametrize("block_size", [128, 1024])
def test_xferini_crc_applies_identity_and_network_then_cli_restarts(start_sim, short_tmp, block_size):
    transcript = os.path.join(short_tmp, "t.jsonl")
    p = start_sim("AP8941", "tcp", transcript=transcript)
    s = session_for(p.url)
    data = big_ini(3000).encode()
    seen = []
    summary = xfer.upload_ini(s, data, 9600, block_size=block_size, report=seen.append)
    assert summary["mode"] == "CRC" and summary["block_size"] == block_size
    assert summary["blocks"] == -(-len(data) // block_size) and summary["naks"] == 0
    assert [x["percent"] for x in seen][0] == 0 and seen[-1]["percent"] == 100
    assert seen[-1]["bytes"] == len(data) and seen[-1]["eta_seconds"] == 0
    assert all(a["bytes"] <= b["bytes"] for a, b in zip(seen, seen[1:]))
    s.login()
    assert s.logins == 2 and not s.session_reused       # the command line restarted
    assert xfer.transfer_status(s) == {"code": "E000", "result": "OK"}
    s.close()
    st = state(p)
    assert st["xfer"]["result"] == "OK" and st["xfer"]["block_sizes"] == [block_size]
    assert st["files"]["config.ini"] == data.decode()          # the file, without padding
    assert st["system"]["name"] == "pdu-x1" and st["system"]["location"] == "Row B"
    assert st["tcpip"]["ip"] == "192.0.2.44" and st["boot"]["mode"] == "manual"
    assert st["active"]["tcpip"]["ip"] == "192.0.2.44"       # the interface restarted
    # the file crossed the line in blocks of the chosen size, with SOH or STX headers
    rx = received_bytes(transcript)
    assert rx.count(b"\x02\x01\xfe" if block_size == 1024 else b"\x01\x01\xfe") == 1
    assert b"xferINI\r" in rx and b"YES\r" in rx


def test_xferini_checksum_when_the_receiver_asks_with_nak(start_sim):
    p = start_sim("AP8941", "tcp")
    assert p.ctl("fault", "xmodem", "checksum")["ok"]
    s = session_for(p.url)
    # 1K was asked for, but a checksum receiver gets 128-byte blocks (XMODEM-1K needs CRC)
    summary = xfer.upload_ini(s, INI.encode(), 9600, block_size=1024)
    assert summary["mode"] == "checksum" and summary["block_size"] == 128
    st = settled(p)
    assert st["xfer"]["result"] == "OK" and st["xfer"]["mode"] == "checksum"
    assert st["system"]["contact"] == "noc@example.net"


def test_xferini_at_another_line_speed_and_back_on_a_pty(start_sim, short_tmp):
    transcript = os.path.join(short_tmp, "t.jsonl")
    p = start_sim("AP8941", "pty", transcript=transcript, pace=True)
    s = session_for(p.url)
    summary = xfer.upload_ini(s, big_ini(2000).encode(), 38400)
    assert summary["baud"] == 38400 and summary["console_baud"] == 9600
    assert s.spawn.port.baudrate == 9600
    # paced at 38400 baud: the transfer took at least its wire time (and not 9600's)
    assert summary["seconds"] >= summary["wire_floor_seconds"] * 0.9
    assert summary["seconds"] < xfer.wire_seconds(summary["bytes"], 9600)
    s.login()          # the card is back at 9600: the login works without garbage
    assert xfer.transfer_status(s)["result"] == "OK"
    st = state(p)
    assert st["xfer"]["baud"] == 38400 and st["runtime"]["line_baud"] == 9600
    assert not st["runtime"]["baud_mismatch"]
    assert st["tcpip"]["ip"] == "192.0.2.44"
    s.close()
    # the menu answer for 38400 was typed
    assert b"\r4\r" in received_bytes(transcript)
    assert b"Transferring at 38400 baud" in sent_bytes(transcript)


def test_naks_are_retried_and_the_transfer_succeeds(start_sim):
    p = start_sim("AP8941", "tcp")
    assert p.ctl("fault", "xmodem", "nak", "3")["ok"]
    s = session_for(p.url)
    summary = xfer.upload_ini(s, big_ini(1000).encode(), 9600)
    assert summary["naks"] == 3
    st = settled(p)
    assert st["xfer"]["result"] == "OK" and st["xfer"]["naks"] == 3


def test_nak_storm_the_sender_gives_up_and_nothing_is_applied(start_sim):
    p = start_sim("AP8941", "tcp")
    before = state(p)["system"]
    assert p.ctl("fault", "xmodem", "nak-storm", "2")["ok"]
    s = session_for(p.url)
    with pytest.raises(xfer.TransferError) as err:
        xfer.upload_ini(s, big_ini(1000).encode(), 9600)
    assert err.value.reason == "refused"
    assert "NAK" in str(err.value) and "gave up" in str(err.value)
    s.login()
    assert xfer.transfer_status(s)["result"] == "Cancelled by the sender"
    assert state(p)["system"] == before


def test_receiver_cancel_is_named(start_sim):
    p = start_sim("AP8941", "tcp")
    assert p.ctl("fault", "xmodem", "cancel", "1")["ok"]
    s = session_for(p.url)
    with pytest.raises(xfer.TransferError) as err:
        xfer.upload_ini(s, big_ini(1000).encode(), 9600)
    assert err.value.reason == "cancelled" and "CAN CAN" in str(err.value)
    s.login()
    assert xfer.transfer_status(s)["result"] == "Cancelled by the card"
    assert state(p)["system"]["name"] != "pdu-x1"


def test_line_drop_mid_transfer_is_named(start_sim):
    p = start_sim("AP8941", "tcp")
    assert p.ctl("fault", "xmodem", "drop", "2")["ok"]
    s = session_for(p.url)
    with pytest.raises(xfer.TransferError) as err:
        xfer.upload_ini(s, big_ini(1000).encode(), 9600)
    assert err.value.reason in ("lost", "silent"), err.value
    st = settled(p)
    assert st["xfer"]["result"] == "Transfer aborted" and st["system"]["name"] != "pdu-x1"


def test_line_drop_on_a_pty_the_sender_hears_nothing_and_says_so(start_sim):
    p = start_sim("AP8941", "pty")
    assert p.ctl("fault", "xmodem", "drop", "2")["ok"]
    s = session_for(p.url)
    with pytest.raises(xfer.TransferError) as err:
        xfer.upload_ini(s, big_ini(1000).encode(), 9600, answer_timeout=2.0)
    assert err.value.reason == "silent" and "stopped answering" in str(err.value)
    assert err.value.sent == 256 and err.value.total > 256
    s.login()       # once the line is quiet the card is back at its prompt
    assert xfer.transfer_status(s)["result"] == "Transfer aborted"
    assert state(p)["system"]["name"] != "pdu-x1"


def test_xferini_refused_for_a_device_user(start_sim):
    p = start_sim("AP8941", "tcp")
    s = session_for(p.url)
    s.run('user -n device -e enable -pw Dev1ce-pass')
    s.close()
    s = sess.ConsoleSession(p.url, user="device", password="Dev1ce-pass", use_lock=False,
                            login_timeout=10, wake_interval=1)
    s.connect()
    with pytest.raises(xfer.TransferError) as err:
        xfer.upload_ini(s, INI.encode(), 9600)
    assert "refused xferINI" in str(err.value) and "E104" in str(err.value)


def test_xferini_refuses_a_speed_the_card_does_not_offer(start_sim):
    p = start_sim("AP8941", "pty")
    s = session_for(p.url)
    with pytest.raises(xfer.TransferError) as err:
        xfer.upload_ini(s, INI.encode(), 57600)
    assert "57600" in str(err.value) and "nothing was sent" in str(err.value)
    assert "xfer" not in state(p)
    s.login()
    assert s.run("whoami")["code"] == "E000"           # back at the prompt


def test_another_speed_is_refused_on_a_raw_tcp_port(start_sim, short_tmp):
    transcript = os.path.join(short_tmp, "t.jsonl")
    p = start_sim("AP8941", "tcp", transcript=transcript)
    s = session_for(p.url)
    with pytest.raises(xfer.TransferError) as err:
        xfer.upload_ini(s, INI.encode(), 38400)
    assert "socket://" in str(err.value) and "rfc2217://" in str(err.value)
    assert b"xferINI" not in received_bytes(transcript)


def test_a_menu_with_more_speeds_is_followed(start_sim):
    p = start_sim("AP8941", "pty", xfer_bauds="9600,57600")
    s = session_for(p.url)
    summary = xfer.upload_ini(s, INI.encode(), 57600)
    assert summary["baud"] == 57600
    s.login()
    assert xfer.transfer_status(s)["result"] == "OK" and state(p)["xfer"]["baud"] == 57600
