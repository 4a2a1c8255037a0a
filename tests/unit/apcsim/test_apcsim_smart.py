"""Tests of the smart dialect (UPS-Link on a UPS's DB9 port) with pyserial clients."""

import json
import os
import re
import time

import pytest

from simhelpers import Console, run_cli

from apcsim.profiles import PROFILES, get_profile
from apcsim.smart_profiles import allowed_values, eeprom_table

SMART = [name for name, p in PROFILES.items() if p["dialect"] == "smart"]
EXPECTED_LOCALES = {"BP650S": "D", "SU1000NET": "D", "SU1000NET-I": "I", "SU2200RM3U-M": "M",
                    "SUA1500-J": "J", "SUA3000RM2U": "D", "SC620": "I", "MX5000": "I"}


class Ups(Console):
    """One-character commands, replies up to CR LF."""

    def q(self, char, timeout=3.0):
        self.send(char)
        return self.expect(r"\r\n", timeout=timeout)[:-2]


@pytest.fixture
def ups(start_sim):
    """ups(model, **options) -> (sim, Ups client at 2400 baud on a pty, in smart mode)."""
    opened = []

    def make(model, smart=True, **opts):
        sim = start_sim(model, transport="pty", **opts)
        c = Ups(sim.url, baudrate=2400)
        opened.append(c)
        if smart:
            assert c.q("Y") == "SM"
        return sim, c

    yield make
    for c in opened:
        c.close()


def parse_table(raw):
    """Independent ^Z parser: -> [(letter, locale, [values])]; asserts it is well-formed."""
    matrix = raw.startswith("##")
    assert raw.startswith("#")
    pos = 0 if matrix else 1
    groups = []
    while pos < len(raw):
        if matrix:
            assert raw[pos:pos + 2] == "##", (pos, raw)
            pos += 2
        letter, loc, count, width = raw[pos:pos + 4]
        assert count.isdigit() and width.isdigit() and count != "0" and width != "0"
        end = pos + 4 + int(count) * int(width)
        assert end <= len(raw)
        body = raw[pos + 4:end]
        groups.append((letter, loc, [body[i:i + int(width)]
                                     for i in range(0, len(body), int(width))]))
        pos = end
    return groups


def dedupe(values):
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def test_models_lists_smart_profiles():
    rows = {x["name"]: x for x in json.loads(run_cli("models", "--json").stdout)}
    for name, loc in EXPECTED_LOCALES.items():
        assert rows[name]["dialect"] == "smart" and rows[name]["kind"] == "ups"
        assert get_profile(name)["smart"]["locale"] == loc
        assert get_profile(name)["baud"] == 2400
    assert sorted(SMART) == sorted(EXPECTED_LOCALES)


@pytest.mark.parametrize("model", sorted(EXPECTED_LOCALES))
def test_eeprom_table_well_formed(model):
    unit = get_profile(model)["smart"]
    raw = eeprom_table(unit)
    groups = parse_table(raw)
    assert raw.startswith("##") == (model == "MX5000")
    assert all(loc in "DIAJM4" for _l, loc, _v in groups)
    for letter, _loc, values in groups:
        assert len(set(len(v) for v in values)) == 1, letter
    mine = [g for g in groups if g[1] in (unit["locale"], "4")]
    for letter in set(g[0] for g in mine):
        expected = dedupe(v for g in mine if g[0] == letter for v in g[2])
        assert allowed_values(unit, letter) == expected


def test_dumb_mode_then_y_sm_and_r_bye(ups):
    _sim, c = ups("SU1000NET", smart=False)
    c.send("Q\r\nn\x01a")
    assert c.quiet(0.4) == b""                      # nothing answers before Y
    assert c.q("Y") == "SM"
    assert c.q("Y") == "SM"
    c.send("\r\n\r")
    assert c.quiet(0.3) == b""                      # CR / LF ignored
    assert c.q("Q") == "08"
    assert c.q("R") == "BYE"
    c.send("Q")
    assert c.quiet(0.3) == b""


