# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a newcomer reads first stays true: the README's module tables name every module,
and `make help` prints the targets with the Makefile's variables expanded."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_readme_module_tables_list_every_module():
    modules = sorted(path.stem for path in (ROOT / 'plugins' / 'modules').glob('*.py') if path.stem != '__init__')
    rows = set(re.findall(r'^\s*\| `rackops\.apc\.([a-z0-9_]+)` \|', (ROOT / 'README.md').read_text(), re.M))
    assert modules and not set(modules) - rows, 'README tables lack: %s' % sorted(set(modules) - rows)
    assert not rows - set(modules), 'README tables name modules that do not exist: %s' % sorted(rows - set(modules))


@pytest.mark.skipif(shutil.which('make') is None, reason='make is not installed')
def test_make_help_expands_its_variables():
    out = subprocess.run(['make', '-s', '-C', str(ROOT), 'help', 'VENV=.venv-help-check'], capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, timeout=60, check=True).stdout
    assert '$(' not in out, out
    assert 'virtualenv .venv-help-check ' in out, out
    for target in ('venv', 'sanity', 'lint', 'unit', 'integration', 'clients', 'test', 'build'):
        assert re.search(r'^make %s\b' % target, out, re.M), (target, out)
