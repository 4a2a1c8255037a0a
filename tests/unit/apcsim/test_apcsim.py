"""Tests of the apcsim device simulator (cli dialect) over real transports."""

import json
import os
import socket
import time

import pytest
import serial
import yaml

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:serial.rfc2217")

from simhelpers import SimProcess, run_cli

from apcsim.transcript import read_transcript, received_lines, sent_bytes

PROMPT_RE = r"\r\napc>$"
REMINDER = "\r\n\r\n* Reboot required for change to take effect."


# --------------------------------------------------------------------------- command line

def test_models_lists_profiles():
    r = run_cli("models")
    assert r.returncode == 0, r.stderr
    names = [line.split()[0] for line in r.stdout.splitlines() if line.split()[1] == "cli"]
    assert names == ["AP8941", "AP7920B", "SUA1500-AP9631", "SMT1500-AP9641",
                     "SUA1500-AP9630-AOS5"]
    r = run_cli("models", "--json")
    rows = json.loads(r.stdout)
    by = {x["name"]: x for x in rows}
    assert by["AP8941"]["outlets"] == 24 and by["AP8941"]["dialect"] == "cli"
    assert by["SMT1500-AP9641"]["firmware"] == "v2.5.0.8"


def test_launcher_script():
    import subprocess
    import sys
    launcher = os.path.join(os.path.dirname(__file__), "..", "..", "apcsim", "apcsim")
    assert os.access(launcher, os.X_OK)
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep
               + os.environ.get("PATH", ""))
    env.pop("PYTHONPATH", None)
    r = subprocess.run([launcher, "models", "--json"], env=env, capture_output=True, text=True,
                       timeout=20, check=False)
    assert r.returncode == 0, r.stderr
    assert len([x for x in json.loads(r.stdout) if x["dialect"] == "cli"]) == 5


@pytest.mark.parametrize("addr", ["10.1.2.3:0", "0.0.0.0:0", "[::]:0"])
def test_refuses_non_loopback(addr):
    r = run_cli("serve", "--model", "AP8941", "--tcp", addr)
    assert r.returncode == 2
    assert "loopback" in r.stderr


# --------------------------------------------------------------------------- login, banner

def test_silent_until_cr_then_login_banner_ap8941(start_sim, console):
    sim = start_sim("AP8941")
    c = console(sim.url)
    assert c.quiet(0.4) == b""                       # nothing before a CR
    c.send("\r")
    assert c.expect(r"User Name : $") == "\r\nUser Name : "
    c.send("apc\r")
    assert c.expect(r"Password  : $") == "apc\r\nPassword  : "
    c.send("apc\r")
    text = c.expect(PROMPT_RE)
    assert text.startswith("***\r\n\r\nSchneider Electric")  # no forced change on 6.8.0
    lines = text.split("\r\n")
    assert lines[2] == "Schneider Electric                      Network Management Card AOS" \
        "      v6.8.0"
    assert lines[3] == "(c) Copyright 2019 All Rights Reserved  RPDU 2g APP" \
        "                      v6.8.0"
    assert lines[4] == "-" * 79
    assert lines[5].startswith("Name      : apcA1B2C3") and lines[5][54:61] == "Date : "
    assert lines[7][54:] == "User : Super User"
    assert "HTTP " not in text                      # 6.8.0: no service block
    assert text.endswith("\r\n\r\nType ? for command listing\r\nUse tcpip command for IP "
                         "address(-i), subnet(-s), and gateway(-g)\r\n\r\napc>")


def test_failed_login_returns_to_user_name(start_sim, console):
    sim = start_sim("AP8941")
    c = console(sim.url)
    c.send("\r")
    c.expect("User Name : $")
    c.send("apc\r")
    c.expect("Password  : $")
    c.send("wrong\r")
    assert c.expect(r"User Name : $") == "*****\r\nUser Name : "


