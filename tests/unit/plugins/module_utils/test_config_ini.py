# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/config_ini.py: parsing, the known keys, secrets masked, comparison."""

from __future__ import annotations

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import config_ini as ini
from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError

TEXT = """; comment
# another comment
[systemid]
name = pdu-a01
HOSTNAMESYNC=Disabled
[NetworkTCP/IP]
BootMode=DHCP
SystemIP=192.0.2.20
"""


def test_sections_and_keys_compare_without_case_and_values_become_options():
    entries = ini.parse(TEXT)
    assert [(e.known.option, e.wanted) for e in entries] == [
        ('name', 'pdu-a01'), ('host_name_sync', False), ('boot_mode', 'dhcp'),
        ('ipv4_address', '192.0.2.20')]
    assert [e.line for e in entries] == [4, 5, 7, 8]


def test_secret_looking_keys_are_masked_and_unknown_keys_need_the_opt_in():
    text = '[SNMPv3]\nUserAuthPassphrase=very-secret-1\n[SystemID]\nContact=noc\n'
    with pytest.raises(SettingsError) as err:
        ini.parse(text)
    assert 'SNMPv3.UserAuthPassphrase' in str(err.value) and 'very-secret-1' not in str(err.value)
    entries = ini.parse(text, allow_unknown=True)
    assert ini.shown_values(entries) == {'SNMPv3.UserAuthPassphrase': '********',
                                         'SystemID.Contact': 'noc'}


def test_comparison_uses_the_areas_rules():
    entries = ini.parse('[NetworkTCP/IP]\nHostName=PDU-A01\nBootMode=Manual\n[x]\nk=v\n',
                        allow_unknown=True)
    current = {'NetworkTCP/IP.HostName': 'pdu-a01', 'NetworkTCP/IP.BootMode': 'manual'}
    # host names compare without case; an unknown key can never be proven
    assert ini.differing(entries, current) == ['x.k']
    current['NetworkTCP/IP.BootMode'] = 'dhcp'
    assert ini.differing(entries, current) == ['NetworkTCP/IP.BootMode', 'x.k']


@pytest.mark.parametrize('text, message', [
    ('[SystemID]\nName=caf\u00e9\n', 'plain ASCII'),
    ('[SystemID]\nHostNameSync=maybe\n', 'enabled or disabled'),
    ('[NetworkTCP/IP]\nHostName=apc\n', 'appends the last six hex digits'),
    ('[NetworkTCP/IP]\nSubnetMask=255.0.255.0\n', 'not a valid subnet mask'),
    ('[SystemID\nName=x\n', 'section header'),
    ('[SystemID]\n=x\n', 'no key'),
    ('x' * (ini.MAX_FILE_BYTES + 1), 'larger than'),
])
def test_bad_files(text, message):
    with pytest.raises(SettingsError) as err:
        ini.parse(text)
    assert message in str(err.value)
