"""A simulated unit: profile + persistent state + runtime (boot, login, faults) + the
console program of its dialect, run in a thread of its own.

Transports call ``feed(bytes)`` with what the client sent and give the device a
``send(bytes)`` callable via ``attach``. Control actions are methods (``reboot``,
``press_reset``...) safe to call from any thread.
"""

import calendar
import copy
import random
import re
import threading
import time

from . import dialect_cli, dialect_cli5, dialect_menu, dialect_smart, firmware
from .console import ConsoleIO, Interrupted
from .hardware import OutletBank, UpsModel
from .profiles import get_profile, mac_suffix
from .state import StateStore, factory_reset, snapshot_active
from .transcript import TranscriptWriter

# dialect name -> console program class (or factory taking the device). ``menu`` and
# ``smart`` will be added here. ``cli``: AOS 5.x NMC2 firmware gets dialect_cli5.Cli5Program.
DIALECTS = {
    "cli": dialect_cli5.cli_program,
    "smart": dialect_smart.SmartProgram,     # UPS-Link on a UPS's DB9 port
    "menu": dialect_menu.MenuProgram,        # "Control Console" of AP79xx / NMC1 (AOS 2.x/3.x)
}


def _version_tuple(v):
    out = []
    for part in v.lstrip("vV").split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


class DeviceOptions:
    """Every knob of one simulated device (command line and rack YAML share these)."""

    def __init__(self, **kw):
        self.name = kw.get("name") or kw.get("model")
        self.model = kw["model"]
        self.state = kw.get("state")
        self.transcript = kw.get("transcript")
        self.pace = bool(kw.get("pace", False))
        self.control = kw.get("control")
        self.firmware = kw.get("firmware")
        self.model_number = kw.get("model_number")                  # None: profile
        self.first_login_change = kw.get("first_login_change")      # None: profile
        self.idle_timeout = kw.get("idle_timeout")                  # None: per user / profile
        self.idle_logout_style = kw.get("idle_logout_style") or "prompt"
        self.boot_seconds = kw.get("boot_seconds")
        self.bad_login_attempts = kw.get("bad_login_attempts")
        self.lockout_seconds = kw.get("lockout_seconds")
        self.reset_window_seconds = kw.get("reset_window_seconds")
        self.device_ready_delay = kw.get("device_ready_delay")
        self.baud = kw.get("baud")
        self.baud_check = kw.get("baud_check", True)
        bauds = kw.get("xfer_bauds")
        if isinstance(bauds, str):
            bauds = [int(b) for b in bauds.split(",") if b.strip()]
        self.xfer_bauds = tuple(bauds) if bauds else None             # None: xfer_ini's
        # firmware (see firmware.py): the boot monitor's CR window at the start of a restart,
        # and how long the restart after new firmware takes (linked units: minutes)
        self.bootmon_window = kw.get("bootmon_window")
        self.bootmon_key = kw.get("bootmon_key")            # esc (default) | any
        if self.bootmon_key not in (None, "esc", "any"):
            raise ValueError("bootmon_key must be esc or any")
        self.firmware_boot_seconds = kw.get("firmware_boot_seconds")
        # smart dialect (see dialect_smart): None = the profile's value
        self.alert_inside_replies = bool(kw.get("alert_inside_replies", False))
        self.onbatt_alert_period = kw.get("onbatt_alert_period")
        self.eeprom_notify_delay = kw.get("eeprom_notify_delay")
        self.jitter = bool(kw.get("jitter", False))
        # menu dialect: how a list of values looks (see README "menu dialect")
        self.choice_layout = kw.get("choice_layout")
        if self.choice_layout not in (None, "current", "titled", "current-value"):
            raise ValueError("choice_layout must be current, titled or current-value")
        if self.idle_logout_style not in ("prompt", "silent"):
            raise ValueError("idle_logout_style must be prompt or silent")


