"""Transports: how a client reaches a simulated console.

- ``PtyTransport``: a real pseudo-terminal; a stable symlink points at the slave.
- ``TcpTransport``: a raw TCP console (like a console server's raw port), one client.
- ``Rfc2217Transport``: RFC 2217 (pyserial's ``PortManager``) in front of an internal pty
  whose slave is opened with pyserial, so negotiated line settings hit a real tty.

Every transport serves one client at a time, like a serial line, and never listens on
anything but loopback.
"""

import errno
import ipaddress
import os
import select
import socket
import termios
import threading
import tty

import serial
import serial.rfc2217


class TransportError(Exception):
    pass


_SPEEDS = {}
for _b in (50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
           57600, 115200, 230400):
    if hasattr(termios, "B%d" % _b):
        _SPEEDS[getattr(termios, "B%d" % _b)] = _b


def tty_baud(fd):
    """The output speed a client configured on the tty (None if unknown)."""
    try:
        return _SPEEDS.get(termios.tcgetattr(fd)[5])
    except termios.error:
        return None


def check_loopback(host):
    """Return a host string to bind, or raise TransportError for non-loopback."""
    h = host.strip("[]")
    if h.lower() == "localhost":
        return "127.0.0.1"
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        raise TransportError("refusing to listen on %r: give a loopback address "
                             "(127.0.0.0/8 or ::1)" % host)
    if not ip.is_loopback:
        raise TransportError("refusing to listen on non-loopback address %s: only "
                             "127.0.0.0/8 and ::1 are allowed" % host)
    return h


def parse_hostport(s):
    if s.startswith("["):
        host, _sep, port = s[1:].partition("]:")
    else:
        host, _sep, port = s.rpartition(":")
    if not host or not port.isdigit():
        raise TransportError("expected HOST:PORT, got %r" % s)
    return check_loopback(host), int(port)


def _listen(host, port):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(4)
    return srv


class _PtyPair:
    """A pty with a raw slave kept open by us (so the master never sees EIO)."""

    def __init__(self, baud=9600):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        attrs = termios.tcgetattr(self.slave)
        attrs[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN)
        speed = getattr(termios, "B%d" % baud, termios.B9600)
        attrs[4] = attrs[5] = speed
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)
        self.slave_name = os.ttyname(self.slave)
        os.set_blocking(self.master, False)
        self._wlock = threading.Lock()

    def write(self, data):
        with self._wlock:
            view = memoryview(data)
            while view:
                try:
                    n = os.write(self.master, view)
                    view = view[n:]
                except BlockingIOError:
                    # nobody is reading the line: drop what is queued, like a cable
                    # with no terminal on the other end
                    try:
                        termios.tcflush(self.slave, termios.TCIFLUSH)
                    except termios.error:
                        pass
                    select.select([], [self.master], [], 0.05)
                except OSError as e:
                    if e.errno in (errno.EIO, errno.EBADF):
                        return
                    raise

    def close(self):
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


class PtyTransport:
    kind = "pty"

    def __init__(self, device, link):
        self.device = device
        self.link = os.path.abspath(link)
        self.pty = _PtyPair(device.line_baud)
        self._stop = threading.Event()
        if os.path.islink(self.link):
            os.unlink(self.link)          # stale link from an earlier run
        elif os.path.exists(self.link):
            raise TransportError("%s exists and is not a symlink" % self.link)
        os.symlink(self.pty.slave_name, self.link)
        device.attach(self.pty.write, self)
        self._thread = threading.Thread(target=self._reader, daemon=True,
                                        name="apcsim-pty-%s" % device.name)

    def start(self):
        self._thread.start()

    def _reader(self):
        while not self._stop.is_set():
            try:
                r, _w, _x = select.select([self.pty.master], [], [], 0.2)
            except (OSError, ValueError):
                return
            if not r:
                continue
            try:
                data = os.read(self.pty.master, 4096)
            except BlockingIOError:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                continue
            if data:
                self.device.feed(data)

    def client_connected(self):
        return None  # a pty cannot tell

    def client_baud(self):
        return tty_baud(self.pty.slave)

    def disconnect_client(self):
        # a serial line cannot be "hung up" from the device side; flush what is queued
        try:
            termios.tcflush(self.pty.slave, termios.TCIOFLUSH)
        except termios.error:
            pass
        return False

    def info(self):
        return {"transport": "pty", "pty": self.link, "url": self.link,
                "slave": self.pty.slave_name}

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)
        try:
            if os.path.islink(self.link) and os.readlink(self.link) == self.pty.slave_name:
                os.unlink(self.link)
        except OSError:
            pass
        self.pty.close()


