# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""More configuration modules on menu consoles (Control Console, AOS 2.x/3.x): accounts,
date and time, network services, SNMPv1 and the management interface reboot.

As in :mod:`menu_device`: same options and result shape as on the command line, the
screens are read with ``menu_read``, only differing fields are entered with ``menu_set``
(which accepts and reads the screen back), options the firmware lacks are refused before
anything is entered. The planning functions (``plan_*``) are pure: screens in, values and
menu steps out.
"""

from __future__ import annotations

import datetime
import ipaddress

from ansible_collections.rackops.apc.plugins.module_utils import models
from ansible_collections.rackops.apc.plugins.module_utils import area_services as asv
from ansible_collections.rackops.apc.plugins.module_utils import area_snmp as asn
from ansible_collections.rackops.apc.plugins.module_utils import area_time as atm
from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError, SettingsError
from ansible_collections.rackops.apc.plugins.module_utils.menu_device import (
    MenuArea, aos_major, describe, refuse_options, step,
)
from ansible_collections.rackops.apc.plugins.module_utils.redact import MASK

ENABLED, DISABLED = 'Enabled', 'Disabled'


def is_enabled(value):
    return mp.normalise(value) == 'enabled'


def to_int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value


def steps_for(path, values, secrets=()):
    """The menu steps of one screen's values ({label: text}), then Accept Changes."""
    if not values:
        return []
    return [step(path, label, text[0] if isinstance(text, (list, tuple)) else text,
                 secret=label in secrets) for label, text in values.items()] + [step(path, mp.ACCEPT)]


# ------------------------------------------------------------------------------ users
ACCOUNT_LABELS = {'administrator': 'Administrator', 'device': 'Device Manager',
                  'read_only': 'Read Only User'}
USER_MISSING = ('description', 'session_timeout')
USER_NAME_MAX = 10
USER_PASSWORD_MAX = models.PASSWORD_MAX['menu']


def account_path(permission):
    return mp.path('users', ACCOUNT_LABELS[permission])


def check_user_menu(wanted, info):
    """Refuse what the menu's three fixed accounts cannot do (before anything is sent)."""
    where = describe(info)
    if wanted['state'] == 'absent':
        raise SettingsError('state=absent is not available on %s: the menu console has three fixed '
                            'accounts (Administrator, Device Manager, Read Only User) that cannot '
                            'be deleted. Nothing was changed.' % where)
    refuse_options(wanted, USER_MISSING, info)
    permission = wanted.get('permission')
    if permission is None:
        raise SettingsError('on %s the module needs permission (administrator, device or read_only) '
                            'to pick one of the three fixed accounts. Nothing was changed.' % where)
    if permission not in ACCOUNT_LABELS:
        raise SettingsError('permission %s is not available on %s: the fixed accounts are '
                            'administrator, device and read_only. Nothing was changed.'
                            % (permission, where))
    if permission == 'administrator' and 'enabled' in wanted:
        raise SettingsError('enabled is not available for the Administrator account on %s: its '
                            'screen has no Access setting. Nothing was changed.' % where)
    if len(wanted['name']) > USER_NAME_MAX:
        raise SettingsError('name %r is %d characters long; %s takes at most %d. Nothing was changed.'
                            % (wanted['name'], len(wanted['name']), where, USER_NAME_MAX))
    if 'password' in wanted and len(wanted['password']) > USER_PASSWORD_MAX:
        raise SettingsError('password is %d characters long; %s takes at most %d. Nothing was changed.'
                            % (len(wanted['password']), where, USER_PASSWORD_MAX))


