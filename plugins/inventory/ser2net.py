# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: ser2net
author:
  - rackops.apc contributors (@rackops)
short_description: Hosts from a ser2net configuration file, one per console port
version_added: 0.1.0
description:
  - Reads the YAML configuration of C(ser2net) version 4 (Debian's C(ser2net) package,
    C(/etc/ser2net.yaml)) and yields one host per C(connection), named by the connection's
    alias (the C(&pdu-a01) after C(connection)), so the console server's own file is the rack's
    inventory.
  - Each host gets C(ansible_connection=rackops.apc.console) and an C(ansible_serial_url) built
    from the connection's accepter - C(rfc2217://host:port) for C(telnet(rfc2217),tcp,...),
    C(socket://host:port) for a plain C(tcp,...) accepter - and the line settings of its
    C(serialdev) connector (C(9600n81) gives C(ansible_serial_baud_rate=9600),
    C(ansible_serial_parity=N), C(ansible_serial_byte_size=8), C(ansible_serial_stop_bits=1)).
  - Connections that are disabled (C(enable) off), that use an accepter the console connection
    cannot speak (telnet without RFC 2217, SSL, SCTP, mux) or whose connector is not a serial
    device are skipped with a warning naming them.
  - Both forms of the file are read - several C(connection) keys in one YAML document (the
    form Debian ships, which standard YAML parsers would fold into one) and one connection per
    document - and C(define) aliases are expanded, also inside strings (C(*(name))).
  - The file must be named C(*.ser2net.yml) or C(*.ser2net.yaml), or C(ser2net.yml)/C(ser2net.yaml);
    it is the inventory source that points at the ser2net file, not the ser2net file itself.
extends_documentation_fragment:
  - constructed
options:
  plugin:
    description: The name of this plugin; must be C(rackops.apc.ser2net).
    type: str
    required: true
    choices: [rackops.apc.ser2net]
  path:
    description:
      - The ser2net configuration file to read. A relative path is taken relative to the
        inventory source file (not the current directory), so the two files can travel
        together.
    type: str
    default: /etc/ser2net.yaml
  console_server:
    description:
      - The host name or address at which the controller reaches the console server.
      - Used for every connection whose accepter listens on all addresses (C(tcp,7001)); an
        accepter bound to one address (C(tcp,192.0.2.10,7001)) uses that address unless this
        option is set.
      - A connection with neither is skipped with a warning.
    type: str
  include:
    description: Only connections whose alias matches one of these shell patterns.
    type: list
    elements: str
    default: ['*']
  exclude:
    description: Leave out connections whose alias matches one of these shell patterns.
    type: list
    elements: str
    default: []
  rfc2217_options:
    description:
      - pyserial options added to every C(rfc2217://) URL, as C(?name&name).
      - The default C(ign_set_control) makes the client go on when ser2net does not answer
        the flow-control setting (SET_CONTROL) it asks for at connect time, which ser2net does
        not do for ports opened with C(local) or for devices without modem lines; without it
        pyserial gives up with "timeout while waiting for option 'control'".
      - Set it to an empty list for a console server that answers every RFC 2217 option.
    type: list
    elements: str
    default: [ign_set_control]
  group:
    description: Put every host into this group (besides C(all) and the constructed groups).
    type: str
    default: apc_consoles
'''

EXAMPLES = r'''
# inventory/rack-a.ser2net.yml: the console server's file is the inventory
plugin: rackops.apc.ser2net
path: /etc/ser2net.yaml            # copied from (or mounted off) the console server
console_server: cs-rack-a.example.net
exclude: ['spare-*']
# per-model groups from the connection names (pdu-..., ups-...)
keyed_groups:
  - key: ser2net_connection.split('-')[0]
    prefix: ''
    separator: ''
compose:
  ansible_password: lookup('ansible.builtin.env', 'APC_PASSWORD')
'''

import fnmatch
import os
import re

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core itself needs PyYAML
    yaml = None
    _AnchorLoader = None
else:
    class _AnchorLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
        """Keeps each node's anchor: a ser2net connection is named by its alias."""

        def compose_scalar_node(self, anchor):
            node = super().compose_scalar_node(anchor)
            node.anchor = anchor
            return node

        def compose_sequence_node(self, anchor):
            node = super().compose_sequence_node(anchor)
            node.anchor = anchor
            return node

        def compose_mapping_node(self, anchor):
            node = super().compose_mapping_node(anchor)
            node.anchor = anchor
            return node

DEFAULT_LINE = '9600n81'
_SPEED = re.compile(r'^(?P<baud>\d+)(?P<parity>[nNeEoOmMsS])(?P<bits>[5-8])(?P<stop>[12])$')
_SUBST = re.compile(r'\*\(([^)]*)\)')
_WILDCARD = ('', '0.0.0.0', '::', '[::]', '*')


class Ser2netError(ValueError):
    """A connection that cannot become a host (the reason names it)."""


def _expand(text, defines):
    """ser2net's extension to YAML: *(name) inside a string is the text of define &name;
    *(* is a literal *(."""
    def one(match):
        name = match.group(1)
        if name == '*':
            return '*('
        if name not in defines:
            raise Ser2netError('*(%s) names no define' % name)
        return defines[name]
    return _SUBST.sub(one, text)


def _scalar(node, defines):
    if isinstance(node, yaml.ScalarNode):
        return _expand(str(node.value), defines)
    if isinstance(node, yaml.MappingNode):
        return dict((_scalar(k, defines), _scalar(v, defines)) for k, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_scalar(v, defines) for v in node.value]
    return None


def read_connections(text):
    """[(alias, {accepter, connector, enable, options, ...})] in file order.

    Reads the node tree rather than the loaded data: ser2net's own files repeat the
    ``connection`` key in one mapping, which a plain YAML load would fold into the last one.
    """
    if yaml is None:
        raise AnsibleParserError('the rackops.apc.ser2net inventory needs PyYAML')
    # ser2net's "%YAML 1.1" directive is fine for PyYAML; tabs are not
    connections = []
    defines = {}
    try:
        documents = list(yaml.compose_all(text, Loader=_AnchorLoader))
    except yaml.YAMLError as exc:
        raise AnsibleParserError('not a readable ser2net YAML file: %s' % exc)
    for document in documents:
        if document is None:
            continue
        if not isinstance(document, yaml.MappingNode):
            raise AnsibleParserError('a ser2net file holds mappings (define, connection, ...), '
                                     'not %s' % document.tag)
        for key, value in document.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name == 'define' and getattr(value, 'anchor', None):
                defines[value.anchor] = str(_scalar(value, defines))
            elif name == 'connection':
                if not getattr(value, 'anchor', None):
                    raise AnsibleParserError('a ser2net connection without an alias '
                                             '(connection: &name) at line %d' % (key.start_mark.line + 1))
                body = _scalar(value, defines)
                if not isinstance(body, dict):
                    raise AnsibleParserError('connection &%s is not a mapping' % value.anchor)
                connections.append((value.anchor, body))
    return connections


def _words(spec):
    """A gensio specification split at its top-level commas (not inside parentheses)."""
    words, depth, current = [], 0, ''
    for ch in str(spec):
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            words.append(current.strip())
            current = ''
        else:
            current += ch
    words.append(current.strip())
    return [w for w in words if w != '']


def accepter_url(accepter, console_server=None, rfc2217_options=()):
    """``rfc2217://host:port`` or ``socket://host:port`` for a ser2net accepter."""
    words = _words(accepter)
    layers = []
    while words and words[0].split('(')[0].lower() not in ('tcp', 'udp', 'sctp', 'unix'):
        layers.append(words.pop(0))
    if not words or words[0].split('(')[0].lower() != 'tcp':
        raise Ser2netError('the accepter %r is not TCP; the console connection reaches ports '
                           'over TCP only' % accepter)
    words.pop(0)
    if not words:
        raise Ser2netError('the accepter %r has no port' % accepter)
    port = words[-1]
    address = words[-2] if len(words) >= 2 else ''
    if not port.isdigit():
        raise Ser2netError('the accepter %r has no numeric port' % accepter)
    names = [layer.split('(')[0].lower() for layer in layers]
    if names == ['telnet']:
        options = layers[0][len('telnet'):].strip('()').lower()
        if 'rfc2217' not in options.split(','):
            raise Ser2netError('the accepter %r speaks telnet without RFC 2217; give it '
                               'telnet(rfc2217) or use a plain tcp accepter' % accepter)
        scheme = 'rfc2217'
    elif not names:
        scheme = 'socket'
    else:
        raise Ser2netError('the accepter %r stacks %s, which the console connection cannot '
                           'speak (it takes telnet(rfc2217) or plain tcp)' % (accepter, ','.join(names)))
    host = console_server or (address if address not in _WILDCARD else None)
    if not host:
        raise Ser2netError('the accepter %r listens on every address; set console_server to '
                           'the name the controller reaches the console server by' % accepter)
    if ':' in host and not host.startswith('['):
        host = '[%s]' % host
    url = '%s://%s:%s' % (scheme, host, port)
    if scheme == 'rfc2217' and rfc2217_options:
        url += '?' + '&'.join(rfc2217_options)
    return url


def serial_settings(connector):
    """(device, {ansible_serial_* vars}) from a serialdev connector."""
    words = _words(connector)
    if not words or words[0].lower() not in ('serialdev', 'serial'):
        raise Ser2netError('the connector %r is not a serial device' % connector)
    if len(words) < 2:
        raise Ser2netError('the connector %r names no device' % connector)
    device = words[1]
    line = DEFAULT_LINE
    flow = {}
    for word in words[2:]:
        low = word.lower()
        if _SPEED.match(word):
            line = word
        elif low == 'rtscts':
            flow['ansible_serial_rtscts'] = True
        elif low == 'xonxoff':
            flow['ansible_serial_xonxoff'] = True
    match = _SPEED.match(line)
    settings = {
        'ansible_serial_baud_rate': int(match.group('baud')),
        'ansible_serial_parity': match.group('parity').upper(),
        'ansible_serial_byte_size': int(match.group('bits')),
        'ansible_serial_stop_bits': int(match.group('stop')),
    }
    settings.update(flow)
    return device, settings


def _enabled(value):
    return str(value).strip().lower() not in ('off', 'false', 'no', '0')


def hosts_from(text, console_server=None, include=('*',), exclude=(), rfc2217_options=()):
    """([(name, vars)], [warnings]) for a ser2net file's text."""
    hosts, warnings, banners = [], [], []
    for alias, body in read_connections(text):
        if not any(fnmatch.fnmatchcase(alias, pattern) for pattern in include) \
                or any(fnmatch.fnmatchcase(alias, pattern) for pattern in exclude):
            continue
        if not _enabled(body.get('enable', 'on')):
            warnings.append('ser2net connection %s is disabled (enable: off): skipped' % alias)
            continue
        try:
            url = accepter_url(body.get('accepter', ''), console_server, rfc2217_options)
            device, settings = serial_settings(body.get('connector', ''))
        except Ser2netError as exc:
            warnings.append('ser2net connection %s skipped: %s' % (alias, exc))
            continue
        host_vars = {
            'ansible_connection': 'rackops.apc.console',
            'ansible_serial_url': url,
            'ser2net_connection': alias,
            'ser2net_device': device,
            'ser2net_accepter': str(body.get('accepter', '')),
        }
        host_vars.update(settings)
        options = body.get('options') or {}
        if isinstance(options, dict) and options.get('banner'):
            banners.append(alias)
        hosts.append((alias, host_vars))
    if banners:
        warnings.append('ser2net prints a banner to every client of %s; the console connection '
                        'reads past it, but a banner that ends like a prompt (apc>, User Name :) '
                        'would be taken for one: keep banners off console ports' % ', '.join(banners))
    return hosts, warnings


class InventoryModule(BaseInventoryPlugin, Constructable):
    """Hosts from a ser2net configuration file."""

    NAME = 'rackops.apc.ser2net'

    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        base = os.path.basename(path)
        return base in ('ser2net.yml', 'ser2net.yaml') or base.endswith(('.ser2net.yml', '.ser2net.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        self._read_config_data(path)
        source = os.path.expanduser(self.get_option('path'))
        if not os.path.isabs(source):
            source = os.path.join(os.path.dirname(path), source)
        try:
            with open(source, encoding='utf-8') as handle:
                text = handle.read()
        except OSError as exc:
            raise AnsibleParserError('cannot read the ser2net file %s: %s' % (source, exc))
        hosts, warnings = hosts_from(text, self.get_option('console_server'),
                                     self.get_option('include'), self.get_option('exclude'),
                                     self.get_option('rfc2217_options'))
        for warning in warnings:
            self.display.warning(warning)
        group = self.get_option('group')
        if group:
            self.inventory.add_group(group)
        strict = self.get_option('strict')
        for name, host_vars in hosts:
            self.inventory.add_host(name, group=group or None)
            for key, value in host_vars.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option('compose'), host_vars, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), host_vars, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, name, strict=strict)
