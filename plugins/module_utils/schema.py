# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings described once, for every dialect.

A :class:`Schema` is one settings area (identity, network, ...) as data. Each
:class:`Setting` appears once, with its type and limits and, side by side, how each console
dialect reads and writes it:

* ``cli``: a :class:`Cli` binding (read command, key in the parsed output, set option);
* ``menu``: a :class:`Menu` binding (screen, field label, value wording) or :class:`Missing`
  with the reason the menu firmware cannot do it;
* ``smart``: likewise for the smart protocol (None: the area does not exist there).

Everything else is derived from it instead of being written again: the command-line area
the planner in :mod:`.device` serves, the menu field labels and the options the menus
refuse, the module's argument spec (a unit test keeps each module's DOCUMENTATION equal to
it), and the facts of the area under the module's own option names, so that facts can be
fed back to the module unchanged.

Areas move here one at a time; see docs/developing.md ("Adding a setting").
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any, Callable, Optional

from ansible_collections.rackops.apc.plugins.module_utils import area_network
from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils import device as dev
from ansible_collections.rackops.apc.plugins.module_utils import menu_parse as mp


@dataclass(frozen=True)
class Cli:
    """How the command line reads and writes a setting."""

    read: str                          # command that reads it (no options) and sets it
    key: str                           # dot path into that command's parsed output
    option: str                        # option that sets it
    read_map: Optional[dict] = None    # device wording -> option value
    true_false: tuple = ('enable', 'disable')
    verify: bool = True                # compared again after writing
    values: tuple = ()                 # of the setting's choices, those this dialect takes


@dataclass(frozen=True)
class Menu:
    """Where a menu console shows a setting: a screen (menu_parse.PATHS key) and a label.
    ``to_menu``/``from_menu`` translate option values to the screen's wording and back;
    ``item_only``: the value is a field of the screen, never a header line of the same name
    (the TCP/IP screen's header shows the active address, its fields the configured one)."""

    screen: str
    label: str
    to_menu: Optional[dict] = None
    from_menu: Optional[dict] = None
    item_only: bool = False


@dataclass(frozen=True)
class Fixed:
    """The dialect has the setting at one value only: that value is accepted (and is what
    facts show), any other is refused with ``reason``."""

    value: Any
    reason: str


@dataclass(frozen=True)
class Missing:
    """The dialect (or firmware) has no such setting; ``reason`` says why, for the error."""

    reason: str


@dataclass(frozen=True)
class Setting:
    """One setting, described once."""

    name: str                          # module option name, and key in the facts
    kind: str = 'str'                  # str, bool, int, ipv4, netmask, host, ipv6, choice
    description: str = ''
    choices: tuple = ()
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    max_length: Optional[int] = None
    secret: bool = False
    reboot: bool = False               # a change takes effect after a reboot of the card
    families: tuple = dev.FAMILIES     # command-line firmware families that have it
    case_insensitive: bool = False
    validate: Optional[Callable[[str, Any], Any]] = None
    cli: Any = None                    # Cli, Missing or None
    menu: Any = None                   # Menu, Missing or None
    smart: Any = None                  # a smart-protocol binding, Missing or None

    @property
    def ansible_type(self):
        return {'bool': 'bool', 'int': 'int'}.get(self.kind, 'str')


