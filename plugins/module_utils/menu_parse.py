# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsers for the numbered "Control Console" menus (AP79xx without B, NMC1; AOS 2.x/3.x).

Pure functions on the text a screen prints, no I/O. A screen is::

    ------- Title -----------------------------------------------------------------

         Key          : value              (header lines, optional)

         1- Label                         : current value
         2- Outlet 1                 ON
         3- Accept Changes

         <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log
    >

Item numbers differ between firmware versions, so everything is looked up by its label
(:func:`find_item`), tolerant of case, padding and abbreviations.
"""

from __future__ import annotations

import difflib
import re

RE_TITLE = re.compile(r'^-{3,}\s+(\S.*?)\s+-{3,}\s*$')
RE_RULE = re.compile(r'^-{20,}\s*$')
RE_ITEM = re.compile(r'^\s*(\d+)-\s+(.*?)\s*$')
RE_FOOTER = re.compile(r'<ESC>-', re.I)
RE_HEADER_KV = re.compile(r'^\s+(\S[^:]*?)\s*:\s?(.*?)\s*$')
RE_FIELD = re.compile(r'^(.*?\S)\s*:(?:\s(.*))?$')
RE_STATE_SUFFIX = re.compile(r'^(.*?)\s+(ON|OFF)(\*?)$', re.I)
RE_BANNER_VERSION = re.compile(r'^(?P<left>.*?\S)\s{2,}(?P<app>\S.*?)\s+(?P<version>v\d[\w.]*)\s*$')
# 'Name      : apc5A7920                                 Date : 11/21/2026'
RE_BANNER_LINE = re.compile(r'^(Name|Contact|Location|Up Time)\s*:\s?(.*?)'
                            r'(?:\s{2,}(Date|Time|User|Stat)\s*:\s?(.*))?$')

ACCEPT = 'Accept Changes'

# Paths (labels from the main menu) shared by the connection and the modules. '?x' is an
# optional step (AOS 3.x has Outlet Management, AOS 2.x does not), '#n' an item number.
PATHS = {
    'about': ['System', 'About System'],
    'identification': ['System', 'Identification'],
    'datetime': ['System', 'Date/Time'],
    'users': ['System', 'User Manager'],
    'tools': ['System', 'Tools'],
    'tcpip': ['Network', 'TCP/IP'],
    'dns': ['Network', 'DNS'],
    'ftp': ['Network', 'FTP Server'],
    'telnet_ssh': ['Network', 'Telnet/SSH'],
    'web': ['Network', 'Web/SSL/TLS'],
    'snmp': ['Network', 'SNMP'],
    'outlets': ['Device Manager', '?Outlet Management', 'Outlet Control/Configuration'],
    'ups_status': ['Device Manager', 'Status'],
    'ups_about': ['Device Manager', 'About UPS'],
    'ups_config': ['Device Manager', 'Configuration'],
}
ACCOUNTS = {'admin': 'Administrator', 'device': 'Device Manager', 'readonly': 'Read Only User'}


def path(name, *more):
    """A copy of a named path, extended by ``more`` entries."""
    return list(PATHS[name]) + list(more)


def outlet_path(number, *more):
    return path('outlets', '#%d' % int(number), *more)


def mac(value):
    """'00 C0 B7 5A 79 20' -> '00:C0:B7:5A:79:20' (as the command line's tcpip shows it)."""
    parts = str(value or '').replace(':', ' ').replace('-', ' ').split()
    if len(parts) == 6 and all(re.match(r'^[0-9A-Fa-f]{2}$', p) for p in parts):
        return ':'.join(p.upper() for p in parts)
    return value


class MenuParseError(Exception):
    """A screen could not be read or an item is missing/ambiguous."""


def _lines(text):
    return (text or '').replace('\r\n', '\n').replace('\r', '\n').split('\n')


def normalise(label):
    """'  Web/SSL/TLS ' -> 'web/ssl/tls'; collapses blanks, ignores case."""
    return ' '.join(str(label or '').lower().split())


def _words(label):
    return [w for w in re.split(r'[^a-z0-9]+', normalise(label)) if w]


def parse_screen(text):
    """Parse the last complete screen in ``text``.

    Returns ``{'title', 'header': {key: value}, 'header_lines': [...], 'items': [{'number',
    'label', 'value', 'text'}], 'footer', 'messages': [...], 'prompt': bool}``.
    ``messages`` are the lines printed between the input echo and the title rule (error
    texts such as ``Invalid IP address.``). Raises MenuParseError without a title rule.
    """
    lines = _lines(text)
    start = None
    for index in range(len(lines) - 1, -1, -1):
        if RE_TITLE.match(lines[index]):
            start = index
            break
    if start is None:
        raise MenuParseError('no menu screen (title rule) in %r' % (text or '')[-200:])
    title = RE_TITLE.match(lines[start]).group(1).strip()
    messages = [line.strip() for line in lines[:start] if line.strip()]
    # the first of those is usually the echo of what was typed (a number, YES, a value)
    screen = {'title': title, 'header': {}, 'header_lines': [], 'items': [], 'footer': '',
              'messages': messages, 'prompt': bool(re.search(r'(?:^|\n)>\s?$', text.replace('\r', '')))}
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        if line.strip().startswith('>'):
            break
        if RE_FOOTER.search(line):
            screen['footer'] = line.strip()
            continue
        item = RE_ITEM.match(line)
        if item and not screen['footer']:
            screen['items'].append(_item(int(item.group(1)), item.group(2)))
            continue
        if screen['items']:
            continue
        screen['header_lines'].append(line.strip())
        pair = RE_HEADER_KV.match(line)
        if pair:
            screen['header'][pair.group(1).strip()] = pair.group(2).strip()
    return screen


# The footers the menu consoles print under every screen (AP79xx, NMC1). A footer that
# resembles one of them without being it lost or changed bytes on the line; a footer of
# another wording (firmware we have not seen) is taken as it is.
KNOWN_FOOTERS = (
    '<ESC>- Main Menu, <ENTER>- Refresh, <CTRL-L>- Event Log',
    '<ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log',
    '?- Help, <ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log',
)
FOOTER_LIKENESS = 0.8


def resembles_item(screen, label):
    """Whether an item of ``screen`` is ``label`` with a byte or two lost or changed (so a
    missing item means a damaged screen, not another firmware's menu)."""
    wanted = label.lower()
    return any(difflib.SequenceMatcher(None, item['label'].lower(), wanted, autojunk=False).ratio()
               >= FOOTER_LIKENESS for item in screen.get('items') or ())


def screen_damage(screen):
    """Why a parsed screen looks damaged by line noise, or None: no footer line, a footer
    close to a known one but not equal, or items not numbered 1, 2, 3... in order."""
    footer = ' '.join((screen.get('footer') or '').split())
    if not footer:
        return 'the screen has no footer line (<ESC>- ...)'
    if footer not in KNOWN_FOOTERS and any(
            difflib.SequenceMatcher(None, footer, known, autojunk=False).ratio() >= FOOTER_LIKENESS
            for known in KNOWN_FOOTERS):
        return 'its footer differs from the console\'s (%r)' % footer
    numbers = [item['number'] for item in screen.get('items') or ()]
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return 'its items are not numbered in order (%s)' % ', '.join(str(n) for n in numbers)
    return None


def _item(number, text):
    """'Boot Mode      : DHCP & BOOTP' -> label + value; 'Outlet 1   ON' -> label + state."""
    entry = {'number': number, 'text': text, 'label': text.strip(), 'value': None}
    field = RE_FIELD.match(text)
    if field and field.group(1).strip():
        entry['label'] = field.group(1).strip()
        entry['value'] = (field.group(2) or '').strip()
    return entry


def strip_messages(screen, echoed=None):
    """The messages of a screen minus the echo of what was typed (``echoed``)."""
    out = []
    for message in screen.get('messages', []):
        if echoed is not None and message.strip() == str(echoed).strip():
            continue
        if message.strip() in ('>',):
            continue
        out.append(message)
    return out


def _match_score(wanted, label):
    """How well ``label`` matches ``wanted`` (higher is better; 0 = no match)."""
    a, b = normalise(wanted), normalise(label)
    if not a or not b:
        return 0
    if a == b:
        return 100
    wa, wb = _words(wanted), _words(label)
    if wa == wb:
        return 90
    if b.startswith(a) or a.startswith(b):
        # abbreviations and extensions: 'Web/SSL' ~ 'Web/SSL/TLS',
        # 'Device Manager User' ~ 'Device Manager', 'Read Only' ~ 'Read Only User'
        return 70 - abs(len(a) - len(b)) * 0.1
    if wa and wb and (wb[:len(wa)] == wa or wa[:len(wb)] == wb):
        return 60 - abs(len(wa) - len(wb))
    if wa and set(wa) <= set(wb):
        return 40 - (len(wb) - len(wa))
    return 0


def find_item(screen, label, required=True):
    """The item of ``screen`` whose label matches ``label`` (a string or a tuple of
    alternative labels). Exact matches win over abbreviations. Returns None when absent
    and not ``required``; raises MenuParseError when absent or ambiguous."""
    wanted = label if isinstance(label, (list, tuple)) else (label,)
    best, best_score, tied = None, 0, []
    for want in wanted:
        for item in screen.get('items', []):
            score = _match_score(want, item['label'])
            if score > best_score:
                best, best_score, tied = item, score, [item]
            elif score and score == best_score and item is not best:
                tied.append(item)
        if best_score >= 90:
            break
    if best is None:
        if required:
            raise MenuParseError('no item %s on the %r screen (items: %s)' % (
                ' or '.join(repr(w) for w in wanted), screen.get('title'),
                ', '.join(i['label'] for i in screen.get('items', []))))
        return None
    if len(tied) > 1:
        raise MenuParseError('%r is ambiguous on the %r screen: %s' % (
            wanted[0], screen.get('title'), ', '.join(i['label'] for i in tied)))
    return best


def has_item(screen, label):
    try:
        return find_item(screen, label, required=False) is not None
    except MenuParseError:
        return True


def fields(screen):
    """{label: value} of the items that show a value (settings screens)."""
    return dict((item['label'], item['value']) for item in screen.get('items', [])
                if item['value'] is not None)


def value_of(screen, label, default=None):
    """Current value of a field item, or a header value, found by label."""
    item = find_item(screen, label, required=False)
    if item is not None and item['value'] is not None:
        return item['value']
    for key, value in screen.get('header', {}).items():
        if _match_score(label, key) >= 60:
            return value
    return default


CHOICE_HEADERS = ('current setting', 'current value')


def is_choice_screen(screen, label=None):
    """A list of values opened from an enumerated field (Boot Mode, Access, SSL/TLS...).

    Recognised by its structure, since firmware versions lay it out differently: numbered
    items that are plain values (no ``Label : value`` fields, no Accept Changes) under a
    title rule naming the field (``------- Boot Mode``), followed by the prompt. A header
    ``Current Setting`` / ``Current Value`` is taken as the sign on its own. ``label`` is
    the field that was chosen; without it only the header can tell.
    """
    if any(normalise(k) in CHOICE_HEADERS for k in screen.get('header', {})):
        return True
    items = screen.get('items') or []
    if not items or label is None or not screen.get('prompt', True):
        return False
    if any(item['value'] is not None for item in items):
        return False
    if any(normalise(item['label']) == normalise(ACCEPT) for item in items):
        return False
    title, wanted = normalise(screen.get('title') or ''), normalise(label)
    return bool(title) and (title == wanted or title.startswith(wanted) or wanted.startswith(title))


def current_setting(screen):
    for key, value in screen.get('header', {}).items():
        if normalise(key) in CHOICE_HEADERS:
            return value
    return None


# ------------------------------------------------------------------------------- outlets
def parse_outlet_list(screen):
    """Outlet Control/Configuration: [{'number', 'name', 'state'}] (the Master item left out).

    Items read ``Outlet 1                 ON``: the name padded, then ON or OFF.
    """
    outlets = []
    for item in screen.get('items', []):
        match = RE_STATE_SUFFIX.match(item['text'])
        if not match or normalise(item['text']).startswith('master control'):
            continue
        outlets.append({'number': item['number'], 'name': match.group(1).strip(),
                        'state': match.group(2).lower(), 'pending': bool(match.group(3))})
    return outlets


def parse_delay(value):
    """'Never' -> -1, '10' -> 10, '10 sec' -> 10; None stays None."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in ('never', '-1'):
        return -1
    match = re.match(r'^(-?\d+)', text)
    return int(match.group(1)) if match else value


def parse_outlet_config(screen):
    """Configure Outlet -> {'name', 'on_delay', 'off_delay', 'reboot_duration'}."""
    return {
        'name': value_of(screen, 'Name'),
        'on_delay': parse_delay(value_of(screen, 'Power On Delay')),
        'off_delay': parse_delay(value_of(screen, 'Power Off Delay')),
        'reboot_duration': parse_delay(value_of(screen, 'Reboot Duration')),
    }


# ------------------------------------------------------------------------------- banner
def parse_banner(text):
    """The login banner: versions, identity, user, device status line.

    Returns {'aos_version', 'app_name', 'app_version', 'name', 'contact', 'location',
    'up_time', 'user', 'stat', 'status_line'} (missing ones left out).
    """
    out = {}
    lines = _lines(text)
    for index, line in enumerate(lines):
        if 'American Power Conversion' in line or 'Network Management Card AOS' in line:
            match = RE_BANNER_VERSION.match(line)
            if match:
                out['aos_version'] = match.group('version')
            if index + 1 < len(lines):
                match = RE_BANNER_VERSION.match(lines[index + 1])
                if match:
                    out['app_name'] = match.group('app').strip()
                    out['app_version'] = match.group('version')
            break
    keys = {'name': 'name', 'contact': 'contact', 'location': 'location', 'up time': 'up_time',
            'date': 'date', 'time': 'time', 'user': 'user', 'stat': 'stat'}
    for line in lines:
        match = RE_BANNER_LINE.match(line.rstrip())
        if not match:
            continue
        out.setdefault(keys[normalise(match.group(1))], match.group(2).strip())
        if match.group(3):
            out.setdefault(keys[normalise(match.group(3))], (match.group(4) or '').strip())
    # the device status line: the last non-blank line before the first title rule
    previous = None
    for line in lines:
        if RE_TITLE.match(line):
            break
        if line.strip() and not RE_RULE.match(line):
            previous = line.strip()
    if previous and not re.match(r'^(Name|Contact|Location|Up Time)\s*:', previous):
        out['status_line'] = previous
    return out


def parse_ups_status_line(line):
    """'Smart-UPS 1400 named UPS_IDEN : On Line, No Alarms Present' -> parts."""
    match = re.match(r'^(?P<model>.*?)\s+named\s+(?P<name>\S+)\s*:\s*(?P<status>.*)$', line or '')
    if not match:
        return {}
    return {'model': match.group('model'), 'name': match.group('name'),
            'status': match.group('status')}
