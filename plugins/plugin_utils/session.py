# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A logged-in session on an APC serial console.

The session owns the transport (:mod:`.transport`) and knows how an APC console behaves:
it prints nothing until it gets a CR, logs in with ``User Name : `` / ``Password  : ``
(forcing a password change at the first login on AOS 6.9.6+ and NMC3), then shows one of
three dialects.  This module implements the command-line dialect (``apc>``) and detects
the other two so that later dialect classes can plug in (see :data:`DIALECTS`).

Every wait is for a known pattern, bounded by a timeout.  Nothing sleeps.
"""

from __future__ import annotations

import difflib
import math
import re
import time

from ansible_collections.rackops.apc.plugins.module_utils import wire
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import parse_result
from ansible_collections.rackops.apc.plugins.module_utils.redact import Redactor
from ansible_collections.rackops.apc.plugins.plugin_utils import transport as tp
from ansible_collections.rackops.apc.plugins.plugin_utils.menu import MenuNavigator
from ansible_collections.rackops.apc.plugins.plugin_utils.smart import SmartError, SmartProtocol


# ---------------------------------------------------------------------------------------
# What the consoles print (tolerant of case, padding and a trailing space)
# ---------------------------------------------------------------------------------------
# The login prompts have blank(s) before the colon ('User Name : ', 'Password  : '); the
# detail output of 'user -n' has 'User Name: apc' and 'Password: <hidden>' without, which
# keeps a prompt pattern from firing inside output that happens to end at a chunk border.
RE_USER = re.compile(r'User\s*Name\s+:\s?$', re.I)
RE_PASSWORD = re.compile(r'Password\s+:\s?$', re.I)
RE_CLI_PROMPT = re.compile(r'(?:^|[\r\n])[\w.@ -]{0,64}?apc>\s?$', re.I)
RE_MENU_PROMPT = re.compile(r'[\r\n]>\s?$')
RE_CONFIRM = re.compile(r"Enter\s+'?YES'?\s+to\s+continue[^\r\n]*:\s?$", re.I)
RE_PAGER = re.compile(r'Press\s+<ENTER>\s+to\s+continue\.*', re.I)
RE_CURRENT_PW = re.compile(r'Enter\s+current\s+password\s*:\s*$', re.I)
RE_NEW_PW = re.compile(r'Enter\s+new\s+password\s*:\s*$', re.I)
RE_CONFIRM_PW = re.compile(r'Confirm\s+new\s+password\s*:\s*$', re.I)
RE_REBOOTING = re.compile(r'Rebooting\.*', re.I)
RE_RESULT_LINE = re.compile(r'(?:^|[\r\n])\s*E\d{3}\s*:[^\r\n]*\r?\n', re.I)
RE_MAX_LOGINS = re.compile(r'Max(imum)?\s+logins?\s+exceeded', re.I)
RE_BYE = re.compile(r'Bye\.?', re.I)
RE_MENU_SCREEN = re.compile(r'Control\s+Console', re.I)
RE_SMART_MODE = re.compile(r'(?:^|[\r\n])SM\r?\n')
RE_BOOT_MONITOR = re.compile(r'(?:^|[\r\n])\s*BM>\s?$')
# the first banner line a restarting card prints before its User Name prompt
RE_RESTART_BANNER = re.compile(r'(American\s+Power\s+Conversion|Schneider\s+Electric)\s+'
                               r'Network\s+Management\s+Card', re.I)

CR = '\r'
ESC = '\x1b'
RECOVERY_RETRY_INTERVAL = 1.0   # s between login attempts while waiting for the reset window
# Menu consoles on AOS 3.x (AP79xx, NMC1) lock the console login for 2 minutes after 3 failed
# logins in a row: every login fails meanwhile, the right one too (the reset-button window is
# exempt). Waiting for the window can cost those failures, so the fresh login that proves the
# new password may meet the lock; it is then tried again every LOCKOUT_RETRY_INTERVAL seconds
# until MENU_LOCKOUT_SECONDS have passed since the last failed attempt.
MENU_LOCKOUT_AFTER = 3
MENU_LOCKOUT_SECONDS = 120.0
LOCKOUT_RETRY_INTERVAL = 10.0
CTRL_C = '\x03'
BS = '\x08'
# Dialect detection (dialect: auto) and the smart protocol's probe letter Y. A management
# card takes a Y as text: typed into its User Name field it becomes a failed login (one more
# towards a lockout). So the probe waits until no login prompt can be expected any more: the
# console has stayed silent for SMART_PROBE_SILENCE seconds and SMART_PROBE_AFTER_CRS CRs.
# The slowest card we know, an NMC1 behind a UPS port at 2400 baud, answers only after 3 to 5
# CRs (10 s at the default wake_interval of 2 s); a busy card may answer its first CR a few
# seconds late. A UPS on the smart protocol ignores CRs, so waiting costs it only time
# (dialect: smart skips the detection). Should a console answer even later, after the probe,
# every later knock and the user name start with a backspace, which erases the Y from the
# field: the Y is never submitted.
SMART_PROBE_SILENCE = 10.0
# After several wake-up CRs, the quiet time that makes the console's last screen its answer
# (a late console answers the queued CRs one after the other, within milliseconds).
WAKE_SETTLE = 0.5
# A logged-in menu console answers Ctrl-C with the main menu at once; silence for this long
# means it restarted (or logged out silently) and must be woken with CR.
MENU_ANSWER_WAIT = 3.0
SMART_PROBE_AFTER_CRS = 5
# Reads under line noise (see ConsoleSession.verified). A read is repeated when its answer
# shows damage; on a line that has shown noise, a value is only believed when two undamaged
# reads agree. NOISE_READS bounds the attempts: an occasional bad byte costs a read or two,
# a bad cable or a wrong speed fails within seconds instead of looping.
NOISE_READS = 4
NOISE_HINT = ('Check the cable and its connectors, the line speed on both ends '
              '(ansible_serial_baud_rate, the card\'s console -b), and the console server '
              'port\'s settings (parity, flow control, a second client on the port).')

ReadDamaged = tp.ReadDamaged

READ_ONLY_HINT = 'Check the cable (940-0144 for AP79xx/AP89xx, 940-0299 for NMC2/NMC3), ' \
                 'the line speed (9600 8N1 unless changed with console -b) and that no ' \
                 'other session holds the port.'


class ConsoleError(Exception):
    """A console failure, with what was seen (secrets already masked)."""

    def __init__(self, message, seen=None, hint=None):
        self.message = message
        self.seen = seen or ''
        self.hint = hint or ''
        text = message
        if self.seen:
            text += '. Last lines seen: %r' % self.seen
        if self.hint:
            text += '. %s' % self.hint
        super().__init__(text)


class LoginError(ConsoleError):
    """The device refused the credentials (tried once, never looped)."""


class LoginRejected(LoginError):
    """The console went back to User Name after the password: wrong or locked."""


class RecoveryWindowMissed(ConsoleError):
    """No reset-button login window opened in time."""


class NoAnswer(ConsoleError):
    """Nothing recognisable came back from the console in time (unit off or still starting,
    cable, line speed)."""


class FirstLoginPasswordRequired(LoginError):
    """The firmware forces a password change and no new password was configured."""


class CommandTimeout(ConsoleError):
    """The console did not come back to a prompt in time."""


class ConnectionLost(ConsoleError):
    """The transport closed (console server dropped us, cable pulled)."""


class InputRefused(ConsoleError):
    """A line to be typed holds something the console would act on (see module_utils/wire):
    refused before any of it is sent."""


class LineNoise(ConsoleError):
    """Answers kept arriving damaged (bytes outside the console's character set, a reply
    of the wrong shape, reads that disagree): the value could not be read reliably."""


class ConsoleRebooted(ConsoleError):
    """The management card restarted while a command was running (seen from a fresh up time
    at the login after it); the command's effect is unknown until read back."""


