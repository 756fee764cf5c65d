"""Calendar pieces the insights share: the last complete weeks in the organisation's time
zone, their boundaries as UTC instants, and a portable way to sort timestamps into them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, literal

from webapp.models import Organisation
from webapp.timeutil import local_date, local_midnight_utc, utcnow, week_start

TREND_WEEKS = 12


def complete_weeks(org: Organisation, weeks: int = TREND_WEEKS) -> list[date]:
    """The Mondays of the last `weeks` complete weeks, oldest first (this week is not done,
    so a half week never looks like a drop), from the week the organisation started: weeks
    before it joined Kizuki are not zeros. At least the last week."""
    this_monday = week_start(local_date(utcnow(), org.timezone))
    mondays = [this_monday - timedelta(weeks=weeks - n) for n in range(weeks)]
    if org.created_at is None:
        return mondays
    joined = week_start(local_date(org.created_at, org.timezone))
    return [m for m in mondays if m >= joined] or mondays[-1:]


def boundaries(mondays: list[date], tz: str) -> list[datetime]:
    """The UTC instants at which each week starts, and the one at which the last ends."""
    days = [*mondays, mondays[-1] + timedelta(weeks=1)]
    return [local_midnight_utc(day, tz) for day in days]


def bucket(column: Any, bounds: list[datetime]) -> Any:
    """The index of the week `column` falls in (rows outside the bounds must be filtered
    out by the caller). A CASE over the boundaries works the same on SQLite and PostgreSQL
    and keeps daylight-saving changes exact, unlike date arithmetic in SQL."""
    whens = [(column < end, literal(i)) for i, end in enumerate(bounds[1:])]
    return case(*whens, else_=literal(len(bounds) - 1))


def since_days(days: int) -> datetime:
    """The instant `days` days ago."""
    return utcnow() - timedelta(days=days)
