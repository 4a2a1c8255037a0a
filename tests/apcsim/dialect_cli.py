"""The ``cli`` dialect: the ``apc>`` command line of NMC2/NMC3 cards, AP79xxB and AP89xx.

A console program in blocking style: it runs in the device's console thread, reads with
``ConsoleIO.read_line`` and writes bytes. Output formats follow the public AP9630
captures byte for byte where they exist; the rest are documented guesses (README.md).
"""

import re
import time

from . import xfer_ini
from .console import IdleTimeout, Interrupted

CRLF = "\r\n"
RULE = "-" * 79
REMINDER = "* Reboot required for change to take effect."
E000 = "E000: Success"
E002 = ["E002: Success", "Reboot required for change to take effect."]
E101 = "E101: Command Not Found"
E104 = "E104: User Level Denial"
CONFIRM = "Enter 'YES' to continue or <ENTER> to cancel : "

DATE_FORMATS = ("mm/dd/yyyy", "dd.mm.yyyy", "mmm-dd-yy", "dd-mmm-yy", "yyyy-mm-dd")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
USER_TYPES = ("Administrator", "Device", "Read-Only", "Network-Only")
LANGS = {"enus": "English (enUs)", "frfr": "French (frFr)", "dede": "German (deDe)",
         "ruru": "Russian (ruRu)", "itit": "Italian (itIt)", "eses": "Spanish (esEs)",
         "ptbr": "Portuguese (ptBr)", "zhcn": "Chinese (zhCn)", "jaja": "Japanese (jaJa)",
         "koko": "Korean (koKo)"}
PROMPT_LONG = {"Super User": "Administrator", "Administrator": "Administrator",
               "Device": "Device", "Read-Only": "Read-Only", "Network-Only": "Network-Only"}
BANNER_USER = {"Super User": "Super User", "Administrator": "Administrator",
               "Device": "Device Manager", "Read-Only": "Read Only",
               "Network-Only": "Network Only"}

SYSTEM_COMMANDS = [
    "?", "about", "alarmcount", "boot", "bye", "cd", "cipher", "clrrst", "console", "date",
    "delete", "dir", "dns", "eapol", "email", "eventlog", "exit", "firewall", "format", "ftp",
    "help", "lang", "lastrst", "ledblink", "logzip", "netstat", "ntp", "ping", "portspeed",
    "prompt", "pwd", "quit", "radius", "reboot", "resetToDef", "session", "smtp", "snmp",
    "snmptrap", "snmpv3", "system", "tcpip", "tcpip6", "user", "userdflt", "web", "whoami",
    "xferINI", "xferStatus",
]
UPS_COMMANDS = ["ups", "detstatus", "cfgshutdn", "cfgpower", "upsabout", "modbus", "bacnet"]
PDU_COMMANDS = [
    "alarmList", "bkLowLoad", "bkNearOver", "bkOverLoad", "bkReading", "bkPeakCurr",
    "bkRestrictn", "devStartDly", "energyWise", "olAssignUsr", "olCancelCmd", "olDlyOff",
    "olDlyOn", "olDlyReboot", "olGroups", "olName", "olOff", "olOffDelay", "olOn",
    "olOnDelay", "olRbootTime", "olReboot", "olStatus", "olUnasgnUsr", "phLowLoad",
    "phNearOver", "phOverLoad", "phReading", "phPeakCurr", "phRestrictn", "prodInfo",
    "userAdd", "userDelete", "userList", "userPasswd",
]

USAGE = {
    "about": ["about"],
    "boot": ["boot [-b <dhcp | bootp | manual>] (Boot Mode)",
             "     [-c <enable | disable>] (DHCP Cookie)",
             "     [-v <vendor class>]", "     [-i <client id>]", "     [-u <user class>]"],
    "console": ["console [-t <enable | disable>] (telnet)",
                "        [-s <enable | disable>] (ssh)",
                "        [-pt <telnet port>] (23 and 5000-32768)",
                "        [-ps <ssh port>] (22 and 5000-32768)",
                "        [-b <2400 | 9600 | 19200 | 38400>] (baud rate)"],
    "date": ["date [-d <\"datestring\">]", "     [-t <00:00:00>]",
             "     [-f <mm/dd/yyyy | dd.mm.yyyy | mmm-dd-yy | dd-mmm-yy | yyyy-mm-dd>]",
             "     [-z <time zone offset>] (-12:00 to +14:00)"],
    "dns": ["dns [-OM <enable | disable>]", "    [-p <primary DNS server>]",
            "    [-s <secondary DNS server>]", "    [-d <domain name>]",
            "    [-n <domain name IPv6>]", "    [-h <host name>]",
            "    [-y <enable | disable>] (system-hostname sync)"],
    "ftp": ["ftp [-p <port-number>] (21 and 5001-32768)", "    [-S <enable | disable>]"],
    "ntp": ["ntp [-OM <enable | disable>]", "    [-p <primary NTP server>]",
            "    [-s <secondary NTP server>]", "    [-e <enable | disable>]", "    [-u]"],
    "prompt": ["prompt [-s <long | short>]"],
    "reboot": ["reboot"],
    "resetToDef": ["resetToDef [-p <all | keepip>]"],
    "session": ["session [-d <session ID>]", "        [-m <enable | disable>] (multi-user)",
                "        [-a <enable | disable>] (remote authentication override)"],
    "snmp": ["snmp [-S <enable | disable>]", "     [-c[n] <community>]",
             "     [-a[n] <read | write | writeplus | disable>]",
             "     [-n[n] <NMS IP or host name>]", "     n = 1 to 4"],
    "snmpv3": ["snmpv3 [-S <enable | disable>]", "       [-u[n] <user name>]",
               "       [-a[n] <authentication phrase>]", "       [-c[n] <crypt phrase>]",
               "       [-ap[n] <sha | md5 | none>]", "       [-pp[n] <aes | des | none>]",
               "       [-ac[n] <enable | disable>]", "       [-au[n] <user profile name>]",
               "       [-n[n] <NMS IP or host name>]", "       n = 1 to 4"],
    "system": ["system [-n <system name>]", "       [-c <system contact>]",
               "       [-l <system location>]", "       [-m <system message>]",
               "       [-s <enable | disable>] (system-hostname sync)"],
    "tcpip": ["tcpip [-S <enable | disable>]", "      [-i <IPv4 address>]",
              "      [-s <subnet mask>]", "      [-g <gateway>]", "      [-d <domain name>]",
              "      [-h <host name>]"],
    "tcpip6": ["tcpip6 [-S <enable | disable>]", "       [-man <enable | disable>]",
               "       [-auto <enable | disable>]", "       [-i <IPv6 address>]",
               "       [-g <IPv6 gateway>]",
               "       [-d6 <router | statefull | stateless | never>]"],
    "user": ["user [-n <user name>]", "     [-cp <current password>]",
             "     [-pw <user password>]",
             "     [-pe <Administrator | Device | Read-Only | Network-Only>]",
             "     [-d <user description>]", "     [-e <enable | disable>]",
             "     [-st <session timeout>] (1-60 minutes)", "     [-sr <enable | disable>]",
             "     [-el <enable | disable>]", "     [-lf <tab | csv>]",
             "     [-ts <us | metric>]",
             "     [-df <mm/dd/yyyy | dd.mm.yyyy | mmm-dd-yy | dd-mmm-yy | yyyy-mm-dd>]",
             "     [-lg <language code>]", "     [-del <user name>]", "     [-l]"],
    "userdflt": ["userdflt [-e <enable | disable>]",
                 "         [-pe <Administrator | Device | Read-Only | Network-Only>]",
                 "         [-d <user description>]", "         [-st <session timeout>]",
                 "         [-bl <bad login attempts>] (0-99)",
                 "         [-el <enable | disable>]", "         [-lf <tab | csv>]",
                 "         [-ts <us | metric>]", "         [-df <date format>]",
                 "         [-lg <language code>]", "         [-sp <enable | disable>]",
                 "         [-pp <interval in days>]"],
    "web": ["web [-h <enable | disable>] (http)", "    [-s <enable | disable>] (https)",
            "    [-ph <http port>] (80 and 5000-32768)",
            "    [-ps <https port>] (443 and 5000-32768)"],
    "whoami": ["whoami"],
    "ups": ["ups [-c <on | off | reboot | graceoff | gracereboot | sleep | gracesleep>]",
            "    [-r <start | stop>]", "    [-s <start>]", "    [-a <start>]", "    [-st]"],
    "detstatus": ["detstatus [-all | -ss | -rt | -soc | -om | -im | -bat | -tmp | -dg]"],
    "upsabout": ["upsabout"],
    "cfgshutdn": ["cfgshutdn [-all]", "          [-sd <000 | 090 | ... | 630>]",
                  "          [-lo <02 | 05 | ... | 23>]", "          [-rd <000 | 060 | ... | 420>]",
                  "          [-rsc <00 | 15 | ... | 90>]", "          [-sl <0.0-359.9>]"],
    "cfgpower": ["cfgpower [-all]"],
    "olStatus": ["olStatus <all | outlet# | outlet name | list>"],
    "olOn": ["olOn <all | outlet# | outlet name | list>"],
    "olOff": ["olOff <all | outlet# | outlet name | list>"],
    "olReboot": ["olReboot <all | outlet# | outlet name | list>"],
    "olDlyOn": ["olDlyOn <all | outlet# | outlet name | list>"],
    "olDlyOff": ["olDlyOff <all | outlet# | outlet name | list>"],
    "olDlyReboot": ["olDlyReboot <all | outlet# | outlet name | list>"],
    "olCancelCmd": ["olCancelCmd <all | outlet# | outlet name | list>"],
    "olName": ["olName <all | outlet# | outlet name | list> [<new name>] (1-23 characters)"],
    "olOnDelay": ["olOnDelay <all | outlet# | outlet name | list> [<seconds | -1 (never)>]"],
    "olOffDelay": ["olOffDelay <all | outlet# | outlet name | list> [<seconds | -1 (never)>]"],
    "olRbootTime": ["olRbootTime <all | outlet# | outlet name | list> [<seconds>] (5-60)"],
    "prodInfo": ["prodInfo"],
    "phReading": ["phReading <all | phase#> <current | voltage | power | appower>"],
    "lastrst": ["lastrst"],
    "clrrst": ["clrrst"],
    "ledblink": ["ledblink <duration time in minutes>"],
    "ping": ["ping <IP address or DNS name>"],
    "alarmcount": ["alarmcount [-p <all | warning | critical | informational>]"],
    "portspeed": ["portspeed [-s <auto | 10H | 10F | 100H | 100F>]"],
}


