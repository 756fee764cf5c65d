"""The manager's weekly glance is cached under the organisation's history version: a second
look reads no kudos or moments, and every change to what past weeks counted (a reversal, a
removal, a membership, a person leaving) shows at once, in this process and in another one
sharing the cache. New moments and kudos (this week's) leave the cache alone. A cache that is
down costs speed, never the page. Runs on SQLite and PostgreSQL; the shared cache needs Redis.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import PASSWORD, World, make_org, make_team, make_user
from tests.game_support import log, thank
from tests.query_support import counted, redis_up
from webapp import create_app
from webapp.account.services import delete_account
from webapp.admin.services import add_member, remove_member
from webapp.extensions import cache, db
from webapp.insights import trends
from webapp.kudos.services import reverse_kudos
from webapp.manage import services as manage
from webapp.manage.jobs import warm_glances
from webapp.models import Kudos, Membership, Moment, Organisation, User
from webapp.moments.services import reverse_moment
from webapp.timeutil import frozen_time

# Wednesday 11 November 2026; the last complete week is the one of Monday 2 November.
NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
LAST_WEEK = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def now(app: Flask, world: World) -> Iterator[datetime]:
    world.org.created_at = NOW - timedelta(weeks=30)
    db.session.commit()
    with frozen_time(NOW):
        yield NOW


def look(world: World, team=None) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
    """The glance's last two weeks for the team, as the overview would read it."""
    db.session.expire_all()  # a new request: the organisation is read again
    seen = trends.glance(db.session, world.org, [(team or world.team).id])
    return seen.moments[-2:], seen.kudos_received[-2:]


def fresh(world: World, team=None) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
    cache.clear()
    return look(world, team)


def history(world: World) -> None:
    """Last week: two moments by the front desk, kudos to staff (from another team) and to
    staff3 (who is in the other team)."""
    with frozen_time(LAST_WEEK):
        log(world.staff, world.team)
        log(world.staff2, world.team)
        thank(world.staff3, world.staff)
        thank(world.staff, world.staff3)


def test_a_second_look_reads_no_moments_or_kudos(now, world):
    history(world)
    first = look(world)
    assert first == ([0, 2], [0, 1])
    with counted() as seen:
        again = look(world)
    assert again == first
    counting = [s for s in seen if any(f"FROM {t}" in s for t in ("moments", "kudos", "member"))]
    assert counting == [] and len(seen) <= 2  # at most the organisation and team, read again


def _reverse_last_weeks_kudos(world: World) -> None:
    given = db.session.scalar(select(Kudos).where(Kudos.receiver_id == world.staff.id))
    reverse_kudos(db.session, world.manager, given, "Made up")
    db.session.commit()


def _reverse_last_weeks_moment(world: World) -> None:
    gone = db.session.scalar(select(Moment).where(Moment.author_id == world.staff2.id))
    reverse_moment(db.session, world.manager, gone, "Made up")
    db.session.commit()


def _staff_leaves_the_team(world: World) -> None:
    remove_member(db.session, world.admin, world.team, world.staff.id)
    db.session.commit()


def _staff3_joins_the_team(world: World) -> None:
    add_member(db.session, world.admin, world.team, world.staff3.id, "member")
    db.session.commit()


def _staff_deletes_their_account(world: World) -> None:
    delete_account(db.session, world.staff, PASSWORD)
    db.session.commit()


