# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ser2net file reader: pure functions on configuration text."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleParserError

from ansible_collections.rackops.apc.plugins.inventory import ser2net as s2n

DEBIAN_FORM = '''%YAML 1.1
---
define: &banner \\r\\nser2net port \\p device \\d\\r\\n
define: &cs 192.0.2.10
connection: &pdu-a01
    accepter: telnet(rfc2217),tcp,7001
    enable: on
    options:
      banner: *banner
      kickolduser: true
    connector: serialdev,
              /dev/serial/by-id/usb-FTDI_A10K1234-if00-port0,
              9600n81,local
connection: &ups-a01
    accepter: tcp,*(cs),7002
    connector: serialdev,/dev/ttyUSB1,2400n81,local,rtscts
connection: &spare
    accepter: tcp,7003
    enable: off
    connector: serialdev,/dev/ttyUSB2,9600n81,local
'''

ONE_PER_DOCUMENT = '''---
connection: &a
  accepter: tcp,localhost,7101
  connector: serialdev,/dev/ttyS0,19200e71
---
connection: &b
  accepter: telnet,tcp,7102
  connector: serialdev,/dev/ttyS1
---
connection: &c
  accepter: telnet(rfc2217),tcp,localhost,7103
  connector: telnet,tcp,otherhost,23
'''


def test_debian_form_keeps_every_connection_and_expands_defines():
    hosts, warnings = s2n.hosts_from(DEBIAN_FORM, console_server='cs-rack-a')
    by_name = dict(hosts)
    assert list(by_name) == ['pdu-a01', 'ups-a01']
    assert by_name['pdu-a01']['ansible_serial_url'] == 'rfc2217://cs-rack-a:7001'
    assert by_name['pdu-a01']['ser2net_device'] == '/dev/serial/by-id/usb-FTDI_A10K1234-if00-port0'
    assert by_name['ups-a01']['ansible_serial_url'] == 'socket://cs-rack-a:7002'
    assert by_name['ups-a01']['ansible_serial_baud_rate'] == 2400
    assert by_name['ups-a01']['ansible_serial_rtscts'] is True
    assert any('spare is disabled' in w for w in warnings)
    assert any('banner' in w and 'pdu-a01' in w for w in warnings)


def test_a_bound_address_is_used_when_no_console_server_is_given():
    hosts, warnings = s2n.hosts_from(DEBIAN_FORM, rfc2217_options=['ign_set_control'])
    by_name = dict(hosts)
    assert by_name['ups-a01']['ansible_serial_url'] == 'socket://192.0.2.10:7002'
    assert 'pdu-a01' not in by_name
    assert any('pdu-a01 skipped' in w and 'console_server' in w for w in warnings)


def test_one_connection_per_document_and_skip_reasons():
    hosts, warnings = s2n.hosts_from(ONE_PER_DOCUMENT)
    by_name = dict(hosts)
    assert list(by_name) == ['a']
    assert by_name['a']['ansible_serial_url'] == 'socket://localhost:7101'
    assert (by_name['a']['ansible_serial_baud_rate'], by_name['a']['ansible_serial_parity'],
            by_name['a']['ansible_serial_byte_size']) == (19200, 'E', 7)
    text = ' '.join(warnings)
    assert 'b skipped' in text and 'telnet without RFC 2217' in text
    assert 'c skipped' in text and 'not a serial device' in text


@pytest.mark.parametrize('accepter, url', [
    ('telnet(rfc2217),tcp,127.0.0.1,7001', 'rfc2217://127.0.0.1:7001?ign_set_control'),
    ('telnet(rfc2217,timeout=5),tcp,::1,7001', 'rfc2217://[::1]:7001?ign_set_control'),
    ('tcp,7002', 'socket://cs:7002'),
    ('tcp,0.0.0.0,7002', 'socket://cs:7002'),
])
def test_accepter_urls(accepter, url):
    server = None if '127.0.0.1' in accepter or '::1' in accepter else 'cs'
    assert s2n.accepter_url(accepter, server, ['ign_set_control']) == url


@pytest.mark.parametrize('accepter, reason', [
    ('ssl,tcp,7001', 'cannot speak'),
    ('sctp,7001', 'not TCP'),
    ('tcp,localhost,port', 'no numeric port'),
])
def test_accepters_refused(accepter, reason):
    with pytest.raises(s2n.Ser2netError, match=reason):
        s2n.accepter_url(accepter, 'cs')


def test_include_and_exclude_patterns():
    hosts, _warnings = s2n.hosts_from(DEBIAN_FORM, console_server='cs', include=['pdu-*', 'ups-*'],
                                      exclude=['ups-*'])
    assert [name for name, _vars in hosts] == ['pdu-a01']


def test_a_connection_without_an_alias_is_an_error():
    with pytest.raises(AnsibleParserError, match='without an alias'):
        s2n.read_connections('connection:\n  accepter: tcp,7001\n  connector: serialdev,/dev/ttyS0\n')
