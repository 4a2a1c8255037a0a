# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time planner: recorded ``ntp``/``date`` text + wanted state -> commands.

ntp.txt and date.txt are verbatim captures (AOS 6.9.6). ntp_with_status.txt assumes a card
that prints an NTP status line (the capture's does not); date_dd_mmm_yy.txt and
date_mm_dd_yyyy.txt are the captured layout in other formats.
"""

from __future__ import annotations

import datetime
import os

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import area_time as tm
from ansible_collections.rackops.apc.plugins.module_utils import cli_parse
from ansible_collections.rackops.apc.plugins.module_utils.device import Reader, SettingsError

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'cli')
INFO = {'model': 'Smart-UPS 1500', 'card_model': 'AP9630', 'firmware': {'aos': 'v6.9.6'}}


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


class FakeConsole:
    def __init__(self, reads):
        self.reads = dict(reads)
        self.sent = []

    def read(self, command, verify=False):  # pylint: disable=unused-argument
        return self.run(command)

    def run(self, command, confirm=False, secrets=None, login_password_from=None, timeout=None):
        if command in self.reads:
            result = cli_parse.parse_result(self.reads[command], command)
        else:
            self.sent.append(command)
            result = cli_parse.parse_result('E000: Success')
        result.raw = {'ok': result.ok}
        return result


READS = {'ntp': fixture('ntp.txt'), 'date': fixture('date.txt')}


def planned(params, reads=None, now_utc=None):
    wanted, clock = tm.validate(dict(params), INFO)
    console = FakeConsole(reads or READS)
    commands, _changed, before, after, _clock = tm.plan(Reader(console), wanted, clock, INFO,
                                                        now_utc=now_utc)
    assert console.sent == []
    return [c.display() for c in commands], before, after


def test_same_values_plan_nothing():
    commands, before, after = planned({'ntp_override': False, 'ntp_primary': '0.0.0.0',
                                       'ntp_secondary': '0.0.0.0', 'date_format': 'YYYY-MM-DD',
                                       'time_zone': '+5:00'})
    assert commands == [] and before == after


def test_ntp_and_date_settings_one_command_each():
    commands, before, after = planned({'ntp_override': True, 'ntp_primary': '192.0.2.123',
                                       'ntp_secondary': 'ntp.example.net',
                                       'date_format': 'dd.mm.yyyy', 'time_zone': '-03:30'})
    assert commands == ['ntp -OM enable -p 192.0.2.123 -s ntp.example.net',
                        'date -f dd.mm.yyyy -z -03:30']
    assert before['time_zone'] == '+05:00' and after['time_zone'] == '-03:30'


def test_ntp_enabled_is_refused_when_the_card_does_not_show_it():
    with pytest.raises(SettingsError) as caught:
        planned({'ntp_enabled': True})
    assert 'ntp_enabled cannot be managed on' in str(caught.value)
    assert 'v6.9.6' in str(caught.value)


def test_ntp_enabled_when_the_card_shows_it():
    reads = dict(READS, ntp=fixture('ntp_with_status.txt'))
    assert planned({'ntp_enabled': True, 'ntp_override': True}, reads=reads)[0] == []
    assert planned({'ntp_enabled': False}, reads=reads)[0] == ['ntp -e disable']


def test_clock_within_max_drift_is_left_alone():
    # the card reads 2021-08-18 22:20:20
    commands, before, after = planned({'date': '2021-08-18', 'time': '22:21:00'})
    assert commands == [] and before == after == {'date': '2021-08-18', 'time': '22:20:20'}
    assert planned({'date': '2021-08-18', 'time': '22:21:21', 'max_drift': 60})[0] == [
        'date -d 2021-08-18 -t 22:21:21']


def test_clock_date_goes_out_in_the_format_set_with_it():
    commands, before, after = planned({'date_format': 'mmm-dd-yy', 'date': '2026-03-01',
                                       'time': '12:00:00'})
    assert commands == ['date -f mmm-dd-yy -d Mar-01-26 -t 12:00:00']
    assert after['date'] == '2026-03-01' and after['time'] == '12:00:00'


def test_clock_is_compared_in_the_new_time_zone():
    # 22:20:20 at +05:00 is 16:50:20 at -00:30 (same instant)
    assert planned({'time_zone': '-00:30', 'time': '16:50:30'})[0] == ['date -z -00:30']
    assert planned({'time_zone': '-00:30', 'time': '22:20:20'})[0] == ['date -z -00:30 -t 22:20:20']


def test_date_alone_compares_the_day_and_time_alone_wraps_midnight():
    reads = dict(READS, date=fixture('date_dd_mmm_yy.txt'))      # 05-Mar-26 23:59:30
    assert planned({'date': '2026-03-05'}, reads=reads)[0] == []
    assert planned({'date': '2026-03-06'}, reads=reads)[0] == ['date -d 06-Mar-26']
    assert planned({'time': '00:00:10'}, reads=reads)[0] == []
    assert planned({'time': '00:05:00'}, reads=reads)[0] == ['date -t 00:05:00']


def test_sync_clock_uses_the_controller_time_in_the_card_zone():
    reads = dict(READS, date=fixture('date_mm_dd_yyyy.txt'))    # 03/01/2026 12:00:00 +00:00
    near = datetime.datetime(2026, 3, 1, 12, 0, 40)
    assert planned({'sync_clock': True}, reads=reads, now_utc=near)[0] == []
    far = datetime.datetime(2026, 3, 1, 12, 5, 0)
    assert planned({'sync_clock': True}, reads=reads, now_utc=far)[0] == [
        'date -d 03/01/2026 -t 12:05:00']
    assert planned({'sync_clock': True, 'time_zone': '+01:00'}, reads=reads, now_utc=far)[0] == [
        'date -z +01:00 -d 03/01/2026 -t 13:05:00']


@pytest.mark.parametrize('params, message', [
    ({'time_zone': '+5'}, 'must look like +hh:mm'),
    ({'time_zone': '+05:20'}, 'minutes 00, 15, 30 or 45'),
    ({'time_zone': '+15:00'}, 'between -12:00 and +14:00'),
    ({'date_format': 'dd/mm/yyyy'}, 'date_format must be one of'),
    ({'ntp_primary': 'bad host'}, 'not a valid host name'),
    ({'date': '01.03.2026'}, 'YYYY-MM-DD'),
    ({'date': '2026-02-30'}, 'YYYY-MM-DD'),
    ({'date': '1999-12-31'}, 'from 2000 to 2099'),
    ({'time': '24:00:00'}, 'HH:MM:SS'),
    ({'time': '12:00'}, 'HH:MM:SS'),
    ({'sync_clock': True, 'time': '12:00:00'}, 'do not give date or time with it'),
    ({'date': '2026-03-01', 'max_drift': 0}, 'max_drift must be between 1 and 86400'),
])
def test_bad_input_is_refused_before_the_console(params, message):
    with pytest.raises(SettingsError) as caught:
        tm.validate(params)
    assert message in str(caught.value)


def test_unreadable_card_clock_is_refused():
    reads = dict(READS, date='E000: Success\nDate: someday\nTime: 12:00:00\nFormat: yyyy-mm-dd\n')
    with pytest.raises(SettingsError, match="cannot read the card's clock"):
        planned({'date': '2026-03-01'}, reads=reads)


def test_card_dates_round_trip_in_every_format():
    day = datetime.date(2026, 3, 1)
    for fmt in tm.DATE_FORMATS:
        assert tm.parse_card_date(tm.format_card_date(day, fmt), fmt) == day
