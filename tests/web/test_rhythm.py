"""My rhythm on /me: working hours (moments outside them earn no points), time away and the
Monday note; and the weekly invitation itself, which never urges and never counts."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.kudos.invitations import send_invitations
from webapp.models import LedgerEntry, Notification
from webapp.timeutil import frozen_time

# 2026-11-30 is a Monday; Amsterdam is UTC+1 then.
MONDAY_0930 = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
MONDAY_0830 = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
SUNDAY_1200 = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)


def rhythm(**fields: str) -> dict[str, str]:
    data = {"work_start": "", "work_end": "", "away_until": ""}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def as_staff(client, world, auth):
    auth.login(world.staff.email)
    return client


def test_me_shows_my_rhythm_with_the_monday_note_on(as_staff):
    html = as_staff.get("/settings").get_data(as_text=True)
    assert 'id="rhythm"' in html and 'name="work_start"' in html and 'name="away_until"' in html
    assert re.search(
        r'name="reminders_enabled"[^>]*checked|checked[^>]*name="reminders_enabled"', html
    )


def test_saving_working_hours_time_away_and_turning_the_note_off(as_staff, world):
    away = date.today() + timedelta(days=10)
    response = as_staff.post(
        "/me/rhythm", data=rhythm(work_start="09:00", work_end="17:30", away_until=away.isoformat())
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/settings#rhythm")
    db.session.refresh(world.staff)
    assert (world.staff.work_start, world.staff.work_end) == (time(9), time(17, 30))
    assert world.staff.away_until == away and world.staff.reminders_enabled is False
    html = as_staff.get("/me").get_data(as_text=True)
    assert "Enjoy your time away" in html and "A fresh week" not in html


def test_clearing_everything_is_allowed(as_staff, world):
    world.staff.work_start, world.staff.work_end = time(8), time(16)
    db.session.commit()
    response = as_staff.post("/me/rhythm", data=rhythm(reminders_enabled="y"))
    assert response.status_code == 303
    db.session.refresh(world.staff)
    assert world.staff.work_start is None and world.staff.reminders_enabled is True


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"work_start": "09:00"}, "work_end", "Set both the start and the end, or neither."),
        ({"work_end": "17:00"}, "work_start", "Set both the start and the end, or neither."),
        ({"work_start": "09:00", "work_end": "09:00"}, "work_end", "The end must differ"),
        ({"work_start": "25:00", "work_end": "17:00"}, "work_start", "Enter a time."),
        ({"away_until": "2001-01-01"}, "away_until", "Choose a day from today"),
        ({"away_until": "2999-01-01"}, "away_until", "Choose a day from today"),
        ({"away_until": "tomorrow"}, "away_until", "Enter a date."),
    ],
)
def test_bad_rhythm_shows_the_field_error_and_saves_nothing(
    as_staff, world, fields, field, message
):
    response = as_staff.post("/me/rhythm", data=rhythm(reminders_enabled="y", **fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and message in html
    db.session.refresh(world.staff)
    assert world.staff.work_start is None and world.staff.away_until is None


def test_a_moment_outside_my_hours_is_thanked_without_points(as_staff, world):
    as_staff.post("/me/rhythm", data=rhythm(work_start="09:00", work_end="17:00"))
    late_evening = datetime(2026, 11, 30, 21, 30, tzinfo=UTC)  # 22:30 in Amsterdam
    with frozen_time(late_evening):
        response = as_staff.post(
            "/moments/new",
            data={
                "client_id": str(uuid.uuid4()),
                "cue": "A guest could not sleep because of the street noise",
                "action": "Moved them to a quiet room at the back",
                "reaction": "They thanked us at breakfast",
                "value_ids": [str(world.values[0].id)],
                "team_id": str(world.team.id),
            },
            follow_redirects=True,
        )
    assert "outside your working hours" in response.get_data(as_text=True)
    points = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
            LedgerEntry.user_id == world.staff.id
        )
    )
    assert points == 0


# --- The Monday note ---------------------------------------------------------------------


def invitations(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.kind == "invitation"
            )
        )
    )


def test_monday_morning_invites_each_person_once(world):
    with frozen_time(MONDAY_0930):
        first = send_invitations(db.session)
        again = send_invitations(db.session)
    assert first.invited >= 5 and again.invited == 0
    notes = invitations(world.staff.id)
    assert len(notes) == 1
    assert notes[0].title == "A new week of noticing" and notes[0].url == "/kudos/new"
    assert "5 kudos to give this week" in notes[0].body
    # The other organisation (also in Amsterdam) is invited too, each to their own.
    assert len(invitations(world.outsider.id)) == 1


def test_no_note_before_monday_nine_or_on_other_days(world):
    with frozen_time(MONDAY_0830):
        assert send_invitations(db.session).invited == 0
    with frozen_time(SUNDAY_1200):
        assert send_invitations(db.session).invited == 0
    assert invitations(world.staff.id) == []


def test_people_away_or_who_turned_it_off_get_none(world):
    world.staff.away_until = date(2026, 12, 4)
    world.staff2.reminders_enabled = False
    world.staff3.away_until = date(2026, 11, 29)  # back since yesterday
    db.session.commit()
    with frozen_time(MONDAY_0930):
        report = send_invitations(db.session)
    assert report.away == 1 and report.turned_off == 1
    assert invitations(world.staff.id) == [] and invitations(world.staff2.id) == []
    assert len(invitations(world.staff3.id)) == 1


def test_the_note_is_in_the_persons_language(world):
    world.staff.locale = "nl"
    db.session.commit()
    with frozen_time(MONDAY_0930):
        send_invitations(db.session)
    (note,) = invitations(world.staff.id)
    assert note.title != "A new week of noticing" and "kudos" in note.body


def test_the_note_never_urges_or_counts_what_was_not_done(world):
    with frozen_time(MONDAY_0930):
        send_invitations(db.session)
    (note,) = invitations(world.staff.id)
    text = f"{note.title} {note.body}".lower()
    for pressure in ("behind", "only", "should", "must", "don't forget", "streak", "last week you"):
        assert pressure not in text


def test_the_cli_reports_what_it_did(app, world):
    with frozen_time(MONDAY_0930):
        result = CliRunner().invoke(app.cli, ["send-invitations"], obj=None)
    assert result.exit_code == 0, result.output
    assert re.match(r"invited \d+, away 0, turned off 0", result.output)