@dataclass
class Schema:
    """One settings area."""

    name: str
    settings: list
    command_order: tuple = ()
    cross_check: Optional[Callable] = None
    menu_check: Optional[Callable] = None   # quirk: (screen name, current, wanted, info) before planning
    facts_view: Optional[Callable] = None   # quirk: config -> what facts show (feedable to the module)
    key: Optional[str] = None          # keyed areas (users, outlets, ...): the key option
    fixed: dict = dc_field(default_factory=dict)
    _area: Any = None

    # ------------------------------------------------------------------ lookups
    def setting(self, name):
        for item in self.settings:
            if item.name == name:
                return item
        raise KeyError(name)

    def names(self):
        return [item.name for item in self.settings]

    # ------------------------------------------------------------------ module side
    def argument_spec(self):
        """The module's argument spec, derived (a unit test compares it with the docs)."""
        spec = {}
        for item in self.settings:
            entry = {'type': item.ansible_type}
            if item.kind == 'choice':
                entry['choices'] = list(item.choices)
            if item.secret:
                entry['no_log'] = True
            spec[item.name] = entry
        return spec

    # ------------------------------------------------------------------ command line
    def cli_area(self):
        """The command-line area (:class:`device.Area`) the shared planner serves."""
        if self._area is None:
            fields = []
            for item in self.settings:
                if not isinstance(item.cli, Cli):
                    continue
                fields.append(dev.Field(
                    item.name, item.cli.read, item.cli.key, item.cli.option, kind=item.kind,
                    choices=item.choices, minimum=item.minimum, maximum=item.maximum,
                    max_length=item.max_length, true_false=item.cli.true_false,
                    families=item.families, secret=item.secret, verify=item.cli.verify,
                    case_insensitive=item.case_insensitive, validate=item.validate,
                    read_map=item.cli.read_map, cli_values=item.cli.values))
            self._area = dev.Area(name=self.name, fields=fields, command_order=self.command_order,
                                  cross_check=self.cross_check)
        return self._area

    # ------------------------------------------------------------------ menus
    def menu_labels(self, screen):
        """{option: field label} of one menu screen, in schema order."""
        return dict((item.name, item.menu.label) for item in self.settings
                    if isinstance(item.menu, Menu) and item.menu.screen == screen)

    def menu_screens(self):
        screens = []
        for item in self.settings:
            if isinstance(item.menu, Menu) and item.menu.screen not in screens:
                screens.append(item.menu.screen)
        return screens

    def menu_missing(self):
        """Options the menu consoles do not have (refused before anything is entered)."""
        return tuple(item.name for item in self.settings if not isinstance(item.menu, (Menu, Fixed)))

    def menu_fixed(self):
        """{option: Fixed} of the settings the menus hold at one value."""
        return dict((item.name, item.menu) for item in self.settings if isinstance(item.menu, Fixed))

    def menu_values(self, screen, screen_name):
        """{option: value} of one screen, in the options' wording (None: not shown)."""
        out = {}
        for item in self.settings:
            binding = item.menu
            if not isinstance(binding, Menu) or binding.screen != screen_name:
                continue
            if binding.item_only:
                found = mp.find_item(screen, binding.label, required=False)
                value = found['value'] if found else None
            else:
                value = mp.value_of(screen, binding.label)
            if value is not None and binding.from_menu:
                value = binding.from_menu.get(mp.normalise(value), value)
            out[item.name] = value
        return out

    def menu_text(self, name, value):
        """What is entered on the screen for option ``name`` set to ``value``."""
        binding = self.setting(name).menu
        return binding.to_menu.get(value, value) if binding.to_menu else value

    # ------------------------------------------------------------------ facts
    def cli_config(self, read, info=None):
        """The area's current values under the module's option names, read on the command
        line with ``read(command) -> CliResult``. Secrets and settings the firmware family
        lacks are left out. Feeding the result back to the module changes nothing."""
        family = dev.firmware_family(info) if info else 'unknown'
        area = self.cli_area()
        parsed = {}
        config = {}
        for fld in area.fields:
            if fld.secret or (family != 'unknown' and family not in fld.families):
                continue
            if fld.command not in parsed:
                result = read(fld.command)
                if result.failed:
                    raise cli_parse.CliCommandError(fld.command, result)
                parser = dev.PARSERS.get(fld.command)
                parsed[fld.command] = parser(result.output) if parser else {}
            config[fld.name] = fld.normalise(dev.dig(parsed[fld.command], fld.read_key))
        return self._view(config)

    def menu_config(self, read):
        """The same from the menu screens, with ``read(path) -> screen``."""
        config = {}
        for screen_name in self.menu_screens():
            values = self.menu_values(read(mp.path(screen_name)), screen_name)
            config.update((option, value) for option, value in values.items()
                          if not self.setting(option).secret)
        config.update((option, fixed.value) for option, fixed in self.menu_fixed().items())
        return self._view(config)

    def _view(self, config):
        """Facts leave out what is not set (None), then apply the area's facts quirk."""
        config = dict((k, v) for k, v in config.items() if v is not None)
        return self.facts_view(config) if self.facts_view else config


# ---------------------------------------------------------------------------- identity
# The command-line guide documents no limits; the web UI and SNMP (sysName, sysContact,
# sysLocation) take 255 characters. A longer value is refused before anything is sent.
MAX_TEXT = 255
_NO_MENU = Missing('the menu console (Control Console) has no such setting')

IDENTITY = Schema(
    name='identity',
    command_order=('system',),
    settings=[
        Setting('name', max_length=MAX_TEXT, description='System name',
                cli=Cli('system', 'name', '-n'), menu=Menu('identification', 'System Name')),
        Setting('contact', max_length=MAX_TEXT, description='Contact',
                cli=Cli('system', 'contact', '-c'), menu=Menu('identification', 'Contact')),
        Setting('location', max_length=MAX_TEXT, description='Location',
                cli=Cli('system', 'location', '-l'), menu=Menu('identification', 'Location')),
        Setting('system_message', max_length=MAX_TEXT, description='Message shown at login',
                cli=Cli('system', 'message', '-m'), menu=_NO_MENU),
        Setting('host_name_sync', kind='bool', description='Host name follows the system name',
                cli=Cli('system', 'host_name_sync', '-s'), menu=_NO_MENU),
    ],
)

# ---------------------------------------------------------------------------- network
BOOT_MODES = ('dhcp', 'bootp', 'manual', 'dhcp_bootp')
BOOT_TO_MENU = {'manual': 'Manual', 'dhcp': 'DHCP', 'bootp': 'BOOTP', 'dhcp_bootp': 'DHCP & BOOTP'}
BOOT_FROM_MENU = {'manual': 'manual', 'dhcp': 'dhcp', 'bootp': 'bootp', 'dhcp & bootp': 'dhcp_bootp'}
STATIC_IPV4 = ('ipv4_address', 'subnet_mask', 'gateway')
_NO_MENU_NET = Missing('the menu console (Control Console) has no such setting: it has no IPv6, '
                       'host name, IPv4 switch or DHCP cookie settings')


