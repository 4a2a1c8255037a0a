"""The simulated hardware behind the management card, shared by every dialect:
Rack PDU outlets (with delayed and pending commands) and the UPS (power state).

Dialect programs read and drive these; they own no timing of their own.
"""

import threading
import time


class OutletBank:
    """Outlets of a switched Rack PDU. Persistent settings live in ``state["outlets"]``;
    pending (delayed) commands are runtime only and shown with a trailing ``*``."""

    def __init__(self, device):
        self.device = device
        self._timers = {}          # outlet index (0-based) -> threading.Timer
        self._lock = threading.RLock()

    @property
    def outlets(self):
        return self.device.state["outlets"]

    def count(self):
        return len(self.outlets)

    def pending(self, idx):
        with self._lock:
            return idx in self._timers

    def _set(self, idx, value):
        with self.device.store.lock:
            self.outlets[idx]["state"] = value
            self.device.store.save()

    def _schedule(self, idx, delay, fn):
        with self._lock:
            old = self._timers.pop(idx, None)
            if old:
                old.cancel()
            if delay <= 0:
                fn()
                return

            def run():
                with self._lock:
                    if self._timers.get(idx) is not t:
                        return
                    del self._timers[idx]
                fn()

            t = threading.Timer(delay, run)
            t.daemon = True
            self._timers[idx] = t
            t.start()

    def cancel(self, idx):
        with self._lock:
            t = self._timers.pop(idx, None)
            if t:
                t.cancel()

    def on(self, idx, delayed=False):
        delay = self.outlets[idx]["on_delay"] if delayed else 0
        if delay < 0:
            return  # "never"
        self._schedule(idx, delay, lambda: self._set(idx, "on"))

    def off(self, idx, delayed=False):
        delay = self.outlets[idx]["off_delay"] if delayed else 0
        if delay < 0:
            return
        self._schedule(idx, delay, lambda: self._set(idx, "off"))

    def reboot(self, idx, delayed=False):
        o = self.outlets[idx]

        def back_on():
            self._set(idx, "on")

        def go_off():
            self._set(idx, "off")
            # stays pending until it is back on
            self._schedule(idx, max(0.001, float(o["reboot_time"])), back_on)

        off_delay = o["off_delay"] if delayed else 0
        if off_delay > 0:
            self._schedule(idx, off_delay, go_off)
        else:
            self.cancel(idx)
            go_off()

    def shutdown(self):
        with self._lock:
            for t in self._timers.values():
                t.cancel()
            self._timers.clear()


class UpsModel:
    """The UPS: on line or on battery; the charge drops slowly while on battery."""

    DRAIN_PER_MINUTE = 1.0   # % state of charge per minute on battery

    def __init__(self, device):
        self.device = device

    @property
    def ups(self):
        return self.device.state["ups"]

    @property
    def facts(self):
        return self.device.profile["ups"]

    def power_fail(self):
        with self.device.store.lock:
            if not self.ups["on_battery"]:
                self.ups["on_battery"] = True
                self.ups["battery_since"] = time.time()
                self.ups["last_transfer"] = "Due to loss of input power"
            self.device.store.save()

    def power_restore(self):
        with self.device.store.lock:
            self.ups["on_battery"] = False
            self.ups["battery_since"] = None
            self.device.store.save()

    def status_text(self):
        if self.ups.get("output") == "off":
            return "Off, No Alarms Present"
        if self.ups["on_battery"]:
            return "On Battery, No Alarms Present"
        return "On Line, No Alarms Present"

    def charge(self):
        if not self.ups["on_battery"] or not self.ups.get("battery_since"):
            return 100.0
        minutes = (time.time() - self.ups["battery_since"]) / 60.0
        return max(0.0, 100.0 - minutes * self.DRAIN_PER_MINUTE)

    def runtime_minutes(self):
        base = self.facts["nominal_runtime_min"]
        return int(base * self.charge() / 100.0)

    def input_voltage(self):
        return 0.0 if self.ups["on_battery"] else self.facts["input_voltage"]