class UnsupportedDialect(ConsoleError):
    """A console dialect this version cannot drive yet."""


class AtBootMonitor(ConsoleError):
    """The console shows the boot monitor's BM> prompt instead of a login: the card did not
    start its firmware (a module left half-written) or somebody stopped it there."""


# The console dialects (DESIGN: cli, menu, smart). The session detects which one the
# console shows after login; command execution below serves ``cli``. A dialect that is
# recognised but not yet driven fails with UnsupportedDialect naming it, before anything
# is sent to the device.
DIALECTS = {
    'cli': 'command line with an apc> prompt (NMC2/NMC3, AP79xxB, AP89xx)',
    'menu': 'numbered Control Console menus (AP79xx without B, NMC1)',
    'smart': 'UPS-Link smart protocol on a UPS DB9 port (no login)',
}
SUPPORTED_DIALECTS = ('cli', 'menu', 'smart')


# How alike a received line must be to a typed line carrying a secret to count as its echo:
# line noise drops or garbles a few bytes, so an exact match would let a damaged echo (and
# the secret in it) through.
ECHO_LIKENESS = 0.6


def _echoes(line, sent):
    """Whether ``line`` (received) is the echo of ``sent`` (typed), maybe damaged by noise."""
    text = line.strip()
    if not text:
        return False
    if sent in text:
        return True
    if len(text) < len(sent) // 2:
        return False
    return difflib.SequenceMatcher(None, text, sent, autojunk=False).ratio() >= ECHO_LIKENESS


def _echo_damage(raw, command, carried_secret):
    """Why a command-line answer looks damaged by line noise, or None: the card echoes the
    typed line first, so a first line that resembles the command without being it lost or
    changed bytes on the way."""
    lines = [line for line in raw.split('\n') if line.strip()]
    if not carried_secret and lines:
        first = lines[0].strip()
        typed = command.strip()
        if first != typed and not first.endswith(typed) and _echoes(first, typed):
            return 'its echo of the command differs from what was typed'
    return None


def _read_damage(result, echo_problem):
    """A read's answer is damaged when its echo is, or when it lacks the result line
    (``Ennn:``) every command-line answer ends with."""
    if echo_problem:
        return echo_problem
    if not result.get('code'):
        return 'it has no result line (Ennn:)'
    return None


# The timing options of a session: (option, inventory variable, smallest value allowed,
# whether that value itself is allowed). A timeout of zero or less (or not a number) cannot
# be met by any console; it would otherwise surface later as "no answer, check the cable".
TIMING_OPTIONS = (
    ('login_timeout', 'ansible_apc_login_timeout', 0.0, False),
    ('command_timeout', 'ansible_apc_command_timeout', 0.0, False),
    ('boot_timeout', 'ansible_apc_boot_timeout', 0.0, False),
    ('wake_interval', 'ansible_apc_wake_interval', 0.0, False),
    ('idle_probe_after', 'ansible_apc_idle_probe_after', 0.0, True),
)


def check_timings(values):
    """Validate the timing options in ``values`` (a dict; missing keys are skipped).

    Returns a dict of the same keys as floats. Raises ValueError naming the option, its
    inventory variable and the value when one is not a finite number, is below its limit,
    or when ``wake_interval`` exceeds ``login_timeout`` (no second CR could ever be sent
    to wake a console that needs several). Nothing here touches the console.
    """
    checked = {}
    for name, variable, low, low_ok in TIMING_OPTIONS:
        if name not in values or values[name] is None:
            continue
        raw = values[name]
        number = None
        if not isinstance(raw, bool):
            try:
                number = float(raw)
            except (TypeError, ValueError):
                number = None
        if number is None or math.isnan(number) or math.isinf(number):
            raise ValueError('%s (%s) must be a number of seconds, not %r' % (name, variable, raw))
        if number < low or (number == low and not low_ok):
            raise ValueError('%s (%s) must be %s %g seconds, not %r' % (
                name, variable, 'at least' if low_ok else 'more than', low, raw))
        checked[name] = number
    if 'wake_interval' in checked and 'login_timeout' in checked \
            and checked['wake_interval'] > checked['login_timeout']:
        raise ValueError('wake_interval (ansible_apc_wake_interval, %g s) must not exceed '
                         'login_timeout (ansible_apc_login_timeout, %g s): the console would get '
                         'a single wake-up CR' % (checked['wake_interval'], checked['login_timeout']))
    return checked


# The banner shows the up time in whole minutes: a card whose up time is at most the time
# since a command was sent plus this much restarted during it.
UPTIME_RESOLUTION = 60.0
RE_UP_TIME = re.compile(r'Up\s*Time\s*:\s*(\d+)\s*Days?\s*(\d+)\s*Hours?\s*(\d+)\s*Minutes?', re.I)