def _tcpip_menu_shows_static(screen_name, current, wanted, where):
    """Quirk: AOS 3.x TCP/IP screens show the static fields only in manual mode."""
    mode = wanted.get('boot_mode', current.get('boot_mode'))
    given = [o for o in STATIC_IPV4 if o in wanted]
    if screen_name == 'tcpip' and given and mode != 'manual' and current.get('ipv4_address') is None:
        raise dev.SettingsError('ipv4_address, subnet_mask and gateway need boot_mode: manual on %s '
                                '(the TCP/IP screen shows them only in manual mode)' % where)


def _network_facts(config):
    """Quirk: a static address is not used under DHCP/BOOTP (and a task giving both is
    refused), so facts show it only in manual mode."""
    if config.get('boot_mode') not in (None, 'manual'):
        for option in STATIC_IPV4:
            config.pop(option, None)
    return config


def _net(name, command, key, option, menu=_NO_MENU_NET, **kwargs):
    cli_keys = dict((k, kwargs.pop(k)) for k in ('read_map', 'values') if k in kwargs)
    return Setting(name, cli=Cli(command, key, option, **cli_keys), menu=menu, **kwargs)


NETWORK = Schema(
    name='network',
    command_order=('tcpip', 'boot', 'dns', 'tcpip6'),
    cross_check=area_network.cross_check,
    menu_check=_tcpip_menu_shows_static,
    facts_view=_network_facts,
    settings=[
        # boot_mode first: on the menus' TCP/IP screen the fields change with it
        _net('boot_mode', 'boot', 'boot_mode', '-b', kind='choice', choices=BOOT_MODES,
             values=('dhcp', 'bootp', 'manual'), reboot=True, description='How the card gets its IPv4 settings',
             menu=Menu('tcpip', 'Boot Mode', to_menu=BOOT_TO_MENU, from_menu=BOOT_FROM_MENU)),
        _net('ipv4_enabled', 'tcpip', 'ipv4_enabled', '-S', kind='bool', description='IPv4 on or off'),
        _net('ipv4_address', 'tcpip', 'ipv4_address', '-i', kind='ipv4', reboot=True,
             description='Static IPv4 address', menu=Menu('tcpip', 'System IP', item_only=True)),
        _net('subnet_mask', 'tcpip', 'subnet_mask', '-s', kind='netmask', reboot=True,
             description='Subnet mask', menu=Menu('tcpip', 'Subnet Mask', item_only=True)),
        _net('gateway', 'tcpip', 'gateway', '-g', kind='ipv4', reboot=True,
             description='Default gateway', menu=Menu('tcpip', 'Default Gateway', item_only=True)),
        _net('host_name', 'tcpip', 'host_name', '-h', validate=area_network.host_name,
             case_insensitive=True, description='Host name'),
        _net('domain_name', 'tcpip', 'domain_name', '-d', validate=area_network.domain,
             case_insensitive=True, description='Domain name', menu=Menu('dns', 'Domain Name')),
        _net('dhcp_cookie', 'boot', 'dhcp_cookie', '-c', kind='bool', description='Require the APC cookie from DHCP'),
        _net('dns_override', 'dns', 'override', '-OM', kind='bool', description='Use the DNS servers set here',
             menu=Fixed(True, 'the menu console always uses the DNS servers entered there')),
        _net('dns_primary', 'dns', 'primary', '-p', validate=area_network.ip_any,
             description='Primary DNS server', menu=Menu('dns', 'Primary DNS Server')),
        _net('dns_secondary', 'dns', 'secondary', '-s', validate=area_network.ip_any,
             description='Secondary DNS server', menu=Menu('dns', 'Secondary DNS Server')),
        _net('ipv6_enabled', 'tcpip6', 'ipv6_enabled', '-S', kind='bool', description='IPv6 on or off'),
        _net('ipv6_auto', 'tcpip6', 'ipv6_autoconfiguration', '-auto', kind='bool', description='IPv6 autoconfiguration'),
        _net('ipv6_manual', 'tcpip6', 'manual_settings', '-man', kind='bool', description='Manual IPv6 settings'),
        _net('ipv6_address', 'tcpip6', 'ipv6_address', '-i', validate=area_network.ipv6_prefix,
             description='IPv6 address'),
        _net('ipv6_gateway', 'tcpip6', 'gateway', '-g', kind='ipv6', description='IPv6 gateway'),
        _net('dhcpv6_mode', 'tcpip6', 'dhcpv6_mode', '-d6', kind='choice',
             choices=('router', 'statefull', 'stateless', 'never'), read_map=area_network.DHCPV6_READ,
             description='DHCPv6 mode'),
    ],
)

# Areas served from a schema, by module area name.
SCHEMAS = {'identity': IDENTITY, 'network': NETWORK}
