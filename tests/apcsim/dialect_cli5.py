"""The ``cli`` dialect as AOS 5.x NMC2 firmware speaks it (5.1.6 / 5.1.7).

``Cli5Program`` is the 6.x ``CliProgram`` with the differences the public AP9630 captures
show for 5.1.x (command list, ``web`` and ``console`` with one ``-S`` service switch, the
``American Power Conversion`` banner without service/user blocks) plus documented guesses
for what the captures do not show (the fixed-account ``user`` command, the flat ``tcpip``
read). ``cli_program(device)`` picks the class: AOS major version 5 on a non-NMC3 card
gets ``Cli5Program``, everything else ``CliProgram``. See README.md, "AOS 5.x".
"""

from .dialect_cli import (
    E000, PDU_COMMANDS, RULE, CliProgram, ParamError, choice, columns, int_in, kv, parse_opts,
    text,
)

E102 = "E102: Parameter Error"

# ``?`` on 5.1.6 / 5.1.7 (capture), in the order the card prints them.
SYSTEM_COMMANDS_5 = [
    "?", "about", "alarmcount", "boot", "cd", "clrrst", "console", "date", "delete", "dir",
    "dns", "eventlog", "exit", "format", "ftp", "help", "netstat", "ntp", "ping",
    "portspeed", "prompt", "quit", "radius", "reboot", "resetToDef", "snmp", "snmpv3",
    "system", "tcpip", "tcpip6", "user", "web", "xferINI", "xferStatus",
]
UPS_COMMANDS_5 = ["ups", "detstatus", "cfgshutdn", "cfgpower"]

# The three fixed 5.x accounts: (state user type, name option, password option,
# factory name, label in the ``user`` read, banner ``User :`` text).
FIXED_ACCOUNTS = (
    ("Super User", "-an", "-ap", "apc", "Administrator:", "Administrator"),
    ("Device", "-dn", "-dp", "device", "Device Manager:", "Device Manager"),
    ("Read-Only", "-rn", "-rp", "readonly", "Read Only User:", "Read Only"),
)
NAME_MAX = 10           # nmc-cli.md: names max 10 characters
PASSWORD_MAX = 32       # nmc-cli.md: passwords max 32 characters
SESSION_TIMEOUT_RANGE = (1, 10)   # nmc-cli.md: ``user -t`` max 10 minutes on 5.x (guess: min 1)

# Usage texts of the commands whose options differ from 6.x (guessed wording, 6.x layout).
USAGE_5 = {
    "web": ["web [-S <disable | http | https>]",
            "    [-ph <http port>] (80 and 5000-32768)",
            "    [-ps <https port>] (443 and 5000-32768)"],
    "console": ["console [-S <telnet | ssh | disable>]",
                "        [-pt <telnet port>] (23 and 5000-32768)",
                "        [-ps <ssh port>] (22 and 5000-32768)",
                "        [-b <2400 | 9600 | 19200 | 38400>] (baud rate)"],
    "user": ["user [-an <administrator name>] (1-%d characters)" % NAME_MAX,
             "     [-ap <administrator password>] (1-%d characters)" % PASSWORD_MAX,
             "     [-dn <device manager name>]", "     [-dp <device manager password>]",
             "     [-rn <read only user name>]", "     [-rp <read only user password>]",
             "     [-t <session timeout>] (%d-%d minutes)" % SESSION_TIMEOUT_RANGE],
    "alarmcount": ["alarmcount [-p <all | warning | critical>]"],
}


def is_aos5(profile):
    """True for AOS 5.x firmware on an NMC2-class card (NMC3 versions are v1-v3)."""
    if profile.get("card") == "nmc3":
        return False
    head = str(profile.get("aos_version", "")).lstrip("vV").split(".", maxsplit=1)[0]
    return head.isdigit() and int(head) == 5


def cli_program(device):
    """The console program for the ``cli`` dialect (``device.DIALECTS["cli"]``)."""
    cls = Cli5Program if is_aos5(device.profile) else CliProgram
    return cls(device)


