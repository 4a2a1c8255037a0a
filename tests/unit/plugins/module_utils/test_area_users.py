# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Users: recorded `user`/`user -n`/`userdflt` text + wanted state -> exact commands."""

from __future__ import annotations

import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils import device as dev
from ansible_collections.rackops.apc.plugins.module_utils import area_users as au

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'cli')
SECRET = 'Canary-Usr-91x'


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


class FakeConsole:
    """Answers reads from recorded text; records everything else it is asked to send."""

    def __init__(self, reads, answers=None):
        self.reads = dict(reads)
        self.answers = answers or {}
        self.sent = []
        self.ran = []

    def read(self, command, verify=False):  # pylint: disable=unused-argument
        return self.run(command)

    def run(self, command, confirm=False, secrets=None, login_password_from=None, timeout=None):
        self.ran.append(command)
        if command in self.reads:
            result = cli_parse.parse_result(self.reads[command], command)
        else:
            self.sent.append((command, dict(secrets or {}), login_password_from))
            result = cli_parse.parse_result(self.answers.get(command, 'E000: Success'))
        result.raw = {'ok': result.ok}
        return result


INFO_6 = {'model': 'AP8941', 'card_model': 'AP8941', 'firmware': {'aos': 'v6.8.0'},
          'session': {'user': 'apc'}}
INFO_5 = {'model': 'Smart-UPS 1500', 'card_model': 'AP9630', 'firmware': {'aos': 'v5.1.7'},
          'session': {'user': 'apc'}}
READS_6 = {
    'user': fixture('user_list_ops.txt'),
    'user -n apc': fixture('user_n_apc.txt'),
    'user -n ops.admin': fixture('user_n_ops.txt'),
    'user -n device': fixture('user_n_device.txt'),
    'whoami': fixture('whoami.txt'),
}
READS_5 = {'user': fixture('user_fixed_aos5.txt')}


def plan(params, info=None, reads=None):
    info = INFO_6 if info is None else info
    console = FakeConsole(READS_6 if reads is None else reads)
    wanted = au.validate_user(dict(params), info)
    result = au.plan_user(console, wanted, info)
    return result, console


def commands(params, info=None, reads=None):
    result, console = plan(params, info, reads)
    assert console.sent == []          # planning never writes
    return [c.display() for c in result.commands]


# ------------------------------------------------------------------------------ parsers
def test_parse_user_fixed():
    data = cli_parse.parse_user_fixed(fixture('user_fixed_aos5.txt'))
    assert data == {'administrator': 'apc', 'device': 'device', 'read_only': 'readonly',
                    'session_timeout': 3}


def test_parse_user_fixed_tolerates_tabs_and_case():
    text = 'E000: Success\nADMINISTRATOR:\tadmin1\ndevice manager:  dm\nRead Only User:\tro\n' \
           'Session Timeout: 10 minutes\n'
    assert cli_parse.parse_user_fixed(text) == {'administrator': 'admin1', 'device': 'dm',
                                                'read_only': 'ro', 'session_timeout': 10}


def test_read_user_detail_maps_permission_and_empty_description():
    console = FakeConsole(READS_6)
    assert au.read_user(console, 'device') == {'permission': 'device', 'description': '',
                                               'enabled': False, 'session_timeout': 1}
    assert au.read_user(console, 'apc')['permission'] == 'super_user'


# ------------------------------------------------------------------------------ 6.x
def test_create_sends_every_given_option_and_the_password_as_placeholder():
    result, console = plan({'name': 'bob', 'password': SECRET, 'permission': 'read_only',
                            'description': 'Night shift', 'enabled': True, 'session_timeout': 5})
    assert [c.display() for c in result.commands] == [
        'user -n bob -pw ******** -pe Read-Only -d "Night shift" -e enable -st 5']
    text, secrets = result.commands[0].template()
    assert text == 'user -n bob -pw <<password>> -pe Read-Only -d "Night shift" -e enable -st 5'
    assert secrets == {'password': SECRET}
    assert result.before == {'name': 'bob', 'state': 'absent'}
    assert result.after == {'name': 'bob', 'state': 'present', 'permission': 'read_only',
                            'description': 'Night shift', 'enabled': True, 'session_timeout': 5,
                            'password': '********'}
    assert SECRET not in repr(result.before) + repr(result.after)
    assert result.commands[0].login_password_from is None
    assert 'whoami' not in console.ran


def test_create_without_password_is_refused_before_any_write():
    with pytest.raises(dev.SettingsError, match='user bob does not exist; creating it needs password'):
        commands({'name': 'bob', 'permission': 'device'})


