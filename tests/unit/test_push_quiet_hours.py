"""Quiet hours hold pushes: the organisation's window and the person's own, wrapping midnight,
in the organisation's time zone (daylight saving included)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification
from webapp.notifications.quiet import push_due_at, release_time
from webapp.notifications.services import notify_kudos, notify_recognition
from webapp.timeutil import frozen_time

NIGHT = (time(21, 0), time(8, 0))
NONE = (None, None)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 1, 14, 12, 0), utc(2026, 1, 14, 12, 0)),  # 13:00 CET: not quiet
        (utc(2026, 1, 14, 19, 59), utc(2026, 1, 14, 19, 59)),  # 20:59: just before
        (utc(2026, 1, 14, 20, 0), utc(2026, 1, 15, 7, 0)),  # 21:00: held to 08:00 CET
        (utc(2026, 1, 14, 22, 30), utc(2026, 1, 15, 7, 0)),  # 23:30, before midnight
        (utc(2026, 1, 15, 2, 0), utc(2026, 1, 15, 7, 0)),  # 03:00, after midnight
        (utc(2026, 1, 15, 6, 59), utc(2026, 1, 15, 7, 0)),  # 07:59
        (utc(2026, 1, 15, 7, 0), utc(2026, 1, 15, 7, 0)),  # 08:00: the end is not quiet
    ],
)
def test_the_organisations_window_wraps_midnight(at, expected):
    assert release_time(at, "Europe/Amsterdam", [NIGHT, NONE]) == expected


def test_summer_time_moves_the_release_an_hour_earlier_in_utc():
    # 08:00 in Amsterdam is 07:00 UTC in winter (CET) and 06:00 UTC in summer (CEST).
    assert release_time(utc(2026, 7, 1, 21, 0), "Europe/Amsterdam", [NIGHT]) == utc(
        2026, 7, 2, 6, 0
    )


def test_the_night_the_clocks_go_forward():
    # 29 March 2026, 23:00 CET; the clocks jump 02:00 → 03:00, so 08:00 is CEST already.
    assert release_time(utc(2026, 3, 28, 22, 0), "Europe/Amsterdam", [NIGHT]) == utc(
        2026, 3, 29, 6, 0
    )


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 happens twice.
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 0, 45)),  # 02:30 CEST → 02:45 CEST
        (utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 1, 45)),  # 02:30 CET → 02:45 CET
        (utc(2026, 10, 25, 0, 50), utc(2026, 10, 25, 0, 50)),  # 02:50 CEST: free
        (utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 0, 45)),  # 01:30 CEST → 02:45 CEST
    ],
)
def test_the_night_the_clocks_go_back_a_window_ends_after_now(at, expected):
    # A personal window ending in the hour that happens twice: never released in the past.
    assert release_time(at, "Europe/Amsterdam", [(time(1, 0), time(2, 45))]) == expected


@pytest.mark.parametrize(
    ("tz", "at", "expected"),
    [
        # 22:00 in New York (EST, UTC-5) → 08:00 there = 13:00 UTC.
        ("America/New_York", utc(2026, 1, 15, 3, 0), utc(2026, 1, 15, 13, 0)),
        # 15:00 UTC is midnight in Tokyo (UTC+9) → 08:00 there = 23:00 UTC.
        ("Asia/Tokyo", utc(2026, 1, 14, 15, 0), utc(2026, 1, 14, 23, 0)),
        # The same instant is 16:00 in Amsterdam: not quiet there.
        ("Europe/Amsterdam", utc(2026, 1, 14, 15, 0), utc(2026, 1, 14, 15, 0)),
    ],
)
def test_quiet_hours_are_in_the_organisations_time_zone(tz, at, expected):
    assert release_time(at, tz, [NIGHT]) == expected


def test_a_personal_window_holds_when_the_organisation_does_not():
    lunch = (time(12, 0), time(14, 0))
    assert release_time(utc(2026, 1, 14, 11, 30), "Europe/Amsterdam", [NIGHT, lunch]) == utc(
        2026, 1, 14, 13, 0
    )


def test_windows_that_overlap_hold_until_the_last_one_ends():
    # Personal 07:00–09:30 starts inside the organisation's night and ends after it.
    late_sleeper = (time(7, 0), time(9, 30))
    at = utc(2026, 1, 14, 23, 0)  # midnight in Amsterdam
    assert release_time(at, "Europe/Amsterdam", [NIGHT, late_sleeper]) == utc(2026, 1, 15, 8, 30)
    # …and the other way round: inside the personal window, the organisation's follows.
    evening = (time(19, 0), time(21, 30))
    at = utc(2026, 1, 14, 18, 30)  # 19:30
    assert release_time(at, "Europe/Amsterdam", [NIGHT, evening]) == utc(2026, 1, 15, 7, 0)


def test_windows_covering_the_whole_day_never_release():
    day = (time(8, 0), time(21, 0))
    assert release_time(utc(2026, 1, 14, 12, 0), "Europe/Amsterdam", [NIGHT, day]) is None


def test_no_windows_or_empty_ones_never_hold():
    at = utc(2026, 1, 14, 23, 0)
    assert release_time(at, "Europe/Amsterdam", [NONE, (time(9), time(9))]) == at


def test_notifications_created_in_quiet_hours_are_held(app, world):
    world.staff2.quiet_start, world.staff2.quiet_end = time(12, 0), time(14, 0)
    db.session.commit()
    with frozen_time(utc(2026, 1, 14, 22, 0)):  # 23:00: the organisation's night
        notify_kudos(db.session, world.staff2, world.staff, "Thank you", "/me")
    with frozen_time(utc(2026, 1, 15, 11, 15)):  # 12:15: Tom's own quiet hours
        notify_recognition(db.session, world.staff2, world.manager, "/me")
    with frozen_time(utc(2026, 1, 15, 9, 0)):  # 10:00: nobody's
        notify_kudos(db.session, world.staff, world.staff2, "Thanks back", "/me")
    db.session.commit()
    due = {
        (n.user_id, n.kind): n.push_due_at.replace(tzinfo=UTC)
        for n in db.session.scalars(select(Notification))
    }
    assert due == {
        (world.staff2.id, "kudos"): utc(2026, 1, 15, 7, 0),
        (world.staff2.id, "recognition"): utc(2026, 1, 15, 13, 0),
        (world.staff.id, "kudos"): utc(2026, 1, 15, 9, 0),
    }


def test_push_due_at_reads_the_organisation_and_the_person(app, world):
    world.org.timezone = "Asia/Tokyo"
    world.org.quiet_hours_start, world.org.quiet_hours_end = time(22, 0), time(6, 0)
    world.staff.quiet_start, world.staff.quiet_end = time(6, 0), time(7, 0)
    db.session.commit()
    # 23:00 in Tokyo → the organisation's night ends 06:00, then Sanne's hour until 07:00.
    assert push_due_at(world.staff, utc(2026, 1, 14, 14, 0)) == utc(2026, 1, 14, 22, 0)
    assert push_due_at(world.staff2, utc(2026, 1, 14, 14, 0)) == utc(2026, 1, 14, 21, 0)
