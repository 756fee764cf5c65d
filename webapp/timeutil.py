"""Time helpers: UTC storage, organisation-local calendars (weeks start on Monday)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Set only by `frozen_time`: the demo seeder replays weeks of history through the real services.
_frozen: ContextVar[datetime | None] = ContextVar("kizuki_frozen_now", default=None)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (or the instant `frozen_time` holds)."""
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(UTC)


@contextmanager
def frozen_time(at: datetime) -> Iterator[None]:
    """Inside the block `utcnow()` (and every model default using it) returns `at`."""
    token = _frozen.set(as_utc(at))
    try:
        yield
    finally:
        _frozen.reset(token)


def as_utc(moment: datetime) -> datetime:
    """Treat naive datetimes (SQLite returns them) as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_date(moment: datetime, tz: str) -> date:
    """The calendar day of `moment` in the time zone `tz`."""
    return as_utc(moment).astimezone(ZoneInfo(tz)).date()


def week_start(day: date) -> date:
    """The Monday of the week containing `day`."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    """The first day of the month containing `day`."""
    return day.replace(day=1)


def local_midnight_utc(day: date, tz: str) -> datetime:
    """The UTC instant at which `day` begins in `tz`."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz)).astimezone(UTC)