def test_identification_and_readings_su1000net(ups):
    sim, c = ups("SU1000NET")
    assert c.q("\x01") == "SMART-UPS 1000"
    assert c.q("n") == "WS9948012345"
    assert c.q("m") == "11/29/99"
    assert c.q("b") == "60.9.D"
    assert c.q("V") == "IWD"
    assert c.q("x") == "11/29/99"
    assert c.q("y") == "(C) APCC"
    a = c.q("a")
    ver, alerts, cmds = a.split(".")
    assert ver == "3" and alerts == "!$%+?=#"
    for ch in "\x01\x0e\x1a\x7fBfgLMNOPCFjQG9X7~'8@KSZWDAUulseoqpkrEcxz":
        assert ch in cmds, repr(ch)
    assert c.q("\x1a") == eeprom_table(get_profile("SU1000NET")["smart"])
    readings = {ch: c.q(ch) for ch in "BfgLMNOPCFjQG9X7~'8"}
    assert readings == {"B": "27.30", "f": "100.0", "g": "024", "L": "120.0", "M": "120.0",
                        "N": "120.0", "O": "120.0", "P": "023.5", "C": "036.0", "F": "60.00",
                        "j": "0027:", "Q": "08", "G": "O", "9": "FF", "X": "NO", "7": "00",
                        "~": "00", "'": "00", "8": "00"}
    for ch in "><vJ^/":
        assert c.q(ch) == "NA", ch                 # not in this unit's command set
    st = sim.ctl("status")["status"]
    assert st["dialect"] == "smart" and st["smart_mode"] and st["locale"] == "D"
    assert st["line_baud"] == 2400


def test_na_for_what_a_profile_lacks(ups):
    _sim, c = ups("MX5000")
    assert c.q("\x01") == "NA" and c.q("b") == "NA"
    assert c.q("V") == "5WI"
    assert c.q("\x1a").startswith("##uM43229")
    assert c.q("a").split(".")[1] == "!$%+?=#&"
    assert c.q(">") == "001"
    _sim, c = ups("BP650S")
    assert c.q("\x01") == "Back-UPS Pro 650"
    assert c.q("\x1a") == "NA" and c.q("C") == "NA" and c.q("V") == "NA" and c.q("E") == "NA"
    assert c.q("g") == "012"
    assert c.q("u") == "127"
    assert c.q("-") == "OK" and c.q("u") == "130"   # internal table, not reported


@pytest.mark.parametrize("model,letter,expected", [
    ("SU1000NET", "u", ["127", "130", "133", "136"]),
    ("SU1000NET-I", "u", ["253", "257", "261", "265"]),
    ("SU2200RM3U-M", "l", ["177", "172", "168", "182"]),
    ("SUA1500-J", "u", ["108", "110", "112", "114"]),
    ("SUA3000RM2U", "E", ["336", "168", "ON ", "OFF"]),
    ("SU1000NET", "s", ["H", "M", "L"]),
])
def test_cycle_with_minus_through_table_and_wrap(ups, model, letter, expected):
    sim, c = ups(model)
    table = parse_table(c.q("\x1a"))
    loc = c.q("b")[-1]
    from_table = dedupe(v for grp_letter, grp_loc, values in table
                        if grp_letter == letter and grp_loc in (loc, "4") for v in values)
    assert from_table == expected
    seen = [c.q(letter)]
    for _unused in range(len(expected)):
        assert c.q("-") == "OK"
        seen.append(c.q(letter))
    assert seen == expected + [expected[0]]         # wraps back to the factory value
    assert c.q("+") == "OK" and c.q(letter) == expected[-1]    # + goes the other way
    assert sim.ctl("state")["state"]["smart"]["eeprom"][letter] == expected[-1]


def test_no_when_locked_or_single_value_and_na_without_selection(ups):
    _sim, c = ups("SU1000NET")
    assert c.q("o") == "115" and c.q("-") == "NO"   # one value in locale D
    assert c.q("Q") == "08" and c.q("-") == "NA"    # - after a non-EEPROM command
    _sim, c = ups("SC620")
    assert c.q("o") == "230" and c.q("-") == "NO"   # SC620 locks its output voltage
    assert c.q("r") == "NA"