def test_modify_one_field():
    assert commands({'name': 'ops.admin', 'permission': 'administrator', 'enabled': True,
                     'description': 'Rack operations', 'session_timeout': 3}) == [
        'user -n ops.admin -st 3']
    assert commands({'name': 'device', 'enabled': True}) == ['user -n device -e enable']
    assert commands({'name': 'device', 'permission': 'network_only'}) == [
        'user -n device -pe Network-Only']
    assert commands({'name': 'device', 'description': 'Facilities'}) == [
        'user -n device -d "Facilities"']


def test_no_change():
    result, _console = plan({'name': 'ops.admin', 'permission': 'administrator', 'enabled': True,
                             'description': 'Rack operations', 'session_timeout': 10,
                             'password': SECRET})
    assert result.commands == []
    assert result.before == result.after
    assert 'password' not in result.after
    assert commands({'name': 'device', 'description': ''}) == []


def test_password_on_create_is_not_sent_to_an_existing_user():
    assert commands({'name': 'ops.admin', 'password': SECRET}) == []
    assert commands({'name': 'ops.admin', 'password': SECRET, 'update_password': 'on_create',
                     'enabled': False}) == ['user -n ops.admin -e disable']


def test_password_always_is_sent_every_time():
    result, console = plan({'name': 'device', 'password': SECRET, 'update_password': 'always'})
    assert [c.display() for c in result.commands] == ['user -n device -pw ********']
    assert result.after['password'] == '********' and 'password' not in result.before
    assert result.commands[0].login_password_from is None
    assert 'whoami' in console.ran     # must know whether this is the session's own account


def test_own_password_uses_the_session_password_placeholder():
    result, _console = plan({'name': 'apc', 'password': SECRET, 'update_password': 'always'})
    cmd = result.commands[0]
    assert cmd.display() == 'user -n apc -cp ******** -pw ********'
    text, secrets = cmd.template()
    assert text == 'user -n apc -cp <<login_password>> -pw <<password>>'
    assert secrets == {'password': SECRET}
    assert cmd.login_password_from == 'password'


def test_own_password_with_current_password_given():
    result, _console = plan({'name': 'apc', 'password': SECRET, 'update_password': 'always',
                             'current_password': 'Old-Pass-1'})
    text, secrets = result.commands[0].template()
    assert text == 'user -n apc -cp <<current_password>> -pw <<password>>'
    assert secrets == {'current_password': 'Old-Pass-1', 'password': SECRET}
    assert result.commands[0].login_password_from == 'password'


def test_super_user_password_from_another_session_needs_current_password():
    reads = dict(READS_6, whoami='E000: Success\nops.admin\n')
    with pytest.raises(dev.SettingsError, match='needs current_password'):
        commands({'name': 'apc', 'password': SECRET, 'update_password': 'always'}, reads=reads)
    result, _console = plan({'name': 'apc', 'password': SECRET, 'update_password': 'always',
                             'current_password': 'apc'}, reads=reads)
    assert result.commands[0].template()[0] == 'user -n apc -cp <<current_password>> -pw <<password>>'
    assert result.commands[0].login_password_from is None


def test_own_non_super_account_keeps_the_session_working():
    reads = dict(READS_6, whoami='E000: Success\nops.admin\n')
    result, _console = plan({'name': 'ops.admin', 'password': SECRET, 'update_password': 'always'},
                            reads=reads)
    assert result.commands[0].template()[0] == 'user -n ops.admin -cp <<login_password>> -pw <<password>>'
    assert result.commands[0].login_password_from == 'password'


def test_delete():
    result, _console = plan({'name': 'device', 'state': 'absent', 'permission': 'administrator'})
    assert [c.display() for c in result.commands] == ['user -del device']
    assert result.before == {'name': 'device', 'state': 'present', 'permission': 'device',
                             'enabled': False}
    assert result.after == {'name': 'device', 'state': 'absent'}
    assert commands({'name': 'nobody', 'state': 'absent'}) == []


@pytest.mark.parametrize('params, reads, message', [
    ({'name': 'apc', 'state': 'absent'}, READS_6, 'is the Super User, which the card cannot delete'),
    ({'name': 'ops.admin', 'state': 'absent'}, dict(READS_6, whoami='E000: Success\nops.admin\n'),
     'the account this session is logged in with'),
    ({'name': 'apc', 'permission': 'administrator'}, READS_6, 'its permission cannot be changed'),
    ({'name': 'OPS.ADMIN', 'enabled': True}, READS_6, 'differs only in letter case'),
])
def test_refusals_after_reading(params, reads, message):
    with pytest.raises(dev.SettingsError, match=message):
        commands(params, reads=reads)


