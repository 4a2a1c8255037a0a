# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error codes shared by the connection plugin (which raises them over JSON-RPC) and the
modules (which turn them into task failures with advice)."""

from __future__ import annotations

# JSON-RPC error codes: the implementation-defined server error range is -32000..-32099.
ERROR_CODES = {
    'console': -32010,      # console did something unexpected
    'login': -32011,        # credentials refused (tried once)
    'first_login': -32012,  # forced first-login password change needs new_password
    'timeout': -32013,      # no prompt in time
    'lost': -32014,         # transport closed / session logged out mid-command
    'dialect': -32015,      # console dialect not supported for this request
    'transport': -32016,    # port cannot be opened or is locked
    'input': -32017,        # bad arguments to an RPC
    'smart': -32018,        # a UPS on the smart protocol did not answer as expected
    'refused': -32019,      # a menu console refused a value or an action (its message)
    'menu': -32020,         # a menu console did not show what was expected
    'window': -32021,       # the reset-button login window did not open in time
    'no_answer': -32022,    # the console did not answer at all (unit off or starting, cable)
    'rebooted': -32023,     # the management card restarted during a command
    'transfer': -32024,     # an XMODEM upload failed (receiver cancelled, NAKs, line lost)
    'noise': -32025,        # answers kept arriving damaged by line noise (read again, in vain)
    'bootmon': -32026,      # the console shows the boot monitor (BM>) instead of a login
}

ERROR_NAMES = dict((v, k) for k, v in ERROR_CODES.items())

ADVICE = {
    'login': 'Check ansible_user/ansible_password for this host. The login was tried once so '
             'the lockout counter is not burnt; if the password is lost, recover with the '
             'reset button (playbooks/factory_reset_pdu.yml).',
    'first_login': 'Set ansible_apc_new_password for this host: the firmware forces a new '
                   'password at the first login with the default credentials.',
    'timeout': 'Check the line speed (ansible_serial_baud_rate) and raise '
               'ansible_apc_command_timeout for slow lines.',
    'lost': 'Check the cable and the console server port; another client may have taken it.',
    'rebooted': 'The card restarted by itself (power, watchdog, a firmware fault) or somebody '
                'restarted it; check its event log and its power supply.',
    'transport': 'Check ansible_serial_url, that the adapter or console server port exists, '
                 'and that no other session uses it.',
    'dialect': 'See the collection README for the consoles each release supports.',
    'console': 'Check the cable part number (940-0144 for AP79xx/AP89xx RJ12, 940-0299 for '
               'NMC2/NMC3), the line speed (9600 8N1) and that nobody else is on the port.',
    'input': '',
    'refused': 'Nothing was stored: values stay pending on a menu console until Accept '
               'Changes, and the session left the screen without accepting.',
    'menu': 'The menu console showed something unexpected; the session went back to the '
            'main menu. Run with -vvvv to see the screens.',
    'window': 'The window opens after the second press of the reset button (while the status '
              'LED flashes) and lasts about 30 seconds; NMC3 cards have no such window.',
    'smart': 'Check the UPS cable: the smart protocol needs APC 940-0024 (or 940-1524) on the '
             'UPS DB9 port - a straight serial cable can switch the UPS off - and 2400 8N1 '
             '(ansible_serial_baud_rate: 2400).',
    'noise': 'Nothing the damaged answers said was taken as true. Check the cable and its '
             'connectors, the line speed on both ends and the console server port settings '
             '(parity, flow control, another client on the port).',
    'transfer': 'The card keeps its configuration when an upload fails; xferStatus tells its '
                'side. Check the line (cable, console server) and try a lower transfer speed.',
    'bootmon': 'Run rackops.apc.firmware with the files of the interrupted upgrade: it sends them '
               'from the boot monitor and starts the card again.',
}