class Device:
    def __init__(self, opts):
        self.opts = opts
        self.name = opts.name
        prof = get_profile(opts.model)
        if opts.firmware:
            fw = opts.firmware if opts.firmware.startswith("v") else "v" + opts.firmware
            prof["aos_version"] = prof["app_version"] = fw
            if opts.first_login_change is None:
                # AOS 6.9.6+ on NMC2-class cards, and every NMC3, force the change
                prof["first_login_change"] = (prof["card"] == "nmc3"
                                              or _version_tuple(fw) >= (6, 9, 6))
            prof["banner_style"] = "696" if (prof["card"] == "nmc3"
                                             or _version_tuple(fw) >= (6, 9, 6)) else "68"
        if opts.model_number:
            prof["model_number"] = opts.model_number
        if opts.first_login_change is not None:
            prof["first_login_change"] = bool(opts.first_login_change)
        prof.setdefault("bootmon_window", 5.0)
        prof.setdefault("bootmon_key", "esc")
        for key in ("boot_seconds", "reset_window_seconds", "device_ready_delay",
                    "lockout_seconds", "baud", "choice_layout", "bootmon_window",
                    "firmware_boot_seconds", "bootmon_key"):
            v = getattr(opts, key)
            if v is not None:
                prof[key] = v
        self.profile = prof
        self.dialect = prof["dialect"]
        self.first_login_change = prof["first_login_change"]
        self.idle_timeout_override = opts.idle_timeout
        self.idle_logout_style = opts.idle_logout_style
        self.t0 = time.monotonic()
        self.store = StateStore(opts.state, prof,
                                {"bad_login_attempts": opts.bad_login_attempts})
        if opts.bad_login_attempts is not None:
            with self.store.lock:
                self.state["userdflt"]["bad_login_attempts"] = int(opts.bad_login_attempts)
                self.store.save()
        self.transcript = TranscriptWriter(opts.transcript, self.t0) if opts.transcript else None
        if self.state.get("firmware"):
            self._apply_firmware()

        self.io = ConsoleIO(self._send)
        self._send_fn = None
        self._send_lock = threading.Lock()
        self._pace_in_free = 0.0
        self._stopping = False
        self._thread = None

        # runtime
        self.boot_time = time.monotonic()
        self.booting_until = None
        self.boot_started = None
        self.next_boot_seconds = None       # the boot monitor sets it after writing an image
        self.device_ready_at = 0.0
        self.reboot_pending = False
        self.reset_window_until = None      # epoch seconds
        self.line_baud = self.state["console"]["baud"]
        self._baud_after_reply = None
        self.fault = {"slow": 0.0, "drop": 0.0, "garble": 0.0}
        self._awaiting_reply = False
        self.transport = None

        self.outlets = OutletBank(self)
        self.ups = UpsModel(self) if prof.get("ups") else None
        self._power_on()
        self.program = DIALECTS[self.dialect](self)

    # -- state helpers -----------------------------------------------------------------
    @property
    def state(self):
        return self.store.data

    def _power_on(self, cause=None):
        """What every boot does: pending resetToDef, the active settings snapshot."""
        with self.store.lock:
            st = self.state
            pending = st.get("pending_reset")
            if pending:
                new = factory_reset(st, self.profile, keep_ip=(pending == "keepip"),
                                    overrides={"bad_login_attempts": self.opts.bad_login_attempts})
                self.store.data = st = new
            st["active"] = snapshot_active(st)
            st["pending_reset"] = None
            if cause:
                st["lastrst"] = cause
            self.store.save()
        self.reboot_pending = False
        self.boot_time = time.monotonic()
        self.line_baud = self.state["console"]["baud"]
        self.device_ready_at = time.monotonic() + float(self.profile.get("device_ready_delay", 0))

    def uptime(self):
        return time.monotonic() - self.boot_time

    def now_epoch(self):
        d = self.state["date"]
        return time.time() + dialect_cli.tz_minutes(d["tz"]) * 60 + d.get("offset", 0.0)

    def now_strings(self):
        tm = time.gmtime(self.now_epoch())
        return (dialect_cli.fmt_date(tm, self.state["date"]["format"]),
                "%02d:%02d:%02d" % (tm.tm_hour, tm.tm_min, tm.tm_sec))

    def set_clock(self, ymd, hms):
        tm = time.gmtime(self.now_epoch())
        y, mo, d = ymd or (tm.tm_year, tm.tm_mon, tm.tm_mday)
        h, mi, s = hms or (tm.tm_hour, tm.tm_min, tm.tm_sec)
        wanted = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
        dstate = self.state["date"]
        dstate["offset"] = wanted - (time.time() + dialect_cli.tz_minutes(dstate["tz"]) * 60)

    def apc_name(self, name):
        """The card appends the MAC's last 6 hex digits to a name of exactly ``apc``."""
        return "apc" + mac_suffix(self.profile) if name.lower() == "apc" else name

    def active_ipv4(self):
        act = self.state["active"]
        if not act["tcpip"]["enabled"]:
            return {"ip": "0.0.0.0", "mask": "0.0.0.0", "gateway": "0.0.0.0"}
        if act["boot"]["mode"] == "manual":
            t = act["tcpip"]
            return {"ip": t["ip"], "mask": t["mask"], "gateway": t["gateway"]}
        lease = self.profile["dhcp_lease"]
        return {"ip": lease["ip"], "mask": lease["mask"], "gateway": lease["gateway"]}

    def active_dns(self):
        d = self.state["dns"]
        if d["override"] or self.state["active"]["boot"]["mode"] == "manual":
            return d["primary"], d["secondary"]
        lease = self.profile["dhcp_lease"]
        return lease["dns1"], lease["dns2"]

    def active_ntp(self):
        n = self.state["ntp"]
        if n["override"] or self.state["active"]["boot"]["mode"] == "manual":
            return n["primary"], n["secondary"]
        lease = self.profile["dhcp_lease"]
        return lease["ntp1"], lease["ntp2"]

    def link_local6(self):
        b = [int(x, 16) for x in self.profile["mac"].split()]
        b[0] ^= 0x02
        words = [(b[0] << 8) | b[1], (b[2] << 8) | 0xFF, 0xFE00 | b[3], (b[4] << 8) | b[5]]
        return "FE80::" + ":".join("%X" % w for w in words)

    def set_reboot_pending(self):
        self.reboot_pending = True

    def device_ready(self):
        return time.monotonic() >= self.device_ready_at

    def password_ok(self, pw):
        if not self.state["userdflt"].get("strong_passwords"):
            return len(pw) >= 1
        return (len(pw) >= 8 and any(c.islower() for c in pw) and any(c.isupper() for c in pw)
                and any(c.isdigit() for c in pw) and any(not c.isalnum() for c in pw))

    def baud_changed_after_reply(self, baud):
        self._baud_after_reply = baud

    def after_command(self):
        if self._baud_after_reply:
            self.line_baud = self._baud_after_reply
            self._baud_after_reply = None

    # -- accounts ----------------------------------------------------------------------
    def reset_window_open(self):
        return self.reset_window_until is not None and time.time() < self.reset_window_until

    def authenticate(self, name, pw):
        """-> (user dict, via_reset_window) or (None, False). Counts failures/lockout."""
        with self.store.lock:
            users = self.state["users"]
            su = next((u for u in users if u["type"] == "Super User"), None)
            if self.reset_window_open() and name == "apc" and pw == "apc" and su is not None:
                return su, True
            u = next((x for x in users if x["name"] == name), None)
            if u is None:
                return None, False
            now = time.time()
            if u["type"] != "Super User" and u.get("locked"):
                if u.get("locked_until") and now >= u["locked_until"]:
                    u["locked"] = False
                    u["locked_until"] = None
                    u["failures"] = 0
                else:
                    return None, False
            if not u["enabled"]:
                return None, False
            if pw != u["password"]:
                limit = int(self.state["userdflt"].get("bad_login_attempts", 0))
                if u["type"] != "Super User" and limit > 0:
                    u["failures"] = u.get("failures", 0) + 1
                    if u["failures"] >= limit:
                        u["locked"] = True
                        secs = float(self.profile.get("lockout_seconds", 0))
                        u["locked_until"] = now + secs if secs > 0 else None
                self.store.save()
                return None, False
            if u.get("failures"):
                u["failures"] = 0
                self.store.save()
            return u, False

    # -- output path: transcript, faults, pacing -----------------------------------------
    def attach(self, send_fn, transport=None):
        self._send_fn = send_fn
        self.transport = transport

    def _byte_time(self, n):
        return n * 10.0 / float(self.line_baud or 9600)

    def _send(self, data):
        late = self.fault.get("late_answer")
        if late and self._awaiting_reply:
            # once: the console takes this long to give its next answer (input arriving
            # meanwhile waits, as in a busy or slow-starting card)
            self.fault["late_answer"] = 0.0
            time.sleep(late)
        if self.fault["slow"] and self._awaiting_reply:
            self._awaiting_reply = False
            time.sleep(self.fault["slow"])
        self._awaiting_reply = False
        if self.fault.get("garble_once") or self.fault.get("drop_once"):
            data = self._damage_once(data)
        if self.fault["drop"] or self.fault["garble"]:
            data = self._apply_faults(data)
        if self.baud_mismatch():
            data = self._line_noise(data)
        with self._send_lock:
            if self.opts.pace:
                chunk = max(1, int(self.line_baud / 10 / 50))   # ~20 ms of line time
                for i in range(0, len(data), chunk):
                    part = data[i:i + chunk]
                    self._emit(part)
                    time.sleep(self._byte_time(len(part)))
            else:
                self._emit(data)

    def _emit(self, data):
        if self.transcript:
            self.transcript.log("out", data)
        fn = self._send_fn
        if fn is not None:
            try:
                fn(data)
            except OSError:
                pass

    def client_baud(self):
        t = self.transport
        return t.client_baud() if t is not None else None

    def baud_mismatch(self):
        """True when the client's line speed differs from the console's: both directions
        then carry garbage, as on a real line."""
        if not self.opts.baud_check:
            return False
        cb = self.client_baud()
        return cb is not None and cb != self.line_baud

    @staticmethod
    def _line_noise(data):
        out = bytearray()
        for b in data:
            r = random.random()
            if r < 0.3:
                continue
            out.append(random.choice((0x00, 0x80, 0xF8, 0xFE, 0xE0, 0x78)) ^ (b & 0x07))
        return bytes(out)

    def _damage_once(self, data):
        """garble-once / drop-once TEXT: the byte in the middle of TEXT, where the output
        (across chunks: an echo comes a byte at a time) reaches it, arrives with its top bit
        set, or not at all. Once."""
        out = bytearray()
        tail = getattr(self, "_once_tail", b"")
        for byte in data:
            for once in ("garble_once", "drop_once"):
                target = (self.fault.get(once) or "").encode("latin-1")
                if not target:
                    continue
                mid = len(target) // 2
                if byte == target[mid] and tail.endswith(target[:mid]):
                    self.fault[once] = None
                    if once == "drop_once":
                        byte = None
                    else:
                        byte |= 0x80
                    break
            if byte is not None:
                out.append(byte)
                tail = (tail + bytes([byte]))[-256:]
        self._once_tail = tail
        return bytes(out)

    def _apply_faults(self, data):
        out = bytearray()
        for b in data:
            if self.fault["drop"] and random.random() < self.fault["drop"]:
                continue
            if self.fault["garble"] and random.random() < self.fault["garble"]:
                b = random.randrange(0x80, 0x100)
            out.append(b)
        return bytes(out)

    # -- input path ----------------------------------------------------------------------
    def feed(self, data):
        if not data:
            return
        if self.transcript:
            self.transcript.log("in", data)
        if self.opts.pace:
            now = time.monotonic()
            start = max(now, self._pace_in_free)
            self._pace_in_free = start + self._byte_time(len(data))
            delay = self._pace_in_free - now
            if delay > 0:
                time.sleep(delay)
        self._awaiting_reply = True
        if self.baud_mismatch():
            data = self._line_noise(data)
        if self._reboot_on_line(data):
            return
        self.io.feed(data)
        self._disconnect_on_line(data)
        self._disconnect_on_bytes(data)

    def _reboot_on_line(self, data):
        """Fault 'reboot-on TEXT': when a line containing TEXT is complete, the card restarts
        instead of carrying it out (a power glitch or watchdog in the middle of a command):
        the line is lost, the console is dead for boot_seconds, then silent until a CR."""
        trigger = self.fault.get("reboot_on")
        if not trigger:
            return False
        self._reboot_line = (getattr(self, "_reboot_line", b"") + data)[-4096:]
        if b"\r" not in data and b"\n" not in data:
            return False
        line, self._reboot_line = self._reboot_line, b""
        if trigger.encode("latin-1") not in line:
            return False
        self.fault["reboot_on"] = ""
        self.ctl_reboot()
        return True

    def _disconnect_on_bytes(self, data):
        """Fault 'disconnect-on-bytes TEXT': as disconnect-on, for protocols without lines
        (the smart protocol's single-letter commands): once the bytes received since the
        fault was set contain TEXT, the device takes them and drops the client."""
        trigger = self.fault.get("disconnect_on_bytes")
        if not trigger:
            return
        self._fault_bytes = (getattr(self, "_fault_bytes", b"") + data)[-4096:]
        if trigger.encode("latin-1") in self._fault_bytes:
            self.fault["disconnect_on_bytes"] = ""
            self._fault_bytes = b""
            t = self.transport
            if t:
                t.disconnect_client()

    def _disconnect_on_line(self, data):
        """Fault 'disconnect-on TEXT': when a line containing TEXT is complete, the device
        still carries it out (its console thread has it) but the client is dropped before
        it can read the answer - a console server losing the line mid-change."""
        trigger = self.fault.get("disconnect_on")
        if not trigger:
            return
        self._fault_line = (getattr(self, "_fault_line", b"") + data)[-4096:]
        if b"\r" not in data and b"\n" not in data:
            return
        line, self._fault_line = self._fault_line, b""
        if trigger.encode("latin-1") in line:
            self.fault["disconnect_on"] = ""
            t = self.transport
            if t:
                t.disconnect_client()

    # -- console thread --------------------------------------------------------------------
    def start(self):
        self._thread = threading.Thread(target=self._run, name="apcsim-%s" % self.name,
                                        daemon=True)
        self._thread.start()

    def stop(self):
        self._stopping = True
        self.io.interrupt("stop")
        if self._thread:
            self._thread.join(timeout=5)
        self.outlets.shutdown()
        if self.transcript:
            self.transcript.close()

    def _run(self):
        start = "wait_cr"
        while not self._stopping:
            try:
                if self.booting_until is not None:
                    self._boot_wait()
                    start = "wait_cr"
                    continue
                self.program.run(start)
            except Interrupted as e:
                if e.reason == "stop":
                    return
                if e.reason == "reboot-command":
                    self.begin_boot("04 Requested Reset")
                # "reboot": begin_boot was already called by the control thread
                start = "wait_cr"
            except Exception:  # pragma: no cover - keep the console alive, but say why
                import traceback
                traceback.print_exc()
                self.program = DIALECTS[self.dialect](self)
                start = "wait_cr"

    def _boot_wait(self):
        window = float(self.profile.get("bootmon_window") or 0) if self.dialect == "cli" else 0.0
        while not self._stopping:
            left = self.booting_until - time.monotonic()
            if left <= 0:
                break
            try:
                b = self.io.read_byte(timeout=left)   # input while booting is discarded
            except Interrupted as e:
                if e.reason == "stop":
                    raise
                continue
            key = b == 0x1B or (b is not None and self.profile.get("bootmon_key") == "any")
            if key and time.monotonic() < self.boot_started + window:
                # ESC (or, with bootmon_key any, any byte) early in the restart: the boot
                # monitor keeps the console
                self.io.discard_input()
                self.booting_until = None
                self._power_on()
                self.program = firmware.BootMonitor(self)
                return
        self.io.discard_input()
        self.booting_until = None
        self._power_on()
        if (self.state.get("firmware") or {}).get("half_written"):
            self.program = firmware.BootMonitor(self)   # no valid firmware to start

    # -- firmware --------------------------------------------------------------------------
    def hw_code(self):
        return self.profile.get("fw_hw") or firmware.HW_BY_CARD.get(self.profile.get("card"), "02")

    def firmware(self):
        fw = self.state.get("firmware")
        if fw:
            return fw
        p = self.profile
        return {"bootmon": p["bootmon"]["version"], "aos": p["aos_version"],
                "app": p["app_version"], "app_name": p["app_name"], "half_written": None}

    def set_firmware(self, key, version, half_written=None):
        with self.store.lock:
            fw = dict(self.firmware())
            fw[key] = version
            if half_written:
                fw["half_written"] = half_written
            elif fw.get("half_written") == key:
                fw["half_written"] = None
            self.state["firmware"] = fw
            self.store.save()
        self._apply_firmware()

    def log_firmware(self, record):
        with self.store.lock:
            log = self.state.setdefault("firmware_log", [])
            log.append(record)
            del log[:-50]
            self.store.save()

    def _apply_firmware(self):
        fw = self.state["firmware"]
        p = self.profile
        p["aos_version"] = fw.get("aos") or "v0.0.0"
        p["app_version"] = fw.get("app") or "v0.0.0"
        p["bootmon"]["version"] = fw.get("bootmon") or "v0.0.0"

    def begin_boot(self, cause="09 Coldstart Reset"):
        """Start a reboot: the session is lost, the console is dead for boot_seconds."""
        with self.store.lock:
            self.state["lastrst"] = cause
            self.store.save()
        self.program = DIALECTS[self.dialect](self)
        seconds = self.next_boot_seconds or self.profile.get("boot_seconds", 60)
        self.next_boot_seconds = None
        self.boot_started = time.monotonic()
        self.booting_until = self.boot_started + float(seconds)
        self.reboot_pending = False

    # -- control actions (any thread) -------------------------------------------------------
    def ctl_reboot(self):
        self.begin_boot("09 Coldstart Reset")
        self.io.interrupt("reboot")
        return {"ok": True, "boot_seconds": float(self.profile.get("boot_seconds", 60))}

    def ctl_logout(self):
        was = self.program.user is not None
        if was:
            self.io.interrupt("logout")
        return {"ok": True, "was_logged_in": was}

    def ctl_press_reset(self):
        if not self.profile.get("reset_window"):
            return {"ok": False, "error": "%s (%s) has no reset-button password window: on NMC3 "
                    "holding reset for 20-25 s resets the whole configuration instead"
                    % (self.profile["name"], self.profile["model_number"])}
        secs = float(self.profile.get("reset_window_seconds", 30))
        self.reset_window_until = time.time() + secs
        return {"ok": True, "reset_window_until": self.reset_window_until,
                "window_seconds": secs}

    def ctl_power(self, fail):
        if not self.ups:
            return {"ok": False, "error": "%s is not a UPS" % self.profile["name"]}
        if fail:
            self.ups.power_fail()
        else:
            self.ups.power_restore()
        return {"ok": True, "ups_status": self.ups.status_text()}

    def ctl_fault(self, args):
        if not args:
            return {"ok": True, "fault": dict(self.fault)}
        kind = args[0]
        if kind == "disconnect":
            t = self.transport
            dropped = bool(t and t.disconnect_client())
            return {"ok": True, "disconnected": dropped}
        if kind == "xmodem":
            return self._xmodem_fault(args[1:])
        if kind == "clear":
            self.fault = {"slow": 0.0, "drop": 0.0, "garble": 0.0}
            return {"ok": True, "fault": dict(self.fault)}
        if kind == "disconnect-on":
            if len(args) < 2 or not args[1]:
                return {"ok": False, "error": "disconnect-on takes the text of the line to cut"}
            self.fault["disconnect_on"] = " ".join(args[1:])
            return {"ok": True, "fault": dict(self.fault)}
        if kind == "reboot-on":
            if len(args) < 2 or not args[1]:
                return {"ok": False, "error": "reboot-on takes the text of the line to restart at"}
            self._reboot_line = b""
            self.fault["reboot_on"] = " ".join(args[1:])
            return {"ok": True, "fault": dict(self.fault)}
        if kind == "disconnect-on-bytes":
            if len(args) < 2 or not args[1]:
                return {"ok": False, "error": "disconnect-on-bytes takes the bytes to cut after"}
            self._fault_bytes = b""
            self.fault["disconnect_on_bytes"] = " ".join(args[1:])
            return {"ok": True, "fault": dict(self.fault)}
        if kind == "at-screen":
            events = ("warmstart", "reboot", "logout")
            if len(args) < 3 or args[1] not in events:
                return {"ok": False, "error": "at-screen takes an event (%s) and a screen title "
                        "or prompt label" % ", ".join(events)}
            if self.dialect != "menu":
                return {"ok": False, "error": "at-screen is a menu-console fault"}
            words, times = list(args[2:]), 1
            if len(words) > 1 and re.match(r"^@\d+$", words[-1]):
                times = int(words.pop()[1:])
            name = " ".join(" ".join(words).replace(":", " ").split()).lower()
            self.fault["at_screen"] = [args[1], name, times]
            return {"ok": True, "fault": dict(self.fault)}
        if kind in ("garble-once", "drop-once"):
            if len(args) < 2:
                return {"ok": False, "error": "%s takes the text to damage" % kind}
            self.fault[kind.replace("-", "_")] = " ".join(args[1:])
            return {"ok": True, "fault": dict(self.fault)}
        if kind == "seed":
            try:
                random.seed(int(args[1]))
            except (IndexError, ValueError):
                return {"ok": False, "error": "seed takes a whole number"}
            return {"ok": True, "fault": dict(self.fault)}
        if kind == "late-answer":
            try:
                self.fault["late_answer"] = float(args[1]) if len(args) > 1 else 3.0
            except ValueError:
                return {"ok": False, "error": "bad value %r" % args[1]}
            return {"ok": True, "fault": dict(self.fault)}
        if kind in ("slow", "drop", "garble"):
            try:
                val = float(args[1]) if len(args) > 1 else (1.0 if kind == "slow" else 0.1)
            except ValueError:
                return {"ok": False, "error": "bad value %r" % args[1]}
            if kind != "slow" and not 0.0 <= val <= 1.0:
                return {"ok": False, "error": "%s takes a probability 0..1" % kind}
            self.fault[kind] = val
            return {"ok": True, "fault": dict(self.fault)}
        return {"ok": False, "error": "unknown fault %r (disconnect, disconnect-on TEXT, "
                "disconnect-on-bytes TEXT, reboot-on TEXT, late-answer S, at-screen EVENT NAME, "
                "garble-once TEXT, drop-once TEXT, seed N, "
                "slow S, drop P, garble P, clear)" % kind}

    def _xmodem_fault(self, args):
        """fault xmodem nak N | nak-storm AFTER | cancel AFTER | drop AFTER | checksum | off
        (see xmodem_rx): how the card's receiver misbehaves in the next transfers."""
        usage = ("fault xmodem takes nak N, nak-storm AFTER, cancel AFTER, drop AFTER, "
                 "checksum or off")
        if not args:
            return {"ok": False, "error": usage}
        what = args[0]
        current = dict(self.fault.get("xmodem") or {})
        if what == "off":
            self.fault.pop("xmodem", None)
            return {"ok": True, "fault": dict(self.fault)}
        if what == "checksum":
            current["checksum"] = True
        elif what in ("nak", "nak-storm", "cancel", "drop"):
            try:
                count = int(args[1]) if len(args) > 1 else (1 if what == "nak" else 0)
            except ValueError:
                return {"ok": False, "error": usage}
            if what == "nak":
                current["nak"] = count
            else:
                current.update(mode=what, after=count)
        else:
            return {"ok": False, "error": usage}
        self.fault["xmodem"] = current
        return {"ok": True, "fault": dict(self.fault)}

    def drop_client(self):
        """Cut the line to the client (TCP/RFC 2217); a pty cannot be hung up."""
        t = self.transport
        return bool(t and t.disconnect_client())

    def status(self):
        st = {
            "name": self.name,
            "model": self.profile["name"],
            "firmware": self.profile["aos_version"],
            "firmware_modules": self.firmware(),
            "booting": self.booting_until is not None,
            "boot_seconds_left": (max(0.0, self.booting_until - time.monotonic())
                                  if self.booting_until is not None else 0.0),
            "reboot_pending": self.reboot_pending,
            "reset_window_until": self.reset_window_until,
            "reset_window_open": self.reset_window_open(),
            "line_baud": self.line_baud,
            "client_baud": self.client_baud(),
            "baud_mismatch": self.baud_mismatch(),
            "uptime": round(self.uptime(), 3),
            "fault": dict(self.fault),
            "client_connected": (self.transport.client_connected()
                                 if self.transport is not None else False),
        }
        st.update(self.program.status())
        return st

    def full_state(self):
        with self.store.lock:
            data = copy.deepcopy(self.state)
        data["runtime"] = self.status()
        return data

    def control(self, action, args):
        """Dispatch one control request; returns a JSON-able dict."""
        hook = getattr(self.program, "control", None)     # dialect-specific actions first
        if hook is not None:
            reply = hook(action, list(args))
            if reply is not None:
                return reply
        if action == "reboot":
            return self.ctl_reboot()
        if action == "press-reset":
            return self.ctl_press_reset()
        if action == "power-fail":
            return self.ctl_power(True)
        if action == "power-restore":
            return self.ctl_power(False)
        if action == "logout":
            return self.ctl_logout()
        if action == "state":
            return {"ok": True, "state": self.full_state()}
        if action == "status":
            return {"ok": True, "status": self.status()}
        if action == "fault":
            return self.ctl_fault(list(args))
        return {"ok": False, "error": "unknown action %r" % action}
