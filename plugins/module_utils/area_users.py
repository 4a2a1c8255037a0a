# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local user accounts and the defaults for new ones.

* AOS 6.x/7.x and NMC3: named accounts, ``user -n <name> ...`` creates or changes one,
  ``user -del <name>`` deletes it. Read with ``user`` (the list) and ``user -n <name>``.
* AOS 5.x: three fixed accounts (Administrator, Device Manager, Read Only User) renamed
  and given passwords with ``user -an/-ap``, ``-dn/-dp``, ``-rn/-rp``; one inactivity
  timeout for all (``-t``). Read with ``user``.
* ``userdflt`` (6.x/7.x/NMC3 only): what a new account gets, lockout and password policy;
  a table-driven :class:`Area` like the other settings modules.

A password cannot be read back, so it is only compared by the caller's choice
(``update_password``): sent when the account is created (``on_create``) or every run
(``always``, which then always reports a change). Secrets travel as placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ansible_collections.rackops.apc.plugins.module_utils import models
from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, Area, Field, argument, PlannedCommand, SettingsError, apply_commands, check_int, check_text,
    describe_firmware, firmware_family,
)
from ansible_collections.rackops.apc.plugins.module_utils.redact import MASK
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import (
    cli_device, fail_apply, finish,
)

# ------------------------------------------------------------------------------ limits
# Option value -> the card's word for -pe.
PERMISSION_WORDS = {
    'administrator': 'Administrator',
    'device': 'Device',
    'read_only': 'Read-Only',
    'network_only': 'Network-Only',
}
# What the card prints (User Type / User Permission) -> option value.
PERMISSION_READ = {
    'administrator': 'administrator',
    'device': 'device',
    'device manager': 'device',
    'device user': 'device',
    'read-only': 'read_only',
    'read only': 'read_only',
    'read_only': 'read_only',
    'network-only': 'network_only',
    'network only': 'network_only',
    'network_only': 'network_only',
    'super user': 'super_user',
}

NAME_MAX = 64                 # 6.x/NMC3 user names (the card refuses longer ones)
NAME_MAX_AOS5 = 10            # AOS 5.x fixed account names
PASSWORD_MAX = models.PASSWORD_MAX['cli']
PASSWORD_MAX_AOS5 = models.PASSWORD_MAX['aos5']
DESCRIPTION_MAX = 64
TIMEOUT_RANGE = (1, 60)       # user -st / userdflt -st, minutes
TIMEOUT_RANGE_AOS5 = (1, 10)  # user -t on AOS 5.x, minutes
BAD_LOGIN_RANGE = (0, 99)     # userdflt -bl; 0 = never lock
PASSWORD_DAYS_RANGE = (0, 365)  # userdflt -pp; 0 = never require a change
_NAME_RE = re.compile(r'^[A-Za-z0-9._@-]+$')

# AOS 5.x fixed accounts: permission -> (name option, password option, what the card calls it)
FIXED_ACCOUNTS = {
    'administrator': ('-an', '-ap', 'Administrator'),
    'device': ('-dn', '-dp', 'Device Manager'),
    'read_only': ('-rn', '-rp', 'Read Only User'),
}
USER_FIELDS = ('permission', 'description', 'enabled', 'session_timeout')
USER_OPTIONS = {'permission': '-pe', 'description': '-d', 'enabled': '-e', 'session_timeout': '-st'}
_NOT_AOS5 = ('aos6', 'aos7', 'nmc3')


def read_permission(value):
    """The card's user type ('Read-Only', 'Super User') as an option value."""
    if value is None:
        return None
    text = ' '.join(str(value).split()).lower()
    return PERMISSION_READ.get(text, text)


# ------------------------------------------------------------------------------ checks
def check_name(value, max_length=NAME_MAX, what='name'):
    text = str(value if value is not None else '')
    if not text:
        raise SettingsError('%s must not be empty' % what)
    if len(text) > max_length:
        raise SettingsError('%s %r is %d characters long; the device takes at most %d'
                            % (what, text, len(text), max_length))
    if not _NAME_RE.match(text):
        raise SettingsError('%s %r may only contain letters, digits and . _ @ -' % (what, text))
    return text


