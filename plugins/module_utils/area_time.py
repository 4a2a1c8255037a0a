# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time settings: NTP (``ntp``), date format and time zone (``date -f -z``) and the clock
itself (``date -d -t``).

NTP, the date format and the time zone are a flat table served by the device planner.
The clock is not a setting one can compare for equality: it moves. It is set only when the
card's clock is further than ``max_drift`` seconds from the wanted moment (a date alone is
compared by day), so a task that templates the wanted time from "now", or uses
``sync_clock``, stays idempotent.

The card shows local time (UTC plus its time zone). When the zone changes in the same run,
the card's clock is compared as it will read in the new zone. ``-f``, ``-z``, ``-d`` and
``-t`` travel in one ``date`` command, so ``-d`` is written in the format that command sets.
"""

from __future__ import annotations

import datetime
import re
import time as _time

from ansible_collections.rackops.apc.plugins.module_utils.cli_parse import CliCommandError
from ansible_collections.rackops.apc.plugins.module_utils.console import ConsoleFailure
from ansible_collections.rackops.apc.plugins.module_utils.device import (
    ApplyError, Area, Field, PlannedCommand, Reader, SettingsError, apply_commands, check_host,
    check_int, describe_firmware, verify,
)
from ansible_collections.rackops.apc.plugins.module_utils.settings_module import (
    cli_device, fail_apply, finish,
)

DATE_FORMATS = ('mm/dd/yyyy', 'dd.mm.yyyy', 'mmm-dd-yy', 'dd-mmm-yy', 'yyyy-mm-dd')
MONTHS = ('jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec')
CLOCK_OPTIONS = ('date', 'time', 'sync_clock', 'max_drift')
DEFAULT_MAX_DRIFT = 60
_TZ_RE = re.compile(r'^([+-])(\d{1,2}):(\d{2})$')
_TIME_RE = re.compile(r'^(\d{1,2}):(\d{2}):(\d{2})$')


# ------------------------------------------------------------------------------ values
def tz_minutes(text):
    match = _TZ_RE.match(str(text).strip())
    if not match:
        raise ValueError(text)
    minutes = int(match.group(2)) * 60 + int(match.group(3))
    return -minutes if match.group(1) == '-' else minutes


def check_time_zone(name, value):
    """'+05:30', '-3:00' -> '+05:30', '-03:00' (UTC-12:00 to UTC+14:00, quarter hours)."""
    text = str(value).strip()
    match = _TZ_RE.match(text)
    if not match or int(match.group(3)) not in (0, 15, 30, 45):
        raise SettingsError('%s must look like +hh:mm or -hh:mm with minutes 00, 15, 30 or 45, '
                            'got %r' % (name, value))
    minutes = tz_minutes(text)
    if not -12 * 60 <= minutes <= 14 * 60:
        raise SettingsError('%s must be between -12:00 and +14:00, got %r' % (name, value))
    sign = '-' if minutes < 0 else '+'
    return '%s%02d:%02d' % (sign, abs(minutes) // 60, abs(minutes) % 60)


def check_server(name, value):
    """An NTP server: IPv4/IPv6 address or host name; 0.0.0.0 means none."""
    return check_host(name, value)


def check_date(name, value):
    text = str(value).strip()
    try:
        day = datetime.datetime.strptime(text, '%Y-%m-%d').date()
    except ValueError:
        raise SettingsError('%s must be a date written YYYY-MM-DD (whatever the card\'s date '
                            'format is), got %r' % (name, value))
    if not 2000 <= day.year <= 2099:
        raise SettingsError('%s: the card keeps dates from 2000 to 2099, got %r' % (name, value))
    return day


def check_time(name, value):
    match = _TIME_RE.match(str(value).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59 or int(match.group(3)) > 59:
        raise SettingsError('%s must be a 24-hour time written HH:MM:SS, got %r' % (name, value))
    return datetime.time(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def parse_card_date(text, fmt):
    """The card's Date: value in its format -> datetime.date (ValueError when unreadable)."""
    text = str(text or '').strip()
    fmt = str(fmt or '').strip().lower()
    if fmt == 'mm/dd/yyyy':
        month, day, year = text.split('/')
    elif fmt == 'dd.mm.yyyy':
        day, month, year = text.split('.')
    elif fmt == 'yyyy-mm-dd':
        year, month, day = text.split('-')
    elif fmt in ('mmm-dd-yy', 'dd-mmm-yy'):
        first, second, year = text.split('-')
        month, day = (first, second) if fmt == 'mmm-dd-yy' else (second, first)
        month = str(MONTHS.index(month.strip().lower()[:3]) + 1)
        year = str(2000 + int(year)) if len(year.strip()) <= 2 else year
    else:
        raise ValueError('unknown date format %r' % fmt)
    return datetime.date(int(year), int(month), int(day))


