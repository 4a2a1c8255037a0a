# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The configuration modules on menu consoles (Control Console, AOS 2.x/3.x).

Same module options and result shape as on the command line (``changed``, ``commands``,
``reboot_required``, ``diff``). ``commands`` lists the menu steps, for example
``System > Identification > System Name: pdu-a01`` and ``... > Accept Changes``.

The screens are read with the connection's ``menu_read`` RPC, compared here, and only the
fields that differ are entered with ``menu_set`` (which accepts and reads the screen back).
Options the menu firmware lacks are refused, naming the firmware and the option, before
anything is entered.
"""

from __future__ import annotations

from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp
from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError
from ansible_collections.rackops.apc.plugins.module_utils.redact import MASK
from ansible_collections.rackops.apc.plugins.module_utils.schema import IDENTITY, NETWORK

SEP = ' > '


def describe(info):
    """'AP7920 (menu console, AOS v2.6.4)'."""
    info = info or {}
    firmware = info.get('firmware') or {}
    return '%s (menu console, AOS %s%s)' % (
        info.get('model') or 'device', firmware.get('aos') or '?',
        ', %s %s' % (firmware.get('app_name'), firmware.get('app')) if firmware.get('app_name') else '')


def aos_major(info):
    text = str(((info or {}).get('firmware') or {}).get('aos') or '').lstrip('vV')
    head = text.split('.', 1)[0]
    return int(head) if head.isdigit() else None


def refuse_options(params, unsupported, info):
    """Fail (SettingsError) when an option the menu firmware lacks was given."""
    given = [name for name in unsupported if params.get(name) is not None]
    if given:
        raise SettingsError(
            '%s: %s %s not available on %s: the menu console (Control Console) has no such '
            'setting. Nothing was changed.' % (
                ', '.join(given), 'is' if len(given) == 1 else 'are',
                'option' if len(given) == 1 else 'options', describe(info)))


def step(path, label, value=None, secret=False):
    text = SEP.join('Outlet %s' % e[1:] if e.startswith('#') else e
                    for e in path if not e.startswith('?'))
    if label is None:
        return text
    if value is None:
        return '%s%s%s' % (text, SEP, label)
    return '%s%s%s: %s' % (text, SEP, label, MASK if secret else value)


class MenuArea:
    """Reads and sets one settings screen through the connection."""

    def __init__(self, console):
        self.console = console

    def read(self, path):
        return self.console.call('menu_read', path)

    def read_many(self, paths):
        return self.console.call('menu_read', paths=paths)

    def set(self, path, values, secrets=None, login_password_from=None, login_user_from=None):
        kwargs = {}
        if secrets:
            kwargs['secrets'] = dict(secrets)
        if login_password_from:
            kwargs['login_password_from'] = login_password_from
        if login_user_from:
            kwargs['login_user_from'] = login_user_from
        return self.console.call('menu_set', path, values, **kwargs)

    def action(self, path, label):
        return self.console.call('menu_action', path, label, confirm=True)


def plan_screen(path, labels, current, wanted, secrets=()):
    """Changes for one screen: ({label: value}, [commands], [changed option names]).

    ``labels`` maps option -> field label, ``current`` option -> current value (already
    normalised), ``wanted`` option -> (value to compare, text to enter).
    """
    values, commands, changed = {}, [], []
    for option, label in labels.items():
        if option not in wanted:
            continue
        compare, text = wanted[option]
        if option not in secrets and current.get(option) == compare:
            continue
        values[label] = text
        changed.append(option)
        commands.append(step(path, label, text, secret=option in secrets))
    if values:
        commands.append(step(path, mp.ACCEPT))
    return values, commands, changed


def result_of(before, wanted, changed, commands, secrets=()):
    after = dict(before)
    for option in changed:
        after[option] = MASK if option in secrets else wanted[option]
    return {'changed': bool(commands), 'commands': commands, 'reboot_required': False,
            'diff': {'before': before, 'after': after}}


# ------------------------------------------------------------------------------ schema areas
def ensure_area(console, schema, wanted, info, check_mode=False):
    """Read, plan, (set) an area described by a settings schema, screen by screen: only
    the fields that differ are entered, then Accept Changes. Options the menus lack or hold
    at another value are refused before anything is entered."""
    refuse_options(wanted, schema.menu_missing(), info)
    before = {}
    for option, fixed in schema.menu_fixed().items():
        if option in wanted:
            if wanted[option] != fixed.value:
                raise SettingsError('%s: %r is not available on %s: %s. Nothing was changed.'
                                    % (option, wanted[option], describe(info), fixed.reason))
            before[option] = fixed.value
    area = MenuArea(console)
    commands, changed, writes = [], [], []
    for screen_name in schema.menu_screens():
        labels = schema.menu_labels(screen_name)
        given = [option for option in labels if option in wanted]
        if not given:
            continue
        path = mp.path(screen_name)
        current = schema.menu_values(area.read(path), screen_name)
        if schema.menu_check:
            schema.menu_check(screen_name, current, wanted, describe(info))
        before.update((option, current.get(option)) for option in given)
        plan = dict((option, (wanted[option], schema.menu_text(option, wanted[option]))) for option in given)
        values, cmds, chg = plan_screen(path, labels, current, plan)
        commands += cmds
        changed += chg
        if values:
            writes.append((path, values))
    result = result_of(before, wanted, changed, commands)
    result['reboot_required'] = any(schema.setting(option).reboot for option in changed)
    if check_mode:
        return result
    for path, values in writes:
        area.set(path, values)
    return result


def ensure_identity(console, wanted, info, check_mode=False):
    return ensure_area(console, IDENTITY, wanted, info, check_mode)


def ensure_network(console, wanted, info, check_mode=False):
    return ensure_area(console, NETWORK, wanted, info, check_mode)


def read_tcpip(screen):
    """TCP/IP screen -> the configured values (schema.NETWORK's options) and the active ones
    from the header (for facts)."""
    out = NETWORK.menu_values(screen, 'tcpip')
    header = screen.get('header', {})
    out['active'] = {'ipv4_address': header.get('Current IP Address'),
                     'subnet_mask': header.get('Current Subnet Mask'),
                     'gateway': header.get('Current Gateway')}
    out['mac_address'] = mp.mac(header.get('MAC Address'))
    return out


def read_dns(screen):
    return NETWORK.menu_values(screen, 'dns')


# ------------------------------------------------------------------------------ outlets
OUTLET_LABELS = {'name': 'Name', 'on_delay': 'Power On Delay', 'off_delay': 'Power Off Delay',
                 'reboot_duration': 'Reboot Duration'}
STATE_ITEMS = {'on': 'Immediate On', 'off': 'Immediate Off', 'rebooted': 'Immediate Reboot'}


def read_outlets(area, outlets, names):
    current = dict((n, {}) for n in outlets)
    if 'state' in names:
        for entry in mp.parse_outlet_list(area.read(mp.path('outlets'))):
            if entry['number'] in current:
                current[entry['number']].update(state=entry['state'], pending=entry['pending'])
    if set(names) & set(OUTLET_LABELS):
        screens = area.read_many([mp.outlet_path(n, 'Configure Outlet') for n in outlets])
        for number, screen in zip(outlets, screens):
            config = mp.parse_outlet_config(screen)
            for option in OUTLET_LABELS:
                if option in names:
                    current[number][option] = config[option]
    return current


def ensure_outlets(console, wanted, info, check_mode=False):
    from ansible_collections.rackops.apc.plugins.module_utils import area_outlets as ao
    outlets = ao.resolve_outlets(wanted, info)
    area = MenuArea(console)
    names = ao.needed_reads(wanted)
    current = read_outlets(area, outlets, names)
    commands, changed, writes, actions = [], {}, [], []
    for number in outlets:
        path = mp.outlet_path(number, 'Configure Outlet')
        plan = dict((o, (wanted[o], str(wanted[o]))) for o in OUTLET_LABELS if o in wanted)
        values, cmds, chg = plan_screen(path, OUTLET_LABELS, current[number], plan)
        for label, text in values.items():
            if text == '-1':
                values[label] = ['-1', 'Never']     # entered as -1, shown as Never
        if values:
            writes.append((path, values))
            commands += cmds
            changed.setdefault(number, []).extend(chg)
    state = wanted.get('state')
    if state:
        for number in outlets:
            now = current[number]
            if state == 'rebooted' or now.get('state') != state or now.get('pending'):
                path = mp.outlet_path(number, 'Control Outlet')
                actions.append((path, STATE_ITEMS[state]))
                commands.append(step(path, STATE_ITEMS[state]) + ': YES')
                changed.setdefault(number, []).append('state')
    result = {'changed': bool(commands), 'commands': commands, 'reboot_required': False,
              'diff': ao.diff_of(current, wanted, outlets, changed),
              'outlets': ao.summary(current, outlets)}
    if check_mode or not commands:
        return result
    for path, values in writes:
        area.set(path, values)
    for path, label in actions:
        area.action(path, label)
    now = read_outlets(area, outlets, names)
    wrong = []
    for number, keys in changed.items():
        for key in keys:
            if key == 'state' and state == 'rebooted':
                continue
            if now.get(number, {}).get(key) != wanted[key]:
                wrong.append('outlet %d %s is %r (wanted %r)' % (number, key, now[number].get(key), wanted[key]))
    if wrong:
        from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError
        raise ApplyError('the device accepted the changes but reads back differently: %s' % '; '.join(wrong))
    result['outlets'] = ao.summary(now, outlets)
    return result
