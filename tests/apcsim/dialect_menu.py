"""The ``menu`` dialect: the numbered "Control Console" of first-generation Rack PDUs
(AP79xx without the B suffix, AOS 2.x / 3.x) and NMC1 cards (AP9617/18/19).

A console program in blocking style, like ``dialect_cli.CliProgram``: login with the same
prompts, then screens of numbered items. Each screen is built afresh every time it is
shown (so ``<ENTER>`` refreshes it) by a callable on a navigation stack; ESC pops, Ctrl-C
clears the stack to the main menu. Settings screens (``Form``) keep typed values pending
until their ``Accept Changes`` item; leaving the screen drops them. The item order of each
menu comes from ``menu_profiles.MENU_LAYOUTS`` per firmware family. Texts not shown by the
references are documented guesses (README.md, "menu dialect").
"""

import copy
import time

from .console import CR, LF, BS, DEL, IdleTimeout, Interrupted
from .dialect_cli import (
    DATE_FORMATS, FQDN_RE, ParamError, duration, fmt_date, is_ipv4, netmask, parse_date,
    parse_time,
)
from .menu_profiles import MENU_LAYOUTS, layout_for
from .state import snapshot_active
from .xfer_ini import XFER_BAUDS

CRLF = "\r\n"
ESC = 0x1B
CTRL_C = 0x03
CTRL_L = 0x0C
RULE = "-" * 79
CONFIRM = "Enter 'YES' to continue or <ENTER> to cancel : "
PRESS_ENTER = "Press <ENTER> to continue..."
FOOT_MAIN = "     <ESC>- Main Menu, <ENTER>- Refresh, <CTRL-L>- Event Log"
FOOT_SUB = "     <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log"
FOOT_OUTLET = "     ?- Help, <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log"
BYE = "Connection Closed - Bye"
DENIED = "Access denied."

# state user type -> what the menus call the account
ACCOUNT_LABEL = {"Super User": "Administrator", "Device": "Device Manager",
                 "Read-Only": "Read Only User"}
BANNER_USER = {"Super User": "Administrator", "Device": "Device Manager",
               "Read-Only": "Read Only"}
FACTORY_NAMES = {"Super User": "apc", "Device": "device", "Read-Only": "readonly"}
BOOT_MODES = {"manual": "Manual", "bootp": "BOOTP", "dhcp": "DHCP",
              "dhcpbootp": "DHCP & BOOTP"}
SNMP_ACCESS = [("Disabled", "disable"), ("Read", "read"), ("Write", "write"),
               ("Write+", "writeplus")]
ENABLED = [("Enabled", True), ("Disabled", False)]

# The crypto limit of AOS 2.6.x (seed document): printed when SSL/TLS or SSH is chosen.
SSL_LIMIT = ("SSL/TLS set-up is not complete: the encryption licence agreement and the "
             "server key and certificate generation must be completed in the Web interface.")
SSH_LIMIT = ("SSH set-up is not complete: the encryption licence agreement and the SSH "
             "host key generation must be completed in the Web interface.")
CRYPTO_NOTE = ["     Note: SSL/TLS and SSH set-up (encryption licence agreement, key",
               "     generation) can only be completed in the Web interface."]


class MenuError(Exception):
    """A refused value or action: one short line, then the screen again."""


class ToMain(Exception):
    """Ctrl-C inside a prompt: straight to the main menu."""


class Logout(Exception):
    """The user chose Logout."""


# navigation results of an item action (None: show the same screen again)
BACK = "back"
MAIN = "main"


class Push:
    def __init__(self, builder):
        self.builder = builder


class Screen:
    """What one screen shows: title rule, header lines, numbered items, footer."""

    def __init__(self, title, items=(), header=(), footer=FOOT_SUB, help_lines=None):
        self.title = title
        self.items = list(items)          # [(text, action)]
        self.header = list(header)
        self.footer = footer
        self.help_lines = help_lines


def title_rule(title):
    return ("------- %s " % title).ljust(79, "-")


def item_line(n, text):
    return "%6d- %s" % (n, text)


def field_text(label, value, pad):
    return "%s: %s" % (label.ljust(pad), value)


class Field:
    """One editable setting of a Form.

    ``get()`` -> stored value; ``show(v)`` -> display text; ``parse(text)`` -> value or
    MenuError; ``choices``: [(label, value)] shown on a sub-screen; ``check(value)`` may
    refuse a chosen value; ``secret``: a password with confirmation; ``submenu``: a
    builder pushed instead of editing; ``info``: lines shown then Press <ENTER>.
    """

    def __init__(self, key, label, get=None, show=str, parse=None, choices=None, check=None,
                 prompt=None, secret=False, submenu=None, info=None, allow_empty=False):
        self.key = key
        self.label = label
        self.get = get
        self.show = show
        self.parse = parse
        self.choices = choices
        self.check = check
        self.prompt = prompt if prompt is not None else label + " : "
        self.secret = secret
        self.submenu = submenu
        self.info = info
        self.allow_empty = allow_empty


class Form:
    """A settings screen with pending values and an ``Accept Changes`` item."""

    def __init__(self, prog, title, fields, order, apply_fn, area, pad=30, header_fn=None,
                 footer=FOOT_SUB, help_lines=None):
        self.prog = prog
        self.title = title
        self.fields = fields            # item id -> Field
        self.order = order              # [item id], or form -> [item id]
        self.apply_fn = apply_fn        # pending dict -> None (store lock held)
        self.area = area                # "device" | "network" | "system" | "users"
        self.pad = pad
        self.header_fn = header_fn
        self.footer = footer
        self.help_lines = help_lines
        self.pending = {}

    def value(self, key, default=None):
        if key in self.pending:
            return self.pending[key]
        for f in self.fields.values():
            if f.key == key and f.get is not None:
                return f.get()
        return default

    def shown_fields(self):
        order = self.order(self) if callable(self.order) else self.order
        return [self.fields[k] for k in order]

    def __call__(self):
        items = []
        for f in self.shown_fields():
            if f.submenu is not None:
                items.append((f.label, self._opener(f)))
            elif f.secret:
                items.append((field_text(f.label, "<hidden>", self.pad), self._opener(f)))
            else:
                items.append((field_text(f.label, f.show(self.value(f.key)), self.pad),
                              self._opener(f)))
        items.append(("Accept Changes", self.accept))
        header = self.header_fn(self) if self.header_fn else []
        return Screen(self.title, items, header, self.footer, self.help_lines)

    def _opener(self, f):
        def act():
            return self.edit(f)
        return act

    def edit(self, f):
        prog = self.prog
        if f.submenu is not None:
            return Push(f.submenu())        # a factory: the sub-form keeps its own pending
        if f.info is not None:
            prog.pause(f.info())
            return None
        if f.choices is not None:
            return Push(ChoiceMenu(f.label, f.choices, self.value(f.key),
                                   lambda v: self.choose(f, v),
                                   layout=prog.dev.profile.get("choice_layout") or "current"))
        if f.secret:
            pw = prog.ask(f.prompt, mask=True)
            if pw is None:
                return None
            confirm = prog.ask("Confirm " + f.prompt, mask=True)
            if confirm is None:
                return None
            if pw != confirm:
                raise MenuError("Passwords do not match.")
            self.pending[f.key] = f.parse(pw) if f.parse else pw
            return None
        text = prog.ask(f.prompt)
        if text is None or (text == "" and not f.allow_empty):
            return None             # ESC or an empty line keeps the value
        self.pending[f.key] = f.parse(text) if f.parse else text
        return None

    def choose(self, f, value):
        if f.check is not None:
            f.check(value)
        self.pending[f.key] = value

    def accept(self):
        if not self.pending:
            return None
        self.prog.require(self.area)
        with self.prog.dev.store.lock:
            self.apply_fn(dict(self.pending))
            self.prog.dev.store.save()
        self.pending.clear()
        self.prog.log_event("System: Configuration change (%s)." % self.title)
        return None