def check_password(what, value, max_length=PASSWORD_MAX):
    """Basic password rules; the messages never include the value."""
    text = str(value)
    if not text:
        raise SettingsError('%s must not be empty' % what)
    if len(text) > max_length:
        raise SettingsError('%s is %d characters long; the device takes at most %d'
                            % (what, len(text), max_length))
    if '"' in text:
        raise SettingsError('%s must not contain double quotes (the console cannot take them)' % what)
    if any(ord(ch) < 32 or ord(ch) > 126 for ch in text):
        raise SettingsError('%s must be printable ASCII without line breaks' % what)
    if text != text.strip():
        raise SettingsError('%s must not start or end with a blank' % what)
    return text


def check_description(what, value):
    text = check_text(what, value, DESCRIPTION_MAX)
    if text != text.strip():
        raise SettingsError('%s must not start or end with a blank (the card does not show them)'
                            % what)
    return text


def check_permission(value, allow=tuple(PERMISSION_WORDS)):
    text = str(value).strip().lower().replace('-', '_')
    if text not in allow:
        raise SettingsError('permission must be one of %s, got %r' % (', '.join(allow), value))
    return text


def quoted(value, name='description'):
    """A description is always sent in double quotes (the guide asks for it), through the
    byte gate as a command-line argument."""
    return argument(name, value, always_quote=True)


# ------------------------------------------------------------------------------ validate
def validate_user(params, info=None):
    """Wanted state from the module parameters (raises SettingsError).

    Without ``info`` (before the console is touched) the values are checked; with it the
    firmware's limits too (AOS 5.x: fixed accounts, shorter names and passwords).
    """
    family = firmware_family(info) if info else 'unknown'
    wanted = {
        'name': check_name(params.get('name')),
        'state': params.get('state') or 'present',
        'update_password': params.get('update_password') or 'on_create',
    }
    if wanted['state'] not in ('present', 'absent'):
        raise SettingsError('state must be present or absent, got %r' % wanted['state'])
    if wanted['update_password'] not in ('always', 'on_create'):
        raise SettingsError('update_password must be always or on_create, got %r'
                            % wanted['update_password'])
    if params.get('permission') is not None:
        wanted['permission'] = check_permission(params['permission'])
    if params.get('description') is not None:
        wanted['description'] = check_description('description', params['description'])
    if params.get('enabled') is not None:
        if not isinstance(params['enabled'], bool):
            raise SettingsError('enabled must be true or false')
        wanted['enabled'] = params['enabled']
    if params.get('session_timeout') is not None:
        wanted['session_timeout'] = check_int('session_timeout', params['session_timeout'],
                                              *TIMEOUT_RANGE)
    if params.get('password') is not None:
        wanted['password'] = check_password('password', params['password'])
    if params.get('current_password') is not None:
        wanted['current_password'] = check_password('current_password', params['current_password'])
    if wanted['state'] == 'absent':
        given = [name for name in ('description', 'enabled', 'session_timeout',
                                   'password', 'current_password') if params.get(name) is not None]
        if given:
            raise SettingsError('state=absent deletes the account; %s would be set on an account '
                                'that is deleted: drop %s or use state=present. Nothing was sent.'
                                % (', '.join(given), 'it' if len(given) == 1 else 'them'))
    if 'current_password' in wanted and 'password' not in wanted:
        raise SettingsError('current_password is only used to change the password of the account '
                            'the session logs in with; give password too. Nothing was sent.')
    if family == 'aos5':
        _check_aos5(wanted, params, info)
    return wanted


def _check_aos5(wanted, params, info):
    where = describe_firmware(info)
    if wanted['state'] == 'absent':
        raise SettingsError('state=absent is not available on %s: the firmware has three fixed '
                            'accounts that cannot be deleted (rename one with name and permission)'
                            % where)
    for name in ('description', 'enabled'):
        if params.get(name) is not None:
            raise SettingsError('option %s is not available on %s: the firmware has three fixed '
                                'accounts without that setting' % (name, where))
    permission = wanted.get('permission')
    if permission is None:
        raise SettingsError('on %s the module needs permission (administrator, device or '
                            'read_only) to pick one of the three fixed accounts' % where)
    if permission not in FIXED_ACCOUNTS:
        raise SettingsError('permission %s is not available on %s: the fixed accounts are '
                            'administrator, device and read_only' % (permission, where))
    check_name(wanted['name'], NAME_MAX_AOS5)
    if 'password' in wanted:
        check_password('password', wanted['password'], PASSWORD_MAX_AOS5)
    if 'session_timeout' in wanted:
        wanted['session_timeout'] = check_int('session_timeout on %s' % where,
                                              wanted['session_timeout'], *TIMEOUT_RANGE_AOS5)


