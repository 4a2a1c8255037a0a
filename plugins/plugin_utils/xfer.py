# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""File uploads over the console line with XMODEM.

The protocol itself is the ``xmodem`` package from PyPI; this module feeds it the
collection's transport (the pyserial port under :class:`transport.SerialSpawn`, so a local
adapter, RFC 2217 and raw TCP ports all work), and adds what a console upload needs around
it:

- the start: the receiver asks with ``C`` (CRC-16) or NAK (8-bit checksum); that byte is
  waited for here, past whatever text the card prints before it, and decides the variant
  (and whether 1024-byte blocks may be used: only with CRC);
- progress: bytes, percent, and the time left at the line speed, sampled every 10 %;
- failures the package only reports as ``False``, named: the receiver cancelled (CAN CAN),
  it refused blocks until the retries ran out (NAK), it fell silent, or the line dropped;
- the ``xferINI`` dialogue of the command line (:func:`upload_ini`).

Nothing here sleeps: every wait is a bounded read.
"""

from __future__ import annotations

import io
import math
import re
import time

try:
    from xmodem import XMODEM
    HAS_XMODEM = True
    XMODEM_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported when an upload starts
    XMODEM = None
    HAS_XMODEM = False
    XMODEM_IMPORT_ERROR = exc

from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp
from ansible_collections.rackops.apc.plugins.plugin_utils import transport as tp
from ansible_collections.rackops.apc.plugins.plugin_utils.session import RE_CLI_PROMPT, RE_USER

NAK = b'\x15'
CAN = b'\x18'
CRC_REQUEST = b'C'

BLOCK_SIZES = (128, 1024)

# How long the receiver may take to ask for the file after the dialogue (XMODEM receivers
# repeat their request every few seconds) and to answer one block (ACK/NAK).
START_TIMEOUT = 30.0
ANSWER_TIMEOUT = 10.0
# Answers that never came before the sender calls the receiver gone (a dropped line).
SILENT_ANSWERS = 2
RETRIES = 16                              # NAKs of one block before giving up
# The card switches its line to the transfer speed right after its "press ENTER" message;
# an ENTER that crosses the switch arrives as noise and is lost. Until the receiver asks
# for the file, ENTER is repeated after this many seconds of silence (the card ignores
# extra line ends before the first block).
ENTER_REPEAT = 2.0


class TransferError(Exception):
    """The upload failed; ``reason`` is one of cancelled, refused, silent, lost, start,
    dialogue, missing. ``acked``: bytes the receiver acknowledged before it failed."""

    def __init__(self, message, reason, sent=0, total=0):
        super().__init__(message)
        self.reason = reason
        self.sent = sent
        self.total = total
        self.acked = 0


def check_dependency():
    if not HAS_XMODEM:
        raise TransferError('file uploads need the Python package xmodem (>= 0.4.5) on the '
                            'controller or in the execution environment: %s. Install it with: '
                            'pip install -r requirements.txt from the collection'
                            % XMODEM_IMPORT_ERROR, 'missing')


def framed_bytes(size, block_size=128, crc=True):
    """Bytes on the wire for a file of ``size`` bytes: every block with its header (3),
    checksum (1) or CRC (2), the receiver's ACK per block, EOT and its ACK."""
    blocks = max(1, math.ceil(size / float(block_size)))
    return blocks * (block_size + 3 + (2 if crc else 1) + 1) + 2


def wire_seconds(size, baud, block_size=128, crc=True, bits_per_byte=10):
    """The floor: the framed bytes at the line speed (8N1: 10 bits a byte)."""
    return framed_bytes(size, block_size, crc) * bits_per_byte / float(baud)


