# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example inventory's vault (playbooks/inventory/group_vars/all/vault.yml) is encrypted,
opens with the documented example password, and defines every vault_* variable the example
inventory and the playbooks use."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from ansible.parsing.vault import VaultLib, VaultSecret, is_encrypted

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / 'playbooks' / 'inventory'
VAULT = INVENTORY / 'group_vars' / 'all' / 'vault.yml'
PASSWORD_FILE = INVENTORY / 'example-vault-password.txt'


def _vault_variables():
    password = PASSWORD_FILE.read_bytes().strip()
    vault = VaultLib([('default', VaultSecret(password))])
    return yaml.safe_load(vault.decrypt(VAULT.read_bytes()))


def test_vault_is_encrypted_with_the_documented_password():
    assert is_encrypted(VAULT.read_bytes())
    password = PASSWORD_FILE.read_text().strip()
    assert password == 'rackops-example'
    assert password in (INVENTORY / 'example_rack.yml').read_text()
    assert 'example-vault-password.txt' in (INVENTORY / 'example_rack.yml').read_text()
    assert '`%s`' % password in (ROOT / 'README.md').read_text()


def test_vault_defines_what_the_examples_use():
    used = set()
    for path in [INVENTORY / 'example_rack.yml'] + sorted((ROOT / 'playbooks').glob('*.yml')):
        used |= set(re.findall(r'\bvault_[a-z0-9_]+', path.read_text()))
    defined = _vault_variables()
    assert used and used <= set(defined), used - set(defined)
    assert all(isinstance(value, str) and value for value in defined.values()), sorted(defined)