# ------------------------------------------------------------------------------ reading
def _read(console, command):
    result = console.read(command)
    if result.failed:
        raise CliCommandError(command, result)
    return result


def read_user_list(console):
    return cli_parse.parse_user_list(_read(console, 'user'))


def read_user(console, name):
    """The readable settings of one existing account (6.x/NMC3)."""
    detail = cli_parse.parse_user_detail(_read(console, 'user -n %s' % name))
    return {
        'permission': read_permission(detail.get('permission')),
        'description': detail.get('description') or '',
        'enabled': detail.get('access'),
        'session_timeout': detail.get('session_timeout'),
    }


def read_fixed(console):
    return cli_parse.parse_user_fixed(_read(console, 'user'))


def session_user(console, info):
    """Who the console session is logged in as (whoami; the login name on AOS 5.x)."""
    if firmware_family(info) != 'aos5':
        result = console.read('whoami')
        if not result.failed:
            user = cli_parse.parse_whoami(result).get('user')
            if user:
                return user
    return ((info or {}).get('session') or {}).get('user')


# ------------------------------------------------------------------------------ planning
@dataclass
class UserPlan:
    commands: list = dc_field(default_factory=list)
    before: dict = dc_field(default_factory=dict)
    after: dict = dc_field(default_factory=dict)
    warnings: list = dc_field(default_factory=list)
    expect: dict = dc_field(default_factory=dict)    # readable values to verify
    fixed: bool = False                               # AOS 5.x fixed accounts


def plan_user(console, wanted, info):
    """Read the accounts and plan the one command that takes them to ``wanted``."""
    if firmware_family(info) == 'aos5':
        return _plan_fixed(console, wanted, info)
    return _plan_named(console, wanted, info)


def _given(wanted):
    return [f for f in USER_FIELDS if f in wanted]


def _plan_named(console, wanted, info):
    name = wanted['name']
    plan = UserPlan()
    users = read_user_list(console)
    entry = next((u for u in users if u['name'] == name), None)
    if entry is None:
        clash = [u['name'] for u in users if str(u['name']).lower() == name.lower()]
        if clash:
            raise SettingsError('user %s differs only in letter case from the existing user %s; '
                                'use the existing name' % (name, clash[0]))
    if wanted['state'] == 'absent':
        if entry is None:
            plan.before = {'name': name, 'state': 'absent'}
            plan.after = dict(plan.before)
            return plan
        if read_permission(entry.get('user_type')) == 'super_user':
            raise SettingsError('user %s is the Super User, which the card cannot delete; '
                                'disable it (enabled: false) or change its password instead' % name)
        if session_user(console, info) == name:
            raise SettingsError('user %s is the account this session is logged in with; deleting '
                                'it would end the session: delete it while logged in as another '
                                'administrator' % name)
        plan.before = {'name': name, 'state': 'present',
                       'permission': read_permission(entry.get('user_type')),
                       'enabled': entry.get('enabled')}
        plan.after = {'name': name, 'state': 'absent'}
        plan.commands.append(PlannedCommand('user').add('-del', name))
        plan.expect = {'state': 'absent'}
        return plan

    cmd = PlannedCommand('user').add('-n', name)
    settings = []
    if entry is None:
        if wanted.get('password') is None:
            raise SettingsError('user %s does not exist; creating it needs password' % name)
        plan.before = {'name': name, 'state': 'absent'}
        plan.after = {'name': name, 'state': 'present'}
        for fld in _given(wanted):
            settings.append(fld)
            plan.after[fld] = wanted[fld]
        plan.after['password'] = MASK
        cmd.add('-pw', wanted['password'], secret_name='password')
    else:
        current = read_user(console, name)
        superuser = current['permission'] == 'super_user' or \
            read_permission(entry.get('user_type')) == 'super_user'
        if superuser and 'permission' in wanted:
            raise SettingsError('user %s is the Super User: its permission cannot be changed '
                                '(leave permission out for this account)' % name)
        plan.before = {'name': name, 'state': 'present'}
        for fld in _given(wanted):
            plan.before[fld] = current[fld]
        plan.after = dict(plan.before)
        for fld in _given(wanted):
            if wanted[fld] != current[fld]:
                settings.append(fld)
                plan.after[fld] = wanted[fld]
        if wanted.get('password') is not None and wanted['update_password'] == 'always':
            me = session_user(console, info)
            own = me is not None and me == name
            if superuser or own:
                if wanted.get('current_password') is not None:
                    cmd.add('-cp', wanted['current_password'], secret_name='current_password')
                elif own:
                    cmd.add('-cp', None, secret_name='login_password')
                else:
                    raise SettingsError('changing the password of the Super User %s needs '
                                        'current_password (this session is logged in as %s)'
                                        % (name, me or 'another user'))
            cmd.add('-pw', wanted['password'], secret_name='password')
            if own:
                cmd.login_password_from = 'password'
            plan.after['password'] = MASK
        if wanted.get('enabled') is False and 'enabled' in settings:
            if superuser:
                plan.warnings.append('disabling the Super User %s: make sure another enabled '
                                     'account has Administrator permission' % name)
            elif session_user(console, info) == name:
                plan.warnings.append('disabling %s, the account this session logs in with: later '
                                     'logins with it will fail' % name)
    for fld in settings:
        value = wanted[fld]
        if fld == 'permission':
            cmd.add('-pe', PERMISSION_WORDS[value])
        elif fld == 'description':
            cmd.add('-d', quoted(value))
        elif fld == 'enabled':
            cmd.add('-e', 'enable' if value else 'disable')
        else:
            cmd.add('-st', str(value))
        plan.expect[fld] = value
    if len(cmd.options) > 1:
        plan.commands.append(cmd)
    return plan