def format_card_date(day, fmt):
    """datetime.date -> text in the card's format ``fmt``."""
    month = MONTHS[day.month - 1].capitalize()
    return {
        'mm/dd/yyyy': '%02d/%02d/%04d' % (day.month, day.day, day.year),
        'dd.mm.yyyy': '%02d.%02d.%04d' % (day.day, day.month, day.year),
        'mmm-dd-yy': '%s-%02d-%02d' % (month, day.day, day.year % 100),
        'dd-mmm-yy': '%02d-%s-%02d' % (day.day, month, day.year % 100),
        'yyyy-mm-dd': '%04d-%02d-%02d' % (day.year, day.month, day.day),
    }[fmt]


# ------------------------------------------------------------------------------ table
TIME = Area(
    name='time',
    command_order=('ntp', 'date'),
    fields=[
        Field('ntp_enabled', 'ntp', 'enabled', '-e', kind='bool'),
        Field('ntp_override', 'ntp', 'override', '-OM', kind='bool'),
        Field('ntp_primary', 'ntp', 'primary', '-p', kind='host', validate=check_server),
        Field('ntp_secondary', 'ntp', 'secondary', '-s', kind='host', validate=check_server),
        Field('date_format', 'date', 'format', '-f', kind='choice', choices=DATE_FORMATS),
        Field('time_zone', 'date', 'time_zone', '-z', validate=check_time_zone),
    ],
)


def validate_clock(params):
    """The clock options -> {'date', 'time', 'sync', 'max_drift'} or None (no clock wanted)."""
    day = params.get('date')
    tod = params.get('time')
    sync = bool(params.get('sync_clock'))
    drift = params.get('max_drift')
    drift = DEFAULT_MAX_DRIFT if drift is None else check_int('max_drift', drift, 1, 86400)
    if sync and (day is not None or tod is not None):
        raise SettingsError('sync_clock sets the clock from the controller\'s time; do not give '
                            'date or time with it')
    if not sync and day is None and tod is None:
        return None
    return {
        'date': check_date('date', day) if day is not None else None,
        'time': check_time('time', tod) if tod is not None else None,
        'sync': sync,
        'max_drift': drift,
    }


def validate(params, info=None):
    """Flat settings and clock, checked (without info: before the console is touched)."""
    flat = dict((k, v) for k, v in params.items() if k not in CLOCK_OPTIONS)
    return TIME.validate(flat, info), validate_clock(params)


# ------------------------------------------------------------------------------ clock
def plan_clock(card, clock, wanted_format=None, wanted_zone=None, now_utc=None, elapsed=0.0):
    """Options to set the clock, and the diff halves.

    ``card`` is parse_date() output. ``now_utc`` is a naive UTC datetime (sync_clock);
    ``elapsed`` seconds are added to a literal wanted time (used when verifying).
    Returns ``(options, before, after)``; options is [] when the clock is close enough.
    """
    fmt_now = str(card.get('format') or '').strip().lower()
    fmt_new = wanted_format or fmt_now
    try:
        zone_now = tz_minutes(card.get('time_zone') or '+00:00')
        card_day = parse_card_date(card.get('date'), fmt_now)
        card_tod = check_time('time', card.get('time'))
    except (ValueError, SettingsError):
        raise SettingsError('cannot read the card\'s clock (Date: %r, Time: %r, Format: %r, Time '
                            'Zone: %r); the clock options need it'
                            % (card.get('date'), card.get('time'), card.get('format'),
                               card.get('time_zone')))
    if fmt_new not in DATE_FORMATS:
        raise SettingsError('the card uses the date format %r, which this module does not know; '
                            'set date_format too' % fmt_new)
    zone_new = tz_minutes(wanted_zone) if wanted_zone else zone_now
    shown = datetime.datetime.combine(card_day, card_tod)
    # as the card will read once the (new) time zone is in effect
    card_dt = shown + datetime.timedelta(minutes=zone_new - zone_now)
    before = {'date': shown.date().isoformat(), 'time': shown.time().isoformat()}
    drift = clock['max_drift']
    options = []
    if clock['sync'] or (clock['date'] and clock['time']):
        if clock['sync']:
            now_utc = now_utc or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            want = now_utc + datetime.timedelta(minutes=zone_new)
        else:
            want = datetime.datetime.combine(clock['date'], clock['time']) + \
                datetime.timedelta(seconds=elapsed)
        if abs((card_dt - want).total_seconds()) > drift:
            options = [('-d', format_card_date(want.date(), fmt_new)),
                       ('-t', want.strftime('%H:%M:%S'))]
        after = {'date': want.date().isoformat(), 'time': want.strftime('%H:%M:%S')}
    elif clock['date']:
        if card_dt.date() != clock['date']:
            options = [('-d', format_card_date(clock['date'], fmt_new))]
        after = {'date': clock['date'].isoformat()}
        before = {'date': before['date']}
    else:
        want = datetime.datetime.combine(card_dt.date(), clock['time']) + \
            datetime.timedelta(seconds=elapsed)
        delta = abs((card_dt - want).total_seconds()) % 86400
        if min(delta, 86400 - delta) > drift:
            options = [('-t', want.strftime('%H:%M:%S'))]
        after = {'time': want.strftime('%H:%M:%S')}
        before = {'time': before['time']}
    if not options:
        after = dict(before)
    return options, before, after


