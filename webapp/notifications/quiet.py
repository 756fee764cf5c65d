"""When a push may go out: never inside the organisation's or the person's quiet hours.

Both windows are wall-clock times in the organisation's time zone and usually wrap midnight
(21:00–08:00). A push due inside either is held until every window it falls in has ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from webapp.rules import in_quiet_hours
from webapp.timeutil import as_utc

Window = tuple[time | None, time | None]

# Each step jumps to the end of a window; two windows chain at most twice. Windows that
# together cover the whole day never end: such a person gets no pushes at all.
_MAX_STEPS = 4


def quiet_windows(user: Any) -> list[Window]:
    """The organisation's quiet hours and the person's own."""
    org = user.organisation
    return [(org.quiet_hours_start, org.quiet_hours_end), (user.quiet_start, user.quiet_end)]


def release_time(at: datetime, tz: str, windows: Sequence[Window]) -> datetime | None:
    """The first instant at or after `at` outside every quiet window (UTC), or None when
    the windows leave no time of day free."""
    zone = ZoneInfo(tz)
    moment = as_utc(at)
    for _ in range(_MAX_STEPS):
        local = moment.astimezone(zone)
        ends = [
            _window_end(local, end)
            for start, end in windows
            if end is not None and in_quiet_hours(local.time(), start, end)
        ]
        if not ends:
            return moment
        moment = max(ends)
    return None


def push_due_at(user: Any, at: datetime) -> datetime | None:
    """When a notification for `user` created at `at` may be pushed (None: never)."""
    return release_time(at, user.organisation.timezone, quiet_windows(user))


def _window_end(local: datetime, end: time) -> datetime:
    """The next time the wall clock in `local`'s zone shows `end`, as UTC."""
    # Compared in UTC: datetimes sharing a zone compare by wall clock, and the night the
    # clocks go back 02:00-03:00 happens twice (fold 0, then fold 1).
    after = local.astimezone(UTC)
    for day in (local.date(), local.date() + timedelta(days=1)):
        for fold in (0, 1):
            wall = datetime.combine(day, end, tzinfo=local.tzinfo).replace(fold=fold)
            if wall.astimezone(UTC) > after:
                return wall.astimezone(UTC)
    raise AssertionError("unreachable: tomorrow's wall clock shows `end` after now")
