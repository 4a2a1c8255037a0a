# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper: writes every task result as one JSON line to $RACKOPS_RECORD_FILE."""

from __future__ import annotations

DOCUMENTATION = r'''
name: record
type: aggregate
short_description: Record task results as JSON lines (integration tests only)
description:
  - Appends one JSON object per task result to the file named by RACKOPS_RECORD_FILE.
options: {}
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record'
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, result, status):
        path = os.environ.get('RACKOPS_RECORD_FILE')
        if not path:
            return
        res = result._result
        entry = {
            'host': result._host.get_name(),
            'task': result._task.get_name(),
            'action': result._task.action,
            'status': status,
            'result': json.loads(json.dumps(res, default=str)),
        }
        with open(path, 'a') as handle:
            handle.write(json.dumps(entry, default=str) + '\n')

    def v2_runner_on_ok(self, result, **kwargs):
        self._write(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._write(result, 'failed')

    def v2_runner_on_skipped(self, result, **kwargs):
        self._write(result, 'skipped')

    def v2_runner_on_unreachable(self, result, **kwargs):
        self._write(result, 'unreachable')
