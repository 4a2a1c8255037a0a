# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The numbered "Control Console" menus (AP79xx without B, NMC1 cards; AOS 2.x/3.x).

:class:`MenuNavigator` drives the menus over a logged-in session's spawn, as
:class:`.smart.SmartProtocol` does for the smart protocol. Items are always found by
their label (item numbers differ between firmware versions); a path is a list of labels
from the main menu (``['Network', 'TCP/IP']``). An entry may be

* a label, or a tuple of alternative labels (``('Web/SSL/TLS', 'Web')``),
* ``'?Label'``: an optional step, taken only when the screen has it and not the next
  label (AOS 3.x has ``Device Manager > Outlet Management > Outlet Control/Configuration``,
  AOS 2.x has ``Outlet Control/Configuration`` straight in ``Device Manager``),
* ``'#3'``: the item with that number (an outlet in the outlet list, whose label is the
  user-defined outlet name).

Settings follow the "Accept Changes" pattern: select a field, answer its prompt (or pick
a value on its choice screen), select ``Accept Changes``. Values stay pending until then
and are dropped when the screen is left, so a failure before the accept changes nothing.
Every operation starts from a known screen and returns to one after an error.
"""

from __future__ import annotations

import re
import time

from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp
from ansible_collections.rackops.apc.plugins.plugin_utils import transport as tp

CR = '\r'
ESC = '\x1b'
CTRL_C = '\x03'

RE_SCREEN_END = re.compile(r'[\r\n]>\s?$')
RE_CONFIRM = re.compile(r"Enter\s+'?YES'?\s+to\s+continue[^\r\n]*:\s?$", re.I)
RE_PAGER = re.compile(r'Press\s+<ENTER>\s+to\s+continue\.*', re.I)
# a value prompt on a line of its own, starting in column 0 ('System IP : ', 'Password : ')
RE_PROMPT = re.compile(r'(?:^|[\r\n])([A-Za-z][^\r\n:>]{0,60}?)\s*:\s?$')
RE_REBOOTING = re.compile(r'Rebooting\.*', re.I)
RE_BYE = re.compile(r'Bye', re.I)
RE_USER_PROMPT = re.compile(r'^User\s*Name$', re.I)
RE_PASSWORD_PROMPT = re.compile(r'password$', re.I)
RE_CONFIRM_PW_PROMPT = re.compile(r'^(confirm|verify|re-?enter)', re.I)
# the login prompts, when a menu screen was expected: the session is gone
RE_LOGIN_PROMPT = re.compile(r'^(User\s*Name|Password)$', re.I)

MAIN_TITLE = 'Control Console'
MAX_BACK = 10
PROMPT_SETTLE = 0.3     # s of silence that makes a value prompt a prompt (not a header line)


class MenuError(Exception):
    """The menus did not behave as expected (missing item, unexpected screen)."""


class MenuTimeout(MenuError):
    """No screen or prompt in time."""


class MenuLoggedOut(MenuError):
    """The console went back to User Name (idle logout, warm start)."""


class MenuLost(MenuError):
    """The console connection closed (console server dropped the client, cable pulled)."""


# What may have happened to the console when a menu operation fails this way: it restarted
# (reboot, network-watchdog warm start), logged the session out, or the line dropped. The
# session can resynchronise after them (ConsoleSession.resync_menu).
class MenuNoise(MenuError):
    """A screen arrived damaged by line noise (no title rule, a footer or item numbers that
    lost bytes, a label that differs from the wanted one by a byte or two)."""


# Worth a resynchronisation and a second attempt (an attempt only enters what still differs).
RESYNC_ERRORS = (MenuTimeout, MenuLoggedOut, MenuLost, MenuNoise)


class MenuRefused(MenuError):
    """The device refused a value or an action (its message is the text)."""

    def __init__(self, message, label=None):
        self.label = label
        super().__init__(message)


class MenuNavigator:
    """Menu primitives over a session's spawn (pexpect over the serial port)."""

    def __init__(self, session, timeout=None, relogin=None):
        self.session = session
        self.timeout = float(timeout or session.command_timeout)
        self.relogin = relogin          # callable: log in again after MenuLoggedOut
        self.screen = None              # the last screen seen (parsed)
        self.trail = None               # [(path entry, title)] from the main menu; None = unknown
        self.writes = 0                 # values entered + accepts + confirmed actions
        self.last_before = None         # set_values: the fields when it started
        self.accept_sent = False        # set_values: Accept Changes was chosen
        self.last_entered = []          # set_values: the fields entered

    # ------------------------------------------------------------------ low level
    @property
    def spawn(self):
        return self.session.spawn

    def _send(self, data):
        self.session._send(data)  # pylint: disable=protected-access

    def _log(self, message):
        self.session.log('vvvv', message)

    def at_main(self, banner_text):
        """The session just logged in: ``banner_text`` ends with the main menu."""
        self.screen = mp.parse_screen(banner_text)
        self.trail = [] if self.screen['title'] == MAIN_TITLE else None

    def forget(self):
        """Where we are is unknown (after a probe or an error)."""
        self.trail = None

    def _wait(self, timeout=None, expect_user_prompt=False):
        """Wait for what the console shows next.

        Returns ``(kind, text)``: ``screen`` (text = everything up to and including the
        prompt), ``prompt`` (text = the prompt label), ``confirm``, ``pager``,
        ``rebooting`` or ``logout``.
        """
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        chunks = []
        patterns = [RE_SCREEN_END, RE_CONFIRM, RE_PAGER, RE_REBOOTING, RE_PROMPT, tp.EOF, tp.TIMEOUT]
        while True:
            remaining = max(deadline - time.monotonic(), 0.01)
            idx = self.spawn.expect(patterns, timeout=remaining)
            self.session.last_io = time.monotonic()
            before = self.spawn.before or ''
            after = self.spawn.after if isinstance(self.spawn.after, str) else ''
            if idx == 5:
                self.session._mark_lost()  # pylint: disable=protected-access
                raise MenuLost('the console connection closed')
            if idx == 6:
                seen = ''.join(chunks) + before + (self.spawn.buffer or '')
                raise MenuTimeout('no menu screen or prompt within %.0f s (seen: %r)'
                                  % (timeout, self.session.redact(mp.normalise(seen[-200:]))))
            chunks.append(before + after)
            text = ''.join(chunks)
            if idx == 0:
                return 'screen', text
            if idx == 1:
                return 'confirm', text
            if idx == 2:
                return 'pager', text
            if idx == 3:
                return 'rebooting', text
            # a value prompt: make sure nothing follows (a header line 'Name   : x' cut at
            # a chunk border looks the same for a moment)
            label = self.spawn.match.group(1).strip()
            more = self.spawn.expect([r'[\s\S]+', tp.TIMEOUT, tp.EOF], timeout=PROMPT_SETTLE)
            if more == 0:
                # more output: it was a line of a screen, not a prompt; look again at all of it
                self.spawn.buffer = text + self.spawn.after + (self.spawn.buffer or '')
                chunks = []
                continue
            if RE_USER_PROMPT.match(label) and not expect_user_prompt:
                return 'logout', text
            return 'prompt', label

    def _screen_from(self, text, echoed=None):
        try:
            screen = mp.parse_screen(text)
        except mp.MenuParseError as exc:
            # the console printed up to a screen's end: its title rule lost bytes on the way
            raise MenuNoise('line noise: a menu screen arrived damaged (%s)' % exc)
        screen['errors'] = [m for m in mp.strip_messages(screen, echoed)
                            if not set(m) <= set('*') and not RE_PAGER.search(m)]
        self.screen = screen
        return screen

    def _expect_screen(self, echoed=None, timeout=None):
        kind, text = self._wait(timeout)
        if kind == 'logout' or (kind == 'prompt' and RE_LOGIN_PROMPT.match(text)):
            self.trail = None
            raise MenuLoggedOut('the console logged the session out (User Name prompt)')
        if kind != 'screen':
            raise MenuError('expected a menu screen, got a %s (%r)' % (kind, text[-120:]))
        return self._screen_from(text, echoed)

    # ------------------------------------------------------------------ navigation
    def refresh(self):
        """CR: the current screen again."""
        self._send(CR)
        return self._expect_screen(echoed='')

    def home(self):
        """Back to the Control Console main menu (Ctrl-C, then ESC if needed)."""
        self._send(CTRL_C)
        try:
            kind, text = self._wait(timeout=min(self.timeout, 5.0))
        except MenuTimeout:
            # firmware that ignores Ctrl-C: ESC goes back one level at a time
            self._send(ESC)
            kind, text = self._wait(timeout=min(self.timeout, 5.0))
        if kind == 'logout' or (kind == 'prompt' and RE_LOGIN_PROMPT.match(text)):
            self.trail = None
            raise MenuLoggedOut('the console logged the session out (User Name prompt)')
        if kind in ('pager', 'confirm', 'prompt'):
            self._send(ESC if kind != 'pager' else CR)
            kind, text = self._wait()
        if kind != 'screen':
            raise MenuError('could not get back to the main menu (saw a %s)' % kind)
        screen = self._screen_from(text)
        for _unused in range(MAX_BACK):
            if screen['title'] == MAIN_TITLE:
                self.trail = []
                return screen
            self._send(ESC)
            screen = self._expect_screen()
        raise MenuError('could not get back to the main menu (still at %r)' % screen['title'])

    def back(self):
        """ESC: one level up."""
        self._send(ESC)
        screen = self._expect_screen()
        if self.trail:
            self.trail.pop()
        return screen

    def _resolve(self, screen, entry, following=None):
        """The item a path entry means on ``screen`` (None: skip an optional step)."""
        if isinstance(entry, str) and entry.startswith('#'):
            number = int(entry[1:])
            for item in screen['items']:
                if item['number'] == number:
                    return item
            raise MenuError('no item %d on the %r screen' % (number, screen['title']))
        if isinstance(entry, str) and entry.startswith('?'):
            label = entry[1:]
            if following is not None and mp.find_item(screen, following, required=False):
                return None
            return mp.find_item(screen, label, required=False)
        try:
            return mp.find_item(screen, entry)
        except mp.MenuParseError as exc:
            damage = mp.screen_damage(screen)
            if damage or (isinstance(entry, str) and mp.resembles_item(screen, entry)):
                raise MenuNoise('line noise: %s%s' % (exc, ' (%s)' % damage if damage else ''))
            raise MenuError(str(exc))

    def select(self, item, expect_user_prompt=False):
        """Choose an item by number. Returns ``(kind, text)`` as :meth:`_wait`."""
        number = str(item['number'])
        self._log('menu: %s (%s)' % (item['label'], number))
        self._send(number + CR)
        kind, text = self._wait(expect_user_prompt=expect_user_prompt)
        if kind == 'logout':
            self.trail = None
            raise MenuLoggedOut('the console logged the session out (User Name prompt) when '
                                '%r was chosen' % item['label'])
        return kind, text

    def goto(self, path, fresh=False):
        """Walk from the main menu along ``path``; returns the screen reached.

        Reuses the screens already open when the current trail starts like ``path``;
        ``fresh`` opens the last screen anew (a settings screen forgets pending values).
        """
        path = [tuple(e) if isinstance(e, list) else e for e in (path or [])]
        screen = self._back_to_common(path, fresh)
        depth = len(self.trail)
        for index in range(depth, len(path)):
            entry = path[index]
            following = path[index + 1] if index + 1 < len(path) else None
            item = self._resolve(screen, entry, following)
            if item is None:
                self.trail.append((entry, None))
                continue
            kind, text = self.select(item)
            if kind == 'logout' or (kind == 'prompt' and RE_LOGIN_PROMPT.match(text)):
                self.trail = None
                raise MenuLoggedOut('the console logged the session out (User Name prompt)')
            if kind != 'screen':
                self._escape(kind)
                raise MenuError('%r did not open a menu screen (it asked: %s)' % (item['label'], kind))
            screen = self._screen_from(text, echoed=item['number'])
            damage = mp.screen_damage(screen)
            if damage:
                raise MenuNoise('line noise: the screen after %r arrived damaged (%s)' % (item['label'], damage))
            if screen['errors']:
                raise MenuRefused('%s: %s' % (item['label'], ' '.join(screen['errors'])))
            self.trail.append((entry, screen['title']))
        return screen

    def _back_to_common(self, path, fresh=False):
        """ESC back to the longest common prefix of the trail and ``path`` (or go home)."""
        if self.trail is None or self.screen is None:
            return self.home()
        limit = len(path) - 1 if fresh and path else len(path)
        common = 0
        while common < len(self.trail) and common < limit and self.trail[common][0] == path[common]:
            common += 1
        # optional steps that were skipped have no screen of their own
        steps = [t for t in self.trail[common:] if t[1] is not None]
        if not steps and common == len(self.trail):
            return self.refresh()
        if len(steps) > 3:
            return self.home()
        screen = self.screen
        for _unused in steps:
            self._send(ESC)
            screen = self._expect_screen()
        self.trail = self.trail[:common]
        expected = [t[1] for t in self.trail if t[1] is not None]
        if (expected[-1] if expected else MAIN_TITLE) != screen['title']:
            return self.home()
        return screen

    def read(self, path):
        """The screen at ``path``, parsed, as the console showed it: read again while line
        noise damages it (``ConsoleSession.verified``)."""
        what = 'the %s screen' % ' > '.join(str(e) for e in path) if path else 'the main menu'
        return self.session.verified(what, lambda: self._read_once(path), damage=mp.screen_damage)

    def _read_once(self, path):
        mark = self.session.noise_in
        try:
            return self.goto(path)
        except (MenuLost, MenuLoggedOut):
            raise
        except MenuError as exc:
            if self.session.noise_in == mark and not isinstance(exc, MenuNoise):
                raise
            # a label, a prompt or a screen end damaged on the way: start from the main menu
            self.forget()
            raise tp.ReadDamaged(str(exc))

    def _escape(self, kind):
        """Leave a prompt/confirmation/pager without doing anything."""
        if kind == 'pager':
            self._send(CR)
        else:
            self._send(ESC)
        try:
            kind2, text = self._wait()
        except MenuError:
            self.trail = None
            return
        if kind2 == 'screen':
            self._screen_from(text)
        else:
            self.trail = None

    # ------------------------------------------------------------------ values
    def enter_value(self, label, value, secret=False):
        """Set one field on the current screen; returns the screen shown afterwards.

        Text fields: answer the prompt (and a confirmation prompt for passwords).
        Enumerated fields: pick ``value`` by label on the choice screen that opens.
        Raises MenuRefused with the device's message when it refuses the value.
        """
        screen = self.screen
        try:
            item = mp.find_item(screen, label)
        except mp.MenuParseError as exc:
            raise MenuError(str(exc))
        kind, text = self.select(item, expect_user_prompt=RE_USER_PROMPT.match(item['label']) is not None)
        if kind == 'screen':
            choice = self._screen_from(text, echoed=item['number'])
            if not mp.is_choice_screen(choice, item['label']) and not choice['errors']:
                raise MenuError('%r opened the %r screen, not a prompt or a list of values'
                                % (item['label'], choice['title']))
            if choice['errors']:
                raise MenuRefused('%s: %s' % (item['label'], ' '.join(choice['errors'])), item['label'])
            return self._choose(item['label'], choice, value)
        if kind != 'prompt':
            self._escape(kind)
            raise MenuError('%r asked for a %s, not a value' % (item['label'], kind))
        self.writes += 1
        self._send(str(value) + CR)
        echoed = '*' * len(str(value)) if secret else str(value)
        if secret or RE_PASSWORD_PROMPT.search(text):
            kind, text = self._wait()
            if kind == 'prompt' and RE_CONFIRM_PW_PROMPT.match(text):
                self._send(str(value) + CR)
                kind, text = self._wait()
        else:
            kind, text = self._wait()
        if kind == 'logout':
            self.trail = None
            raise MenuLoggedOut('the console logged the session out while %r was entered' % label)
        if kind != 'screen':
            self._escape(kind)
            raise MenuError('after entering %r the console asked for a %s' % (label, kind))
        after = self._screen_from(text, echoed=echoed)
        if after['errors']:
            raise MenuRefused('%s: %s' % (item['label'], ' '.join(after['errors'])), item['label'])
        return after

    def _choose(self, label, choice, value):
        wanted = value if isinstance(value, (list, tuple)) else (value,)
        try:
            pick = mp.find_item(choice, tuple(str(v) for v in wanted))
        except mp.MenuParseError as exc:
            self.back_from_choice()
            raise MenuRefused('%s: %s' % (label, exc), label)
        self.writes += 1
        kind, text = self.select(pick)
        if kind != 'screen':
            self._escape(kind)
            raise MenuError('choosing %r for %r asked for a %s' % (pick['label'], label, kind))
        after = self._screen_from(text, echoed=pick['number'])
        if after['title'] == choice['title'] and mp.is_choice_screen(after, choice['title']):
            # refused: the value list is shown again with the reason before it
            reason = ' '.join(after['errors']) or 'the value was not taken'
            self.back_from_choice()
            raise MenuRefused('%s: %s' % (label, reason), label)
        return after

    def back_from_choice(self):
        self._send(ESC)
        self._expect_screen()

    def accept(self):
        """Select ``Accept Changes`` on the current screen."""
        try:
            item = mp.find_item(self.screen, mp.ACCEPT)
        except mp.MenuParseError as exc:
            raise MenuError(str(exc))
        self.writes += 1
        kind, text = self.select(item)
        if kind != 'screen':
            self._escape(kind)
            raise MenuError('Accept Changes asked for a %s' % kind)
        screen = self._screen_from(text, echoed=item['number'])
        if screen['errors']:
            raise MenuRefused('Accept Changes: %s' % ' '.join(screen['errors']), mp.ACCEPT)
        return screen

    def set_values(self, path, values, secret_labels=(), accept=True, check_mode=False,
                   same=None):
        """Set ``values`` ({label: value}, in order) on the screen at ``path``.

        Fields already showing the value are skipped (secrets are always entered). After
        Accept Changes the screen is opened again and every non-secret value checked.
        Returns ``{'before', 'after', 'changed', 'entered', 'title'}``.
        """
        exact = same or (lambda current, wanted: str(current).strip() == str(wanted).strip())

        def same(current, wanted):
            # a list: [text to enter, other ways the screen may show it] (-1 shows 'Never')
            return any(exact(current, w) for w in (wanted if isinstance(wanted, (list, tuple)) else [wanted]))
        screen = self.goto(path, fresh=True)
        before = mp.fields(screen)
        self.last_before = before
        self.accept_sent = False
        entered = []
        self.last_entered = entered
        for label, value in values.items():
            secret = label in secret_labels
            item = mp.find_item(screen, label, required=False)
            if item is None:
                raise MenuError('no field %r on the %r screen (fields: %s)' % (
                    label, screen['title'], ', '.join(i['label'] for i in screen['items'])))
            if not secret and item['value'] is not None and same(item['value'], value):
                continue
            entered.append(item['label'])
            if check_mode:
                continue
            screen = self.enter_value(label, value[0] if isinstance(value, (list, tuple)) else value,
                                      secret=secret)
        result = {'title': screen['title'], 'before': before, 'entered': entered,
                  'changed': bool(entered), 'after': mp.fields(screen)}
        if check_mode or not entered or not accept:
            return result
        self.accept_sent = True
        self.accept()
        # read back: the screen opened afresh shows what was stored
        screen = self.goto(path, fresh=True)
        after = mp.fields(screen)
        wrong = []
        for label, value in values.items():
            if label in secret_labels:
                continue
            now = mp.value_of(screen, label)
            if now is not None and not same(now, value) and not _same_choice(now, value):
                wrong.append('%s is %r (wanted %r)' % (label, now, value))
        result['after'] = after
        if wrong:
            raise MenuError('the device accepted the changes but reads back differently: %s'
                            % '; '.join(wrong))
        return result

    # ------------------------------------------------------------------ actions
    def action(self, path, label, confirm=True):
        """Choose a command item (outlet control, reboot) and answer its confirmation.

        Returns ``{'confirmed', 'message', 'rebooting', 'screen'}``; ``message`` is what
        the device printed after YES (``Command successfully issued.``).
        """
        screen = self.goto(path)
        try:
            item = mp.find_item(screen, label)
        except mp.MenuParseError as exc:
            raise MenuError(str(exc))
        kind, text = self.select(item)
        result = {'confirmed': False, 'message': '', 'rebooting': False, 'screen': None,
                  'sentence': ''}
        if kind == 'confirm':
            result['sentence'] = ' '.join(line.strip() for line in text.replace('\r', '').split('\n')
                                          if line.strip() and not line.startswith('---')
                                          and not RE_CONFIRM.search(line) and line.strip() != str(item['number']))
            if not confirm:
                self._send(CR)
                kind, text = self._wait()
            else:
                self.writes += 1
                self._send('YES' + CR)
                result['confirmed'] = True
                kind, text = self._wait(expect_user_prompt=False)
        if kind == 'rebooting':
            result['rebooting'] = True
            result['message'] = 'Rebooting...'
            self.trail = None
            return result
        if kind == 'pager':
            result['message'] = ' '.join(line.strip() for line in text.replace('\r', '').split('\n')
                                         if line.strip() and not RE_PAGER.search(line)
                                         and line.strip().upper() != 'YES')
            self._send(CR)
            kind, text = self._wait()
        if kind == 'logout':
            self.trail = None
            raise MenuLoggedOut('the console logged the session out during %r' % label)
        if kind != 'screen':
            self._escape(kind)
            raise MenuError('%r ended at a %s' % (label, kind))
        screen = self._screen_from(text)
        if screen['errors'] and not result['message']:
            raise MenuRefused('%s: %s' % (label, ' '.join(screen['errors'])), label)
        result['screen'] = screen
        return result

    def logout(self):
        """Main menu -> Logout (the console then sleeps until a CR)."""
        screen = self.home()
        item = mp.find_item(screen, 'Logout')
        self._send(str(item['number']) + CR)
        self.spawn.expect([RE_BYE, tp.TIMEOUT, tp.EOF], timeout=min(self.timeout, 5.0))
        self.trail = None
        self.screen = None

    def recover(self):
        """After an error: back to the main menu if the console lets us."""
        try:
            self.home()
            return True
        except MenuError:
            self.trail = None
            return False


def _same_choice(current, wanted):
    values = wanted if isinstance(wanted, (list, tuple)) else (wanted,)
    return any(mp.normalise(current) == mp.normalise(v) for v in values)
