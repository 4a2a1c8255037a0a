"""``xferINI`` and ``xferStatus`` of the simulated command line.

xferINI (Super User / Administrator, serial console only) receives a config.ini with
XMODEM: it asks for confirmation, offers the transfer line speeds, tells the user to set
the terminal to the chosen speed and press ENTER, switches its own line, receives the file
and goes back to the card's console speed at once (the user "must reset the baud rate to
the default to re-establish communication"). It then applies the keys it knows. When the
file changed system or network settings the command line interface restarts: the session
ends and the user logs on again (the simulated card restarts its network interface then,
so the new address is active; it does not reboot entirely).

The dialogue's wording is this simulator's own: the vendor's guide describes the steps,
not the exact text. The keys the simulator applies are listed in ``KNOWN_KEYS``; others
are kept in the received file and reported as ignored.
"""

import copy
import ipaddress

from .console import CR, LF
from .xmodem_rx import LineDropped, Receiver, TransferFailed

XFER_BAUDS = (2400, 9600, 19200, 38400)
CONFIRM = "Enter 'YES' to continue or <ENTER> to cancel : "

# (section, key) -> (state area, state key, kind); sections and keys compare case-insensitively
KNOWN_KEYS = {
    ("systemid", "name"): ("system", "name", "name"),
    ("systemid", "contact"): ("system", "contact", "text"),
    ("systemid", "location"): ("system", "location", "text"),
    ("systemid", "message"): ("system", "message", "text"),
    ("systemid", "hostnamesync"): ("system", "hostname_sync", "bool"),
    ("networktcp/ip", "systemip"): ("tcpip", "ip", "ipv4"),
    ("networktcp/ip", "subnetmask"): ("tcpip", "mask", "ipv4"),
    ("networktcp/ip", "defaultgateway"): ("tcpip", "gateway", "ipv4"),
    ("networktcp/ip", "ipv4"): ("tcpip", "enabled", "bool"),
    ("networktcp/ip", "hostname"): ("tcpip", "host", "host"),
    ("networktcp/ip", "domainname"): ("tcpip", "domain", "text"),
    ("networktcp/ip", "bootmode"): ("boot", "mode", "bootmode"),
}
BOOT_MODES = {"manual": "manual", "dhcp": "dhcp", "bootp": "bootp"}


def parse_ini(text):
    """[(section, key, value)] of an APC config.ini (``;`` comments, ``key=value``)."""
    out = []
    section = None
    for raw in text.replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if "=" in line and section is not None:
            key, value = line.split("=", 1)
            out.append((section, key.strip(), value.strip()))
    return out


def _convert(kind, value, dev):
    if kind == "bool":
        v = value.lower()
        if v in ("enabled", "enable", "yes", "on", "1"):
            return True
        if v in ("disabled", "disable", "no", "off", "0"):
            return False
        raise ValueError(value)
    if kind == "ipv4":
        return str(ipaddress.IPv4Address(value))
    if kind == "bootmode":
        return BOOT_MODES[value.lower()]
    if kind == "name":
        if not value or len(value) > 255:
            raise ValueError(value)
        return dev.apc_name(value)
    if kind == "host":
        if not value or len(value) > 63:
            raise ValueError(value)
        return dev.apc_name(value)
    if len(value) > 255:
        raise ValueError(value)
    return value


def apply_ini(program, text):
    """Apply the known keys; returns (applied keys, ignored keys, rejected keys, areas changed)."""
    st, dev = program.st, program.dev
    applied, ignored, rejected, areas = [], [], [], set()
    for section, key, value in parse_ini(text):
        where = KNOWN_KEYS.get((section.lower(), key.lower()))
        label = "%s.%s" % (section, key)
        if where is None:
            ignored.append(label)
            continue
        area, skey, kind = where
        try:
            new = _convert(kind, value, dev)
        except (ValueError, KeyError):
            rejected.append(label)
            continue
        if st[area].get(skey) != new:
            st[area][skey] = new
            areas.add(area)
            if area == "system" and skey == "name" and st["system"]["hostname_sync"]:
                st["tcpip"]["host"] = new
            if area == "tcpip" and skey == "host" and st["system"]["hostname_sync"]:
                st["system"]["name"] = new
        applied.append(label)
    if areas & {"tcpip", "boot"}:
        # the network interface restarts with the new settings
        for name in ("tcpip", "boot"):
            st["active"][name] = copy.deepcopy(st[name])
    return applied, ignored, rejected, areas


