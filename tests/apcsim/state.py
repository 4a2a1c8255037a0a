"""Persistent device state: every setting, users and passwords (a test fixture!).

The state is a JSON-able dict. ``StateStore.save`` writes it atomically (temp file +
rename) when a file is given; otherwise it lives in memory only.
"""

import copy
import json
import os
import tempfile
import threading

from .profiles import default_system_name

STATE_VERSION = 1

# Settings areas that only take effect after a reboot: the "active" snapshot holds
# their values as of the last boot.
REBOOT_AREAS = ("tcpip", "tcpip6", "boot", "web", "console", "ftp", "snmp", "snmpv3")


def _user(name, utype, password, enabled, dflt):
    return {
        "name": name,
        "type": utype,
        "password": password,
        "enabled": enabled,
        "description": dflt["description"],
        "session_timeout": dflt["session_timeout"],
        "serial_remote_auth_override": False,
        "event_log_color": dflt["event_log_color"],
        "export_format": dflt["export_format"],
        "temperature_scale": dflt["temperature_scale"],
        "date_format": dflt["date_format"],
        "language": dflt["language"],
        "failures": 0,
        "locked": False,
        "locked_until": None,
    }


def default_userdflt(profile):
    return {
        "enabled": False,
        "type": "Administrator",
        "description": "User Description",
        "session_timeout": max(1, int(round(profile["idle_timeout"] / 60.0))),
        "bad_login_attempts": int(profile.get("bad_login_attempts", 0)),
        "event_log_color": True,
        "export_format": "Tab",
        "temperature_scale": "Metric",
        "date_format": "mm/dd/yyyy",
        "language": "English (enUs)",
        "strong_passwords": False,
        "password_change_days": 0,
    }


def default_state(profile, overrides=None):
    """A factory-fresh state for ``profile``. ``overrides`` may set
    ``bad_login_attempts``."""
    overrides = overrides or {}
    d = profile["defaults"]
    udf = default_userdflt(profile)
    if overrides.get("bad_login_attempts") is not None:
        udf["bad_login_attempts"] = int(overrides["bad_login_attempts"])
    mac = profile["mac"]
    st = {
        "version": STATE_VERSION,
        "model": profile["name"],
        "system": {
            "name": default_system_name(profile),
            "contact": "Unknown",
            "location": "Unknown",
            "message": "",
            "hostname_sync": True,
        },
        "date": {"format": "mm/dd/yyyy", "tz": "+00:00", "offset": 0.0},
        "tcpip": {
            "enabled": True,
            "ip": "0.0.0.0",
            "mask": "0.0.0.0",
            "gateway": "0.0.0.0",
            "domain": "",
            "host": default_system_name(profile),
        },
        "tcpip6": {
            "enabled": d.get("ipv6", True),
            "manual": False,
            "ip": "::/64",
            "gateway": "::",
            "auto": True,
            "dhcp6": "router",
        },
        "boot": {
            "mode": "dhcp",
            "cookie": False,
            "vendor_class": "APC",
            "client_id": mac,
            "user_class": profile["app_name"].upper(),
        },
        "dns": {
            "override": False,
            "primary": "0.0.0.0",
            "secondary": "0.0.0.0",
            "domain": "",
            "domain6": "",
        },
        "ntp": {"override": False, "primary": "0.0.0.0", "secondary": "0.0.0.0",
                "enabled": False},
        "users": [
            _user("apc", "Super User", "apc", True, udf),
            _user("device", "Device", "apc", False, udf),
            _user("readonly", "Read-Only", "apc", False, udf),
        ],
        "userdflt": udf,
        "snmp": {
            "enabled": d.get("snmp_v1", False),
            "access": [
                {"community": "public", "access": "read", "nms": "0.0.0.0"},
                {"community": "private", "access": "write", "nms": "0.0.0.0"},
                {"community": "public2", "access": "disable", "nms": "0.0.0.0"},
                {"community": "private2", "access": "disable", "nms": "0.0.0.0"},
            ],
        },
        "snmpv3": {
            "enabled": d.get("snmp_v3", False),
            "users": [
                {"name": "apc snmp profile%d" % n, "auth_phrase": "", "crypt_phrase": "",
                 "auth": "none", "priv": "none"}
                for n in range(1, 5)
            ],
            "access": [
                {"enabled": False, "user": "apc snmp profile%d" % n, "nms": "0.0.0.0"}
                for n in range(1, 5)
            ],
        },
        "web": {"http": d.get("http", False), "https": d.get("https", True),
                "http_port": 80, "https_port": 443},
        "console": {"telnet": d.get("telnet", False), "ssh": d.get("ssh", True),
                    "telnet_port": 23, "ssh_port": 22, "baud": profile["baud"]},
        "ftp": {"enabled": d.get("ftp", False), "port": 21},
        "session": {"multi_user": True, "remote_auth_override": False, "next_id": 1},
        "prompt": "short",
        "radius": {"mode": "local"},
        "ping_response": True,
        "lastrst": "09 Coldstart Reset",
        "pending_reset": None,
        "outlets": [],
        "ups": None,
    }
    for n in range(1, int(profile.get("outlets", 0)) + 1):
        st["outlets"].append({
            "name": "Outlet %d" % n,
            "state": "on",
            "on_delay": 0,
            "off_delay": 0,
            "reboot_time": 5,
        })
    if profile.get("ups"):
        st["ups"] = {
            "on_battery": False,
            "battery_since": None,
            "last_transfer": "Due to software command or UPS's test control",
            "output": "on",
        }
    st["active"] = snapshot_active(st)
    return st


def snapshot_active(st):
    return {k: copy.deepcopy(st[k]) for k in REBOOT_AREAS}


def factory_reset(st, profile, keep_ip=False, overrides=None):
    """Return the state after ``resetToDef -p all|keepip`` took effect."""
    fresh = default_state(profile, overrides)
    if keep_ip:
        for area in ("tcpip", "tcpip6", "boot"):
            fresh[area] = copy.deepcopy(st[area])
    fresh["session"]["next_id"] = st.get("session", {}).get("next_id", 1)
    if st.get("firmware"):
        fresh["firmware"] = copy.deepcopy(st["firmware"])     # a reset keeps the firmware
    return fresh


class StateStore:
    """Holds the state dict; ``save()`` persists it atomically when ``path`` is set."""

    def __init__(self, path, profile, overrides=None):
        self.path = path
        self.profile = profile
        self.overrides = overrides or {}
        self.lock = threading.RLock()
        self.data = None
        if path and os.path.exists(path) and os.path.getsize(path) > 0:
            with open(path, encoding="utf-8") as fh:
                self.data = json.load(fh)
            if self.data.get("model") != profile["name"]:
                raise ValueError("state file %s belongs to model %s, not %s"
                                 % (path, self.data.get("model"), profile["name"]))
        else:
            self.data = default_state(profile, self.overrides)
            self.save()

    def save(self):
        if not self.path:
            return
        with self.lock:
            text = json.dumps(self.data, indent=1, sort_keys=True)
            d = os.path.dirname(os.path.abspath(self.path))
            fd, tmp = tempfile.mkstemp(prefix=".apcsim-state-", dir=d)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise

    def replace(self, new):
        with self.lock:
            self.data = new
            self.save()