class ChoiceMenu:
    """A list of values; choosing one stores it (pending) and goes back."""

    def __init__(self, title, choices, current, on_pick, layout="current"):
        self.title = title
        self.choices = choices
        self.current = current
        self.on_pick = on_pick
        self.layout = layout

    def __call__(self):
        items = []
        for label, value in self.choices:
            items.append((label, self._picker(value)))
        shown = next((lbl for lbl, v in self.choices if v == self.current), str(self.current))
        if self.layout == "titled":
            # the layout public AP79xx scripts show: the title rule with the field's name,
            # the numbered values, the prompt - no header
            return Screen(self.title, items)
        if self.layout == "current-value":
            return Screen(self.title, items, ["     Current Value: %s" % shown])
        return Screen(self.title, items, ["     Current Setting : %s" % shown])

    def _picker(self, value):
        def act():
            self.on_pick(value)
            return BACK
        return act


# ----------------------------------------------------------------------------- validators

def v_ip(text, what="IP address"):
    if not is_ipv4(text):
        raise MenuError("Invalid %s." % what)
    return ".".join(str(int(p)) for p in text.split("."))


def v_host_ip(text):
    ip = v_ip(text)
    first = int(ip.split(".", maxsplit=1)[0])
    if ip in ("0.0.0.0", "255.255.255.255") or first == 127 or first >= 224:
        raise MenuError("Invalid IP address.")
    return ip


def v_mask(text):
    try:
        return netmask(text)
    except ParamError:
        raise MenuError("Invalid subnet mask.")


def v_gateway(text):
    ip = v_ip(text, "gateway")
    if ip.startswith("127."):
        raise MenuError("Invalid gateway.")
    return ip


def v_domain(text):
    if text and not FQDN_RE.match(text):
        raise MenuError("Invalid domain name.")
    return text


def v_text(maxlen, minlen=1, what="Value"):
    def parse(text):
        if len(text) < minlen:
            raise MenuError("%s cannot be empty." % what)
        if len(text) > maxlen:
            raise MenuError("%s too long (maximum %d characters)." % (what, maxlen))
        return text
    return parse


def v_int(lo, hi, extra=()):
    def parse(text):
        try:
            v = int(text.strip(), 10)
        except ValueError:
            raise MenuError("Invalid value.")
        if v in extra or lo <= v <= hi:
            return v
        raise MenuError("Value out of range.")
    return parse


def v_port(default):
    check = v_int(5000, 32768, extra=(default,))

    def parse(text):
        try:
            return check(text)
        except MenuError:
            raise MenuError("Invalid port (%d or 5000-32768)." % default)
    return parse


# ----------------------------------------------------------------------------- program

