# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's AnsibleModule: every parameter is treated as hostile before any module
code runs.

* Types are enforced: ansible-core turns a list or a dictionary given for a ``type: str``
  option into its Python text (``"['a', 'b']"``) and would send that. Here it is an argument
  error naming the option.
* No string parameter, at any depth (list elements, dictionary keys and values, such as the
  ``secrets`` of ``rackops.apc.command``), may hold a character the console acts on instead
  of storing it (:mod:`.wire`): the task fails before the console is touched, naming the
  option and the character, never the value.
"""

from __future__ import annotations

import copy

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.rackops.apc.plugins.module_utils import wire


class ApcModule(AnsibleModule):
    """AnsibleModule plus the collection's input rules (see the module docstring)."""

    def _load_params(self):
        super()._load_params()
        # what the task gave, before ansible-core converts it to the declared types
        self._rackops_given = copy.deepcopy(dict(self.params))
        self._rackops_problems = None

    def __init__(self, argument_spec, *args, file_options=(), **kwargs):
        # file_options: options holding a whole file that travels as a file transfer
        # (XMODEM), never typed at a prompt: their line breaks are content, so the console
        # gate does not apply to them (the module checks the file itself)
        self._rackops_spec = dict((name, spec) for name, spec in argument_spec.items()
                                  if name not in file_options)
        super().__init__(argument_spec, *args, **kwargs)
        problems = self._input_problems()
        if problems:
            self.fail_json(msg='; '.join(problems))

    def _input_problems(self):
        if self._rackops_problems is None:
            spec = self._rackops_spec
            given = getattr(self, '_rackops_given', None) or {}
            problems = []
            for name, option in spec.items():
                if given.get(name) is not None:
                    problems.extend(_type_problems(name, option, given[name]))
            for name, option in spec.items():
                if given.get(name) is not None:
                    problems.extend(_text_problems(name, option, given[name]))
            self._rackops_problems = problems
        return self._rackops_problems

    def fail_json(self, msg, **kwargs):
        # ansible-core's own argument checks (choices, types) run first and would quote a
        # hostile value back, control characters and all: the collection's refusal, which
        # names the character instead, takes their place
        if getattr(self, '_rackops_spec', None) is not None:
            try:
                problems = self._input_problems()
            except Exception:  # pylint: disable=broad-except
                problems = []
            if problems:
                msg = '; '.join(problems)
        super().fail_json(msg=msg, **kwargs)


def _type_problems(name, spec, value):
    kind = spec.get('type', 'str')
    if kind == 'str' and isinstance(value, (list, dict, tuple)):
        return ['option %s must be a string, not a %s. %s'
                % (name, 'dictionary' if isinstance(value, dict) else 'list', wire.NOTHING_SENT)]
    if kind == 'list' and isinstance(value, list):
        found = []
        if spec.get('elements', 'str') == 'str':
            found += ['option %s[%d] must be a string, not a %s. %s'
                      % (name, i, 'dictionary' if isinstance(v, dict) else 'list', wire.NOTHING_SENT)
                      for i, v in enumerate(value) if isinstance(v, (list, dict))]
        if spec.get('options'):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    found += _suboption_types('%s[%d]' % (name, i), spec['options'], item)
        return found
    if kind == 'dict' and isinstance(value, dict) and spec.get('options'):
        return _suboption_types(name, spec['options'], value)
    return []


def _suboption_types(prefix, options, value):
    found = []
    for sub, subspec in options.items():
        if value.get(sub) is not None:
            found += _type_problems('%s.%s' % (prefix, sub), subspec, value[sub])
    return found


def _text_problems(name, spec, value, secret=None):
    secret = bool(spec.get('no_log')) if secret is None else secret
    found = []
    if isinstance(value, str):
        try:
            wire.check('option %s' % name, value, secret=secret)
        except wire.UnsafeInput as exc:
            found.append(str(exc))
    elif isinstance(value, dict):
        options = spec.get('options') or {}
        for key, item in value.items():
            sub = options.get(key, {})
            label = '%s.%s' % (name, key)
            if isinstance(key, str) and wire.first_unsafe(key):
                found.extend(_text_problems(name + ' (a key)', {}, key, secret=secret))
            found.extend(_text_problems(label, sub, item, secret=secret or bool(sub.get('no_log'))))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found.extend(_text_problems('%s[%d]' % (name, index), spec, item, secret=secret))
    return found
