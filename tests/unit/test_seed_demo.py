"""`flask seed-demo`: the demo hotel, its history replayed through the real rules."""

from __future__ import annotations

import functools
import os
import re
import shutil
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
import pytest
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from werkzeug.security import check_password_hash

from tests.clock import EDGES, FEW, edges, month_has_working_time
from webapp import create_app, timeutil
from webapp.demo import content, seed
from webapp.demo.plan import BUDGET
from webapp.extensions import db
from webapp.kudos.services import allowance_left
from webapp.manage import services as manage
from webapp.models import (
    Kudos,
    KudosAllowanceUse,
    LedgerEntry,
    Membership,
    Moment,
    Notification,
    Organisation,
    PointsDaily,
    Recognition,
    Team,
    User,
)
from webapp.moments.services import gesture_spent_this_month

WEEKS = 5  # always crosses a month boundary: the demo has a past season
PG_URL = os.environ.get("KIZUKI_TEST_DATABASE_URL")
TZ = content.ORGANISATION["timezone"]

# One seeding per instant (a few seconds each), on one worker: the tests only read.
pytestmark = pytest.mark.xdist_group("seeded-demo")


def _config(url: str) -> dict[str, object]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": "localhost",
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }


def _pg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="module", params=[EDGES[name] for name in FEW], ids=FEW)
def seeded_db(request, database_template, worker_id_safe, tmp_path_factory):
    """Seed once per edge instant into a database of its own; the tests only read it."""
    instant = request.param
    if PG_URL:
        name = f"kizuki_seed_{worker_id_safe}"
        admin = create_engine(_pg(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = _pg(PG_URL.rsplit("/", 1)[0] + f"/{name}")
    else:
        path = tmp_path_factory.mktemp("seeded") / "seeded.db"
        shutil.copyfile(database_template, path)
        url = f"sqlite:///{path}"
    app = create_app(_config(url))
    with app.app_context(), timeutil.frozen_time(instant):
        if PG_URL:
            upgrade()
        summary = seed.seed_demo(db.session, weeks=WEEKS, progress=False)
        db.session.remove()
        db.engine.dispose()
    yield url, summary, instant
    if PG_URL:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def seeded(seeded_db):
    """The seeded demo, with the clock held at the instant it was seeded at."""
    url, summary, instant = seeded_db
    app = create_app(_config(url))
    with app.app_context(), timeutil.frozen_time(instant):
        yield summary
        db.session.remove()
        db.engine.dispose()


def user(email):
    return db.session.scalar(select(User).where(User.email == email))


def today():
    return timeutil.local_date(timeutil.utcnow(), TZ)


def month_began_at(day):
    return timeutil.local_midnight_utc(timeutil.month_start(day), TZ)


def this_month_began_at():
    return month_began_at(today())


def gesture_cues(since, until=None):
    query = select(Moment.cue).where(
        Moment.gesture_cost_cents.is_not(None), Moment.created_at >= since
    )
    if until is not None:
        query = query.where(Moment.created_at < until)
    return db.session.scalars(query).all()


# --- frozen_time --------------------------------------------------------------


def test_frozen_time_holds_utcnow_and_model_defaults(app):
    at = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
    with timeutil.frozen_time(at):
        assert timeutil.utcnow() == at
        org = Organisation(name="Then", slug="then")
        db.session.add(org)
        db.session.commit()
    assert timeutil.as_utc(org.created_at) == at
    assert timeutil.utcnow() - datetime.now(UTC) < timedelta(seconds=5)


def test_frozen_time_nests_and_restores():
    outer, inner = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    with timeutil.frozen_time(outer):
        with timeutil.frozen_time(inner):
            assert timeutil.utcnow() == inner
        assert timeutil.utcnow() == outer
    assert timeutil.utcnow() > outer


# --- The hotel ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "role", "team", "team_role"),
    [
        ("manager@demo.test", "manager", content.FRONT_DESK, "lead"),
        ("admin@demo.test", "admin", content.FRONT_DESK, "member"),
        ("staff1@demo.test", "staff", content.FRONT_DESK, "member"),
        ("staff2@demo.test", "staff", content.FRONT_DESK, "member"),
        ("lead.housekeeping@demo.test", "manager", content.HOUSEKEEPING, "lead"),
    ],
)
def test_fixed_logins_have_their_roles_and_teams(seeded, email, role, team, team_role):
    person = user(email)
    membership = db.session.scalars(select(Membership).where(Membership.user_id == person.id)).one()
    assert person.role == role
    assert (membership.team.name, membership.role) == (team, team_role)
    assert check_password_hash(person.password_hash, seed.PASSWORD)


def test_demo_password_signs_in_on_the_real_login_page(seeded):
    client = current_app.test_client()
    response = client.post("/login", data={"email": "staff1@demo.test", "password": seed.PASSWORD})
    assert response.status_code == 302
    assert "/login" not in response.headers["Location"]
    assert client.get("/").status_code == 200


def test_every_team_has_members_and_people_their_locale(seeded):
    teams = db.session.scalars(select(Team)).all()
    assert sorted(t.name for t in teams) == sorted(content.TEAMS)
    assert all(len(t.memberships) >= 3 for t in teams)
    assert seeded.people == len(content.PEOPLE)
    assert user("staff1@demo.test").locale == "nl"
    assert user("staff2@demo.test").locale == "en"


def test_moments_exist_in_dutch_and_english(seeded):
    lang_of = {m["cue"]: m["lang"] for m in content.MOMENTS}
    cues = db.session.scalars(select(Moment.cue)).all()
    assert {lang_of[cue] for cue in cues} == {"nl", "en"}
    assert seeded.moments == len(cues) > 0
    assert seeded.kudos > 0 and seeded.recognitions > 0


def test_the_history_happened_over_the_weeks_in_working_hours(seeded):
    now = timeutil.utcnow()
    stamps = [timeutil.as_utc(t) for t in db.session.scalars(select(Moment.created_at))]
    assert min(stamps) > now - timedelta(weeks=WEEKS, days=1)
    assert max(stamps) <= now
    tz = content.ORGANISATION["timezone"]
    hours = [timeutil.as_utc(t).astimezone(ZoneInfo(tz)).hour for t in stamps]
    assert sum(7 <= h < 21 for h in hours) == len(hours)


def test_several_people_report_gestures_and_stay_within_budget(seeded):
    spenders = db.session.execute(
        select(Moment.author_id, func.sum(Moment.gesture_cost_cents))
        .where(Moment.gesture_cost_cents.is_not(None))
        .group_by(Moment.author_id)
    ).all()
    assert len(spenders) >= 3
    org = db.session.scalars(select(Organisation)).one()
    for author_id, _ in spenders:
        assert gesture_spent_this_month(db.session, db.session.get(User, author_id)) <= (
            org.gesture_budget_cents
        )


def test_this_months_gestures_are_different_stories(seeded):
    # The manager's "recent gestures" list must not show one story under several names.
    cues = gesture_cues(this_month_began_at())
    assert len(cues) == len(set(cues))
    if month_has_working_time(timeutil.utcnow(), TZ):
        assert cues
    else:
        # The 1st before anyone's working hours: nothing yet; last month has the gestures.
        assert not db.session.scalar(
            select(func.count(Moment.id)).where(Moment.created_at >= this_month_began_at())
        )
        last_month = month_began_at(timeutil.month_start(today()) - timedelta(days=1))
        assert len(gesture_cues(last_month, this_month_began_at())) >= 3


def test_the_budget_table_has_a_story_on_any_day(seeded):
    # Admins see every team: several people spent this month, or (on the 1st) last month.
    rows = manage.overview(db.session, user("admin@demo.test")).budget
    this_month = [r for r in rows if r.spent_cents]
    last_month = [r for r in rows if r.last_month_cents]
    if month_has_working_time(timeutil.utcnow(), TZ):
        assert len(this_month) >= 3
    else:
        assert not this_month and len(last_month) >= 3
    assert all(r.spent_cents <= BUDGET and r.last_month_cents <= BUDGET for r in rows)
    client = current_app.test_client()
    client.post("/login", data={"email": "manager@demo.test", "password": seed.PASSWORD})
    page = client.get("/manage/budget").get_data(as_text=True)
    # "€8.50 of €25.00" this month, "Last month: €2.50 on 1 gesture." beside it.
    spent = re.findall(r"€([\d.]+) (?:of|on) ", page)
    assert any(float(amount) > 0 for amount in spent), "the manager's own team spent something"


def test_quiet_people_were_not_noticed_lately(seeded):
    month_ago = timeutil.utcnow() - timedelta(days=28)
    noticed = set(
        db.session.scalars(select(Kudos.receiver_id).where(Kudos.created_at >= month_ago))
    ) | set(db.session.scalars(select(Recognition.recipient_id)))
    staff = set(db.session.scalars(select(User.id).where(User.role == "staff")))
    assert 3 <= len(staff - noticed) < len(staff) / 2


# --- The rules held -----------------------------------------------------------


def test_ledger_and_daily_roll_up_agree_per_person(seeded):
    ledger = dict(
        db.session.execute(
            select(LedgerEntry.user_id, func.sum(LedgerEntry.points)).group_by(LedgerEntry.user_id)
        ).all()
    )
    daily = dict(
        db.session.execute(
            select(PointsDaily.user_id, func.sum(PointsDaily.points)).group_by(PointsDaily.user_id)
        ).all()
    )
    assert {k: v for k, v in ledger.items() if v} == {k: v for k, v in daily.items() if v}
    assert seeded.points == sum(ledger.values()) > 0


def test_no_giver_exceeded_the_weekly_allowance(seeded):
    org = db.session.scalars(select(Organisation)).one()
    per_week = db.session.execute(
        select(
            Kudos.giver_id, Kudos.week_start, func.count(func.distinct(Kudos.client_id))
        ).group_by(Kudos.giver_id, Kudos.week_start)
    ).all()
    assert per_week
    assert max(n for _, _, n in per_week) <= org.kudos_weekly_allowance
    uses = db.session.scalars(select(KudosAllowanceUse.used)).all()
    assert max(uses) <= org.kudos_weekly_allowance


def test_every_kudos_and_recognition_earned_through_the_ledger(seeded):
    received = db.session.scalar(select(func.count()).where(LedgerEntry.reason == "kudos_received"))
    given = db.session.scalar(select(func.count()).where(LedgerEntry.reason == "kudos_given"))
    actions = db.session.scalar(
        select(func.count()).select_from(
            select(Kudos.giver_id, Kudos.client_id).distinct().subquery()
        )
    )
    assert received == seeded.kudos
    assert given == actions  # giving is rewarded once per action
    recognitions = db.session.scalar(
        select(func.count()).where(LedgerEntry.recognition_id.is_not(None))
    )
    assert recognitions == seeded.recognitions


# --- Room for the live demo ---------------------------------------------------


def test_the_live_demo_still_has_room_today(seeded):
    staff1, staff2 = user("staff1@demo.test"), user("staff2@demo.test")
    assert allowance_left(db.session, staff2) >= 1
    this_week = timeutil.week_start(today())
    between = db.session.scalar(
        select(func.count()).where(
            Kudos.week_start == this_week,
            Kudos.giver_id.in_((staff1.id, staff2.id)),
            Kudos.receiver_id.in_((staff1.id, staff2.id)),
        )
    )
    assert between == 0
    assert db.session.scalar(select(func.count()).where(Moment.author_id == staff1.id)) >= 1


def test_old_notifications_are_read_and_never_pushed(seeded):
    day_ago = timeutil.utcnow() - timedelta(days=1, minutes=5)
    old = db.session.scalars(select(Notification).where(Notification.created_at < day_ago)).all()
    assert old
    assert all(n.read_at is not None and n.push_due_at is None for n in old)


def test_seeding_twice_is_refused(seeded):
    with pytest.raises(click.ClickException, match="already exists"):
        seed.seed_demo(db.session, weeks=1, progress=False)
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


# --- The command ----------------------------------------------------------------


@pytest.mark.parametrize("clock", edges("month-start", "month-and-week-start"), indirect=True)
def test_cli_if_empty_seeds_only_once(clock, app, monkeypatch):
    # The command seeds the full history; one week keeps the test quick.
    fast = functools.partial(seed.seed_demo, weeks=1, progress=False)
    monkeypatch.setattr(seed, "seed_demo", fast)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "Demo seeded" in first.output
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert "already has data" in second.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1
    assert db.session.scalar(select(func.count()).select_from(Recognition)) >= 1


def test_the_demo_shows_levels_badges_a_running_challenge_and_a_past_season(seeded):
    from webapp.game.levels import level_for
    from webapp.models import BadgeAward, Challenge, Season

    day = today()  # the organisation's: at 00:30 on a Monday, UTC still says Sunday
    seasons = db.session.scalars(select(Season).order_by(Season.starts_on)).all()
    assert any(s.ends_on <= day for s in seasons), "a past season to browse"
    assert any(s.starts_on <= day < s.ends_on for s in seasons), "a running season"
    challenges = db.session.scalars(select(Challenge)).all()
    teams = set(db.session.scalars(select(Team.id)))
    running = {c.team_id for c in challenges if c.starts_on <= day < c.ends_on}
    assert running == teams, "a running challenge per team"
    reached = {c.team_id for c in challenges if c.ends_on <= day and c.reached_at}
    assert reached == teams, "a past season in which every team reached its challenge"
    assert db.session.scalar(select(func.count(BadgeAward.id))) >= 10
    totals = db.session.execute(
        select(LedgerEntry.user_id, func.sum(LedgerEntry.points)).group_by(LedgerEntry.user_id)
    ).all()
    levels = {level_for(max(int(points), 0)).number for _user, points in totals}
    assert len(levels) >= 3, "people at several levels"


def test_the_demo_gives_every_insight_something_to_show(seeded):
    from webapp.digest.services import view_of
    from webapp.insights import patterns, trends, works
    from webapp.insights.access import teams_in_view
    from webapp.insights.periods import since_days
    from webapp.models import Digest, Practice, PracticeMoment

    assert db.session.scalar(select(func.count(Moment.id)).where(Moment.delighted)) >= 10
    practices = db.session.scalars(select(Practice)).all()
    assert len(practices) >= 3 and len({p.team_id for p in practices}) == 3
    assert db.session.scalar(select(func.count()).select_from(PracticeMoment)) >= 3
    latest = db.session.scalars(select(Digest).order_by(Digest.week_start.desc())).first()
    assert latest is not None and view_of(db.session, latest).stories
    for email in ("manager@demo.test", "lead.restaurant@demo.test", "lead.housekeeping@demo.test"):
        lead = user(email)
        found = patterns.patterns_for(db.session, lead)
        # A handful at most: the old rule flagged dozens of pairs and hundreds of rings.
        assert len(found.pairs) + len(found.rings) <= 3, email
        team_ids = [t.id for t in teams_in_view(db.session, lead)[0]]
        assert sum(trends.glance(db.session, lead.organisation, team_ids).kudos_received) > 0
        scope = works.Scope(team_ids, since_days(84))
        assert works.what_works(db.session, lead.org_id, scope).stories, email
    restaurant = patterns.patterns_for(db.session, user("lead.restaurant@demo.test"))
    assert len(restaurant.pairs) == 1, "the two colleagues who trade kudos stand out"


def test_every_story_and_message_is_its_own(seeded):
    # Issue 12, item 10: no story told twice, no kudos or recognition message written twice
    # (one kudos action to several colleagues is one message).
    stories = db.session.execute(select(Moment.cue, Moment.action, Moment.reaction)).all()
    assert len(stories) >= 60
    assert len({s.cue for s in stories}) == len(stories)
    assert len({s.action for s in stories}) == len(stories)
    kudos = db.session.execute(select(Kudos.giver_id, Kudos.client_id, Kudos.message)).all()
    actions = {(k.giver_id, k.client_id): k.message for k in kudos}
    assert len(set(actions.values())) == len(actions)
    messages = db.session.scalars(select(Recognition.message)).all()
    assert len(set(messages)) == len(messages) >= 2