def test_forced_first_login_change_696(start_sim, console):
    sim = start_sim("AP7920B", transport="pty")
    c = console(sim.dev["pty"])
    c.send("\r")
    c.expect("User Name : $")
    c.send("apc\r")
    c.expect("Password  : $")
    c.send("apc\r")
    t = c.expect(r"Enter current password: $")
    assert t == ("***\r\n\r\nThe current password policy requires you to change your "
                 "password...\r\n\r\nEnter current password: ")
    c.send("apc\r")
    assert c.expect(r"Enter new password: $") == "***\r\n\r\nEnter new password: "
    c.send("Secret-1\r")
    c.expect(r"Confirm new password: $")
    c.send("Secret-2\r")                             # mismatch: asked again
    t = c.expect(r"Enter new password: $")
    assert "Passwords do not match." in t
    c.send("apc\r")
    c.expect(r"Confirm new password: $")
    c.send("apc\r")                                  # same as the old one: refused
    assert "must be different" in c.expect(r"Enter new password: $")
    c.send("Secret-1\r")
    c.expect(r"Confirm new password: $")
    c.send("Secret-1\r")
    text = c.expect(PROMPT_RE)
    assert text.startswith("********\r\n\r\nSchneider Electric")
    assert "RPDU 2g APP                      v6.9.6" in text
    assert "HTTP               : Disabled           HTTPS              : Enabled" in text
    assert c.exit() == "exit\r\nBye.\r\n"
    # second login: the new password, no forced change
    text = c.login("apc", "Secret-1")
    assert "Schneider Electric" in text and "current password" not in text
    assert c.cmd("whoami") == "\r\nE000: Success\r\napc\r\n"


def test_forced_change_override_off(start_sim, console):
    sim = start_sim("SUA1500-AP9631", no_first_login_change=True)
    c = console(sim.url)
    assert "Schneider Electric" in c.login()


# --------------------------------------------------------------------------- commands

def test_read_set_and_parse_errors(start_sim, console):
    sim = start_sim("AP8941")
    c = console(sim.url)
    c.login()
    assert c.cmd('system -l "Rack 12" -c ops@example.com') == "\r\nE000: Success\r\n"
    out = c.cmd("system")
    assert "\r\nLocation:       Rack 12\r\n" in out
    assert "\r\nContact:        ops@example.com\r\n" in out
    assert "\r\nName:           apcA1B2C3\r\n" in out
    assert c.cmd("SYSTEM -n apc") == "\r\nE000: Success\r\n"   # case-insensitive command
    assert c.cmd("system -N x").startswith("\r\nE102: Parameter Error\r\nUsage: system")
    assert c.cmd("frobnicate") == "\r\nE101: Command Not Found\r\n"
    assert c.cmd("web -ph 81").startswith("\r\nE102: Parameter Error")
    assert c.cmd("tcpip -i 300.1.1.1").startswith("\r\nE102: Parameter Error")
    assert c.cmd("console -b 4800").startswith("\r\nE102")
    assert c.cmd("date -f yyyy-mm-dd -d 2021-08-18 -t 22:19:45 -z +05:00") == \
        "\r\nE000: Success\r\n"
    out = c.cmd("date")
    assert out.startswith("\r\nE000: Success\r\nDate: 2021-08-18\r\nTime: 22:19:")
    assert out.endswith("Format: yyyy-mm-dd\r\nTime Zone: +05:00\r\n")
    assert c.cmd("lastrst") == "\r\n09 Coldstart Reset\r\nE000: Success\r\n"
    out = c.cmd("session")
    assert out.endswith("1\r\nE000: Success\r\n") and "Serial" in out
    assert c.cmd("prompt -s long") == "\r\nE000: Success\r\n"
    c.send("whoami\r")
    assert c.expect(r"Administrator@apc>$").endswith("apc\r\n\r\nAdministrator@apc>")
    # backspace editing and CRLF as one line end
    c.send("prompt -s shorx\x08t\r\n")
    c.expect(PROMPT_RE)
    assert c.quiet(0.3) == b""                       # the LF did not make a second prompt
    assert c.cmd("user -n operator -pw Op-pass1 -pe Device -e enable") == "\r\nE000: Success\r\n"
    assert "operator                Device                         Enabled" in c.cmd("user")
    assert c.cmd("user -n apc -pw newpw").startswith("\r\nE102")   # Super User needs -cp
    assert c.cmd("user -n apc -cp apc -pw newpw") == "\r\nE000: Success\r\n"


