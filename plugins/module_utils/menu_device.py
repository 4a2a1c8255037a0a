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
from ansible_collections.rackops.apc.plugins.module_utils.schema import IDENTITY

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


# ------------------------------------------------------------------------------ identity
def ensure_identity(console, wanted, info, check_mode=False):
    refuse_options(wanted, IDENTITY.menu_missing(), info)
    labels = IDENTITY.menu_labels('identification')
    area = MenuArea(console)
    path = mp.path('identification')
    screen = area.read(path)
    current = dict((opt, mp.value_of(screen, label)) for opt, label in labels.items()
                   if opt in wanted)
    plan = dict((opt, (wanted[opt], wanted[opt])) for opt in labels if opt in wanted)
    values, commands, changed = plan_screen(path, labels, current, plan)
    result = result_of(current, wanted, changed, commands)
    if values and not check_mode:
        area.set(path, values)
    return result


# ------------------------------------------------------------------------------ network
BOOT_TO_MENU = {'manual': 'Manual', 'dhcp': 'DHCP', 'bootp': 'BOOTP'}
BOOT_FROM_MENU = {'manual': 'manual', 'dhcp': 'dhcp', 'bootp': 'bootp', 'dhcp & bootp': 'dhcp_bootp'}
TCPIP_LABELS = {'boot_mode': 'Boot Mode', 'ipv4_address': 'System IP', 'subnet_mask': 'Subnet Mask',
                'gateway': 'Default Gateway'}
DNS_LABELS = {'dns_primary': 'Primary DNS Server', 'dns_secondary': 'Secondary DNS Server',
              'domain_name': 'Domain Name'}
NETWORK_MISSING = ('ipv4_enabled', 'host_name', 'dhcp_cookie', 'ipv6_enabled', 'ipv6_auto',
                   'ipv6_manual', 'ipv6_address', 'ipv6_gateway', 'dhcpv6_mode')


def read_tcpip(screen):
    """TCP/IP screen -> {'boot_mode', 'ipv4_address', 'subnet_mask', 'gateway'} (configured
    values; AOS 3.x shows them only in manual mode) and the active ones from the header."""
    mode = mp.value_of(screen, 'Boot Mode')
    out = {'boot_mode': BOOT_FROM_MENU.get(mp.normalise(mode), mode)}
    for option in ('ipv4_address', 'subnet_mask', 'gateway'):
        item = mp.find_item(screen, TCPIP_LABELS[option], required=False)
        out[option] = item['value'] if item else None
    header = screen.get('header', {})
    out['active'] = {'ipv4_address': header.get('Current IP Address'),
                     'subnet_mask': header.get('Current Subnet Mask'),
                     'gateway': header.get('Current Gateway')}
    out['mac_address'] = mp.mac(header.get('MAC Address'))
    return out


def read_dns(screen):
    return {'dns_primary': mp.value_of(screen, 'Primary DNS Server'),
            'dns_secondary': mp.value_of(screen, 'Secondary DNS Server'),
            'domain_name': mp.value_of(screen, 'Domain Name')}


def ensure_network(console, wanted, info, check_mode=False):
    refuse_options(wanted, NETWORK_MISSING, info)
    if wanted.get('dns_override') is False:
        raise SettingsError('dns_override: false is not available on %s: the menu console '
                            'always uses the DNS servers entered there' % describe(info))
    area = MenuArea(console)
    commands, changed, before = [], [], {}
    tcp_path, dns_path = mp.path('tcpip'), mp.path('dns')
    writes = []
    ip_options = [o for o in ('ipv4_address', 'subnet_mask', 'gateway') if o in wanted]
    if 'boot_mode' in wanted or ip_options:
        current = read_tcpip(area.read(tcp_path))
        before.update((o, current.get(o)) for o in TCPIP_LABELS if o in wanted)
        mode = wanted.get('boot_mode', current['boot_mode'])
        if ip_options and mode != 'manual' and current.get('ipv4_address') is None:
            raise SettingsError('ipv4_address, subnet_mask and gateway need boot_mode: manual on %s '
                                '(the TCP/IP screen shows them only in manual mode)' % describe(info))
        plan = {}
        if 'boot_mode' in wanted:
            plan['boot_mode'] = (wanted['boot_mode'], BOOT_TO_MENU[wanted['boot_mode']])
        for option in ip_options:
            plan[option] = (wanted[option], wanted[option])
        values, cmds, chg = plan_screen(tcp_path, TCPIP_LABELS, current, plan)
        commands += cmds
        changed += chg
        if values:
            writes.append((tcp_path, values))
    dns_options = [o for o in DNS_LABELS if o in wanted]
    if dns_options:
        current = read_dns(area.read(dns_path))
        before.update((o, current.get(o)) for o in dns_options)
        plan = dict((o, (wanted[o], wanted[o])) for o in dns_options)
        values, cmds, chg = plan_screen(dns_path, DNS_LABELS, current, plan)
        commands += cmds
        changed += chg
        if values:
            writes.append((dns_path, values))
    if 'dns_override' in wanted:
        before['dns_override'] = True
    result = result_of(before, wanted, changed, commands)
    result['reboot_required'] = bool(set(changed) & set(TCPIP_LABELS))
    if check_mode:
        return result
    for path, values in writes:
        area.set(path, values)
    return result


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