def plan_user(screen, others, wanted, info, session_user=None):
    """Values for the account screen and the diff halves.

    ``screen``: the account's screen; ``others``: {label: name} of the other two accounts.
    Returns ``{'values', 'commands', 'before', 'after', 'secrets', 'login_password_from',
    'login_user_from', 'warnings'}``.
    """
    permission = wanted['permission']
    path = account_path(permission)
    current_name = mp.value_of(screen, 'User Name')
    name = wanted['name']
    for label, other in sorted(others.items()):
        if str(other or '').lower() == name.lower():
            raise SettingsError('name %s is already the %s account on %s; the three accounts need '
                                'different names (letter case does not count). Nothing was changed.'
                                % (name, label, describe(info)))
    before = {'name': current_name, 'permission': permission}
    after = dict(before, name=name)
    values, secrets, warnings = {}, [], []
    own = session_user is not None and str(session_user).lower() == str(current_name or '').lower()
    plan = {'login_password_from': None, 'login_user_from': None}
    renamed = current_name != name
    if renamed:
        values['User Name'] = name
        if own:
            plan['login_user_from'] = 'User Name'
            warnings.append('renamed %s, the account this session logs in with, to %s: set '
                            'ansible_user to %s for later plays' % (current_name, name, name))
    if wanted.get('password') is not None and (renamed or wanted['update_password'] == 'always'):
        values['Password'] = '<<password>>'
        secrets.append('Password')
        after['password'] = MASK
        if own:
            plan['login_password_from'] = 'Password'
    if 'enabled' in wanted:
        item = mp.find_item(screen, 'Access', required=False)
        if item is None:
            raise SettingsError('enabled is not available for the %s account on %s: its screen has '
                                'no Access setting. Nothing was changed.'
                                % (ACCOUNT_LABELS[permission], describe(info)))
        now = is_enabled(item['value'])
        before['enabled'] = now
        after['enabled'] = wanted['enabled']
        if now != wanted['enabled']:
            # Access first: the screen order, and a disabled account keeps its name
            values = dict([('Access', ENABLED if wanted['enabled'] else DISABLED)] + list(values.items()))
            if not wanted['enabled'] and own:
                warnings.append('disabling %s, the account this session logs in with: later '
                                'logins with it will fail' % current_name)
    plan.update(values=values, secrets=secrets, before=before, after=after, warnings=warnings,
                commands=steps_for(path, values, secrets))
    return plan


def ensure_user(console, wanted, info, check_mode=False):
    """Returns (result, warnings) like area_users.ensure_user."""
    check_user_menu(wanted, info)
    area = MenuArea(console)
    permission = wanted['permission']
    screen = area.read(account_path(permission))
    others = {}
    if mp.value_of(screen, 'User Name') != wanted['name']:
        other_perms = [p for p in ACCOUNT_LABELS if p != permission]
        for perm, other in zip(other_perms, area.read_many([account_path(p) for p in other_perms])):
            others[ACCOUNT_LABELS[perm]] = mp.value_of(other, 'User Name')
    me = ((info or {}).get('session') or {}).get('user')
    plan = plan_user(screen, others, wanted, info, session_user=me)
    result = {'changed': bool(plan['commands']), 'commands': plan['commands'],
              'reboot_required': False, 'diff': {'before': plan['before'], 'after': plan['after']}}
    if plan['values'] and not check_mode:
        area.set(account_path(permission), plan['values'],
                 secrets={'password': wanted['password']} if plan['secrets'] else None,
                 login_password_from=plan['login_password_from'],
                 login_user_from=plan['login_user_from'])
    return result, plan['warnings']


# ------------------------------------------------------------------------------ time
TIME_MISSING = ('ntp_enabled', 'ntp_override', 'ntp_primary', 'ntp_secondary', 'time_zone')
CLOCK_SLACK = 30        # s: other readings of a set time that count as right (it moves)


def read_clock(screen):
    return {'date': mp.value_of(screen, 'Date'), 'time': mp.value_of(screen, 'Time'),
            'format': mp.value_of(screen, 'Date Format'), 'time_zone': '+00:00'}


