# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SNMP settings: SNMPv1 communities (``snmp``) and SNMPv3 user profiles and access
entries (``snmpv3``).

The settings are keyed (index 1-4), so this area builds its own
:class:`~device.PlannedCommand` lists: one command per community, profile or access
entry, holding every option that differs (``snmp -c1 public -a1 read -n1 192.0.2.5``),
and the ``-S`` switches on their own, after the entries.

Passphrases cannot be read back from the card. They are sent only when given, and then
only when ``update_passphrases`` says so: ``on_change`` (the profile's user name or a
protocol changes in the same run) or ``always`` (every run, and the task reports a
change). They cross into the connection process as ``<<name>>`` placeholders and are
shown as ``********`` everywhere else.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.rackops.apc.plugins.module_utils import device
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, PlannedCommand, Reader, SettingsError, apply_commands, argument,
)
from ansible_collections.rackops.apc.plugins.module_utils.redact import MASK
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import (
    cli_device, fail_apply, finish,
)

INDEXES = (1, 2, 3, 4)
ACCESS_TYPES = ('read', 'write', 'writeplus', 'disable')
AUTH_PROTOCOLS = ('sha', 'md5', 'none')
PRIV_PROTOCOLS = ('aes', 'des', 'none')
COMMUNITY_MAX = 15            # the card's limit for a community name
USER_NAME_MAX = 32            # SNMPv3 user name
PASSPHRASE_MIN = 15           # the card takes authentication/privacy phrases of 15-32
PASSPHRASE_MAX = 32           # printable ASCII characters
UPDATE_CHOICES = ('on_change', 'always')

COMMUNITY_KEYS = ('community', 'access', 'nms')
USER_KEYS = ('user_name', 'auth_protocol', 'priv_protocol')
ACCESS_KEYS = ('enabled', 'user_name', 'nms')


# ------------------------------------------------------------------------------ values
def _check_word(name, value, minimum, maximum):
    text = device.check_text(name, value, maximum, allow_empty=False)
    if len(text) < minimum:
        raise SettingsError('%s is %d characters long; the card needs %d to %d characters'
                            % (name, len(text), minimum, maximum))
    if text.startswith('-'):
        raise SettingsError('%s must not start with "-" (the console would take it for an option)'
                            % name)
    return text


def check_community(name, value):
    return _check_word(name, value, 1, COMMUNITY_MAX)


def check_user_name(name, value):
    return _check_word(name, value, 1, USER_NAME_MAX)


def check_passphrase(name, value):
    text = str(value)
    if '"' in text or any(ord(ch) < 32 or ord(ch) > 126 for ch in text):
        # the value itself is never repeated in a message
        raise SettingsError('%s must be printable ASCII without double quotes' % name)
    if not PASSPHRASE_MIN <= len(text) <= PASSPHRASE_MAX:
        raise SettingsError('%s is %d characters long; the card takes passphrases of %d to %d '
                            'characters' % (name, len(text), PASSPHRASE_MIN, PASSPHRASE_MAX))
    return text


def check_nms(name, value):
    """An NMS address: IPv4, IPv6 or a host name (0.0.0.0 = any station)."""
    return device.check_host(name, value)


def normalise_nms(value):
    if value is None:
        return None
    text = str(value).strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text.lower()


def same_nms(current, wanted):
    return normalise_nms(current) == normalise_nms(wanted)


def _choice(name, value, choices):
    text = str(value).strip().lower()
    if text not in choices:
        raise SettingsError('%s must be one of %s, got %r' % (name, ', '.join(choices), value))
    return text