CHANGES: dict[str, tuple[Callable[[World], None], tuple[list[int], list[int]]]] = {
    "a kudos reversed": (_reverse_last_weeks_kudos, ([0, 2], [0, 0])),
    "a moment reversed": (_reverse_last_weeks_moment, ([0, 1], [0, 1])),
    "a member leaves the team": (_staff_leaves_the_team, ([0, 2], [0, 0])),
    "a member joins the team": (_staff3_joins_the_team, ([0, 2], [0, 2])),
    "a person deletes their account": (_staff_deletes_their_account, ([0, 2], [0, 0])),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_to_past_weeks_shows_at_once(now, world, change):
    history(world)
    assert look(world) == ([0, 2], [0, 1])  # now in the cache
    apply, expected = CHANGES[change]
    apply(world)
    assert look(world) == expected == fresh(world)


def test_this_weeks_moments_and_kudos_keep_the_cache(now, world):
    history(world)
    look(world)
    version = world.org.history_version
    log(world.staff, world.team)
    thank(world.staff2, world.staff)
    db.session.expire_all()
    assert world.org.history_version == version
    with counted() as seen:
        assert look(world) == ([0, 2], [0, 1])  # this week is not a complete week
    assert not [s for s in seen if "FROM kudos" in s]


def test_the_key_names_the_teams_and_the_weeks(now, world):
    history(world)
    assert look(world) == ([0, 2], [0, 1])
    assert look(world, world.other_team) == ([0, 0], [0, 1])
    with frozen_time(NOW + timedelta(days=7)):  # a week later, last week is complete
        assert look(world) == ([2, 0], [1, 0])


def test_a_cache_that_is_down_costs_only_speed(now, world, app, auth, client):
    history(world)
    app.config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    cache.init_app(app)  # nothing listens there
    assert look(world) == ([0, 2], [0, 1])
    auth.login(world.manager.email)
    page = client.get("/manage")
    assert page.status_code == 200 and b"<svg" in page.data


def test_processes_sharing_redis_never_see_a_stale_glance(app_config, now, world, app):
    """Two app instances on one database and one Redis (as two web processes): the one that
    reverses a kudos is not the one that cached the glance."""
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    shared = {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": "redis://127.0.0.1:6379/12",
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}:",
    }
    history(world)
    org_id, team_id = world.org.id, world.team.id
    staff_id, manager_id = world.staff.id, world.manager.id
    db.session.commit()  # this test's own session lets go of the database
    first, second = create_app({**app_config, **shared}), create_app({**app_config, **shared})

    def glance_in(instance: Flask) -> list[int]:
        with instance.app_context():
            org = db.session.get(Organisation, org_id)
            assert org is not None
            seen = trends.glance(db.session, org, [team_id]).kudos_received[-2:]
            db.session.rollback()
            return seen

    try:
        assert glance_in(first) == [0, 1]
        with second.app_context():
            given = db.session.scalar(select(Kudos).where(Kudos.receiver_id == staff_id))
            reverse_kudos(db.session, db.session.get(User, manager_id), given, "Made up")
            db.session.commit()
        assert glance_in(first) == [0, 0]
    finally:
        for instance in (first, second):
            with instance.app_context():
                cache.clear()
                db.session.remove()
                db.engine.dispose()


def test_the_background_job_counts_every_managers_first_page(now, world):
    """After the job, the overview of each manager and admin finds its glance cached: the
    job and the page name the same teams."""
    history(world)
    warm_glances()
    for viewer in (world.manager, world.admin):
        team_ids = [c.team.id for c in manage.overview(db.session, viewer).teams]
        with counted() as seen:
            found = trends.glance(db.session, world.org, team_ids)
        assert not [s for s in seen if "FROM kudos" in s or "FROM moments" in s], viewer.email
        assert (found.moments[-1], found.kudos_received[-1]) > (0, 0)


def test_the_jobs_first_pages_are_each_viewers_first_page_in_three_statements(app, world):
    """The job names the teams each manager and admin sees first (`teams_in_view`), and asks
    the database the same three times however many managers there are."""
    session = db.session
    teams = [make_team(session, world.org, f"Z team {n:02}") for n in range(12)]
    many = make_user(session, world.org, role="manager")  # leads more than a page of teams
    make_user(session, world.org, role="manager", team=teams[3], team_role="lead")
    make_user(session, world.org, role="manager")  # leads nothing: every team
    gone = make_user(session, world.org, role="manager", team=teams[5], team_role="lead")
    gone.active = False  # a deactivated manager's page is nobody's
    boss = make_user(session, world.org, role="admin", team=teams[7], team_role="lead")
    for team in reversed(teams[:11]):
        session.add(Membership(user_id=many.id, team_id=team.id, role="lead"))
    other = make_org(session)
    make_user(session, other, role="manager", team=make_team(session, other), team_role="lead")
    session.flush()

    viewers = session.scalars(
        select(User).where(
            User.org_id == world.org.id, User.role.in_(("manager", "admin")), User.active
        )
    ).all()
    expected = {
        frozenset(t.id for t in manage.teams_in_view(session, v, None, manage.TEAM_PAGE)[0])
        for v in viewers
    }
    with counted() as seen:
        pages = manage.first_pages(session, world.org.id)
    assert len(seen) <= 3
    assert {frozenset(page) for page in pages} == expected
    assert len(pages) == len(expected)  # each set once
    assert [t.id for t in teams[:10]] in pages  # the lead of eleven teams: the first ten by name
    assert [teams[3].id] in pages and [teams[5].id] not in pages
    assert boss.is_admin and [teams[7].id] not in pages  # an admin who leads sees every team
