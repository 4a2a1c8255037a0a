"""The ``smart`` dialect: the UPS-Link protocol of a UPS's DB9 port (940-0024 cable).

A console program in blocking style, like ``dialect_cli``: it runs in the device's console
thread, reads single bytes with ``ConsoleIO.read_byte`` (with a short timeout, so the
asynchronous alert bytes and timers run between commands) and writes replies.

Protocol summary (README.md, "smart dialect", has the details and the guesses):

- dumb mode until ``Y`` (answer ``SM``); every other byte is ignored there; ``R`` answers
  ``BYE`` and goes back to dumb mode. CR and LF bytes are ignored in both modes.
- one character per command, replies end with CR LF, ``NA`` for what the unit lacks.
- EEPROM settings cycle with ``-`` (``+`` goes the other way) through the unit's own
  ``^Z`` values; ``c``/``x`` take exactly 8 characters after ``-``; ``z`` -> ``CLEAR``.
- alert bytes ``! $ % + ? = # & |`` on power and battery changes, ``|`` after EEPROM
  changes (on units that send it).
- control commands are recorded in ``state["smart"]["control_log"]``; none of them cuts
  anything.
"""

import random
import time

from .smart_profiles import (
    CTRL_A, CTRL_N, CTRL_Z, DEL, ENUM_LETTERS, TEXT_LETTERS, allowed_values, eeprom_table,
    factory_eeprom,
)

CRLF = "\r\n"
TICK = 0.05                    # seconds between timer checks while idle
DOUBLE_GAP = 1.5               # K K, Z Z, ^N ^N: the second one must come this much later
ENTRY_TIMEOUT = 15.0           # a half-typed c/x text or @nnn is dropped after this silence
ALERT_HOLD = 1.0               # with alerts inside replies: how long an alert waits for one
CONTROL_LOG_MAX = 200
ALERT_BYTES = "!$%+?=*#&|"
# Replies that contain alert characters themselves: never insert alerts inside them.
RAW_REPLY_COMMANDS = ("a", CTRL_Z)


def printable(ch):
    if ch == DEL:
        return "DEL"
    if ord(ch) < 32:
        return "^" + chr(ord(ch) + 64)
    return ch