class _SingleClientServer:
    """Accept loop serving one client at a time; extra connections are closed at once."""

    def __init__(self, device, host, port, name):
        self.device = device
        self.srv = _listen(host, port)
        self.host = host
        self.port = self.srv.getsockname()[1]
        self.client = None
        self._clock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name=name)

    def start(self):
        self._thread.start()

    def _accept_loop(self):
        while not self._stop.is_set():
            try:
                r, _w, _x = select.select([self.srv], [], [], 0.2)
            except (OSError, ValueError):
                return
            if not r:
                continue
            try:
                conn, _addr = self.srv.accept()
            except OSError:
                continue
            with self._clock:
                busy = self.client is not None
                if not busy:
                    self.client = conn
            if busy:
                # the line is taken: close at once, send nothing
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
                continue
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve_client, args=(conn,), daemon=True).start()

    def _serve_client(self, conn):
        raise NotImplementedError

    def _drop(self, conn):
        with self._clock:
            if self.client is conn:
                self.client = None
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            conn.close()
        except OSError:
            pass

    def client_connected(self):
        return self.client is not None

    def client_baud(self):
        return None  # raw TCP has no line speed

    def disconnect_client(self):
        c = self.client
        if c is None:
            return False
        self._drop(c)
        return True

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.disconnect_client()
        try:
            self.srv.close()
        except OSError:
            pass


class TcpTransport(_SingleClientServer):
    kind = "tcp"

    def __init__(self, device, host, port):
        super().__init__(device, host, port, "apcsim-tcp-%s" % device.name)
        self._wlock = threading.Lock()
        device.attach(self._send, self)

    def _send(self, data):
        c = self.client
        if c is None:
            return  # nobody on the line: the bytes are lost
        try:
            with self._wlock:
                c.sendall(data)
        except OSError:
            self._drop(c)

    def _serve_client(self, conn):
        try:
            while not self._stop.is_set():
                try:
                    data = conn.recv(4096)
                except OSError:
                    break
                if not data:
                    break
                self.device.feed(data)
        finally:
            self._drop(conn)

    def info(self):
        return {"transport": "tcp", "host": self.host, "port": self.port,
                "url": "socket://%s:%d" % (self._urlhost(), self.port)}

    def _urlhost(self):
        return "[%s]" % self.host if ":" in self.host else self.host


class _TolerantSerial(serial.Serial):
    """pyserial on a pty slave: modem-line ioctls fail with ENOTTY; pretend instead."""

    def _update_dtr_state(self):
        try:
            super()._update_dtr_state()
        except (OSError, serial.SerialException):
            pass

    def _update_rts_state(self):
        try:
            super()._update_rts_state()
        except (OSError, serial.SerialException):
            pass

    def _update_break_state(self):
        try:
            super()._update_break_state()
        except (OSError, serial.SerialException):
            pass

    @property
    def cts(self):
        return True

    @property
    def dsr(self):
        return True

    @property
    def ri(self):
        return False

    @property
    def cd(self):
        return True


class Rfc2217Transport(_SingleClientServer):
    kind = "rfc2217"

    def __init__(self, device, host, port):
        super().__init__(device, host, port, "apcsim-rfc2217-%s" % device.name)
        self.pty = _PtyPair(device.line_baud)
        self.serial = _TolerantSerial(self.pty.slave_name, baudrate=device.line_baud,
                                      timeout=0.2)
        self.manager = None
        self._wlock = threading.Lock()
        device.attach(self.pty.write, self)
        self._pty_reader = threading.Thread(target=self._device_reader, daemon=True)
        self._line_reader = threading.Thread(target=self._line_to_client, daemon=True)

    def start(self):
        super().start()
        self._pty_reader.start()
        self._line_reader.start()

    # device <- line: bytes the client sent, after the tty, read from the master
    def _device_reader(self):
        while not self._stop.is_set():
            try:
                r, _w, _x = select.select([self.pty.master], [], [], 0.2)
                if not r:
                    continue
                data = os.read(self.pty.master, 4096)
            except BlockingIOError:
                continue
            except (OSError, ValueError):
                if self._stop.is_set():
                    return
                continue
            if data:
                self.device.feed(data)

    # line -> client: what the device wrote, read through the tty with pyserial
    def _line_to_client(self):
        while not self._stop.is_set():
            try:
                data = self.serial.read(self.serial.in_waiting or 1)
            except (OSError, serial.SerialException, TypeError):
                if self._stop.is_set():
                    return
                continue
            if not data:
                continue
            c, mgr = self.client, self.manager
            if c is None or mgr is None:
                continue  # nobody on the line
            try:
                with self._wlock:
                    c.sendall(b"".join(mgr.escape(data)))
            except OSError:
                self._drop(c)

    def _serve_client(self, conn):
        wlock = self._wlock

        class _Conn:
            def write(self, data):
                with wlock:
                    conn.sendall(data)

        try:
            self.manager = serial.rfc2217.PortManager(self.serial, _Conn())
            while not self._stop.is_set():
                try:
                    data = conn.recv(4096)
                except OSError:
                    break
                if not data:
                    break
                payload = b"".join(self.manager.filter(data))
                if payload:
                    self.serial.write(payload)
        except OSError:
            pass
        finally:
            self.manager = None
            self._drop(conn)

    def client_baud(self):
        try:
            return int(self.serial.baudrate)
        except Exception:
            return None

    def info(self):
        h = "[%s]" % self.host if ":" in self.host else self.host
        return {"transport": "rfc2217", "host": self.host, "port": self.port,
                "url": "rfc2217://%s:%d" % (h, self.port), "slave": self.pty.slave_name}

    def stop(self):
        super().stop()
        self._pty_reader.join(timeout=2)
        try:
            self.serial.close()
        except Exception:
            pass
        self._line_reader.join(timeout=2)
        self.pty.close()
