"""Firmware images and the boot monitor (``BM>``) of the simulated command-line cards.

The image layout is this simulator's own (the references do not show APC's header, so it
is a documented guess, see README.md "Firmware"):

- the file name is APC's: ``apc_hw<HW>_<module>_<digits>.bin``, ``HW`` the hardware
  revision of the card (``05`` on NMC2 and Rack PDU 2G), ``module`` one of ``bootmon``,
  ``aos`` or the application's name (``rpdu2g``, ``sumx``...), the digits the version
  without its dots (``696`` = v6.9.6);
- the file starts with a 128-byte header: ``APCFW1`` then blank-separated ``key=value``
  fields ``hw``, ``module``, ``version``, ``size`` (payload bytes) and ``crc32`` (of the
  payload, 8 hex digits), padded with NUL; the payload follows.

The boot monitor is entered with ESC (``bootmon_key: any``: any byte, CR included) in the
first ``bootmon_window`` seconds of a restart (the console is otherwise silent while
booting). Its commands: ``XMODEM``
(receive one image and write it), ``BOOT`` (restart into the firmware), ``HELP``. A module
that is left half-written (the transfer broke after its first block was written) makes
every boot end in the boot monitor, which says so, until that module is sent again.
"""

import re
import time
import zlib

from .console import Interrupted
from .xmodem_rx import Receiver, TransferFailed

CRLF = "\r\n"
HEADER_SIZE = 128
MAGIC = b"APCFW1"
# The hardware revision in APC's file names, per card (guesses except hw05: the captures'
# AP9630 files are apc_hw05_aos_696.bin, apc_hw05_sumx_696.bin, apc_hw05_bootmon_109.bin)
HW_BY_CARD = {"nmc2": "05", "rpdu2g": "05", "nmc3": "21", "nmc1": "02", "rpdu1g": "02"}
NAME_RE = re.compile(r"^apc_hw(\d{2})_([a-z0-9]+)_(\d+)\.bin$", re.I)
PROMPT = "BM> "
BANNER = "APC Boot Monitor %s" + CRLF + "(c) Copyright American Power Conversion" + CRLF
HELP = "Commands: XMODEM (receive an image), BOOT (start the firmware), HELP"


def version_digits(version):
    return "".join(ch for ch in str(version) if ch.isdigit())


def image_name(hw, module, version):
    return "apc_hw%s_%s_%s.bin" % (hw, module, version_digits(version))


def build_image(hw, module, version, payload=None, size=4096):
    """A firmware image in this simulator's layout (``payload`` defaults to ``size`` bytes)."""
    if payload is None:
        seed = ("%s %s %s " % (hw, module, version)).encode("ascii")
        payload = (seed * (size // len(seed) + 1))[:size]
    fields = "hw=%s module=%s version=%s size=%d crc32=%08x" % (
        hw, module, version, len(payload), zlib.crc32(payload) & 0xFFFFFFFF)
    header = MAGIC + b" " + fields.encode("ascii")
    return header.ljust(HEADER_SIZE, b"\0") + payload


def parse_header(data):
    """The header's fields (dict); raises ValueError naming what is wrong."""
    if len(data) < HEADER_SIZE or not data.startswith(MAGIC):
        raise ValueError("no APC firmware header")
    text = data[len(MAGIC):HEADER_SIZE].rstrip(b"\0").decode("ascii", "replace")
    fields = dict(part.split("=", 1) for part in text.split() if "=" in part)
    for key in ("hw", "module", "version", "size", "crc32"):
        if key not in fields:
            raise ValueError("the header has no %s" % key)
    return fields


def check_image(data, hw, app_name):
    """(module key, version) of a good image for this card; raises ValueError."""
    fields = parse_header(data)
    if fields["hw"] != hw:
        raise ValueError("the image is for hardware hw%s; this card is hw%s" % (fields["hw"], hw))
    module = fields["module"].lower()
    if module not in ("bootmon", "aos", app_name.lower()):
        raise ValueError("the image holds the %s module; this card runs %s"
                         % (module, app_name))
    payload = data[HEADER_SIZE:]
    if len(payload) != int(fields["size"]) or \
            "%08x" % (zlib.crc32(payload) & 0xFFFFFFFF) != fields["crc32"].lower():
        raise ValueError("the image is damaged (size or CRC-32 does not match its header)")
    key = module if module in ("bootmon", "aos") else "app"
    return key, fields["version"]


class BootMonitor:
    """The ``BM>`` console: one instance per stay in the boot monitor."""

    dialect = "bootmon"

    def __init__(self, device):
        self.dev = device
        self.io = device.io
        self.written = []

    def status(self):
        fw = self.dev.state.get("firmware") or {}
        return {"dialect": "bootmon", "logged_in": False, "user": None, "user_type": None,
                "session_id": None, "via_reset_window": False, "boot_monitor": True,
                "half_written": fw.get("half_written")}

    def run(self, start=None):  # pylint: disable=unused-argument
        io = self.io
        io.idle_timeout = None
        fw = self.dev.firmware()
        io.write(CRLF + BANNER % fw["bootmon"])
        if fw.get("half_written"):
            io.write("The %s image is not valid (a transfer was interrupted). Send it again "
                     "with XMODEM; the firmware cannot start until then.%s"
                     % (fw["half_written"], CRLF))
        while True:
            io.write(CRLF + PROMPT)
            line = io.read_line(echo=True).strip().lower()
            if not line:
                continue
            if line in ("?", "help"):
                io.write(CRLF + HELP + CRLF)
            elif line == "xmodem":
                self.xmodem()
            elif line in ("boot", "reset"):
                io.write(CRLF + "Booting..." + CRLF)
                if self.written:
                    self.dev.next_boot_seconds = self.dev.profile.get("firmware_boot_seconds")
                raise Interrupted("reboot-command")
            else:
                io.write(CRLF + "Unknown command. " + HELP + CRLF)

    def xmodem(self):
        io, dev = self.io, self.dev
        io.write(CRLF + "Ready to receive an image with XMODEM at %d baud; start the "
                 "transfer now." % dev.line_baud + CRLF)
        fault = dict(dev.fault.get("xmodem") or {})
        receiver = Receiver(io, drop_line=dev.drop_client, fault=fault)
        record = {"time": time.time(), "bytes": 0}
        try:
            data = receiver.receive()
        except TransferFailed as exc:
            module = None
            try:
                module = parse_header(bytes(receiver.data))["module"].lower()
            except ValueError:
                pass
            record.update(result=exc.result, bytes=exc.received, module=module)
            text = "Transfer failed: %s." % exc.result
            if receiver.blocks and module:
                # the flash was being written block by block: the module is broken now
                key = module if module in ("bootmon", "aos") else "app"
                dev.set_firmware(key, None, half_written=key)
                record["half_written"] = key
                text += " The %s image is half-written; send it again." % module
            dev.log_firmware(record)
            io.write(CRLF + text + CRLF)
            return
        try:
            key, version = check_image(data, dev.hw_code(), dev.profile["app_name"])
        except ValueError as exc:
            record.update(result="Refused", reason=str(exc), bytes=len(data))
            dev.log_firmware(record)
            io.write(CRLF + "Image refused: %s. Nothing was written." % exc + CRLF)
            return
        dev.set_firmware(key, version)
        self.written.append(key)
        record.update(result="OK", module=key, version=version, bytes=len(data),
                      naks=receiver.naks, block_sizes=sorted(receiver.block_sizes))
        dev.log_firmware(record)
        io.write(CRLF + "%s image %s written (%d bytes)." % (key, version, len(data)) + CRLF)