def plan_time(screen, wanted, clock, info, now_utc=None):
    """Values for the Date/Time screen: (values, commands, before, after)."""
    path = mp.path('datetime')
    labels = [i['label'] for i in screen.get('items', [])]
    for option, label in (('date_format', 'Date Format'), ('date', 'Date'), ('time', 'Time')):
        asked = wanted.get(option) is not None if option == 'date_format' else \
            bool(clock and (clock.get(option) is not None or clock.get('sync')))
        if asked and not mp.has_item(screen, label):
            raise SettingsError('%s is not available on %s: the Date/Time screen has no %s (items: %s). '
                                'Nothing was changed.' % (option, describe(info), label, ', '.join(labels)))
    card = read_clock(screen)
    values, before, after = {}, {}, {}
    fmt = None
    if 'date_format' in wanted:
        now = mp.normalise(card['format'])
        before['date_format'] = now
        after['date_format'] = wanted['date_format']
        if now != wanted['date_format']:
            values['Date Format'] = wanted['date_format']
        fmt = wanted['date_format']
    if clock:
        options, clock_before, clock_after = atm.plan_clock(card, clock, fmt, None, now_utc=now_utc)
        before.update(clock_before)
        after.update(clock_after)
        for option, text in options:
            if option == '-d':
                values['Date'] = text
            else:
                moment = datetime.datetime.strptime(text, '%H:%M:%S')
                slack = max(clock['max_drift'], CLOCK_SLACK)
                values['Time'] = [text] + [(moment + datetime.timedelta(seconds=s)).strftime('%H:%M:%S')
                                           for s in range(1, min(slack, 600) + 1)]
    return values, steps_for(path, values), before, after


def ensure_time(console, wanted, clock, info, check_mode=False):
    refuse_options(wanted, TIME_MISSING, info)
    area = MenuArea(console)
    path = mp.path('datetime')
    values, commands, before, after = plan_time(area.read(path), wanted, clock, info)
    result = {'changed': bool(commands), 'commands': commands, 'reboot_required': False,
              'diff': {'before': before, 'after': after}}
    if values and not check_mode:
        area.set(path, values)
        if clock and 'Time' in values:
            card = read_clock(area.read(path))
            again = atm.plan_clock(card, dict(clock, max_drift=max(clock['max_drift'], CLOCK_SLACK) + 2),
                                   wanted.get('date_format'))[0]
            if again:
                raise ApplyError('the device accepted the clock but reads back %s %s'
                                 % (card['date'], card['time']), applied=commands)
    return result


# ------------------------------------------------------------------------------ services
SERVICES_MISSING = ('console_baud_rate',)
# (path name, option of the plain protocol, option of the secure one, label of the switch
#  between them, its value for the secure one, for the plain one)
SERVICE_PAIRS = (
    ('web', 'http_enabled', 'https_enabled', 'SSL/TLS', 'Enabled', 'Disabled'),
    ('telnet_ssh', 'telnet_enabled', 'ssh_enabled', 'Protocol', 'SSH', 'Telnet'),
)
SERVICE_PORTS = {'web': (('http_port', 'HTTP Port'), ('https_port', 'HTTPS Port')),
                 'telnet_ssh': (('telnet_port', 'Telnet Port'), ('ssh_port', 'SSH Port')),
                 'ftp': (('ftp_port', 'Port'),)}
CRYPTO_REASON = ('the SSL/TLS and SSH set-up of this firmware (encryption licence agreement, key '
                 'and certificate generation) can only be completed in the web interface, not '
                 'over the serial console')


def check_services_menu(wanted, info):
    refuse_options(wanted, SERVICES_MISSING, info)
    where = describe(info)
    for _name, plain, secure, _label, _on, _off in SERVICE_PAIRS:
        if wanted.get(plain) is True and wanted.get(secure) is True:
            raise SettingsError('%s and %s cannot both be true on %s: the menu console serves one '
                                'of them at a time (Access plus the protocol choice). Nothing was '
                                'changed.' % (plain, secure, where))
    major = aos_major(info)
    if major is not None and major < 3:
        given = [o for o in ('https_enabled', 'ssh_enabled') if wanted.get(o) is True]
        if given:
            raise SettingsError('%s: true is not supported over the console on %s: %s. Use the '
                                'web interface for it. Nothing was changed.'
                                % (' and '.join(given), where, CRYPTO_REASON))


def read_service(name, screen):
    """{option: value} of one services screen (web, telnet_ssh, ftp)."""
    out = {}
    access = is_enabled(mp.value_of(screen, 'Access'))
    for pname, plain, secure, label, on_word, _off in SERVICE_PAIRS:
        if pname == name:
            secure_on = mp.normalise(mp.value_of(screen, label)) == mp.normalise(on_word)
            out[plain] = access and not secure_on
            out[secure] = access and secure_on
    if name == 'ftp':
        out['ftp_enabled'] = access
    for option, label in SERVICE_PORTS[name]:
        out[option] = to_int(mp.value_of(screen, label))
    return out


