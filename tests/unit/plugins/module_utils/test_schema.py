# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings schema: the module docs agree with it, and what it derives is what the
command-line planner, the menus and the facts use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.rackops.apc.plugins.module_utils import schema as sc

MODULES = Path(__file__).resolve().parents[4] / 'plugins' / 'modules'


def _doc_options(module):
    source = (MODULES / ('%s.py' % module)).read_text()
    return yaml.safe_load(re.search(r"DOCUMENTATION = r'''(.*?)'''", source, re.S).group(1))['options']


@pytest.mark.parametrize('area', sorted(sc.SCHEMAS))
def test_module_documentation_equals_its_schema(area):
    schema = sc.SCHEMAS[area]
    documented = _doc_options(area)
    spec = schema.argument_spec()
    assert sorted(documented) == sorted(spec), 'options documented vs in the schema'
    for name, entry in spec.items():
        doc = documented[name]
        assert doc.get('type', 'str') == entry['type'], name
        assert doc.get('choices') == entry.get('choices'), name
        assert bool(doc.get('no_log')) is False      # no_log is an argument-spec matter
        assert doc.get('description'), '%s has no description' % name


def test_identity_binds_every_dialect():
    cli = sc.IDENTITY.cli_area()
    assert [f.name for f in cli.fields] == sc.IDENTITY.names()
    assert [f.option for f in cli.fields] == ['-n', '-c', '-l', '-m', '-s']
    assert sc.IDENTITY.menu_labels('identification') == {
        'name': 'System Name', 'contact': 'Contact', 'location': 'Location'}
    assert sc.IDENTITY.menu_missing() == ('system_message', 'host_name_sync')


SYSTEM = '''E000: Success
Name:      pdu-a01
Contact:   noc@example.net
Location:  DC1 row 4
Message:   Authorised staff only
DateTime Sync: disabled
Host Name Sync: enabled
'''


def test_cli_config_uses_the_option_names_and_plans_nothing_when_fed_back():
    def read(command):
        assert command == 'system'
        return _result(SYSTEM)

    config = sc.IDENTITY.cli_config(read)
    assert config == {'name': 'pdu-a01', 'contact': 'noc@example.net', 'location': 'DC1 row 4',
                      'system_message': 'Authorised staff only', 'host_name_sync': True}
    area = sc.IDENTITY.cli_area()
    wanted = area.validate(config)
    commands, changed = area.plan(config, wanted)
    assert commands == [] and changed == []


def _result(text):
    from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import parse_result
    return parse_result(text)


def test_menu_config_reads_the_labels():
    screen = {'title': 'Identification', 'header': {}, 'errors': [], 'items': [
        {'number': '1', 'label': 'System Name', 'value': 'pdu-b02'},
        {'number': '2', 'label': 'Contact', 'value': 'ops'},
        {'number': '3', 'label': 'Location', 'value': 'Lab'},
        {'number': '4', 'label': 'Accept Changes', 'value': None}]}
    seen = []

    def read(path):
        seen.append(path)
        return screen

    assert sc.IDENTITY.menu_config(read) == {'name': 'pdu-b02', 'contact': 'ops', 'location': 'Lab'}
    assert seen == [['System', 'Identification']]
