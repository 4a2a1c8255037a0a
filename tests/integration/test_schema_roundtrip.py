# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts feed the module unchanged: for every area of the settings schema, what
``ansible_facts.apc.config.<area>`` reports, given back to the area's module, changes nothing
and writes nothing, on a command-line and a menu console."""

from __future__ import annotations

import sys

import pytest

from conftest import SIM_DIR
from harness import inventory_for, is_write

sys.path.insert(0, str(SIM_DIR))
try:
    from apcsim.transcript import received_lines
finally:
    sys.path.remove(str(SIM_DIR))


# wanted values first, so the round trip is not only of factory defaults
SET_FIRST = {
    'identity': {'cli': {'name': 'pdu-rt1', 'contact': 'noc team', 'location': 'DC2 row 7',
                         'system_message': 'authorised staff', 'host_name_sync': False},
                 'menu': {'name': 'pdu-rt2', 'contact': 'noc team', 'location': 'DC2 row 8'}},
    'network': {'cli': {'boot_mode': 'manual', 'ipv4_address': '10.20.30.40', 'subnet_mask': '255.255.255.0',
                        'gateway': '10.20.30.1', 'host_name': 'pdu-rt1', 'domain_name': 'dc2.example.net',
                        'dns_primary': '10.20.30.53', 'dhcp_cookie': False},
                'menu': {'boot_mode': 'manual', 'ipv4_address': '10.20.31.40', 'subnet_mask': '255.255.255.0',
                         'gateway': '10.20.31.1', 'domain_name': 'dc2.example.net',
                         'dns_primary': '10.20.31.53'}},
}
OPTIONS = {'identity': ['name', 'contact', 'location', 'system_message', 'host_name_sync'],
           'network': ['boot_mode', 'ipv4_enabled', 'ipv4_address', 'subnet_mask', 'gateway', 'host_name',
                       'domain_name', 'dhcp_cookie', 'dns_override', 'dns_primary', 'dns_secondary',
                       'ipv6_enabled', 'ipv6_auto', 'ipv6_manual', 'ipv6_address', 'ipv6_gateway',
                       'dhcpv6_mode']}


@pytest.mark.parametrize('area', sorted(SET_FIRST))
@pytest.mark.parametrize('dialect, model', [('cli', 'AP8941'), ('menu', 'AP7920')])
def test_facts_fed_back_change_nothing(sim, ansible_playbook, area, dialect, model):
    device = sim(model, 'pty')
    fed = dict((option, '{{ ansible_facts.apc.config.%s.%s | default(omit) }}' % (area, option))
               for option in OPTIONS[area])
    play = [{'name': 'round trip', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'set', 'rackops.apc.%s' % area: SET_FIRST[area][dialect]},
        {'name': 'facts', 'rackops.apc.facts': {'gather_subset': [area]}},
        {'name': 'fed back', 'rackops.apc.%s' % area: fed},
    ]}]
    run = ansible_playbook(play, inventory_for({'pdu': device}), extra_args=['--diff'])
    assert run.task('set')['result']['changed'] is True
    config = run.task('facts')['result']['ansible_facts']['apc']['config'][area]
    for option, value in SET_FIRST[area][dialect].items():
        assert config[option] == value, (option, config)
    fed_back = run.task('fed back')['result']
    assert fed_back['changed'] is False, fed_back
    assert fed_back['commands'] == []
    # nothing after the facts was a write (the set task wrote; the rest only read)
    lines = received_lines(str(device.transcript))
    writes = [line for line in lines if is_write(line)]
    if dialect == 'cli':
        assert writes == run.task('set')['result']['commands'], writes
        if area == 'identity':
            assert writes == ['system -n pdu-rt1 -c "noc team" -l "DC2 row 7" -m "authorised staff" '
                              '-s disable'], writes
    else:
        # each value typed once (by the set task)
        for value in SET_FIRST[area][dialect].values():
            if isinstance(value, str) and value != 'manual':
                assert lines.count(value) == 1, (value, lines)
