# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The UPS-Link "smart" protocol on a UPS's DB9 port (940-0024 cable, 2400 8N1).

Commands are single characters with no terminator; replies end with CR LF; ``NA`` means
the unit lacks the command. Alert bytes (``!`` on battery, ``$`` back on line...) can
arrive at any time, even inside a reply: they are stripped from replies and kept as
events. There is no login: ``Y`` enters smart mode and the unit answers ``SM``.

Two timings are required by the units themselves (everything else waits for replies):

* ``TEXT_CHAR_GAP``: free-text EEPROM entries (``c`` UPS id, ``x`` battery date) take 8
  characters after ``-``; the unit writes each into EEPROM as it arrives and drops
  characters sent back to back. NUT sends them 50 ms apart, which is the gap used here.
* ``DOUBLE_COMMAND_GAP``: ``K K``, ``Z Z`` and ``^N ^N`` only act when the second
  character comes more than 1.5 s after the first (a guard against line noise).
"""

from __future__ import annotations

import re
import time
from re import escape as re_escape

from ansible_collections.rackops.apc.plugins.module_utils import wire
from ansible_collections.rackops.apc.plugins.plugin_utils import transport as tp

ALERTS = '!$%+?=*#&|'
ALERT_NAMES = {
    '!': 'on_battery', '$': 'back_on_line', '%': 'low_battery', '+': 'low_battery_cleared',
    '?': 'abnormal_condition', '=': 'abnormal_condition_cleared', '*': 'about_to_turn_off',
    '#': 'replace_battery', '&': 'check_alarm_register', '|': 'eeprom_changed',
}
# Replies that legitimately contain alert characters: the protocol string ('a', whose
# alert field lists them) and the ^Z table (which starts with '#').
RAW_REPLIES = ('a', '\x1a')
TEXT_CHAR_GAP = 0.05        # s between free-text characters (see module docstring)
DOUBLE_COMMAND_GAP = 1.6    # s between the two characters of K K, Z Z, ^N ^N (> 1.5 s)
TEXT_LENGTH = 8

# Commands that may answer with nothing but alert bytes, and the alert that ends them.
ALERT_ONLY = {'U': '$'}
# Commands that units answer only in some states (S: only on battery).
MAY_STAY_SILENT = ('S',)

CONTROL = {
    'self_test': ('W', False),
    'calibration': ('D', False),
    'front_panel_test': ('A', False),
    'simulate_power_failure': ('U', False),
    'cancel': ('\x7f', False),
    'shutdown': ('S', True),
    'shutdown_return': ('@', True),
    'kill': ('K', True),
    'load_off': ('Z', True),
    'turn_on': ('\x0e', True),
}
DOUBLE = {'K', 'Z', '\x0e'}


class SmartError(Exception):
    """The UPS did not answer as the protocol says."""


class SmartLineLost(SmartError):
    """The connection to the UPS closed (console server dropped the client, cable pulled).
    The session is marked closed: the next request opens the port again and re-enters
    smart mode."""


def letter(name):
    """'^A' -> '\\x01', 'B' -> 'B'; DEL may be given as 'DEL'."""
    if name == 'DEL':
        return '\x7f'
    if len(name) == 2 and name[0] == '^':
        return chr(ord(name[1].upper()) - 64)
    if len(name) != 1:
        raise SmartError('%r is not a smart-protocol command character' % name)
    return name


def printable(char):
    if char == '\x7f':
        return 'DEL'
    if ord(char) < 32:
        return '^' + chr(ord(char) + 64)
    return char


class SmartProtocol:
    """Smart-protocol primitives over a session's spawn (pexpect over the serial port)."""

    def __init__(self, session, reply_timeout=3.0):
        self.session = session
        self.reply_timeout = float(reply_timeout)
        self.events = []

    @property
    def spawn(self):
        return self.session.spawn

    def _send(self, data):
        if self.spawn is None:
            raise SmartLineLost('the UPS connection is closed')
        try:
            self.session._send(data)  # pylint: disable=protected-access
        except tp.EOF as exc:
            self._lost()
            raise SmartLineLost('the UPS connection closed while sending (%s)' % exc)

    def _lost(self):
        self.session._mark_lost()  # pylint: disable=protected-access

    def alive(self):
        """False when the connection is known to be closed (looked at without waiting)."""
        if self.spawn is None:
            return False
        try:
            self.drain_alerts()
        except SmartLineLost:
            return False
        return True

    def _reply(self, strip_alerts=True, timeout=None):
        """Read one reply line; alert bytes before or inside it become events."""
        idx = self.spawn.expect([r'\n', tp.EOF, tp.TIMEOUT], timeout=timeout or self.reply_timeout)
        if idx == 1:
            self._lost()
            raise SmartLineLost('the UPS connection closed')
        if idx == 2:
            pending = self._take_alerts(self.spawn.before or '')
            error = SmartError('no reply from the UPS within %.1f s (seen: %r)'
                               % (timeout or self.reply_timeout, pending[-40:]))
            error.partial = pending.strip('\r\n\x00')
            raise error
        text = (self.spawn.before or '').replace('\r', '')
        if strip_alerts:
            text = self._take_alerts(text)
        return text

    def _take_alerts(self, text):
        kept = []
        for char in text:
            if char in ALERTS:
                self.events.append(char)
            else:
                kept.append(char)
        return ''.join(kept)

    def drain_alerts(self):
        """Collect alert bytes that arrived between commands."""
        idx = self.spawn.expect([tp.TIMEOUT, tp.EOF], timeout=0)
        pending = self.spawn.before or ''
        self._take_alerts(pending)
        if idx == 1:
            self._lost()
            raise SmartLineLost('the UPS connection closed')
        self.spawn.buffer = self.spawn.string_type()

    def enter(self, timeout):
        """Send Y until the UPS answers SM."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._send('Y')
            try:
                reply = self._reply(timeout=min(self.session.wake_interval, max(deadline - time.monotonic(), 0.1)))
            except SmartError:
                continue
            if reply.strip().endswith('SM'):
                return True
        raise SmartError('the UPS did not answer Y with SM within %.0f s: check the cable '
                         '(940-0024, not a straight serial cable) and 2400 8N1' % timeout)

    def query(self, name):
        """Send one command character; return its reply, or None for NA.

        Replies carry no echo or frame that would show a lost byte, so every value is read
        until two undamaged replies agree (``ConsoleSession.verified``, at most NOISE_READS
        times): a few characters more per setting on a 2400 baud line, and no value that
        noise changed is ever taken as the UPS's.
        """
        char = letter(name)
        return self.session.verified('the UPS\'s %s reply' % printable(char),
                                     lambda: self._query_once(char), always=True,
                                     any_bytes=char in RAW_REPLIES)

    def _query_once(self, char):
        try:
            return self._ask(char)
        except SmartLineLost:
            raise
        except SmartError as exc:
            if getattr(exc, 'partial', ''):
                # something came, but no line end: a damaged reply, not a silent unit
                raise tp.ReadDamaged('a reply without its line end (%r)' % exc.partial[-20:])
            raise

    def _ask(self, char):
        self.drain_alerts()
        self._send(char)
        reply = self._reply(strip_alerts=char not in RAW_REPLIES)
        if char == 'a':
            # the version comes first (digits): anything before it is an alert
            stripped = reply.lstrip(ALERTS)
            self._take_alerts(reply[:len(reply) - len(stripped)])
            reply = stripped
        # the ^Z table is taken as it comes: its leading '#' is part of it, and alerts that
        # arrived before the command were drained above
        reply = reply.strip('\r')
        return None if reply.strip() == 'NA' else reply

    def cycle(self, name, wanted, limit=64):
        """Step an enumerated EEPROM value with '-' until it reads ``wanted``.

        Direction-agnostic: whichever way '-' moves, stop at the wanted value; fail when
        the value comes back to where it started (it is not among the unit's values) or the
        unit answers NO.
        """
        char = letter(name)
        start = self.query(char)
        if start is None:
            raise SmartError('the UPS does not have setting %s (NA)' % printable(char))
        if start == wanted:
            return {'before': start, 'after': start, 'steps': 0, 'changed': False, 'seen': [start]}
        seen = [start]
        current = start
        for steps in range(1, limit + 1):
            self._send('-')
            answer = self._reply()
            if answer.strip() == 'NO':
                raise SmartError('the UPS refused to change %s from %r (NO)' % (printable(char), current))
            if answer.strip() != 'OK':
                raise SmartError('unexpected answer %r while changing %s' % (answer, printable(char)))
            current = self.query(char)
            if current == wanted:
                return {'before': start, 'after': current, 'steps': steps, 'changed': True, 'seen': seen + [current]}
            if current == start:
                raise SmartError('%r is not among the values of %s on this UPS; it cycles through %s'
                                 % (wanted, printable(char), ', '.join(repr(v) for v in seen)))
            seen.append(current)
        raise SmartError('%s did not reach %r after %d steps' % (printable(char), wanted, limit))

    def write_text(self, name, text):
        """Free-text EEPROM entry (c, x): '-' then exactly 8 characters, paced."""
        char = letter(name)
        try:
            # the byte gate: each character goes out on its own, so the session's line gate
            # would not see them together
            value = wire.check('the text for %s' % printable(char), text)
        except wire.UnsafeInput as exc:
            raise SmartError(str(exc))
        if len(value) > TEXT_LENGTH:
            raise SmartError('%s takes up to %d printable characters' % (printable(char), TEXT_LENGTH))
        value = value.ljust(TEXT_LENGTH)
        before = self.query(char)
        if before is None:
            raise SmartError('the UPS does not have setting %s (NA)' % printable(char))
        if before == value or before.rstrip() == value.rstrip():
            return {'before': before, 'after': before, 'changed': False}
        self._send('-')
        for ch in value:
            time.sleep(TEXT_CHAR_GAP)   # device timing: see TEXT_CHAR_GAP
            self._send(ch)
        answer = self._reply()
        if answer.strip() != 'OK':
            raise SmartError('the UPS answered %r to the new %s text' % (answer, printable(char)))
        after = self.query(char)
        if (after or '').rstrip() != value.rstrip():
            raise SmartError('%s reads %r after writing %r' % (printable(char), after, value))
        return {'before': before, 'after': after, 'changed': True}

    def control(self, name, delay=None):
        """A control command; the load-affecting ones take the double-character timing."""
        if name not in CONTROL:
            raise SmartError('unknown control command %r (known: %s)' % (name, ', '.join(sorted(CONTROL))))
        char, _affects_load = CONTROL[name]
        self.drain_alerts()
        if char == '@':
            digits = str(delay if delay is not None else '000')
            if not re.match(r'^\d{3}$', digits):
                raise SmartError('shutdown_return needs a delay of three digits (units of 6 minutes)')
            self._send('@')
            for ch in digits:
                time.sleep(TEXT_CHAR_GAP)   # device timing: characters of a parameter
                self._send(ch)
        elif char in DOUBLE:
            self._send(char)
            time.sleep(DOUBLE_COMMAND_GAP)  # device timing: see DOUBLE_COMMAND_GAP
            self._send(char)
            if char != 'K':
                # Z Z and ^N ^N switch the load without answering
                return {'reply': None, 'events': self.take_events()}
        else:
            self._send(char)
        if char in ALERT_ONLY:
            return self._until_alert(ALERT_ONLY[char])
        if char in MAY_STAY_SILENT:
            try:
                reply = self._reply()
            except SmartError:
                return {'reply': None, 'events': self.take_events(),
                        'note': 'no answer: units accept S only while on battery'}
            return {'reply': reply, 'events': self.take_events()}
        reply = self._reply()
        return {'reply': reply, 'events': self.take_events()}

    def _until_alert(self, final, timeout=30.0):
        """U (simulated power failure) answers with '!' and, when it is over, '$'."""
        idx = self.spawn.expect([re_escape(final), tp.EOF, tp.TIMEOUT], timeout=timeout)
        seen = (self.spawn.before or '') + (self.spawn.after or '' if idx == 0 else '')
        self._take_alerts(seen)
        if idx == 1:
            self._lost()
            raise SmartLineLost('the UPS connection closed while waiting for %r' % final)
        if idx != 0:
            raise SmartError('the UPS did not report %r within %.0f s (seen: %r)' % (final, timeout, seen[-20:]))
        return {'reply': None, 'events': self.take_events()}

    def take_events(self):
        events, self.events = self.events, []
        return events
