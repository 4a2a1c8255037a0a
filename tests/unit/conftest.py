# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make ``ansible_collections.rackops.apc`` importable for plain pytest runs.

If the repository already sits in an ``ansible_collections/rackops/apc``
layout (ansible-test, an installed checkout), the directory above
``ansible_collections`` is put on sys.path.  Otherwise a temporary directory
holding ``ansible_collections/rackops/apc`` as a symlink to the repository
root is created (removed at exit) and prepended to sys.path, so the tests
always exercise this checkout.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import atexit
import os
import shutil
import sys

import tempfile


def _install_finder(base):
    """Import collection code the way ansible-core does (needed by plugin loaders)."""
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    if any(isinstance(hook, _AnsibleCollectionFinder) for hook in sys.meta_path):
        return  # ansible-test units already installed one
    finder = _AnsibleCollectionFinder(paths=[base])
    finder._install()  # pylint: disable=protected-access


def _setup_collection_path():
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parent = os.path.dirname(repo_root)
    if (os.path.basename(parent) == 'rackops'
            and os.path.basename(os.path.dirname(parent)) == 'ansible_collections'):
        _install_finder(os.path.dirname(os.path.dirname(parent)))
        return
    tmp = tempfile.mkdtemp(prefix='rackops_apc_units_')
    atexit.register(shutil.rmtree, tmp, True)
    namespace = os.path.join(tmp, 'ansible_collections', 'rackops')
    os.makedirs(namespace)
    os.symlink(repo_root, os.path.join(namespace, 'apc'))
    _install_finder(tmp)


_setup_collection_path()
