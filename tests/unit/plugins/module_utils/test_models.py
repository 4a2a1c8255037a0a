# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The model table: every model of the seed documents and the simulator profiles is known."""

from __future__ import annotations

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import models

SEED_UPS = ['BP650S', 'SU1000NET', 'SU2200RM3U', 'SUA1500', 'SUA3000RM2U', 'SC620', 'MX5000',
            'BP280S', 'SU5000RMT5U', 'SU1400RM2U', 'SUA750XL', 'SUA3000RMT2U', 'MX3000XR']
SIM_MODELS = ['AP8941', 'AP7920B', 'AP9631', 'AP9630', 'AP9641', 'AP7920', 'AP7921', 'AP7900', 'AP9617']


@pytest.mark.parametrize('model', SEED_UPS + SIM_MODELS)
def test_known_models(model):
    entry = models.lookup(model)
    assert entry is not None and entry['model'] == model
    assert entry['baud'] in (2400, 9600) and entry['cable'].startswith('940-')


def test_smart_ups_line_and_cable():
    entry = models.lookup('SU1000NET')
    assert entry['dialects'] == ('smart',) and entry['baud'] == 2400 and entry['cable'] == '940-0024'
    assert entry['generation'] == 'Smart-UPS 3G'


def test_voltage_suffix_and_case_are_tolerated():
    assert models.lookup('sua1500i')['model'] == 'SUA1500'
    assert models.lookup('SU1000NET-I')['model'] == 'SU1000NET'
    assert models.lookup('SU2200RM3UM')['model'] == 'SU2200RM3U'


def test_pdu_facts():
    assert models.lookup('AP8941')['outlets'] == 24
    assert models.lookup('AP7920')['dialects'] == ('menu',)
    assert models.lookup('AP7920B')['dialects'] == ('cli',)
    assert models.lookup('AP9641')['reset_window'] is False


def test_unknown_model_warns_what_was_not_checked():
    entry, warnings = models.describe({'model': 'AP9999X', 'dialect': 'cli'})
    assert entry is None
    assert 'AP9999X' in warnings[0] and 'could not be checked' in warnings[0]


def test_console_wins_over_the_table():
    entry, warnings = models.describe({'model': 'AP7920', 'dialect': 'cli', 'outlet_count': 8})
    assert entry['model'] == 'AP7920'
    assert 'the console wins' in warnings[0]


@pytest.mark.parametrize('name, generation', [
    ('SMART-UPS 1000', 'Smart-UPS'), ('Smart-UPS 3000 RM', 'Smart-UPS'),
    ('Back-UPS Pro 650', 'Back-UPS Pro'), ('Smart-UPS SC620', 'Smart-UPS SC'),
    ('Matrix-UPS', 'Matrix'),
])
def test_smart_protocol_product_names_are_known(name, generation):
    entry, warnings = models.describe({'model': name, 'dialect': 'smart'})
    assert warnings == []
    assert entry['family'] == 'smart' and entry['generation'] == generation
    assert entry['baud'] == 2400 and entry['cable'] == '940-0024'


def test_smart_unit_without_a_model_answer_warns():
    entry, warnings = models.describe({'model': None, 'dialect': 'smart'})
    assert entry is None
    assert 'does not answer ^A' in warnings[0] and 'cable' in warnings[0]


def test_a_ups_card_is_described_by_its_card():
    entry, warnings = models.describe({'model': 'Smart-UPS 1500', 'card_model': 'AP9631',
                                       'dialect': 'cli'})
    assert warnings == [] and entry['family'] == 'nmc2' and entry['model'] == 'AP9631'
    entry, warnings = models.describe({'model': 'Smart-UPS 1400', 'card_model': 'AP9617',
                                       'dialect': 'menu'})
    assert warnings == [] and entry['family'] == 'nmc1'


def test_a_product_name_is_not_a_card():
    """A Smart-UPS name behind an unknown card is not taken for a smart-protocol unit."""
    entry, warnings = models.describe({'model': 'Smart-UPS 1500', 'card_model': 'AP9999',
                                       'dialect': 'cli'})
    assert entry is None and 'AP9999' in warnings[0]
