# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The countdown schedule of the rackops.apc.recover action plugin (the plugin itself runs
in tests/integration/test_recover.py on a terminal)."""

from __future__ import annotations

import math

from ansible_collections.rackops.apc.plugins.action import recover


def shown(start, step=0.25):
    """The lines a countdown from ``start`` seconds prints, sampled every ``step`` s."""
    lines, last, left = [], None, start
    while left > 0:
        value = recover.countdown_line(left, last)
        if value is not None:
            lines.append(value)
            last = value
        left -= step
    return lines


def test_first_line_at_once_then_every_5_s_then_each_of_the_last_5():
    assert shown(28.6) == [29, 25, 20, 15, 10, 5, 4, 3, 2, 1]
    assert shown(30) == [30, 25, 20, 15, 10, 5, 4, 3, 2, 1]
    assert shown(3.2) == [4, 3, 2, 1]


def test_nothing_once_the_window_has_closed():
    assert recover.countdown_line(0, None) is None
    assert recover.countdown_line(-3, 5) is None


def test_window_end_from_the_task_arguments():
    assert recover.window_closes_at({'pressed_at': '100.5', 'window_seconds': 30}) == 130.5
    assert recover.window_closes_at({'pressed_at': 100}) == 130
    assert math.isclose(recover.window_closes_at({'pressed_at': 1.5, 'window_seconds': '2.5'}), 4.0)


def test_no_countdown_without_pressed_at_or_in_the_ready_stage():
    assert recover.window_closes_at({}) is None
    assert recover.window_closes_at({'pressed_at': ''}) is None
    assert recover.window_closes_at({'stage': 'ready', 'pressed_at': 100}) is None
    assert recover.window_closes_at({'pressed_at': 'soon'}) is None     # the module refuses it
