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


def _setup_collection_path():
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    namespace_dir = os.path.dirname(repo_root)
    collections_dir = os.path.dirname(namespace_dir)
    if (os.path.basename(repo_root) == 'apc'
            and os.path.basename(namespace_dir) == 'rackops'
            and os.path.basename(collections_dir) == 'ansible_collections'):
        base = os.path.dirname(collections_dir)
        if base not in sys.path:
            sys.path.insert(0, base)
        return
    tmp = tempfile.mkdtemp(prefix='rackops_apc_units_')
    atexit.register(shutil.rmtree, tmp, True)
    link_parent = os.path.join(tmp, 'ansible_collections', 'rackops')
    os.makedirs(link_parent)
    os.symlink(repo_root, os.path.join(link_parent, 'apc'))
    sys.path.insert(0, tmp)
    # Forget namespace packages imported before the path was added.
    for name in list(sys.modules):
        if name == 'ansible_collections' or name.startswith('ansible_collections.rackops'):
            del sys.modules[name]


_setup_collection_path()
