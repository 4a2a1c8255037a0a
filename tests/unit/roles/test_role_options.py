# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pdu and ups roles pass every module option explicitly (no templated argument dicts),
and refuse unknown option names up front: their option lists, their tasks and the modules'
documentation must agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]

# role settings variable -> (module, tasks file, task name, the variable the task reads)
WIRING = {
    'pdu': {
        'pdu_identity': ('identity', 'main.yml', 'Identity', 'pdu_identity'),
        'pdu_network': ('network', 'main.yml', 'Network', 'pdu_network'),
        'pdu_users': ('user', 'main.yml', 'User accounts', 'item'),
        'pdu_user_defaults': ('user_defaults', 'main.yml', 'Defaults for new accounts', 'pdu_user_defaults'),
        'pdu_services': ('services', 'main.yml', 'Services', '__pdu_services'),
        'pdu_snmp': ('snmp', 'main.yml', 'SNMP', 'pdu_snmp'),
        'pdu_time': ('time', 'main.yml', 'Time', 'pdu_time'),
        'pdu_outlets': ('outlet', 'main.yml', 'Outlets', 'item'),
    },
    'ups': {
        'ups_identity': ('identity', 'card.yml', 'Identity', 'ups_identity'),
        'ups_network': ('network', 'card.yml', 'Network', 'ups_network'),
        'ups_users': ('user', 'card.yml', 'User accounts', 'item'),
        'ups_user_defaults': ('user_defaults', 'card.yml', 'Defaults for new accounts', 'ups_user_defaults'),
        'ups_services': ('services', 'card.yml', 'Services', '__ups_services'),
        'ups_snmp': ('snmp', 'card.yml', 'SNMP', 'ups_snmp'),
        'ups_time': ('time', 'card.yml', 'Time', 'ups_time'),
        'ups_eeprom': ('ups_settings', 'smart.yml', 'EEPROM settings', 'ups_eeprom'),
    },
}
ROLE_SET = {'outlet': {'allow_power_off'}}     # set by the role itself


def module_options(module):
    source = (ROOT / 'plugins' / 'modules' / ('%s.py' % module)).read_text()
    doc = re.search(r"DOCUMENTATION = r'''(.*?)'''", source, re.S).group(1)
    return list(yaml.safe_load(doc)['options'])


CASES = [(role, var) + wiring for role, table in WIRING.items() for var, wiring in table.items()]


@pytest.mark.parametrize('role, var, module, tasks_file, task_name, source', CASES)
def test_role_passes_every_module_option(role, var, module, tasks_file, task_name, source):
    listed = yaml.safe_load((ROOT / 'roles' / role / 'vars' / 'main.yml').read_text())['__%s_options' % role]
    options = module_options(module)
    assert listed[var] == [o for o in options if o not in ROLE_SET.get(module, set())]
    tasks = yaml.safe_load((ROOT / 'roles' / role / 'tasks' / tasks_file).read_text())
    task = [t for t in tasks if t.get('name') == task_name][0]
    args = task['rackops.apc.' + module]
    assert isinstance(args, dict), 'templated argument dicts make ansible-core 2.19 warn'
    assert sorted(args) == sorted(options)
    for option, value in args.items():
        if option in ROLE_SET.get(module, set()):
            continue
        assert value == '{{ %s.%s | default(omit) }}' % (source, option)


@pytest.mark.parametrize('role', sorted(WIRING))
def test_every_settings_variable_is_checked(role):
    listed = yaml.safe_load((ROOT / 'roles' / role / 'vars' / 'main.yml').read_text())['__%s_options' % role]
    assert sorted(listed) == sorted(WIRING[role])
