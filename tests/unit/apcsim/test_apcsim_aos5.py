"""Tests of the AOS 5.x command line (profile SUA1500-AP9630-AOS5, dialect_cli5)."""

import json
import time

from simhelpers import run_cli

MODEL = "SUA1500-AP9630-AOS5"
PROMPT_RE = r"\r\n[A-Za-z-]*@?apc>$"
E002 = "\r\nE002: Success\r\nReboot required for change to take effect.\r\n"
REMINDER = "\r\n\r\n* Reboot required for change to take effect."
OK = "\r\nE000: Success\r\n"


def is_e102(out, command):
    return out.startswith("\r\nE102: Parameter Error\r\nUsage: %s --  Configuration Options"
                          % command)


def try_login(c, user, password, shown=False):
    """-> the text up to the prompt, or None when refused (``User Name :`` is then showing,
    pass ``shown=True`` to the next call)."""
    if not shown:
        c.send("\r")
        c.expect(r"User Name : $")
    c.send(user + "\r")
    c.expect(r"Password  : $")
    c.send(password + "\r")
    text = c.expect(r"(?:\r\nUser Name : |\r\n[A-Za-z-]*@?apc>)$")
    return None if text.endswith("User Name : ") else text


def wait_booted(sim, seconds=5.0):
    deadline = time.monotonic() + seconds
    while sim.ctl("status")["status"]["booting"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_models_lists_aos5_profile():
    r = run_cli("models")
    assert r.returncode == 0, r.stderr
    assert MODEL in [line.split()[0] for line in r.stdout.splitlines()]
    rows = {x["name"]: x for x in json.loads(run_cli("models", "--json").stdout)}
    assert rows[MODEL]["firmware"] == "v5.1.7"
    assert rows[MODEL]["dialect"] == "cli" and rows[MODEL]["kind"] == "ups"


def test_banner_and_command_set(start_sim, console):
    sim = start_sim(MODEL)
    c = console(sim.url)
    text = c.login()                                 # apc/apc, no forced change on 5.x
    assert text.startswith("***\r\n\r\nAmerican Power Conversion")
    lines = text.split("\r\n")
    assert lines[2] == ("American Power Conversion               Network Management Card AOS"
                        "      v5.1.7")
    assert lines[3] == ("(c) Copyright 2011 All Rights Reserved  Smart-UPS & Matrix-UPS APP"
                        "       v5.1.7")
    assert lines[4] == "-" * 79 and lines[9] == "-" * 79
    assert lines[5].startswith("Name      : apc9943CD")
    assert lines[7][54:] == "User : Administrator"
    assert "HTTP " not in text and "Super User" not in text     # no service/user blocks
    assert text.endswith("-" * 79 + "\r\n\r\n\r\nType ? for command listing\r\nUse tcpip "
                         "command for IP address(-i), subnet(-s), and gateway(-g)\r\n\r\napc>")
    assert sim.ctl("status")["status"]["dialect"] == "cli"

    out = c.cmd("?")
    assert out.startswith("\r\n\r\nNetwork Management Card Commands:\r\n" + "-" * 75
                          + "\r\nFor command help: command ?\r\n\r\n?           about       ")
    assert "xferStatus" in out and "whoami" not in out and "userdflt" not in out
    assert out.endswith("Device Commands:\r\n" + "-" * 75 + "\r\nups         detstatus   "
                        "cfgshutdn   cfgpower    \r\n")
    for cmd in ("whoami", "userdflt", "bye", "upsabout", "session", "lastrst", "lang",
                "cipher", "ledblink 1", "? whoami"):
        assert c.cmd(cmd) == "\r\nE101: Command Not Found\r\n", cmd
    assert c.cmd("ups -st") == "\r\nE000: Success\r\nState: On Line, No Alarms Present\r\n"
    assert c.cmd("alarmcount -p critical") == "\r\nE000: Success\r\nCriticalAlarmCount: 0\r\n"
    assert is_e102(c.cmd("alarmcount -p informational"), "alarmcount")
    assert "Model Number:           AP9630\r\n" in c.cmd("about")
    assert c.cmd("tcpip") == ("\r\nE000: Success\r\nIPv4 Address:\t0.0.0.0\r\nSubnet Mask:\t"
                              "0.0.0.0\r\nGateway:\t0.0.0.0\r\nMAC Address:\t00 C0 B7 99 43 CD"
                              "\r\nDomain Name:\t\r\nHost Name:\tapc9943CD\r\n")
    assert c.exit() == "exit\r\nBye.\r\n"


def test_web_and_console_forms(start_sim, console):
    sim = start_sim(MODEL)
    c = console(sim.url)
    c.login()
    assert c.cmd("web") == ("\r\nE000: Success\r\nService:        http\r\n"
                            "Http Port:      80\r\nHttps Port:     443\r\n")
    assert c.cmd("console") == ("\r\nE000: Success\r\nService:     disabled\r\nTelnet Port: 23"
                                "\r\nSSH Port:    22\r\nBaud Rate:   9600\r\n")
    # 6.x options are parameter errors, with the 5.x usage text
    out = c.cmd("web -h enable")
    assert is_e102(out, "web") and "[-S <disable | http | https>]" in out
    out = c.cmd("console -t enable")
    assert is_e102(out, "console") and "[-S <telnet | ssh | disable>]" in out
    assert is_e102(c.cmd("web -S both"), "web")
    assert is_e102(c.cmd("web -S enable"), "web")
    assert is_e102(c.cmd("web -ph 81"), "web")
    assert is_e102(c.cmd("console -S enable"), "console")
    assert is_e102(c.cmd("console -pt 2323"), "console")
    assert c.cmd("web ?").startswith("\r\nUsage: web --  Configuration Options\r\n"
                                     "    web [-S <disable | http | https>]\r\n")
    assert c.cmd("console -b 9600") == OK            # baud alone: E000, no reboot
    assert sim.ctl("status")["status"]["reboot_pending"] is False
    # sets: E002, then the reminder on every later command
    assert c.cmd("web -S https -ps 5443") == E002
    assert c.cmd("web") == ("\r\nE000: Success\r\nService:        https\r\n"
                            "Http Port:      80\r\nHttps Port:     5443\r\n" + REMINDER)
    assert c.cmd("console -S ssh -ps 22") == E002 + REMINDER
    assert c.cmd("console").startswith("\r\nE000: Success\r\nService:     ssh\r\n")
    assert c.cmd("console -S telnet -pt 5023") == E002 + REMINDER
    assert "\r\nService:     telnet\r\nTelnet Port: 5023\r\n" in c.cmd("console")
    assert c.cmd("web -S disable") == E002 + REMINDER
    assert "\r\nService:        disabled\r\n" in c.cmd("web")
    web = sim.ctl("state")["state"]["web"]
    assert web["http"] is False and web["https"] is False and web["https_port"] == 5443


def test_user_fixed_accounts(start_sim, console):
    sim = start_sim(MODEL, boot_seconds=0.2, reset_window_seconds=30)
    c = console(sim.url)
    c.login()
    assert c.cmd("user") == ("\r\nE000: Success\r\nAdministrator:          apc\r\n"
                             "Device Manager:         device\r\n"
                             "Read Only User:         readonly\r\n"
                             "Session Timeout:        3 minutes\r\n")
    # 6.x options: E102 with the 5.x usage
    for cmd in ("user -n apc", "user -n apc -pw x", "user -del device", "user -l",
                "user -n ops -pe Administrator"):
        out = c.cmd(cmd)
        assert is_e102(out, "user") and "[-an <administrator name>]" in out, cmd
    # limits: names 1-10, passwords 1-32, session timeout 1-10
    assert is_e102(c.cmd("user -an elevenchars"), "user")
    assert is_e102(c.cmd("user -ap " + "p" * 33), "user")
    assert is_e102(c.cmd("user -dn device -rn Device"), "user")      # names must differ
    assert is_e102(c.cmd("user -t 11"), "user")
    assert is_e102(c.cmd("user -t 0"), "user")
    assert c.cmd("user -dn tenchars10 -dp " + "d" * 32) == OK
    assert c.cmd("user -t 10") == OK
    out = c.cmd("user")
    assert "\r\nDevice Manager:         tenchars10\r\n" in out
    assert out.endswith("\r\nSession Timeout:        10 minutes\r\n")
    # rename the Administrator and change its password, then log in with them
    assert c.cmd('user -an admin5 -ap "New Pass-1"') == OK
    assert c.cmd("user").startswith("\r\nE000: Success\r\nAdministrator:          admin5\r\n")
    c.exit()
    assert try_login(c, "apc", "apc") is None
    assert try_login(c, "admin5", "apc", shown=True) is None
    text = try_login(c, "admin5", "New Pass-1", shown=True)
    assert "User : Administrator" in text
    c.exit()
    # the Device Manager and Read Only accounts log in with their restricted rights
    text = c.login("tenchars10", "d" * 32)
    assert text.split("\r\n")[7][54:] == "User : Device Manager"
    assert c.cmd("ups -st").startswith("\r\nE000: Success\r\nState: ")
    assert c.cmd("user") == "\r\nE104: User Level Denial\r\n"
    c.exit()
    text = c.login("readonly", "apc")
    assert text.split("\r\n")[7][54:] == "User : Read Only"
    assert "\r\nService:        http\r\n" in c.cmd("web")
    assert c.cmd("web -S https") == "\r\nE104: User Level Denial\r\n"
    assert c.cmd("ups -st") == "\r\nE104: User Level Denial\r\n"
    c.exit()
    # the reset-button window: apc/apc is the Administrator even after the rename
    assert sim.ctl("press-reset")["ok"]
    text = c.login("apc", "apc")
    assert "User : Administrator" in text
    assert c.cmd("user -ap Recovered-1") == OK
    # resetToDef brings the factory accounts back (all three enabled) after a reboot
    c.send("resetToDef -p all\r")
    c.expect(r"cancel : $")
    c.send("YES\r")
    assert c.expect(PROMPT_RE).startswith("YES\r\nPlease wait...\r\n" + E002[2:])
    c.send("reboot\r")
    c.expect(r"cancel : $")
    c.send("YES\r")
    c.expect(r"Rebooting\.\.\.\r\n")
    wait_booted(sim)
    c.login("device", "apc")
    c.exit()
    c.login("apc", "apc")
    assert c.cmd("user").startswith("\r\nE000: Success\r\nAdministrator:          apc\r\n"
                                    "Device Manager:         device\r\n")
    users = {u["name"]: u for u in sim.ctl("state")["state"]["users"]}
    assert users["readonly"]["enabled"] is True


def test_firmware_override_selects_aos5(start_sim, console):
    sim = start_sim("SUA1500-AP9631", firmware="v5.1.6")
    c = console(sim.url)
    text = c.login()                                 # no forced change below 6.9.6
    assert text.startswith("***\r\n\r\nAmerican Power Conversion               Network "
                           "Management Card AOS      v5.1.6\r\n")
    assert c.cmd("whoami") == "\r\nE101: Command Not Found\r\n"
    assert c.cmd("web") == ("\r\nE000: Success\r\nService:        https\r\n"
                            "Http Port:      80\r\nHttps Port:     443\r\n")
    assert c.cmd("console").startswith("\r\nE000: Success\r\nService:     ssh\r\n")
    assert "\r\nRead Only User:         readonly\r\n" in c.cmd("user")
