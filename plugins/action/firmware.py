# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of rackops.apc.firmware: runs the module as ansible-core's normal action
does and, while the transfer runs, shows its progress. The whole upgrade is one call into the
rackops.apc.console connection, which cannot print; it keeps its latest progress sample in a
file beside its socket (``<socket>.progress``), read here. Display only: the transfer does
not depend on it."""

from __future__ import annotations

import json
import os
import threading

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

# How often the progress file is looked at (display only; the connection samples every 10 %).
PROGRESS_POLL = 1.0


def progress_line(host, record):
    """The line shown for one progress sample."""
    return ('%s: firmware %d/%d %s (%s): %d of %d bytes (%d %%), about %s s left at the line speed'
            % (host, record.get('index', 1), record.get('count', 1), record.get('module'),
               record.get('file'), record.get('bytes', 0), record.get('total', 0),
               record.get('percent', 0), record.get('eta_seconds')))


def read_progress(path):
    try:
        with open(path, encoding='utf-8') as handle:
            return json.load(handle)
    except (IOError, OSError, ValueError):
        return None


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        task_vars = task_vars or {}
        socket_path = getattr(self._connection, 'socket_path', None)
        done = threading.Event()
        watcher = None
        if socket_path and not self._task.check_mode:
            path = socket_path + '.progress'
            host = task_vars.get('inventory_hostname', '')
            watcher = threading.Thread(target=self._watch, args=(host, path, done),
                                       name='rackops-apc-firmware-progress', daemon=True)
            watcher.start()
        try:
            result = merge_hash(result, self._execute_module(task_vars=task_vars))
        finally:
            done.set()
            if watcher is not None:
                watcher.join()
        self._remove_tmp_path(self._connection._shell.tmpdir)
        for line in result.get('summary') or []:
            self._display.display('%s: %s' % (task_vars.get('inventory_hostname', ''), line))
        return result

    def _watch(self, host, path, done):
        last = None
        while not done.is_set():
            if os.path.exists(path):
                record = read_progress(path)
                key = record and (record.get('index'), record.get('percent'))
                if record and key != last:
                    self._display.display(progress_line(host, record))
                    last = key
            done.wait(PROGRESS_POLL)