class ParamError(Exception):
    """Bad option or value: E102 + usage."""


class Denied(Exception):
    """E104: the logged-in account may not do this."""


class EndSession(Exception):
    """The user left (exit/quit/bye, session -d of one's own session)."""


class RebootRequested(Exception):
    """The user confirmed ``reboot``."""


# ----------------------------------------------------------------------------- helpers

def tokenize(line):
    toks, cur, inq = [], None, False
    for ch in line:
        if inq:
            if ch == '"':
                inq = False
            else:
                cur += ch
        elif ch == '"':
            inq = True
            cur = cur or ""
        elif ch in " \t":
            if cur is not None:
                toks.append(cur)
                cur = None
        else:
            cur = (cur or "") + ch
    if cur is not None:
        toks.append(cur)
    return toks


def parse_opts(args, spec):
    """``spec``: option -> True if it takes a value. Returns an ordered dict."""
    out = {}
    i = 0
    while i < len(args):
        opt = args[i]
        if opt not in spec:
            raise ParamError(opt)
        if spec[opt]:
            if i + 1 >= len(args):
                raise ParamError(opt)
            out[opt] = args[i + 1]
            i += 2
        else:
            out[opt] = True
            i += 1
    return out


def onoff(v):
    v = str(v).lower()
    if v == "enable":
        return True
    if v == "disable":
        return False
    raise ParamError(v)


def en(b, cap=False):
    if cap:
        return "Enabled" if b else "Disabled"
    return "enabled" if b else "disabled"


def is_ipv4(s):
    parts = s.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or len(p) > 3 or int(p) > 255:
            return False
    return True


def ipv4(s):
    if not is_ipv4(s):
        raise ParamError(s)
    return ".".join(str(int(p)) for p in s.split("."))


def netmask(s):
    s = ipv4(s)
    bits = "".join("{:08b}".format(int(p)) for p in s.split("."))
    if "01" in bits:
        raise ParamError(s)
    return s


HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
FQDN_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$")


def hostname(s):
    if not HOST_RE.match(s):
        raise ParamError(s)
    return s


def ip_or_host(s):
    if is_ipv4(s):
        return ipv4(s)
    if ":" in s and is_ipv6(s):
        return s
    if FQDN_RE.match(s) and not s.replace(".", "").isdigit():
        return s
    raise ParamError(s)


def domain(s):
    if s == "":
        return s
    if not FQDN_RE.match(s):
        raise ParamError(s)
    return s


def is_ipv6(s):
    import ipaddress
    try:
        ipaddress.IPv6Interface(s)
        return True
    except ValueError:
        return False


def int_in(s, lo, hi, extra=()):
    try:
        v = int(str(s), 10)
    except ValueError:
        raise ParamError(s)
    if v in extra or lo <= v <= hi:
        return v
    raise ParamError(s)


def text(s, maxlen, minlen=0):
    if not (minlen <= len(s) <= maxlen) or any(ord(c) < 0x20 for c in s):
        raise ParamError(s)
    return s


def choice(s, options):
    for o in options:
        if str(s).lower() == o.lower():
            return o
    raise ParamError(s)


def duration(seconds):
    seconds = int(max(0, seconds))
    d, rem = divmod(seconds, 86400)
    h, rem = divmod(rem, 3600)
    m = rem // 60

    def unit(n, word):
        return "%d %s%s" % (n, word, "" if n == 1 else "s")
    return "%s %s %s" % (unit(d, "Day"), unit(h, "Hour"), unit(m, "Minute"))


def fmt_date(tm, fmt):
    y, mo, d = tm.tm_year, tm.tm_mon, tm.tm_mday
    if fmt == "mm/dd/yyyy":
        return "%02d/%02d/%04d" % (mo, d, y)
    if fmt == "dd.mm.yyyy":
        return "%02d.%02d.%04d" % (d, mo, y)
    if fmt == "mmm-dd-yy":
        return "%s-%02d-%02d" % (MONTHS[mo - 1], d, y % 100)
    if fmt == "dd-mmm-yy":
        return "%02d-%s-%02d" % (d, MONTHS[mo - 1], y % 100)
    return "%04d-%02d-%02d" % (y, mo, d)


def parse_date(s, fmt):
    """-> (y, m, d) or ParamError."""
    try:
        if fmt == "mm/dd/yyyy":
            mo, d, y = s.split("/")
        elif fmt == "dd.mm.yyyy":
            d, mo, y = s.split(".")
        elif fmt == "yyyy-mm-dd":
            y, mo, d = s.split("-")
        else:
            a, b, c = s.split("-")
            if fmt == "mmm-dd-yy":
                mo, d, y = a, b, c
            else:
                d, mo, y = a, b, c
            mo = str([m.lower() for m in MONTHS].index(mo.lower()) + 1)
            y = str(2000 + int(y))
        y, mo, d = int(y), int(mo), int(d)
        time.strptime("%04d-%02d-%02d" % (y, mo, d), "%Y-%m-%d")
        if not 2000 <= y <= 2099:
            raise ValueError
        return y, mo, d
    except (ValueError, IndexError):
        raise ParamError(s)


def parse_time(s):
    m = re.match(r"^(\d{1,2}):(\d{2}):(\d{2})$", s)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59 or int(m.group(3)) > 59:
        raise ParamError(s)
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def parse_tz(s):
    m = re.match(r"^([+-])(\d{2}):(\d{2})$", s)
    if not m or int(m.group(3)) not in (0, 15, 30, 45):
        raise ParamError(s)
    minutes = int(m.group(2)) * 60 + int(m.group(3))
    minutes = -minutes if m.group(1) == "-" else minutes
    if not -12 * 60 <= minutes <= 14 * 60:
        raise ParamError(s)
    return s, minutes


def tz_minutes(tz):
    return parse_tz(tz)[1]


def kv(label, value, width):
    return ("%s" % label).ljust(width) + str(value)


def columns(names, width=12, per_row=6):
    rows = []
    for i in range(0, len(names), per_row):
        rows.append("".join(n.ljust(width) for n in names[i:i + per_row]))
    return rows


# ----------------------------------------------------------------------------- program

