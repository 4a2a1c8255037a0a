# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every configuration module does, once: validate before the console is touched,
check the dialect and firmware, ensure the area, and report changed/commands/diff."""

from __future__ import annotations

from ansible_collections.rackops.apc.plugins.module_utils import menu_device
from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, SettingsError, describe_firmware, ensure,
)


def cli_device(module, console=None, menu=False):
    """Connect (log in) and make sure the console speaks the command line (or, with
    ``menu``, the menu console: modules that have a menu implementation)."""
    console = console or DeviceConsole(module)
    try:
        info = console.device_info()
    except ConsoleFailure as exc:
        console.fail(exc)
    if menu and info.get('dialect') == 'menu':
        return console, info
    if info.get('dialect') != 'cli':
        dialect = info.get('dialect')
        module.fail_json(msg='%s shows the %s console dialect; %s supports the command line '
                             '(apc>) in this release' % (describe_firmware(info), dialect, module._name))
    return console, info


def finish(module, result):
    """exit_json with the diff only when --diff asked for it."""
    if not module._diff:
        result.pop('diff', None)
    result.pop('current', None)
    module.exit_json(**result)


def fail_apply(module, exc, **extra):
    msg = str(exc)
    if isinstance(exc, ApplyError):
        extra.setdefault('applied_commands', exc.applied)
    module.fail_json(msg=msg, **extra)


# Areas with a menu-console implementation (menu_device.py).
def _no_user_defaults(_console, _wanted, info, check_mode=False):  # pylint: disable=unused-argument
    raise SettingsError('rackops.apc.user_defaults is not available on %s: the menu console has '
                        'three fixed accounts (Administrator, Device Manager, Read Only User) and '
                        'no defaults for new accounts, lockout or password policy (use '
                        'rackops.apc.user for the accounts). Nothing was changed.'
                        % menu_device.describe(info))


MENU_AREAS = {
    'identity': menu_device.ensure_identity,
    'network': menu_device.ensure_network,
    'user_defaults': _no_user_defaults,
}


def run_area_module(module, area, params):
    """The whole life of a table-driven configuration module."""
    try:
        area.validate(params)           # values only: nothing touched yet
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    console, info = cli_device(module, menu=area.name in MENU_AREAS)
    try:
        if info.get('dialect') == 'menu':
            wanted = area.validate(params)
            result = MENU_AREAS[area.name](console, wanted, info, check_mode=module.check_mode)
        else:
            wanted = area.validate(params, info)
            result = ensure(console, area, wanted, check_mode=module.check_mode, info=info)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    except (ApplyError, CliCommandError) as exc:
        fail_apply(module, exc, changed=isinstance(exc, ApplyError) and bool(exc.applied))
    except ConsoleFailure as exc:
        console.fail(exc)
    finish(module, result)
