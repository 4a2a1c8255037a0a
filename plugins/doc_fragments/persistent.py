# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:

    # The options ansible-core's persistent connection helper (ansible-connection) reads by
    # name from a persistent connection plugin. Names, variables, environment variables and
    # ini keys follow the convention network collections use, so users' settings carry over.
    DOCUMENTATION = r'''
options:
  persistent_connect_timeout:
    type: int
    description:
      - How long, in seconds, the background connection process waits for the next task
        before it logs out of the console and exits (its idle timeout).
      - A console session that outlives it is closed cleanly; the next task logs in again.
    default: 30
    ini:
      - section: persistent_connection
        key: connect_timeout
    env:
      - name: ANSIBLE_PERSISTENT_CONNECT_TIMEOUT
    vars:
      - name: ansible_connect_timeout
  persistent_command_timeout:
    type: int
    description:
      - Hard limit, in seconds, for one call into the background connection process
        (one console command, a login, or waiting for a rebooting card).
      - Keep it above O(login_timeout) + O(command_timeout), and above O(boot_timeout) when
        a play reboots a card; when it fires the console is left in an unknown state and
        the session resynchronises before the next command.
    default: 600
    ini:
      - section: persistent_connection
        key: command_timeout
    env:
      - name: ANSIBLE_PERSISTENT_COMMAND_TIMEOUT
    vars:
      - name: ansible_command_timeout
  persistent_log_messages:
    type: boolean
    description:
      - Log every call between the task and the background connection process to the
        Ansible log file (C(log_path)). Meant for debugging only.
      - Passwords are masked in these log entries by this collection.
    default: false
    ini:
      - section: persistent_connection
        key: log_messages
    env:
      - name: ANSIBLE_PERSISTENT_LOG_MESSAGES
    vars:
      - name: ansible_persistent_log_messages
'''