def uptime_seconds(banner):
    """The card's up time from a login banner, in seconds (None when not shown)."""
    match = RE_UP_TIME.search(banner or '')
    if not match:
        return None
    days, hours, minutes = (int(x) for x in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60.0


def _up_text(banner):
    match = RE_UP_TIME.search(banner or '')
    return ' '.join(match.group(0).split(':', 1)[1].split()) if match else 'unknown'


def _tail(text, lines=6):
    text = (text or '').replace('\r', '')
    return '\n'.join([line for line in text.split('\n') if line.strip()][-lines:])


class ConsoleSession:
    """One console port, logged in, ready for commands."""

    def __init__(self, url, user='apc', password=None, new_password=None,
                 baudrate=9600, bytesize=8, parity='N', stopbits=1, xonxoff=False, rtscts=False,
                 login_timeout=60.0, command_timeout=30.0, boot_timeout=300.0,
                 wake_interval=2.0, idle_probe_after=60.0, lock_dir=None,
                 log=None, port_factory=None, use_lock=True, dialect='auto'):
        timings = check_timings(dict(login_timeout=login_timeout, command_timeout=command_timeout,
                                     boot_timeout=boot_timeout, wake_interval=wake_interval,
                                     idle_probe_after=idle_probe_after))
        self.url = url
        self.user = user
        self.password = password
        self.new_password = new_password
        self.line = dict(baudrate=int(baudrate), bytesize=int(bytesize), parity=parity,
                         stopbits=stopbits, xonxoff=bool(xonxoff), rtscts=bool(rtscts))
        self.login_timeout = timings['login_timeout']
        self.command_timeout = timings['command_timeout']
        self.boot_timeout = timings['boot_timeout']
        self.wake_interval = timings['wake_interval']
        self.idle_probe_after = timings['idle_probe_after']
        self._log = log or (lambda level, msg: None)
        self._port_factory = port_factory or tp.open_port
        self._lock = tp.PortLock(url, lock_dir) if use_lock else None
        if dialect not in ('auto',) + tuple(DIALECTS):
            raise ValueError('dialect must be auto, cli, menu or smart, not %r' % dialect)
        self.dialect_hint = dialect
        self.smart = None
        self.menu = None
        self.redact = Redactor([password, new_password])
        self.spawn = None
        self.dialect = None
        self.logged_in = False
        self.state = 'closed'          # closed | awake | logged_in | rebooting | unknown
        self.banner = ''
        self.login_user = None
        self.password_changed_at_login = False
        self.allow_password_change = True   # False while serving a check-mode task
        self.session_reused = False
        self.reboot_required = False
        self.last_io = 0.0
        self.logins = 0
        self.commands_run = 0
        self.wake_crs_sent = 0
        self.refused_logins = 0         # failed logins the recovery caused (console lockouts)
        self.last_refused_at = None     # monotonic time of the last one
        self._at_user_prompt_io = None
        self._secret_lines = []          # (typed line with secrets, its display form)
        self.smart_probe_silence = SMART_PROBE_SILENCE
        self.noise_seen = 0             # answers found damaged by line noise in this session
        self.last_damage = None         # why the last CLI answer looked damaged (or None)
        self.smart_probe_sent = False   # Y went out while detecting (cleared by a login)

    # -------------------------------------------------------------------- helpers
    def log(self, level, message):
        """Log the collection's own words. They are built from masked parts only (commands
        in their display form, device text through :meth:`scrub`), so they are not searched
        for secrets: a password that is an ordinary word must not eat the same word in the
        collection's messages."""
        self._log(level, message)

    def scrub(self, text):
        """Device text made safe to show: secrets masked where the device could print
        them. The echo of a line that carried a secret is replaced whole by its display form
        (found by position and likeness, so an echo damaged by line noise is caught too),
        then any secret left is masked by value."""
        if not text:
            return text
        if self._secret_lines:
            lines = text.split('\n')
            for index, line in enumerate(lines):
                for sent, shown in self._secret_lines:
                    if _echoes(line, sent):
                        lines[index] = shown + ('\r' if line.endswith('\r') else '')
                        break
            text = '\n'.join(lines)
        return self.redact(text)

    def _remember_secret_line(self, sent, shown):
        """A line carrying a secret was typed: its echo is masked by :meth:`scrub`."""
        self._secret_lines = ([(sent, shown)] + [e for e in self._secret_lines if e[0] != sent])[:8]

    def _seen(self):
        if self.spawn is None:
            return ''
        text = (self.spawn.before or '') + (self.spawn.buffer or '')
        return self.scrub(_tail(text))

    def _expect(self, patterns, timeout):
        """Wait for one of ``patterns``; return its index or raise a ConsoleError."""
        idx = self.spawn.expect(list(patterns) + [tp.EOF, tp.TIMEOUT], timeout=timeout)
        self.last_io = time.monotonic()
        if idx == len(patterns):
            self._mark_lost()
            raise ConnectionLost('the console connection closed', self._seen(), READ_ONLY_HINT)
        if idx == len(patterns) + 1:
            return None
        return idx

    def _send(self, text):
        """Every byte the session types goes through here. A single character is a keystroke
        of the collection's own (CR, ESC, Ctrl-C, a smart-protocol letter); anything longer
        is a line of text plus its CR and must pass the byte gate, so no value can become a
        second line or an editing key whatever path it took."""
        if len(text) > 1:
            body = text[:-1] if text.endswith(CR) else text
            try:
                wire.line(body, 'a line to be typed')
            except wire.UnsafeInput as exc:
                raise InputRefused(str(exc))
        self.spawn.send(text)
        self.last_io = time.monotonic()

    def _mark_lost(self):
        self.logged_in = False
        self.state = 'closed'
        if self.spawn is not None:
            self.spawn.close()
            self.spawn = None

    @property
    def bytes_in(self):
        return self.spawn.bytes_in if self.spawn else 0

    @property
    def noise_in(self):
        return self.spawn.noise_in if self.spawn else 0

    @property
    def noisy(self):
        """How much line noise this session has seen: damaged answers, plus one when any
        byte outside the console's character set arrived (a damaged banner or prompt counts
        too). Once it is above 0, reads are believed only when two answers agree."""
        return self.noise_seen + (1 if self.noise_in else 0)

    def verified(self, what, read, damage=None, always=False, any_bytes=False):
        """``read()`` once, or until it can be believed; returns its value.

        An answer is damaged when bytes outside the console's character set arrived while
        it was read, when ``damage(value)`` names a problem (a reply of the wrong shape, an
        echo that differs from what was typed), or when ``read`` raised ReadDamaged. On a
        clean line the first undamaged answer is the value; once the session has seen noise
        (or with ``always``: the smart protocol, whose bare replies show no damage), two
        undamaged answers must agree. After NOISE_READS attempts: LineNoise. ``any_bytes``:
        the answer may hold control characters (the smart protocol's command list).
        """
        answers = []
        problems = []
        for _attempt in range(NOISE_READS):
            mark = self.noise_in
            problem = None
            try:
                value = read()
            except ReadDamaged as exc:
                problem = str(exc)
            else:
                if self.noise_in > mark and not any_bytes:
                    problem = '%d byte(s) outside the console\'s character set' % (self.noise_in - mark)
                elif damage is not None:
                    problem = damage(value)
            if problem:
                self.noise_seen += 1
                problems.append(problem)
                self.log('vvv', 'line noise in the answer to %s: %s; reading again' % (what, problem))
                continue
            if not (always or self.noisy):
                return value
            if value in answers:
                return value
            answers.append(value)
        if not problems:
            problems.append('the answers disagreed')
        elif answers:
            problems.append('the undamaged answers disagreed')
        raise LineNoise('line noise: %d reads of %s gave no answer that could be believed (%s)'
                        % (NOISE_READS, what, '; '.join(dict.fromkeys(problems))), hint=NOISE_HINT)

    # -------------------------------------------------------------------- open / close
    def open(self):
        """Open and lock the port (no bytes are sent)."""
        if self.spawn is not None:
            return
        tp.check_dependencies()
        if self._lock is not None and not self._lock.held:
            self._lock.acquire()
        try:
            port = self._port_factory(self.url, **self.line)
        except Exception:
            if self._lock is not None:
                self._lock.release()
            raise
        self.spawn = tp.SerialSpawn(port, timeout=self.command_timeout)
        self.state = 'unknown'
        self.log('vvvv', 'opened console port %s' % self.url)

    def close(self, logout=True):
        if self.spawn is not None and logout and self.logged_in and self.dialect == 'smart':
            try:
                self._send('R')     # leave smart mode (the UPS answers BYE)
                self._expect([re.compile(r'BYE')], timeout=min(2.0, self.command_timeout))
            except ConsoleError:
                pass
        if self.spawn is not None and logout and self.logged_in and self.dialect == 'menu' \
                and self.menu is not None:
            try:
                self.menu.logout()
            except Exception:  # pylint: disable=broad-except
                pass
        if self.spawn is not None and logout and self.logged_in and self.dialect == 'cli':
            try:
                self._send('exit' + CR)
                self._expect([RE_BYE, RE_USER], timeout=min(5.0, self.command_timeout))
            except ConsoleError:
                pass
        if self.spawn is not None:
            self.spawn.close()
            self.spawn = None
        self.logged_in = False
        self.state = 'closed'
        if self._lock is not None:
            self._lock.release()

    def connect(self):
        """Open the port, wake the console and log in."""
        self.open()
        self.login()
        return self

    # -------------------------------------------------------------------- wake / login
    def wake(self, timeout=None):
        """Send CR until the console shows a known screen.

        Returns one of ``user``, ``password``, ``cli``, ``menu``.  While the console is
        printing (a banner, a boot message) no further CR is sent: a new CR only goes out
        after ``wake_interval`` seconds of silence.
        """
        timeout = self.login_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        patterns = [RE_USER, RE_PASSWORD, RE_CLI_PROMPT, RE_MENU_PROMPT, RE_SMART_MODE, RE_BOOT_MONITOR]
        sent = 0
        need_cr = True
        silent_since = None         # first CR not answered yet
        self.wake_crs_sent = 0
        while True:
            self.wake_crs_sent = sent
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ConsoleError(
                    'the console did not answer with a login prompt or a command prompt '
                    'within %.0f s (%d CR sent, %d bytes received)' % (timeout, sent, self.bytes_in),
                    self._seen(), READ_ONLY_HINT)
            if need_cr and self._smart_probe_due(sent, silent_since):
                # Silence after many CRs: a UPS on the smart protocol ignores CR but answers
                # Y with SM (see SMART_PROBE_SILENCE for why it waits this long).
                self._send('Y')
                self.smart_probe_sent = True
            elif need_cr:
                # after a probe, a backspace first: it erases the Y should a late console
                # have taken it into its User Name field
                if self.smart_probe_sent:
                    self._send(BS)       # its own keystroke (the byte gate refuses it in a line)
                self._send(CR)
                sent += 1
                if silent_since is None:
                    silent_since = time.monotonic()
            before_in = self.bytes_in
            idx = self._expect(patterns, timeout=min(self.wake_interval, remaining))
            if idx is None:
                # Silence for wake_interval: knock again. If the console was printing (a
                # banner, boot text), let it finish instead of interrupting it.
                need_cr = self.bytes_in == before_in
                if not need_cr:
                    silent_since = time.monotonic()
                continue
            if sent > 1:
                idx = self._settle(patterns, idx)
            self.wake_crs_sent = sent
            if idx == 5:
                self.state = 'bootmon'
                raise AtBootMonitor('the console shows the boot monitor prompt (BM>) instead of a '
                                    'login: the card did not start its firmware (a module left '
                                    'half-written by an interrupted upgrade, or it was stopped '
                                    'there). rackops.apc.firmware with the module\'s file sends it '
                                    'again from there', self._seen())
            self.state = 'awake'
            return ('user', 'password', 'cli', 'menu', 'smart')[idx]

    def _settle(self, patterns, idx):
        """A console that answered late may still be answering the other CRs it got
        meanwhile (User Name, Password, User Name again): what counts is the screen it shows
        once it stops printing."""
        while True:
            more = self._expect(patterns, timeout=WAKE_SETTLE)
            if more is None:
                return idx
            idx = more

    def _smart_probe_due(self, crs_sent, silent_since):
        if self.dialect_hint != 'auto' or self.dialect is not None or self.smart_probe_sent \
                or silent_since is None:
            return False
        return crs_sent >= SMART_PROBE_AFTER_CRS \
            and time.monotonic() - silent_since >= self.smart_probe_silence

    def wait_for_answer(self, timeout):
        """Wait until the console answers, without logging in.

        A unit that was just powered on (or is restarting) keeps its console dead for up to
        about 100 seconds and then stays silent until it gets a CR. This knocks with CR as
        :meth:`wake` does (a new CR only after ``wake_interval`` seconds of silence) until a
        login prompt, a logged-in prompt or a smart-protocol answer shows. A Password prompt
        (somebody typed a user name) is taken back to User Name with an empty password.

        Returns ``{'screen': 'login'|'cli'|'menu'|'smart', 'waited': seconds,
        'crs_sent': n}``. Raises :class:`NoAnswer` saying what was received and what to check.
        """
        self.open()
        started = time.monotonic()
        bytes_before = self.bytes_in
        try:
            screen = self.wake(timeout=timeout)
        except (ConnectionLost, AtBootMonitor):
            raise
        except ConsoleError:
            received = self.bytes_in - bytes_before
            if received:
                what = ('%d bytes came back but no login prompt: the line speed is probably wrong '
                        '(ansible_serial_baud_rate; 9600 for AP79xx/AP89xx and NMC2, 2400 for an '
                        'NMC1 reached through the UPS port), or another program is using the '
                        'port' % received)
            else:
                what = ('nothing came back: check that the unit is powered and its status LED is '
                        'lit, that it has finished starting (about 100 seconds after power-on), the '
                        'cable (940-0144 for AP79xx/AP89xx RJ12 ports, 940-0299 for NMC2, 940-0024 '
                        'for an NMC1 on the UPS port) and ansible_serial_url')
            raise NoAnswer('the console did not answer within %.0f s (%d CR sent); %s'
                           % (timeout, self.wake_crs_sent, what), self._seen())
        if screen == 'password':
            self._send(CR)
            if self._expect([RE_USER], timeout=self.login_timeout) is None:
                raise ConsoleError('the console stayed at a Password prompt', self._seen(),
                                   READ_ONLY_HINT)
            self._note_refused()
            screen = 'user'
        if screen == 'user':
            self._mark_at_user_prompt()
        if screen == 'smart':
            self._start_smart(timeout, entered=True)   # so that close() leaves smart mode
        return {'screen': 'login' if screen == 'user' else screen,
                'waited': time.monotonic() - started,
                'crs_sent': self.wake_crs_sent}

    def login(self):
        """Bring the session to a logged-in prompt, logging in if needed."""
        waited = self.boot_timeout if self.state == 'rebooting' else self.login_timeout
        self.check_credentials()
        if self.dialect_hint == 'smart':
            self._start_smart(waited)
            return
        screen = self.wake(timeout=waited)
        if screen == 'smart':
            self._start_smart(waited, entered=True)
            return
        if screen == 'password':
            # Somebody typed a user name and left: an empty password returns us to the
            # User Name prompt. The console counts it as a failed login for that name.
            self._send(CR)
            idx = self._expect([RE_USER], timeout=self.login_timeout)
            if idx is None:
                raise ConsoleError('the console stayed at a Password prompt', self._seen(), READ_ONLY_HINT)
            screen = 'user'
        if screen == 'cli':
            if self._reuse_cli_session():
                return
            screen = 'user'
        if screen == 'menu':
            # a logged-in menu session is waiting at its '> ' prompt: we cannot tell whose,
            # so log it out (main menu -> Logout) and log in afresh
            self._set_dialect('menu')
            self.log('vvvv', 'a menu session was still logged in; logging it out')
            self._menu_navigator().logout()
            screen = self.wake(timeout=self.login_timeout)
            if screen != 'user':
                raise ConsoleError('the console did not return to User Name after Logout',
                                   self._seen(), READ_ONLY_HINT)
        self._authenticate()

    def _mark_at_user_prompt(self):
        """The console shows User Name now (remembered until the next I/O)."""
        self._at_user_prompt_io = self.last_io

    def _at_user_prompt(self):
        return self.spawn is not None and self._at_user_prompt_io == self.last_io

    def _note_refused(self):
        self.refused_logins += 1
        self.last_refused_at = time.monotonic()

    def recover_window(self, timeout, window_user='apc', window_password='apc'):
        """Log in with the reset-button credentials as soon as their window opens.

        After the reset button is pressed twice, AP79xx, NMC1 and NMC2 cards accept apc/apc
        for about 30 seconds. Nothing on the console says when: the only way to know is to
        try. One login attempt every RECOVERY_RETRY_INTERVAL seconds catches the window
        within its first second while keeping the device's log of failed logins short (the
        Super User is never locked out by them). Returns the number of attempts made.

        A CR at User Name is an empty user name: the console asks for a password and counts a
        failed login. So when the console is known to show User Name (a refused attempt ends
        there, and so does :meth:`wait_for_answer`), the user name is typed without waking it;
        menu consoles that lock the login after 3 failures are spared one failure per attempt.
        ``refused_logins`` and ``last_refused_at`` tell what the attempts cost.
        """
        self.open()
        deadline = time.monotonic() + timeout
        self.user, self.password = window_user, window_password
        self.redact.discard(window_password)
        attempts = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RecoveryWindowMissed(
                    'no reset-button login window within %.0f s (%d login attempts with the '
                    'factory credentials were refused): press the reset button again, and a '
                    'second time while the status LED still flashes' % (timeout, attempts),
                    self._seen())
            if not self._at_user_prompt():
                screen = self.wake(timeout=remaining)
                if screen == 'password':
                    self._send(CR)
                    self._expect([RE_USER], timeout=self.login_timeout)
                    self._note_refused()          # the empty password counts as a failure
                    screen = 'user'
                if screen in ('cli', 'menu'):
                    # a session is still logged in on the console: that is access already
                    self._set_dialect(screen)
                    self.logged_in = True
                    self.state = 'logged_in'
                    self.session_reused = True
                    return attempts
            attempts += 1
            try:
                self._authenticate()
                return attempts
            except LoginRejected:
                self._note_refused()
            # device-independent pacing of the attempts, see the docstring
            wait = min(RECOVERY_RETRY_INTERVAL, max(deadline - time.monotonic(), 0))
            if wait:
                self._expect([RE_USER], timeout=wait)   # also drains what the console printed
            self._mark_at_user_prompt()

    def login_through_lockout(self, locked_until):
        """Log in afresh (user and password as set); while a console lockout may still run
        (until the monotonic time ``locked_until``), a rejected login is tried again every
        LOCKOUT_RETRY_INTERVAL seconds (at the User Name prompt the refusal left, without a
        waking CR). Returns the seconds spent waiting for the lock to end."""
        waited = 0.0
        fresh = True
        while True:
            try:
                if fresh:
                    self.connect()
                else:
                    self._authenticate()
                self.refused_logins = 0
                return waited
            except LoginRejected:
                left = locked_until - time.monotonic()
                if left <= 0:
                    raise
                wait = min(LOCKOUT_RETRY_INTERVAL, left)
                self.log('v', 'the console refused the login; it may be locked after failed logins '
                              '(%.0f s at most): trying again in %.0f s' % (left, wait))
                # the console sits at User Name; wait there (anything it prints is drained)
                began = time.monotonic()
                self._expect([RE_USER], timeout=wait)
                waited += time.monotonic() - began
                fresh = False

    def _start_smart(self, timeout, entered=False):
        """Smart protocol: no login; Y enters smart mode (answered SM)."""
        self.smart = SmartProtocol(self, reply_timeout=min(self.command_timeout, 5.0))
        if not entered:
            try:
                self.smart.enter(timeout)
            except SmartError as exc:
                raise ConsoleError(str(exc), self._seen())
        self._set_dialect('smart')
        self.logged_in = True
        self.state = 'logged_in'
        self.log('vvv', 'UPS on %s speaks the smart protocol' % self.url)

    def _reuse_cli_session(self):
        """A CR landed at ``apc>``: an earlier session is still logged in.

        Keep it only if it belongs to our user; otherwise log it out and log in afresh.
        """
        result = self._run_cli('whoami', timeout=self.command_timeout)
        who = (result['output'].strip().splitlines() or [''])[-1].strip()
        if who and self.user and who.lower() == self.user.lower():
            self.log('vvvv', 'reusing the logged-in console session of %s' % who)
            self._set_dialect('cli')
            self.logged_in = True
            self.state = 'logged_in'
            self.session_reused = True
            self.login_user = who
            return True
        self.log('vvvv', 'console was logged in as %r; logging out to log in as %s' % (who, self.user))
        self._send('exit' + CR)
        self._expect([RE_BYE, RE_USER], timeout=self.command_timeout)
        self.wake()
        return False

    def check_credentials(self):
        """The user name and the passwords go through the byte gate before the first byte
        of a login is typed (a CR in a password would end it and run the rest)."""
        for option, value in (('the user name (ansible_user)', self.user),
                              ('the password (ansible_password)', self.password),
                              ('the new password (ansible_apc_new_password)', self.new_password)):
            if value is None:
                continue
            try:
                wire.check(option, value, secret=option != 'the user name (ansible_user)')
            except wire.UnsafeInput as exc:
                raise InputRefused(str(exc))

    def _authenticate(self, restarted=False):
        if self.password is None:
            raise LoginError('no password configured for %s (set ansible_password)' % self.user)
        self.check_credentials()
        # a backspace first when the smart probe went out: a late console may hold its Y
        # (a keystroke of its own: the byte gate refuses control characters inside a line)
        if self.smart_probe_sent:
            self._send(BS)
        self._send(self.user + CR)
        self.smart_probe_sent = False
        deadline = time.monotonic() + self.login_timeout
        while True:
            idx = self._expect([RE_PASSWORD, RE_USER], timeout=max(deadline - time.monotonic(), 0.01))
            if idx != 1:
                break
            if self._restarted_meanwhile(restarted):
                return self._authenticate(restarted=True)
            # an earlier User Name prompt (without a banner): the Password prompt follows
        if idx != 0:
            raise LoginError('no Password prompt after the user name', self._seen(), READ_ONLY_HINT)
        self._send(self.password + CR)
        self.logins += 1
        patterns = [RE_CLI_PROMPT, RE_USER, RE_CURRENT_PW, RE_MENU_PROMPT, RE_MAX_LOGINS]
        idx = self._expect(patterns, timeout=self.login_timeout)
        banner = self.spawn.before or ''
        if idx is None:
            raise LoginError('no prompt after the password within %.0f s' % self.login_timeout,
                             self._seen(), READ_ONLY_HINT)
        if idx == 1 and self._restarted_meanwhile(restarted):
            return self._authenticate(restarted=True)
        if idx == 1:
            # a failed login prints nothing and asks for the user name again
            raise LoginRejected(
                'the console rejected the login for user %r (it went back to User Name). '
                'The password is wrong or the account is locked out. Not retrying: every try '
                'counts towards the lockout. If the password is lost, use the reset-button '
                'procedure (playbooks/factory_reset_pdu.yml)' % self.user, self._seen())
        if idx == 4:
            raise LoginError('the console refused the session: maximum number of logins '
                             'exceeded (another session is open; see the session command)',
                             self._seen())
        if idx == 2:
            banner, idx = self._forced_password_change()
        self.banner = self.scrub(banner.replace('\r', ''))
        self.login_user = self.user
        self.logged_in = True
        self.state = 'logged_in'
        if idx == 3 or (RE_MENU_SCREEN.search(banner) and idx != 0):
            self._set_dialect('menu')
            self._menu_navigator().at_main(banner)
            self.log('vvv', 'logged in to %s as %s (menu console)' % (self.url, self.user))
            return
        self._set_dialect('cli')
        self.log('vvv', 'logged in to %s as %s' % (self.url, self.user))

    def _restarted_meanwhile(self, already):
        """Back at User Name during a login with the banner printed before it: the card
        restarted (warm start) while we logged in, it did not refuse us. Once only: a
        refused login never loops."""
        if already or not RE_RESTART_BANNER.search(self.spawn.before or ''):
            return False
        self.log('vvv', 'the console restarted during the login; logging in once more')
        return True

    def _forced_password_change(self):
        """AOS 6.9.6+ and NMC3: change the default password at the first login."""
        if not self.allow_password_change:
            raise FirstLoginPasswordRequired(
                'the device requires a password change at this first login (AOS 6.9.6+/NMC3 '
                'with the default password). That is a change, so it is not made in check '
                'mode: run once without --check, or log in with an already changed password',
                self._seen())
        if not self.new_password:
            raise FirstLoginPasswordRequired(
                'the device requires a password change at this first login (AOS 6.9.6+/NMC3 '
                'with the default password); set the connection option new_password '
                '(ansible_apc_new_password) to the password to set', self._seen())
        if self.new_password == self.password:
            raise FirstLoginPasswordRequired(
                'the new password for the first-login change must differ from the current one')
        self._send(self.password + CR)
        if self._expect([RE_NEW_PW], timeout=self.login_timeout) is None:
            raise LoginError('no "Enter new password" prompt', self._seen())
        self._send(self.new_password + CR)
        if self._expect([RE_CONFIRM_PW], timeout=self.login_timeout) is None:
            raise LoginError('no "Confirm new password" prompt', self._seen())
        self._send(self.new_password + CR)
        idx = self._expect([RE_CLI_PROMPT, RE_MENU_PROMPT, RE_NEW_PW, RE_USER], timeout=self.login_timeout)
        if idx in (None, 2, 3):
            raise LoginError('the device did not accept the new password (password policy?)',
                             self._seen())
        self.password = self.new_password
        self.password_changed_at_login = True
        self.log('v', 'first-login password change done for %s' % self.user)
        return self.spawn.before or '', (0 if idx == 0 else 3)

    def resync_menu(self):
        """A menu console stopped answering as expected (it restarted, logged the session
        out, or the line dropped): find out what it shows and get back to the main menu of a
        logged-in session, from any screen.

        Ctrl-C first: it leaves any menu, value prompt, confirmation or pager for the main
        menu without entering anything, and the login prompts and a sleeping or booting
        console ignore it (a CR could submit a half-typed field). Then, by what shows: the
        main menu (still logged in), User Name (log in), Password (an empty password takes
        it back to User Name), or nothing - a restarting console: knock with CR as at the
        first login, for up to boot_timeout. Returns what was found: ``menu``, ``login``
        or ``restarted``.
        """
        nav = self._menu_navigator()
        nav.forget()
        if self.spawn is None:
            self.open()
            self.logged_in = False
        self._send(CTRL_C)
        patterns = [RE_USER, RE_PASSWORD, RE_MENU_PROMPT]
        idx = self._expect(patterns, timeout=min(self.command_timeout, MENU_ANSWER_WAIT))
        if idx is not None:
            idx = self._settle(patterns, idx)
            screen = ('user', 'password', 'menu')[idx]
            found = 'menu' if screen == 'menu' else 'login'
        else:
            self.log('vvv', 'the menu console is silent; waiting for it to answer (restart)')
            self.state = 'rebooting'
            screen = self.wake(timeout=self.boot_timeout)
            found = 'restarted'
        if screen == 'menu':
            self.logged_in = True
            self.state = 'logged_in'
            nav.home()
            return found
        if screen == 'password':
            self._send(CR)
            if self._expect([RE_USER], timeout=self.login_timeout) is None:
                raise ConsoleError('the console stayed at a Password prompt', self._seen(), READ_ONLY_HINT)
        elif screen != 'user':
            raise ConsoleError('the menu console came back showing the %s dialect' % screen, self._seen())
        self.logged_in = False
        self.log('vvv', 'the menu console is at its login prompt; logging in again')
        self._authenticate()
        if self.dialect != 'menu':
            raise ConsoleError('the console came back as a %s console, not the menu console'
                               % self.dialect, self._seen())
        return found

    def _menu_navigator(self):
        if self.menu is None:
            self.menu = MenuNavigator(self, timeout=self.command_timeout)
        return self.menu

    def _set_dialect(self, name):
        """Record the detected dialect; refuse one this version cannot drive."""
        self.dialect = name
        if name not in SUPPORTED_DIALECTS:
            raise UnsupportedDialect(
                'this console shows the %s dialect (%s); this version of rackops.apc drives '
                'the %s dialect only' % (name, DIALECTS[name], ', '.join(SUPPORTED_DIALECTS)))

    # -------------------------------------------------------------------- commands
    def ensure_ready(self):
        """Make sure we are logged in at a prompt, logging in again if needed."""
        if self.spawn is None:
            self.open()
        if self.dialect == 'smart':
            # A line that dropped (during a write, or between tasks) is opened again and
            # smart mode re-entered, as the other dialects log in again.
            if self.logged_in and self.smart is not None and not self.smart.alive():
                self.log('vvv', 'the UPS connection was lost; opening it again')
            if self.spawn is None:
                self.open()
            if not self.logged_in:
                self._start_smart(self.login_timeout)
            return
        if self.logged_in and self.state == 'logged_in':
            idle = time.monotonic() - self.last_io
            if self._logged_out_meanwhile():
                self.log('vvv', 'the console logged the session out (idle timeout or restart)')
                self.logged_in = False
                self._authenticate()
                return
            if idle < self.idle_probe_after:
                return
            # The card logs idle sessions out (3 minutes by default): probe with a CR.
            screen = self.wake(timeout=self.login_timeout)
            if screen == self.dialect and screen in ('cli', 'menu'):
                if self.menu is not None:
                    self.menu.forget()      # the CR refreshed some screen
                return
            self.logged_in = False
            self.log('vvv', 'the console logged the session out after %.0f s idle' % idle)
            if screen == 'password':
                self._send(CR)
                self._expect([RE_USER], timeout=self.login_timeout)
            self._authenticate()
            return
        if self.dialect == 'menu' and self.menu is not None:
            # restarted or logged out while we were away (or a write failed): from any screen
            self.resync_menu()
            return
        self.login()

    def _logged_out_meanwhile(self):
        """Look at what the console printed on its own since the last command.

        An idle logout (or a restart of the card) may have left a ``User Name : `` prompt
        waiting in the input buffer.  Reading it without waiting tells us to log in again
        before sending a command that would otherwise be taken as a user name.
        """
        idx = self._expect([RE_USER], timeout=0)
        pending = (self.spawn.before or '') if idx is not None else (self.spawn.buffer or '')
        self.spawn.buffer = self.spawn.string_type()
        if idx is not None:
            return True
        if pending.strip():
            self.log('vvvv', 'unsolicited console output: %s' % self.scrub(_tail(pending, 3)))
        return False

    def run(self, command, confirm=False, timeout=None, secrets=None, end_on_result=False,
            display=None, read=False):
        """Run one command-line command and return its parsed result as a dict.

        ``secrets`` are the secret values inside ``command``; ``display`` is the command as
        results and logs show it (secrets masked: the connection knows where it put them).
        Without ``display``, a command carrying secrets is shown with them masked by value.
        ``read``: the command only reads, so it may be repeated; its answer is checked for
        line noise and read again until it can be believed (``verified``); ``'verify'``:
        two answers must agree even on a line that has shown no noise.
        """
        for secret in secrets or ():
            self.redact.add(secret)
        if display is None:
            display = self.redact(command) if secrets else command
        self.ensure_ready()
        if self.dialect != 'cli':
            raise UnsupportedDialect('commands need the command-line dialect; this console is %s'
                                     % self.dialect)
        timeout = self.command_timeout if timeout is None else float(timeout)
        if display != command:
            self._remember_secret_line(command, display)
        if read and not confirm:
            return self.verified(repr(display), lambda: self._run_read(command, timeout, display),
                                 damage=lambda result: _read_damage(result, self.last_damage),
                                 always=read == 'verify')
        sent_at = time.monotonic()
        mark = self.noise_in
        try:
            result = self._run_cli(command, timeout=timeout, confirm=confirm, relogin=True,
                                   end_on_result=end_on_result, display=display)
        except CommandTimeout as exc:
            raise self._explain_timeout(display, exc, sent_at)
        self.commands_run += 1
        if result.get('code') is None and (self.last_damage or self.noise_in > mark):
            # the device took the command, but its answer is unreadable: the caller reads
            # the setting back (a fault during a write), it is not reported as a failure
            self.noise_seen += 1
            raise LineNoise('line noise: the answer to %r was damaged (%s), so its result is '
                            'unknown' % (display, self.last_damage or 'bytes outside the console\'s '
                                         'character set'), hint=NOISE_HINT)
        return result

    def _run_read(self, command, timeout, display):
        """One attempt at a read command for ``verified``: a timeout on a noisy line (the
        prompt itself damaged) counts as damage once the console is back at its prompt."""
        sent_at = time.monotonic()
        mark = self.noise_in
        try:
            result = self._run_cli(command, timeout=timeout, relogin=True, display=display)
        except CommandTimeout as exc:
            error = self._explain_timeout(display, exc, sent_at)
            if not isinstance(error, CommandTimeout) or self.state != 'logged_in':
                raise error
            # the console is at its prompt again, at once: the prompt after the answer was
            # damaged on the way (a slow command is simply read again)
            how = 'damaged bytes' if self.noise_in > mark else 'bytes lost'
            raise ReadDamaged('no readable prompt after it (%s)' % how)
        self.commands_run += 1
        return result

    def _run_cli(self, command, timeout, confirm=False, relogin=False, end_on_result=False,
                 display=None):
        display = command if display is None else display
        self.log('vvvv', 'console command: %s' % display)
        self._send(command + CR)
        watch = [('prompt', RE_CLI_PROMPT), ('confirm', RE_CONFIRM), ('pager', RE_PAGER),
                 ('user', RE_USER), ('password', RE_PASSWORD)]
        if end_on_result:
            # e.g. 'console -b': the card answers at the old line speed and switches right
            # after, so the prompt that follows is unreadable: the result line ends it
            watch.append(('result', RE_RESULT_LINE))
        chunks = []
        confirmed = cancelled = rebooting = False
        pages = 0
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            idx = self._expect([pattern for _name, pattern in watch], timeout=max(remaining, 0.01))
            if idx is None:
                seen = ''.join(chunks) + (self.spawn.before or '') + (self.spawn.buffer or '')
                raise CommandTimeout('no prompt after %r within %.0f s' % (display, timeout),
                                     self.scrub(_tail(seen)),
                                     'The command may still be running on the device; the session '
                                     'resynchronises before the next command.')
            seen_name = watch[idx][0]
            chunks.append(self.spawn.before or '')
            if seen_name == 'prompt':
                break
            if seen_name == 'confirm':
                chunks.append(self.spawn.after or '')
                if confirm:
                    self._send('YES' + CR)
                    confirmed = True
                    # after YES a reboot-type command ends with 'Rebooting...' and silence
                    watch.append(('rebooting', RE_REBOOTING))
                else:
                    self._send(CR)
                    cancelled = True
                continue
            if seen_name == 'pager':
                pages += 1
                self._send(CR)
                continue
            if seen_name == 'result':
                chunks.append(self.spawn.after or '')
                self.logged_in = False
                self.state = 'unknown'
                self.log('vvv', 'command ended on its result line; the console state is unknown')
                break
            if seen_name == 'rebooting':
                chunks.append(self.spawn.after or '')
                rebooting = True
                self.logged_in = False
                self.state = 'rebooting'
                self.reboot_required = False
                self.log('v', 'the management card is rebooting')
                break
            # 'user'/'password': the console logged us out (idle timeout, warm start)
            # before the command ran, so the command text went to the login prompt: clear
            # that and log in again, then send the command once more.
            self.logged_in = False
            if not relogin or confirmed or pages:
                raise ConnectionLost('the console logged the session out while %r was running; '
                                     'its effect is unknown' % display, self._seen())
            self._clear_login_prompt(seen_name == 'password')
            self.log('vvv', 'session was logged out; logging in again to run %s' % display)
            self._authenticate()
            return self._run_cli(command, timeout=timeout, confirm=confirm, relogin=False,
                                 end_on_result=end_on_result, display=display)
        raw = ''.join(chunks).replace('\r', '')
        self.last_damage = _echo_damage(raw, command, display != command)
        raw = self._strip_echo(raw, command, carried_secret=display != command)
        parsed = parse_result(raw)
        if parsed.reboot_required:
            self.reboot_required = True
        result = parsed.to_dict()
        result.update({
            'command': display,
            'confirmed': confirmed,
            'cancelled': cancelled,
            'rebooting': rebooting,
            'pages': pages,
            'reboot_pending': self.reboot_required,
        })
        result['output'] = self.scrub(result.get('output', ''))
        result['message'] = self.scrub(result.get('message', ''))
        return result

    def _clear_login_prompt(self, at_password):
        """Get from wherever the stray command text left the login dialogue to User Name.

        Seen ``User Name : ``: if the console took our text as a user name, a Password
        prompt follows within a moment; an empty password brings back User Name.
        """
        if not at_password:
            at_password = self._expect([RE_PASSWORD], timeout=self.wake_interval) == 0
        if at_password:
            self._send(CR)
            if self._expect([RE_USER], timeout=self.login_timeout) is None:
                raise ConsoleError('could not get back to the User Name prompt', self._seen(),
                                   READ_ONLY_HINT)

    @staticmethod
    def _strip_echo(raw, command, carried_secret=False):
        """Remove the echoed command line at the top of the output.

        The card echoes what it received, then CRLF, before any output: so the first line is
        the echo by position. It is compared with the command to tolerate a console that does
        not echo; but the echo of a command that carried a secret is always dropped, even
        when line noise changed it, so a damaged copy of the secret never reaches a result.
        """
        lines = raw.split('\n')
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines and lines[0].strip() == command.strip():
            lines.pop(0)
        elif lines and command.strip() and lines[0].strip().endswith(command.strip()):
            lines.pop(0)
        elif lines and carried_secret and not RE_RESULT_LINE.match(lines[0] + '\n'):
            lines.pop(0)
        return '\n'.join(lines)

    def _explain_timeout(self, display, exc, sent_at):
        """A command got no prompt in time. Find out why and return the error to raise: the
        console was only slow (it shows apc> now), or it went silent and came back at its
        login prompt - then the session logs in again and the banner's up time tells a
        restart of the card (ConsoleRebooted) from a logout (ConnectionLost)."""
        self.log('vvv', 'resynchronising the console after a timeout')
        try:
            self._send(CR)
            idx = self._expect([RE_CLI_PROMPT, RE_USER, RE_PASSWORD], timeout=self.wake_interval * 2)
            if idx == 0:
                self.state = 'logged_in'
                return exc
            self.logged_in = False
            self.state = 'unknown'
            if idx is None:
                # silent: a card that restarts is dead for a while, then silent until a CR
                screen = self.wake(timeout=self.boot_timeout)
            else:
                screen = ('cli', 'user', 'password')[idx]
            if screen == 'cli':
                self.state = 'logged_in'
                self.logged_in = True
                return exc
            if screen == 'password':
                self._send(CR)
                self._expect([RE_USER], timeout=self.login_timeout)
            self._authenticate()
        except ConsoleError as later:
            return CommandTimeout('%s; afterwards: %s' % (exc, later))
        up = uptime_seconds(self.banner)
        what = display      # the command as shown: secrets masked where they were placed
        if up is not None and up <= time.monotonic() - sent_at + UPTIME_RESOLUTION:
            self.reboot_required = False
            return ConsoleRebooted('the management card restarted while %r was running (up time %s '
                                   'at the login after it); logged in again' % (what, _up_text(self.banner)))
        return ConnectionLost('the console logged the session out while %r was running (no prompt '
                              'within %.0f s); logged in again' % (what, self.command_timeout))

    def _resync(self):
        """After a timeout: get back to a known prompt or mark the session unknown."""
        self.log('vvv', 'resynchronising the console after a timeout')
        try:
            self._send(CR)
            idx = self._expect([RE_CLI_PROMPT, RE_USER, RE_PASSWORD], timeout=self.wake_interval * 2)
        except ConsoleError:
            return
        if idx == 0:
            self.state = 'logged_in'
            return
        self.logged_in = False
        self.state = 'unknown'

    def wait_for_reboot(self, timeout=None):
        """Wait for the card to come back after a reboot and log in again."""
        self.state = 'rebooting'
        self.logged_in = False
        if timeout is not None:
            self.boot_timeout = float(timeout)
        self.login()

    def info(self):
        return {
            'url': self.url,
            'baud_rate': self.line['baudrate'],
            'dialect': self.dialect,
            'logged_in': self.logged_in,
            'state': self.state,
            'user': self.login_user,
            'password_changed_at_login': self.password_changed_at_login,
            'session_reused': self.session_reused,
            'reboot_required': self.reboot_required,
            'logins': self.logins,
            'commands_run': self.commands_run,
            'bytes_in': self.bytes_in,
            'noise_seen': self.noisy,
        }