class CliProgram:
    """One instance per boot of the card: login state lives here."""

    dialect = "cli"

    def __init__(self, device):
        self.dev = device
        self.io = device.io
        self.user = None              # the logged-in user's dict (from state["users"])
        self.session_id = None
        self.login_time = None
        self.via_reset_window = False
        self.line_open = False
        self.commands = self._command_table()

    # -- state access ------------------------------------------------------------------
    @property
    def st(self):
        return self.dev.state

    @property
    def prof(self):
        return self.dev.profile

    def status(self):
        return {
            "dialect": self.dialect,
            "logged_in": self.user is not None,
            "user": self.user["name"] if self.user else None,
            "user_type": self.user["type"] if self.user else None,
            "session_id": self.session_id,
            "via_reset_window": self.via_reset_window,
        }

    # -- main loop ---------------------------------------------------------------------
    def run(self, start="wait_cr"):
        where = start
        while True:
            try:
                if where == "wait_cr":
                    self.io.idle_timeout = None
                    self.io.wait_for_cr()
                    where = "username"
                if where in ("username", "username_shown"):
                    self.io.idle_timeout = None
                    self.login(prompt_shown=(where == "username_shown"))
                    where = "shell"
                if where == "shell":
                    try:
                        self.shell()
                    except EndSession:
                        self.end_session()
                    where = "wait_cr"
            except (IdleTimeout, Interrupted) as e:
                if isinstance(e, Interrupted) and e.reason != "logout":
                    raise
                was_in = self.user is not None or where != "wait_cr"
                self.end_session()
                if not was_in:
                    where = "wait_cr"
                    continue
                if self.dev.idle_logout_style == "prompt":
                    self.io.write(CRLF + "User Name : ")
                    where = "username_shown"
                else:
                    where = "wait_cr"

    def idle_seconds(self, user):
        if self.dev.idle_timeout_override is not None:
            return self.dev.idle_timeout_override
        return max(1, int(user.get("session_timeout", 3))) * 60

    # -- login -------------------------------------------------------------------------
    def login(self, prompt_shown=False):
        io = self.io
        while True:
            if not prompt_shown:
                io.write(CRLF + "User Name : ")
            prompt_shown = False
            name = io.read_line(echo=True, max_len=64)
            io.write(CRLF + "Password  : ")
            pw = io.read_line(echo=True, mask=True, max_len=64)
            user, via_window = self.dev.authenticate(name, pw)
            if user is None:
                continue
            io.idle_timeout = self.idle_seconds(user)
            if (not via_window and self.dev.first_login_change
                    and user["type"] == "Super User" and user["password"] == "apc"):
                if not self.forced_change(user):
                    io.idle_timeout = None
                    continue
            self.start_session(user, via_window)
            io.write(CRLF + CRLF + "".join(l + CRLF for l in self.banner()))
            return

    def forced_change(self, user):
        io = self.io
        io.write(CRLF + CRLF + "The current password policy requires you to change your "
                 "password..." + CRLF)
        for attempt in range(3):
            io.write(CRLF + "Enter current password: ")
            cur = io.read_line(echo=True, mask=True, max_len=64)
            if cur == user["password"]:
                break
            io.write(CRLF + CRLF + "Current password is incorrect." + CRLF)
        else:
            return False
        while True:
            io.write(CRLF + CRLF + "Enter new password: ")
            new = io.read_line(echo=True, mask=True, max_len=64)
            io.write(CRLF + "Confirm new password: ")
            conf = io.read_line(echo=True, mask=True, max_len=64)
            problem = None
            if new != conf:
                problem = "Passwords do not match."
            elif new == "":
                problem = "Password cannot be empty."
            elif new == cur:
                problem = "New password must be different from the current password."
            elif not self.dev.password_ok(new):
                problem = "Password does not meet the password policy requirements."
            if problem:
                io.write(CRLF + CRLF + problem)
                continue
            with self.dev.store.lock:
                user["password"] = new
                self.dev.store.save()
            return True

    def start_session(self, user, via_window):
        with self.dev.store.lock:
            sess = self.st["session"]
            self.session_id = sess.get("next_id", 1)
            sess["next_id"] = self.session_id + 1
            self.dev.store.save()
        self.user = user
        self.via_reset_window = via_window
        self.login_time = time.time()

    def end_session(self):
        self.user = None
        self.session_id = None
        self.login_time = None
        self.via_reset_window = False
        self.io.idle_timeout = None

    # -- banner ------------------------------------------------------------------------
    def stat_field(self):
        act = self.st["active"]
        v4 = act["tcpip"]["enabled"]
        v6 = act["tcpip6"]["enabled"]
        if v4 and v6:
            net = "N4+ N6+"
        elif v6:
            net = "N6+"
        else:
            net = "N+"
        return "P+ %s A+" % net

    def banner(self):
        p, st = self.prof, self.st
        L = [
            "%-40s%-33s%s" % ("Schneider Electric", "Network Management Card AOS",
                              p["aos_version"]),
            "%-40s%-33s%s" % ("(c) Copyright %d All Rights Reserved" % p["copyright_year"],
                              p["app_title"], p["app_version"]),
            RULE,
        ]
        date, tim = self.dev.now_strings()
        utype = BANNER_USER.get(self.user["type"], self.user["type"]) if self.user else ""
        left = [("Name      : ", st["system"]["name"]),
                ("Contact   : ", st["system"]["contact"]),
                ("Location  : ", st["system"]["location"]),
                ("Up Time   : ", duration(self.dev.uptime()))]
        right = [("Date : ", date), ("Time : ", tim), ("User : ", utype),
                 ("Stat : ", self.stat_field())]
        for (a, av), (b, bv) in zip(left, right):
            L.append((a + av).ljust(54) + b + bv)
        L.append(RULE)
        if p.get("banner_style") == "696":
            act = st["active"]
            users = st["users"]

            def any_user(t):
                return any(u["type"] == t and u["enabled"] for u in users)

            def two(a, av, b=None, bv=None):
                s = "%-19s: %s" % (a, en(av, True))
                if b is not None:
                    s = s.ljust(40) + "%-19s: %s" % (b, en(bv, True))
                return s
            L += [
                two("IPv4", act["tcpip"]["enabled"], "IPv6", act["tcpip6"]["enabled"]),
                two("Ping Response", st.get("ping_response", True)),
                RULE,
                two("HTTP", act["web"]["http"], "HTTPS", act["web"]["https"]),
                two("FTP", act["ftp"]["enabled"], "Telnet", act["console"]["telnet"]),
                two("SSH/SCP", act["console"]["ssh"], "SNMPv1", st["snmp"]["enabled"]),
                two("SNMPv3", st["snmpv3"]["enabled"]),
                RULE,
                two("Super User", any_user("Super User"), "RADIUS",
                    st["radius"]["mode"] != "local"),
                two("Administrator", any_user("Administrator"), "Device User",
                    any_user("Device")),
                two("Read-Only User", any_user("Read-Only"), "Network-Only User",
                    any_user("Network-Only")),
            ]
        L += ["", "", "Type ? for command listing",
              "Use tcpip command for IP address(-i), subnet(-s), and gateway(-g)"]
        return L

    # -- shell -------------------------------------------------------------------------
    def prompt(self):
        if self.st.get("prompt") == "long":
            s = "%s@apc>" % PROMPT_LONG.get(self.user["type"], self.user["type"])
        else:
            s = "apc>"
        if self.prof.get("prompt_trailing_space"):
            s += " "
        return s

    def shell(self):
        io = self.io
        while True:
            io.write(CRLF + self.prompt())
            line = io.read_line(echo=True)
            if not line.strip():
                continue
            self.line_open = True
            pending_before = self.dev.reboot_pending
            try:
                with self.dev.store.lock:
                    out = self.execute(line)
            except RebootRequested:
                io.write(CRLF + "Rebooting..." + CRLF)
                raise Interrupted("reboot-command")
            except EndSession as e:
                lines = e.args[0] if e.args else []
                data = (CRLF if self.line_open else "") + "".join(l + CRLF for l in lines)
                io.write(data + (CRLF if lines else "") + "Bye." + CRLF)
                raise
            data = (CRLF if self.line_open else "") + "".join(l + CRLF for l in out)
            if pending_before:
                data += CRLF + CRLF + REMINDER
            io.write(data)
            self.dev.after_command()

    def ask(self, out, question):
        """Flush ``out``, ask ``question`` on the same line, return the answer."""
        data = (CRLF if self.line_open else "") + "".join(l + CRLF for l in out)
        del out[:]
        self.io.write(data + question)
        self.dev.store.lock.release()
        try:
            ans = self.io.read_line(echo=True)
        finally:
            self.dev.store.lock.acquire()
        self.line_open = True
        return ans

    def execute(self, line):
        toks = tokenize(line)
        if not toks:
            return []
        cmd, args = toks[0], toks[1:]
        if cmd in ("?", "help"):
            if args:
                return self.usage_of(args[0])
            return self.help_list()
        entry = self.lookup(cmd)
        if entry is None:
            return [E101]
        name, fn, area = entry
        if args and args[0] in ("?", "help"):
            return self.usage_of(name)
        if area == "device" and not self.dev.device_ready():
            return [E101]
        out = []
        try:
            self.check_access(area, args)
            fn(args, out)
        except ParamError:
            return ["E102: Parameter Error"] + ["Usage: %s --  Configuration Options" % name] + \
                ["    " + u for u in USAGE.get(name, [name])]
        except Denied:
            return out + [E104]
        return out

    def lookup(self, cmd):
        c = cmd.lower()
        for name, (fn, area) in self.commands.items():
            if name.lower() == c:
                return name, fn, area
        return None

    def usage_of(self, cmd):
        entry = self.lookup(cmd)
        if entry is None:
            return [E101]
        name = entry[0]
        return ["Usage: %s --  Configuration Options" % name] + \
            ["    " + u for u in USAGE.get(name, [name])]

    def help_list(self):
        dev_cmds = PDU_COMMANDS if self.prof["kind"] == "pdu" else UPS_COMMANDS
        return (["", "System Commands:", "-" * 75, "For command help: command ? ", ""]
                + columns(SYSTEM_COMMANDS) + ["", "Device Commands:", "-" * 75]
                + columns(dev_cmds))

    def check_access(self, area, args):
        utype = self.user["type"]
        if utype in ("Super User", "Administrator"):
            return
        if utype == "Read-Only":
            if args or area in ("admin", "device"):
                raise Denied()
            return
        if area == "admin":
            raise Denied()
        if area == "network" and utype != "Network-Only" and args:
            raise Denied()
        if area == "device" and utype != "Device":
            raise Denied()
        if area == "system" and args:
            raise Denied()

    def _command_table(self):
        t = {
            "about": (self.c_about, "any"),
            "alarmcount": (self.c_alarmcount, "any"),
            "boot": (self.c_boot, "network"),
            "bye": (self.c_exit, "any"),
            "clrrst": (self.c_clrrst, "admin"),
            "console": (self.c_console, "network"),
            "date": (self.c_date, "system"),
            "dns": (self.c_dns, "network"),
            "exit": (self.c_exit, "any"),
            "ftp": (self.c_ftp, "network"),
            "lang": (self.c_lang, "any"),
            "lastrst": (self.c_lastrst, "admin"),
            "ledblink": (self.c_ledblink, "admin"),
            "netstat": (self.c_netstat, "network"),
            "ntp": (self.c_ntp, "network"),
            "ping": (self.c_ping, "any"),
            "portspeed": (self.c_portspeed, "network"),
            "prompt": (self.c_prompt, "any"),
            "quit": (self.c_exit, "any"),
            "reboot": (self.c_reboot, "network"),
            "resetToDef": (self.c_resettodef, "admin"),
            "session": (self.c_session, "admin"),
            "snmp": (self.c_snmp, "network"),
            "snmpv3": (self.c_snmpv3, "network"),
            "system": (self.c_system, "system"),
            "tcpip": (self.c_tcpip, "network"),
            "tcpip6": (self.c_tcpip6, "network"),
            "user": (self.c_user, "admin"),
            "userdflt": (self.c_userdflt, "admin"),
            "web": (self.c_web, "network"),
            "whoami": (self.c_whoami, "any"),
            "xferINI": (lambda args, out: xfer_ini.xferini(self, args, out), "admin"),
            "xferStatus": (lambda args, out: xfer_ini.xferstatus(self, args, out), "admin"),
        }
        for name in SYSTEM_COMMANDS:
            if name not in t and name not in ("?", "help"):
                t[name] = (self.c_not_simulated, "any")
        if self.prof["kind"] == "ups":
            t.update({
                "ups": (self.c_ups, "device"),
                "detstatus": (self.c_detstatus, "device"),
                "upsabout": (self.c_upsabout, "device"),
                "cfgshutdn": (self.c_cfgshutdn, "device"),
                "cfgpower": (self.c_cfgpower, "device"),
            })
            for name in UPS_COMMANDS:
                t.setdefault(name, (self.c_not_simulated, "device"))
        elif self.prof["kind"] == "pdu":
            t.update({
                "olStatus": (self.c_olstatus, "device"),
                "olOn": (self.c_olcontrol("on"), "device"),
                "olOff": (self.c_olcontrol("off"), "device"),
                "olReboot": (self.c_olcontrol("reboot"), "device"),
                "olDlyOn": (self.c_olcontrol("dlyon"), "device"),
                "olDlyOff": (self.c_olcontrol("dlyoff"), "device"),
                "olDlyReboot": (self.c_olcontrol("dlyreboot"), "device"),
                "olCancelCmd": (self.c_olcontrol("cancel"), "device"),
                "olName": (self.c_olname, "device"),
                "olOnDelay": (self.c_oldelay("on_delay"), "device"),
                "olOffDelay": (self.c_oldelay("off_delay"), "device"),
                "olRbootTime": (self.c_oldelay("reboot_time"), "device"),
                "prodInfo": (self.c_prodinfo, "device"),
                "phReading": (self.c_phreading, "device"),
            })
            for name in PDU_COMMANDS:
                t.setdefault(name, (self.c_not_simulated, "device"))
        return t

    def reboot_required(self, out):
        self.dev.set_reboot_pending()
        out.extend(E002)

    def save(self):
        self.dev.store.save()

    # -- system commands ---------------------------------------------------------------
    def c_not_simulated(self, args, out):
        out.append("E100: Command failed")

    def c_about(self, args, out):
        if args:
            raise ParamError()
        p = self.prof
        out += [
            E000,
            "Hardware Factory", "-" * 15,
            kv("Model Number:", p["model_number"], 24),
            kv("Serial Number:", p["serial"], 24),
            kv("Hardware Revision:", p["hw_rev"], 24),
            kv("Manufacture Date:", p["mfg_date"], 24),
            kv("MAC Address:", p["mac"], 24),
            kv("Management Uptime:", duration(self.dev.uptime()), 24),
            "",
            "Application Module", "-" * 15,
            kv("Name:", p["app_name"], 24), kv("Version:", p["app_version"], 24),
            kv("Date:", p["app_build"]["date"], 24), kv("Time:", p["app_build"]["time"], 24),
            "",
            "APC OS(AOS)", "-" * 15,
            kv("Name:", "aos", 24), kv("Version:", p["aos_version"], 24),
            kv("Date:", p["aos_build"]["date"], 24), kv("Time:", p["aos_build"]["time"], 24),
            "",
            "APC Boot Monitor", "-" * 15,
            kv("Name:", "bootmon", 24), kv("Version:", p["bootmon"]["version"], 24),
            kv("Date:", p["bootmon"]["date"], 24), kv("Time:", p["bootmon"]["time"], 24),
        ]

    def c_alarmcount(self, args, out):
        o = parse_opts(args, {"-p": True})
        which = choice(o.get("-p", "all"), ("all", "warning", "critical", "informational"))
        label = {"all": "AlarmCount", "warning": "WarningAlarmCount",
                 "critical": "CriticalAlarmCount",
                 "informational": "InformationalAlarmCount"}[which]
        n = 1 if (self.st.get("ups") or {}).get("on_battery") and which in ("all", "warning") \
            else 0
        out += [E000, "%s: %d" % (label, n)]

    def c_lang(self, args, out):
        out += [E000, "", "Languages", "enUs - English"]

    def c_lastrst(self, args, out):
        if args:
            raise ParamError()
        out += [self.st.get("lastrst", "09 Coldstart Reset"), E000]

    def c_clrrst(self, args, out):
        self.st["lastrst"] = "00 Cleared"
        self.save()
        out.append(E000)

    def c_ledblink(self, args, out):
        if len(args) != 1:
            raise ParamError()
        int_in(args[0], 1, 10)
        out.append(E000)

    def c_ping(self, args, out):
        if len(args) != 1:
            raise ParamError()
        host = ip_or_host(args[0])
        out += ["Reply from %s: time(ms)= <10" % host] * 4

    def c_portspeed(self, args, out):
        o = parse_opts(args, {"-s": True})
        if not o:
            sp = self.st.get("portspeed", "auto")
            out += [E000, "Port Speed: %s" % ("Auto_negotiation" if sp == "auto" else sp),
                    "Current Port Speed: 100 Full_Duplex"]
            return
        self.st["portspeed"] = choice(o["-s"], ("auto", "10H", "10F", "100H", "100F"))
        self.save()
        self.reboot_required(out)

    def c_netstat(self, args, out):
        act = self.dev.active_ipv4()
        prefix = sum(bin(int(x)).count("1") for x in act["mask"].split("."))
        mode = self.st["active"]["boot"]["mode"]
        out += ["", "Current IP Information:", "",
                "Family mHome Type   IPAddress                                         Status    "]
        if self.st["active"]["tcpip6"]["enabled"]:
            out.append("IPv6   4     auto   %-50sconfigured" % (self.dev.link_local6() + "/64"))
        if self.st["active"]["tcpip"]["enabled"]:
            out.append("IPv4   0     %-7s%-50sconfigured" % (mode, "%s/%d" % (act["ip"], prefix)))
        out += ["IPv6   0     manual %-50sconfigured" % "::1/128",
                "IPv4   0     manual %-50sconfigured" % "127.0.0.1/32"]

    def c_whoami(self, args, out):
        if args:
            raise ParamError()
        out += [E000, self.user["name"]]

    def c_exit(self, args, out):
        raise EndSession()

    def c_prompt(self, args, out):
        o = parse_opts(args, {"-s": True})
        if not o:
            raise ParamError()
        self.st["prompt"] = choice(o["-s"], ("long", "short"))
        self.save()
        out.append(E000)

    def c_reboot(self, args, out):
        if args:
            raise ParamError()
        out += [E000, "Reboot Management Interface"]
        ans = self.ask(out, CONFIRM)
        if ans == "YES":
            raise RebootRequested()

    def c_resettodef(self, args, out):
        o = parse_opts(args, {"-p": True})
        if "-p" not in o:
            raise ParamError()
        mode = choice(o["-p"], ("all", "keepip"))
        ans = self.ask(out, CONFIRM)
        if ans != "YES":
            return
        out.append("Please wait...")
        self.st["pending_reset"] = mode
        self.save()
        self.reboot_required(out)

    def c_system(self, args, out):
        o = parse_opts(args, {"-n": True, "-c": True, "-l": True, "-m": True, "-s": True})
        st = self.st
        if not o:
            date, tim = self.dev.now_strings()
            msg = st["system"]["message"]
            out += [
                E000,
                kv("Host Name Sync:", en(st["system"]["hostname_sync"], True), 16),
                kv("Name:", st["system"]["name"], 16),
                kv("Contact:", st["system"]["contact"], 16),
                kv("Location:", st["system"]["location"], 16),
                kv("Message:", msg, 16) if msg else "Message: ",
                kv("DateTime:", "%s:%s" % (date, tim), 16),
                kv("User:", self.user["name"], 16),
                kv("Up Time:", duration(self.dev.uptime()), 16),
                kv("Stat:", self.stat_field(), 16),
                kv("Bootmon:", "bootmon:" + self.prof["bootmon"]["version"], 16),
                kv("AOS:", "aos:" + self.prof["aos_version"], 16),
                kv("App:", "%s:%s" % (self.prof["app_name"], self.prof["app_version"]), 16),
            ]
            return
        new = {}
        if "-n" in o:
            new["name"] = self.dev.apc_name(text(o["-n"], 255, 1))
        for opt, key in (("-c", "contact"), ("-l", "location"), ("-m", "message")):
            if opt in o:
                new[key] = text(o[opt], 255)
        if "-s" in o:
            new["hostname_sync"] = onoff(o["-s"])
        st["system"].update(new)
        if st["system"]["hostname_sync"] and "name" in new and HOST_RE.match(new["name"]):
            st["tcpip"]["host"] = new["name"]
        self.save()
        out.append(E000)

    def c_date(self, args, out):
        o = parse_opts(args, {"-d": True, "-t": True, "-f": True, "-z": True})
        d = self.st["date"]
        if not o:
            date, tim = self.dev.now_strings()
            out += [E000, "Date: " + date, "Time: " + tim, "Format: " + d["format"],
                    "Time Zone: " + d["tz"]]
            return
        fmt = choice(o["-f"], DATE_FORMATS) if "-f" in o else d["format"]
        tz = parse_tz(o["-z"])[0] if "-z" in o else d["tz"]
        ymd = parse_date(o["-d"], fmt) if "-d" in o else None
        hms = parse_time(o["-t"]) if "-t" in o else None
        d["format"] = fmt
        d["tz"] = tz
        if ymd or hms:
            self.dev.set_clock(ymd, hms)
        self.save()
        out.append(E000)

    def c_session(self, args, out):
        o = parse_opts(args, {"-d": True, "-m": True, "-a": True})
        if not o:
            header = ("User", "Interface", "Address", "Logged In Time", "ID")
            out += ["%-18s%-18s%-18s%-18s%s" % header, RULE]
            if self.user:
                el = int(time.time() - self.login_time)
                out.append("%-18s%-18s%-18s%-18s%d" % (
                    self.user["name"], "Serial", "", "%02d:%02d:%02d" % (
                        el // 3600, el // 60 % 60, el % 60), self.session_id))
            out.append(E000)
            return
        sess = self.st["session"]
        if "-m" in o:
            mu = onoff(o["-m"])
        if "-a" in o:
            ra = onoff(o["-a"])
        if "-d" in o:
            sid = int_in(o["-d"], 0, 1 << 30)
            if sid != self.session_id:
                raise ParamError()
        if "-m" in o:
            sess["multi_user"] = mu
        if "-a" in o:
            sess["remote_auth_override"] = ra
        self.save()
        if "-d" in o:
            raise EndSession([E000])
        out.append(E000)

    # -- network -----------------------------------------------------------------------
    def c_tcpip(self, args, out):
        o = parse_opts(args, {"-S": True, "-i": True, "-s": True, "-g": True, "-d": True,
                              "-h": True})
        t = self.st["tcpip"]
        if not o:
            act = self.dev.active_ipv4()
            out += [
                E000, "", "Active IPv4 Settings", "-" * 20,
                kv("  Active IPv4 Address:", act["ip"], 32),
                kv("  Active IPv4 Subnet Mask:", act["mask"], 32),
                kv("  Active IPv4 Gateway:", act["gateway"], 32),
                "", "Manually Configured IPv4 Settings", "-" * 33, "",
                kv("  IPv4:", en(t["enabled"]), 24),
                kv("  Manual Settings:", en(self.st["boot"]["mode"] == "manual"), 24),
                "",
                kv("  IPv4 Address:", t["ip"], 24),
                kv("  Subnet Mask:", t["mask"], 24),
                kv("  Gateway:", t["gateway"], 24),
                kv("  MAC Address:", self.prof["mac"], 24),
                kv("  Domain Name:", t["domain"], 24),
                kv("  Host Name:", t["host"], 24),
            ]
            return
        new = {}
        if "-S" in o:
            new["enabled"] = onoff(o["-S"])
        if "-i" in o:
            new["ip"] = ipv4(o["-i"])
        if "-s" in o:
            new["mask"] = netmask(o["-s"])
        if "-g" in o:
            g = ipv4(o["-g"])
            if g.startswith("127."):
                raise ParamError()
            new["gateway"] = g
        if "-d" in o:
            new["domain"] = domain(o["-d"])
        if "-h" in o:
            new["host"] = self.dev.apc_name(hostname(o["-h"]))
        t.update(new)
        if "host" in new and self.st["system"]["hostname_sync"]:
            self.st["system"]["name"] = new["host"]
        self.save()
        self.reboot_required(out)

    def c_tcpip6(self, args, out):
        o = parse_opts(args, {"-S": True, "-man": True, "-auto": True, "-i": True, "-g": True,
                              "-d6": True})
        t = self.st["tcpip6"]
        if not o:
            mode = {"router": "router controlled", "statefull": "address and other information",
                    "stateless": "non-address information only", "never": "never"}[t["dhcp6"]]
            out += [
                E000, "",
                kv("IPv6:", en(t["enabled"]), 24),
                kv("Manual Settings:", en(t["manual"]), 24),
                "",
                kv("IPv6 Address:", t["ip"], 24),
                kv("MAC Address:", self.prof["mac"], 24),
                kv("Gateway:", t["gateway"], 24),
                kv("IPv6 Manual Address:", en(t["manual"]), 24),
                kv("IPv6 Autoconfiguration:", en(t["auto"]), 24),
                kv("DHCPv6 Mode:", mode, 24),
            ]
            return
        new = {}
        if "-S" in o:
            new["enabled"] = onoff(o["-S"])
        if "-man" in o:
            new["manual"] = onoff(o["-man"])
        if "-auto" in o:
            new["auto"] = onoff(o["-auto"])
        if "-i" in o:
            if not is_ipv6(o["-i"]):
                raise ParamError()
            new["ip"] = o["-i"] if "/" in o["-i"] else o["-i"] + "/64"
        if "-g" in o:
            if not is_ipv6(o["-g"]) or "/" in o["-g"]:
                raise ParamError()
            new["gateway"] = o["-g"]
        if "-d6" in o:
            new["dhcp6"] = choice(o["-d6"], ("router", "statefull", "stateless", "never"))
        t.update(new)
        self.save()
        self.reboot_required(out)

    def c_boot(self, args, out):
        o = parse_opts(args, {"-b": True, "-c": True, "-v": True, "-i": True, "-u": True})
        b = self.st["boot"]
        if not o:
            out += [E000, "",
                    kv("Boot Mode:", b["mode"], 16),
                    kv("DHCP Cookie:", "enable" if b["cookie"] else "disable", 16),
                    kv("Vendor Class:", b["vendor_class"], 16),
                    kv("Client ID:", b["client_id"], 16),
                    kv("User Class:", b["user_class"], 16)]
            return
        new = {}
        if "-b" in o:
            new["mode"] = choice(o["-b"], ("dhcp", "bootp", "manual"))
        if "-c" in o:
            new["cookie"] = onoff(o["-c"])
        if "-v" in o:
            new["vendor_class"] = text(o["-v"], 32, 1)
        if "-i" in o:
            new["client_id"] = text(o["-i"], 32, 1)
        if "-u" in o:
            new["user_class"] = text(o["-u"], 32, 1)
        b.update(new)
        self.save()
        self.reboot_required(out)

    def c_dns(self, args, out):
        o = parse_opts(args, {"-OM": True, "-p": True, "-s": True, "-d": True, "-n": True,
                              "-h": True, "-y": True})
        d, st = self.st["dns"], self.st
        if not o:
            a1, a2 = self.dev.active_dns()
            out += [
                E000,
                kv("Active Primary DNS Server:", a1, 32),
                kv("Active Secondary DNS Server:", a2, 32),
                "",
                kv("Override Manual DNS Settings:", en(d["override"]), 32),
                kv("Primary DNS Server:", d["primary"], 32),
                kv("Secondary DNS Server:", d["secondary"], 32),
                kv("Domain Name:", st["tcpip"]["domain"], 32),
                kv("Domain Name IPv6:", d["domain6"], 32),
                kv("System Name Sync:", en(st["system"]["hostname_sync"], True), 32),
                kv("Host Name:", st["tcpip"]["host"], 32),
            ]
            return
        new, other = {}, {}
        if "-OM" in o:
            new["override"] = onoff(o["-OM"])
        if "-p" in o:
            new["primary"] = ipv4(o["-p"])
        if "-s" in o:
            new["secondary"] = ipv4(o["-s"])
        if "-n" in o:
            new["domain6"] = domain(o["-n"])
        if "-d" in o:
            other["domain"] = domain(o["-d"])
        if "-h" in o:
            other["host"] = self.dev.apc_name(hostname(o["-h"]))
        if "-y" in o:
            other["sync"] = onoff(o["-y"])
        d.update(new)
        if "domain" in other:
            st["tcpip"]["domain"] = other["domain"]
        if "sync" in other:
            st["system"]["hostname_sync"] = other["sync"]
        if "host" in other:
            st["tcpip"]["host"] = other["host"]
            if st["system"]["hostname_sync"]:
                st["system"]["name"] = other["host"]
        self.save()
        out.append(E000)

    def c_ntp(self, args, out):
        o = parse_opts(args, {"-OM": True, "-p": True, "-s": True, "-e": True, "-u": False})
        n = self.st["ntp"]
        if not o:
            a1, a2 = self.dev.active_ntp()
            out += [
                E000,
                kv("Active Primary NTP Server:", a1, 32),
                kv("Active Secondary NTP Server:", a2, 32),
                "",
                kv("Override Manual NTP Settings:", en(n["override"], True), 32),
                kv("Primary NTP Server:", n["primary"], 32),
                kv("Secondary NTP Server", n["secondary"], 32),   # sic: no colon (capture)
            ]
            return
        new = {}
        if "-OM" in o:
            new["override"] = onoff(o["-OM"])
        if "-p" in o:
            new["primary"] = ip_or_host(o["-p"])
        if "-s" in o:
            new["secondary"] = ip_or_host(o["-s"])
        if "-e" in o:
            new["enabled"] = onoff(o["-e"])
        n.update(new)
        self.save()
        out.append(E000)

    def c_web(self, args, out):
        o = parse_opts(args, {"-h": True, "-s": True, "-ph": True, "-ps": True})
        w = self.st["web"]
        if not o:
            out += [E000, kv("Http:", en(w["http"]), 16), kv("Https:", en(w["https"]), 16),
                    kv("Http Port:", w["http_port"], 16), kv("Https Port:", w["https_port"], 16)]
            return
        new = {}
        if "-h" in o:
            new["http"] = onoff(o["-h"])
        if "-s" in o:
            new["https"] = onoff(o["-s"])
        if "-ph" in o:
            new["http_port"] = int_in(o["-ph"], 5000, 32768, extra=(80,))
        if "-ps" in o:
            new["https_port"] = int_in(o["-ps"], 5000, 32768, extra=(443,))
        w.update(new)
        self.save()
        self.reboot_required(out)

    def c_console(self, args, out):
        o = parse_opts(args, {"-t": True, "-s": True, "-pt": True, "-ps": True, "-b": True})
        c = self.st["console"]
        if not o:
            out += [E000, kv("Telnet:", en(c["telnet"]), 13), kv("SSH:", en(c["ssh"]), 13),
                    kv("Telnet Port:", c["telnet_port"], 13), kv("SSH Port:", c["ssh_port"], 13),
                    kv("Baud Rate:", c["baud"], 13)]
            return
        new = {}
        if "-t" in o:
            new["telnet"] = onoff(o["-t"])
        if "-s" in o:
            new["ssh"] = onoff(o["-s"])
        if "-pt" in o:
            new["telnet_port"] = int_in(o["-pt"], 5000, 32768, extra=(23,))
        if "-ps" in o:
            new["ssh_port"] = int_in(o["-ps"], 5000, 32768, extra=(22,))
        if "-b" in o:
            new["baud"] = int_in(o["-b"], 0, -1, extra=(2400, 9600, 19200, 38400))
        c.update(new)
        self.save()
        if set(o) - {"-b"}:
            self.reboot_required(out)
        else:
            out.append(E000)
        if "baud" in new:
            self.dev.baud_changed_after_reply(new["baud"])

    def c_ftp(self, args, out):
        o = parse_opts(args, {"-S": True, "-p": True})
        f = self.st["ftp"]
        if not o:
            out += [E000, kv("Service:", en(f["enabled"], True), 16),
                    kv("Ftp Port:", f["port"], 16)]
            return
        new = {}
        if "-S" in o:
            new["enabled"] = onoff(o["-S"])
        if "-p" in o:
            new["port"] = int_in(o["-p"], 5001, 32768, extra=(21,))
        f.update(new)
        self.save()
        self.reboot_required(out)

    def c_snmp(self, args, out):
        spec = {"-S": True}
        for n in range(1, 5):
            spec.update({"-c%d" % n: True, "-a%d" % n: True, "-n%d" % n: True})
        o = parse_opts(args, spec)
        s = self.st["snmp"]
        if not o:
            out += [E000, kv("SNMPv1:", en(s["enabled"]), 24), ""]
            for n, a in enumerate(s["access"], 1):
                out += ["Access Control %d" % n,
                        kv("  Community Name:", a["community"], 24),
                        kv("  Access Type:", a["access"], 24),
                        kv("  NMS IP/Host Name:", a["nms"], 24)]
                if n < 4:
                    out.append("")
            return
        changes = []
        enable = onoff(o["-S"]) if "-S" in o else None
        for n in range(1, 5):
            if "-c%d" % n in o:
                changes.append((n, "community", text(o["-c%d" % n], 15, 1)))
            if "-a%d" % n in o:
                changes.append((n, "access", choice(o["-a%d" % n],
                                                    ("read", "write", "writeplus", "disable"))))
            if "-n%d" % n in o:
                changes.append((n, "nms", ip_or_host(o["-n%d" % n])))
        for n, key, val in changes:
            s["access"][n - 1][key] = val
        if enable is not None:
            s["enabled"] = enable
        self.save()
        if enable is False:
            self.reboot_required(out)
        else:
            out.append(E000)

    def c_snmpv3(self, args, out):
        spec = {"-S": True}
        for n in range(1, 5):
            for p in ("-u", "-a", "-c", "-ap", "-pp", "-ac", "-au", "-n"):
                spec["%s%d" % (p, n)] = True
        o = parse_opts(args, spec)
        s = self.st["snmpv3"]
        if not o:
            out += [E000, kv("SNMPv3:", en(s["enabled"]), 24), ""]
            for n, u in enumerate(s["users"], 1):
                out += ["User Profile %d" % n, kv("  User Name:", u["name"], 24),
                        kv("  Authentication:", u["auth"], 24),
                        kv("  Privacy:", u["priv"], 24), ""]
            for n, a in enumerate(s["access"], 1):
                out += ["Access Control %d" % n, kv("  Access:", en(a["enabled"]), 24),
                        kv("  User Name:", a["user"], 24),
                        kv("  NMS IP/Host Name:", a["nms"], 24)]
                if n < 4:
                    out.append("")
            return
        changes = []
        enable = onoff(o["-S"]) if "-S" in o else None
        names = [u["name"] for u in s["users"]]
        for n in range(1, 5):
            def g(prefix, n=n):
                return o.get("%s%d" % (prefix, n))
            if g("-u") is not None:
                changes.append(("users", n, "name", text(g("-u"), 32, 1)))
                names[n - 1] = g("-u")
            if g("-a") is not None:
                changes.append(("users", n, "auth_phrase", text(g("-a"), 32, 15)))
            if g("-c") is not None:
                changes.append(("users", n, "crypt_phrase", text(g("-c"), 32, 15)))
            if g("-ap") is not None:
                changes.append(("users", n, "auth", choice(g("-ap"), ("sha", "md5", "none"))))
            if g("-pp") is not None:
                changes.append(("users", n, "priv", choice(g("-pp"), ("aes", "des", "none"))))
            if g("-ac") is not None:
                changes.append(("access", n, "enabled", onoff(g("-ac"))))
            if g("-n") is not None:
                changes.append(("access", n, "nms", ip_or_host(g("-n"))))
        for n in range(1, 5):
            au = o.get("-au%d" % n)
            if au is not None:
                if au not in names:
                    raise ParamError()
                changes.append(("access", n, "user", au))
        for area, n, key, val in changes:
            s[area][n - 1][key] = val
        if enable is not None:
            s["enabled"] = enable
        self.save()
        out.append(E000)

    # -- users -------------------------------------------------------------------------
    def find_user(self, name):
        for u in self.st["users"]:
            if u["name"] == name:
                return u
        return None

    def c_user(self, args, out):
        spec = {"-n": True, "-cp": True, "-pw": True, "-pe": True, "-d": True, "-e": True,
                "-st": True, "-del": True, "-l": False, "-sr": True, "-el": True, "-lf": True,
                "-ts": True, "-df": True, "-lg": True}
        o = parse_opts(args, spec)
        users = self.st["users"]
        if not o or list(o) == ["-l"]:
            out += [E000, "%-24s%-31s%s" % ("Name", "User Type", "Status"),
                    "%-24s%-31s%s" % ("----", "---------", "------")]
            for u in users:
                out.append("%-24s%-31s%s" % (u["name"], u["type"], en(u["enabled"], True)))
            return
        if "-del" in o:
            if len(o) != 1:
                raise ParamError()
            u = self.find_user(o["-del"])
            if u is None or u["type"] == "Super User" or u is self.user:
                raise ParamError()
            users.remove(u)
            self.save()
            out.append(E000)
            return
        if "-n" not in o:
            raise ParamError()
        name = o["-n"]
        u = self.find_user(name)
        if list(o) == ["-n"]:
            if u is None:
                raise ParamError()
            out += [
                E000,
                "Access: %s " % en(u["enabled"], True),
                "User Name: %s" % u["name"],
                "Password: <hidden>",
                "User Permission: %s" % u["type"],
                "User Description: %s" % u["description"],
                "Session Timeout: %d minute%s" % (u["session_timeout"],
                                                  "" if u["session_timeout"] == 1 else "s"),
                "Serial Remote Authentication Override: %s"
                % en(u["serial_remote_auth_override"], True),
                "Event Log Color Coding: %s" % en(u["event_log_color"], True),
                "Export Log Format: %s" % u["export_format"],
                "Temperature Scale: %s" % u["temperature_scale"],
                "Date Format: %s" % u["date_format"],
                "Language: %s" % u["language"],
            ]
            return
        # set / create: validate everything first
        new = {}
        if "-pw" in o:
            pw = text(o["-pw"], 64, 1)
            if not self.dev.password_ok(pw):
                raise ParamError()
            new["password"] = pw
        if "-pe" in o:
            new["type"] = choice(o["-pe"], USER_TYPES)
        if "-d" in o:
            new["description"] = text(o["-d"], 64)
        if "-e" in o:
            new["enabled"] = onoff(o["-e"])
        if "-st" in o:
            new["session_timeout"] = int_in(o["-st"], 1, 60)
        if "-sr" in o:
            new["serial_remote_auth_override"] = onoff(o["-sr"])
        if "-el" in o:
            new["event_log_color"] = onoff(o["-el"])
        if "-lf" in o:
            new["export_format"] = {"tab": "Tab", "csv": "CSV"}[choice(o["-lf"], ("tab", "csv"))]
        if "-ts" in o:
            new["temperature_scale"] = {"us": "US", "metric": "Metric"}[
                choice(o["-ts"], ("us", "metric"))]
        if "-df" in o:
            new["date_format"] = choice(o["-df"], DATE_FORMATS)
        if "-lg" in o:
            code = o["-lg"]
            if not re.match(r"^[a-zA-Z]{4}$", code):
                raise ParamError()
            new["language"] = LANGS.get(code.lower(), "%s (%s)" % (code, code))
        if u is None:
            if "password" not in new or not re.match(r"^[A-Za-z0-9._@-]{1,64}$", name):
                raise ParamError()
            dflt = self.st["userdflt"]
            u = {
                "name": name, "type": dflt["type"], "password": "",
                "enabled": dflt["enabled"], "description": dflt["description"],
                "session_timeout": dflt["session_timeout"],
                "serial_remote_auth_override": False,
                "event_log_color": dflt["event_log_color"],
                "export_format": dflt["export_format"],
                "temperature_scale": dflt["temperature_scale"],
                "date_format": dflt["date_format"], "language": dflt["language"],
                "failures": 0, "locked": False, "locked_until": None,
            }
            users.append(u)
        elif u["type"] == "Super User":
            if "type" in new:
                raise ParamError()
            if "password" in new:
                cp = o.get("-cp")
                ok = cp is not None and (cp == u["password"] or
                                         (self.via_reset_window and cp == "apc"))
                if not ok:
                    raise ParamError()
        u.update(new)
        if new.get("enabled"):
            u["failures"] = 0
            u["locked"] = False
            u["locked_until"] = None
        self.save()
        if u["type"] == "Super User" and new.get("enabled") is False:
            out += ["", "Note: Disabling the Super User account may have undesired effects! "
                    "Ensure", "at least one user on the system is enabled and has "
                    "Administrator privileges."]
        out.append(E000)

    def c_userdflt(self, args, out):
        spec = {"-e": True, "-pe": True, "-d": True, "-st": True, "-bl": True, "-el": True,
                "-lf": True, "-ts": True, "-df": True, "-lg": True, "-sp": True, "-pp": True}
        o = parse_opts(args, spec)
        d = self.st["userdflt"]
        if not o:
            pp = d["password_change_days"]
            out += [
                E000,
                "Access: %s" % en(d["enabled"], True),
                "User Permission: %s" % d["type"],
                "User Description: %s" % d["description"],
                "Session Timeout: %d minute%s" % (d["session_timeout"],
                                                  "" if d["session_timeout"] == 1 else "s"),
                "Bad Login Attempts: %d" % d["bad_login_attempts"],
                "Event Log Color Coding: %s" % en(d["event_log_color"], True),
                "Export Log Format: %s" % d["export_format"],
                "Temperature Scale: %s" % d["temperature_scale"],
                "Date Format: %s" % d["date_format"],
                "Language: %s" % d["language"],
                "Strong Passwords: %s" % en(d["strong_passwords"], True),
                "Require Password Change: %d day(s) (%s)" % (pp, en(pp > 0, True)),
            ]
            return
        new = {}
        if "-e" in o:
            new["enabled"] = onoff(o["-e"])
        if "-pe" in o:
            new["type"] = choice(o["-pe"], USER_TYPES)
        if "-d" in o:
            new["description"] = text(o["-d"], 64)
        if "-st" in o:
            new["session_timeout"] = int_in(o["-st"], 1, 60)
        if "-bl" in o:
            new["bad_login_attempts"] = int_in(o["-bl"], 0, 99)
        if "-el" in o:
            new["event_log_color"] = onoff(o["-el"])
        if "-lf" in o:
            new["export_format"] = {"tab": "Tab", "csv": "CSV"}[choice(o["-lf"], ("tab", "csv"))]
        if "-ts" in o:
            new["temperature_scale"] = {"us": "US", "metric": "Metric"}[
                choice(o["-ts"], ("us", "metric"))]
        if "-df" in o:
            new["date_format"] = choice(o["-df"], DATE_FORMATS)
        if "-lg" in o:
            code = o["-lg"]
            if not re.match(r"^[a-zA-Z]{4}$", code):
                raise ParamError()
            new["language"] = LANGS.get(code.lower(), "%s (%s)" % (code, code))
        if "-sp" in o:
            new["strong_passwords"] = onoff(o["-sp"])
        if "-pp" in o:
            new["password_change_days"] = int_in(o["-pp"], 0, 365)
        d.update(new)
        self.save()
        out.append(E000)

    # -- UPS ---------------------------------------------------------------------------
    def c_upsabout(self, args, out):
        if args:
            raise ParamError()
        f = self.prof["ups"]
        out += [E000, "Model: " + f["model"], "Serial Number: " + f["serial"],
                "Firmware Revision: " + f["firmware"], "Manufacture Date: " + f["mfg_date"]]

    def _det(self, part):
        ups = self.dev.ups
        f = self.prof["ups"]
        st = self.st["ups"]
        rt = ups.runtime_minutes()
        out_v = f["output_voltage"] if st.get("output") != "off" else 0.0
        tc = f["temperature_c"]
        parts = {
            "ss": ["Status of UPS: " + ups.status_text(), "Last Transfer: " + st["last_transfer"]],
            "rt": ["Runtime Remaining: %d hr %d min" % (rt // 60, rt % 60)],
            "soc": ["Battery State Of Charge: %.1f %%" % ups.charge()],
            "om": ["Output Voltage: %.1f VAC" % out_v, "Output Frequency: %.1f Hz" % f["frequency"],
                   "Output Watts Percent: 0.0 %"],
            "im": ["Input Voltage: %.1f VAC" % ups.input_voltage()],
            "bat": ["Battery Voltage: %.1f VDC" % f["battery_voltage"]],
            "tmp": ["Internal Temperature: %.1f C, %.1f F" % (tc, tc * 9 / 5 + 32)],
            "dg": ["Self-Test Result: Not Available", "Self-Test Date: Unknown",
                   "Calibration Result: Not Available", "Calibration Date: Unknown"],
        }
        if part == "all":
            res = []
            for k in ("ss", "rt", "soc", "om", "im", "bat", "tmp", "dg"):
                res += parts[k]
            return res
        return parts[part]

    def c_detstatus(self, args, out):
        if len(args) != 1 or args[0] not in ("-all", "-ss", "-rt", "-soc", "-om", "-im", "-bat",
                                             "-tmp", "-dg"):
            raise ParamError()
        out += [E000] + self._det(args[0][1:])

    def c_ups(self, args, out):
        o = parse_opts(args, {"-st": False, "-c": True, "-r": True, "-s": True, "-a": True})
        if not o:
            raise ParamError()
        if "-c" in o:
            action = choice(o["-c"], ("on", "off", "reboot", "graceoff", "gracereboot", "sleep",
                                      "gracesleep"))
        for opt in ("-r",):
            if opt in o:
                choice(o[opt], ("start", "stop"))
        for opt in ("-s", "-a"):
            if opt in o:
                choice(o[opt], ("start",))
        if "-c" in o:
            turned_off = action in ("off", "graceoff", "sleep", "gracesleep")
            self.st["ups"]["output"] = "off" if turned_off else "on"
            self.save()
        out.append(E000)
        if "-st" in o:
            out.append("State: " + self.dev.ups.status_text())

    def c_cfgshutdn(self, args, out):
        o = parse_opts(args, {"-all": False, "-sd": True, "-lo": True, "-rd": True, "-rsc": True,
                              "-sl": True})
        if not o:
            raise ParamError()
        c = self.st["ups"].setdefault("shutdown", {"sd": "180", "lo": "02", "rd": "000",
                                                   "rsc": "15", "sl": "0.0"})
        allowed = {"-sd": ["%03d" % x for x in range(0, 631, 90)],
                   "-lo": ["%02d" % x for x in range(2, 24, 3)],
                   "-rd": ["%03d" % x for x in range(0, 421, 60)],
                   "-rsc": ["%02d" % x for x in range(0, 91, 15)]}
        new = {}
        for opt, vals in allowed.items():
            if opt in o:
                if o[opt] not in vals:
                    raise ParamError()
                new[opt[1:]] = o[opt]
        if "-sl" in o:
            try:
                v = float(o["-sl"])
            except ValueError:
                raise ParamError()
            if not 0 <= v <= 359.9:
                raise ParamError()
            new["sl"] = "%.1f" % v
        c.update(new)
        self.save()
        out += [E000, "Shutdown Delay: %s sec" % c["sd"], "Low Battery Duration: %s min" % c["lo"],
                "Return Delay: %s sec" % c["rd"],
                "Minimum Return State of Charge: %s %%" % c["rsc"],
                "Sleep Time: %s hr" % c["sl"]]

    def c_cfgpower(self, args, out):
        if args != ["-all"]:
            raise ParamError()
        out += [E000, "Low Transfer Voltage: 196 VAC", "High Transfer Voltage: 253 VAC",
                "Sensitivity: Normal"]

    # -- Rack PDU ----------------------------------------------------------------------
    def outlet_list(self, spec):
        """all | number | name | list like 3,5-7,10 -> sorted 0-based indices."""
        n = self.dev.outlets.count()
        if spec.lower() == "all":
            return list(range(n))
        if re.match(r"^[0-9,\- ]+$", spec):
            idx = set()
            for part in spec.split(","):
                part = part.strip()
                m = re.match(r"^(\d+)(?:-(\d+))?$", part)
                if not m:
                    raise ParamError()
                a = int(m.group(1))
                b = int(m.group(2) or a)
                if a < 1 or b > n or a > b:
                    raise ParamError()
                idx.update(range(a - 1, b))
            return sorted(idx)
        for i, o in enumerate(self.st["outlets"]):
            if o["name"].lower() == spec.lower():
                return [i]
        raise ParamError()

    def _outlet_lines(self, idxs, fn):
        ol = self.st["outlets"]
        return ["%2d: %s: %s" % (i + 1, ol[i]["name"], fn(i, ol[i])) for i in idxs]

    def c_olstatus(self, args, out):
        if len(args) > 1:
            raise ParamError()
        idxs = self.outlet_list(args[0] if args else "all")
        bank = self.dev.outlets
        out.append(E000)
        out += self._outlet_lines(idxs, lambda i, o: ("On" if o["state"] == "on" else "Off")
                                  + ("*" if bank.pending(i) else ""))

    def c_olcontrol(self, what):
        def handler(args, out):
            if len(args) != 1:
                raise ParamError()
            idxs = self.outlet_list(args[0])
            bank = self.dev.outlets
            for i in idxs:
                {"on": lambda: bank.on(i), "off": lambda: bank.off(i),
                 "reboot": lambda: bank.reboot(i),
                 "dlyon": lambda: bank.on(i, delayed=True),
                 "dlyoff": lambda: bank.off(i, delayed=True),
                 "dlyreboot": lambda: bank.reboot(i, delayed=True),
                 "cancel": lambda: bank.cancel(i)}[what]()
            out.append(E000)
        return handler

    def c_olname(self, args, out):
        if len(args) > 2:
            raise ParamError()
        idxs = self.outlet_list(args[0] if args else "all")
        if len(args) == 2:
            if len(idxs) != 1:
                raise ParamError()
            name = text(args[1], 23, 1)
            if name.lower() == "all" or re.match(r"^[0-9,\- ]+$", name):
                raise ParamError()
            self.st["outlets"][idxs[0]]["name"] = name
            self.save()
            out.append(E000)
            return
        out.append(E000)
        out += ["%2d: %s" % (i + 1, self.st["outlets"][i]["name"]) for i in idxs]

    def c_oldelay(self, key):
        def handler(args, out):
            if len(args) > 2:
                raise ParamError()
            idxs = self.outlet_list(args[0] if args else "all")
            if len(args) == 2:
                v = args[1]
                if key == "reboot_time":
                    secs = int_in(v, 5, 60)
                elif v.lower() == "never":
                    secs = -1
                else:
                    secs = int_in(v, 0, 7200, extra=(-1,))
                for i in idxs:
                    self.st["outlets"][i][key] = secs
                self.save()
                out.append(E000)
                return
            out.append(E000)
            out += self._outlet_lines(
                idxs, lambda i, o: "never" if o[key] < 0 else "%d sec" % o[key])
        return handler

    def c_prodinfo(self, args, out):
        if args:
            raise ParamError()
        p = self.prof
        out += [E000, "AOS: " + p["aos_version"],
                "%s: %s" % (p.get("product", "Switched Rack PDU"), p["app_version"]),
                "Model: " + p["model_number"], "Present Outlets: %d" % p["outlets"],
                "Max Current: %d A" % p["max_current"], "Present Phases: %d" % p["phases"]]

    def c_phreading(self, args, out):
        if len(args) != 2:
            raise ParamError()
        phases = self.prof["phases"]
        if args[0].lower() == "all":
            phs = list(range(1, phases + 1))
        else:
            phs = [int_in(args[0], 1, phases)]
        what = choice(args[1], ("current", "voltage", "power", "appower"))
        on = sum(1 for o in self.st["outlets"] if o["state"] == "on")
        volts = self.prof.get("voltage", 230)
        amps = round(0.1 + 0.02 * on, 1) / max(1, phases)
        out.append(E000)
        for ph in phs:
            if what == "current":
                out.append("%d: %.1f A" % (ph, amps))
            elif what == "voltage":
                out.append("%d: %d V" % (ph, volts))
            elif what == "power":
                out.append("%d: %.2f kW" % (ph, amps * volts * 0.3 / 1000.0))
            else:
                out.append("%d: %.2f kVA" % (ph, amps * volts / 1000.0 + 0.01))