def plan_service(name, screen, wanted):
    """(values, changed options, final) for one services screen."""
    current = read_service(name, screen)
    final = dict(current)
    values, changed = {}, []
    for pname, plain, secure, label, on_word, off_word in SERVICE_PAIRS:
        if pname != name or (plain not in wanted and secure not in wanted):
            continue
        if wanted.get(plain) is True:
            new1, new2 = True, False
        elif wanted.get(secure) is True:
            new1, new2 = False, True
        else:
            new1, new2 = wanted.get(plain, current[plain]), wanted.get(secure, current[secure])
        final[plain], final[secure] = new1, new2
        if (new1, new2) != (current[plain], current[secure]):
            changed += [o for o, v in ((plain, new1), (secure, new2)) if current[o] != v]
            on = new1 or new2
            if is_enabled(mp.value_of(screen, 'Access')) != on:
                values['Access'] = ENABLED if on else DISABLED
            if on:
                word = on_word if new2 else off_word
                if mp.normalise(mp.value_of(screen, label)) != mp.normalise(word):
                    values[label] = word
    if name == 'ftp' and 'ftp_enabled' in wanted:
        final['ftp_enabled'] = wanted['ftp_enabled']
        if current['ftp_enabled'] != wanted['ftp_enabled']:
            changed.append('ftp_enabled')
            values['Access'] = ENABLED if wanted['ftp_enabled'] else DISABLED
    for option, label in SERVICE_PORTS[name]:
        if option in wanted:
            final[option] = wanted[option]
            if current[option] != wanted[option]:
                changed.append(option)
                values[label] = str(wanted[option])
    return values, changed, current, final


SERVICE_SCREENS = (('web', ('http_enabled', 'https_enabled', 'http_port', 'https_port')),
                   ('telnet_ssh', ('telnet_enabled', 'ssh_enabled', 'telnet_port', 'ssh_port')),
                   ('ftp', ('ftp_enabled', 'ftp_port')))


def ensure_services(console, wanted, info, check_mode=False):
    check_services_menu(wanted, info)
    area = MenuArea(console)
    needed = [(n, opts) for n, opts in SERVICE_SCREENS if any(o in wanted for o in opts)]
    if any(n == 'ftp' for n, _o in needed):
        network = area.read(['Network'])
        if not mp.has_item(network, 'FTP Server'):
            raise SettingsError('ftp_enabled/ftp_port are not available on %s: its Network menu has '
                                'no FTP Server. Nothing was changed.' % describe(info))
    screens = area.read_many([mp.path(n) for n, _o in needed]) if needed else []
    writes, commands, changed, before, after, everything = [], [], [], {}, {}, {}
    for (name, options), screen in zip(needed, screens):
        values, chg, current, final = plan_service(name, screen, wanted)
        everything.update(final)
        pair = name != 'ftp' and any(p in wanted for p in options[:2])
        shown = [o for o in options if o in wanted or (pair and o.endswith('_enabled'))]
        before.update((o, current[o]) for o in shown)
        after.update((o, final[o]) for o in shown)
        changed += chg
        if values:
            writes.append((mp.path(name), values))
            commands += steps_for(mp.path(name), values)
    asv._distinct_ports(everything, changed)  # pylint: disable=protected-access
    result = {'changed': bool(commands), 'commands': commands, 'reboot_required': bool(commands),
              'diff': {'before': before, 'after': after}, 'next_steps': [], 'warnings': []}
    if commands:
        result['next_steps'].append('reboot the management card (rackops.apc.reboot) for the '
                                    'service changes to take effect')
    if check_mode:
        return result
    for path, values in writes:
        area.set(path, values)
    return result


