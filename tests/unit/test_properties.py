"""Property-based tests of the game's promises over random event sequences, through the
real services on the real database (a fresh organisation per example):

- every person's points_daily sum equals their ledger sum, and the team standings equal
  the ledger's sums;
- no cap is ever exceeded (moment points per person per day; kudos per giver per week and
  per receiver per week);
- a reversal restores the standings exactly;
- badges are never awarded twice, however often they are evaluated;
- seasons partition the ledger: no gaps, no overlaps, the seasons' sums are the total.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from tests.factories import client_id, make_org, make_team, make_user, make_value
from tests.game_support import MESSAGE
from webapp.domain import DomainError
from webapp.extensions import db
from webapp.game import badges, seasons
from webapp.kudos.services import KudosInput, give_kudos, reverse_kudos
from webapp.models import (
    BadgeAward,
    Kudos,
    KudosAllowanceUse,
    LedgerEntry,
    Membership,
    Moment,
    Organisation,
    PointsDaily,
    User,
)
from webapp.moments.services import MomentInput, log_moment, reverse_moment
from webapp.points import ledger
from webapp.recognition.services import RecognitionInput, recognize
from webapp.timeutil import frozen_time, utcnow

PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PEOPLE = 5  # people 0-3 and the manager (4) in team A; person 0 also in team B
HOURS = 24 * 70  # events spread over ten weeks, across seasons


@dataclass
class Org:
    org: Organisation
    people: list[User]
    manager: User
    teams: list
    value_id: int
    moments: list[int] = field(default_factory=list)
    kudos: list[int] = field(default_factory=list)


def build_org() -> Org:
    org = make_org(db.session)
    a, b = make_team(db.session, org, "A"), make_team(db.session, org, "B")
    value = make_value(db.session, org, "Anticipate")
    people = [make_user(db.session, org, team=a) for _ in range(4)]
    manager = make_user(db.session, org, "manager", a, "lead")
    lone = make_user(db.session, org, team=b)
    db.session.add(Membership(user_id=people[0].id, team_id=b.id))
    db.session.commit()
    return Org(org, people + [manager, lone], manager, [a, b], value.id)


moment_op = st.tuples(st.just("moment"), st.integers(0, PEOPLE), st.integers(0, 1))
kudos_op = st.tuples(st.just("kudos"), st.integers(0, PEOPLE), st.integers(0, PEOPLE))
recognize_op = st.tuples(st.just("recognize"), st.integers(0, PEOPLE), st.just(0))
reverse_op = st.tuples(
    st.sampled_from(["reverse_moment", "reverse_kudos"]), st.integers(0, 50), st.just(0)
)
operation = st.one_of(moment_op, moment_op, kudos_op, kudos_op, recognize_op, reverse_op)
timed = st.tuples(st.integers(0, HOURS), operation)
sequences = st.lists(timed, min_size=1, max_size=12)


def run(world: Org, op: tuple[str, int, int]) -> None:
    """Apply one event through the real services; a rule saying no is part of the game."""
    kind, x, y = op
    people = world.people
    try:
        if kind == "moment":
            moment, _ = log_moment(db.session, people[x], _moment_input(world, y))
            world.moments.append(moment.id)
        elif kind == "kudos":
            giver, receiver = people[x], people[y if y != x else (x + 1) % len(people)]
            made, _ = give_kudos(
                db.session,
                giver,
                KudosInput(client_id(), "Thanks!", [receiver.id]),
            )
            world.kudos += [k.id for k in made]
        elif kind == "recognize" and people[x].id != world.manager.id:
            recognize(db.session, world.manager, RecognitionInput(people[x].id, MESSAGE))
        elif kind == "reverse_moment" and world.moments:
            moment = db.session.get(Moment, world.moments[x % len(world.moments)])
            reverse_moment(db.session, world.manager, moment, "Property test")
        elif kind == "reverse_kudos" and world.kudos:
            kudos = db.session.get(Kudos, world.kudos[x % len(world.kudos)])
            reverse_kudos(db.session, world.manager, kudos, "Property test")
        db.session.commit()  # as the entry point does: one event, one transaction
    except DomainError:
        db.session.rollback()


def _moment_input(world: Org, team: int) -> MomentInput:
    return MomentInput(
        client_id=client_id(),
        team_id=world.teams[team].id,
        cue="Noticed a cue",
        action="Acted on it",
        reaction="Smile",
        value_ids=[world.value_id],
    )


def replay(world: Org, events: list[tuple[int, tuple[str, int, int]]], start: datetime) -> None:
    for hours, op in sorted(events, key=lambda e: e[0]):
        with frozen_time(start + timedelta(hours=hours)):
            run(world, op)


def ledger_totals(org_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(LedgerEntry.user_id, func.sum(LedgerEntry.points))
        .where(LedgerEntry.org_id == org_id)
        .group_by(LedgerEntry.user_id)
    ).all()
    return {u: int(p) for u, p in rows if int(p)}


def daily_totals(org_id: int, since: date | None = None, until: date | None = None) -> dict:
    query = select(PointsDaily.user_id, func.sum(PointsDaily.points)).where(
        PointsDaily.org_id == org_id
    )
    if since is not None:
        query = query.where(PointsDaily.day >= since)
    if until is not None:
        query = query.where(PointsDaily.day < until)
    rows = db.session.execute(query.group_by(PointsDaily.user_id)).all()
    return {u: int(p) for u, p in rows if int(p)}


def team_totals(world: Org) -> dict[int, int]:
    standings = seasons.team_standings(db.session, world.org, None, None)
    return {s.team.id: s.points for s in standings}


def start_time() -> datetime:
    return utcnow() - timedelta(hours=HOURS + 1)


@PROPERTY
@given(events=sequences)
def test_boards_equal_the_ledger(app, events):
    world = build_org()
    replay(world, events, start_time())
    totals = ledger_totals(world.org.id)
    assert daily_totals(world.org.id) == totals
    members = {team.id: [m.user_id for m in team.memberships] for team in world.teams}
    expected = {t: sum(totals.get(u, 0) for u in ids) for t, ids in members.items()}
    assert team_totals(world) == expected


@PROPERTY
@given(events=sequences)
def test_no_cap_is_ever_exceeded(app, events):
    world = build_org()
    replay(world, events, start_time())
    org = world.org
    reversal = aliased(LedgerEntry)
    live_moment_points = db.session.execute(
        select(LedgerEntry.user_id, LedgerEntry.day, func.sum(LedgerEntry.points))
        .where(
            LedgerEntry.org_id == org.id,
            LedgerEntry.reason == ledger.MOMENT_LOGGED,
            ~select(reversal.id).where(reversal.reverses_id == LedgerEntry.id).exists(),
        )
        .group_by(LedgerEntry.user_id, LedgerEntry.day)
    ).all()
    for _user, _day, points in live_moment_points:
        assert points <= org.moment_points_daily_cap * org.points_moment
    actions = db.session.execute(
        select(Kudos.giver_id, Kudos.week_start, func.count(func.distinct(Kudos.client_id)))
        .where(Kudos.org_id == org.id)
        .group_by(Kudos.giver_id, Kudos.week_start)
    ).all()
    assert all(n <= org.kudos_weekly_allowance for _g, _w, n in actions)
    per_receiver = Counter(
        db.session.execute(
            select(Kudos.giver_id, Kudos.receiver_id, Kudos.week_start).where(
                Kudos.org_id == org.id
            )
        ).all()
    )
    assert all(n <= org.kudos_same_receiver_weekly_cap for n in per_receiver.values())
    used = db.session.scalars(
        select(KudosAllowanceUse.used).where(
            KudosAllowanceUse.user_id.in_([p.id for p in world.people])
        )
    ).all()
    assert all(n <= org.kudos_weekly_allowance for n in used)


def standings(world: Org) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    return ledger_totals(world.org.id), daily_totals(world.org.id), team_totals(world)


@PROPERTY
@given(events=sequences, last=st.one_of(moment_op, kudos_op))
def test_a_reversal_restores_the_standings_exactly(app, events, last):
    world = build_org()
    start = start_time()
    replay(world, events, start)
    before = standings(world)
    moments, kudos = len(world.moments), len(world.kudos)
    with frozen_time(start + timedelta(hours=HOURS)):
        run(world, last)
        for moment_id in world.moments[moments:]:
            reverse_moment(db.session, world.manager, db.session.get(Moment, moment_id), "Undo")
        for kudos_id in world.kudos[kudos:]:
            reverse_kudos(db.session, world.manager, db.session.get(Kudos, kudos_id), "Undo")
        db.session.commit()
    assert standings(world) == before


@PROPERTY
@given(events=sequences)
def test_badges_are_never_awarded_twice(app, events):
    world = build_org()
    replay(world, events, start_time())
    ids = [p.id for p in world.people]
    for _ in range(2):
        assert badges.evaluate(db.session, ids + ids) == {}
        db.session.commit()
    pairs = db.session.execute(
        select(BadgeAward.user_id, BadgeAward.badge, func.count(BadgeAward.id))
        .where(BadgeAward.org_id == world.org.id)
        .group_by(BadgeAward.user_id, BadgeAward.badge)
    ).all()
    assert all(n == 1 for _u, _b, n in pairs)
    assert all(badge in badges.BY_KEY for _u, badge, _n in pairs)


@PROPERTY
@given(events=sequences, length=st.integers(1, 4))
def test_seasons_partition_the_ledger(app, events, length):
    world = build_org()
    world.org.season_length_months = length
    db.session.commit()
    replay(world, events, start_time())
    all_seasons = seasons.ensure_seasons(db.session, world.org)
    db.session.commit()
    for before, after in zip(all_seasons, all_seasons[1:], strict=False):
        assert before.ends_on == after.starts_on  # no gap, no overlap
    days = db.session.execute(
        select(func.min(PointsDaily.day), func.max(PointsDaily.day)).where(
            PointsDaily.org_id == world.org.id
        )
    ).one()
    if days[0] is not None:
        assert all_seasons[0].starts_on <= days[0] and days[1] < all_seasons[-1].ends_on
    summed: Counter[int] = Counter()
    for season in all_seasons:
        summed.update(daily_totals(world.org.id, season.starts_on, season.ends_on))
    assert {u: p for u, p in summed.items() if p} == ledger_totals(world.org.id)
    team_sum: Counter[int] = Counter()
    for season in all_seasons:
        for s in seasons.team_standings(db.session, world.org, season.starts_on, season.ends_on):
            team_sum[s.team.id] += s.points
    assert dict(team_sum) == team_totals(world)
