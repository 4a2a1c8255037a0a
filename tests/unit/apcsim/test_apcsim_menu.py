"""Tests of the menu dialect ("Control Console" of AP79xx Rack PDUs and NMC1 cards) with
pyserial clients. Items are chosen by their label, as the collection's navigator will."""

import json
import re
import time

import pytest

from simhelpers import Console, SimProcess, run_cli

from apcsim.dialect_menu import SSH_LIMIT, SSL_LIMIT

PROMPT = r"\r\n> $"
MAIN_MENU = (
    "------- Control Console " + "-" * 55 + "\r\n"
    "\r\n"
    "     1- Device Manager\r\n"
    "     2- Network\r\n"
    "     3- System\r\n"
    "     4- Logout\r\n"
    "\r\n"
    "     <ESC>- Main Menu, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n"
    "> ")


class Menu(Console):
    """Menu-console client: screens end with the ``> `` prompt."""

    screen = ""

    def signin(self, user="apc", password="apc", crs=1):
        self.send("\r" * crs)
        self.expect(r"User Name : $")
        self.send(user + "\r")
        self.expect(r"Password  : $")
        self.send(password + "\r")
        self.screen = self.expect(PROMPT)
        return self.screen

    def key(self, data):
        self.send(data)
        self.screen = self.expect(PROMPT)
        return self.screen

    def number(self, label, screen=None):
        m = re.search(r"^ *(\d+)- %s" % re.escape(label), screen or self.screen, re.M)
        assert m, "no item %r on screen:\n%s" % (label, screen or self.screen)
        return m.group(1)

    def pick(self, *labels):
        for label in labels:
            self.key(self.number(label) + "\r")
        return self.screen

    def title(self):
        return re.findall(r"------- (.+?) -+\r\n", self.screen)[-1]

    def enter_value(self, label, prompt, value):
        self.send(self.number(label) + "\r")
        self.expect(re.escape(prompt) + "$")
        return self.key(value + "\r")


@pytest.fixture
def menu(start_sim):
    """menu(model, **options) -> (sim, logged-out Menu client over TCP)."""
    opened = []

    def make(model, transport="tcp", baudrate=9600, **opts):
        sim = start_sim(model, transport=transport, **opts)
        c = Menu(sim.url, baudrate=baudrate) if transport == "pty" else Menu(sim.url)
        opened.append(c)
        return sim, c

    yield make
    for c in opened:
        c.close()


def state_of(sim):
    r = sim.ctl("state")
    assert r["ok"]
    return r["state"]


def test_models_lists_menu_profiles():
    rows = {x["name"]: x for x in json.loads(run_cli("models", "--json").stdout)}
    for name in ("AP7920", "AP7921", "AP7900", "AP7920-B2", "SU1400-AP9617"):
        assert rows[name]["dialect"] == "menu"
    assert rows["AP7920"]["firmware"] == "v3.7.3" and rows["AP7920"]["outlets"] == 8
    assert rows["AP7920-B2"]["firmware"].startswith("v2.6")
    assert rows["SU1400-AP9617"]["kind"] == "ups"


def test_login_banner_and_main_menu(menu):
    _sim, c = menu("AP7920")
    assert c.quiet(0.2) == b""                       # silent until a CR
    c.send("\r")
    c.expect(r"\r\nUser Name : $")
    c.send("apc\r")
    assert c.expect(r"Password  : $") == "apc\r\nPassword  : "
    c.send("wrong\r")
    assert c.expect(r"User Name : $") == "*****\r\nUser Name : "     # silently again
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")
    text = c.expect(PROMPT)
    lines = text.split("\r\n")
    assert lines[:2] == ["***", ""]
    assert lines[2] == "%-40s%-33s%s" % ("American Power Conversion",
                                         "Network Management Card AOS", "v3.7.3")
    assert lines[3] == "%-40s%-33s%s" % ("(c) Copyright 2009 All Rights Reserved",
                                         "Rack PDU APP", "v3.7.3")
    assert lines[4] == "-" * 79
    assert lines[5].startswith("Name      : apc5A7920") and "Date : " in lines[5]
    assert lines[6].startswith("Contact   : Unknown") and "Time : " in lines[6]
    assert lines[7].startswith("Location  : Unknown") and lines[7].endswith("User : Administrator")
    assert lines[8].startswith("Up Time   : 0 Days 0 Hours") and lines[8].endswith("Stat : P+ N+ A+")
    assert lines[8].index("Stat") == 54
    assert lines[10] == "Switched Rack PDU: Communication Established"
    assert text.endswith("Switched Rack PDU: Communication Established\r\n\r\n" + MAIN_MENU)
    assert len(MAIN_MENU.split("\r\n", maxsplit=1)[0]) == 79