class Progress:
    """Bytes, percent and the time left, sampled every ``step`` percent."""

    def __init__(self, total, baud, block_size, crc, report=None, step=10):
        self.total = total
        self.baud = baud
        self.block_size = block_size
        self.crc = crc
        self.report = report
        self.step = step
        self.started = time.monotonic()
        self.samples = []
        self.naks = 0
        self.acked = 0          # bytes the receiver has acknowledged (every block, not sampled)
        self._next = 0

    def update(self, good_blocks, errors=0):
        sent = min(self.total, good_blocks * self.block_size)
        self.acked = sent
        percent = 100 if not self.total else int(sent * 100 / self.total)
        if percent < self._next and sent < self.total:
            return
        self._next = (percent // self.step + 1) * self.step
        left = wire_seconds(self.total - sent, self.baud, self.block_size, self.crc) \
            if sent < self.total else 0.0
        sample = {'bytes': sent, 'total': self.total, 'percent': percent,
                  'elapsed': round(time.monotonic() - self.started, 2),
                  'eta_seconds': round(left, 1), 'errors': errors}
        self.samples.append(sample)
        if self.report:
            self.report(sample)


class _Line:
    """getc/putc for the xmodem package over a pyserial port, which names what went wrong."""

    def __init__(self, port, pending=b''):
        self.port = port
        self.pending = bytearray(pending)
        self.cans = 0
        self.naks = 0
        self.silent = 0
        self.bytes_out = 0
        self.bytes_in = 0

    def _read(self, size, timeout):
        tp._set_read_timeout(self.port, timeout)  # pylint: disable=protected-access
        try:
            return self.port.read(size)
        except (tp.SerialException, OSError) as exc:
            raise TransferError('the line dropped during the transfer: %s' % exc, 'lost')

    def getc(self, size, timeout=1):
        if self.pending:
            data = bytes(self.pending[:size])
            del self.pending[:size]
        else:
            data = self._read(size, timeout)
        if not data:
            self.silent += 1
            if self.silent >= SILENT_ANSWERS:
                raise TransferError('the receiver stopped answering (no ACK or NAK for %d '
                                    'blocks of %s s each): the line dropped or the card gave up'
                                    % (self.silent, timeout), 'silent')
            return None
        self.silent = 0
        self.bytes_in += len(data)
        if data == CAN:
            self.cans += 1
            if self.cans >= 2:
                raise TransferError('the receiver cancelled the transfer (CAN CAN)', 'cancelled')
        else:
            self.cans = 0
        if data == NAK:
            self.naks += 1
        return data

    def putc(self, data, timeout=1):  # pylint: disable=unused-argument
        try:
            written = self.port.write(data)
            self.port.flush()
        except (tp.SerialException, OSError) as exc:
            raise TransferError('the line dropped during the transfer: %s' % exc, 'lost')
        self.bytes_out += len(data)
        return written or None

    def wait_for_request(self, timeout, nudge=None):
        """The receiver's first request (C or NAK), past the text printed before it.

        A ``C`` inside a word ("XMODEM-CRC") is not a request: a request stands at the start
        of a line or after another request, and is not followed at once by more letters.
        ``nudge()`` is called after every ENTER_REPEAT seconds of silence (see there).
        """
        deadline = time.monotonic() + timeout
        quiet_since = time.monotonic()
        previous = b'\n'
        ahead = bytearray()          # read while looking past a C, not yet examined
        while True:
            if ahead:
                byte = bytes(ahead[:1])
                del ahead[:1]
                kind = self._request_kind(byte, previous, ahead)
                if kind is not None:
                    return kind
                previous = byte
                continue
            now = time.monotonic()
            left = deadline - now
            if left <= 0:
                raise TransferError('the receiver did not ask for the file within %.0f s (no C '
                                    'or NAK came back)' % timeout, 'start')
            if nudge is not None and now - quiet_since >= ENTER_REPEAT:
                nudge()
                quiet_since = now
            byte = self._read(1, min(left, ENTER_REPEAT))
            if not byte:
                continue
            quiet_since = time.monotonic()
            self.bytes_in += 1
            if byte == CRC_REQUEST and previous in (b'\r', b'\n', CRC_REQUEST, NAK):
                # look at what came right behind it: a letter means a word ("CRC ...")
                tp._set_read_timeout(self.port, 0)  # pylint: disable=protected-access
                waiting = self.port.in_waiting
                if waiting:
                    ahead += self._read(waiting, 0)
                    self.bytes_in += len(ahead)
            kind = self._request_kind(byte, previous, ahead)
            if kind is not None:
                return kind
            previous = byte

    def _request_kind(self, byte, previous, ahead):
        """True (CRC), False (checksum) or None (not a request) for one byte."""
        if byte == NAK:
            return False
        if byte == CAN:
            self.cans += 1
            if self.cans >= 2:
                raise TransferError('the receiver cancelled before the transfer began',
                                    'cancelled')
            return None
        if byte == CRC_REQUEST and previous in (b'\r', b'\n', CRC_REQUEST, NAK):
            if ahead[:1] and re.match(rb'[A-Za-z0-9]', bytes(ahead[:1])) and ahead[:1] != CRC_REQUEST:
                return None
            # extra requests queued behind it are dropped (they would read as answers)
            rest = bytes(ahead).lstrip(CRC_REQUEST)
            del ahead[:]
            ahead += rest
            return True
        return None


def send(port, data, baud, block_size=128, report=None, start_timeout=START_TIMEOUT,
         answer_timeout=ANSWER_TIMEOUT, retries=RETRIES, nudge=None):
    """Send ``data`` to an XMODEM receiver on ``port``; returns what happened.

    ``block_size`` 1024 is used only when the receiver asks for CRC (XMODEM-1K needs it);
    ``report(sample)`` is called with each progress sample. Raises TransferError.
    """
    check_dependency()
    if block_size not in BLOCK_SIZES:
        raise ValueError('block_size must be 128 or 1024')
    line = _Line(port)
    crc = line.wait_for_request(start_timeout, nudge)
    size = block_size if crc else 128
    line.pending += CRC_REQUEST if crc else NAK       # the package reads the request again
    line.naks = 0
    progress = Progress(len(data), baud, size, crc, report)
    progress.update(0)
    modem = XMODEM(line.getc, line.putc, mode='xmodem1k' if size == 1024 else 'xmodem')
    modem.log.disabled = True        # its errors become our messages
    started = time.monotonic()

    def callback(_total_packets, success_count, error_count):
        progress.update(success_count, error_count)

    try:
        ok = modem.send(io.BytesIO(data), retry=retries, timeout=answer_timeout, quiet=True,
                        callback=callback)
    except TransferError as exc:
        if exc.reason == 'silent':
            try:            # should the receiver still listen: end the transfer for it
                line.putc(CAN + CAN)
            except TransferError:
                pass
        exc.sent = progress.samples[-1]['bytes'] if progress.samples else 0
        exc.acked = progress.acked
        exc.total = len(data)
        raise
    sent = min(len(data), (progress.samples[-1]['bytes'] if progress.samples else 0))
    if not ok:
        exc = TransferError('the receiver refused a block %d times in a row (NAK); the sender '
                            'gave up and cancelled the transfer (%d NAKs in all)'
                            % (retries + 1, line.naks), 'refused', sent, len(data))
        exc.acked = progress.acked
        raise exc
    seconds = time.monotonic() - started
    floor = wire_seconds(len(data), baud, size, crc)
    return {
        'bytes': len(data),
        'blocks': max(1, math.ceil(len(data) / float(size))),
        'block_size': size,
        'mode': 'CRC' if crc else 'checksum',
        'naks': line.naks,
        'baud': baud,
        'seconds': round(seconds, 3),
        'wire_floor_seconds': round(floor, 3),
        'bytes_on_wire': line.bytes_out + line.bytes_in,
        'progress': progress.samples,
    }


# ------------------------------------------------------------------------------ xferINI
RE_CONFIRM = re.compile(r"Enter\s+'?YES'?\s+to\s+continue[^\r\n]*:\s?$", re.I)
RE_SPEED_MENU = re.compile(r'Baud\s*Rate.*?[\r\n]>\s?$', re.I | re.S)
RE_SET_SPEED = re.compile(r'press\s+<?ENTER>?[^\r\n]*\r?\n', re.I)
RE_REFUSED = re.compile(r'E\d{3}\s*:[^\r\n]*', re.I)
RE_STATUS = re.compile(r'Result\s+of\s+last\s+file\s+transfer\s*:\s*([^\r\n]*)', re.I)


def _menu_number(menu_text, baud):
    """The number the card's speed menu gives ``baud`` (``3- 19200``)."""
    for number, value in re.findall(r'(\d+)\s*[-.)]\s*(\d{3,6})\b', menu_text):
        if int(value) == int(baud):
            return number
    return None


def upload_ini(session, data, baud=None, block_size=128, report=None, log=None,
               answer_timeout=ANSWER_TIMEOUT):
    """Run ``xferINI`` on a logged-in command line and send ``data`` at ``baud``.

    The port switches to ``baud`` once the card says so and back to the session's speed
    as soon as the file is through (the card goes back to its own speed by itself). The
    session is then marked logged out: when the file changed system or network settings
    the command line restarts. Returns the transfer summary (see :func:`send`) plus
    ``baud`` and ``console_baud``.
    """
    check_dependency()
    log = log or (lambda level, message: None)
    console_baud = session.line['baudrate']
    baud = int(baud or console_baud)
    if baud != console_baud and session.url.strip().lower().startswith('socket://'):
        raise TransferError('a raw TCP port (socket://) cannot change the console server\'s line '
                            'speed, so the transfer cannot run at %d baud while the line is at '
                            '%d: use the line\'s speed, or an RFC 2217 URL (rfc2217://) for the '
                            'port. Nothing was sent' % (baud, console_baud), 'dialogue')
    session.ensure_ready()
    spawn = session.spawn

    def expect(patterns, what, timeout):
        idx = session._expect(patterns + [RE_REFUSED], timeout)  # pylint: disable=protected-access
        if idx is None:
            raise TransferError('xferINI: the card did not show %s' % what, 'dialogue')
        if idx == len(patterns):
            raise TransferError('the card refused xferINI: %s' % (spawn.after or '').strip(),
                                'dialogue')
        return idx

    session._send('xferINI\r')  # pylint: disable=protected-access
    expect([RE_CONFIRM], 'its confirmation', session.command_timeout)
    session._send('YES\r')  # pylint: disable=protected-access
    expect([RE_SPEED_MENU], 'the transfer speed menu', session.command_timeout)
    menu = spawn.after or ''
    number = _menu_number(menu, baud)
    if number is None:
        session._send('\r')  # pylint: disable=protected-access  # leave the menu: nothing chosen
        session._expect([RE_CLI_PROMPT], session.command_timeout)  # pylint: disable=protected-access
        raise TransferError('the card does not offer %s baud for the transfer (its menu: %s); '
                            'nothing was sent' % (baud, ' '.join(menu.split()[:-1])), 'dialogue')
    session._send(number + '\r')  # pylint: disable=protected-access
    expect([RE_SET_SPEED], 'the request to set the terminal speed', session.command_timeout)
    session.logged_in = False              # from here the command line may restart
    session.state = 'unknown'
    summary = _switched_send(session, data, baud, block_size, report, log, answer_timeout)
    spawn.discard_input()
    return summary


def transfer_status(session):
    """``xferStatus``: the card's word on the last transfer (``OK`` when it took)."""
    result = session.run('xferStatus')
    match = RE_STATUS.search(result.get('output', '') or '')
    return {'code': result.get('code'), 'result': match.group(1).strip() if match else None}


# --------------------------------------------------------------------- the boot monitor
# The boot monitor's prompt (BM>) and its answers. The exact dialogue is not in the
# references (see tests/apcsim/README.md "Firmware"): the patterns accept any wording
# around the words that matter.
RE_BM_PROMPT = re.compile(r'(?:^|[\r\n])\s*BM>\s?$')
RE_BM_WRITTEN = re.compile(r'written', re.I)
RE_BM_FAILED = re.compile(r'(fail|refused|invalid|error|abort)[^\r\n]*', re.I)
# The boot monitor takes a key only early in the card's restart (a few seconds; the
# simulator's default window is 5 s): the key is repeated this often until BM> shows. The
# key is ESC (a guess; see tests/apcsim/README.md): unlike CR, which the session sends to
# wake a restarting console, it stops no ordinary restart in the boot monitor, and a card
# that takes any key takes it too.
BM_KNOCK_INTERVAL = 0.5
BM_KEY = '\x1b'
# How long after the restart began the boot monitor prompt may take to show.
BM_ENTER_TIMEOUT = 30.0
BM_COMMAND = 'XMODEM'
BM_BOOT_COMMAND = 'BOOT'


def knock_for_boot_monitor(session, timeout=BM_ENTER_TIMEOUT):
    """BM_KEY every BM_KNOCK_INTERVAL seconds until the boot monitor's prompt shows (at a
    BM> prompt already, a CR shows it again)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TransferError('the boot monitor prompt (BM>) did not show within %.0f s of the '
                                'restart; the card started its firmware instead (nothing was '
                                'sent)' % timeout, 'dialogue')
        session._send(BM_KEY)  # pylint: disable=protected-access
        session._send('\r')  # pylint: disable=protected-access
        if session._expect([RE_BM_PROMPT], min(BM_KNOCK_INTERVAL, left)) is not None:  # pylint: disable=protected-access
            session.spawn.buffer = session.spawn.string_type()
            return


def enter_boot_monitor(session, timeout=BM_ENTER_TIMEOUT):
    """Restart a logged-in command-line card (``reboot``, YES) and stop it in the boot
    monitor. The session is logged out from here on."""
    result = session.run('reboot', confirm=True)
    if not result.get('rebooting'):
        raise TransferError('the card did not restart after reboot and YES (%s %s): nothing '
                            'was sent' % (result.get('code'), result.get('message')), 'dialogue')
    session.logged_in = False
    session.state = 'unknown'
    knock_for_boot_monitor(session, timeout)


def bootmon_send(session, data, block_size=128, report=None, answer_timeout=ANSWER_TIMEOUT):
    """At the BM> prompt: ``XMODEM``, send ``data``, wait for BM> again and read the boot
    monitor's verdict. Returns the transfer summary plus ``card_says``."""
    check_dependency()
    session._send(BM_COMMAND + '\r')  # pylint: disable=protected-access
    spawn = session.spawn
    spawn.buffer = spawn.string_type()
    summary = send(spawn.port, data, session.line['baudrate'], block_size=block_size,
                   report=report, answer_timeout=answer_timeout)
    if session._expect([RE_BM_PROMPT], session.command_timeout) is None:  # pylint: disable=protected-access
        raise TransferError('the image went through but the boot monitor did not show its '
                            'prompt again within %.0f s' % session.command_timeout, 'dialogue')
    said = session.scrub(spawn.before or '').strip()
    summary['card_says'] = ' '.join(said.split())
    failed = RE_BM_FAILED.search(said)
    if failed or not RE_BM_WRITTEN.search(said):
        raise TransferError('the boot monitor did not take the image: %s'
                            % (' '.join(said.split()) or 'it said nothing'), 'dialogue')
    return summary


def leave_boot_monitor(session):
    """``BOOT``: the card starts its (new) firmware; the session waits for it as for a reboot."""
    session._send(BM_BOOT_COMMAND + '\r')  # pylint: disable=protected-access
    session.spawn.buffer = session.spawn.string_type()
    session.logged_in = False
    session.state = 'rebooting'


def bootmon_failure_text(session):
    """What the boot monitor printed after a failed transfer, up to its prompt ('' when it
    says nothing within a command timeout, or the line is gone)."""
    try:
        if session.spawn is None or session._expect([RE_BM_PROMPT], session.command_timeout) is None:  # pylint: disable=protected-access
            return ''
    except Exception:  # pylint: disable=broad-except
        return ''
    return ' '.join(session.scrub(session.spawn.before or '').split())


# On a card whose boot monitor takes any key (not only ESC), a CR that reaches it in the
# first seconds of a restart stops it there again (the simulator's window is 5 s, the real
# one is not documented): after BOOT the collection stays silent this long, reading the
# line, before it knocks for the login.
BM_KEY_WINDOW = 6.0


def wait_for_firmware_start(session, timeout, quiet=BM_KEY_WINDOW):
    """After BOOT: stay quiet for ``quiet`` seconds (BM_KEY_WINDOW), then CR every wake
    interval until the login prompt (or a command prompt) shows. Raises TransferError when
    the card comes back to its boot monitor instead (a module it cannot start). Returns the
    seconds waited."""
    started = time.monotonic()
    deadline = started + timeout
    if quiet and session._expect([RE_BM_PROMPT], quiet) is not None:  # pylint: disable=protected-access
        raise TransferError('the card went back to its boot monitor instead of starting the '
                            'firmware: %s' % ' '.join(session.scrub(session.spawn.before or '').split()),
                            'dialogue')
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TransferError('the card did not come back within %.0f s after the new firmware '
                                'was written (restart_timeout); it may still be starting (linked '
                                'units take minutes)' % timeout, 'start')
        session._send('\r')  # pylint: disable=protected-access
        idx = session._expect([RE_USER, RE_CLI_PROMPT, RE_BM_PROMPT],  # pylint: disable=protected-access
                              min(session.wake_interval, left))
        if idx == 2:
            raise TransferError('the card went back to its boot monitor instead of starting the '
                                'firmware: %s' % ' '.join(session.scrub(session.spawn.before or '').split()),
                                'dialogue')
        if idx is not None:
            session.state = 'awake'
            return round(time.monotonic() - started, 1)


# ------------------------------------------------------- menu consoles: File Transfer
MENU_XMODEM_PATH = ['System', 'Tools', 'File Transfer', 'XMODEM']
MENU_SPEED_LABEL = 'Transfer Speed'
MENU_START_LABEL = 'Start Transfer'
RE_MENU_RESTART = re.compile(r'Rebooting\.*', re.I)
RE_MENU_FAILED = re.compile(r'(?:File\s+transfer\s+failed|Image\s+refused|Access\s+denied)[^\r\n]*', re.I)


def _switched_send(session, data, baud, block_size, report, log, answer_timeout=ANSWER_TIMEOUT):
    """Switch the port to ``baud``, ENTER, send, switch back (as the card does); xferINI
    and the menus' File Transfer both do this."""
    console_baud = session.line['baudrate']
    spawn = session.spawn
    spawn.buffer = spawn.string_type()
    port = spawn.port
    try:
        if baud != console_baud:
            port.baudrate = baud
            log('vvv', 'line switched to %d baud for the transfer' % baud)

        def enter():
            port.write(b'\r')
            port.flush()

        enter()
        summary = send(port, data, baud, block_size=block_size, report=report, nudge=enter,
                       answer_timeout=answer_timeout)
    finally:
        if baud != console_baud:
            try:
                port.baudrate = console_baud
                log('vvv', 'line back at %d baud' % console_baud)
            except (tp.SerialException, OSError, ValueError):
                pass
    summary['console_baud'] = console_baud
    return summary


def menu_send(session, data, baud=None, block_size=128, report=None, log=None):
    """System > Tools > File Transfer > XMODEM on a menu console: choose the transfer speed,
    Start Transfer, switch the port, send, switch back, and read the unit's verdict. A good
    image makes the unit restart: the session is then marked as rebooting."""
    check_dependency()
    log = log or (lambda level, message: None)
    console_baud = session.line['baudrate']
    baud = int(baud or console_baud)
    if baud != console_baud and session.url.strip().lower().startswith('socket://'):
        raise TransferError('a raw TCP port (socket://) cannot change the console server\'s line '
                            'speed, so the transfer cannot run at %d baud while the line is at '
                            '%d: use the line\'s speed, or an RFC 2217 URL (rfc2217://) for the '
                            'port. Nothing was sent' % (baud, console_baud), 'dialogue')
    nav = session._menu_navigator()  # pylint: disable=protected-access
    nav.set_values(MENU_XMODEM_PATH, {MENU_SPEED_LABEL: str(baud)}, accept=False)
    try:
        item = mp.find_item(nav.screen, MENU_START_LABEL)
    except mp.MenuParseError as exc:
        raise TransferError('the XMODEM screen has no %s item: %s' % (MENU_START_LABEL, exc), 'dialogue')
    session._send(str(item['number']) + '\r')  # pylint: disable=protected-access
    nav.forget()
    idx = session._expect([RE_SET_SPEED, RE_MENU_FAILED], session.command_timeout)  # pylint: disable=protected-access
    if idx is None:
        raise TransferError('the XMODEM screen did not ask to set the terminal speed', 'dialogue')
    if idx == 1:
        raise TransferError('the unit refused the transfer: %s' % session.spawn.after.strip(), 'dialogue')
    summary = _switched_send(session, data, baud, block_size, report, log)
    idx = session._expect([RE_MENU_RESTART, RE_MENU_FAILED], session.command_timeout)  # pylint: disable=protected-access
    after = session.spawn.after if isinstance(session.spawn.after, str) else ''    # a TIMEOUT class when nothing matched
    said = ' '.join(session.scrub((session.spawn.before or '') + after).split())
    if idx != 0:
        raise TransferError('the unit did not take the image: %s' % (said or 'it said nothing'), 'dialogue')
    summary['card_says'] = said
    session.logged_in = False
    session.state = 'rebooting'
    return summary
