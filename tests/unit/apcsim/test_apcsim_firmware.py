"""The simulator's boot monitor (BM>) and firmware images, driven by the collection's own
boot-monitor sender (plugins/plugin_utils/xfer.py over a ConsoleSession): the CR window at
the start of a restart, XMODEM per module, BOOT, the sim's own image checks, a half-written
module that keeps the card in the boot monitor, the state kept across a process restart."""

import os

import pytest

from ansible_collections.rackops.apc.plugins.plugin_utils import session as sess
from ansible_collections.rackops.apc.plugins.plugin_utils import xfer

from apcsim.firmware import HEADER_SIZE, build_image, check_image, image_name, parse_header

FAST = {"boot_seconds": 2, "bootmon_window": 4}


def session_for(url):
    s = sess.ConsoleSession(url, password="apc", use_lock=False, login_timeout=15, wake_interval=1)
    s.connect()
    return s


def runtime(p):
    return p.ctl("state")["state"]["runtime"]


def test_image_layout_round_trips():
    data = build_image("05", "aos", "v6.9.6", size=1000)
    assert len(data) == HEADER_SIZE + 1000 and data.startswith(b"APCFW1 hw=05 module=aos")
    assert parse_header(data)["version"] == "v6.9.6"
    assert check_image(data, "05", "rpdu2g") == ("aos", "v6.9.6")
    assert image_name("05", "rpdu2g", "v6.9.6") == "apc_hw05_rpdu2g_696.bin"
    for bad, hw, app, reason in ((data, "21", "rpdu2g", "hardware hw05"),
                                 (build_image("05", "sumx", "v6.9.6"), "05", "rpdu2g", "sumx module"),
                                 (data[:-1], "05", "rpdu2g", "damaged")):
        with pytest.raises(ValueError, match=reason):
            check_image(bad, hw, app)


@pytest.mark.parametrize("key", ["esc", "any"])
def test_boot_monitor_writes_modules_and_boots_them(start_sim, short_tmp, key):
    state = os.path.join(short_tmp, "s-%s.json" % key)
    p = start_sim("AP8941", "tcp", state=state, bootmon_key=key, **FAST)
    s = session_for(p.url)
    xfer.enter_boot_monitor(s)
    assert runtime(p)["dialect"] == "bootmon"
    summary = xfer.bootmon_send(s, build_image("05", "aos", "v6.9.6", size=2000), block_size=1024)
    assert summary["block_size"] == 1024 and "aos image v6.9.6 written (2128 bytes)" in summary["card_says"]
    # the monitor's own check: an image for other hardware is refused, nothing written
    with pytest.raises(xfer.TransferError, match="Image refused: the image is for hardware hw21"):
        xfer.bootmon_send(s, build_image("21", "rpdu2g", "v6.9.6", size=300))
    xfer.leave_boot_monitor(s)
    assert xfer.wait_for_firmware_start(s, 30) >= xfer.BM_KEY_WINDOW
    s.login()
    about = s.run("about")["output"]
    assert "v6.9.6" in about and "v6.8.0" in about        # new AOS, the application as it was
    s.close()
    p.stop()
    again = start_sim("AP8941", "tcp", state=state, bootmon_key=key, **FAST)   # kept across a power cycle
    assert runtime(again)["firmware_modules"]["aos"] == "v6.9.6"


def test_no_key_in_the_window_boots_the_firmware(start_sim):
    p = start_sim("AP8941", "tcp", **FAST)
    s = session_for(p.url)
    s.run("reboot", confirm=True)
    s._send("\r")      # pylint: disable=protected-access  # a wake-up CR is not the key
    with pytest.raises(xfer.TransferError, match="did not come back"):   # quiet: no boot monitor
        xfer.wait_for_firmware_start(s, 0.5)
    s.state = "rebooting"
    s.login()
    assert runtime(p)["dialect"] == "cli"
    s.close()


def test_a_half_written_module_keeps_the_card_in_the_boot_monitor(start_sim):
    p = start_sim("AP8941", "tcp", **FAST)
    p.ctl("fault", "xmodem", "cancel", "2")
    s = session_for(p.url)
    xfer.enter_boot_monitor(s)
    with pytest.raises(xfer.TransferError) as err:
        xfer.bootmon_send(s, build_image("05", "rpdu2g", "v6.9.6", size=1000))
    assert err.value.reason == "cancelled" and err.value.acked == 256
    assert "The rpdu2g image is half-written" in xfer.bootmon_failure_text(s)
    p.ctl("fault", "xmodem", "off")
    xfer.leave_boot_monitor(s)
    with pytest.raises(xfer.TransferError, match="went back to its boot monitor"):
        xfer.wait_for_firmware_start(s, 30)
    assert runtime(p)["firmware_modules"]["half_written"] == "app"
    # the boot monitor recovers it: the module sent again, then BOOT starts the firmware
    s.spawn.buffer = s.spawn.string_type()
    xfer.knock_for_boot_monitor(s)
    xfer.bootmon_send(s, build_image("05", "rpdu2g", "v6.9.6", size=1000))
    xfer.leave_boot_monitor(s)
    xfer.wait_for_firmware_start(s, 30)
    s.login()
    assert runtime(p)["firmware_modules"]["app"] == "v6.9.6" and runtime(p)["dialect"] == "cli"
    s.close()