def _wait_for_enter(io):
    """Bytes until CR/LF; anything else (noise at the wrong speed) is dropped."""
    while True:
        b = io.read_byte()
        if b in (CR, LF):
            return


def xferini(program, args, out):
    from .dialect_cli import E000, EndSession, ParamError     # pylint: disable=import-outside-toplevel
    if args:
        raise ParamError()
    dev, io, st = program.dev, program.io, program.st
    answer = program.ask(out, CONFIRM)
    if answer != "YES":
        return
    menu = ["", "------- File Transfer Baud Rate " + "-" * 30, ""]
    bauds = dev.opts.xfer_bauds or XFER_BAUDS
    menu += ["        %d- %d" % (n, b) for n, b in enumerate(bauds, 1)]
    menu += [""]
    answer = program.ask(menu, "> ").strip()
    if answer not in [str(n) for n in range(1, len(bauds) + 1)]:
        out.append("E102: Parameter Error")
        return
    baud = bauds[int(answer) - 1]
    console_baud = st["console"]["baud"]
    program.line_open = True
    io.write("\r\n\r\nTransferring at %d baud. Set your terminal to %d baud, then press "
             "<ENTER>...\r\n" % (baud, baud))
    fault = dict(dev.fault.get("xmodem") or {})
    dev.store.lock.release()
    saved_idle = io.idle_timeout
    io.idle_timeout = None
    status = {"result": "Timed out", "file": "config.ini", "bytes": 0, "baud": baud}
    try:
        dev.line_baud = baud
        _wait_for_enter(io)
        io.discard_input()
        io.write("\r\nStart the XMODEM transfer of the .ini file now.\r\n")
        receiver = Receiver(io, drop_line=dev.drop_client, fault=fault)
        status["mode"] = "CRC" if receiver.crc else "checksum"
        try:
            data = receiver.receive()
            status.update(result="OK", bytes=len(data), blocks=receiver.blocks,
                          naks=receiver.naks, block_sizes=sorted(receiver.block_sizes))
        except LineDropped as exc:
            status.update(result="Transfer aborted", bytes=exc.received, naks=receiver.naks)
            data = None
        except TransferFailed as exc:
            status.update(result=exc.result, bytes=exc.received, naks=receiver.naks)
            data = None
    finally:
        dev.line_baud = console_baud       # back to the card's speed straight away
        io.idle_timeout = saved_idle
        dev.store.lock.acquire()
    if data is None:
        st["xfer"] = status
        program.save()
        out.append("File transfer failed: %s" % status["result"])
        return
    text = data.decode("latin-1")
    applied, ignored, rejected, areas = apply_ini(program, text)
    if not applied and not ignored and not rejected:
        status["result"] = "Bad file format"
    elif rejected:
        status["result"] = "OK, with invalid values"
    status.update(applied=applied, ignored=ignored, rejected=rejected)
    st["xfer"] = status
    st.setdefault("files", {})["config.ini"] = text
    program.save()
    out += [E000, "File transfer complete: %d bytes." % len(data)]
    if areas & {"system", "tcpip", "boot"}:
        # system or network changes: the command line interface restarts
        raise EndSession(out + ["Restarting the command line interface. Log on again."])


def xferstatus(program, args, out):
    from .dialect_cli import E000, ParamError     # pylint: disable=import-outside-toplevel
    if args:
        raise ParamError()
    result = (program.st.get("xfer") or {}).get("result", "Not available")
    out += [E000, "Result of last file transfer: %s" % result]
