"""Run one or many simulated devices in this process (used by ``serve`` and ``rack``, and
by tests that want a simulator in-process)."""

import json
import os
import tempfile

from .control import ControlServer
from .device import Device, DeviceOptions
from .transports import (PtyTransport, Rfc2217Transport, TcpTransport, TransportError,
                         parse_hostport)

# keys a device config (rack YAML entry or serve options) may carry
DEVICE_KEYS = ("name", "model", "pty", "tcp", "rfc2217", "state", "transcript", "control",
               "firmware", "model_number", "boot_seconds", "idle_timeout", "idle_logout_style", "pace",
               "first_login_change", "bad_login_attempts", "lockout_seconds",
               "reset_window_seconds", "device_ready_delay", "baud", "baud_check", "xfer_bauds",
               "bootmon_window", "firmware_boot_seconds", "bootmon_key",
               # smart dialect
               "alert_inside_replies", "onbatt_alert_period", "eeprom_notify_delay", "jitter",
               # menu dialect
               "choice_layout")


class SimulatedUnit:
    """A device with its transport and (optional) control socket."""

    def __init__(self, cfg):
        unknown = set(cfg) - set(DEVICE_KEYS)
        if unknown:
            raise ValueError("unknown device setting(s): %s" % ", ".join(sorted(unknown)))
        if "model" not in cfg:
            raise ValueError("a device needs a model")
        chosen = [k for k in ("pty", "tcp", "rfc2217") if cfg.get(k)]
        if len(chosen) != 1:
            raise ValueError("device %s: give exactly one of pty, tcp, rfc2217"
                             % cfg.get("name", cfg["model"]))
        # validate addresses before creating anything
        addr = None
        if chosen[0] in ("tcp", "rfc2217"):
            addr = parse_hostport(str(cfg[chosen[0]]))
        opts = DeviceOptions(**{k: v for k, v in cfg.items()
                                if k not in ("pty", "tcp", "rfc2217")})
        self.cfg = cfg
        self.device = Device(opts)
        self.transport = None
        self.control = None
        try:
            if chosen[0] == "pty":
                self.transport = PtyTransport(self.device, cfg["pty"])
            elif chosen[0] == "tcp":
                self.transport = TcpTransport(self.device, *addr)
            else:
                self.transport = Rfc2217Transport(self.device, *addr)
            if cfg.get("control"):
                self.control = ControlServer(self.device, cfg["control"])
        except Exception:
            self.stop()
            raise

    def start(self):
        self.device.start()
        self.transport.start()
        if self.control:
            self.control.start()

    def info(self):
        d = {"name": self.device.name, "model": self.device.profile["name"],
             "dialect": self.device.dialect, "firmware": self.device.profile["aos_version"],
             "control": self.control.path if self.control else None,
             "state": os.path.abspath(self.cfg["state"]) if self.cfg.get("state") else None,
             "transcript": (os.path.abspath(self.cfg["transcript"])
                            if self.cfg.get("transcript") else None)}
        d.update(self.transport.info())
        return d

    def stop(self):
        for part in (self.control, self.transport):
            if part is not None:
                try:
                    part.stop()
                except Exception:
                    pass
        self.device.stop()


class Rack:
    def __init__(self, configs):
        self.units = []
        names = set()
        try:
            for cfg in configs:
                cfg = dict(cfg)
                cfg.setdefault("name", cfg.get("model"))
                if cfg["name"] in names:
                    raise ValueError("duplicate device name %r" % cfg["name"])
                names.add(cfg["name"])
                self.units.append(SimulatedUnit(cfg))
        except Exception:
            self.stop()
            raise

    def start(self):
        for u in self.units:
            u.start()

    def ready_info(self):
        return {"pid": os.getpid(), "devices": [u.info() for u in self.units]}

    def announce(self, ready_file=None, stream=None):
        info = self.ready_info()
        text = json.dumps(info, sort_keys=True)
        if ready_file:
            d = os.path.dirname(os.path.abspath(ready_file))
            fd, tmp = tempfile.mkstemp(prefix=".apcsim-ready-", dir=d)
            with os.fdopen(fd, "w") as fh:
                fh.write(text + "\n")
            os.replace(tmp, ready_file)
        if stream is not None:
            stream.write("READY " + text + "\n")
            stream.flush()
        return info

    def stop(self):
        for u in self.units:
            u.stop()
        self.units = []


__all__ = ["Rack", "SimulatedUnit", "TransportError"]