def test_navigation_numbers_esc_ctrl_c(menu):
    _sim, c = menu("AP7920")
    c.signin()
    c.pick("Device Manager")
    assert c.title() == "Device Manager"
    assert "     <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> " in c.screen
    assert [c.number(x) for x in ("Phase Management", "Outlet Management",
                                  "Power Supply Status")] == ["1", "2", "3"]
    c.pick("Outlet Management", "Outlet Control/Configuration")
    assert "     1- Outlet 1                 ON\r\n" in c.screen
    assert "     9- Master Control/Configuration\r\n" in c.screen
    c.key("\r")                                          # refresh
    assert c.title() == "Outlet Control/Configuration"
    c.key("42\r")                                        # no such item: same screen
    assert c.title() == "Outlet Control/Configuration"
    c.key("\x1b")                                        # ESC: one level up
    assert c.title() == "Outlet Management"
    c.pick("Outlet Control/Configuration", "Outlet 4")
    assert "     ?- Help, <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> " in c.screen
    assert "     Outlet       : 4\r\n" in c.screen
    c.key("\x03")                                        # Ctrl-C: main menu
    assert c.screen.endswith(MAIN_MENU)
    c.key("\x1b")                                        # ESC on the main menu: itself
    assert c.screen.endswith(MAIN_MENU)
    c.send(c.number("Logout") + "\r")
    assert c.expect(r"Bye\r\n$").endswith("\r\n\r\nConnection Closed - Bye\r\n")
    assert c.quiet(0.2) == b""                           # serial: waits for a CR
    c.signin()


def test_event_log_and_help(menu):
    _sim, c = menu("AP7921")
    c.signin()
    c.send("\x0c")
    out = c.expect(r"Press <ENTER> to continue\.\.\.$")
    assert "------- Event Log" in out and "logged in" in out
    c.key("\r")
    assert c.screen.endswith(MAIN_MENU)
    c.pick("Device Manager", "Outlet Management", "Outlet Control/Configuration", "Outlet 1")
    c.send("?\r")
    assert "Control Outlet" in c.expect(r"Press <ENTER> to continue\.\.\.$")
    c.key("\r")
    assert c.title() == "Outlet 1"


def test_outlet_control_and_configure_persisted(menu, short_tmp):
    state = short_tmp + "/pdu.json"
    sim, c = menu("AP7920", state=state)
    c.signin()
    c.pick("Device Manager", "Outlet Management", "Outlet Control/Configuration", "Outlet 3",
           "Control Outlet")
    assert c.title() == "Control Outlet"
    labels = ["Immediate On", "Immediate Off", "Immediate Reboot", "Delayed On", "Delayed Off",
              "Delayed Reboot", "Cancel"]
    assert [c.number(x) for x in labels] == [str(n) for n in range(1, 8)]
    # ENTER at the confirmation cancels
    c.send(c.number("Immediate Off") + "\r")
    out = c.expect(r"Enter 'YES' to continue or <ENTER> to cancel : $")
    assert "This command will immediately remove power from outlet 3 named 'Outlet 3'." in out
    c.key("\r")
    assert state_of(sim)["outlets"][2]["state"] == "on"
    # YES (any case) issues it
    c.send(c.number("Immediate Off") + "\r")
    c.expect(r"cancel : $")
    c.send("yes\r")
    out = c.expect(r"Press <ENTER> to continue\.\.\.$")
    assert out == "yes\r\n\r\nCommand successfully issued.\r\n\r\nPress <ENTER> to continue..."
    c.key("\r")
    assert c.title() == "Control Outlet" and "     State        : OFF\r\n" in c.screen
    assert state_of(sim)["outlets"][2]["state"] == "off"
    c.send(c.number("Immediate Reboot") + "\r")
    out = c.expect(r"cancel : $")
    assert ("This command will immediately shutdown outlet 3 named 'Outlet 3', delay for "
            "5 seconds, and then restart.") in out
    c.send("YES\r")
    c.expect(r"continue\.\.\.$")
    c.key("\r")

    # configure: name + Accept Changes; a pending delay dropped by ESC
    c.key("\x1b")
    c.pick("Configure Outlet")
    assert c.title() == "Configure Outlet"
    assert re.search(r"\r\n     1- Name {26}: Outlet 3\r\n", c.screen)
    c.enter_value("Name", "Name : ", "x" * 24)
    assert "\r\nName too long (maximum 23 characters).\r\n" in c.screen
    c.enter_value("Name", "Name : ", "web-1")
    assert re.search(r"- Name +: web-1\r\n", c.screen)
    assert state_of(sim)["outlets"][2]["name"] == "Outlet 3"          # still pending
    c.pick("Accept Changes")
    assert state_of(sim)["outlets"][2]["name"] == "web-1"
    assert "     Name         : web-1\r\n" in c.screen
    c.enter_value("Power Off Delay(sec)", "Power Off Delay(sec) : ", "120")
    assert re.search(r"- Power Off Delay\(sec\) +: 120\r\n", c.screen)
    c.key("\x1b")                                        # leave without accepting
    assert c.title() == "web-1"
    c.pick("Configure Outlet")
    assert re.search(r"- Power Off Delay\(sec\) +: 0\r\n", c.screen)
    c.key("\x03")
    sim.stop()

    sim2, c2 = menu("AP7920", state=state)
    c2.signin()
    c2.pick("Device Manager", "Outlet Management", "Outlet Control/Configuration")
    assert re.search(r"\r\n     3- web-1 {20}(ON|OFF)\r\n", c2.screen)
    assert state_of(sim2)["outlets"][2]["name"] == "web-1"