def _plan_fixed(console, wanted, info):
    name = wanted['name']
    permission = wanted['permission']
    name_option, password_option, label = FIXED_ACCOUNTS[permission]
    fixed = read_fixed(console)
    current_name = fixed.get(permission)
    if not current_name:
        raise SettingsError('could not read the name of the %s account from the user command '
                            'on %s' % (label, describe_firmware(info)))
    for other, (_n, _p, other_label) in FIXED_ACCOUNTS.items():
        if other != permission and str(fixed.get(other) or '').lower() == name.lower():
            raise SettingsError('name %s is already the %s account on %s; the three accounts '
                                'need different names (letter case does not count)'
                                % (name, other_label, describe_firmware(info)))
    plan = UserPlan(fixed=True)
    plan.before = {'name': current_name, 'permission': permission}
    plan.after = dict(plan.before, name=name)
    cmd = PlannedCommand('user')
    renamed = current_name != name
    me = session_user(console, info)
    if renamed:
        cmd.add(name_option, name)
        plan.expect['name'] = name
        if me == current_name:
            plan.warnings.append('renamed %s, the account this session logs in with, to %s: set '
                                 'ansible_user to %s for later logins' % (current_name, name, name))
    if wanted.get('password') is not None and (renamed or wanted['update_password'] == 'always'):
        cmd.add(password_option, wanted['password'], secret_name='password')
        plan.after['password'] = MASK
        if me == current_name:
            cmd.login_password_from = 'password'
    if 'session_timeout' in wanted:
        plan.before['session_timeout'] = fixed.get('session_timeout')
        plan.after['session_timeout'] = wanted['session_timeout']
        if fixed.get('session_timeout') != wanted['session_timeout']:
            cmd.add('-t', str(wanted['session_timeout']))
            plan.expect['session_timeout'] = wanted['session_timeout']
    if cmd.options:
        plan.commands.append(cmd)
    return plan


# ------------------------------------------------------------------------------ applying
def verify_user(console, wanted, plan):
    """Read the account again and check every readable change took."""
    if not plan.expect:
        return
    if plan.fixed:
        fixed = read_fixed(console)
        now = {'name': fixed.get(wanted['permission']), 'session_timeout': fixed.get('session_timeout')}
    else:
        names = [u['name'] for u in read_user_list(console)]
        if plan.expect.get('state') == 'absent':
            if wanted['name'] in names:
                raise ApplyError('the device accepted the commands but user %s still exists'
                                 % wanted['name'])
            return
        if wanted['name'] not in names:
            raise ApplyError('the device accepted the commands but user %s does not exist'
                             % wanted['name'])
        now = read_user(console, wanted['name'])
    wrong = ['%s is %r (wanted %r)' % (k, now.get(k), v) for k, v in plan.expect.items()
             if now.get(k) != v]
    if wrong:
        raise ApplyError('the device accepted the commands but reads back differently: %s'
                         % '; '.join(wrong))