def test_free_text_eight_chars_then_ok_and_z_clear_keeps_c_x(ups, short_tmp):
    state = os.path.join(short_tmp, "ups.json")
    sim, c = ups("SUA1500-J", state=state, eeprom_notify_delay=0.3)
    assert c.q("c") == "UPS_IDEN"
    c.send("-")
    c.send("RACK")
    c.send("7\r\r")
    assert c.quiet(0.3) == b""                      # silent until the 8th character
    assert c.q("\r") == "OK"
    assert c.q("c") == "RACK7   "
    assert c.quiet(0.5) == b"|"                     # EEPROM changed (this unit sends |)
    assert c.q("x") == "03/08/06"
    c.send("-01/02/26")
    assert c.expect(r"\r\n") == "OK\r\n"
    assert c.q("u") == "108" and c.q("-") == "OK" and c.q("-") == "OK"
    assert c.q("u") == "112"
    assert c.q("z") == "CLEAR"
    assert c.q("u") == "108" and c.q("c") == "RACK7   " and c.q("x") == "01/02/26"
    with open(state, encoding="utf-8") as fh:
        saved = json.load(fh)["smart"]["eeprom"]
    assert saved["c"] == "RACK7   " and saved["x"] == "01/02/26" and saved["u"] == "108"
    ee = sim.ctl("state")["state"]["smart"]["eeprom"]
    assert ee == saved


def test_state_persists_across_restart(start_sim, short_tmp):
    state = os.path.join(short_tmp, "p.json")
    sim = start_sim("SU1000NET-I", transport="pty", state=state)
    c = Ups(sim.url, baudrate=2400)
    try:
        assert c.q("Y") == "SM" and c.q("l") == "208" and c.q("-") == "OK"
    finally:
        c.close()
    sim.stop()
    sim = start_sim("SU1000NET-I", transport="pty", state=state)
    c = Ups(sim.url, baudrate=2400)
    try:
        c.send("l")
        assert c.quiet(0.3) == b""                  # a restart is a power-up: dumb mode
        assert c.q("Y") == "SM" and c.q("l") == "204"
    finally:
        c.close()


def test_alerts_on_power_fail_and_restore(ups):
    sim, c = ups("SU1000NET", onbatt_alert_period=0.5)
    assert sim.ctl("power-fail")["ok"]
    assert c.expect(r"!", timeout=2) == "!"
    assert c.q("Q").lstrip("!") == "10"             # ! repeats every 0.5 s here
    assert c.q("L").lstrip("!") == "000.0" and c.q("9").lstrip("!") == "00"
    assert c.q("G").lstrip("!") == "L"
    c.buf = b""
    assert c.expect(r"!", timeout=2) == "!"         # repeated while on battery
    assert sim.ctl("battery-charge", "5")["ok"]     # runtime 1 min < q (2 min)
    got = c.expect(r"%", timeout=2)
    assert got.endswith("%")
    assert c.q("Q").lstrip("!") == "50"
    assert sim.ctl("power-restore")["ok"]
    assert c.expect(r"\+", timeout=2).lstrip("!").endswith("$+")
    assert c.q("Q") == "08"
    assert c.quiet(0.7) == b""                      # no more !


def test_alert_inside_reply_fault(ups):
    sim, c = ups("SU1000NET")
    r = sim.ctl("fault", "alert-inside", "on")
    assert r["ok"] and r["fault"]["alert_inside"] is True
    assert sim.ctl("power-fail")["ok"]
    time.sleep(0.3)                                 # the alert is held for the next reply
    # the alert lands anywhere before the final LF, between CR and LF too: read to the LF
    c.send("n")
    raw = c.expect(r"\n", timeout=3.0)[:-1].replace("\r", "")
    assert raw != "WS9948012345" and raw.replace("!", "") == "WS9948012345"
    assert not raw.startswith("!")
    assert sim.ctl("fault", "clear")["ok"]
    assert sim.ctl("power-restore")["ok"]
    assert c.expect(r"\$", timeout=2) == "$"