class Cli5Program(CliProgram):
    """AOS 5.x command line: 6.x behaviour minus what 5.1.x lacks, plus its own forms."""

    def __init__(self, device):
        super().__init__(device)
        with self.dev.store.lock:
            self.fixed_accounts()

    # -- accounts ------------------------------------------------------------------------
    def fixed_accounts(self):
        """The Administrator, Device Manager and Read Only accounts (state users of type
        Super User, Device, Read-Only), created if missing and always enabled: 5.x has no
        way to disable them. Call with the store lock held."""
        users = self.st["users"]
        found, changed = [], False
        for utype, _nopt, _popt, default_name, _label, _banner in FIXED_ACCOUNTS:
            u = next((x for x in users if x["type"] == utype), None)
            if u is None:
                dflt = self.st["userdflt"]
                u = {
                    "name": default_name, "type": utype, "password": "apc", "enabled": True,
                    "description": dflt["description"],
                    "session_timeout": dflt["session_timeout"],
                    "serial_remote_auth_override": False,
                    "event_log_color": dflt["event_log_color"],
                    "export_format": dflt["export_format"],
                    "temperature_scale": dflt["temperature_scale"],
                    "date_format": dflt["date_format"], "language": dflt["language"],
                    "failures": 0, "locked": False, "locked_until": None,
                }
                users.append(u)
                changed = True
            if not u["enabled"]:
                u["enabled"] = True
                changed = True
            found.append(u)
        if changed:
            self.save()
        return found

    def run(self, start="wait_cr"):
        # every boot lands here (a pending resetToDef has just recreated the users)
        with self.dev.store.lock:
            self.fixed_accounts()
        return super().run(start)

    # -- banner, help, usage -------------------------------------------------------------
    def banner(self):
        lines = super().banner()
        p = self.prof
        lines[0] = "%-40s%-33s%s" % ("American Power Conversion", "Network Management Card AOS",
                                     p["aos_version"])
        if self.user is not None:
            shown = next((b for t, _n, _p, _d, _l, b in FIXED_ACCOUNTS
                          if t == self.user["type"]), None)
            for i, line in enumerate(lines):
                if shown and len(line) > 54 and line[54:].startswith("User : "):
                    lines[i] = line[:54] + "User : " + shown
        # 5.x never prints the 6.9.6 service/user blocks, whatever banner_style says
        if lines.count(RULE) > 2:
            second = [i for i, line in enumerate(lines) if line == RULE][1]
            tail = lines.index("Type ? for command listing")
            lines = lines[:second + 1] + ["", ""] + lines[tail:]
        return lines

    def help_list(self):
        dev_cmds = UPS_COMMANDS_5 if self.prof["kind"] == "ups" else \
            [n for n in PDU_COMMANDS if n in self.commands]
        return (["", "Network Management Card Commands:", "-" * 75,
                 "For command help: command ?", ""]
                + columns(SYSTEM_COMMANDS_5) + ["", "Device Commands:", "-" * 75]
                + columns(dev_cmds))

    def usage_of(self, cmd):
        entry = self.lookup(cmd)
        if entry is not None and entry[0] in USAGE_5:
            return ["Usage: %s --  Configuration Options" % entry[0]] + \
                ["    " + u for u in USAGE_5[entry[0]]]
        return super().usage_of(cmd)

    def execute(self, line):
        out = super().execute(line)
        # CliProgram formats E102 with the 6.x usage text: swap in the 5.x one
        if len(out) >= 2 and out[0] == E102 and out[1].startswith("Usage: "):
            name = out[1][len("Usage: "):].split(" ", 1)[0]
            if name in USAGE_5:
                out = out[:1] + self.usage_of(name)
        return out

    def _command_table(self):
        table = super()._command_table()
        keep = set(SYSTEM_COMMANDS_5) - {"?", "help"}
        if self.prof["kind"] == "ups":
            keep |= set(UPS_COMMANDS_5)
        else:       # 5.x Rack PDU device commands are unknown: keep the 6.x ones (guess)
            keep |= {n for n, (_fn, area) in table.items() if area == "device"}
        return {n: entry for n, entry in table.items() if n in keep}

    # -- commands whose 5.x form differs ---------------------------------------------------
    def c_alarmcount(self, args, out):
        o = parse_opts(args, {"-p": True})
        if "-p" in o:
            choice(o["-p"], ("all", "warning", "critical"))   # no informational on 5.x
        super().c_alarmcount(args, out)

    def c_tcpip(self, args, out):
        if args:
            super().c_tcpip(args, out)
            return
        t = self.st["tcpip"]
        # the older flat form: the configured values, tab padded
        out += [E000,
                "IPv4 Address:\t" + t["ip"],
                "Subnet Mask:\t" + t["mask"],
                "Gateway:\t" + t["gateway"],
                "MAC Address:\t" + self.prof["mac"],
                "Domain Name:\t" + t["domain"],
                "Host Name:\t" + t["host"]]

    def c_web(self, args, out):
        o = parse_opts(args, {"-S": True, "-ph": True, "-ps": True})
        w = self.st["web"]
        if not o:
            service = "https" if w["https"] else ("http" if w["http"] else "disabled")
            out += [E000, kv("Service:", service, 16), kv("Http Port:", w["http_port"], 16),
                    kv("Https Port:", w["https_port"], 16)]
            return
        new = {}
        if "-S" in o:
            service = choice(o["-S"], ("disable", "http", "https"))
            new["http"] = service == "http"
            new["https"] = service == "https"
        if "-ph" in o:
            new["http_port"] = int_in(o["-ph"], 5000, 32768, extra=(80,))
        if "-ps" in o:
            new["https_port"] = int_in(o["-ps"], 5000, 32768, extra=(443,))
        w.update(new)
        self.save()
        self.reboot_required(out)

    def c_console(self, args, out):
        o = parse_opts(args, {"-S": True, "-pt": True, "-ps": True, "-b": True})
        c = self.st["console"]
        if not o:
            service = "ssh" if c["ssh"] else ("telnet" if c["telnet"] else "disabled")
            out += [E000, kv("Service:", service, 13), kv("Telnet Port:", c["telnet_port"], 13),
                    kv("SSH Port:", c["ssh_port"], 13), kv("Baud Rate:", c["baud"], 13)]
            return
        new = {}
        if "-S" in o:
            service = choice(o["-S"], ("telnet", "ssh", "disable"))
            new["telnet"] = service == "telnet"
            new["ssh"] = service == "ssh"
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

    def c_user(self, args, out):
        spec = {"-t": True}
        for _t, nopt, popt, _d, _l, _b in FIXED_ACCOUNTS:
            spec[nopt] = True
            spec[popt] = True
        o = parse_opts(args, spec)
        accounts = self.fixed_accounts()
        if not o:
            minutes = int(accounts[0]["session_timeout"])
            plural = "" if minutes == 1 else "s"
            out.append(E000)
            for (_t, _n, _p, _d, label, _b), u in zip(FIXED_ACCOUNTS, accounts):
                out.append(kv(label, u["name"], 24))
            out.append(kv("Session Timeout:", "%d minute%s" % (minutes, plural), 24))
            return
        # validate everything first
        changes = []
        names = [u["name"] for u in accounts]
        for i, (_t, nopt, popt, _d, _l, _b) in enumerate(FIXED_ACCOUNTS):
            if nopt in o:
                names[i] = text(o[nopt], NAME_MAX, 1)
                changes.append((accounts[i], "name", names[i]))
            if popt in o:
                changes.append((accounts[i], "password", text(o[popt], PASSWORD_MAX, 1)))
        if len({n.lower() for n in names}) != len(names):
            raise ParamError()          # two fixed accounts with one name (guess)
        if "-t" in o:
            minutes = int_in(o["-t"], *SESSION_TIMEOUT_RANGE)
            for u in accounts:
                changes.append((u, "session_timeout", minutes))
        for u, key, value in changes:
            u[key] = value
        self.save()
        out.append(E000)
