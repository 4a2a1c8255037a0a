# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of rackops.apc.recover: runs the module as ansible-core's normal action
does (on the controller, through the rackops.apc.console connection's socket) and, while it
watches the console for the reset-button window, prints how many seconds of the window are
left. The person at the rack sees the countdown; the module itself cannot print while it
runs."""

from __future__ import annotations

import math
import threading
import time

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

# The countdown: a line every COUNTDOWN_STEP seconds (at multiples of it), then every second
# for the last COUNTDOWN_FINAL seconds. Display only; the console work does not depend on it.
COUNTDOWN_STEP = 5
COUNTDOWN_FINAL = 5


def countdown_line(seconds_left, last_shown):
    """The whole seconds to show now, or None. ``seconds_left`` is rounded up (29.2 s left
    shows as 30 until it drops below 29); the first call always shows, later ones at multiples
    of COUNTDOWN_STEP and at each of the last COUNTDOWN_FINAL seconds."""
    whole = int(math.ceil(seconds_left))
    if whole <= 0 or whole == last_shown:
        return None
    if last_shown is None or whole <= COUNTDOWN_FINAL or whole % COUNTDOWN_STEP == 0:
        return whole
    return None


def window_closes_at(args):
    """Epoch seconds at which the window closes, from the task's arguments; None when there is
    nothing to count down (no pressed_at, the ready stage, or values the module will refuse)."""
    if (args.get('stage') or 'window') != 'window' or args.get('pressed_at') in (None, ''):
        return None
    try:
        return float(args['pressed_at']) + float(args.get('window_seconds') or 30)
    except (TypeError, ValueError):
        return None


class ActionModule(ActionBase):

    _supports_check_mode = True     # the module itself reports that it skips check mode
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        task_vars = task_vars or {}

        closes_at = window_closes_at(self._task.args)
        done = threading.Event()
        counter = None
        if closes_at is not None and not self._task.check_mode:
            host = task_vars.get('inventory_hostname', '')
            counter = threading.Thread(target=self._count_down, args=(host, closes_at, done),
                                       name='rackops-apc-recover-countdown', daemon=True)
            counter.start()
        try:
            result = merge_hash(result, self._execute_module(task_vars=task_vars))
        finally:
            done.set()
            if counter is not None:
                counter.join()
        # remove a temporary path we created (as the normal action does)
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _count_down(self, host, closes_at, done):
        """Print the seconds left until the module returns (``done`` is set)."""
        last = None
        while not done.is_set():
            left = closes_at - time.time()
            if left <= 0:
                if last is not None:
                    self._display.display('%s: the window has closed; still watching the console '
                                          'until the timeout' % host)
                return
            shown = countdown_line(left, last)
            if shown is not None:
                self._display.display('%s: window closes in %d s' % (host, shown))
                last = shown
            # until the count drops by one second, or the module returns
            done.wait(left - (math.ceil(left) - 1))
