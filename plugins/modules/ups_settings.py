#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ups_settings
short_description: Set the EEPROM settings of a Smart-UPS over its DB9 smart-protocol port
version_added: 0.1.0
author:
  - rackops.apc contributors (@rackops)
description:
  - Sets the EEPROM settings of a Smart-UPS, Back-UPS Pro, Smart-UPS SC or Matrix-UPS through
    its DB9 serial port speaking the UPS-Link C(smart) protocol (2400 baud, 940-0024 cable),
    with the C(rackops.apc.console) connection and C(ansible_apc_dialect=smart).
  - Each enumerated value is checked against the unit's own table of allowed values (the C(^Z)
    reply) for its locale (the last character of the C(b) reply - C(D) 115 V, C(I) 230 V,
    C(A)/C(J) 100 V, C(M) 208 V) before anything is written. A refused value fails the task
    with the values this unit allows; nothing is written then.
  - Reads every setting given first and cycles only those that differ (the UPS steps through
    its allowed values with C(-) until the wanted one shows). Options left out are not
    touched.
  - A setting the unit lacks (it answers C(NA), or it is not in its C(^Z) table) is refused,
    naming the model and the setting.
  - Use a 940-0024 (or 940-1524) cable. A standard straight-through DB9 cable on the UPS port
    can turn the UPS off.