def _protocol(value, choices):
    """The card's wording of a protocol ('SHA', 'AES-128', 'None') -> option value."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in choices:
        return text
    for choice in choices:
        if text.startswith(choice):
            return choice
    return text


# ------------------------------------------------------------------------------ validate
def _entries(params, option, keys, checks):
    """Validate one keyed list -> {index: {key: value}} (keys left out are not set)."""
    items = params.get(option)
    if items is None:
        return None
    if not isinstance(items, list):
        raise SettingsError('%s must be a list' % option)
    if len(items) > len(INDEXES):
        raise SettingsError('%s has %d entries; the card has %d' % (option, len(items), len(INDEXES)))
    result = {}
    for position, item in enumerate(items, 1):
        where = '%s[%d]' % (option, position)
        if not isinstance(item, dict):
            raise SettingsError('%s must be a dictionary' % where)
        index = item.get('index')
        if index is None:
            raise SettingsError('%s needs an index (1-4)' % where)
        index = device.check_int('%s.index' % where, index, 1, len(INDEXES))
        if index in result:
            raise SettingsError('%s: index %d is listed more than once' % (option, index))
        entry = {}
        for key in keys:
            value = item.get(key)
            if value is not None:
                entry[key] = checks[key]('%s.%s' % (where, key), value)
        result[index] = entry
    return result


def _bool(name, value):
    if not isinstance(value, bool):
        raise SettingsError('%s must be true or false' % name)
    return value


COMMUNITY_CHECKS = {
    'community': check_community,
    'access': lambda name, value: _choice(name, value, ACCESS_TYPES),
    'nms': check_nms,
}
USER_CHECKS = {
    'user_name': check_user_name,
    'auth_protocol': lambda name, value: _choice(name, value, AUTH_PROTOCOLS),
    'auth_passphrase': check_passphrase,
    'priv_protocol': lambda name, value: _choice(name, value, PRIV_PROTOCOLS),
    'priv_passphrase': check_passphrase,
}
ACCESS_CHECKS = {
    'enabled': _bool,
    'user_name': check_user_name,
    'nms': check_nms,
}


def validate(params):
    """Module parameters -> the wanted state, checked without touching the console."""
    wanted = {}
    for name in ('snmpv1_enabled', 'snmpv3_enabled'):
        if params.get(name) is not None:
            wanted[name] = _bool(name, params[name])
    communities = _entries(params, 'communities', COMMUNITY_KEYS, COMMUNITY_CHECKS)
    if communities is not None:
        wanted['communities'] = communities
    users = _entries(params, 'snmpv3_users', USER_KEYS + ('auth_passphrase', 'priv_passphrase'),
                     USER_CHECKS)
    if users is not None:
        for index, user in users.items():
            if user.get('priv_protocol') not in (None, 'none') and user.get('auth_protocol') == 'none':
                raise SettingsError('snmpv3_users index %d: privacy (%s) needs authentication; '
                                    'SNMPv3 has no encryption without authentication'
                                    % (index, user['priv_protocol']))
        wanted['snmpv3_users'] = users
    access = _entries(params, 'snmpv3_access', ACCESS_KEYS, ACCESS_CHECKS)
    if access is not None:
        wanted['snmpv3_access'] = access
    update = params.get('update_passphrases') or 'on_change'
    wanted['update_passphrases'] = _choice('update_passphrases', update, UPDATE_CHOICES)
    return wanted


def reads_needed(wanted):
    commands = []
    if 'snmpv1_enabled' in wanted or 'communities' in wanted:
        commands.append('snmp')
    if any(k in wanted for k in ('snmpv3_enabled', 'snmpv3_users', 'snmpv3_access')):
        commands.append('snmpv3')
    return commands


# ------------------------------------------------------------------------------ read
def read_current(reader, wanted):
    """The card's settings in the module's terms: {'snmpv1_enabled', 'communities': {i: {}}, ...}."""
    current = {}
    if 'snmp' in reads_needed(wanted):
        parsed = reader.parsed('snmp')
        current['snmpv1_enabled'] = parsed.get('enabled')
        current['communities'] = dict(
            (c['index'], {'community': c.get('community'), 'access': _protocol(c.get('access'), ACCESS_TYPES),
                          'nms': c.get('nms')})
            for c in parsed.get('communities') or [])
    if 'snmpv3' in reads_needed(wanted):
        parsed = reader.parsed('snmpv3')
        current['snmpv3_enabled'] = parsed.get('enabled')
        current['snmpv3_users'] = dict(
            (u['index'], {'user_name': u.get('user_name'),
                          'auth_protocol': _protocol(u.get('authentication'), AUTH_PROTOCOLS),
                          'priv_protocol': _protocol(u.get('privacy'), PRIV_PROTOCOLS)})
            for u in parsed.get('users') or [])
        current['snmpv3_access'] = dict(
            (a['index'], {'enabled': a.get('enabled'), 'user_name': a.get('user_name'),
                          'nms': a.get('nms')})
            for a in parsed.get('access') or [])
    return current


# ------------------------------------------------------------------------------ plan
def _same(key, current, wanted):
    if key == 'nms':
        return same_nms(current, wanted)
    return current == wanted


def _entry_diff(current_entry, wanted_entry, keys):
    return [k for k in keys if k in wanted_entry and not _same(k, current_entry.get(k), wanted_entry[k])]


def _half(index, cur, want, keys, changed):
    """One entry of a diff half: the keys asked about, wanted values for those that change."""
    return dict([('index', index)] + [(k, want[k] if k in changed else cur.get(k))
                                      for k in keys if k in want])


def _bool_word(value):
    return 'enable' if value else 'disable'


def plan(current, wanted):
    """Commands that take ``current`` to ``wanted``.

    Returns ``(commands, before, after, warnings)``: PlannedCommand list in sending order,
    the diff halves (only what was asked about, passphrases masked) and warnings.
    Raises SettingsError for what the card would refuse (an access entry naming a user
    profile that will not exist).
    """
    commands = []
    warnings = []
    before = {}
    after = {}

    # SNMPv1 communities, one command per entry
    if 'communities' in wanted:
        cur_all = current.get('communities') or {}
        before['communities'], after['communities'] = [], []
        for index in sorted(wanted['communities']):
            want = wanted['communities'][index]
            cur = cur_all.get(index, {})
            changed = _entry_diff(cur, want, COMMUNITY_KEYS)
            before['communities'].append(_half(index, cur, want, COMMUNITY_KEYS, ()))
            after['communities'].append(_half(index, cur, want, COMMUNITY_KEYS, changed))
            if not changed:
                continue
            cmd = PlannedCommand('snmp')
            for key, option in (('community', '-c'), ('access', '-a'), ('nms', '-n')):
                if key in changed:
                    cmd.add('%s%d' % (option, index), argument(key, want[key]))
            commands.append(cmd)
    if 'snmpv1_enabled' in wanted:
        before['snmpv1_enabled'] = current.get('snmpv1_enabled')
        after['snmpv1_enabled'] = wanted['snmpv1_enabled']
        if current.get('snmpv1_enabled') != wanted['snmpv1_enabled']:
            commands.append(PlannedCommand('snmp').add('-S', _bool_word(wanted['snmpv1_enabled'])))

    # SNMPv3 user profiles, one command per profile
    names_after = dict((i, u.get('user_name')) for i, u in (current.get('snmpv3_users') or {}).items())
    if 'snmpv3_users' in wanted:
        cur_all = current.get('snmpv3_users') or {}
        update = wanted.get('update_passphrases', 'on_change')
        before['snmpv3_users'], after['snmpv3_users'] = [], []
        for index in sorted(wanted['snmpv3_users']):
            want = wanted['snmpv3_users'][index]
            cur = cur_all.get(index, {})
            changed = _entry_diff(cur, want, USER_KEYS)
            phrases = [k for k in ('auth_passphrase', 'priv_passphrase') if k in want]
            send = phrases if (update == 'always' or (update == 'on_change' and changed)) else []
            before['snmpv3_users'].append(_half(index, cur, want, USER_KEYS, ()))
            entry_after = _half(index, cur, want, USER_KEYS, changed)
            for key in send:
                entry_after[key] = MASK
            after['snmpv3_users'].append(entry_after)
            if 'user_name' in want:
                names_after[index] = want['user_name']
            if changed:
                final_auth = want.get('auth_protocol', cur.get('auth_protocol'))
                final_priv = want.get('priv_protocol', cur.get('priv_protocol'))
                if final_auth not in (None, 'none') and 'auth_passphrase' not in send:
                    warnings.append('snmpv3_users index %d changes but no auth_passphrase was given: '
                                    'the card keeps its previous authentication passphrase' % index)
                if final_priv not in (None, 'none') and 'priv_passphrase' not in send:
                    warnings.append('snmpv3_users index %d changes but no priv_passphrase was given: '
                                    'the card keeps its previous privacy passphrase' % index)
            if final_check_priv(cur, want):
                raise SettingsError('snmpv3_users index %d: privacy needs authentication; the profile '
                                    'would have privacy %s with authentication none'
                                    % (index, want.get('priv_protocol', cur.get('priv_protocol'))))
            if not changed and not send:
                continue
            cmd = PlannedCommand('snmpv3')
            if 'user_name' in changed:
                cmd.add('-u%d' % index, argument('user_name', want['user_name']))
            if 'auth_protocol' in changed:
                cmd.add('-ap%d' % index, want['auth_protocol'])
            if 'auth_passphrase' in send:
                cmd.add('-a%d' % index, want['auth_passphrase'],
                        secret_name='snmpv3_auth_passphrase_%d' % index)
            if 'priv_protocol' in changed:
                cmd.add('-pp%d' % index, want['priv_protocol'])
            if 'priv_passphrase' in send:
                cmd.add('-c%d' % index, want['priv_passphrase'],
                        secret_name='snmpv3_priv_passphrase_%d' % index)
            commands.append(cmd)

    # SNMPv3 access entries, one command per entry (after the profiles they name)
    if 'snmpv3_access' in wanted:
        cur_all = current.get('snmpv3_access') or {}
        before['snmpv3_access'], after['snmpv3_access'] = [], []
        known = set(n for n in names_after.values() if n is not None)
        for index in sorted(wanted['snmpv3_access']):
            want = wanted['snmpv3_access'][index]
            cur = cur_all.get(index, {})
            changed = _entry_diff(cur, want, ACCESS_KEYS)
            before['snmpv3_access'].append(_half(index, cur, want, ACCESS_KEYS, ()))
            after['snmpv3_access'].append(_half(index, cur, want, ACCESS_KEYS, changed))
            if 'user_name' in changed and want['user_name'] not in known:
                raise SettingsError('snmpv3_access index %d names user %r, but no SNMPv3 user profile '
                                    'has that name (profiles: %s); set it in snmpv3_users first'
                                    % (index, want['user_name'], ', '.join(sorted(known)) or 'none'))
            if not changed:
                continue
            cmd = PlannedCommand('snmpv3')
            if 'enabled' in changed:
                cmd.add('-ac%d' % index, _bool_word(want['enabled']))
            if 'user_name' in changed:
                cmd.add('-au%d' % index, argument('user_name', want['user_name']))
            if 'nms' in changed:
                cmd.add('-n%d' % index, argument('nms', want['nms']))
            commands.append(cmd)
    if 'snmpv3_enabled' in wanted:
        before['snmpv3_enabled'] = current.get('snmpv3_enabled')
        after['snmpv3_enabled'] = wanted['snmpv3_enabled']
        if current.get('snmpv3_enabled') != wanted['snmpv3_enabled']:
            commands.append(PlannedCommand('snmpv3').add('-S', _bool_word(wanted['snmpv3_enabled'])))
    return commands, before, after, warnings


def final_check_priv(cur, want):
    """True when the profile would end with privacy but without authentication."""
    auth = want.get('auth_protocol', cur.get('auth_protocol'))
    priv = want.get('priv_protocol', cur.get('priv_protocol'))
    return auth == 'none' and priv not in (None, 'none')


# ------------------------------------------------------------------------------ verify
def verify(console, wanted):
    """Read the card again and check every readable wanted value took."""
    now = read_current(Reader(console), wanted)
    wrong = []
    for name in ('snmpv1_enabled', 'snmpv3_enabled'):
        if name in wanted and now.get(name) != wanted[name]:
            wrong.append('%s is %r (wanted %r)' % (name, now.get(name), wanted[name]))
    for option, keys in (('communities', COMMUNITY_KEYS), ('snmpv3_users', USER_KEYS),
                         ('snmpv3_access', ACCESS_KEYS)):
        for index, want in sorted((wanted.get(option) or {}).items()):
            cur = (now.get(option) or {}).get(index, {})
            for key in _entry_diff(cur, want, keys):
                wrong.append('%s index %d %s is %r (wanted %r)' % (option, index, key, cur.get(key), want[key]))
    if wrong:
        raise ApplyError('the device accepted the commands but reads back differently: %s'
                         % '; '.join(wrong))


def ensure(console, wanted, check_mode=False):
    """Read, plan, (apply, verify): the result shape of device.ensure plus warnings."""
    current = read_current(Reader(console), wanted)
    commands, before, after, warnings = plan(current, wanted)
    result = {
        'changed': bool(commands),
        'commands': [c.display() for c in commands],
        'reboot_required': False,
        'diff': {'before': before, 'after': after},
        'warnings': warnings,
    }
    if not commands or check_mode:
        return result
    _results, reboot = apply_commands(console, commands)
    result['reboot_required'] = reboot
    verify(console, wanted)
    return result


def run_snmp_module(module):
    """The whole life of rackops.apc.snmp (see settings_module.run_area_module)."""
    try:
        wanted = validate(module.params)          # nothing touched yet
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    console, info = cli_device(module, menu=True)
    try:
        if info.get('dialect') == 'menu':
            from ansible_collections.rackops.apc.plugins.module_utils import menu_settings
            result = menu_settings.ensure_snmp(console, wanted, info, check_mode=module.check_mode)
        else:
            result = ensure(console, wanted, check_mode=module.check_mode)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    except (ApplyError, CliCommandError) as exc:
        fail_apply(module, exc, changed=isinstance(exc, ApplyError) and bool(exc.applied))
    except ConsoleFailure as exc:
        console.fail(exc)
    for warning in result.pop('warnings', []):
        module.warn(warning)
    finish(module, result)
