# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: password_problems
short_description: Why an APC console would not take a password (without showing it)
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Checks a new password against what an APC console takes before anything is sent, and
    returns the problems as sentences that never contain the password. An empty list means
    the password can be sent.
  - Every console - printable ASCII only (no line breaks, tabs or accents), no double quote
    (the command line cannot take it), no leading or trailing blank, at most O(max_length)
    characters (64 on AOS 6.x/7.x and NMC3, 32 on AOS 5.x, 10 on menu consoles), at least
    O(min_length).
  - With O(strong) (the card's C(userdflt) shows C(Strong Passwords) enabled) - 8 or more
    characters with a lower case letter, an upper case letter, a digit and a symbol.
options:
  _input:
    description: The password to check.
    type: str
    required: true
  min_length:
    description: Shortest password accepted (the site's rule; the consoles take 1 character).
    type: int
    default: 1
  max_length:
    description: Longest password the console takes.
    type: int
    default: 64
  strong:
    description: The card requires strong passwords.
    type: bool
    default: false
  where:
    description: How to name the console in the length message (for example C(AOS 5.x)).
    type: str
    default: the console
'''

EXAMPLES = r'''
- name: Refuse the new password before it is sent
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "The new password cannot be used: {{ problems | join('; ') }}"
  vars:
    problems: "{{ vault_apc_new_password | rackops.apc.password_problems(min_length=8, max_length=10, where='a menu console') }}"
'''

RETURN = r'''
_value:
  description: The problems found, as sentences without the password; empty when there are none.
  type: list
  elements: str
'''

import re

from ansible.errors import AnsibleFilterError

STRONG_MIN = 8
_PRINTABLE = re.compile(r'^[\x20-\x7e]*$')


def password_problems(password, min_length=1, max_length=64, strong=False, where='the console'):
    """The reasons ``password`` cannot be sent (never containing it)."""
    if password is None:
        return ['no password given']
    if not isinstance(password, str):
        raise AnsibleFilterError('password_problems expects a string')
    try:
        min_length, max_length = int(min_length), int(max_length)
    except (TypeError, ValueError):
        raise AnsibleFilterError('password_problems: min_length and max_length must be numbers')
    problems = []
    length = len(password)
    if length == 0:
        return ['the password is empty']
    if length < min_length:
        problems.append('shorter than %d characters' % min_length)
    if length > max_length:
        problems.append('%d characters long; %s takes at most %d' % (length, where, max_length))
    if not _PRINTABLE.match(password):
        problems.append('contains characters other than printable ASCII (line breaks, tabs, accents)')
    if '"' in password:
        problems.append('contains a double quote, which the console cannot take')
    if password != password.strip():
        problems.append('starts or ends with a blank')
    if strong and not (length >= STRONG_MIN and re.search('[a-z]', password)
                       and re.search('[A-Z]', password) and re.search('[0-9]', password)
                       and re.search('[^A-Za-z0-9]', password)):
        problems.append('the card requires strong passwords (%d+ characters with lower and upper '
                        'case, a digit and a symbol)' % STRONG_MIN)
    return problems


class FilterModule:
    """rackops.apc password filters."""

    def filters(self):
        return {'password_problems': password_problems}
