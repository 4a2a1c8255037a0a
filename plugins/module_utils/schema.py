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


@dataclass(frozen=True)
class Menu:
    """Where a menu console shows a setting: a screen (menu_parse.PATHS key) and a label."""

    screen: str
    label: str


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
                    read_map=item.cli.read_map))
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
        return tuple(item.name for item in self.settings if not isinstance(item.menu, Menu))

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
        return config

    def menu_config(self, read):
        """The same from the menu screens, with ``read(path) -> screen``."""
        config = {}
        for screen_name in self.menu_screens():
            screen = read(mp.path(screen_name))
            for option, label in self.menu_labels(screen_name).items():
                if not self.setting(option).secret:
                    config[option] = mp.value_of(screen, label)
        return config


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

# Areas served from a schema, by module area name.
SCHEMAS = {'identity': IDENTITY}