def test_tcpip_accept_changes(menu):
    sim, c = menu("AP7921")
    c.signin()
    c.pick("Network", "TCP/IP")
    assert "- Boot Mode      : DHCP & BOOTP\r\n" in c.screen
    assert "System IP" not in c.screen
    c.pick("Boot Mode")
    assert c.title() == "Boot Mode"
    for mode in ("Manual", "BOOTP", "DHCP", "DHCP & BOOTP"):
        c.number(mode)
    c.pick("Manual")
    assert c.title() == "TCP/IP"
    c.enter_value("System IP", "System IP : ", "10.20.30.40")
    assert re.search(r"\r\n +\d+- System IP      : 10\.20\.30\.40\r\n", c.screen)
    c.enter_value("Subnet Mask", "Subnet Mask : ", "255.0.255.0")
    assert "\r\nInvalid subnet mask.\r\n" in c.screen
    c.enter_value("Subnet Mask", "Subnet Mask : ", "255.255.255.0")
    c.enter_value("System IP", "System IP : ", "300.1.1.1")
    assert "\r\nInvalid IP address.\r\n" in c.screen
    c.enter_value("Default Gateway", "Default Gateway : ", "10.20.30.1")
    assert state_of(sim)["tcpip"]["ip"] == "0.0.0.0"
    c.pick("Accept Changes")
    st = state_of(sim)
    assert (st["tcpip"]["ip"], st["tcpip"]["mask"], st["tcpip"]["gateway"]) == \
        ("10.20.30.40", "255.255.255.0", "10.20.30.1")
    assert st["boot"]["mode"] == "manual"
    assert st["runtime"]["reboot_pending"] is True
    assert "Current IP Address   : 192.168.254.41" in c.screen     # until the reboot


def test_user_manager_password_change_then_login(menu):
    sim, c = menu("AP7900")
    c.signin()
    c.pick("System", "User Manager", "Administrator")
    assert c.title() == "Administrator"
    c.send(c.number("Password") + "\r")
    c.expect(r"Password : $")
    c.send("n3w\r")
    c.expect(r"Confirm Password : $")
    c.key("other\r")
    assert "\r\nPasswords do not match.\r\n" in c.screen
    c.send(c.number("Password") + "\r")
    c.expect(r"Password : $")
    c.send("n3w\r")
    assert c.expect(r"Confirm Password : $").startswith("***")
    c.key("n3w\r")
    assert state_of(sim)["users"][0]["password"] == "apc"
    c.pick("Accept Changes")
    assert state_of(sim)["users"][0]["password"] == "n3w"
    c.key("\x03")
    c.send(c.number("Logout") + "\r")
    c.expect(r"Connection Closed - Bye\r\n$")
    c.send("\r")
    c.expect(r"User Name : $")
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")
    c.expect(r"\r\nUser Name : $")                        # the old password fails
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("n3w\r")
    assert c.expect(PROMPT).endswith(MAIN_MENU)