# ------------------------------------------------------------------------------ ensure
def plan(reader, wanted, clock, info=None, now_utc=None, elapsed=0.0):
    """(commands, changed names, before, after, clock options) from the card via ``reader``."""
    current = TIME.read(reader, list(wanted))
    if 'ntp_enabled' in wanted and current.get('ntp_enabled') is None:
        raise SettingsError(
            'ntp_enabled cannot be managed on %s: its "ntp" output does not say whether NTP is '
            'enabled, so the module cannot tell whether "ntp -e" would change anything. Leave '
            'ntp_enabled out (the servers and override are managed without it), or send it once '
            'with rackops.apc.command' % describe_firmware(info))
    commands, changed = TIME.plan(current, wanted)
    before = dict(current)
    after = dict(current)
    after.update(dict((n, wanted[n]) for n in changed))
    clock_options = []
    if clock:
        clock_options, clock_before, clock_after = plan_clock(
            reader.parsed('date'), clock, wanted.get('date_format'), wanted.get('time_zone'),
            now_utc=now_utc, elapsed=elapsed)
        before.update(clock_before)
        after.update(clock_after)
        if clock_options:
            date_cmd = [c for c in commands if c.command == 'date']
            if not date_cmd:
                date_cmd = [PlannedCommand('date')]
                commands.append(date_cmd[0])
            for option, value in clock_options:
                date_cmd[0].add(option, value)
    return commands, changed, before, after, clock_options


def ensure(console, wanted, clock, info=None, check_mode=False):
    commands, changed, before, after, clock_options = plan(Reader(console), wanted, clock, info)
    result = {
        'changed': bool(commands),
        'commands': [c.display() for c in commands],
        'reboot_required': False,
        'diff': {'before': before, 'after': after},
    }
    if not commands or check_mode:
        return result
    sent_at = _time.monotonic()
    _results, reboot = apply_commands(console, commands)
    result['reboot_required'] = reboot
    verify(console, TIME, wanted, changed)
    if clock_options:
        reader = Reader(console)
        again = plan_clock(reader.parsed('date'), dict(clock, max_drift=clock['max_drift'] + 2),
                           elapsed=_time.monotonic() - sent_at)[0]
        if again:
            raise ApplyError('the device accepted the clock but reads back %s %s'
                             % (reader.parsed('date').get('date'), reader.parsed('date').get('time')),
                             applied=result['commands'])
    return result


def run_time_module(module):
    """The whole life of rackops.apc.time (see settings_module.run_area_module)."""
    try:
        validate(module.params)           # values only: nothing touched yet
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    console, info = cli_device(module, menu=True)
    try:
        if info.get('dialect') == 'menu':
            from ansible_collections.rackops.apc.plugins.module_utils import menu_settings
            wanted, clock = validate(module.params)
            result = menu_settings.ensure_time(console, wanted, clock, info, check_mode=module.check_mode)
        else:
            wanted, clock = validate(module.params, info)
            result = ensure(console, wanted, clock, info, check_mode=module.check_mode)
    except SettingsError as exc:
        module.fail_json(msg=str(exc))
    except (ApplyError, CliCommandError) as exc:
        fail_apply(module, exc, changed=isinstance(exc, ApplyError) and bool(exc.applied))
    except ConsoleFailure as exc:
        console.fail(exc)
    finish(module, result)
