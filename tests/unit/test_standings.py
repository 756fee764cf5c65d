"""The standings the ledger keeps (per person and team, per week, month and all time) always
equal what a full recomputation from the ledger gives: after points, reversals, people
moving teams, leaving, coming back and being deleted, and after a rolled-back action."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from tests.factories import World, make_team, make_user
from tests.game_support import log, thank
from webapp.extensions import db
from webapp.models import LedgerEntry, Membership, Team, TeamPoints, User, UserPoints
from webapp.moments.services import delete_moment
from webapp.points import ledger, standings
from webapp.timeutil import frozen_time, local_date

NOW = datetime(2025, 5, 14, 10, 0, tzinfo=UTC)


def kept(org_id: int) -> tuple[dict, dict, dict]:
    """(user rows, team rows, live members) as the standings hold them."""
    db.session.expire_all()
    users = {
        (r.user_id, r.period, r.starts_on): r.points
        for r in db.session.scalars(select(UserPoints).where(UserPoints.org_id == org_id))
        if r.points
    }
    teams = {
        (r.team_id, r.period, r.starts_on): r.points
        for r in db.session.scalars(select(TeamPoints).where(TeamPoints.org_id == org_id))
        if r.points
    }
    members = {t.id: t.live_members for t in db.session.scalars(select(Team))}
    return users, teams, members


def expected(org_id: int) -> tuple[dict, dict, dict]:
    """The same, computed from the ledger and the memberships from scratch."""
    db.session.expire_all()
    users: dict = defaultdict(int)
    for entry in db.session.scalars(select(LedgerEntry).where(LedgerEntry.org_id == org_id)):
        for period in standings.PERIODS:
            users[(entry.user_id, period, standings.period_key(period, entry.day))] += entry.points
    live = {u.id for u in db.session.scalars(select(User)) if u.is_active}
    teams: dict = defaultdict(int)
    members: dict = defaultdict(int)
    for m in db.session.scalars(select(Membership)):
        if m.user_id not in live:
            continue
        members[m.team_id] += 1
        for (user_id, period, start), points in users.items():
            if user_id == m.user_id:
                teams[(m.team_id, period, start)] += points
    all_teams = {t.id: members.get(t.id, 0) for t in db.session.scalars(select(Team))}
    return (
        {k: v for k, v in users.items() if v},
        {k: v for k, v in teams.items() if v},
        all_teams,
    )


def test_standings_follow_points_moves_departures_and_reversals(world: World) -> None:
    org = world.org
    with frozen_time(NOW - timedelta(days=40)):
        log(world.staff, world.team)
        thank(world.staff2, world.staff)
    with frozen_time(NOW):
        moment = log(world.staff2, world.team)
        thank(world.staff, world.staff2)
        thank(world.manager, world.staff)
    assert kept(org.id) == expected(org.id)

    # Someone moves to another team: their points go with them.
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world.staff.id))
    membership.team_id = world.other_team.id
    db.session.commit()
    assert kept(org.id) == expected(org.id)

    # Someone joins a second team, leaves, comes back, is deleted.
    db.session.add(Membership(user_id=world.staff2.id, team_id=world.other_team.id))
    db.session.commit()
    assert kept(org.id) == expected(org.id)
    world.staff2.active = False
    db.session.commit()
    assert kept(org.id) == expected(org.id)
    world.staff2.active = True
    db.session.commit()
    assert kept(org.id) == expected(org.id)

    # A reversal, and a team that is emptied and removed.
    with frozen_time(NOW):
        delete_moment(db.session, world.staff2, moment)
        db.session.commit()
    assert kept(org.id) == expected(org.id)
    newcomers = make_team(db.session, org, "Newcomers")
    make_user(db.session, org, team=newcomers)
    db.session.commit()
    assert kept(org.id) == expected(org.id)
    db.session.execute(delete(Membership).where(Membership.team_id == newcomers.id))
    db.session.delete(newcomers)
    db.session.commit()
    world.staff.deleted_at = NOW
    db.session.commit()
    assert kept(org.id) == expected(org.id)


def test_a_rolled_back_action_leaves_no_points_behind(world: World) -> None:
    before = kept(world.org.id)
    ledger.record(
        db.session,
        org_id=world.org.id,
        tz=world.org.timezone,
        user_id=world.staff.id,
        points=50,
        reason=ledger.RECOGNITION_RECEIVED,
    )
    db.session.rollback()
    db.session.commit()
    assert kept(world.org.id) == before


def test_rebuild_gives_the_same_standings(world: World) -> None:
    with frozen_time(NOW):
        log(world.staff, world.team)
        thank(world.staff2, world.staff)
    before = kept(world.org.id)
    db.session.execute(delete(UserPoints))
    db.session.execute(delete(TeamPoints))
    db.session.commit()
    ledger.rebuild_daily(db.session, world.org.id)
    db.session.commit()
    assert kept(world.org.id) == before == expected(world.org.id)


def test_staged_points_land_on_the_day_in_the_organisation_calendar(world: World) -> None:
    late = datetime(2025, 5, 18, 22, 30, tzinfo=UTC)  # Monday 00:30 in Amsterdam
    with frozen_time(late):
        log(world.staff, world.team)
    day = local_date(late, world.org.timezone)
    week = standings.period_key(standings.PERIOD_WEEK, day)
    assert week.isoformat() == "2025-05-19"
    assert kept(world.org.id)[0][(world.staff.id, "week", week)] == 10
