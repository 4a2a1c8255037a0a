# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rackops.apc.password_problems: the checks made before a password is sent."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.rackops.apc.plugins.filter.password_problems import FilterModule, password_problems


def test_registered_under_its_name():
    assert FilterModule().filters()['password_problems'] is password_problems


@pytest.mark.parametrize('password', ['rotcanary9', 'a' * 64, 'Str0ng!pass'])
def test_acceptable_passwords(password):
    assert password_problems(password, min_length=8) == []


@pytest.mark.parametrize('password, kwargs, expected', [
    ('short1', {'min_length': 8}, ['shorter than 8 characters']),
    ('a' * 11, {'max_length': 10, 'where': 'a menu console'},
     ['11 characters long; a menu console takes at most 10']),
    ('with"quote', {}, ['contains a double quote, which the console cannot take']),
    ('line\nbreak', {}, ['contains characters other than printable ASCII (line breaks, tabs, accents)']),
    ('caf\u00e9-pass', {}, ['contains characters other than printable ASCII (line breaks, tabs, accents)']),
    (' padded ', {}, ['starts or ends with a blank']),
    ('', {}, ['the password is empty']),
    (None, {}, ['no password given']),
])
def test_problems(password, kwargs, expected):
    assert password_problems(password, **kwargs) == expected


@pytest.mark.parametrize('password, ok', [
    ('rotcanary9', False),          # no upper case, no symbol
    ('Rotcanary9', False),          # no symbol
    ('Rot-cana9', True),
    ('R-c9a', False),               # too short for the rule
])
def test_strong_rule(password, ok):
    problems = password_problems(password, strong=True)
    assert (problems == []) is ok
    if not ok:
        assert 'strong passwords' in problems[-1]


def test_messages_never_contain_the_password():
    secret = 'x"Secret\tvalue-that-is-far-too-long-for-a-menu '
    problems = password_problems(secret, min_length=80, max_length=10, strong=True)
    assert len(problems) == 6
    assert not any(secret.strip() in p or 'Secret' in p for p in problems)


def test_bad_arguments():
    with pytest.raises(AnsibleFilterError):
        password_problems(42)
    with pytest.raises(AnsibleFilterError):
        password_problems('abc', min_length='eight')