def test_double_commands_timing_recorded(ups):
    sim, c = ups("SUA3000RM2U")
    c.send("K")
    time.sleep(0.3)
    c.send("K")
    assert c.quiet(0.3) == b""                      # too early: ignored
    c.send("K")
    assert c.quiet(0.2) == b""                      # silent after the first K
    time.sleep(1.4)
    assert c.q("K") == "OK"
    c.send("Z")
    assert c.q("Q") == "08"                         # another command abandons the first Z
    c.send("\x0e")
    time.sleep(1.6)
    c.send("\x0e")
    assert c.quiet(0.3) == b""                      # ^N ^N: no reply
    log = sim.ctl("state")["state"]["smart"]["control_log"]
    cmds = [(e["command"], e["accepted"]) for e in log]
    assert cmds == [("K K", False), ("K K", True), ("Z", False), ("^N ^N", True)]
    assert log[0]["gap"] < 1.5 <= log[1]["gap"]


def test_control_commands(ups):
    sim, c = ups("SUA3000RM2U")
    c.send("S")
    assert c.quiet(0.3) == b""                      # S on line: ignored
    c.send("@")
    c.send("01")
    assert c.quiet(0.3) == b""                      # waits for the third digit
    assert c.q("2") == "OK"
    c.send("@1")
    assert c.q("Y") == "NO"                         # a non-digit aborts @
    assert c.q("\x7f") == "OK"
    assert c.q("A") == "OK"
    assert c.q("W") == "OK"
    assert c.q("X") == "NO"
    time.sleep(1.2)
    assert c.q("X") == "OK" and c.q("G") == "S"
    assert c.q("D") == "OK" and c.q("Q") == "09"    # calibrating
    assert c.q("D") == "OK" and c.q("Q") == "08"
    c.send("U")
    assert c.expect(r"!", timeout=1) == "!"
    assert c.q("Q") == "10"
    assert c.expect(r"\$", timeout=3) == "$"
    assert sim.ctl("power-fail")["ok"]
    assert c.expect(r"!", timeout=2) == "!"
    assert c.q("S") == "OK"
    assert c.q("D") == "NO"                         # no calibration on battery
    log = [(e["command"], e["accepted"]) for e in
           sim.ctl("state")["state"]["smart"]["control_log"]]
    assert log == [("S", False), ("@012", True), ("@1", False), ("DEL", True), ("A", True),
                   ("W", True), ("D", True), ("D", True), ("U", True), ("S", True),
                   ("D", False)]


def test_ctl_extras_and_matrix_star(ups):
    sim, c = ups("MX5000")
    assert sim.ctl("press-reset")["ok"] is False
    assert sim.ctl("battery-charge", "50")["ok"] is False       # on line
    assert sim.ctl("replace-battery", "on")["ok"]
    assert c.expect(r"#", timeout=2) == "#"
    assert c.q("Q") == "88"
    assert sim.ctl("overload", "on")["ok"]
    assert c.expect(r"\?", timeout=2) == "?"
    assert c.q("Q") == "A8"
    assert sim.ctl("alert", "&")["ok"]
    assert c.expect(r"&", timeout=2) == "&"
    c.send("K")
    time.sleep(1.55)
    assert c.q("K") == "*"


def test_wrong_line_speed_garbles(start_sim):
    sim = start_sim("SU1000NET", transport="pty")
    c = Ups(sim.url, baudrate=9600)
    try:
        c.send("Y")
        out = c.quiet(0.5)
        assert out != b"SM\r\n"
        assert sim.ctl("status")["status"]["baud_mismatch"] is True
        c.ser.baudrate = 2400
        c.buf = b""
        got = b""
        for _unused in range(5):                    # the garbage may have left it dumb
            c.send("Y")
            got = c.quiet(0.3)
            if got.endswith(b"SM\r\n"):
                break
        assert got.endswith(b"SM\r\n")
    finally:
        c.close()


def test_pacing_at_2400_baud(ups):
    _sim, c = ups("SU1000NET", pace=True)
    t0 = time.monotonic()
    table = c.q("\x1a")
    elapsed = time.monotonic() - t0
    assert elapsed >= (len(table) + 3) * 10 / 2400 * 0.8
    assert re.match(r"^#uD43", table)
