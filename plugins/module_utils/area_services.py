# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network services: web server (``web``), Telnet/SSH and the serial line speed
(``console``), FTP server (``ftp``).

AOS 6.x, 7.x and NMC3 switch every protocol on its own (``web -h -s``, ``console -t -s``).
AOS 5.x serves one web protocol and one remote console protocol at a time and switches
them with one word (``web -S http|https|disable``, ``console -S telnet|ssh|disable``):
on that firmware the two booleans of a pair are turned into that word here.

The serial line speed (``console -b``) is the speed of the very line this collection talks
over; changing it is refused unless explicitly allowed, is sent last and alone, and is not
read back (the line is garbled until the connection uses the new speed).
"""

from __future__ import annotations

from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, Area, Field, PlannedCommand, Reader, SettingsError, apply_commands, check_int,
    describe_firmware, firmware_family, verify,
)
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import (
    cli_device, fail_apply, finish,
)

BAUD_RATES = (2400, 9600, 19200, 38400)
SIX = ('aos6', 'aos7', 'nmc3')
ALL = ('aos5',) + SIX

# (option, command, default port, first port of the other range)
PORTS = {
    'http_port': ('web', 80, 5000),
    'https_port': ('web', 443, 5000),
    'telnet_port': ('console', 23, 5000),
    'ssh_port': ('console', 22, 5000),
    'ftp_port': ('ftp', 21, 5001),
}
PORT_MAX = 32768

# AOS 5.x: (command, first bool, second bool, word for first, word for second)
PAIRS = (
    ('web', 'http_enabled', 'https_enabled', 'http', 'https'),
    ('console', 'telnet_enabled', 'ssh_enabled', 'telnet', 'ssh'),
)
PAIR_NAMES = ('http_enabled', 'https_enabled', 'telnet_enabled', 'ssh_enabled')


def _port(name, value):
    default, low = PORTS[name][1], PORTS[name][2]
    number = check_int(name, value)
    if number != default and not low <= number <= PORT_MAX:
        raise SettingsError('%s must be %d or between %d and %d, got %d'
                            % (name, default, low, PORT_MAX, number))
    return number


def _cross_check(wanted, info):
    """Distinct ports among those given; AOS 5.x cannot serve both protocols of a pair."""
    _distinct_ports(wanted, wanted)
    if firmware_family(info) == 'aos5':
        for command, first, second, word1, word2 in PAIRS:
            if wanted.get(first) is True and wanted.get(second) is True:
                raise SettingsError(
                    '%s and %s cannot both be true on %s: AOS 5.x firmware serves one of them '
                    'at a time (%s -S %s|%s|disable); AOS 6.x and later can run both'
                    % (first, second, describe_firmware(info), command, word1, word2))


def _distinct_ports(final, changing):
    """Two services on one port: refused when at least one of them is being set."""
    seen = {}
    for name in sorted(PORTS):
        port = final.get(name)
        if port is None:
            continue
        if port in seen and (name in changing or seen[port] in changing):
            raise SettingsError('%s and %s would both use port %d' % (seen[port], name, port))
        seen.setdefault(port, name)


SERVICES = Area(
    name='services',
    command_order=('web', 'console', 'ftp'),
    cross_check=_cross_check,
    fields=[
        # 6.x switches; on 5.x the pairs become one -S word (see plan below)
        Field('http_enabled', 'web', 'http_enabled', '-h', kind='bool', families=ALL),
        Field('https_enabled', 'web', 'https_enabled', '-s', kind='bool', families=ALL),
        Field('http_port', 'web', 'http_port', '-ph', kind='int', validate=_port),
        Field('https_port', 'web', 'https_port', '-ps', kind='int', validate=_port),
        Field('telnet_enabled', 'console', 'telnet_enabled', '-t', kind='bool', families=ALL),
        Field('ssh_enabled', 'console', 'ssh_enabled', '-s', kind='bool', families=ALL),
        Field('telnet_port', 'console', 'telnet_port', '-pt', kind='int', validate=_port),
        Field('ssh_port', 'console', 'ssh_port', '-ps', kind='int', validate=_port),
        Field('console_baud_rate', 'console', 'baud_rate', '-b', kind='int', allowed=BAUD_RATES,
              verify=False),
        Field('ftp_enabled', 'ftp', 'enabled', '-S', kind='bool'),
        Field('ftp_port', 'ftp', 'port', '-p', kind='int', validate=_port),
    ],
)


def baud_advice(old, new):
    return ('after "console -b %d" the card\'s serial console runs at %d baud (was %s), the very '
            'line this connection uses: set ansible_serial_baud_rate: %d for this host (inventory '
            'or set_fact) and run "meta: reset_connection" before the next task on it; until then '
            'the line is garbled' % (new, new, old, new))


def send_baud(console, command):
    """Send ``console -b``: the card answers at the old speed, then switches, so the prompt
    after the answer arrives at the new speed and is unreadable. The command therefore ends
    at its result line (E000 accepted, E102 refused), read at the old speed."""
    result = console.run(command.template()[0], end_on_result=True)
    if result.failed:
        raise ApplyError('the device refused %r (%s: %s)' % (command.display(), result.code,
                                                             result.message))


def plan(current, wanted, family, allow_baud=False):
    """Commands for ``wanted`` given ``current`` on firmware ``family``.

    Returns ``(commands, changed_names, final)`` where ``final`` holds the value every
    asked-about setting will have (on AOS 5.x including the other protocol of a pair).
    The baud rate command, when any, is last and alone.
    """
    final = dict((k, current.get(k)) for k in wanted)
    plain = dict((k, v) for k, v in wanted.items() if k != 'console_baud_rate'
                 and not (family == 'aos5' and k in PAIR_NAMES))
    commands, changed = SERVICES.plan(current, plain)
    final.update(plain)
    by_command = dict((c.command, c) for c in commands)
    if family == 'aos5':
        for command, first, second, word1, word2 in PAIRS:
            if first not in wanted and second not in wanted:
                continue
            cur1, cur2 = bool(current.get(first)), bool(current.get(second))
            if wanted.get(first) is True:
                new1, new2 = True, False
            elif wanted.get(second) is True:
                new1, new2 = False, True
            else:
                new1 = wanted.get(first, cur1)
                new2 = wanted.get(second, cur2)
            final[first], final[second] = new1, new2
            if (new1, new2) == (current.get(first), current.get(second)):
                continue
            changed += [n for n, v in ((first, new1), (second, new2)) if current.get(n) != v]
            word = word1 if new1 else word2 if new2 else 'disable'
            cmd = by_command.setdefault(command, PlannedCommand(command))
            cmd.options.insert(0, ('-S', word, None))
    commands = [by_command[c] for c in SERVICES.command_order if c in by_command]
    _distinct_ports(dict(current, **final), changed)
    if 'console_baud_rate' in wanted and current.get('console_baud_rate') != wanted['console_baud_rate']:
        old, new = current.get('console_baud_rate'), wanted['console_baud_rate']
        if not allow_baud:
            raise SettingsError(
                'console_baud_rate %d differs from the card\'s %s baud, and this module talks to the '
                'card over that very serial console: the session would lose the line. Set '
                'allow_console_baud_change: true to change it anyway; afterwards set '
                'ansible_serial_baud_rate: %d for this host and run "meta: reset_connection"'
                % (new, old, new))
        changed.append('console_baud_rate')
        final['console_baud_rate'] = new
        commands.append(PlannedCommand('console').add('-b', str(new)))
    return commands, changed, final


def ensure(console, params, info, check_mode=False, allow_baud=False):
    """Read, plan, (apply, verify) the services. Result as device.ensure, plus next steps."""
    family = firmware_family(info)
    wanted = SERVICES.validate(params, info)
    reader = Reader(console)
    names = list(wanted)
    if family == 'aos5':
        for _command, first, second, _w1, _w2 in PAIRS:
            if first in wanted or second in wanted:
                names += [n for n in (first, second) if n not in names]
    # ports of the same commands too (read anyway), to refuse a port two services would share
    commands_read = set(SERVICES.by_name()[n].command for n in names)
    extra = [n for n in PORTS if n not in names and PORTS[n][0] in commands_read
             and any(p in wanted for p in PORTS)]
    current = SERVICES.read(reader, names + extra)
    commands, changed, final = plan(current, wanted, family, allow_baud)
    shown = [n for n in names if n in final]
    result = {
        'changed': bool(commands),
        'commands': [c.display() for c in commands],
        'reboot_required': False,
        'diff': {'before': dict((n, current.get(n)) for n in shown),
                 'after': dict((n, final.get(n)) for n in shown)},
        'next_steps': [],
        'warnings': [],
    }
    baud = commands[-1] if 'console_baud_rate' in changed else None
    if baud is not None:
        result['warnings'].append('console_baud_rate: ' + baud_advice(current.get('console_baud_rate'),
                                                                      wanted['console_baud_rate']))
    if not commands or check_mode:
        if baud is not None:
            result['next_steps'].append(baud_advice(current.get('console_baud_rate'),
                                                    wanted['console_baud_rate']))
        return result
    others = [c for c in commands if c is not baud]
    _results, reboot = apply_commands(console, others)
    # verify while the line still runs at the speed the session uses
    verify(console, SERVICES, final, [n for n in changed if n != 'console_baud_rate'])
    if baud is not None:
        try:
            send_baud(console, baud)
        except ApplyError as exc:
            exc.applied[:0] = [c.display() for c in others]
            raise
    result['reboot_required'] = reboot
    if reboot:
        result['next_steps'].append('reboot the management card (rackops.apc.reboot) for the '
                                    'service changes to take effect')
    if baud is not None:
        result['next_steps'].append(baud_advice(current.get('console_baud_rate'),
                                                wanted['console_baud_rate']))
    return result


def run_services_module(module):
    """The whole life of rackops.apc.services (see settings_module.run_area_module)."""
    params = dict((k, v) for k, v in module.params.items() if k != 'allow_console_baud_change')
    try:
        SERVICES.validate(params)         # values only: nothing touched yet
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    console, info = cli_device(module, menu=True)
    try:
        if info.get('dialect') == 'menu':
            from ansible_collections.rackops.apc.plugins.module_utils import menu_settings
            result = menu_settings.ensure_services(console, SERVICES.validate(params), info,
                                                   check_mode=module.check_mode)
        else:
            result = ensure(console, params, info, check_mode=module.check_mode,
                            allow_baud=bool(module.params.get('allow_console_baud_change')))
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    except (ApplyError, CliCommandError) as exc:
        fail_apply(module, exc, changed=isinstance(exc, ApplyError) and bool(exc.applied))
    except ConsoleFailure as exc:
        console.fail(exc)
    for warning in result.pop('warnings', []):
        module.warn(warning)
    finish(module, result)
