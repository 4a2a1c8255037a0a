# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection knows about APC models, as data.

The console dialect is always detected from what the console shows; this table adds what
a console does not say: outlet and phase counts, line speed and cable, factory defaults,
limits, and which procedures a model supports (the reset-button window, the forced
first-login password change). An unknown model still works through dialect detection;
:func:`describe` then returns a warning naming what could not be checked.

Sources: APC/Schneider product documentation summarised in docs/console-cli.md and the
cable list of the 940-0024 documentation (Back-UPS Pro, Smart-UPS 3G/3.5G/3.6G/4.0G, SC,
Matrix).
"""

from __future__ import annotations

import re

# Cables
RJ12_CONSOLE = '940-0144'        # AP79xx / AP89xx RJ12 serial port
NMC_JACK = '940-0299'            # NMC2/NMC3 2.5 mm console jack
SMART_DB9 = '940-0024'           # UPS DB9 port, smart protocol (940-0024A-D, 940-1524)

FACTORY = {'user': 'apc', 'password': 'apc'}

# Longest password (and menu user name) each console takes, by console kind: the menu
# consoles (AP79xx, NMC1) 10 characters, AOS 5.x 32, AOS 6.x/7.x and NMC3 64. The one
# place these limits live: modules, the connection and the roles (through facts
# device.password_max, which the connection fills in) read them from here.
PASSWORD_MAX = {'menu': 10, 'aos5': 32, 'cli': 64}


def console_kind(device_info):
    """'menu', 'aos5' or 'cli' (AOS 6.x/7.x, NMC3) for the password limits; 'smart' has none."""
    info = device_info or {}
    if info.get('dialect') in ('menu', 'smart'):
        return info['dialect']
    aos = str((info.get('firmware') or {}).get('aos') or '').lstrip('vV')
    return 'aos5' if aos.startswith('5.') else 'cli'


def password_max(device_info):
    """The longest password the console of ``device_info`` takes (None: no passwords)."""
    return PASSWORD_MAX.get(console_kind(device_info))


# family -> shared facts
FAMILIES = {
    'rpdu_menu': {
        'kind': 'pdu', 'dialects': ('menu',), 'baud': 9600, 'cable': RJ12_CONSOLE,
        'aos': '2.x-3.x', 'reset_window': True, 'first_login_change': False,
        'description': 'first-generation Switched Rack PDU (menu console)',
    },
    'rpdu2g': {
        'kind': 'pdu', 'dialects': ('cli',), 'baud': 9600, 'cable': RJ12_CONSOLE,
        'aos': '5.x-7.x', 'reset_window': True, 'first_login_change': '6.9.6',
        'description': 'Switched Rack PDU 2G (command line)',
    },
    'nmc1': {
        'kind': 'card', 'dialects': ('menu',), 'baud': 2400, 'cable': SMART_DB9,
        'aos': '2.x-3.x', 'reset_window': True, 'first_login_change': False,
        'description': 'Network Management Card 1 (menu console, reached through the UPS port)',
    },
    'nmc2': {
        'kind': 'card', 'dialects': ('cli',), 'baud': 9600, 'cable': NMC_JACK,
        'aos': '5.x-7.x', 'reset_window': True, 'first_login_change': '6.9.6',
        'description': 'Network Management Card 2 (command line)',
    },
    'nmc3': {
        'kind': 'card', 'dialects': ('cli',), 'baud': 9600, 'cable': NMC_JACK,
        'aos': 'v1-v3', 'reset_window': False, 'first_login_change': '1.0',
        'description': 'Network Management Card 3 (command line; reset wipes the whole configuration)',
    },
    'smart': {
        'kind': 'ups', 'dialects': ('smart',), 'baud': 2400, 'cable': SMART_DB9,
        'aos': None, 'reset_window': False, 'first_login_change': False,
        'description': 'UPS serial port, UPS-Link smart protocol',
    },
}

# model -> (family, extra facts)
MODELS = {
    # first-generation Rack PDUs (menus)
    'AP7900': ('rpdu_menu', {'outlets': 8, 'phases': 1, 'rating': '15 A 120 V'}),
    'AP7901': ('rpdu_menu', {'outlets': 8, 'phases': 1, 'rating': '20 A 120 V'}),
    'AP7902': ('rpdu_menu', {'outlets': 16, 'phases': 1, 'rating': '30 A 120 V'}),
    'AP7920': ('rpdu_menu', {'outlets': 8, 'phases': 1, 'rating': '10 A 230 V',
                             'notes': 'hardware B2 with AOS 2.6.x: SSL/SSH set-up only in the web interface'}),
    'AP7921': ('rpdu_menu', {'outlets': 8, 'phases': 1, 'rating': '16 A 230 V'}),
    # Rack PDU 2G (command line)
    'AP7900B': ('rpdu2g', {'outlets': 8, 'phases': 1}),
    'AP7920B': ('rpdu2g', {'outlets': 8, 'phases': 1, 'rating': '10 A 230 V'}),
    'AP7921B': ('rpdu2g', {'outlets': 8, 'phases': 1, 'rating': '16 A 230 V'}),
    'AP8941': ('rpdu2g', {'outlets': 24, 'phases': 1}),
    # management cards
    'AP9617': ('nmc1', {}), 'AP9618': ('nmc1', {}), 'AP9619': ('nmc1', {}),
    'AP9630': ('nmc2', {}), 'AP9631': ('nmc2', {}), 'AP9635': ('nmc2', {}),
    'AP9640': ('nmc3', {}), 'AP9641': ('nmc3', {}), 'AP9643': ('nmc3', {}),
}

# UPS units with a DB9 port on the smart protocol (940-0024), by product generation.
SMART_UPS = {
    'Back-UPS Pro': ('BP650', 'BP650S', 'BP650SC', 'BP420', 'BP420S', 'BP420SC', 'BP280S'),
    'Smart-UPS 3G': ('SU420NET', 'SU620NET', 'SU700NET', 'SU1000NET', 'SU1400NET', 'SU2200NET',
                     'SU3000NET', 'SU2200XLNET', 'SU2200XLTNET', 'SU3000TNET', 'SU5000T',
                     'SU1400RMXL3U', 'SU2200RM3U', 'SU2200RMXL3U', 'SU2200RMXLNET',
                     'SU2200RMXLTNET', 'SU3000RM3U', 'SU3000RMNET', 'SU3000RMT3U',
                     'SU3000RMXL3U', 'SU5000', 'SU5000RMT5U'),
    'Smart-UPS 3.5G': ('SU700RM2U', 'SU1000RM2U', 'SU1400RM2U'),
    'Smart-UPS 3.6G': ('SUA1000', 'SUA1500', 'SUA750XL', 'SUA1000XL'),
    'Smart-UPS 4.0G': ('SUA2200', 'SUA2200RM2U', 'SUA3000', 'SUA3000RM2U', 'SUA3000RMT2U'),
    'Smart-UPS SC': ('SC420', 'SC620'),
    'Matrix': ('MX3000', 'MX5000', 'MX3000XR', 'MX5000XR'),
}
for _generation, _names in SMART_UPS.items():
    for _name in _names:
        MODELS[_name] = ('smart', {'generation': _generation})

# Suffixes that only name the voltage variant (SUA1500I, SU1000NETI, SU2200RM3UM...).
_LOCALE_SUFFIX = re.compile(r'^(?P<base>.+?)(?:-?[IJAMD])$')


def normalise(model):
    """Upper-case model number without blanks; None for an empty value."""
    if not model:
        return None
    return re.sub(r'\s+', '', str(model)).upper()


def lookup(model):
    """The known facts for ``model`` (a dict), or None when the collection does not know it."""
    key = normalise(model)
    if key is None:
        return None
    found = MODELS.get(key)
    if found is None:
        match = _LOCALE_SUFFIX.match(key)
        if match and match.group('base') in MODELS:
            key = match.group('base')
            found = MODELS[key]
    if found is None:
        return None
    family, extra = found
    entry = dict(FAMILIES[family])
    entry.update(extra)
    entry.update({'model': key, 'family': family, 'factory': dict(FACTORY)})
    return entry


# What a UPS says of itself on the smart protocol (^A) is a product name, not a part number:
# "SMART-UPS 1000", "Back-UPS Pro 650", "Smart-UPS SC620", "Matrix-UPS".
_PRODUCT_NAMES = (
    (re.compile(r'(?i)^back-?ups\s*pro\b'), 'Back-UPS Pro'),
    (re.compile(r'(?i)^smart-?ups\s*sc\s*\d'), 'Smart-UPS SC'),
    (re.compile(r'(?i)^matrix'), 'Matrix'),
    (re.compile(r'(?i)^smart-?ups\b'), 'Smart-UPS'),
)


def lookup_product_name(name):
    """Family facts for a UPS product name as the smart protocol reports it, or None."""
    text = str(name or '').strip()
    for pattern, generation in _PRODUCT_NAMES:
        if pattern.match(text):
            entry = dict(FAMILIES['smart'])
            entry.update({'model': text, 'family': 'smart', 'generation': generation,
                          'factory': dict(FACTORY)})
            return entry
    return None


def _unknown_warning(info):
    dialect = info.get('dialect')
    reported = info.get('card_model') or info.get('model')
    if dialect == 'smart':
        return ('the UPS reports the model %s, which is not in the collection\'s model table: it '
                'was reached on the smart protocol and its settings are checked against its own '
                'EEPROM table, but its cable and product generation could not be checked'
                % (repr(reported) if reported else 'nothing (it does not answer ^A)'))
    return ('model %s is not in the collection\'s model table: the dialect (%s) was detected from '
            'the console, but outlet numbers, line speed, cable and procedures (reset-button '
            'window, forced first-login change) could not be checked against known facts'
            % (reported or 'unknown', dialect or 'unknown'))


def describe(device_info):
    """(entry or None, warnings) for what the connection reported.

    The console is the management card's (NMC) or the PDU's own, so its model is looked up
    first; a smart-protocol UPS is known by its part number or its product name. The
    device's own answers win over the table (an outlet count the console printed is the
    truth); the table fills in what the console does not say.
    """
    info = device_info or {}
    warnings = []
    entry = None
    if info.get('dialect') == 'smart':
        entry = lookup(info.get('model')) or lookup_product_name(info.get('model'))
    else:
        for candidate in (info.get('card_model'), info.get('model')):
            entry = lookup(candidate)
            if entry:
                break
    if entry is None:
        return None, [_unknown_warning(info)]
    if info.get('dialect') and info['dialect'] not in entry['dialects']:
        warnings.append('%s usually speaks the %s dialect but this console shows %s; the console '
                        'wins' % (entry['model'], '/'.join(entry['dialects']), info['dialect']))
    if info.get('outlet_count') and entry.get('outlets') and info['outlet_count'] != entry['outlets']:
        warnings.append('%s reports %s outlets; the model table says %s' % (
            entry['model'], info['outlet_count'], entry['outlets']))
    return entry, warnings