def test_e002_reminder_until_reboot(start_sim, console):
    sim = start_sim("SUA1500-AP9631", boot_seconds=0.5)
    c = console(sim.url)
    c.login(new_password="Pw-12345")
    assert c.cmd("console -t enable") == (
        "\r\nE002: Success\r\nReboot required for change to take effect.\r\n")
    out = c.cmd("whoami")
    assert out == "\r\nE000: Success\r\napc\r\n" + REMINDER
    out = c.cmd("console")
    assert "\r\nTelnet:      enabled\r\n" in out and out.endswith(REMINDER)
    assert sim.ctl("status")["status"]["reboot_pending"] is True
    c.send("reboot\r")
    t = c.expect(r"cancel : $")
    assert t == ("reboot\r\nE000: Success\r\nReboot Management Interface\r\n"
                 "Enter 'YES' to continue or <ENTER> to cancel : ")
    c.send("YES\r")
    c.expect(r"YES\r\nRebooting\.\.\.\r\n")
    c.send("\r")                                     # discarded while booting
    assert c.quiet(0.2) == b""
    deadline = time.monotonic() + 10
    while sim.ctl("status")["status"]["booting"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert c.quiet(0.2) == b""                       # silent until a CR
    text = c.login("apc", "Pw-12345")
    assert "FTP                : Disabled           Telnet             : Enabled" in text
    assert c.cmd("whoami") == "\r\nE000: Success\r\napc\r\n"   # reminder gone
    assert c.cmd("lastrst") == "\r\n04 Requested Reset\r\nE000: Success\r\n"


def test_manual_ip_becomes_active_after_reboot(start_sim, console):
    sim = start_sim("SUA1500-AP9631", boot_seconds=0.2, no_first_login_change=True)
    c = console(sim.url)
    c.login()
    assert c.cmd("tcpip -i 192.0.2.10 -s 255.255.255.0 -g 192.0.2.1").startswith(
        "\r\nE002: Success")
    assert c.cmd("boot -b manual").endswith(REMINDER)
    assert "Active IPv4 Address:          192.168.254.32" in c.cmd("tcpip")
    sim.ctl("reboot")
    deadline = time.monotonic() + 10
    while sim.ctl("status")["status"]["booting"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    c.login()
    out = c.cmd("tcpip")
    assert "  Active IPv4 Address:          192.0.2.10\r\n" in out
    assert "  Manual Settings:      enabled\r\n" in out
    assert "\r\nBoot Mode:      manual\r\n" in c.cmd("boot")


def test_outlets_ap8941(start_sim, console):
    sim = start_sim("AP8941", transport="pty")
    c = console(sim.dev["pty"])
    c.login()
    out = c.cmd("olStatus all")
    lines = out.strip("\r\n").split("\r\n")
    assert lines[0] == "E000: Success" and len(lines) == 25
    assert lines[1] == " 1: Outlet 1: On" and lines[24] == "24: Outlet 24: On"
    assert c.cmd("olOff 3,5-7") == "\r\nE000: Success\r\n"
    out = c.cmd("olStatus 1-8")
    assert " 3: Outlet 3: Off\r\n" in out and " 4: Outlet 4: On\r\n" in out
    assert " 7: Outlet 7: Off\r\n" in out
    assert c.cmd('olName 3 "Web Server"') == "\r\nE000: Success\r\n"
    assert c.cmd('olStatus "Web Server"') == "\r\nE000: Success\r\n 3: Web Server: Off\r\n"
    assert c.cmd("olName 3") == "\r\nE000: Success\r\n 3: Web Server\r\n"
    assert c.cmd("olOn 3") == "\r\nE000: Success\r\n"
    assert c.cmd("olStatus 25").startswith("\r\nE102: Parameter Error")
    assert c.cmd('olName 4 "this name is far too long for it"').startswith("\r\nE102")
    assert c.cmd("olOnDelay 2 10") == "\r\nE000: Success\r\n"
    assert c.cmd("olOnDelay 1-2") == ("\r\nE000: Success\r\n 1: Outlet 1: 0 sec\r\n"
                                      " 2: Outlet 2: 10 sec\r\n")
    assert c.cmd("olOffDelay 1 -1") == "\r\nE000: Success\r\n"
    assert " 1: Outlet 1: never\r\n" in c.cmd("olOffDelay 1")
    assert " 1: Outlet 1: 5 sec\r\n" in c.cmd("olRbootTime all")
    assert c.cmd("olReboot 1") == "\r\nE000: Success\r\n"
    assert " 1: Outlet 1: Off*\r\n" in c.cmd("olStatus 1")      # pending: back on later
    assert c.cmd("olCancelCmd 1") == "\r\nE000: Success\r\n"
    assert c.cmd("olStatus 1") == "\r\nE000: Success\r\n 1: Outlet 1: Off\r\n"
    out = c.cmd("prodInfo")
    assert "Model: AP8941\r\nPresent Outlets: 24\r\nMax Current: 32 A\r\nPresent Phases: 1" in out
    assert c.cmd("phReading all voltage") == "\r\nE000: Success\r\n1: 230 V\r\n"
    state = sim.ctl("state")["state"]
    assert state["outlets"][2]["name"] == "Web Server"
    assert state["outlets"][4]["state"] == "off"


def test_ups_power_fail(start_sim, console):
    sim = start_sim("SUA1500-AP9631", no_first_login_change=True)
    c = console(sim.url)
    c.login()
    assert c.cmd("upsabout") == ("\r\nE000: Success\r\nModel: Smart-UPS 1500\r\nSerial Number: "
                                 "AS0508120261\r\nFirmware Revision: 601.3.I\r\nManufacture "
                                 "Date: 02/14/05\r\n")
    assert c.cmd("ups -st") == "\r\nE000: Success\r\nState: On Line, No Alarms Present\r\n"
    assert sim.ctl("power-fail")["ok"]
    assert "State: On Battery" in c.cmd("ups -st")
    out = c.cmd("detstatus -ss")
    assert "Status of UPS: On Battery" in out
    assert "Input Voltage: 0.0 VAC" in c.cmd("detstatus -im")
    assert sim.ctl("power-restore")["ok"]
    assert "State: On Line" in c.cmd("ups -st")
    assert c.cmd("detstatus").startswith("\r\nE102")


# --------------------------------------------------------------------------- timing behaviour

def test_idle_logout_prompt_style(start_sim, console):
    sim = start_sim("AP8941", idle_timeout=0.5)
    c = console(sim.url)
    c.login()
    t0 = time.monotonic()
    assert c.expect(r"User Name : $", timeout=5) == "\r\nUser Name : "
    assert time.monotonic() - t0 >= 0.3
    assert sim.ctl("status")["status"]["logged_in"] is False
    c.send("apc\r")                                  # straight on with the user name
    c.expect("Password  : $")
    c.send("apc\r")
    c.expect(PROMPT_RE)


def test_idle_logout_silent_style_and_ctl_logout(start_sim, console):
    sim = start_sim("AP8941", idle_timeout=0.4, idle_logout_style="silent")
    c = console(sim.url)
    c.login()
    deadline = time.monotonic() + 5
    while sim.ctl("status")["status"]["logged_in"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert c.quiet(0.2) == b""
    c.login()
    # forced logout from the control socket
    sim2 = start_sim("AP8941")
    c2 = console(sim2.url)
    c2.login()
    assert sim2.ctl("logout")["was_logged_in"] is True
    assert c2.expect(r"User Name : $") == "\r\nUser Name : "


def test_lockout_non_super_user(start_sim, console):
    sim = start_sim("AP8941", bad_login_attempts=2)
    c = console(sim.url)
    c.login()
    assert c.cmd("user -n device -pw devpw -e enable") == "\r\nE000: Success\r\n"
    assert "Bad Login Attempts: 2" in c.cmd("userdflt")
    c.exit()
    c.login("device", "devpw")
    c.exit()

    def attempt(user, pw):
        """At a ``User Name : `` prompt: try one login; True when it reached apc>."""
        c.send(user + "\r")
        c.expect("Password  : $")
        c.send(pw + "\r")
        return c.expect(r"(User Name : |apc>)$").endswith("apc>")

    c.send("\r")
    c.expect("User Name : $")
    assert not attempt("device", "bad1")
    assert not attempt("device", "bad2")
    assert not attempt("device", "devpw")            # locked: correct password refused
    users = {u["name"]: u for u in sim.ctl("state")["state"]["users"]}
    assert users["device"]["locked"] is True
    for _attempt in range(4):                               # the Super User is never locked
        assert not attempt("apc", "nope")
    assert attempt("apc", "apc")
    assert c.cmd("user -n device -e enable") == "\r\nE000: Success\r\n"   # re-enable unlocks
    c.exit()
    c.send("\r")
    c.expect("User Name : $")
    assert attempt("device", "devpw")


def test_lockout_expires(start_sim, console):
    sim = start_sim("AP8941", bad_login_attempts=1, lockout_seconds=0.5)
    c = console(sim.url)
    c.login()
    c.cmd("user -n device -pw devpw -e enable")
    c.exit()
    c.send("\r")
    c.expect("User Name : $")
    c.send("device\r")
    c.expect("Password  : $")
    c.send("bad\r")
    c.expect("User Name : $")
    until = {u["name"]: u for u in sim.ctl("state")["state"]["users"]}["device"]["locked_until"]
    assert until is not None
    while time.time() < until:
        time.sleep(0.05)
    c.send("device\r")
    c.expect("Password  : $")
    c.send("devpw\r")
    c.expect(PROMPT_RE)


# --------------------------------------------------------------------------- persistence

def test_state_persists_across_restart(start_sim, console, short_tmp):
    state = os.path.join(short_tmp, "pdu.json")
    sim = start_sim("AP7920B", state=state)
    c = console(sim.url)
    c.login(new_password="Rotated-1")
    assert c.cmd('system -n "pdu-a12"') == "\r\nE000: Success\r\n"
    assert c.cmd("olOff 2") == "\r\nE000: Success\r\n"
    c.close()
    sim.stop()
    data = json.load(open(state))
    assert data["system"]["name"] == "pdu-a12"
    sim2 = start_sim("AP7920B", state=state)
    c2 = console(sim2.url)
    text = c2.login("apc", "Rotated-1")               # no forced change any more
    assert "Name      : pdu-a12" in text
    assert " 2: Outlet 2: Off" in c2.cmd("olStatus 2")


def test_transcript_in_and_out(start_sim, console, short_tmp):
    path = os.path.join(short_tmp, "t.jsonl")
    sim = start_sim("AP8941", transcript=path)
    c = console(sim.url)
    c.login("apc", "apc")
    c.cmd("whoami")
    c.cmd("olOff 4")
    recs = read_transcript(path)
    assert {r["dir"] for r in recs} == {"in", "out"}
    assert all(isinstance(r["t"], float) for r in recs)
    assert recs[0]["dir"] == "in"                   # the device spoke only after input
    lines = received_lines(path)
    assert lines == ["", "apc", "apc", "whoami", "olOff 4"]
    out = sent_bytes(path)
    assert b"User Name : apc\r\nPassword  : ***\r\n" in out
    assert b"olOff 4\r\nE000: Success\r\n" in out
    assert b"olOn" not in b"".join(x.encode() for x in lines)


# --------------------------------------------------------------------------- control socket

def test_ctl_reboot_and_state(start_sim, console):
    # long enough a boot that two `apcsim ctl` processes start within it on a loaded machine
    sim = start_sim("AP8941", boot_seconds=2.5)
    c = console(sim.url)
    c.login()
    r = run_cli("ctl", sim.dev["control"], "reboot")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True
    r = run_cli("ctl", sim.dev["control"], "status")
    st = json.loads(r.stdout)
    assert st["logged_in"] is False
    c.send("whoami\r")                               # the session is gone
    assert c.quiet(0.2) == b""
    deadline = time.monotonic() + 10
    while sim.ctl("status")["status"]["booting"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert c.quiet(0.1) == b""
    c.login()
    r = run_cli("ctl", sim.dev["control"], "state")
    state = json.loads(r.stdout)
    assert state["lastrst"] == "09 Coldstart Reset"
    assert [u["name"] for u in state["users"]] == ["apc", "device", "readonly"]
    assert state["runtime"]["logged_in"] is True
    r = run_cli("ctl", sim.dev["control"], "no-such-action")
    assert r.returncode == 1


def test_press_reset_window(start_sim, console):
    sim = start_sim("SUA1500-AP9631", reset_window_seconds=1.0)
    c = console(sim.url)
    c.login(new_password="Forgotten-9")
    c.exit()
    r = sim.ctl("press-reset")
    assert r["ok"] and r["reset_window_until"] > time.time()
    until = r["reset_window_until"]
    text = c.login("apc", "apc")                     # inside the window: apc/apc works
    assert "User : Super User" in text
    assert c.cmd("user -n apc -cp apc -pw Recovered-1") == "\r\nE000: Success\r\n"
    c.exit()
    while time.time() < until:
        time.sleep(0.05)
    c.send("\r")
    c.expect("User Name : $")
    c.send("apc\r")
    c.expect("Password  : $")
    c.send("apc\r")
    c.expect(r"\*\*\*\r\nUser Name : $")            # window over: refused
    c.send("apc\r")
    c.expect("Password  : $")
    c.send("Recovered-1\r")
    c.expect(PROMPT_RE)


def test_press_reset_refused_on_nmc3(start_sim):
    sim = start_sim("SMT1500-AP9641")
    r = run_cli("ctl", sim.dev["control"], "press-reset")
    assert r.returncode == 1
    reply = json.loads(r.stdout)
    assert reply["ok"] is False and "NMC3" in reply["error"]


# --------------------------------------------------------------------------- transports

def test_second_tcp_client_refused_and_login_kept(start_sim, console):
    sim = start_sim("AP8941")
    c = console(sim.url)
    c.login()
    host, port = sim.dev["host"], sim.dev["port"]
    s2 = None
    try:
        try:
            s2 = socket.create_connection((host, port), timeout=5)
            data = s2.recv(100)
            s2.sendall(b"\r")
            data += s2.recv(100)
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        assert data == b""                           # closed at once, nothing sent
    finally:
        if s2 is not None:
            s2.close()
    assert c.cmd("whoami") == "\r\nE000: Success\r\napc\r\n"
    c.close()                                        # the cable is pulled...
    deadline = time.monotonic() + 5
    while sim.ctl("status")["status"]["client_connected"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    c3 = console(sim.url)                            # ...and the next client lands at apc>
    c3.send("\r")
    assert c3.expect(PROMPT_RE) == "\r\napc>"


def test_fault_disconnect(start_sim, console):
    sim = start_sim("AP8941")
    c = console(sim.url)
    c.send("\r")
    c.expect("User Name : $")
    assert sim.ctl("fault", "disconnect")["disconnected"] is True
    with pytest.raises(serial.SerialException):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            c.ser.read(1)


def test_rfc2217_transport_and_line_speed(start_sim, console):
    sim = start_sim("AP7920B", transport="rfc2217", no_first_login_change=True)
    assert sim.url.startswith("rfc2217://127.0.0.1:")
    c = console(sim.url, baudrate=9600)
    assert c.quiet(0.3) == b""
    c.login()
    assert c.cmd("whoami") == "\r\nE000: Success\r\napc\r\n"
    out = c.cmd("olStatus all")
    assert out.count("\r\n") == 10 and " 8: Outlet 8: On" in out
    assert sim.ctl("status")["status"]["client_baud"] == 9600
    # the console's speed changes after the reply; the client follows over RFC 2217
    c.send("console -b 19200\r")
    c.expect(r"console -b 19200\r\nE000: Success\r\n")   # the reply still at 9600
    c.ser.baudrate = 19200
    c.quiet(0.2)                                      # the prompt came at 19200: noise
    c.send("\r")
    c.expect(PROMPT_RE)
    st = sim.ctl("status")["status"]
    assert st["line_baud"] == 19200 and st["client_baud"] == 19200
    assert c.cmd("whoami") == "\r\nE000: Success\r\napc\r\n"
    # a client at the wrong speed sees (and sends) garbage
    c.ser.baudrate = 9600
    assert sim.ctl("status")["status"]["baud_mismatch"] is True
    c.send("whoami\r")
    assert b"E000" not in c.quiet(0.4)


def test_pty_exclusive_and_cleanup(start_sim, console):
    sim = start_sim("AP8941", transport="pty")
    link = sim.dev["pty"]
    assert os.path.islink(link)
    c = console(link, exclusive=True)
    with pytest.raises(serial.SerialException):
        serial.serial_for_url(link, exclusive=True)
    c.login()
    assert c.cmd("whoami") == "\r\nE000: Success\r\napc\r\n"
    c.close()
    c2 = console(link, exclusive=True)               # reopen: still logged in
    c2.send("\r")
    assert c2.expect(PROMPT_RE).endswith("apc>")
    sim.stop()
    assert not os.path.exists(link) and not os.path.islink(link)
    assert not os.path.exists(sim.dev["control"])


def test_rack_yaml(short_tmp, console):
    cfg = {"devices": [
        {"name": "pdu1", "model": "AP8941", "tcp": "127.0.0.1:0",
         "control": os.path.join(short_tmp, "p1.sock")},
        {"name": "ups1", "model": "SUA1500-AP9631", "pty": os.path.join(short_tmp, "ups1"),
         "control": os.path.join(short_tmp, "u1.sock"), "first_login_change": False},
    ]}
    path = os.path.join(short_tmp, "rack.yml")
    with open(path, "w") as fh:
        yaml.safe_dump(cfg, fh)
    ready = os.path.join(short_tmp, "ready.json")
    sim = SimProcess(["rack", path, "--ready-file", ready])
    try:
        names = [d["name"] for d in sim.devices]
        assert names == ["pdu1", "ups1"]
        assert json.load(open(ready))["devices"][0]["port"] == sim.devices[0]["port"]
        c1 = console(sim.devices[0]["url"])
        c1.login()
        assert "apcA1B2C3" in c1.cmd("system")
        c2 = console(sim.devices[1]["url"])
        c2.login()
        assert "Smart-UPS 1500" in c2.cmd("upsabout")
        assert sim.ctl("power-fail", name="ups1")["ok"]
        assert "On Battery" in c2.cmd("ups -st")
    finally:
        sim.stop()
    assert not os.path.exists(ready)


def test_pace_is_line_speed(start_sim, console):
    sim = start_sim("AP8941", pace=True, baud=38400, no_first_login_change=True)
    c = console(sim.url)
    c.login()
    t0 = time.monotonic()
    out = c.cmd("olStatus all")
    elapsed = time.monotonic() - t0
    nbytes = len(out) + len("olStatus all") * 2 + 6
    assert elapsed >= nbytes * 10 / 38400 * 0.8


def test_device_commands_e101_right_after_boot(start_sim, console):
    sim = start_sim("AP8941", boot_seconds=0.1, device_ready_delay=0.6)
    c = console(sim.url)
    c.login()
    assert c.cmd("olStatus 1") == "\r\nE101: Command Not Found\r\n"
    assert c.cmd("whoami") == "\r\nE000: Success\r\napc\r\n"     # system commands work
    deadline = time.monotonic() + 5
    while c.cmd("olStatus 1").startswith("\r\nE101"):
        assert time.monotonic() < deadline
    assert c.cmd("olStatus 1") == "\r\nE000: Success\r\n 1: Outlet 1: On\r\n"


def test_reset_to_defaults_at_next_reboot(start_sim, console):
    sim = start_sim("AP7920B", boot_seconds=0.2)
    c = console(sim.url)
    c.login(new_password="Changed-1")
    c.cmd('system -n rack7-pdu')
    c.cmd("tcpip -i 192.0.2.7 -s 255.255.255.0 -g 192.0.2.1")
    c.send("resetToDef -p keepip\r")
    c.expect(r"cancel : $")
    c.send("YES\r")
    out = c.expect(PROMPT_RE)
    assert "YES\r\nPlease wait...\r\nE002: Success\r\n" in out
    assert sim.ctl("state")["state"]["system"]["name"] == "rack7-pdu"   # not yet
    sim.ctl("reboot")
    deadline = time.monotonic() + 10
    while sim.ctl("status")["status"]["booting"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    state = sim.ctl("state")["state"]
    assert state["system"]["name"] == "apc123456"
    assert state["tcpip"]["ip"] == "192.0.2.7"                       # keepip
    c.login("apc", "apc", new_password="Again-1")                    # factory login again


def test_fault_slow_delays_replies(start_sim, console):
    sim = start_sim("AP8941")
    c = console(sim.url)
    c.login()
    assert sim.ctl("fault", "slow", "0.3")["fault"]["slow"] == 0.3
    t0 = time.monotonic()
    c.cmd("whoami")
    assert time.monotonic() - t0 >= 0.3
    assert sim.ctl("fault", "clear")["ok"]
    assert sim.ctl("fault", "bogus")["ok"] is False