def test_disabling_the_super_user_warns():
    result, _console = plan({'name': 'apc', 'enabled': False})
    assert [c.display() for c in result.commands] == ['user -n apc -e disable']
    assert 'Super User' in result.warnings[0]


@pytest.mark.parametrize('params, message', [
    ({'name': 'bad name'}, 'may only contain letters'),
    ({'name': ''}, 'must not be empty'),
    ({'name': 'x' * 65}, 'at most 64'),
    ({'name': 'bob', 'description': 'say "hi"'}, 'double quotes'),
    ({'name': 'bob', 'description': 'd' * 65}, 'at most 64'),
    ({'name': 'bob', 'description': ' padded'}, 'leading or trailing|start or end'),
    ({'name': 'bob', 'session_timeout': 0}, 'between 1 and 60'),
    ({'name': 'bob', 'session_timeout': 61}, 'between 1 and 60'),
    ({'name': 'bob', 'permission': 'root'}, 'permission must be one of'),
    ({'name': 'bob', 'password': ''}, 'password must not be empty'),
    ({'name': 'bob', 'password': 'p' * 65}, 'at most 64'),
    ({'name': 'bob', 'password': 'has"quote'}, 'double quotes'),
    ({'name': 'bob', 'password': 'caf\u00e9-Pass'}, 'printable ASCII'),
    ({'name': 'bob', 'password': 'trailing '}, 'start or end with a blank'),
    ({'name': 'bob', 'state': 'gone'}, 'state must be'),
    ({'name': 'bob', 'update_password': 'sometimes'}, 'update_password must be'),
])
def test_bad_input_refused_without_device_info(params, message):
    with pytest.raises(dev.SettingsError, match=message) as info:
        au.validate_user(params)
    assert 'caf' not in str(info.value) and 'has"quote' not in str(info.value)


# ------------------------------------------------------------------------------ 5.x
def test_aos5_rename_and_password_in_one_command():
    result, _console = plan({'name': 'devmgr', 'permission': 'device', 'password': SECRET},
                            INFO_5, READS_5)
    cmd = result.commands[0]
    assert cmd.display() == 'user -dn devmgr -dp ********'
    assert cmd.template() == ('user -dn devmgr -dp <<password>>', {'password': SECRET})
    assert cmd.login_password_from is None
    assert result.before == {'name': 'device', 'permission': 'device'}
    assert result.after == {'name': 'devmgr', 'permission': 'device', 'password': '********'}


def test_aos5_same_name_on_create_sends_nothing_always_sends_the_password():
    assert commands({'name': 'readonly', 'permission': 'read_only', 'password': SECRET},
                    INFO_5, READS_5) == []
    assert commands({'name': 'readonly', 'permission': 'read_only', 'password': SECRET,
                     'update_password': 'always'}, INFO_5, READS_5) == ['user -rp ********']


def test_aos5_own_account_and_timeout():
    result, _console = plan({'name': 'apc', 'permission': 'administrator', 'password': SECRET,
                             'update_password': 'always', 'session_timeout': 10}, INFO_5, READS_5)
    cmd = result.commands[0]
    assert cmd.display() == 'user -ap ******** -t 10'
    assert cmd.login_password_from == 'password'
    assert commands({'name': 'apc', 'permission': 'administrator', 'session_timeout': 3},
                    INFO_5, READS_5) == []


def test_aos5_rename_of_the_session_account_warns():
    result, _console = plan({'name': 'root', 'permission': 'administrator'}, INFO_5, READS_5)
    assert [c.display() for c in result.commands] == ['user -an root']
    assert 'ansible_user' in result.warnings[0]


def test_aos5_never_runs_whoami():
    _result, console = plan({'name': 'apc', 'permission': 'administrator', 'password': SECRET,
                             'update_password': 'always'}, INFO_5, READS_5)
    assert console.ran == ['user']


@pytest.mark.parametrize('params, message', [
    ({'name': 'x', 'permission': 'device', 'description': 'd'},
     'option description is not available on Smart-UPS 1500 v5.1.7 (aos5)'),
    ({'name': 'x', 'permission': 'device', 'enabled': True},
     'option enabled is not available on Smart-UPS 1500 v5.1.7 (aos5)'),
    ({'name': 'x', 'permission': 'device', 'state': 'absent'},
     'state=absent is not available on Smart-UPS 1500 v5.1.7 (aos5)'),
    ({'name': 'x', 'permission': 'network_only'},
     'permission network_only is not available on Smart-UPS 1500 v5.1.7 (aos5)'),
    ({'name': 'x'}, 'needs permission'),
    ({'name': 'elevenchars', 'permission': 'device'}, 'at most 10'),
    ({'name': 'x', 'permission': 'device', 'password': 'p' * 33}, 'at most 32'),
    ({'name': 'x', 'permission': 'device', 'session_timeout': 11}, 'between 1 and 10'),
])
def test_aos5_refusals(params, message):
    with pytest.raises(dev.SettingsError, match=message.replace('(', r'\(').replace(')', r'\)')):
        au.validate_user(params, INFO_5)