def test_b2_ssl_ssh_limits(menu):
    sim, c = menu("AP7920-B2")
    banner = c.signin()
    assert "Network Management Card AOS      v2.6.4" in banner
    assert "Rack PDU APP                     v2.6.5" in banner
    c.pick("Network", "Web/SSL/TLS")
    assert "can only be completed in the Web interface." in c.screen
    c.pick("SSL/TLS", "Enabled")
    assert "\r\n" + SSL_LIMIT + "\r\n" in c.screen
    assert "must be completed in the Web interface" in SSL_LIMIT
    c.key("\x1b")
    assert re.search(r"- SSL/TLS +: Disabled\r\n", c.screen)
    c.key("\x1b")
    c.pick("Telnet/SSH", "Protocol", "SSH")
    assert "\r\n" + SSH_LIMIT + "\r\n" in c.screen
    c.key("\x1b")
    assert re.search(r"- Protocol +: Telnet\r\n", c.screen)
    st = state_of(sim)
    assert st["web"]["https"] is False and st["console"]["ssh"] is False


def test_ssl_choice_works_on_aos3(menu):
    sim, c = menu("AP7920")
    c.signin()
    c.pick("Network", "Web/SSL/TLS")
    assert "Web interface" not in c.screen
    c.pick("SSL/TLS", "Enabled")
    assert re.search(r"- SSL/TLS +: Enabled\r\n", c.screen)
    c.pick("Accept Changes")
    assert state_of(sim)["web"]["https"] is True


def numbers(c, *path):
    """label -> number of every item on the screen reached through ``path``."""
    c.key("\x03")
    c.pick(*path)
    return dict((label.strip(), int(n)) for n, label in
                re.findall(r"^ *(\d+)- ([^:\r\n]+?)(?: +:.*| {2,}\S+)?\r$", c.screen, re.M))


def test_item_numbers_differ_between_firmware(menu):
    found = {}
    for model in ("AP7920", "AP7920-B2"):
        _sim, c = menu(model)
        c.signin()
        found[model] = {
            "network": numbers(c, "Network"),
            "system": numbers(c, "System"),
            "device": numbers(c, "Device Manager"),
            "web": numbers(c, "Network", "Web/SSL/TLS"),
            "tcpip": numbers(c, "Network", "TCP/IP"),
        }
    new, old = found["AP7920"], found["AP7920-B2"]
    assert new["network"]["Web/SSL/TLS"] == 6 and old["network"]["Web/SSL/TLS"] == 5
    assert new["web"]["Accept Changes"] == 6 and new["web"]["SSL/TLS"] == 2
    assert new["system"]["User Manager"] != old["system"]["User Manager"]
    assert new["tcpip"]["Boot Mode"] == 1 and "System IP" in old["tcpip"]
    assert "Outlet Management" in new["device"] and "Outlet Management" not in old["device"]
    assert old["device"]["Outlet Control/Configuration"] == 3
    assert new != old


def test_nmc1_at_2400_needs_several_crs(menu):
    sim, c = menu("SU1400-AP9617", transport="pty", baudrate=2400)
    assert sim.ctl("status")["status"]["line_baud"] == 2400
    c.send("\r")
    c.send("\r")
    assert c.quiet(0.3) == b""                           # two CRs: nothing yet
    c.send("\r")
    c.expect(r"\r\nUser Name : $")
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")
    text = c.expect(PROMPT)
    assert "Smart-UPS & Matrix-UPS APP       v3.7.3" in text
    assert "\r\nSmart-UPS 1400 named UPS_IDEN : On Line, No Alarms Present\r\n" in text
    c.screen = text
    c.pick("Device Manager", "Status")
    assert re.search(r"Status of UPS +: On Line, No Alarms Present\r\n", c.screen)
    assert re.search(r"Runtime Remaining +: 38 min\r\n", c.screen)
    assert sim.ctl("power-fail")["ok"]
    c.key("\r")
    assert re.search(r"Status of UPS +: On Battery, No Alarms Present\r\n", c.screen)
    assert re.search(r"Input Voltage +: 0\.0 VAC\r\n", c.screen)
    c.key("\x1b")
    c.pick("About UPS")
    assert re.search(r"Model +: Smart-UPS 1400\r\n", c.screen)
    c.key("\x1b")
    c.pick("Configuration")
    c.pick("Low Battery Duration", "5 min")
    c.pick("Accept Changes")
    assert state_of(sim)["menu"]["ups_config"]["low_battery"] == 5
    c.key("\x03")
    c.send(c.number("Logout") + "\r")
    c.expect(r"Connection Closed - Bye\r\n$")
    c.send("\r\r")
    assert c.quiet(0.3) == b""
    c.send("\r")
    c.expect(r"User Name : $")


