# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile input, table-driven: no value, password or secret becomes a second command or a
keystroke, on any dialect.

To extend the suite, add a row to the table that fits (see docs/developing.md, "Hostile
input"):

* ``PRE_WIRE``: refused before the console is touched, whatever the device. Every row runs
  against a command-line PDU (AP8941), a menu PDU (AP7920) and a smart-protocol UPS
  (SU1000NET) in one playbook; the evidence is that the simulators received no byte at all.
* ``CONNECTION``: bad connection options (inventory variables); refused before the port is
  even opened: again no byte received.
* ``CLI_ARGUMENTS``: values that are fine text but cannot be a command-line argument (a
  leading ``-``). They are refused after the area was read and before anything is written:
  the evidence is that no write command reached the card.

Each row asserts the error text. A row's message must name the option and the character
and never the value; for secret options the value (a canary) must not appear anywhere.
"""

from __future__ import annotations

import sys

import pytest

from conftest import SIM_DIR
from harness import inventory_for, is_write, stable_state

sys.path.insert(0, str(SIM_DIR))
try:
    from apcsim.transcript import received_bytes
finally:
    sys.path.remove(str(SIM_DIR))

SECRET = 'Pumpkin-7x'      # a canary: must never appear in a message or an output
CR, LF, BS, DEL = '\r', '\n', '\x08', '\x7f'
CTRL_C, ESC, CTRL_Z, TAB, NUL = '\x03', '\x1b', '\x1a', '\t', '\x00'
CSI = '\x9b'               # a C1 control: 0x9B reaches a 7-bit console as ESC
EURO = '\u20ac'            # UTF-8 E2 82 AC: 0x82 arrives on a 7-bit console as Ctrl-B

GATE = 'Nothing was sent to the device.'


def control(option, what):
    """The message of the byte gate for ``option`` holding ``what``."""
    return '%s holds %s' % (option, what)


# (id, module, args, fragments of the message)
PRE_WIRE = [
    # identity: every free-text field, every kind of character a console acts on
    ('identity-location-cr', 'identity', {'location': 'x' + CR + 'olOff 1'},
     [control('option location', 'a carriage return (CR) at character 2'), GATE]),
    ('identity-location-lf', 'identity', {'location': 'x' + LF + 'reboot'},
     [control('option location', 'a line feed (LF)')]),
    ('identity-name-crlf', 'identity', {'name': 'pdu' + CR + LF + 'YES'},
     [control('option name', 'a carriage return (CR)')]),
    ('identity-contact-bs', 'identity', {'contact': 'ops' + BS * 3 + 'x'},
     [control('option contact', 'a backspace')]),
    ('identity-contact-del', 'identity', {'contact': 'ops' + DEL},
     [control('option contact', 'a delete (DEL)')]),
    ('identity-location-ctrlc', 'identity', {'location': 'a' + CTRL_C},
     [control('option location', 'a Ctrl-C')]),
    ('identity-location-esc', 'identity', {'location': ESC + '[2J'},
     [control('option location', 'an escape (ESC) at character 1')]),
    ('identity-location-ctrlz', 'identity', {'location': 'a' + CTRL_Z},
     [control('option location', 'a Ctrl-Z')]),
    ('identity-location-tab', 'identity', {'location': 'a' + TAB + 'b'},
     [control('option location', 'a tab')]),
    ('identity-location-nul', 'identity', {'location': 'a' + NUL},
     [control('option location', 'a NUL byte')]),
    ('identity-location-c1', 'identity', {'location': 'a' + CSI},
     [control('option location', 'a control character (0x9B)')]),
    ('identity-location-euro', 'identity', {'location': '5' + EURO},
     [control('option location', 'a character outside printable ASCII (U+20AC)')]),
    ('identity-message-cr', 'identity', {'system_message': 'hi' + CR + 'reboot'},
     [control('option system_message', 'a carriage return (CR)')]),
    ('identity-location-list', 'identity', {'location': ['a', 'b']},
     ['option location must be a string, not a list', GATE]),
    ('identity-name-dict', 'identity', {'name': {'a': 'b'}},
     ['option name must be a string, not a dictionary']),
    ('identity-location-blanks', 'identity', {'location': '   '},
     ['location must not start or end with blanks (it is only blanks)']),
    ('identity-contact-padded', 'identity', {'contact': ' ops '},
     ['contact must not start or end with blanks']),
    # network
    ('network-host-cr', 'network', {'host_name': 'pdu1' + CR + 'reboot'},
     [control('option host_name', 'a carriage return (CR)')]),
    ('network-domain-lf', 'network', {'domain_name': 'lab' + LF + 'YES'},
     [control('option domain_name', 'a line feed (LF)')]),
    ('network-address-esc', 'network', {'ipv4_address': '10.0.0.5' + ESC},
     [control('option ipv4_address', 'an escape (ESC)')]),
    ('network-dns-ctrlc', 'network', {'dns_primary': CTRL_C + '10.0.0.1'},
     [control('option dns_primary', 'a Ctrl-C at character 1')]),
    ('network-host-list', 'network', {'host_name': ['a', 'b']},
     ['option host_name must be a string, not a list']),
    ('network-dhcp-and-static', 'network', {'boot_mode': 'dhcp', 'ipv4_address': '10.0.0.5'},
     ['boot_mode dhcp takes the address from the DHCP server, so ipv4_address would not be used']),
    ('network-bootp-and-gateway', 'network', {'boot_mode': 'bootp', 'gateway': '10.0.0.1'},
     ['boot_mode bootp takes the address from the BOOTP server, so gateway would not be used']),
    ('network-gateway-outside', 'network', {'boot_mode': 'manual', 'ipv4_address': '10.0.0.5',
                                            'subnet_mask': '255.255.255.0', 'gateway': '10.9.9.1'},
     ['gateway 10.9.9.1 is not in the network 10.0.0.0/24']),
    # users: names, descriptions, passwords (secret), conflicting options
    ('user-name-cr', 'user', {'name': 'bob' + CR + 'user -del apc'},
     [control('option name', 'a carriage return (CR)')]),
    ('user-description-lf', 'user', {'name': 'bob', 'description': 'x' + LF + 'reboot'},
     [control('option description', 'a line feed (LF)')]),
    ('user-password-cr', 'user', {'name': 'bob', 'password': SECRET + CR + 'olOff 1'},
     [control('option password', 'a carriage return (CR) at character 11'),
      '(the value is not shown: it is secret)']),
    ('user-password-bs', 'user', {'name': 'bob', 'password': SECRET + BS},
     [control('option password', 'a backspace')]),
    ('user-password-esc', 'user', {'name': 'bob', 'password': SECRET + ESC},
     [control('option password', 'an escape (ESC)')]),
    ('user-password-list', 'user', {'name': 'bob', 'password': [SECRET, SECRET]},
     ['option password must be a string, not a list']),
    ('user-current-password-del', 'user', {'name': 'apc', 'password': SECRET,
                                           'current_password': 'apc' + DEL},
     [control('option current_password', 'a delete (DEL)')]),
    ('user-absent-with-password', 'user', {'name': 'bob', 'state': 'absent', 'password': SECRET},
     ['state=absent deletes the account; password would be set on an account that is deleted']),
    ('user-absent-with-description', 'user', {'name': 'bob', 'state': 'absent', 'description': 'x'},
     ['state=absent deletes the account; description would be set']),
    ('user-current-without-new', 'user', {'name': 'apc', 'current_password': SECRET},
     ['current_password is only used to change the password', 'give password too']),
    ('user-name-dict', 'user', {'name': {'x': 1}},
     ['option name must be a string, not a dictionary']),
    # user defaults
    ('user-defaults-description-cr', 'user_defaults', {'description': 'a' + CR + 'b'},
     [control('option description', 'a carriage return (CR)')]),
    # snmp: communities, NMS, v3 users and passphrases (secret)
    ('snmp-community-cr', 'snmp', {'communities': [{'index': 1, 'community': 'pub' + CR + 'reboot'}]},
     [control('option communities[0].community', 'a carriage return (CR)')]),
    ('snmp-community-list', 'snmp', {'communities': [{'index': 1, 'community': ['a']}]},
     ['option communities[0].community must be a string, not a list']),
    ('snmp-nms-esc', 'snmp', {'communities': [{'index': 2, 'nms': '10.0.0.0' + ESC}]},
     [control('option communities[0].nms', 'an escape (ESC)')]),
    ('snmp-v3-user-lf', 'snmp', {'snmpv3_users': [{'index': 1, 'user_name': 'mon' + LF}]},
     [control('option snmpv3_users[0].user_name', 'a line feed (LF)')]),
    ('snmp-v3-auth-cr', 'snmp', {'snmpv3_users': [{'index': 1, 'auth_passphrase': SECRET + CR}]},
     [control('option snmpv3_users[0].auth_passphrase', 'a carriage return (CR)'),
      '(the value is not shown: it is secret)']),
    ('snmp-v3-priv-ctrlz', 'snmp', {'snmpv3_users': [{'index': 1, 'priv_passphrase': SECRET + CTRL_Z}]},
     [control('option snmpv3_users[0].priv_passphrase', 'a Ctrl-Z')]),
    ('snmp-access-nms-bs', 'snmp', {'snmpv3_access': [{'index': 1, 'nms': '10.0.0.1' + BS}]},
     [control('option snmpv3_access[0].nms', 'a backspace')]),
    # services: numbers only, but their types are enforced
    ('services-port-list', 'services', {'http_port': [80, 81]},
     ["http_port"]),
    # time
    ('time-ntp-cr', 'time', {'ntp_primary': 'pool.ntp.org' + CR + 'reboot'},
     [control('option ntp_primary', 'a carriage return (CR)')]),
    ('time-zone-lf', 'time', {'time_zone': '+01:00' + LF},
     [control('option time_zone', 'a line feed (LF)')]),
    ('time-date-esc', 'time', {'date': '12/02/2026' + ESC},
     [control('option date', 'an escape (ESC)')]),
    ('time-clock-list', 'time', {'time': ['12:00:00']},
     ['option time must be a string, not a list']),
    # outlets
    ('outlet-name-cr', 'outlet', {'outlets': 1, 'name': 'web' + CR + 'olOff 2'},
     [control('option name', 'a carriage return (CR)')]),
    ('outlet-name-bs', 'outlet', {'outlets': 1, 'name': 'web' + BS * 3 + 'olOff 2'},
     [control('option name', 'a backspace')]),
    ('outlet-outlets-cr', 'outlet', {'outlets': '1' + CR + 'olOff 2', 'name': 'x'},
     [control('option outlets', 'a carriage return (CR)')]),
    ('outlet-off-without-opt-in', 'outlet', {'outlets': 1, 'state': 'off'},
     ['allow_power_off: true']),
    # smart-protocol settings through any console
    ('ups-id-cr', 'ups_settings', {'ups_id': 'UPS' + CR + 'S'},
     [control('option ups_id', 'a carriage return (CR)')]),
    ('ups-battery-date-ctrlz', 'ups_settings', {'battery_date': '01/01/26' + CTRL_Z},
     [control('option battery_date', 'a Ctrl-Z')]),
    ('ups-sensitivity-esc', 'ups_settings', {'sensitivity': ESC},
     [control('option sensitivity', 'an escape (ESC)')]),
    ('ups-alarm-lf', 'ups_settings', {'alarm': '0' + LF + 'K'},
     [control('option alarm', 'a line feed (LF)')]),
    ('ups-command-shutdown-no-opt-in', 'ups_command', {'command': 'shutdown_return', 'delay': 60},
     ['allow_load_change']),
    ('ups-command-choice-cr', 'ups_command', {'command': 'self_test' + CR},
     [control('option command', 'a carriage return (CR)')]),
    # login proofs: the console's line editing must not turn a wrong string into the password
    ('login-password-cr', 'login', {'password': 'apc' + CR + 'olOff 1'},
     [control('option password', 'a carriage return (CR) at character 4')]),
    ('login-password-bs', 'login', {'password': 'apX' + BS + 'c'},
     [control('option password', 'a backspace at character 4')]),
    ('login-password-esc', 'login', {'password': 'apc' + ESC},
     [control('option password', 'an escape (ESC)')]),
    ('login-password-del', 'login', {'password': 'apcX' + DEL},
     [control('option password', 'a delete (DEL)')]),
    ('login-user-cr', 'login', {'user': 'apc' + CR, 'password': SECRET},
     [control('option user', 'a carriage return (CR)')]),
    ('login-password-dict', 'login', {'password': {'a': SECRET}},
     ['option password must be a string, not a dictionary']),
    # destructive modules: every input checked before the first destructive step
    ('reset-new-password-cr', 'reset', {'scope': 'all', 'confirm': True,
                                        'new_password': SECRET + CR + 'YES'},
     [control('option new_password', 'a carriage return (CR)')]),
    ('reset-new-password-quote', 'reset', {'scope': 'all', 'confirm': True,
                                           'new_password': 'a"b' + SECRET},
     ['new_password must not contain double quotes', 'Nothing was sent.']),
    ('reset-new-password-long', 'reset', {'scope': 'all', 'confirm': True,
                                          'new_password': 'x' * 65},
     ['new_password is 65 characters long; the device takes at most 64', 'Nothing was sent.']),
    ('reset-without-confirm', 'reset', {'scope': 'all'},
     ['set confirm: true to reset. Nothing was sent.']),
    ('recover-new-password-lf', 'recover', {'new_password': SECRET + LF},
     [control('option new_password', 'a line feed (LF)')]),
    ('recover-model-esc', 'recover', {'new_password': SECRET, 'model': 'AP7920' + ESC},
     [control('option model', 'an escape (ESC)')]),
    ('reboot-timeout-list', 'reboot', {'timeout': [1]},
     ['timeout']),
    # raw commands and their secrets
    ('command-cr', 'command', {'commands': ['olStatus all' + CR + 'olOff 1']},
     [control('option commands[0]', 'a carriage return (CR)')]),
    ('command-lf', 'command', {'commands': ['whoami', 'about' + LF + 'reboot']},
     [control('option commands[1]', 'a line feed (LF)')]),
    ('command-backspace', 'command', {'commands': ['olStatus' + BS * 6 + 'olOff 1']},
     [control('option commands[0]', 'a backspace at character 9')]),
    ('command-ctrlc', 'command', {'commands': ['about' + CTRL_C]},
     [control('option commands[0]', 'a Ctrl-C')]),
    ('command-esc', 'command', {'commands': [ESC + 'reboot']},
     [control('option commands[0]', 'an escape (ESC)')]),
    ('command-del', 'command', {'commands': ['olOnX' + DEL + ' 1']},
     [control('option commands[0]', 'a delete (DEL)')]),
    ('command-dict', 'command', {'commands': [{'cmd': 'reboot'}]},
     ['option commands[0] must be a string, not a dictionary']),
    ('command-secret-cr', 'command', {'commands': ['system -l <<loc>>'],
                                      'secrets': {'loc': 'x' + CR + 'olOff 1'}},
     [control('option secrets.loc', 'a carriage return (CR)'),
      '(the value is not shown: it is secret)']),
    ('command-secret-lf', 'command', {'commands': ['system -l <<loc>>'],
                                      'secrets': {'loc': 'x' + LF + 'ups -c off'}},
     [control('option secrets.loc', 'a line feed (LF)')]),
    ('command-secret-dash', 'command', {'commands': ['user -n bob -pw <<pw>>'],
                                        'secrets': {'pw': '-' + SECRET}},
     ['secrets.pw starts with "-": the command line would read it as an option']),
    ('command-secret-quote', 'command', {'commands': ['user -n bob -pw <<pw>>'],
                                         'secrets': {'pw': SECRET + '" -pe Administrator "'}},
     ['secrets.pw holds a double quote']),
    ('command-secret-list', 'command', {'commands': ['user -n bob -pw <<pw>>'],
                                        'secrets': {'pw': [SECRET]}},
     ['secrets.pw must be a string, not a list']),
    # firmware: file paths are typed nowhere, but the gate refuses control bytes in them too
    ('firmware-images-lf', 'firmware', {'images': ['/tmp/apc_hw05_aos_696.bin' + LF + 'reboot']},
     [control('option images[0]', 'a line feed (LF)')]),
    ('firmware-images-esc', 'firmware', {'images': ['/tmp/' + ESC + '[2Japc_hw05_aos_696.bin']},
     [control('option images[0]', 'an escape (ESC)')]),
    # facts
    ('facts-subset-cr', 'facts', {'gather_subset': ['min' + CR + 'reboot']},
     [control('option gather_subset[0]', 'a carriage return (CR)')]),
]

# (id, connection variables, fragments of the message)
CONNECTION = [
    ('password-cr', {'ansible_password': 'apc' + CR + 'olOff 1'},
     [control('ansible_password', 'a carriage return (CR) at character 4'), GATE]),
    ('password-lf', {'ansible_password': 'apc' + LF + 'reboot'},
     [control('ansible_password', 'a line feed (LF)')]),
    ('password-bs', {'ansible_password': 'apX' + BS + 'c'},
     [control('ansible_password', 'a backspace')]),
    ('password-esc', {'ansible_password': 'apc' + ESC},
     [control('ansible_password', 'an escape (ESC)')]),
    ('password-ctrlc', {'ansible_password': CTRL_C},
     [control('ansible_password', 'a Ctrl-C')]),
    ('password-euro', {'ansible_password': 'apc' + EURO},
     [control('ansible_password', 'a character outside printable ASCII')]),
    ('new-password-cr', {'ansible_apc_new_password': SECRET + CR + 'YES'},
     [control('ansible_apc_new_password', 'a carriage return (CR)')]),
    ('new-password-del', {'ansible_apc_new_password': SECRET + DEL},
     [control('ansible_apc_new_password', 'a delete (DEL)')]),
    ('user-cr', {'ansible_user': 'apc' + CR + 'apc'},
     [control('ansible_user', 'a carriage return (CR)')]),
    ('user-ctrlz', {'ansible_user': 'apc' + CTRL_Z},
     [control('ansible_user', 'a Ctrl-Z')]),
]

# (id, module, args, fragments): refused on the command line after the read, before a write
CLI_ARGUMENTS = [
    ('identity-location-dash', 'identity', {'location': '-n'},
     ['location starts with "-": the command line would read it as an option',
      'Nothing was written to the device']),
    ('identity-name-dash', 'identity', {'name': '-l Lab'},
     ['name starts with "-"']),
    ('user-description-dash', 'user', {'name': 'apc', 'description': '-pe Administrator'},
     ['description starts with "-"']),
    ('snmp-community-dash', 'snmp', {'communities': [{'index': 1, 'community': '-a write'}]},
     ['communities[1].community must not start with "-"']),
]

PROFILES = (
    ('cli', 'AP8941', {}),
    ('menu', 'AP7920', {}),
    ('smart', 'SU1000NET', {'ansible_apc_dialect': 'smart', 'ansible_serial_baud_rate': 2400}),
)


def test_the_table_is_large_enough():
    # the issue asks for at least 80 hostile inputs; each PRE_WIRE row runs on 3 dialects
    assert len(PRE_WIRE) + len(CONNECTION) + len(CLI_ARGUMENTS) >= 80
    assert len({row[0] for row in PRE_WIRE + CONNECTION + CLI_ARGUMENTS}) == \
        len(PRE_WIRE) + len(CONNECTION) + len(CLI_ARGUMENTS)


def _task(case_id, module, args, play_vars=None):
    """A task that may fail. With ``play_vars``, strings holding the canary come from a
    variable, as a secret would (vault, inventory), instead of the playbook text, which
    ansible-core itself quotes when it reports where a failed task was written."""
    return {'name': case_id, 'rackops.apc.%s' % module: _indirect(args, play_vars),
            'ignore_errors': True}


def _indirect(value, play_vars):
    if play_vars is None:
        return value
    if isinstance(value, dict):
        return dict((k, _indirect(v, play_vars)) for k, v in value.items())
    if isinstance(value, list):
        return [_indirect(v, play_vars) for v in value]
    if isinstance(value, str) and SECRET in value:
        name = 'hostile_secret_%d' % len(play_vars)
        play_vars[name] = value
        return '{{ %s }}' % name
    return value


def _check(result, case_id, fragments, secret_values=(SECRET,)):
    assert result['status'] == 'failed', (case_id, result)
    msg = result['result'].get('msg', '')
    for fragment in fragments:
        assert fragment in msg, (case_id, fragment, msg)
    for ch in (CR, LF, BS, DEL, CTRL_C, ESC, CTRL_Z, NUL, CSI, EURO):
        assert ch not in msg, (case_id, repr(ch), msg)
    for secret in secret_values:
        assert secret not in msg, (case_id, msg)


@pytest.mark.long_running(244)
def test_hostile_module_inputs_never_reach_any_console(sim, ansible_playbook):
    devices = {}
    hosts = {}
    for dialect, model, hostvars in PROFILES:
        device = sim(model, 'pty')
        devices[dialect] = device
        hosts.update(inventory_for({dialect: device}, **hostvars)['all']['hosts'])
    before = dict((d, stable_state(dev)) for d, dev in devices.items())
    play_vars = {}
    tasks = [_task(case_id, module, args, play_vars) for case_id, module, args, _fragments in PRE_WIRE]
    play = [{'hosts': 'all', 'gather_facts': False, 'tasks': tasks}]
    run = ansible_playbook(play, {'all': {'hosts': hosts, 'vars': play_vars}}, check=False,
                           extra_args=['-f', '3', '-vvvv'], timeout=1200)
    for dialect in devices:
        for case_id, _module, _args, fragments in PRE_WIRE:
            _check(run.task(case_id, dialect), '%s on %s' % (case_id, dialect), fragments)
    for dialect, device in devices.items():
        # the evidence: not one byte reached the device, and its state is as it was
        assert received_bytes(str(device.transcript)) == b'', dialect
        assert stable_state(device) == before[dialect], dialect
    assert SECRET not in run.stdout + run.stderr


def test_hostile_connection_options_never_reach_the_console(sim, ansible_playbook):
    device = sim('AP8941', 'pty')
    hosts = {}
    for case_id, hostvars, _fragments in CONNECTION:
        hosts.update(inventory_for({case_id: device}, **hostvars)['all']['hosts'])
    play = [{'hosts': 'all', 'gather_facts': False,
             'tasks': [{'name': 'facts', 'rackops.apc.facts': {'gather_subset': ['min']},
                        'ignore_errors': True}]}]
    run = ansible_playbook(play, {'all': {'hosts': hosts}}, check=False,
                           extra_args=['-f', '4', '-vvvv'])
    for case_id, _hostvars, fragments in CONNECTION:
        _check(run.task('facts', case_id), case_id, fragments)
    assert received_bytes(str(device.transcript)) == b''
    assert SECRET not in run.stdout + run.stderr


@pytest.mark.parametrize('case_id, module, args, fragments', CLI_ARGUMENTS,
                         ids=[row[0] for row in CLI_ARGUMENTS])
def test_a_leading_dash_never_becomes_an_option(sim, ansible_playbook, case_id, module, args,
                                                fragments):
    device = sim('AP8941', 'pty')
    before = stable_state(device)
    play = [{'hosts': 'all', 'gather_facts': False,
             'tasks': [_task(case_id, module, args)]}]
    run = ansible_playbook(play, inventory_for({'pdu': device}), check=False)
    _check(run.task(case_id), case_id, fragments)
    assert stable_state(device) == before
    assert not [line for line in device.received_lines() if is_write(line)]


def test_a_leading_dash_is_plain_text_on_a_menu_console(sim, ansible_playbook):
    # on the menus a value is typed at a field prompt: "-n" is stored as it is
    device = sim('AP7920', 'pty')
    play = [{'hosts': 'all', 'gather_facts': False,
             'tasks': [{'name': 'set', 'rackops.apc.identity': {'location': '-n'}}]}]
    run = ansible_playbook(play, inventory_for({'pdu': device}))
    assert run.task('set')['result']['changed'] is True
    state = device.device_state()
    assert '-n' in str(state), state