class SmartProgram:
    """One instance per power-up of the UPS: the smart/dumb mode and timers live here,
    the EEPROM and logs in ``state["smart"]``."""

    dialect = "smart"

    def __init__(self, device):
        self.dev = device
        self.io = device.io
        self.user = None                   # no login on this port (ctl logout: nothing)
        self.prof = device.profile
        self.unit = self.prof["smart"]
        self.opts = device.opts
        self.rng = random.Random()
        self.smart_mode = False
        self.selected = None               # EEPROM letter the next - / + applies to
        self.entry = None                  # {"kind": "text"|"at", "letter", "buf", "last"}
        self.first = None                  # (char, monotonic time) of K / Z / ^N
        self.alerts = []                   # alert bytes waiting to be sent
        self.alerts_since = None
        self.notify_at = None              # when | is due
        self.self_test_until = None
        self.sim_pf_until = None
        self.calibrating = False
        self.jitter = bool(getattr(self.opts, "jitter", False))
        self.minmax = None                 # (max, min) input volts since the last M / N
        self.last_volts = None
        if getattr(self.opts, "alert_inside_replies", False):
            self.dev.fault["alert_inside"] = True
        with self.dev.store.lock:
            self._ensure_state()
        self.prev_on_batt = self.on_battery()
        self.prev_lb = self.low_battery()
        self.prev_overload = self.sst["overload"]
        self.prev_replace = self.sst["replace_battery"]
        now = time.monotonic()
        self.next_onbatt = now + self.onbatt_period()
        self.next_replace = now + float(self.unit["replace_battery_period"])

    # -- state ---------------------------------------------------------------------------
    @property
    def st(self):
        return self.dev.state

    @property
    def sst(self):
        return self.dev.state["smart"]

    def _ensure_state(self):
        sst = self.st.get("smart")
        if not isinstance(sst, dict):
            sst = self.st["smart"] = {}
        sst.setdefault("eeprom", factory_eeprom(self.unit))
        for key, value in factory_eeprom(self.unit).items():
            sst["eeprom"].setdefault(key, value)
        sst.setdefault("control_log", [])
        sst.setdefault("self_test", "NO")
        sst.setdefault("last_transfer", "O")
        sst.setdefault("replace_battery", False)
        sst.setdefault("overload", False)
        self.dev.store.save()

    def save(self):
        with self.dev.store.lock:
            self.dev.store.save()

    def log_control(self, command, accepted, detail, gap=None):
        entry = {"time": round(time.time(), 3), "command": command, "accepted": bool(accepted),
                 "detail": detail}
        if gap is not None:
            entry["gap"] = round(gap, 3)
        with self.dev.store.lock:
            log = self.sst["control_log"]
            log.append(entry)
            del log[:-CONTROL_LOG_MAX]
            self.dev.store.save()

    def status(self):
        return {
            "dialect": self.dialect,
            "logged_in": False,
            "user": None,
            "user_type": None,
            "session_id": None,
            "smart_mode": self.smart_mode,
            "locale": self.unit["locale"],
            "on_battery": self.on_battery(),
            "low_battery": self.low_battery(),
            "calibrating": self.calibrating,
            "self_test_running": self.self_test_until is not None,
            "simulated_power_failure": self.sim_pf_until is not None,
            "pending_alerts": "".join(self.alerts),
            "eeprom": dict(self.sst["eeprom"]),
        }

    # -- options -------------------------------------------------------------------------
    def onbatt_period(self):
        v = getattr(self.opts, "onbatt_alert_period", None)
        return float(v if v is not None else self.unit["onbatt_alert_period"])

    def notify_delay(self):
        """Seconds until ``|`` after an EEPROM change, or None for units that never send it."""
        if self.unit.get("eeprom_notify_delay") is None:
            return None
        v = getattr(self.opts, "eeprom_notify_delay", None)
        return float(v if v is not None else self.unit["eeprom_notify_delay"])

    def alert_inside(self):
        return bool(self.dev.fault.get("alert_inside"))

    # -- the simulated UPS -----------------------------------------------------------------
    def on_battery(self):
        return bool(self.st["ups"]["on_battery"]) or self.sim_pf_until is not None

    def charge(self):
        return self.dev.ups.charge() if self.dev.ups else 100.0

    def runtime(self):
        return int(self.unit["runtime_min"] * self.charge() / 100.0)

    def low_battery(self):
        if not self.on_battery():
            return False
        try:
            warn = int(self.sst["eeprom"].get("q", "02"))
        except ValueError:
            warn = 2
        return self.runtime() < warn

    def status_byte(self):
        v = 0x10 if self.on_battery() else 0x08
        if self.calibrating:
            v |= 0x01
        if self.sst["overload"]:
            v |= 0x20
        if self.low_battery():
            v |= 0x40
        if self.sst["replace_battery"]:
            v |= 0x80
        return v

    def input_volts(self):
        if self.st["ups"]["on_battery"]:
            return 0.0
        nominal = float(self.unit["input_voltage"])
        if not self.jitter:
            return nominal
        return round(nominal + self.rng.uniform(-1.5, 1.5), 1)

    def read_input(self):
        v = self.input_volts()
        self.last_volts = v
        if self.minmax is None:
            self.minmax = (v, v)
        else:
            self.minmax = (max(self.minmax[0], v), min(self.minmax[1], v))
        return v

    def output_volts(self):
        if self.on_battery():
            try:
                return float(self.sst["eeprom"].get("o") or self.unit["input_voltage"])
            except ValueError:
                return float(self.unit["input_voltage"])
        return self.last_volts if self.last_volts is not None else self.input_volts()

    def battery_volts(self):
        nominal = float(self.unit["nominal_battery_v"])
        if not self.on_battery():
            return nominal * 1.1375
        return nominal * (0.95 + 0.13 * self.charge() / 100.0)

    # -- main loop -------------------------------------------------------------------------
    def run(self, start="wait_cr"):
        del start                      # the smart port has no prompt to wait for
        self.io.idle_timeout = None
        while True:
            self.tick()
            b = self.io.read_byte(timeout=TICK)
            if b is None:
                continue
            self.tick()
            self.handle(chr(b))

    def tick(self):
        """Timers and state changes: alerts, self-test end, simulated power failure end,
        the delayed ``|``; then send due alerts."""
        now = time.monotonic()
        if self.sim_pf_until is not None and now >= self.sim_pf_until:
            self.sim_pf_until = None
        if self.self_test_until is not None and now >= self.self_test_until:
            self.self_test_until = None
            with self.dev.store.lock:
                self.sst["self_test"] = "OK"
                self.sst["last_transfer"] = "S"
                self.dev.store.save()
        on_batt = self.on_battery()
        if on_batt != self.prev_on_batt:
            self.prev_on_batt = on_batt
            if on_batt:
                self.queue_alert("!")
                self.next_onbatt = now + self.onbatt_period()
                if self.st["ups"]["on_battery"]:
                    with self.dev.store.lock:
                        self.sst["last_transfer"] = "L"
                        self.dev.store.save()
            else:
                self.queue_alert("$")
        elif on_batt and now >= self.next_onbatt:
            self.queue_alert("!")
            self.next_onbatt = now + self.onbatt_period()
        lb = self.low_battery()
        if lb != self.prev_lb:
            self.prev_lb = lb
            self.queue_alert("%" if lb else "+")
        if self.sst["overload"] != self.prev_overload:
            self.prev_overload = self.sst["overload"]
            self.queue_alert("?" if self.prev_overload else "=")
        replace = self.sst["replace_battery"]
        if replace and (not self.prev_replace or now >= self.next_replace):
            self.queue_alert("#")
            self.next_replace = now + float(self.unit["replace_battery_period"])
        self.prev_replace = replace
        if self.notify_at is not None and now >= self.notify_at:
            self.notify_at = None
            self.queue_alert("|")
        if self.entry is not None and now - self.entry["last"] > ENTRY_TIMEOUT:
            self.entry = None           # abandoned: the unit forgets it silently
        if self.alerts and (not self.alert_inside()
                            or now - self.alerts_since >= ALERT_HOLD):
            self.flush_alerts()

    def queue_alert(self, ch):
        if not self.smart_mode:
            return                      # dumb mode: the unit signals on the cable pins only
        if not self.alerts:
            self.alerts_since = time.monotonic()
        self.alerts.append(ch)

    def flush_alerts(self):
        data, self.alerts = "".join(self.alerts), []
        if data:
            self.io.write(data)

    def reply(self, text, command=None):
        """One reply line (CR LF added); due alerts go in front, or inside it when the
        alert-inside fault is on (never inside the ``a`` and ``^Z`` replies)."""
        data = text + CRLF
        if self.alerts:
            pending, self.alerts = self.alerts, []
            if self.alert_inside() and command not in RAW_REPLY_COMMANDS:
                for ch in pending:
                    pos = self.rng.randint(1, len(data) - 1)
                    data = data[:pos] + ch + data[pos:]
            else:
                data = "".join(pending) + data
        self.io.write(data)

    def eeprom_changed(self):
        self.save()
        delay = self.notify_delay()
        if delay is not None:
            self.notify_at = time.monotonic() + delay

    # -- input -----------------------------------------------------------------------------
    def handle(self, ch):
        now = time.monotonic()
        if self.entry is not None:
            self.entry_byte(ch, now)
            return
        if self.first is not None:
            first, t0 = self.first
            self.first = None
            if ch == first:
                self.double(first, now - t0)
                return
            self.log_control(printable(first), False, "abandoned: %r came before the second %s"
                             % (printable(ch), printable(first)))
        if ch in "\r\n":
            return
        if not self.smart_mode:
            if ch == "Y":
                self.smart_mode = True
                self.reply("SM")
            return
        if ch in ("-", "+"):
            self.step(ch)
            return
        self.selected = None
        if ch == "Y":
            self.reply("SM")
            return
        if ch not in self.unit["commands"] and ch != "R":
            self.reply("NA")
            return
        self.command(ch)

    def command(self, ch):  # pylint: disable=too-many-branches,too-many-return-statements
        u = self.unit
        ee = self.sst["eeprom"]
        simple = self.readings()
        if ch in simple:
            self.reply(simple[ch](), ch)
            return
        if ch in ENUM_LETTERS or ch in TEXT_LETTERS:
            if ch in ee:
                self.selected = ch
                self.reply(ee[ch], ch)
            else:
                self.reply("NA")
            return
        if ch == "R":
            self.smart_mode = False
            self.alerts = []
            self.reply("BYE")
            return
        if ch == "z":
            with self.dev.store.lock:
                fresh = factory_eeprom(u)
                fresh["c"], fresh["x"] = ee["c"], ee["x"]
                self.sst["eeprom"] = fresh
            self.eeprom_changed()
            self.reply("CLEAR")
            return
        handler = {
            "S": self.c_soft_shutdown, "@": self.c_at, "K": self.c_first, "Z": self.c_first,
            CTRL_N: self.c_first, DEL: self.c_cancel, "W": self.c_self_test,
            "D": self.c_calibration, "A": self.c_panel_test, "U": self.c_sim_power_fail,
        }.get(ch)
        if handler is None:
            self.reply("NA")
            return
        handler(ch)

    def readings(self):
        """Command -> function returning the reply text (identification and readings)."""
        u = self.unit
        fixed = {
            CTRL_A: u["model"], "n": u["serial"], "m": u["mfg_date"], "b": u["firmware"],
            "V": u["old_firmware"], "y": u["copyright"],
        }
        out = {k: (lambda v=v: v if v is not None else "NA") for k, v in fixed.items()}
        out.update({
            "a": lambda: "%s.%s.%s" % (u["protocol_version"], u["alerts"], u["commands"]),
            CTRL_Z: lambda: eeprom_table(u) if CTRL_Z in u["commands"] else "NA",
            "B": lambda: "%05.2f" % self.battery_volts(),
            "f": lambda: "%05.1f" % self.charge(),
            "g": lambda: "%03d" % u["nominal_battery_v"],
            "L": lambda: "%05.1f" % self.read_input(),
            "M": lambda: "%05.1f" % self.take_minmax(0),
            "N": lambda: "%05.1f" % self.take_minmax(1),
            "O": lambda: "%05.1f" % self.output_volts(),
            "P": lambda: "%05.1f" % u["load_pct"],
            "C": lambda: "%05.1f" % u["temperature_c"],
            "F": lambda: "%05.2f" % u["frequency"],
            "j": lambda: "%04d:" % self.runtime(),
            "Q": lambda: "%02X" % self.status_byte(),
            "G": lambda: self.sst["last_transfer"],
            "9": lambda: "00" if self.on_battery() else "FF",
            "X": lambda: self.sst["self_test"],
            "7": lambda: "%02X" % u["dip"],
            "~": lambda: "%02X" % u["registers"][0],
            "'": lambda: "%02X" % u["registers"][1],
            "8": lambda: "%02X" % u["registers"][2],
            ">": lambda: "%03d" % u["packs"],
            "<": lambda: "%03d" % u["bad_packs"],
        })
        return out

    def take_minmax(self, idx):
        """M / N: max / min input voltage since the last M / N read."""
        if self.minmax is None:
            v = self.read_input()
        else:
            v = self.minmax[idx]
        current = self.input_volts()
        self.minmax = (current, current)
        return v

    # -- EEPROM ------------------------------------------------------------------------------
    def step(self, ch):
        letter = self.selected
        if letter is None:
            self.reply("NA")
            return
        if letter in TEXT_LETTERS:
            if ch == "+":
                self.reply("NA")
                return
            # silent until exactly 8 characters arrived
            self.entry = {"kind": "text", "letter": letter, "buf": "", "last": time.monotonic()}
            return
        values = allowed_values(self.unit, letter)
        current = self.sst["eeprom"].get(letter)
        if letter in self.unit["locked"] or len(values) < 2 or current not in values:
            self.reply("NO")
            return
        idx = values.index(current) + (1 if ch == "-" else -1)
        with self.dev.store.lock:
            self.sst["eeprom"][letter] = values[idx % len(values)]
        self.eeprom_changed()
        self.reply("OK")

    def entry_byte(self, ch, now):
        e = self.entry
        e["last"] = now
        if e["kind"] == "at":
            if not ch.isdigit():
                self.entry = None
                self.log_control("@" + e["buf"], False, "aborted by %r" % printable(ch))
                self.reply("NO")
                return
            e["buf"] += ch
            if len(e["buf"]) == 3:
                self.entry = None
                n = int(e["buf"])
                self.log_control("@" + e["buf"], True, "shutdown after the grace delay (p=%s s), "
                                 "wake %d min after power returns + r=%s s (recorded, load not "
                                 "cut)" % (self.sst["eeprom"].get("p", "?"), n * 6,
                                           self.sst["eeprom"].get("r", "?")))
                self.reply("OK")
            return
        # free text: every byte counts (NUT pads with CR); control bytes are kept as blanks
        e["buf"] += ch if " " <= ch <= "~" else " "
        if len(e["buf"]) < 8:
            return
        self.entry = None
        with self.dev.store.lock:
            self.sst["eeprom"][e["letter"]] = e["buf"]
        self.eeprom_changed()
        self.reply("OK")

    # -- control commands --------------------------------------------------------------------
    def c_soft_shutdown(self, ch):
        del ch
        if not self.on_battery():
            self.log_control("S", False, "ignored: the UPS is on line (S only acts on battery)")
            return
        self.log_control("S", True, "soft shutdown after p=%s s, back on when power returns "
                         "(recorded, load not cut)" % self.sst["eeprom"].get("p", "?"))
        self.reply("OK")

    def c_at(self, ch):
        del ch
        self.entry = {"kind": "at", "buf": "", "last": time.monotonic()}

    def c_first(self, ch):
        self.first = (ch, time.monotonic())

    def double(self, ch, gap):
        name = "%s %s" % (printable(ch), printable(ch))
        if gap < DOUBLE_GAP:
            self.log_control(name, False, "ignored: the second %s came %.2f s after the first "
                             "(needs %.1f s or more)" % (printable(ch), gap, DOUBLE_GAP), gap)
            return
        if ch == "K":
            self.log_control(name, True, "shutdown after the grace delay (p=%s s), stay off "
                             "(recorded, load not cut)" % self.sst["eeprom"].get("p", "?"), gap)
            self.reply(self.unit["kk_reply"])
        elif ch == "Z":
            self.log_control(name, True, "load off now (recorded, load not cut)", gap)
        else:
            self.log_control(name, True, "load on (recorded)", gap)

    def c_cancel(self, ch):
        del ch
        self.log_control("DEL", True, "cancel a pending S, @ or K")
        self.reply("OK")

    def c_self_test(self, ch):
        del ch
        self.log_control("W", True, "battery self-test")
        with self.dev.store.lock:
            self.sst["self_test"] = "NO"
        self.self_test_until = time.monotonic() + float(self.unit["self_test_seconds"])
        self.reply("OK")

    def c_calibration(self, ch):
        del ch
        if self.calibrating:
            self.calibrating = False
            self.log_control("D", True, "runtime calibration stopped")
            self.reply("OK")
        elif self.on_battery() or self.charge() < 100.0:
            self.log_control("D", False, "refused: calibration needs line power and 100 % charge")
            self.reply("NO")
        else:
            self.calibrating = True
            self.log_control("D", True, "runtime calibration started")
            self.reply("OK")

    def c_panel_test(self, ch):
        del ch
        self.log_control("A", True, "front panel test (lights and beeper)")
        self.reply("OK")

    def c_sim_power_fail(self, ch):
        del ch
        if self.on_battery():
            self.log_control("U", False, "refused: already on battery")
            self.reply("NO")
            return
        self.log_control("U", True, "simulated power failure")
        self.sim_pf_until = time.monotonic() + float(self.unit["sim_pf_seconds"])
        self.prev_on_batt = True
        self.next_onbatt = time.monotonic() + self.onbatt_period()
        with self.dev.store.lock:
            self.sst["last_transfer"] = "S"
            self.dev.store.save()
        self.io.write("!")

    # -- control socket ------------------------------------------------------------------
    def control(self, action, args):
        """Smart-only control actions (``Device.control`` asks here first); None: not
        handled here."""
        if action == "press-reset":
            return {"ok": False, "error": "%s is a UPS on its serial port: there is no "
                    "management card reset button" % self.prof["name"]}
        if action == "fault" and args and args[0] == "alert-inside":
            on = (args[1] if len(args) > 1 else "on").lower() in ("on", "1", "true", "yes")
            self.dev.fault["alert_inside"] = on
            return {"ok": True, "fault": dict(self.dev.fault)}
        if action == "battery-charge":
            return self.ctl_battery_charge(args)
        if action in ("replace-battery", "overload"):
            on = (args[0] if args else "on").lower() in ("on", "1", "true", "yes")
            with self.dev.store.lock:
                self.sst[action.replace("-", "_")] = on
                self.dev.store.save()
            return {"ok": True, action.replace("-", "_"): on}
        if action == "alert":
            if not args or len(args[0]) != 1 or args[0] not in ALERT_BYTES:
                return {"ok": False, "error": "alert takes one of %s" % " ".join(ALERT_BYTES)}
            if not self.smart_mode:
                return {"ok": False, "error": "the UPS is in dumb mode (no Y yet): no alerts"}
            self.queue_alert(args[0])
            return {"ok": True, "queued": args[0]}
        return None

    def ctl_battery_charge(self, args):
        try:
            pct = float(args[0])
        except (IndexError, ValueError):
            return {"ok": False, "error": "battery-charge takes a percentage 0-100"}
        if not 0.0 <= pct <= 100.0:
            return {"ok": False, "error": "battery-charge takes a percentage 0-100"}
        if not self.st["ups"]["on_battery"]:
            return {"ok": False, "error": "the UPS is on line (charge is 100 %): power-fail first"}
        with self.dev.store.lock:
            drain = self.dev.ups.DRAIN_PER_MINUTE
            self.st["ups"]["battery_since"] = time.time() - (100.0 - pct) * 60.0 / drain
            self.dev.store.save()
        return {"ok": True, "charge": round(self.charge(), 1), "runtime_min": self.runtime(),
                "low_battery": self.low_battery()}
