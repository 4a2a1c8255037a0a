# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Execution environments: ansible-builder (from PyPI, in the venv; no container engine)
finds the collection's requirements through meta/execution-environment.yml, and the example
definition in docs/ produces a build context that carries the collection and them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / 'docs' / 'execution-environment.example.yml'


def _tool(name):
    candidate = Path(sys.executable).parent / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if found is None:
        pytest.fail('%s is not installed (tests/requirements.txt; make venv)' % name, pytrace=False)
    return found


def _run(argv, cwd):
    # not the checkout's collections path (`make unit` sets it): ansible-galaxy would find
    # rackops.apc installed there and skip the install into the image's path
    env = dict((key, value) for key, value in os.environ.items()
               if key not in ('ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'))
    env.update(ANSIBLE_HOME=str(Path(cwd) / 'ansible-home'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_COLLECTIONS_PATH=str(Path(cwd) / 'ansible-home' / 'collections'))
    proc = subprocess.run(argv, cwd=str(cwd), env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300, check=False)
    assert proc.returncode == 0, '%s failed (%s)\n%s\n%s' % (argv, proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout


def _requirements(path):
    """Requirement lines of a pip file, without comments, spaces normalised."""
    out = []
    for line in path.read_text().splitlines():
        line = line.split('#', 1)[0].strip()
        if line:
            out.append(re.sub(r'\s+', '', line))
    return out


def _version():
    return yaml.safe_load((ROOT / 'galaxy.yml').read_text())['version']


def test_meta_names_the_requirement_files():
    meta = yaml.safe_load((ROOT / 'meta' / 'execution-environment.yml').read_text())
    assert meta['version'] == 1
    assert meta['dependencies'] == {'python': 'requirements.txt', 'system': 'bindep.txt'}
    for name in meta['dependencies'].values():
        assert (ROOT / name).is_file(), name
    assert {'pyserial>=3.4', 'pexpect>=4.8', 'xmodem>=0.5.0'} <= set(_requirements(ROOT / 'requirements.txt'))


def test_introspection_finds_the_collection_requirements(tmp_path):
    """What the image build runs once the collection is installed: every requirement of
    requirements.txt, attributed to rackops.apc, and no system package."""
    namespace = tmp_path / 'ansible_collections' / 'rackops'
    namespace.mkdir(parents=True)
    (namespace / 'apc').symlink_to(ROOT)
    data = yaml.safe_load(_run([_tool('ansible-builder'), 'introspect', '--sanitize', str(tmp_path)], tmp_path))
    python = [re.sub(r'\s+', '', entry.split('#', 1)[0]) for entry in data['python']]
    assert python == _requirements(ROOT / 'requirements.txt'), data
    assert all(entry.endswith('# from collection rackops.apc') for entry in data['python']), data
    assert data['system'] == [], data


def test_example_definition_builds_a_context_with_the_collection(tmp_path):
    """ansible-builder create on docs/execution-environment.example.yml (copied next to a
    freshly built tarball at the path it names): the context holds the tarball, a galaxy
    requirements file that installs it, and the introspection step that adds
    requirements.txt and bindep.txt from meta/execution-environment.yml."""
    version = _version()
    definition = yaml.safe_load(EXAMPLE.read_text())
    tarball = 'rackops-apc-%s.tar.gz' % version
    assert definition['version'] == 3
    assert definition['dependencies']['galaxy']['collections'] == [
        {'name': 'collections/%s' % tarball, 'type': 'file'}], 'the example names another version than galaxy.yml'
    assert definition['additional_build_files'] == [
        {'src': '../.tmp/dist/%s' % tarball, 'dest': 'collections'}], 'the example names another version than galaxy.yml'

    (tmp_path / 'docs').mkdir()
    shutil.copy(EXAMPLE, tmp_path / 'docs')
    _run([_tool('ansible-galaxy'), 'collection', 'build', '--force', '--output-path',
          str(tmp_path / '.tmp' / 'dist'), str(ROOT)], tmp_path)
    context = tmp_path / 'context'
    _run([_tool('ansible-builder'), 'create', '-f', str(tmp_path / 'docs' / EXAMPLE.name),
          '-c', str(context), '--output-filename', 'Containerfile'], tmp_path)

    build = context / '_build'
    assert (build / 'collections' / tarball).read_bytes() == (tmp_path / '.tmp' / 'dist' / tarball).read_bytes()
    galaxy = yaml.safe_load((build / 'requirements.yml').read_text())
    assert galaxy['collections'] == [{'name': 'collections/%s' % tarball, 'type': 'file'}]
    containerfile = (context / 'Containerfile').read_text()
    assert 'ansible-galaxy collection install' in containerfile
    assert 'introspect.py introspect' in containerfile

    # The image build's next two steps, without a container: the galaxy stage installs the
    # tarball, the builder stage runs the context's introspect.py over what was installed.
    installed = tmp_path / 'usr-share-ansible-collections'
    _run([_tool('ansible-galaxy'), 'collection', 'install', '--offline', '--force', '-p', str(installed),
          str(build / 'collections' / tarball)], tmp_path)
    pip_out, bindep_out = tmp_path / 'pip.txt', tmp_path / 'bindep.txt'
    _run([sys.executable, str(build / 'scripts' / 'introspect.py'), 'introspect', str(installed),
          '--write-pip', str(pip_out), '--write-bindep', str(bindep_out)], tmp_path)
    assert _requirements(pip_out) == _requirements(ROOT / 'requirements.txt')
    assert not bindep_out.exists() or not _requirements(bindep_out)


def test_own_requirement_files_land_in_the_context(tmp_path):
    """A definition that lists the collection's files directly (as a site building its own
    image from a checkout may): they are copied into the context unchanged."""
    definition = {
        'version': 3,
        'images': {'base_image': {'name': 'quay.io/ansible/awx-ee:latest'}},
        'dependencies': {'python': str(ROOT / 'requirements.txt'), 'system': str(ROOT / 'bindep.txt')},
    }
    path = tmp_path / 'execution-environment.yml'
    path.write_text(yaml.safe_dump(definition))
    context = tmp_path / 'context'
    _run([_tool('ansible-builder'), 'create', '-f', str(path), '-c', str(context)], tmp_path)
    build = context / '_build'
    assert _requirements(build / 'requirements.txt') == _requirements(ROOT / 'requirements.txt')
    assert (build / 'bindep.txt').read_text() == (ROOT / 'bindep.txt').read_text()
