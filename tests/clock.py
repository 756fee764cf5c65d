"""Instants at the edges of the calendar, for tests that must hold on any day.

A test that depends on today's date runs under `frozen_time` at a few of these on purpose
(see the `clock` fixture in conftest.py), rather than at whatever day CI happens to run.
Every instant is UTC; the comments give the time in Europe/Amsterdam, the test
organisations' time zone, where weeks start on Monday and seasons are calendar months.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

EDGES = {
    # Wednesday 13:00: an ordinary working day in the middle of a month.
    "mid-month": datetime(2026, 11, 18, 12, 0, tzinfo=UTC),
    # Tuesday 1 December 06:10: a new month and season, before anyone's working hours.
    "month-start": datetime(2026, 12, 1, 5, 10, tzinfo=UTC),
    # Tuesday 1 December 10:30: a new month with a few working hours in it.
    "month-start-morning": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    # Monday 30 November 00:30: a new week; in UTC it is still Sunday.
    "week-start": datetime(2026, 11, 29, 23, 30, tzinfo=UTC),
    # Monday 1 February 2027 00:30: a new week, month and season; UTC is still in January.
    "month-and-week-start": datetime(2027, 1, 31, 23, 30, tzinfo=UTC),
    # Sunday 29 March 03:30 CEST: an hour after the clocks jumped from 02:00 to 03:00.
    "dst-spring": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    # Sunday 25 October 02:30 CET: the second time this hour happens today.
    "dst-autumn": datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    # Thursday 31 December 23:30: the last half hour of the year.
    "new-years-eve": datetime(2026, 12, 31, 22, 30, tzinfo=UTC),
    # Friday 1 January 2027 00:30: a new year; in UTC it is still 2026.
    "new-year": datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
    # Tuesday 29 February 2028 11:00: a leap day.
    "leap-day": datetime(2028, 2, 29, 10, 0, tzinfo=UTC),
}

# The few a slow test runs at: an ordinary day, the first of a month before working hours,
# the start of a week, and the night the clocks go back.
FEW = ("mid-month", "month-start", "week-start", "dst-autumn")


def edges(*names: str) -> list[object]:
    """`pytest.param`s of the named instants (all of them when none are named), for
    `@pytest.mark.parametrize("clock", edges(...), indirect=True)`."""
    return [pytest.param(EDGES[name], id=name) for name in names or EDGES]


def month_has_working_time(
    now: datetime, tz: str, opens: time = time(7), lead: timedelta = timedelta(minutes=10)
) -> bool:
    """Has the month of `now` (in `tz`) had a working minute yet, `lead` before `now`?
    Before that, on the 1st, nothing that happens only in working hours can be there."""
    local = now.astimezone(ZoneInfo(tz))
    return datetime.combine(local.date().replace(day=1), opens, tzinfo=local.tzinfo) < now - lead