options:
  upper_transfer_voltage:
    description:
      - Input voltage (V) above which the UPS goes to battery (command C(u)).
      - Allowed values depend on the unit and its locale, for example C(127), C(130), C(133),
        C(136) on 115 V units and C(253), C(257), C(261), C(265) on 230 V units.
    type: int
  lower_transfer_voltage:
    description:
      - Input voltage (V) below which the UPS goes to battery (command C(l)).
      - For example C(106), C(103), C(100), C(97) on 115 V units and C(208), C(204), C(200),
        C(196) on 230 V units.
    type: int
  sensitivity:
    description:
      - How readily the UPS goes to battery on a distorted input (command C(s)).
      - C(high) (C(H)) transfers on small disturbances; C(medium) (C(M)) tolerates some;
        C(low) (C(L)) tolerates the most distortion (generator power) with the fewest transfers;
        C(auto) (C(A)) only on units that list it.
      - Names or the protocol letters are accepted.
    type: str
  return_charge:
    description:
      - Battery charge (%) needed before the UPS turns the load back on after a low-battery
        shutdown (command C(e)), for example C(0), C(15), C(50), C(90).
    type: int
  output_voltage:
    description:
      - Output voltage (V) while on battery (command C(o)), for example C(230), C(240), C(220),
        C(225) on 230 V units. Many 115 V and 100 V units have a single value.
    type: int
  shutdown_delay:
    description:
      - Seconds between a shutdown command and the load being turned off (command C(p)), for
        example C(20), C(180), C(300), C(600).
    type: int
  low_battery_warning:
    description:
      - Minutes of runtime left when the low-battery warning starts (command C(q)), for
        example C(2), C(5), C(7), C(10).
    type: int
  wakeup_delay:
    description:
      - Seconds the UPS waits before turning the load back on when power returns (command
        C(r)), for example C(0), C(60), C(180), C(300).
    type: int
  alarm:
    description:
      - When the audible alarm sounds (command C(k)).
      - C(immediate) (C(0)) as soon as the UPS is on battery (after about 5 s); C(delayed)
        (C(T)) after 30 s on battery; C(low_battery) (C(L)) only at low battery; C(off) (C(N))
        never.
      - Names or the protocol characters are accepted; an unquoted C(off), which YAML reads as
        false, means C(off).
    type: raw
  self_test_interval:
    description:
      - Automatic battery self-test interval (command C(E)).
      - C(14d) (C(336) hours), C(7d) (C(168) hours), C(on_startup) (C(ON), at power-on only) or
        C(off) (C(OFF)). Names or the protocol values are accepted; an unquoted C(off), which
        YAML reads as false, means C(off).
    type: raw
  ups_id:
    description:
      - UPS identifier (command C(c)), up to 8 printable characters; shorter text is padded with
        blanks. The alert characters C(!), C($), C(%), C(+), C(?), C(=), C(*), C(#), C(&) and
        C(|) are refused because they would not read back.
    type: str
  battery_date:
    description:
      - Battery replacement date (command C(x)), up to 8 printable characters, usually
        C(mm/dd/yy). Quote it in YAML. The alert characters are refused as for O(ups_id).
    type: str
attributes:
  check_mode:
    support: full
    description: Reads the settings and reports what would change in RV(commands); only queries are sent.
  diff_mode:
    support: full
    description: Before and after values of the settings given.
  platform:
    support: full
    platforms: apc
    description: APC UPS units with a DB9 port speaking the smart protocol, through the C(rackops.apc.console) connection.
notes:
  - The unit may send the C(|) alert some seconds after an EEPROM change; it is reported in RV(events)
    when it arrives in time.
seealso:
  - module: rackops.apc.facts
  - module: rackops.apc.ups_command
'''

EXAMPLES = r'''
- name: Transfer points and sensitivity for a generator-fed 230 V unit
  rackops.apc.ups_settings:
    upper_transfer_voltage: 265
    lower_transfer_voltage: 196
    sensitivity: low

- name: Shutdown behaviour, alarm and self-test
  rackops.apc.ups_settings:
    shutdown_delay: 180
    low_battery_warning: 5
    return_charge: 15
    wakeup_delay: 60
    alarm: delayed
    self_test_interval: 7d

- name: Name the unit and record the new battery
  rackops.apc.ups_settings:
    ups_id: RACK-A01
    battery_date: "03/15/26"
'''

RETURN = r'''
commands:
  description: The settings changed (or, in check mode, that would change), one line each.
  returned: always
  type: list
  elements: str
  sample: ['upper_transfer_voltage (u): 127 -> 133', 'alarm (k): immediate (0) -> delayed (T)']
settings:
  description: Each changed setting with its letter, raw before and after values and the number
    of C(-) steps the UPS needed (C(null) in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{option: upper_transfer_voltage, letter: u, before: '127', after: '133', steps: 2}]
events:
  description: Alert characters the UPS sent meanwhile (for example C(|) after an EEPROM change).
  returned: always
  type: list
  elements: str
model:
  description: The model the UPS reports.
  returned: always
  type: str
  sample: SMART-UPS 1000
locale:
  description: The unit's locale character.
  returned: always
  type: str
  sample: D
reboot_required:
  description: Always false; EEPROM settings take effect at once.
  returned: always
  type: bool
diff:
  description: Before and after values of the settings given (with C(--diff)).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.rackops.apc.plugins.module_utils.apc_module import ApcModule

from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure, DeviceConsole
from ansible_collections.rackops.apc.plugins.module_utils.device import ApplyError, SettingsError
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import fail_apply, finish
from ansible_collections.rackops.apc.plugins.module_utils.smart import (
    SETTINGS, check_against_table, describe_change, normalise_wanted, plan_settings,
    setting_value, unit_from_info,
)


def smart_device(module, console):
    try:
        info = console.device_info()
    except ConsoleFailure as exc:
        console.fail(exc)
    if info.get('dialect') != 'smart':
        module.fail_json(msg='%s speaks the %s console dialect; %s needs a UPS DB9 port with the '
                             'smart protocol (set ansible_apc_dialect: smart)'
                             % (info.get('model') or 'the device', info.get('dialect'), module._name))
    return info


def _reads(change, raw):
    """True when ``raw`` (a reading of the change's letter) shows the wanted value."""
    if raw is None:
        return False
    if change['kind'] == 'text':
        return raw.rstrip() == change['after'].rstrip()
    return raw.strip() == change['after'].strip()


def _read_back(console, letter):
    """The letter's value once the UPS answers again (the connection opens the line again
    after a drop); None when it cannot be read."""
    try:
        return (console.call('smart_query', [letter]).get('values') or {}).get(letter)
    except ConsoleFailure:
        return None


def apply_changes(console, changes):
    """Cycle each differing setting; returns (settings results, events). Raises ApplyError.

    When a write fails (the line dropped, no answer), the setting is read back once the UPS
    answers: reaching the wanted value counts as applied; otherwise the error says whether it
    is unchanged, changed part of the way (a cycle steps through values one by one), or
    unreadable, and ``applied`` lists every setting that did or may have changed.
    """
    done = []
    events = []
    for change in changes:
        letter, wanted = change['letter'], change['after']
        try:
            if change['kind'] == 'text':
                reply = console.call('smart_set_text', letter, wanted)
            else:
                reply = console.call('smart_set', letter, wanted)
        except ConsoleFailure as exc:
            now = _read_back(console, letter)
            if _reads(change, now):
                done.append({'option': change['option'], 'letter': letter, 'before': change['before'],
                             'after': now, 'steps': None,
                             'note': 'applied; the UPS answer was lost (%s)' % exc})
                continue
            earlier = ('; already applied: %s' % ', '.join(d['option'] for d in done)) if done else ''
            applied = [d['option'] for d in done]
            if now is None:
                state = ('it could not be read back, so it may have been changed%s' % earlier)
                applied.append(change['option'])
            elif now.strip() == (change['before'] or '').strip():
                state = 'it still reads %r: not changed%s' % (
                    now.strip(), earlier or '; nothing was changed before it')
            else:
                state = ('it now reads %r (was %r): changed part of the way%s'
                         % (now.strip(), (change['before'] or '').strip(), earlier))
                applied.append(change['option'])
            raise ApplyError('the UPS did not take %s (%s) = %r: %s; %s' % (
                change['option'], letter, wanted.strip(), exc, state), applied=applied)
        after = reply.get('after')
        if not _reads(change, after):
            raise ApplyError('%s (%s) reads back %r after setting %r' % (
                change['option'], letter, after, wanted), applied=[d['option'] for d in done] + [change['option']])
        events.extend(reply.get('events') or [])
        done.append({'option': change['option'], 'letter': letter, 'before': change['before'],
                     'after': after, 'steps': reply.get('steps')})
    return done, events


def main():
    module = ApcModule(
        argument_spec=dict(
            upper_transfer_voltage=dict(type='int'),
            lower_transfer_voltage=dict(type='int'),
            sensitivity=dict(type='str'),
            return_charge=dict(type='int'),
            output_voltage=dict(type='int'),
            shutdown_delay=dict(type='int'),
            low_battery_warning=dict(type='int'),
            wakeup_delay=dict(type='int'),
            alarm=dict(type='raw'),
            self_test_interval=dict(type='raw'),
            ups_id=dict(type='str'),
            battery_date=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    # The form of every value is checked before the console is touched.
    wanted = {}
    try:
        for name, setting in SETTINGS.items():
            if module.params.get(name) is not None:
                wanted[name] = normalise_wanted(setting, module.params[name])
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    if not wanted:
        module.exit_json(changed=False, commands=[], settings=[], events=[], reboot_required=False,
                         msg='no settings given')

    console = DeviceConsole(module)
    info = smart_device(module, console)
    events = []
    try:
        unit = unit_from_info(info)
        # the unit's own table for its locale, before anything is read or written
        exact = check_against_table(wanted, unit)
        read = console.call('smart_query', [SETTINGS[name].letter for name in exact])
        events.extend(read.get('events') or [])
        current = read.get('values') or {}
        changes = plan_settings(exact, current, unit)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    except ConsoleFailure as exc:
        console.fail(exc)

    before = dict((name, setting_value(SETTINGS[name], current.get(SETTINGS[name].letter)))
                  for name in exact)
    after = dict(before)
    for change in changes:
        after[change['option']] = setting_value(SETTINGS[change['option']], change['after'])
    result = {
        'changed': bool(changes),
        'commands': [describe_change(change) for change in changes],
        'settings': [{'option': c['option'], 'letter': c['letter'], 'before': c['before'],
                      'after': c['after'], 'steps': None} for c in changes],
        'events': events,
        'model': unit.model,
        'locale': unit.locale,
        'reboot_required': False,
        'diff': {'before': before, 'after': after},
    }
    if changes and not module.check_mode:
        try:
            done, more = apply_changes(console, changes)
        except ApplyError as exc:
            fail_apply(module, exc, changed=bool(exc.applied), commands=result['commands'])
        result['settings'] = done
        result['events'] = events + more
        try:
            result['events'] += list(console.call('smart_events') or [])
        except ConsoleFailure:
            pass
    finish(module, result)


if __name__ == '__main__':
    main()
