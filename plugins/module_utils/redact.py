# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeping secrets out of everything the collection prints, logs or returns.

Secrets are only ever on the wire to the device.  Two tools:

* :class:`Redactor` replaces known secret strings (and their JSON-escaped forms) in text.
* :func:`redact_json_secrets` masks the values of secret-named keys in JSON text without
  knowing the secret in advance, which is what the persistent-connection log needs: the
  ansible-connection helper logs every JSON-RPC request verbatim (including the
  ``set_options`` call carrying the connection password) before any plugin code runs.
"""

from __future__ import annotations

import json
import logging
import re

from ansible_collections.rackops.apc.plugins.module_utils import wire

MASK = '********'

# Keys whose values are secrets wherever they appear in logged JSON.
SECRET_KEYS = (
    'password', 'new_password', 'current_password', 'become_pass', 'conn_pass',
    'ansible_password', 'ansible_apc_new_password', 'secrets', 'auth_passphrase',
    'priv_passphrase', 'update_password_value',
)

# Factory credentials printed in every APC manual are not secrets, and masking 'apc' would
# mangle the user name, the prompt and host names in every line of output.
PUBLIC_DEFAULTS = frozenset(('apc', 'device', 'readonly'))

_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
_SECRET_KEY_RE = re.compile(
    r'(?P<key>"(?:%s)"\s*:\s*)(?P<value>%s|\{[^{}]*\}|\[[^\[\]]*\])'
    % ('|'.join(re.escape(k) for k in SECRET_KEYS), _JSON_STRING))


def redact_json_secrets(text):
    """Mask the values of secret-named keys in (possibly embedded) JSON text."""
    if not text or '"' not in text:
        return text

    def _mask(match):
        return match.group('key') + '"%s"' % MASK

    return _SECRET_KEY_RE.sub(_mask, text)


PLACEHOLDER_RE = re.compile(r'<<([A-Za-z_][A-Za-z0-9_]*)>>')
# a placeholder with the double quotes around it, if any
_PLACED_RE = re.compile(r'("?)<<([A-Za-z_][A-Za-z0-9_]*)>>("?)')


def placeholder(name):
    """The token a command template uses for the secret called ``name``."""
    return '<<%s>>' % name


def substitute_secrets(command, secrets):
    """Fill ``<<name>>`` placeholders from ``secrets`` (a dict).

    Returns the command to send and the list of secret values used. A list of strings
    is accepted too (secrets to mask, no placeholders). Unknown placeholders raise
    ValueError, so a template never goes to the device half-filled.
    """
    if not secrets:
        secrets = {}
    if isinstance(secrets, (list, tuple)):
        return command, [str(s) for s in secrets if s is not None]
    missing = [name for name in PLACEHOLDER_RE.findall(command) if name not in secrets]
    if missing:
        raise ValueError('no value for secret placeholder(s): %s' % ', '.join(sorted(set(missing))))
    text = _PLACED_RE.sub(lambda m: _fill(m, secrets), command)
    return text, [str(v) for v in secrets.values() if v is not None]


def _fill(match, secrets):
    """A secret in place of its placeholder, through the byte gate as a command-line
    argument (no control character, no leading "-", no double quote: module_utils/wire);
    quoted when it has blanks (the caller may not know the value, as with
    <<login_password>>). Raises wire.UnsafeInput (a ValueError) naming the secret only."""
    opening, name, closing = match.groups()
    value = wire.check_argument('secret %s' % name, secrets[name], secret=True)
    if opening and closing:
        return '"%s"' % value
    if value == '' or any(ch.isspace() for ch in value):
        return '%s"%s"%s' % (opening, value, closing)
    return '%s%s%s' % (opening, value, closing)


def display_command(command, secrets):
    """The command as results and logs show it: every placeholder masked. None when the
    secrets came as a list of values (no placeholders: the caller masks them by value)."""
    if isinstance(secrets, (list, tuple)):
        return None
    return PLACEHOLDER_RE.sub(MASK, command)


class Redactor:
    """Replaces registered secrets in text. Empty secrets are ignored."""

    def __init__(self, secrets=None):
        self._secrets = set()
        for secret in secrets or ():
            self.add(secret)

    def add(self, secret):
        if secret is None:
            return
        secret = str(secret)
        if not secret or secret in PUBLIC_DEFAULTS:
            return
        self._secrets.add(secret)
        # the same secret as it appears inside JSON or repr() output
        escaped = json.dumps(secret)[1:-1]
        if escaped != secret:
            self._secrets.add(escaped)

    def discard(self, secret):
        if secret:
            self._secrets.discard(str(secret))
            self._secrets.discard(json.dumps(str(secret))[1:-1])

    @property
    def secrets(self):
        return frozenset(self._secrets)

    def __call__(self, text):
        return self.redact(text)

    def redact(self, text):
        if text is None:
            return text
        if isinstance(text, bytes):
            text = text.decode('utf-8', 'replace')
        text = str(text)
        # longest first, so a secret containing another is masked whole
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        return redact_json_secrets(text)

    def redact_obj(self, obj):
        """Redact every string inside a JSON-able structure."""
        if isinstance(obj, str):
            return self.redact(obj)
        if isinstance(obj, dict):
            return dict((k, self.redact_obj(v)) for k, v in obj.items())
        if isinstance(obj, (list, tuple)):
            return [self.redact_obj(v) for v in obj]
        return obj


class RedactingLogFilter(logging.Filter):
    """A logging filter that redacts every record passing through a handler."""

    def __init__(self, redactor):
        super().__init__()
        self.redactor = redactor

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # pylint: disable=broad-except
            return True
        clean = self.redactor.redact(message)
        if clean != message:
            record.msg = clean
            record.args = None
        return True


def install_log_redaction(redactor):
    """Attach a redacting filter to every handler of the root logger (idempotent).

    ansible's Display writes its log file through the root logger's handlers, both in the
    controller and in the persistent-connection helper process.
    """
    installed = 0
    for handler in logging.root.handlers:
        present = [f for f in handler.filters if isinstance(f, RedactingLogFilter)]
        if present:
            for flt in present:
                flt.redactor = redactor
            continue
        handler.addFilter(RedactingLogFilter(redactor))
        installed += 1
    return installed
