"""The control socket: a Unix stream socket, one JSON request line in, one JSON reply
line out, per connection.

Request:  {"action": "reboot", "args": []}
Reply:    {"ok": true, ...} or {"ok": false, "error": "..."}
"""

import json
import os
import socket
import threading

ACTIONS = ("reboot", "press-reset", "power-fail", "power-restore", "logout", "state",
           "status", "fault",
           # smart dialect only (dialect_smart.SmartProgram.control)
           "battery-charge", "alert", "replace-battery", "overload",
           # menu dialect only (dialect_menu.MenuProgram.control)
           "warmstart")


class ControlServer:
    def __init__(self, device, path):
        self.device = device
        self.path = os.path.abspath(path)
        if os.path.exists(self.path) or os.path.islink(self.path):
            # a stale socket from an earlier run: refuse if someone still answers
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(self.path)
            except OSError:
                os.unlink(self.path)
            else:
                probe.close()
                raise OSError("control socket %s is in use" % self.path)
            finally:
                probe.close()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name="apcsim-ctl-%s" % device.name)

    def start(self):
        self._thread.start()

    def _loop(self):
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            conn.settimeout(10)
            buf = b""
            while b"\n" not in buf:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                buf += chunk
            try:
                req = json.loads(buf.decode("utf-8").strip() or "{}")
                action = req.get("action")
                args = req.get("args") or []
                if not isinstance(args, list):
                    args = [args]
                reply = self.device.control(action, [str(a) for a in args])
            except (ValueError, AttributeError) as e:
                reply = {"ok": False, "error": "bad request: %s" % e}
            except Exception as e:  # report, do not kill the server
                reply = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            conn.sendall((json.dumps(reply, sort_keys=True) + "\n").encode("utf-8"))
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self._stop.set()
        try:
            self.sock.close()
        except OSError:
            pass
        self._thread.join(timeout=2)
        try:
            os.unlink(self.path)
        except OSError:
            pass


def request(path, action, args=(), timeout=10.0):
    """Send one control request to the socket at ``path``; return the reply dict."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
        s.sendall((json.dumps({"action": action, "args": list(args)}) + "\n").encode("utf-8"))
        buf = b""
        while b"\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    return json.loads(buf.decode("utf-8"))