class MenuProgram:
    """One instance per boot of the card: login and navigation state live here."""

    dialect = "menu"

    def __init__(self, device):
        self.dev = device
        self.io = device.io
        self.user = None
        self.session_id = None
        self.via_reset_window = False
        self.login_time = None
        self.layout_name = layout_for(device.profile)
        self.layout = MENU_LAYOUTS[self.layout_name]
        self.stack = []
        self.screen_title = None
        self.events = []
        self._prev_cr = False
        self.failures = 0               # consecutive failed logins on this console
        self._armed = None              # fault at-screen: the event the next key sets off
        self.locked_until = None        # console login lockout (epoch seconds)
        with self.dev.store.lock:
            self._init_state()

    # -- state ---------------------------------------------------------------------------
    @property
    def st(self):
        return self.dev.state

    @property
    def prof(self):
        return self.dev.profile

    def _init_state(self):
        """The first start of a menu unit: its own factory settings on top of the common
        state (DHCP & BOOTP, the three fixed accounts enabled, email/syslog, UPS config)."""
        st = self.st
        if "menu" not in st:
            st["menu"] = {
                "email": {"smtp_server": "0.0.0.0", "domain": ""},
                "syslog": {"enabled": False, "server": "0.0.0.0", "port": 514},
                "ups_name": "UPS_IDEN",
                "ups_config": {"low_battery": 2, "shutdown_delay": 90, "return_delay": 0,
                               "return_capacity": 0},
            }
            st["boot"]["mode"] = "dhcpbootp"
            for u in st["users"]:
                if u["type"] in ACCOUNT_LABEL:
                    u["enabled"] = True
            st["active"] = snapshot_active(st)
        users = st["users"]
        for utype, name in FACTORY_NAMES.items():
            if not any(u["type"] == utype for u in users):
                u = copy.deepcopy(next(x for x in users if x["type"] == "Super User"))
                u.update({"name": name, "type": utype, "password": "apc", "enabled": True,
                          "failures": 0, "locked": False, "locked_until": None})
                users.append(u)
        self.dev.store.save()

    def account(self, utype):
        return next(u for u in self.st["users"] if u["type"] == utype)

    def status(self):
        return {
            "dialect": self.dialect,
            "logged_in": self.user is not None,
            "user": self.user["name"] if self.user else None,
            "user_type": self.user["type"] if self.user else None,
            "session_id": self.session_id,
            "via_reset_window": self.via_reset_window,
            "menu_layout": self.layout_name,
            "screen": self.screen_title,
            "login_failures": self.failures,
            "login_locked_until": self.locked_until,
        }

    def log_event(self, text):
        self.events.append((self.dev.now_epoch(), text))
        del self.events[:-50]

    # -- control actions (Device.control asks here first) ----------------------------------
    def _shown(self, name):
        """A screen (its title) or a prompt (its label) was just printed. Fault ``at-screen
        EVENT NAME``: the next key pressed there sets the event off instead of being
        taken (the console restarts or logs out while the user is on that screen)."""
        armed = self.dev.fault.get("at_screen")
        if not armed:
            return
        event, wanted, times = armed
        if " ".join(name.replace(":", " ").split()).lower() == wanted:
            if times > 1:
                armed[2] = times - 1
                return
            self.dev.fault["at_screen"] = None
            self._armed = event

    def _fire(self):
        event, self._armed = self._armed, None
        self.log_event("Fault: %s." % event)
        if event == "reboot":
            self.dev.begin_boot("09 Coldstart Reset")
            raise Interrupted("reboot")
        raise Interrupted(event)        # warmstart, logout: handled by run()

    def control(self, action, args):
        if action == "warmstart":
            if self.dev.booting_until is not None:
                return {"ok": False, "error": "the card is booting"}
            was = self.user is not None
            self.io.interrupt("warmstart")
            return {"ok": True, "was_logged_in": was}
        del args
        return None

    # -- input primitives --------------------------------------------------------------------
    def read_input(self, echo=True, mask=False, max_len=64, specials=True):
        """Read a line. -> ("line", text), or with ``specials`` ("esc", None),
        ("ctrl-c", None), ("ctrl-l", None) as soon as that key arrives."""
        chars = bytearray()
        io = self.io
        while True:
            b = io.read_byte()
            if self._armed:
                self._fire()
            if b == LF and self._prev_cr:
                self._prev_cr = False
                continue
            self._prev_cr = False
            if b in (CR, LF):
                self._prev_cr = b == CR
                return "line", chars.decode("latin-1")
            if specials and b == ESC:
                return "esc", None
            if specials and b == CTRL_C:
                return "ctrl-c", None
            if specials and b == CTRL_L:
                return "ctrl-l", None
            if b in (BS, DEL):
                if chars:
                    chars.pop()
                    if echo:
                        io.write(b"\x08 \x08")
                continue
            if b < 0x20 or len(chars) >= max_len:
                continue
            chars.append(b)
            if echo:
                io.write(b"*" if mask else bytes([b]))

    def wait_wake(self):
        """The sleeping console answers after ``wake_crs`` CRs (NMC1 behind a UPS port: 3)."""
        need = max(1, int(self.prof.get("wake_crs", 1)))
        seen = 0
        while seen < need:
            b = self.io.read_byte()
            if b == LF and self._prev_cr:
                self._prev_cr = False
                continue
            self._prev_cr = b == CR
            if b in (CR, LF):
                seen += 1

    def ask(self, prompt, mask=False, max_len=64):
        """Prompt for a value on a new line. -> text, or None on ESC; Ctrl-C -> ToMain."""
        self.io.write(CRLF + prompt)
        self._shown(prompt)
        while True:
            kind, text = self.read_input(echo=True, mask=mask, max_len=max_len)
            if kind == "line":
                return text
            if kind == "esc":
                return None
            if kind == "ctrl-c":
                raise ToMain()

    def pause(self, lines):
        """Print ``lines`` then ``Press <ENTER> to continue...`` and wait for CR (or ESC)."""
        out = CRLF + CRLF + "".join(line + CRLF for line in lines)
        self.io.write(out + (CRLF if lines else "") + PRESS_ENTER)
        while True:
            kind, _unused = self.read_input(echo=False)
            if kind in ("line", "esc"):
                return
            if kind == "ctrl-c":
                raise ToMain()

    def confirm(self, title, sentence):
        """The YES confirmation of a command. -> True when confirmed (any case)."""
        self.io.write(CRLF + CRLF + RULE + CRLF + "        " + title + CRLF + CRLF
                      + "        " + sentence + CRLF + CRLF + CONFIRM)
        while True:
            kind, text = self.read_input(echo=True, max_len=16)
            if kind == "line":
                return text.strip().upper() == "YES"
            if kind == "esc":
                return False
            if kind == "ctrl-c":
                raise ToMain()

    # -- rights ----------------------------------------------------------------------------
    def require(self, area):
        """Administrator: everything; Device Manager: device functions; Read Only: none."""
        utype = self.user["type"] if self.user else None
        if utype == "Super User" or (utype == "Device" and area == "device"):
            return
        raise MenuError(DENIED)

    # -- main loop -------------------------------------------------------------------------
    def run(self, start="wait_cr"):
        where = start
        while True:
            try:
                if where == "wait_cr":
                    self.io.idle_timeout = None
                    self.wait_wake()
                    where = "username"
                if where in ("username", "username_shown"):
                    self.io.idle_timeout = None
                    self.login(prompt_shown=(where == "username_shown"))
                    where = "session"
                if where == "session":
                    try:
                        self.session()
                    except Logout:
                        self.log_event("System: Console user '%s' logged out."
                                       % self.user["name"])
                        self.end_session()
                        self.io.write(CRLF + CRLF + BYE + CRLF)
                    where = "wait_cr"
            except IdleTimeout:
                where = self._after_logout(where)
            except Interrupted as e:
                if e.reason == "logout":
                    where = self._after_logout(where)
                elif e.reason == "warmstart":
                    where = self._warmstart()
                else:
                    raise

    def _after_logout(self, where):
        was_in = self.user is not None or where != "wait_cr"
        self.end_session()
        if not was_in:
            return "wait_cr"
        if self.dev.idle_logout_style == "prompt":
            self.io.write(CRLF + "User Name : ")
            return "username_shown"
        return "wait_cr"

    def _warmstart(self):
        """The NMC1 network watchdog restarted the card's firmware: the session is gone,
        the banner appears again and the login prompt follows."""
        self.end_session()
        self.dev.boot_time = time.monotonic()
        with self.dev.store.lock:
            self.st["active"] = snapshot_active(self.st)
            self.st["lastrst"] = "Warmstart"
            self.dev.store.save()
        self.dev.reboot_pending = False
        self.log_event("System: Warmstart.")
        self.io.discard_input()
        self.io.write(CRLF + CRLF + "".join(line + CRLF for line in self.banner())
                      + CRLF + "User Name : ")
        return "username_shown"

    def idle_seconds(self, user):
        if self.dev.idle_timeout_override is not None:
            return self.dev.idle_timeout_override
        return max(1, int(user.get("session_timeout", 3))) * 60

    # -- login -------------------------------------------------------------------------------
    def login(self, prompt_shown=False):
        io = self.io
        while True:
            if not prompt_shown:
                io.write(CRLF + "User Name : ")
            prompt_shown = False
            self._shown("User Name")
            _kind, name = self.read_input(echo=True, max_len=64, specials=False)
            io.write(CRLF + "Password  : ")
            self._shown("Password")
            _kind, pw = self.read_input(echo=True, mask=True, max_len=64, specials=False)
            user, via_window = self.authenticate(name, pw)
            if user is None:
                continue
            io.idle_timeout = self.idle_seconds(user)
            self.start_session(user, via_window)
            io.write(CRLF + CRLF + "".join(line + CRLF for line in self.banner())
                     + CRLF + self.status_line())
            return

    def authenticate(self, name, pw):
        """-> (user, via_reset_window) or (None, False). N consecutive failures (any names;
        ``bad_login_attempts``, 3 on AOS 3.x) lock the console login for ``lockout_seconds``:
        meanwhile every login fails silently, the right one too (the reset-button window
        still works)."""
        now = time.time()
        with self.dev.store.lock:
            admin = self.account("Super User")
            if self.dev.reset_window_open() and name == "apc" and pw == "apc":
                return admin, True
            if self.locked_until is not None:
                if now < self.locked_until:
                    return None, False
                self.locked_until = None
            u = next((x for x in self.st["users"] if x["name"] == name
                      and x["type"] in ACCOUNT_LABEL), None)
            if u is not None and u["enabled"] and u["password"] == pw:
                self.failures = 0
                return u, False
            self.failures += 1
            limit = int(self.st["userdflt"].get("bad_login_attempts", 0))
            secs = float(self.prof.get("lockout_seconds", 0))
            if limit > 0 and secs > 0 and self.failures >= limit:
                self.locked_until = now + secs
                self.failures = 0
                self.log_event("System: Console login locked for %d seconds." % secs)
            return None, False

    def start_session(self, user, via_window):
        with self.dev.store.lock:
            sess = self.st["session"]
            self.session_id = sess.get("next_id", 1)
            sess["next_id"] = self.session_id + 1
            self.dev.store.save()
        self.user = user
        self.via_reset_window = via_window
        self.login_time = time.time()
        self.log_event("System: Console user '%s' logged in." % user["name"])

    def end_session(self):
        self.user = None
        self.session_id = None
        self.login_time = None
        self.via_reset_window = False
        self.stack = []
        self.screen_title = None
        self.io.idle_timeout = None

    # -- banner ------------------------------------------------------------------------------
    def banner(self):
        p, st = self.prof, self.st
        date, tim = self.dev.now_strings()
        utype = BANNER_USER.get(self.user["type"], "") if self.user else ""
        lines = [
            "%-40s%-33s%s" % ("American Power Conversion", "Network Management Card AOS",
                              p["aos_version"]),
            "%-40s%-33s%s" % ("(c) Copyright %d All Rights Reserved" % p["copyright_year"],
                              p["app_title"], p["app_version"]),
            RULE,
        ]
        left = [("Name      : ", st["system"]["name"]),
                ("Contact   : ", st["system"]["contact"]),
                ("Location  : ", st["system"]["location"]),
                ("Up Time   : ", duration(self.dev.uptime()))]
        right = [("Date : ", date), ("Time : ", tim), ("User : ", utype),
                 ("Stat : ", "P+ N+ A+")]
        for (a, av), (b, bv) in zip(left, right):
            lines.append(((a + av).ljust(54) + b + bv).rstrip())
        return lines

    def status_line(self):
        fmt = self.prof.get("status_line") or "Communication Established"
        if self.dev.ups is None:
            return fmt
        return fmt.format(ups_model=self.prof["ups"]["model"],
                          ups_name=self.st["menu"]["ups_name"],
                          ups_status=self.dev.ups.status_text())

    # -- navigation ----------------------------------------------------------------------------
    def render(self, scr):
        out = [CRLF, CRLF, title_rule(scr.title), CRLF, CRLF]
        if scr.header:
            out += [line + CRLF for line in scr.header]
            out.append(CRLF)
        for n, (text, _act) in enumerate(scr.items, 1):
            out += [item_line(n, text), CRLF]
        if scr.items:
            out.append(CRLF)
        out += [scr.footer, CRLF, "> "]
        return "".join(out)

    def session(self):
        self.stack = [self.scr_main]
        note = ""
        while True:
            scr = self.stack[-1]()
            self.screen_title = scr.title
            self.io.write(note + self.render(scr))
            self._shown(scr.title)
            note = ""
            kind, text = self.read_input(echo=True, max_len=32)
            try:
                result = self.dispatch(scr, kind, text)
            except ToMain:
                result = MAIN
            except MenuError as e:
                note = CRLF + str(e)
                continue
            if result == BACK:
                if len(self.stack) > 1:
                    self.stack.pop()
            elif result == MAIN:
                del self.stack[1:]
            elif isinstance(result, Push):
                self.stack.append(result.builder)

    def dispatch(self, scr, kind, text):
        if kind == "esc":
            return BACK
        if kind == "ctrl-c":
            return MAIN
        if kind == "ctrl-l":
            self.show_event_log()
            return None
        text = text.strip()
        if text == "":
            return None
        if text == "?" and scr.help_lines:
            self.pause(scr.help_lines)
            return None
        if text.isdigit() and 1 <= int(text) <= len(scr.items):
            return scr.items[int(text) - 1][1]()
        return None                 # anything else: the screen again (guess)

    def show_event_log(self):
        lines = [title_rule("Event Log"), "",
                 "     Date        Time      Event", "     " + "-" * 60]
        fmt = self.st["date"]["format"]
        for epoch, text in self.events[-15:]:
            tm = time.gmtime(epoch)
            stamp = "%s  %02d:%02d:%02d" % (fmt_date(tm, fmt), tm.tm_hour, tm.tm_min, tm.tm_sec)
            lines.append("     %s  %s" % (stamp, text))
        self.pause(lines)

    def menu(self, title, key, entries, footer=FOOT_SUB, header=()):
        """A plain menu: ``entries`` maps the layout's item ids to (label, action)."""
        items = [entries[k] for k in self.layout[key] if k in entries]
        return Screen(title, items, header, footer)

    # -- screens: main, device ---------------------------------------------------------------
    def scr_main(self):
        entries = {
            "device": ("Device Manager", lambda: Push(self.scr_device)),
            "network": ("Network", lambda: Push(self.scr_network)),
            "system": ("System", lambda: Push(self.scr_system)),
            "logout": ("Logout", self.do_logout),
        }
        return self.menu("Control Console", "main", entries, footer=FOOT_MAIN)

    def do_logout(self):
        raise Logout()

    def scr_device(self):
        if self.dev.ups is not None:
            entries = {
                "ups_status": ("Status", lambda: Push(self.scr_ups_status)),
                "ups_control": ("Control", lambda: Push(self.scr_ups_control)),
                "ups_config": ("Configuration", lambda: Push(self.form_ups_config())),
                "ups_about": ("About UPS", lambda: Push(self.scr_ups_about)),
            }
            return self.menu("Device Manager", "device_ups", entries)
        aos26 = self.layout_name == "aos26"
        entries = {
            "phase": ("Phase Monitor/Configuration" if aos26 else "Phase Management",
                      lambda: Push(self.scr_phase)),
            "outlet_mgmt": ("Outlet Management", lambda: Push(self.scr_outlet_mgmt)),
            "outlet_restriction": ("Outlet Restriction Configuration",
                                   lambda: Push(self.scr_outlet_restriction)),
            "outlet_control": ("Outlet Control/Configuration",
                               lambda: Push(self.scr_outlet_list)),
            "power_supply": ("Power Supply Status", lambda: Push(self.scr_power_supply)),
        }
        return self.menu("Device Manager", "device_pdu", entries)

    def scr_outlet_mgmt(self):
        entries = {
            "outlet_control": ("Outlet Control/Configuration",
                               lambda: Push(self.scr_outlet_list)),
            "outlet_restriction": ("Outlet Restriction",
                                   lambda: Push(self.scr_outlet_restriction)),
        }
        return self.menu("Outlet Management", "outlet_mgmt", entries)

    def phase_current(self):
        on = sum(1 for o in self.st["outlets"] if o["state"] == "on")
        return 0.1 + 0.2 * on

    def scr_phase(self):
        maxc = int(self.prof.get("max_current", 10))
        header = ["     Phase 1 Load          : %.1f Amps" % self.phase_current(),
                  "     Overload Alarm        : %d Amps" % maxc,
                  "     Near Overload Warning : %d Amps" % max(1, int(maxc * 0.8)),
                  "     Low Load Warning      : 0 Amps"]
        return Screen("Phase Management" if self.layout_name == "aos3"
                      else "Phase Monitor/Configuration", [], header)

    def scr_outlet_restriction(self):
        header = ["     %-24s: None" % o["name"] for o in self.st["outlets"]]
        return Screen("Outlet Restriction", [], header)

    def scr_power_supply(self):
        return Screen("Power Supply Status", [],
                      ["     Power Supply 1        : OK", "     Power Supply 2        : OK"])

    # -- outlets -----------------------------------------------------------------------------
    def outlet_state(self, idx):
        return "ON" if self.st["outlets"][idx]["state"] == "on" else "OFF"

    def scr_outlet_list(self):
        items = []
        for idx, o in enumerate(self.st["outlets"]):
            items.append(("%-25s%s" % (o["name"], self.outlet_state(idx)),
                          self._push_outlet(idx)))
        items.append(("Master Control/Configuration", lambda: Push(self.scr_master)))
        return Screen("Outlet Control/Configuration", items)

    def _push_outlet(self, idx):
        def act():
            return Push(lambda: self.scr_outlet(idx))
        return act

    def outlet_header(self, idx):
        return ["     %-13s: %s" % ("Name", self.st["outlets"][idx]["name"]),
                "     %-13s: %d" % ("Outlet", idx + 1),
                "     %-13s: %s" % ("State", self.outlet_state(idx))]

    def outlet_help(self):
        return ["Control Outlet   : switch the outlet on, off or reboot it, now or after",
                "                   its configured delays.",
                "Configure Outlet : name, power on/off delays and reboot duration; select",
                "                   Accept Changes to apply what you typed."]

    def scr_outlet(self, idx):
        items = [("Control Outlet", lambda: Push(lambda: self.scr_control(idx))),
                 ("Configure Outlet", lambda: Push(self.form_outlet(idx)))]
        return Screen(self.st["outlets"][idx]["name"], items, self.outlet_header(idx),
                      FOOT_OUTLET, self.outlet_help())

    CONTROL_ITEMS = ("Immediate On", "Immediate Off", "Immediate Reboot", "Delayed On",
                     "Delayed Off", "Delayed Reboot", "Cancel")

    def scr_control(self, idx):
        items = [(label, self._control(idx, label)) for label in self.CONTROL_ITEMS]
        return Screen("Control Outlet", items, self.outlet_header(idx), FOOT_OUTLET,
                      self.outlet_help())

    def _control(self, idx, label):
        def act():
            return self.control_outlets([idx], label)
        return act

    def control_sentence(self, label, idxs):
        if len(idxs) == 1:
            o = self.st["outlets"][idxs[0]]
            what = "outlet %d named '%s'" % (idxs[0] + 1, o["name"])
        else:
            o = None
            what = "all outlets"
        on_d = "its power on delay" if o is None else "%d seconds" % o["on_delay"]
        off_d = "its power off delay" if o is None else "%d seconds" % o["off_delay"]
        reboot = "its reboot duration" if o is None else "%d seconds" % o["reboot_time"]
        return {
            "Immediate On": "This command will immediately apply power to %s." % what,
            "Immediate Off": "This command will immediately remove power from %s." % what,
            "Immediate Reboot": "This command will immediately shutdown %s, delay for %s, "
                                "and then restart." % (what, reboot),
            "Delayed On": "This command will apply power to %s after a delay of %s."
                          % (what, on_d),
            "Delayed Off": "This command will remove power from %s after a delay of %s."
                           % (what, off_d),
            "Delayed Reboot": "This command will shutdown %s after a delay of %s, delay for "
                              "%s, and then restart." % (what, off_d, reboot),
            "Cancel": "This command will cancel all pending commands on %s." % what,
        }[label]

    def control_outlets(self, idxs, label):
        self.require("device")
        if not self.confirm(label, self.control_sentence(label, idxs)):
            return None
        bank = self.dev.outlets
        for idx in idxs:
            if label == "Immediate On":
                bank.on(idx)
            elif label == "Immediate Off":
                bank.off(idx)
            elif label == "Immediate Reboot":
                bank.reboot(idx)
            elif label == "Delayed On":
                bank.on(idx, delayed=True)
            elif label == "Delayed Off":
                bank.off(idx, delayed=True)
            elif label == "Delayed Reboot":
                bank.reboot(idx, delayed=True)
            else:
                bank.cancel(idx)
        self.log_event("Outlet: %s (%s) by '%s'." % (
            label, "all" if len(idxs) > 1 else "outlet %d" % (idxs[0] + 1), self.user["name"]))
        self.pause(["Command successfully issued."])
        return None

    def scr_master(self):
        everything = list(range(len(self.st["outlets"])))
        items = [(label, self._master(everything, label)) for label in self.CONTROL_ITEMS]
        header = ["     %-13s: %s" % ("Outlets", "1-%d" % len(everything))]
        return Screen("Master Control/Configuration", items, header, FOOT_OUTLET,
                      self.outlet_help())

    def _master(self, idxs, label):
        def act():
            return self.control_outlets(idxs, label)
        return act

    def form_outlet(self, idx):
        o = self.st["outlets"][idx]
        maxlen = int(self.prof.get("outlet_name_max", 23))

        def name_parse(text):
            text = v_text(maxlen, what="Name")(text)
            if text.isdigit():
                raise MenuError("Name cannot be a number.")
            return text

        def delay_show(v):
            return "Never" if v == -1 else str(v)

        all_fields = {
            "name": Field("name", "Name", lambda: o["name"], parse=name_parse),
            "on_delay": Field("on_delay", "Power On Delay(sec)", lambda: o["on_delay"],
                              show=delay_show, parse=v_int(0, 7200, extra=(-1,))),
            "off_delay": Field("off_delay", "Power Off Delay(sec)", lambda: o["off_delay"],
                               show=delay_show, parse=v_int(0, 7200, extra=(-1,))),
            "reboot_time": Field("reboot_time", "Reboot Duration(sec)",
                                 lambda: o["reboot_time"], parse=v_int(5, 60)),
        }

        def apply(pending):
            o.update(pending)

        return Form(self, "Configure Outlet", all_fields, self.layout["outlet_config"], apply,
                    "device",
                    header_fn=lambda form: self.outlet_header(idx), footer=FOOT_OUTLET,
                    help_lines=self.outlet_help())

    # -- UPS (NMC1) ----------------------------------------------------------------------------
    def scr_ups_status(self):
        ups, facts = self.dev.ups, self.prof["ups"]
        on_batt = self.st["ups"]["on_battery"]
        rows = [
            ("Status of UPS", ups.status_text()),
            ("Last Transfer", self.st["ups"]["last_transfer"]),
            ("Battery Capacity", "%.1f %%" % ups.charge()),
            ("Runtime Remaining", "%d min" % ups.runtime_minutes()),
            ("Input Voltage", "%.1f VAC" % ups.input_voltage()),
            ("Input Frequency", "%.2f Hz" % (0.0 if on_batt else facts["frequency"])),
            ("Output Voltage", "%.1f VAC" % facts["output_voltage"]),
            ("Load Power", "%.1f %%" % facts.get("load_pct", 20.0)),
            ("Battery Voltage", "%.1f VDC" % facts["battery_voltage"]),
            ("Internal Temperature", "%.1f C" % facts["temperature_c"]),
        ]
        return Screen("UPS Status", [], ["     %-22s: %s" % r for r in rows])

    def scr_ups_control(self):
        off = self.st["ups"].get("output") == "off"
        items = [("Turn UPS On" if off else "Turn UPS Off", self.ups_toggle),
                 ("Reboot UPS", self.ups_reboot)]
        status = "     %-22s: %s" % ("Status of UPS", self.dev.ups.status_text())
        return Screen("UPS Control", items, [status])

    def ups_toggle(self):
        self.require("device")
        off = self.st["ups"].get("output") == "off"
        model = self.prof["ups"]["model"]
        sentence = ("This command will turn on the %s." % model if off else
                    "This command will turn off the %s and its load immediately." % model)
        if not self.confirm("Turn UPS On" if off else "Turn UPS Off", sentence):
            return None
        with self.dev.store.lock:
            self.st["ups"]["output"] = "on" if off else "off"
            self.dev.store.save()
        self.log_event("UPS: Output turned %s." % ("on" if off else "off"))
        self.pause(["Command successfully issued."])
        return None

    def ups_reboot(self):
        self.require("device")
        if not self.confirm("Reboot UPS", "This command will turn off the %s and its load, "
                            "then turn it back on." % self.prof["ups"]["model"]):
            return None
        self.log_event("UPS: Reboot initiated.")
        self.pause(["Command successfully issued."])
        return None

    def form_ups_config(self):
        cfg = self.st["menu"]["ups_config"]

        def choices(values, unit):
            return [("%d %s" % (v, unit), v) for v in values]

        fields_list = [
            Field("ups_name", "UPS Name", lambda: self.st["menu"]["ups_name"],
                  parse=v_text(8, what="UPS Name")),
            Field("low_battery", "Low Battery Duration", lambda: cfg["low_battery"],
                  show=lambda v: "%d min" % v, choices=choices((2, 5, 7, 10), "min")),
            Field("shutdown_delay", "Shutdown Delay", lambda: cfg["shutdown_delay"],
                  show=lambda v: "%d sec" % v,
                  choices=choices((0, 90, 180, 270, 360, 450, 540, 630), "sec")),
            Field("return_delay", "Return Delay", lambda: cfg["return_delay"],
                  show=lambda v: "%d sec" % v,
                  choices=choices((0, 60, 120, 180, 240, 300, 360, 420), "sec")),
            Field("return_capacity", "Return Battery Capacity",
                  lambda: cfg["return_capacity"], show=lambda v: "%d %%" % v,
                  choices=choices((0, 15, 50, 90), "%")),
        ]

        def apply(pending):
            if "ups_name" in pending:
                self.st["menu"]["ups_name"] = pending.pop("ups_name")
            cfg.update(pending)

        return Form(self, "UPS Configuration", {f.key: f for f in fields_list},
                    [f.key for f in fields_list], apply, "device")

    def scr_ups_about(self):
        f = self.prof["ups"]
        rows = [("Model", f["model"]), ("Serial Number", f["serial"]),
                ("Firmware Revision", f["firmware"]), ("Manufacture Date", f["mfg_date"])]
        return Screen("About UPS", [], ["     %-22s: %s" % r for r in rows])

    # -- network -------------------------------------------------------------------------------
    def scr_network(self):
        entries = {
            "tcpip": ("TCP/IP", lambda: Push(self.form_tcpip())),
            "dns": ("DNS", lambda: Push(self.form_dns())),
            "ping": ("Ping Utility", self.ping),
            "ftp": ("FTP Server", lambda: Push(self.form_ftp())),
            "telnet_ssh": ("Telnet/SSH", lambda: Push(self.form_telnet_ssh())),
            "web": ("Web/SSL/TLS", lambda: Push(self.form_web())),
            "email": ("Email", lambda: Push(self.form_email())),
            "snmp": ("SNMP", lambda: Push(self.form_snmp())),
            "syslog": ("Syslog", lambda: Push(self.form_syslog())),
        }
        return self.menu("Network", "network", entries)

    def form_tcpip(self):
        st = self.st

        def boot_show(v):
            return BOOT_MODES.get(v, v)

        all_fields = {
            "ip": Field("ip", "System IP", lambda: st["tcpip"]["ip"], parse=v_host_ip),
            "mask": Field("mask", "Subnet Mask", lambda: st["tcpip"]["mask"], parse=v_mask),
            "gateway": Field("gateway", "Default Gateway", lambda: st["tcpip"]["gateway"],
                             parse=v_gateway),
            "boot_mode": Field("boot_mode", "Boot Mode", lambda: st["boot"]["mode"],
                               show=boot_show,
                               choices=[(BOOT_MODES[k], k) for k in self.layout["boot_modes"]]),
        }

        def order(form):
            manual = form.value("boot_mode") == "manual"
            return self.layout["tcpip_manual" if manual else "tcpip_auto"]

        def apply(pending):
            if "boot_mode" in pending:
                st["boot"]["mode"] = pending.pop("boot_mode")
            st["tcpip"].update(pending)
            self.dev.set_reboot_pending()

        def header(_form):
            act = self.dev.active_ipv4()
            return ["     %-21s: %s" % ("MAC Address", self.prof["mac"]),
                    "     %-21s: %s" % ("Current IP Address", act["ip"]),
                    "     %-21s: %s" % ("Current Subnet Mask", act["mask"]),
                    "     %-21s: %s" % ("Current Gateway", act["gateway"])]

        return Form(self, "TCP/IP", all_fields, order, apply, "network", pad=15,
                    header_fn=header)

    def form_dns(self):
        d = self.st["dns"]
        all_fields = {
            "primary": Field("primary", "Primary DNS Server", lambda: d["primary"],
                             parse=v_ip),
            "secondary": Field("secondary", "Secondary DNS Server", lambda: d["secondary"],
                               parse=v_ip),
            "domain": Field("domain", "Domain Name", lambda: d["domain"], parse=v_domain),
        }

        def apply(pending):
            d.update(pending)
            d["override"] = True

        return Form(self, "DNS", all_fields, self.layout["dns"], apply, "network")

    def ping(self):
        text = self.ask("Ping Address : ")
        if text is None or text == "":
            return None
        addr = v_ip(text)
        act = self.dev.active_ipv4()
        alive = addr in (act["ip"], act["gateway"]) or addr.startswith("127.")
        self.pause(["Reply received from %s." % addr if alive
                    else "No reply received from %s." % addr])
        return None

    def form_ftp(self):
        f = self.st["ftp"]
        fields_list = [Field("enabled", "Access", lambda: f["enabled"],
                             show=lambda v: "Enabled" if v else "Disabled", choices=ENABLED),
                       Field("port", "Port", lambda: f["port"],
                             parse=v_int(5001, 32768, extra=(21,)))]

        def apply(pending):
            f.update(pending)
            self.dev.set_reboot_pending()

        return Form(self, "FTP Server", {f.key: f for f in fields_list},
                    [f.key for f in fields_list], apply, "network")

    def crypto_console(self):
        return self.prof.get("crypto_setup", "console") == "console"

    def form_telnet_ssh(self):
        c = self.st["console"]

        def access():
            return c["telnet"] or c["ssh"]

        def protocol():
            return "ssh" if c["ssh"] else "telnet"

        def check_protocol(value):
            if value == "ssh" and not self.crypto_console():
                raise MenuError(SSH_LIMIT)

        all_fields = {
            "access": Field("access", "Access", access,
                            show=lambda v: "Enabled" if v else "Disabled", choices=ENABLED),
            "protocol": Field("protocol", "Protocol", protocol,
                              show=lambda v: "SSH" if v == "ssh" else "Telnet",
                              choices=[("Telnet", "telnet"), ("SSH", "ssh")],
                              check=check_protocol),
            "telnet_port": Field("telnet_port", "Telnet Port", lambda: c["telnet_port"],
                                 parse=v_port(23)),
            "ssh_port": Field("ssh_port", "SSH Port", lambda: c["ssh_port"], parse=v_port(22)),
        }

        def apply(pending):
            on = pending.pop("access", access())
            proto = pending.pop("protocol", protocol())
            c["telnet"] = bool(on) and proto == "telnet"
            c["ssh"] = bool(on) and proto == "ssh"
            c.update(pending)
            self.dev.set_reboot_pending()

        def header(_form):
            return [] if self.crypto_console() else list(CRYPTO_NOTE)

        return Form(self, "Telnet/SSH", all_fields, self.layout["telnet_ssh"], apply, "network",
                    header_fn=header)

    def form_web(self):
        w = self.st["web"]

        def access():
            return w["http"] or w["https"]

        def check_ssl(value):
            if value and not self.crypto_console():
                raise MenuError(SSL_LIMIT)

        def certificate_status(_unused):
            return "Valid" if self.crypto_console() else "Not installed"

        def certificate():
            if self.crypto_console():
                return ["SSL Certificate : Valid (self-signed, 1024-bit RSA)",
                        "Issued To       : %s" % self.st["system"]["name"]]
            return ["SSL Certificate : Not installed", SSL_LIMIT]

        all_fields = {
            "access": Field("access", "Access", access,
                            show=lambda v: "Enabled" if v else "Disabled", choices=ENABLED),
            "ssl": Field("ssl", "SSL/TLS", lambda: w["https"],
                         show=lambda v: "Enabled" if v else "Disabled",
                         choices=[("Disabled", False), ("Enabled", True)], check=check_ssl),
            "http_port": Field("http_port", "HTTP Port", lambda: w["http_port"],
                               parse=v_port(80)),
            "https_port": Field("https_port", "HTTPS Port", lambda: w["https_port"],
                                parse=v_port(443)),
            "certificate": Field("certificate", "SSL Certificate", show=certificate_status,
                                 info=certificate),
        }

        def apply(pending):
            on = pending.pop("access", access())
            ssl = pending.pop("ssl", w["https"])
            w["http"] = bool(on) and not ssl
            w["https"] = bool(on) and bool(ssl)
            w.update(pending)
            self.dev.set_reboot_pending()

        def header(_form):
            return [] if self.crypto_console() else list(CRYPTO_NOTE)

        return Form(self, "Web/SSL/TLS", all_fields, self.layout["web"], apply, "network",
                    header_fn=header)

    def form_snmp(self):
        s = self.st["snmp"]
        all_fields = {
            "access": Field("enabled", "Access", lambda: s["enabled"],
                            show=lambda v: "Enabled" if v else "Disabled", choices=ENABLED),
        }
        for n in range(1, 5):
            all_fields["ac%d" % n] = Field("ac%d" % n, "Access Control %d" % n,
                                           submenu=self._snmp_ac_opener(n - 1))

        def apply(pending):
            s.update(pending)
            self.dev.set_reboot_pending()

        return Form(self, "SNMP", all_fields, self.layout["snmp"], apply, "network")

    def _snmp_ac_opener(self, i):
        def make():
            return self.form_snmp_ac(i)
        return make

    def form_snmp_ac(self, i):
        ac = self.st["snmp"]["access"][i]
        all_fields = {
            "community": Field("community", "Community Name", lambda: ac["community"],
                               parse=v_text(15, what="Community Name")),
            "nms": Field("nms", "NMS IP", lambda: ac["nms"], parse=v_ip),
            "access_type": Field("access", "Access Type", lambda: ac["access"],
                                 show=lambda v: dict((b, a) for a, b in SNMP_ACCESS).get(v, v),
                                 choices=SNMP_ACCESS),
        }

        def apply(pending):
            ac.update(pending)
            self.dev.set_reboot_pending()

        return Form(self, "Access Control %d" % (i + 1), all_fields, self.layout["snmp_ac"],
                    apply, "network")

    def form_email(self):
        e = self.st["menu"]["email"]
        fields_list = [Field("smtp_server", "SMTP Server", lambda: e["smtp_server"],
                             parse=v_ip),
                       Field("domain", "Domain Name", lambda: e["domain"], parse=v_domain)]

        def apply(pending):
            e.update(pending)

        return Form(self, "Email", {f.key: f for f in fields_list},
                    [f.key for f in fields_list], apply, "network")

    def form_syslog(self):
        s = self.st["menu"]["syslog"]
        fields_list = [Field("enabled", "Syslog", lambda: s["enabled"],
                             show=lambda v: "Enabled" if v else "Disabled", choices=ENABLED),
                       Field("server", "Server IP", lambda: s["server"], parse=v_ip),
                       Field("port", "Port", lambda: s["port"], parse=v_int(1, 65535))]

        def apply(pending):
            s.update(pending)

        return Form(self, "Syslog", {f.key: f for f in fields_list},
                    [f.key for f in fields_list], apply, "network")

    # -- system --------------------------------------------------------------------------------
    def scr_system(self):
        entries = {
            "users": ("User Manager", lambda: Push(self.scr_users)),
            "identification": ("Identification", lambda: Push(self.form_identification())),
            "datetime": ("Date/Time", lambda: Push(self.form_datetime())),
            "tools": ("Tools", lambda: Push(self.scr_tools)),
            "about": ("About System", lambda: Push(self.scr_about)),
        }
        return self.menu("System", "system", entries)

    def scr_users(self):
        entries = {
            "admin": ("Administrator", lambda: Push(self.form_account("Super User"))),
            "device_user": ("Device Manager", lambda: Push(self.form_account("Device"))),
            "readonly_user": ("Read Only User", lambda: Push(self.form_account("Read-Only"))),
        }
        return self.menu("User Manager", "users", entries)

    def form_account(self, utype):
        u = self.account(utype)
        name_max = int(self.prof.get("user_name_max", 10))
        pw_max = int(self.prof.get("password_max", 10))

        def name_parse(text):
            text = v_text(name_max, what="User Name")(text)
            for other in self.st["users"]:
                if other is not u and other["type"] in ACCOUNT_LABEL \
                        and other["name"].lower() == text.lower():
                    raise MenuError("User Name already in use.")
            return text

        all_fields = {
            "access": Field("enabled", "Access", lambda: u["enabled"],
                            show=lambda v: "Enabled" if v else "Disabled", choices=ENABLED),
            "name": Field("name", "User Name", lambda: u["name"], parse=name_parse),
            "password": Field("password", "Password", lambda: u["password"],
                              parse=v_text(pw_max, what="Password"), secret=True),
        }
        key = "account_admin" if utype == "Super User" else "account_other"

        def apply(pending):
            u.update(pending)

        return Form(self, ACCOUNT_LABEL[utype], all_fields, self.layout[key], apply, "users")

    def form_identification(self):
        s = self.st["system"]
        maxlen = int(self.prof.get("ident_max", 255))
        all_fields = {
            "name": Field("name", "System Name", lambda: s["name"],
                          parse=v_text(maxlen, what="System Name")),
            "contact": Field("contact", "Contact", lambda: s["contact"],
                             parse=v_text(maxlen, what="Contact")),
            "location": Field("location", "Location", lambda: s["location"],
                              parse=v_text(maxlen, what="Location")),
        }

        def apply(pending):
            if "name" in pending:
                pending["name"] = self.dev.apc_name(pending["name"])
            s.update(pending)

        return Form(self, "Identification", all_fields, self.layout["identification"], apply,
                    "system")

    def form_datetime(self):
        d = self.st["date"]

        def date_now():
            return self.dev.now_strings()[0]

        def time_now():
            return self.dev.now_strings()[1]

        form_ref = []

        def date_parse(text):
            fmt = form_ref[0].value("format") if form_ref else d["format"]
            try:
                return parse_date(text.strip(), fmt)
            except ParamError:
                raise MenuError("Invalid date (format %s)." % fmt)

        def date_show(v):
            if isinstance(v, (list, tuple)):
                fmt = form_ref[0].value("format") if form_ref else d["format"]
                return fmt_date(time.struct_time((v[0], v[1], v[2], 0, 0, 0, 0, 1, 0)), fmt)
            return v

        def time_parse(text):
            try:
                return parse_time(text.strip())
            except ParamError:
                raise MenuError("Invalid time (format hh:mm:ss).")

        def time_show(v):
            return "%02d:%02d:%02d" % tuple(v) if isinstance(v, (list, tuple)) else v

        all_fields = {
            "date": Field("date", "Date", date_now, show=date_show, parse=date_parse),
            "time": Field("time", "Time", time_now, show=time_show, parse=time_parse),
            "format": Field("format", "Date Format", lambda: d["format"],
                            choices=[(f, f) for f in DATE_FORMATS]),
        }

        def apply(pending):
            if "format" in pending:
                d["format"] = pending["format"]
            if "date" in pending or "time" in pending:
                self.dev.set_clock(pending.get("date"), pending.get("time"))

        form = Form(self, "Date/Time", all_fields, self.layout["datetime"], apply, "system")
        form_ref.append(form)
        return form

    def scr_tools(self):
        entries = {"reboot": ("Reboot Management Interface", self.reboot_card),
                   "file_transfer": ("File Transfer", lambda: Push(self.scr_file_transfer))}
        return self.menu("Tools", "tools", entries)

    # -- firmware over XMODEM (System > Tools > File Transfer > XMODEM) ------------------------
    def scr_file_transfer(self):
        return Screen("File Transfer", [("XMODEM", lambda: Push(self.scr_xmodem))])

    def scr_xmodem(self):
        self.require("system")
        speed = getattr(self, "xmodem_speed", None) or self.st["console"]["baud"]
        bauds = self.dev.opts.xfer_bauds or XFER_BAUDS

        def pick(value):
            self.xmodem_speed = value

        speeds = ChoiceMenu("Transfer Speed", [(str(b), b) for b in bauds], speed, pick,
                            layout=self.dev.profile.get("choice_layout") or "current")
        items = [(field_text("Transfer Speed", str(speed), 30), lambda: Push(speeds)),
                 ("Start Transfer", self.xmodem_start)]
        header = ["     Sends a firmware image (bootmon, AOS or application module) with",
                  "     XMODEM. The unit restarts after a good image."]
        return Screen("XMODEM", items, header)

    def xmodem_start(self):
        """Receive one image at the chosen speed; a good one is written and the unit restarts."""
        from .firmware import check_image, parse_header      # pylint: disable=import-outside-toplevel
        from .xmodem_rx import Receiver, TransferFailed      # pylint: disable=import-outside-toplevel
        self.require("system")
        dev, io = self.dev, self.io
        speed = getattr(self, "xmodem_speed", None) or self.st["console"]["baud"]
        console_baud = self.st["console"]["baud"]
        io.write(CRLF + CRLF + "Transferring at %d baud. Set your terminal to %d baud, then press "
                 "<ENTER>..." % (speed, speed) + CRLF)
        saved_idle = io.idle_timeout
        io.idle_timeout = None
        receiver = Receiver(io, drop_line=dev.drop_client, fault=dict(dev.fault.get("xmodem") or {}))
        record = {"time": time.time(), "bytes": 0, "baud": speed, "via": "menu"}
        data = failure = None
        try:
            dev.line_baud = speed
            while io.read_byte() not in (CR, LF):
                pass                      # noise at the wrong speed before the ENTER
            io.discard_input()
            io.write(CRLF + "Start the XMODEM transfer of the image now." + CRLF)
            try:
                data = receiver.receive()
            except TransferFailed as exc:
                failure = exc
        finally:
            dev.line_baud = console_baud      # back to the console's speed at once
            io.idle_timeout = saved_idle
        if failure is not None:
            module = None
            try:
                module = parse_header(bytes(receiver.data))["module"].lower()
            except ValueError:
                pass
            text = "File transfer failed: %s." % failure.result
            record.update(result=failure.result, bytes=failure.received, module=module)
            if receiver.blocks and module:
                key = module if module in ("bootmon", "aos") else "app"
                dev.set_firmware(key, None, half_written=key)
                record["half_written"] = key
                text += " The %s image is half-written; send it again." % module
            dev.log_firmware(record)
            raise MenuError(text)
        try:
            key, version = check_image(data, dev.hw_code(), self.prof["app_name"])
        except ValueError as exc:
            record.update(result="Refused", reason=str(exc), bytes=len(data))
            dev.log_firmware(record)
            raise MenuError("Image refused: %s. Nothing was written." % exc)
        dev.set_firmware(key, version)
        record.update(result="OK", module=key, version=version, bytes=len(data), naks=receiver.naks)
        dev.log_firmware(record)
        io.write(CRLF + "File transfer complete: %s image %s written (%d bytes)." % (key, version, len(data))
                 + CRLF + CRLF + "Rebooting..." + CRLF)
        dev.next_boot_seconds = self.prof.get("firmware_boot_seconds")
        raise Interrupted("reboot-command")

    def reboot_card(self):
        self.require("system")
        if not self.confirm("Reboot Management Interface",
                            "This command will restart the management interface. "
                            "The outlets are not affected." if self.dev.ups is None else
                            "This command will restart the management interface. "
                            "The UPS is not affected."):
            return None
        self.io.write(CRLF + CRLF + "Rebooting..." + CRLF)
        raise Interrupted("reboot-command")

    def scr_about(self):
        p = self.prof
        rows = [("Model Number", p["model_number"]), ("Serial Number", p["serial"]),
                ("Hardware Revision", p["hw_rev"]), ("Manufacture Date", p["mfg_date"]),
                ("MAC Address", p["mac"]),
                ("AOS", p["aos_version"]),
                (p["app_title"], p["app_version"])]
        return Screen("About System", [], ["     %-27s: %s" % r for r in rows])