def test_reset_window_warmstart_and_reboot(menu, short_tmp):
    state = short_tmp + "/s.json"
    sim, c = menu("AP7920", state=state)
    sim.stop()
    with open(state, encoding="utf-8") as fh:
        data = json.load(fh)
    data["users"][0]["password"] = "secret"
    with open(state, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    sim, c = menu("AP7920", state=state, reset_window_seconds=5, boot_seconds=0.3)
    c.send("\r")
    c.expect(r"User Name : $")
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")
    c.expect(r"\r\nUser Name : $")                        # refused before the button
    r = sim.ctl("press-reset")
    assert r["ok"] and r["reset_window_until"] > time.time()
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")
    c.screen = c.expect(PROMPT)
    assert c.screen.endswith(MAIN_MENU)
    st = sim.ctl("status")["status"]
    assert st["logged_in"] and st["via_reset_window"] and st["dialect"] == "menu"

    # the NMC1 network watchdog warm start: banner again, session gone
    c.pick("System")
    assert sim.ctl("warmstart")["ok"]
    out = c.expect(r"\r\nUser Name : $")
    assert "American Power Conversion" in out and "Up Time   : 0 Days 0 Hours 0 Minutes" in out
    assert sim.ctl("status")["status"]["logged_in"] is False
    assert state_of(sim)["lastrst"] == "Warmstart"
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("secret\r")
    c.screen = c.expect(PROMPT)

    # reboot from System -> Tools
    c.pick("System", "Tools")
    c.send(c.number("Reboot Management Interface") + "\r")
    c.expect(r"cancel : $")
    c.send("YES\r")
    c.expect(r"Rebooting\.\.\.\r\n$")
    # like a person (and the collection): knock with CR until the restarted console answers
    for _attempt in range(40):
        c.send("\r")
        try:
            c.expect(r"User Name : $", timeout=0.5)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError("the console did not answer after the reboot")
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("secret\r")
    c.screen = c.expect(PROMPT)
    assert state_of(sim)["lastrst"] == "04 Requested Reset"


def test_login_lockout_and_idle_logout(menu):
    _sim, c = menu("AP7920", lockout_seconds=1, idle_timeout=0.5)
    c.send("\r")
    for _unused in range(3):
        c.expect(r"User Name : $")
        c.send("apc\r")
        c.expect(r"Password  : $")
        c.send("bad\r")
    c.expect(r"User Name : $")
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")                                      # locked: refused silently
    c.expect(r"\r\nUser Name : $")
    time.sleep(1.1)
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")
    c.expect(PROMPT)
    c.expect(r"\r\nUser Name : $", timeout=3)            # idle logout


def test_b2_has_no_lockout(menu):
    _sim, c = menu("AP7920-B2")
    c.send("\r")
    for _unused in range(4):
        c.expect(r"User Name : $")
        c.send("apc\r")
        c.expect(r"Password  : $")
        c.send("bad\r")
    c.expect(r"User Name : $")
    c.send("apc\r")
    c.expect(r"Password  : $")
    c.send("apc\r")
    assert c.expect(PROMPT).endswith(MAIN_MENU)


def test_identification_and_read_only_rights(menu):
    sim, c = menu("AP7921")
    c.signin(user="readonly")
    assert "User : Read Only" in c.screen
    c.pick("System", "Identification")
    c.enter_value("Contact", "Contact : ", "ops")
    c.pick("Accept Changes")
    assert "\r\nAccess denied.\r\n" in c.screen
    assert state_of(sim)["system"]["contact"] == "Unknown"
    c.key("\x03")
    c.send(c.number("Logout") + "\r")
    c.expect(r"Bye\r\n$")
    c.signin()
    c.pick("System", "Identification")
    c.enter_value("Contact", "Contact : ", "ops")
    c.enter_value("System Name", "System Name : ", "pdu-a")
    c.pick("Accept Changes")
    st = state_of(sim)["system"]
    assert (st["name"], st["contact"]) == ("pdu-a", "ops")


def test_pty_transcript_and_pacing(menu, short_tmp):
    tr = short_tmp + "/t.jsonl"
    _sim, c = menu("AP7900", transport="pty", transcript=tr, pace=True)
    t0 = time.monotonic()
    c.signin()
    took = time.monotonic() - t0
    assert took > len(c.screen) * 10.0 / 9600 * 0.8     # paced at 9600 baud
    from apcsim.transcript import received_lines
    assert received_lines(tr)[:3] == ["", "apc", "apc"]


def test_firmware_override_switches_layout(start_sim):
    sim = start_sim("AP7920", firmware="v2.6.4")
    c = Menu(sim.url)
    try:
        c.signin()
        c.pick("Device Manager")
        assert c.number("Outlet Control/Configuration") == "3"
    finally:
        c.close()
    assert isinstance(sim, SimProcess)
