"""The weekly digest: each figure against hand-built data, written once per team and week,
handed to each person once (skipping who is away, held by quiet hours), as an in-app page,
a push and an e-mail with HTML and text parts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import client_id
from tests.game_support import log, thank
from tests.smtp_fake import FakeSmtpServer
from webapp.digest import sending
from webapp.digest import services as digests
from webapp.extensions import db
from webapp.game.challenges import ChallengeInput, create_challenge
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import Digest, DigestDelivery, Notification
from webapp.moments.services import mark_delighted, reverse_moment
from webapp.practices.services import adopt_practice
from webapp.timeutil import frozen_time

# Monday 9 November 2026, 08:30 in Amsterdam: the digest of the week of 2 November is due.
MONDAY = datetime(2026, 11, 9, 7, 30, tzinfo=UTC)
WEEK = date(2026, 11, 2)
IN_WEEK = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


def count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def week(app, world):
    """A week of Front desk: three moments (one reversed), public and private kudos, a story
    marked delighted, a practice adopted, a running challenge; one moment the week before."""
    with frozen_time(datetime(2026, 10, 28, 10, 0, tzinfo=UTC)):
        log(world.staff, world.team)  # the week before
        create_challenge(
            db.session,
            world.manager,
            ChallengeInput(
                world.team.id, "Notice the rain", date(2026, 10, 26), date(2026, 11, 22), 5
            ),
        )
        db.session.commit()
    with frozen_time(IN_WEEK):
        best = log(world.staff, world.team)
        second = log(world.staff2, world.team)
        gone = log(world.staff2, world.team)
        thank(world.staff2, world.staff, moment_id=best.id)
        thank(world.manager, world.staff, moment_id=best.id)
        thank(world.staff3, world.staff, moment_id=best.id)
        give_kudos(
            db.session,
            world.staff3,
            KudosInput(client_id(), "Just between us", [world.staff2.id], private=True),
        )
        mark_delighted(db.session, world.staff, second)
        reverse_moment(db.session, world.manager, gone, "Made up")
        practice = adopt_practice(db.session, world.manager, best.id, "Walk them there")
        db.session.commit()
    return {"best": best, "second": second, "practice": practice}


def test_the_digest_counts_the_teams_week(week, world):
    with frozen_time(MONDAY):
        digest, written = digests.build_digest(db.session, world.team, WEEK)
        db.session.commit()
        view = digests.view_of(db.session, digest)
    assert written
    assert (view.moments, view.kudos, view.people_thanked) == (2, 3, 1)  # no private kudos
    assert [s.moment.id for s in view.stories] == [week["best"].id, week["second"].id]
    assert [s.kudos for s in view.stories] == [3, 0]
    assert [p.id for p in view.practices] == [week["practice"].id]
    assert view.challenge["title"] == "Notice the rain" and view.challenge["goal"] == 5
    assert view.season["teams"] == 1 and view.season["place"] == 1  # Restaurant is too small
    assert (view.week_start, view.last_day) == (WEEK, date(2026, 11, 8))


def test_a_digest_is_written_once_per_team_and_week(week, world):
    with frozen_time(MONDAY):
        first, made = digests.build_digest(db.session, world.team, WEEK)
        again, made_again = digests.build_digest(db.session, world.team, WEEK)
    assert made and not made_again and first.id == again.id


def test_a_story_withdrawn_later_leaves_the_digest(week, world):
    with frozen_time(MONDAY):
        digest, _ = digests.build_digest(db.session, world.team, WEEK)
        db.session.commit()
        reverse_moment(db.session, world.manager, week["best"], "Made up after all")
        db.session.commit()
        view = digests.view_of(db.session, digest)
    assert view.moments == 2  # the figures stay what they were
    assert [s.moment.id for s in view.stories] == [week["second"].id]


@pytest.mark.parametrize(
    ("now", "week"),
    [
        (datetime(2026, 11, 9, 6, 59, tzinfo=UTC), None),  # Monday 07:59 local: not yet
        (datetime(2026, 11, 9, 7, 0, tzinfo=UTC), WEEK),  # Monday 08:00
        (datetime(2026, 11, 11, 3, 0, tzinfo=UTC), WEEK),  # Wednesday: caught up
        (datetime(2026, 11, 8, 22, 30, tzinfo=UTC), date(2026, 10, 26)),  # Sunday 23:30
    ],
)
def test_the_digest_is_due_from_monday_eight_local(app, world, now, week):
    due = sending.last_week(world.org, now)
    assert (due.date() if due else None) == week


def test_sending_twice_sends_nobody_anything_twice(week, world):
    with frozen_time(MONDAY):
        first = sending.send_weekly_digests(db.session)
        second = sending.send_weekly_digests(db.session)
    # Front desk: staff, staff2, manager, admin; Restaurant: staff3; the other org's desk: 2.
    assert first.written == 3 and second.written == 0
    assert second.sent == 0 and first.sent == 7
    assert count(Digest) == 3 and count(DigestDelivery) == 7
    digest = db.session.scalar(select(Digest).where(Digest.team_id == world.team.id))
    notes = db.session.scalars(select(Notification).where(Notification.kind == "digest")).all()
    mine = [n for n in notes if n.user_id == world.staff.id]
    assert len(mine) == 1 and mine[0].url == f"/digest/{digest.id}"
    assert mine[0].title == "Your team's week: Front desk"
    assert mine[0].body == "2 moments and 3 kudos last week."


def test_people_who_are_away_are_skipped(week, world):
    world.staff2.away_until = date(2026, 11, 13)
    db.session.commit()
    with frozen_time(MONDAY):
        report = sending.send_weekly_digests(db.session)
    assert report.away == 1
    outcome = db.session.scalar(
        select(DigestDelivery.outcome).where(DigestDelivery.user_id == world.staff2.id)
    )
    assert outcome == "away"
    assert not db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == world.staff2.id, Notification.kind == "digest"
        )
    )


def test_the_push_waits_for_quiet_hours_to_end(week, world):
    world.staff.quiet_start, world.staff.quiet_end = time(7, 0), time(10, 0)
    db.session.commit()
    with frozen_time(MONDAY):
        sending.send_weekly_digests(db.session)
    held = db.session.scalar(
        select(Notification.push_due_at).where(
            Notification.user_id == world.staff.id, Notification.kind == "digest"
        )
    )
    # 10:00 in Amsterdam (CET) is 09:00 UTC.
    assert held.replace(tzinfo=UTC) == datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    free = db.session.scalar(
        select(Notification.push_due_at).where(
            Notification.user_id == world.staff2.id, Notification.kind == "digest"
        )
    )
    assert free.replace(tzinfo=UTC) == MONDAY


def test_dutch_readers_get_it_in_dutch(week, world):
    world.staff.locale = "nl"
    db.session.commit()
    with frozen_time(MONDAY):
        sending.send_weekly_digests(db.session)
    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == world.staff.id, Notification.kind == "digest"
        )
    )
    assert note.title == "De week van je team: Front desk"


class TestByEmail:
    @pytest.fixture
    def smtp(self):
        with FakeSmtpServer() as server:
            yield server

    @pytest.fixture
    def app_config(self, app_config, smtp):
        app_config.update(
            {
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": smtp.port,
                "MAIL_SECURITY": "none",
                "MAIL_FROM": "Kizuki <kizuki@example.test>",
                "MAIL_BACKGROUND": False,
            }
        )
        return app_config

    def test_each_member_gets_html_and_text(self, week, world, smtp):
        with frozen_time(MONDAY):
            report = sending.send_weekly_digests(db.session)
        assert report.emailed == report.sent == 7
        mails = {}
        for _ in range(7):
            mail = smtp.next_message()
            mails[mail["To"]] = mail
        mail = mails[world.staff.email]
        assert mail["Subject"] == "Your team's week: Front desk"
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        for part in (text, html):
            assert "2 moments and 3 kudos last week." in part
            assert "Walk them there" in part and "Notice the rain" in part
            assert "Guest looked lost near the lifts" in part
        digest = db.session.scalar(select(Digest).where(Digest.team_id == world.team.id))
        assert f"http://localhost/digest/{digest.id}" in text
        assert "<h1>" in html and "&lt;" not in world.team.name


# The page ---------------------------------------------------------------------------------


def test_the_digest_page_shows_the_latest_week_and_earlier_ones(client, auth, week, world):
    with frozen_time(MONDAY - timedelta(weeks=1)):
        sending.send_weekly_digests(db.session)
    with frozen_time(MONDAY):
        sending.send_weekly_digests(db.session)
        auth.login(world.staff.email)
        response = client.get("/digest")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'style="' not in html
    assert "the week of 2 November to 8 November" in html
    assert "Walk them there" in html and "Notice the rain" in html
    assert "Earlier weeks" in html and "Week of 26 October" in html
    # The staff member's own team's digest of that week (every team has one).
    older = db.session.scalar(
        select(Digest).where(
            Digest.week_start == date(2026, 10, 26), Digest.team_id == world.team.id
        )
    )
    assert f'href="/digest/{older.id}"' in html
    assert client.get(f"/digest/{older.id}").status_code == 200


def test_the_digest_page_before_the_first_monday(client, auth, world):
    auth.login(world.staff.email)
    html = client.get("/digest").get_data(as_text=True)
    assert "No digest yet" in html
    assert client.get(f"/digest?team_id={world.other_team_foreign.id}").status_code == 404
    assert client.get("/digest?team_id=x").status_code == 400
