# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The byte gate: the one place where a value becomes console input.

An APC console acts on some characters instead of storing them: CR and LF end the line (the
rest runs as the next command, or answers the next prompt), backspace and DEL edit what was
typed, Ctrl-C and ESC leave a menu, Ctrl-Z asks a smart-protocol UPS for its command table.
A console also runs with 8 data bits but may keep only 7 of them, so a byte above 0x7F can
arrive as one of those control characters. So every value that is typed on a console is
printable ASCII (0x20-0x7E) or it is refused, before anything is sent, with the name of the
option and of the character (never the value: it may be a secret).

On the command line a value is also an argument: a value that starts with ``-`` is read as
an option by the card (``system -l -n``), and a value cannot hold a double quote, because the
card has no way to escape one inside the quotes that keep blanks together. Both are refused
for arguments; at a login prompt or a menu field they are ordinary text.

The session's last line of defence (:func:`line`) applies the same rule to every line it
sends, so nothing bypasses it; the functions used by modules give the same refusal earlier,
with the option's name, before the console is touched.
"""

from __future__ import annotations

NOTHING_SENT = 'Nothing was sent to the device.'

# Characters a console acts on, by the name an operator knows them by.
_NAMES = {
    '\r': 'a carriage return (CR)',
    '\n': 'a line feed (LF)',
    '\t': 'a tab',
    '\x00': 'a NUL byte',
    '\x03': 'a Ctrl-C',
    '\x04': 'a Ctrl-D',
    '\x08': 'a backspace',
    '\x0c': 'a form feed',
    '\x11': 'an XON (Ctrl-Q)',
    '\x13': 'an XOFF (Ctrl-S)',
    '\x15': 'a Ctrl-U (line kill)',
    '\x17': 'a Ctrl-W',
    '\x18': 'a Ctrl-X (cancel)',
    '\x1a': 'a Ctrl-Z',
    '\x1b': 'an escape (ESC)',
    '\x7f': 'a delete (DEL)',
}


class UnsafeInput(ValueError):
    """A value holds something the console would act on, or that it cannot store."""

    def __init__(self, option, problem, secret=False):
        self.option = option
        self.problem = problem
        self.secret = secret
        shown = ' (the value is not shown: it is secret)' if secret else ''
        super().__init__('%s %s%s. %s' % (option, problem, shown, NOTHING_SENT))


def char_name(ch):
    """How an error names a character: by name, never by echoing it."""
    if ch in _NAMES:
        return _NAMES[ch]
    code = ord(ch)
    if code < 0x20:
        return 'a control character (Ctrl-%s, 0x%02X)' % (chr(code + 0x40), code)
    if 0x80 <= code < 0xA0:
        return 'a control character (0x%02X)' % code
    return 'a character outside printable ASCII (U+%04X)' % code


def first_unsafe(text):
    """(position, character) of the first character that is not printable ASCII, or None."""
    for index, ch in enumerate(text):
        if not ' ' <= ch <= '~':
            return index, ch
    return None


def as_text(option, value, secret=False):
    """``value`` as a string: numbers are fine, containers are an argument error."""
    if isinstance(value, bool):
        raise UnsafeInput(option, 'must be a string, not a boolean (quote it in YAML)', secret)
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise UnsafeInput(option, 'must be a string, not a %s' % _kind(value), secret)
    return value


def _kind(value):
    if isinstance(value, dict):
        return 'dictionary'
    if isinstance(value, (list, tuple, set)):
        return 'list'
    return type(value).__name__


def check(option, value, secret=False):
    """Refuse what a console would act on; returns the value as text."""
    text = as_text(option, value, secret)
    bad = first_unsafe(text)
    if bad is not None:
        index, ch = bad
        raise UnsafeInput(option, 'holds %s at character %d: the console would act on it '
                          'instead of storing it' % (char_name(ch), index + 1), secret)
    return text


def check_argument(option, value, secret=False):
    """A value typed as a command-line argument: :func:`check`, plus no leading ``-`` and
    no double quote (see the module docstring)."""
    text = check(option, value, secret)
    if text.startswith('-'):
        raise UnsafeInput(option, 'starts with "-": the command line would read it as an option, '
                          'and it has no quoting that stores a leading "-"', secret)
    if '"' in text:
        raise UnsafeInput(option, 'holds a double quote: the command line cannot store one '
                          '(values are quoted with it and it cannot be escaped)', secret)
    return text


def argument(option, value, secret=False, always_quote=False):
    """A value as one command-line argument: checked, quoted when it is empty or has blanks."""
    text = check_argument(option, value, secret)
    if always_quote or text == '' or ' ' in text:
        return '"%s"' % text
    return text


def line(text, what='console input'):
    """The session's gate: a line about to be typed, without its CR. Raises UnsafeInput."""
    return check(what, text)


def command_words(text):
    """Split a command line the way the card does: blanks separate words, double quotes
    keep blanks inside a word and are removed; nothing else is special (no backslash
    escapes, single quotes are text)."""
    words, current, quoted = [], None, False
    for ch in text:
        if quoted:
            if ch == '"':
                quoted = False
            else:
                current += ch
        elif ch == '"':
            quoted = True
            current = current or ''
        elif ch in ' \t':
            if current is not None:
                words.append(current)
                current = None
        else:
            current = (current or '') + ch
    if quoted:
        raise UnsafeInput('command', 'has an unclosed double quote: the card would read the rest '
                          'of the line as one value')
    if current is not None:
        words.append(current)
    return words