def ensure_user(console, wanted, info, check_mode=False):
    """Read, plan, (apply, verify) one account. Returns (result, warnings)."""
    plan = plan_user(console, wanted, info)
    result = {
        'changed': bool(plan.commands),
        'commands': [c.display() for c in plan.commands],
        'reboot_required': False,
        'diff': {'before': plan.before, 'after': plan.after},
    }
    if not plan.commands or check_mode:
        return result, plan.warnings
    try:
        _results, reboot = apply_commands(console, plan.commands)
    except ApplyError as exc:
        if 'password' in plan.after and exc.result is not None and exc.result.code == 'E102':
            raise ApplyError('%s. A refused password often does not meet the password policy '
                             '(strong_passwords in rackops.apc.user_defaults asks for 8 or more '
                             'characters with upper and lower case letters, a digit and a '
                             'symbol) or current_password is wrong' % exc,
                             applied=exc.applied, result=exc.result)
        raise
    result['reboot_required'] = reboot
    verify_user(console, wanted, plan)
    return result, plan.warnings


def run_user_module(module):
    """The whole life of rackops.apc.user."""
    try:
        validate_user(module.params)            # values only: nothing touched yet
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    console, info = cli_device(module, menu=True)
    try:
        if info.get('dialect') == 'menu':
            from ansible_collections.rackops.apc.plugins.module_utils import menu_settings
            wanted = validate_user(module.params)
            result, warnings = menu_settings.ensure_user(console, wanted, info,
                                                         check_mode=module.check_mode)
        else:
            wanted = validate_user(module.params, info)
            result, warnings = ensure_user(console, wanted, info, check_mode=module.check_mode)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    except (ApplyError, CliCommandError) as exc:
        fail_apply(module, exc, changed=isinstance(exc, ApplyError) and bool(exc.applied))
    except ConsoleFailure as exc:
        console.fail(exc)
    for warning in warnings:
        module.warn(warning)
    finish(module, result)


# ------------------------------------------------------------------------------ userdflt
class PermissionField(Field):
    """-pe takes the card's words (Read-Only); the option takes read_only."""

    def render(self, value):
        return PERMISSION_WORDS[value]


class DescriptionField(Field):
    """An empty description reads back as nothing; always sent quoted."""

    def normalise(self, value):
        return '' if value is None else str(value)

    def render(self, value):
        return quoted(value)


def _no_userdflt_on_aos5(_wanted, info):
    if info and firmware_family(info) == 'aos5':
        raise SettingsError('the userdflt command is not available on %s: the firmware has three '
                            'fixed accounts and no defaults for new users (use rackops.apc.user)'
                            % describe_firmware(info))


USER_DEFAULTS = Area(
    name='user_defaults',
    command_order=('userdflt',),
    cross_check=_no_userdflt_on_aos5,
    fields=[
        Field('enabled', 'userdflt', 'access', '-e', kind='bool', families=_NOT_AOS5),
        PermissionField('permission', 'userdflt', 'permission', '-pe', kind='choice',
                        choices=tuple(PERMISSION_WORDS), read_map=PERMISSION_READ,
                        families=_NOT_AOS5),
        DescriptionField('description', 'userdflt', 'description', '-d',
                         validate=check_description, families=_NOT_AOS5),
        Field('session_timeout', 'userdflt', 'session_timeout', '-st', kind='int',
              minimum=TIMEOUT_RANGE[0], maximum=TIMEOUT_RANGE[1], families=_NOT_AOS5),
        Field('bad_login_attempts', 'userdflt', 'bad_login_attempts', '-bl', kind='int',
              minimum=BAD_LOGIN_RANGE[0], maximum=BAD_LOGIN_RANGE[1], families=_NOT_AOS5),
        Field('strong_passwords', 'userdflt', 'strong_passwords', '-sp', kind='bool',
              families=_NOT_AOS5),
        Field('password_change_days', 'userdflt', 'require_password_change_days', '-pp',
              kind='int', minimum=PASSWORD_DAYS_RANGE[0], maximum=PASSWORD_DAYS_RANGE[1],
              families=_NOT_AOS5),
    ],
)