def test_aos5_name_clash_with_another_fixed_account():
    with pytest.raises(dev.SettingsError, match='already the Read Only User account'):
        commands({'name': 'readonly', 'permission': 'device'}, INFO_5, READS_5)
    with pytest.raises(dev.SettingsError, match='already the Administrator account'):
        commands({'name': 'APC', 'permission': 'read_only'}, INFO_5, READS_5)


# ------------------------------------------------------------------------------ ensure
def test_ensure_check_mode_sends_nothing_and_apply_verifies():
    console = FakeConsole(READS_6)
    wanted = au.validate_user({'name': 'device', 'enabled': True}, INFO_6)
    result, _warnings = au.ensure_user(console, wanted, INFO_6, check_mode=True)
    assert result['changed'] and result['commands'] == ['user -n device -e enable']
    assert console.sent == []
    # apply: the fake device does not change, so verification reports the mismatch
    with pytest.raises(dev.ApplyError, match='reads back differently: enabled is False'):
        au.ensure_user(console, wanted, INFO_6)
    assert console.sent == [('user -n device -e enable', {}, None)]


def test_ensure_password_refusal_explains_the_policy():
    console = FakeConsole(READS_6, answers={'user -n device -pw <<password>>': 'E102: Parameter Error'})
    wanted = au.validate_user({'name': 'device', 'password': 'short', 'update_password': 'always'},
                              INFO_6)
    with pytest.raises(dev.ApplyError, match='password policy') as info:
        au.ensure_user(console, wanted, INFO_6)
    assert 'short' not in str(info.value)


# ------------------------------------------------------------------------------ userdflt
def userdflt_commands(params, info=None):
    info = INFO_6 if info is None else info
    console = FakeConsole({'userdflt': fixture('userdflt.txt')})
    wanted = au.USER_DEFAULTS.validate(params, info)
    result = dev.ensure(console, au.USER_DEFAULTS, wanted, check_mode=True, info=info)
    return result


def test_userdflt_plan():
    result = userdflt_commands({'bad_login_attempts': 5, 'strong_passwords': True,
                                'password_change_days': 90, 'permission': 'read_only',
                                'session_timeout': 3, 'enabled': False, 'description': 'New user'})
    assert result['commands'] == ['userdflt -pe Read-Only -d "New user" -bl 5 -sp enable -pp 90']
    assert result['diff']['before']['permission'] == 'administrator'
    assert result['diff']['after']['permission'] == 'read_only'


def test_userdflt_no_change():
    result = userdflt_commands({'bad_login_attempts': 0, 'strong_passwords': False,
                                'password_change_days': 0, 'permission': 'administrator',
                                'session_timeout': 3, 'enabled': False,
                                'description': 'User Description'})
    assert result['changed'] is False and result['commands'] == []


def test_userdflt_empty_description():
    console = FakeConsole({'userdflt': fixture('userdflt.txt').replace('User Description: User Description',
                                                                       'User Description: ')})
    wanted = au.USER_DEFAULTS.validate({'description': ''}, INFO_6)
    assert dev.ensure(console, au.USER_DEFAULTS, wanted, check_mode=True)['commands'] == []
    wanted = au.USER_DEFAULTS.validate({'description': 'x y'}, INFO_6)
    assert dev.ensure(console, au.USER_DEFAULTS, wanted, check_mode=True)['commands'] == [
        'userdflt -d "x y"']


@pytest.mark.parametrize('params, message', [
    ({'bad_login_attempts': 100}, 'between 0 and 99'),
    ({'password_change_days': 366}, 'between 0 and 365'),
    ({'session_timeout': 0}, 'between 1 and 60'),
    ({'description': 'a"b'}, 'double quotes'),
    ({'permission': 'root'}, 'must be one of'),
])
def test_userdflt_bad_input(params, message):
    with pytest.raises(dev.SettingsError, match=message):
        au.USER_DEFAULTS.validate(params)


def test_userdflt_refused_on_aos5():
    with pytest.raises(dev.SettingsError, match=r'option strong_passwords is not available on '
                                                r'Smart-UPS 1500 v5.1.7 \(aos5\)'):
        au.USER_DEFAULTS.validate({'strong_passwords': True}, INFO_5)
    with pytest.raises(dev.SettingsError, match='userdflt command is not available'):
        au.USER_DEFAULTS.validate({}, INFO_5)
