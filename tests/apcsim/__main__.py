"""Command line: ``python -m apcsim serve|rack|ctl|models ...`` (see README.md)."""

import argparse
import json
import os
import signal
import sys
import threading

from .profiles import PROFILES


def _serve_config(a):
    cfg = {"model": a.model, "name": a.name or a.model}
    for key in ("pty", "tcp", "rfc2217", "state", "transcript", "control", "firmware",
                "boot_seconds", "idle_timeout", "idle_logout_style", "bad_login_attempts",
                "lockout_seconds", "reset_window_seconds", "device_ready_delay", "baud",
                "onbatt_alert_period", "eeprom_notify_delay", "model_number", "choice_layout",
                "xfer_bauds", "bootmon_window", "firmware_boot_seconds", "bootmon_key"):
        v = getattr(a, key)
        if v is not None:
            cfg[key] = v
    if a.pace:
        cfg["pace"] = True
    if a.first_login_change is not None:
        cfg["first_login_change"] = a.first_login_change
    if a.no_baud_check:
        cfg["baud_check"] = False
    if a.alert_inside_replies:
        cfg["alert_inside_replies"] = True
    if a.jitter:
        cfg["jitter"] = True
    return cfg


def _run_rack(configs, ready_file):
    from .server import Rack
    from .transports import TransportError
    try:
        rack = Rack(configs)
    except (TransportError, ValueError, KeyError, OSError) as e:
        print("apcsim: %s" % (e.args[0] if isinstance(e, KeyError) else e), file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        rack.start()
        rack.announce(ready_file=ready_file, stream=sys.stdout)
        while not stop.wait(0.5):
            pass
    finally:
        rack.stop()
        if ready_file:
            try:
                os.unlink(ready_file)
            except OSError:
                pass
    return 0


def cmd_serve(a):
    if a.model not in PROFILES:
        known = {k.lower(): k for k in PROFILES}
        if a.model.lower() not in known:
            print("apcsim: unknown model %r (try: apcsim models)" % a.model, file=sys.stderr)
            return 2
        a.model = known[a.model.lower()]
    return _run_rack([_serve_config(a)], a.ready_file)


def cmd_rack(a):
    import yaml
    with open(a.config, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    devices = doc.get("devices") if isinstance(doc, dict) else None
    if not devices or not isinstance(devices, list):
        print("apcsim: %s: expected a mapping with a 'devices' list" % a.config, file=sys.stderr)
        return 2
    base = os.path.dirname(os.path.abspath(a.config))
    configs = []
    for d in devices:
        d = dict(d)
        for key in ("pty", "state", "transcript", "control"):
            if d.get(key) and not os.path.isabs(str(d[key])):
                d[key] = os.path.join(base, str(d[key]))
        configs.append(d)
    return _run_rack(configs, a.ready_file)


def cmd_ctl(a):
    from .control import request
    try:
        reply = request(a.socket, a.action, a.args)
    except OSError as e:
        print("apcsim: cannot reach control socket %s: %s" % (a.socket, e), file=sys.stderr)
        return 2
    if a.action == "state" and reply.get("ok"):
        print(json.dumps(reply["state"], indent=2, sort_keys=True))
    elif a.action == "status" and reply.get("ok"):
        print(json.dumps(reply["status"], indent=2, sort_keys=True))
    else:
        print(json.dumps(reply, sort_keys=True))
    return 0 if reply.get("ok") else 1


def cmd_models(a):
    rows = []
    for name, p in PROFILES.items():
        rows.append({"name": name, "dialect": p["dialect"], "firmware": p["aos_version"],
                     "outlets": p.get("outlets", 0), "kind": p["kind"],
                     "description": p["description"]})
    if a.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            print("%-16s %-5s %-9s %3d  %s" % (r["name"], r["dialect"], r["firmware"],
                                               r["outlets"], r["description"]))
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="apcsim", description="Simulated APC Rack PDU / UPS "
                                "network management card consoles.")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("serve", help="run one simulated device")
    s.add_argument("--model", required=True, help="profile name (see: apcsim models)")
    s.add_argument("--name", help="device name (default: the model)")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--pty", metavar="LINK", help="create a pty; LINK becomes a symlink to it")
    g.add_argument("--tcp", metavar="HOST:PORT", help="raw TCP console (loopback only)")
    g.add_argument("--rfc2217", metavar="HOST:PORT", help="RFC 2217 server (loopback only)")
    s.add_argument("--state", metavar="FILE", help="JSON state file (persist settings)")
    s.add_argument("--transcript", metavar="FILE", help="JSON-lines byte transcript")
    s.add_argument("--pace", action="store_true", help="pace I/O at the line's real baud rate")
    s.add_argument("--control", metavar="SOCKET", help="Unix control socket path")
    s.add_argument("--firmware", metavar="VERSION", help="override the firmware version")
    s.add_argument("--model-number", dest="model_number", metavar="MODEL",
                   help="override the model number the device reports (a model the "
                        "collection does not know, for example)")
    s.add_argument("--first-login-change", dest="first_login_change", action="store_true",
                   default=None, help="force the first-login password change")
    s.add_argument("--no-first-login-change", dest="first_login_change",
                   action="store_false", help="no first-login password change")
    s.add_argument("--idle-timeout", type=float, metavar="SECONDS",
                   help="idle logout after SECONDS (default: the user's -st, 3 min)")
    s.add_argument("--choice-layout", choices=("current", "titled", "current-value"),
                   help="menu dialect: how a list of values looks (see README)")
    s.add_argument("--idle-logout-style", choices=("prompt", "silent"),
                   help="what an idle logout prints (default prompt)")
    s.add_argument("--boot-seconds", type=float, metavar="S",
                   help="how long a reboot keeps the console dead (profile default 60)")
    s.add_argument("--bad-login-attempts", type=int, metavar="N",
                   help="lock a non-Super-User account after N bad passwords (userdflt -bl)")
    s.add_argument("--lockout-seconds", type=float, metavar="S",
                   help="how long a lockout lasts (default 0: until re-enabled)")
    s.add_argument("--reset-window-seconds", type=float, metavar="S",
                   help="length of the reset-button apc/apc window (default 30)")
    s.add_argument("--device-ready-delay", type=float, metavar="S",
                   help="device commands answer E101 for S seconds after a boot")
    s.add_argument("--baud", type=int, help="initial console baud (default 9600)")
    s.add_argument("--xfer-bauds", help="cli: the speeds xferINI's menu offers, comma-separated "
                   "(default 2400,9600,19200,38400)")
    s.add_argument("--bootmon-window", type=float, metavar="S",
                   help="cli: the boot monitor key in the first S seconds of a restart enters "
                   "the boot monitor (BM>, default 5)")
    s.add_argument("--bootmon-key", choices=("esc", "any"),
                   help="cli: the key that stops a restart in the boot monitor: ESC (default) or "
                   "any byte, CR included")
    s.add_argument("--firmware-boot-seconds", type=float, metavar="S",
                   help="cli: how long the restart after new firmware takes (default: "
                   "--boot-seconds; linked units take minutes)")
    s.add_argument("--no-baud-check", action="store_true",
                   help="do not garble I/O when the client's baud differs from the console's")
    s.add_argument("--ready-file", metavar="PATH", help="write the READY JSON here too")
    # smart dialect (UPS-Link units)
    s.add_argument("--alert-inside-replies", action="store_true",
                   help="smart: put due alert bytes at a random position inside the next reply")
    s.add_argument("--onbatt-alert-period", type=float, metavar="S",
                   help="smart: repeat ! every S seconds while on battery (default 30)")
    s.add_argument("--eeprom-notify-delay", type=float, metavar="S",
                   help="smart: send | S seconds after an EEPROM change (units that send it; "
                   "default 5)")
    s.add_argument("--jitter", action="store_true",
                   help="smart: let the input voltage wander (default: steady readings)")
    s.set_defaults(func=cmd_serve)

    r = sub.add_parser("rack", help="run many devices from a YAML file")
    r.add_argument("config")
    r.add_argument("--ready-file", metavar="PATH")
    r.set_defaults(func=cmd_rack)

    c = sub.add_parser("ctl", help="talk to a running device's control socket")
    c.add_argument("socket")
    c.add_argument("action", help="reboot | press-reset | power-fail | power-restore | "
                   "logout | state | status | fault; smart units also: battery-charge PCT | "
                   "alert CHAR | replace-battery on|off | overload on|off | "
                   "fault alert-inside on|off; menu units also: warmstart")
    c.add_argument("args", nargs="*")
    c.set_defaults(func=cmd_ctl)

    m = sub.add_parser("models", help="list device profiles")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_models)
    return p


def main(argv=None):
    a = build_parser().parse_args(argv)
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