# ------------------------------------------------------------------------------ snmp
SNMP_MISSING = ('snmpv3_enabled', 'snmpv3_users', 'snmpv3_access')
ACCESS_TO_MENU = {'read': 'Read', 'write': 'Write', 'writeplus': 'Write+', 'disable': 'Disabled'}
ACCESS_FROM_MENU = {'read': 'read', 'write': 'write', 'write+': 'writeplus', 'disabled': 'disable'}


def check_snmp_menu(wanted, info):
    refuse_options(wanted, SNMP_MISSING, info)
    for index, entry in sorted((wanted.get('communities') or {}).items()):
        if 'nms' in entry:
            try:
                ipaddress.IPv4Address(entry['nms'])
            except ValueError:
                raise SettingsError('communities index %d: nms %r is not available on %s: the menu '
                                    'console takes an IPv4 address only (0.0.0.0 = any station). '
                                    'Nothing was changed.' % (index, entry['nms'], describe(info)))


def read_community(screen):
    access = mp.normalise(mp.value_of(screen, 'Access Type'))
    return {'community': mp.value_of(screen, 'Community Name'),
            'access': ACCESS_FROM_MENU.get(access, access), 'nms': mp.value_of(screen, 'NMS IP')}


def plan_snmp(snmp_screen, community_screens, wanted):
    """(writes [(path, values)], commands, before, after) for SNMPv1 on the menus.

    ``community_screens``: {index: Access Control screen} of the indexes asked about.
    """
    current = {'snmpv1_enabled': is_enabled(mp.value_of(snmp_screen, 'Access')) if snmp_screen else None,
               'communities': dict((i, read_community(s)) for i, s in community_screens.items())}
    plain = dict((k, v) for k, v in wanted.items() if k in ('snmpv1_enabled', 'communities'))
    _cmds, before, after, _warn = asn.plan(current, plain)
    writes, commands = [], []
    for index in sorted(wanted.get('communities') or {}):
        want, cur = wanted['communities'][index], current['communities'][index]
        values = {}
        for key, label in (('community', 'Community Name'), ('nms', 'NMS IP'), ('access', 'Access Type')):
            if key in want and not asn._same(key, cur.get(key), want[key]):  # pylint: disable=protected-access
                values[label] = ACCESS_TO_MENU[want[key]] if key == 'access' else want[key]
        if values:
            path = mp.path('snmp', 'Access Control %d' % index)
            writes.append((path, values))
            commands += steps_for(path, values)
    if 'snmpv1_enabled' in wanted and current['snmpv1_enabled'] != wanted['snmpv1_enabled']:
        values = {'Access': ENABLED if wanted['snmpv1_enabled'] else DISABLED}
        writes.append((mp.path('snmp'), values))
        commands += steps_for(mp.path('snmp'), values)
    return writes, commands, before, after


def ensure_snmp(console, wanted, info, check_mode=False):
    check_snmp_menu(wanted, info)
    area = MenuArea(console)
    indexes = sorted(wanted.get('communities') or {})
    paths = ([mp.path('snmp')] if 'snmpv1_enabled' in wanted else []) + \
        [mp.path('snmp', 'Access Control %d' % i) for i in indexes]
    screens = area.read_many(paths) if paths else []
    snmp_screen = screens.pop(0) if 'snmpv1_enabled' in wanted else None
    writes, commands, before, after = plan_snmp(snmp_screen, dict(zip(indexes, screens)), wanted)
    result = {'changed': bool(commands), 'commands': commands, 'reboot_required': bool(commands),
              'diff': {'before': before, 'after': after}, 'warnings': []}
    if check_mode:
        return result
    for path, values in writes:
        area.set(path, values)
    return result


# ------------------------------------------------------------------------------ reboot
REBOOT_ITEM = 'Reboot Management Interface'


def reboot_command():
    return step(mp.path('tools'), REBOOT_ITEM, 'YES')


def start_reboot(console):
    """System > Tools > Reboot Management Interface, YES; ApplyError unless it reboots."""
    result = MenuArea(console).action(mp.path('tools'), REBOOT_ITEM)
    if not result.get('rebooting'):
        raise ApplyError('the management card did not announce a reboot after YES (%s)'
                         % (result.get('message') or result.get('sentence') or 'no message'))
    return result
