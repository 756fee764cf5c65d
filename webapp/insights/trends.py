"""Trends of the teams a manager looks after, week by week over the last complete weeks:
moments, kudos given and received, recognitions; the values behind them; and whether
recognition reaches many people or concentrates on a few.

Bounded by design: every query is limited to the teams shown and the weeks shown, uses an
index that starts with the team or person and the time, and groups in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from webapp.insights import history
from webapp.insights.periods import boundaries, bucket, complete_weeks
from webapp.models import (
    Kudos,
    Moment,
    Organisation,
    Recognition,
    Value,
    moment_values,
)
from webapp.orgs.services import members_of


@dataclass(frozen=True)
class Weekly:
    """Counts per week, oldest week first."""

    weeks: list[date]
    moments: list[int]
    kudos_given: list[int]
    kudos_received: list[int]
    recognitions: list[int]
    givers: list[int]  # different people who gave kudos that week
    receivers: list[int]  # different people who received kudos or a recognition


@dataclass(frozen=True)
class ValueCount:
    """How often a value was named on moments and on kudos in the period."""

    value: Value
    moments: int
    kudos: int


@dataclass(frozen=True)
class Spread:
    """Whether recognition reaches the whole team: kudos and recognitions received per
    person (most first, people with none included), and how many gave."""

    received: list[int]
    givers: int

    @property
    def people(self) -> int:
        return len(self.received)

    @property
    def total(self) -> int:
        return sum(self.received)

    @property
    def receivers(self) -> int:
        return sum(1 for n in self.received if n)

    @property
    def half_by(self) -> int:
        """The fewest people who together received at least half of it all."""
        if not self.total:
            return 0
        running = 0
        for count, n in enumerate(self.received, start=1):
            running += n
            if running * 2 >= self.total:
                return count
        return 0


@dataclass(frozen=True)
class Trends:
    """Everything the trends page shows."""

    weekly: Weekly
    values: list[ValueCount]
    spread: Spread


@dataclass(frozen=True)
class Glance:
    """The overview's glance: moments and kudos received per week, oldest week first."""

    weeks: list[date]
    moments: list[int]
    kudos_received: list[int]


def glance(session: Session, org: Organisation, team_ids: list[int]) -> Glance:
    """Only the two weekly counts the manager's overview shows, each counted by the database
    (a row per week, not a row per person and week) when the cache does not hold them."""
    mondays = complete_weeks(org)
    bounds = boundaries(mondays, org.timezone)

    def count() -> tuple[list[int], list[int]]:
        return (
            _moments_by_week(session, team_ids, bounds),
            _kudos_received_by_week(session, team_ids, bounds),
        )

    # Only complete weeks are counted: the counts change with the history version alone
    # (webapp/insights/history.py), so a manager's next visit reads them from the cache.
    moments, kudos = history.cached(
        org, "glance", team_ids, (org.timezone, mondays[0].isoformat(), len(mondays)), count
    )
    return Glance(weeks=mondays, moments=list(moments), kudos_received=list(kudos))


def _moments_by_week(session: Session, team_ids: list[int], bounds: list[datetime]) -> list[int]:
    moments = [0] * (len(bounds) - 1)
    week = bucket(Moment.created_at, bounds)
    for i, n in session.execute(
        select(week, func.count(Moment.id))
        .where(Moment.team_id.in_(team_ids), *_live_moment(bounds))
        .group_by(week)
    ):
        moments[i] = int(n)
    return moments


def _kudos_received_by_week(
    session: Session, team_ids: list[int], bounds: list[datetime]
) -> list[int]:
    """Kudos received per week by people in the teams. Sorted into weeks by when they were
    given (the week a kudos carries is that same week in the organisation's time zone), and
    scoped by the teams' members alone (kudos stay within an organisation): the statement
    reads only the receiver and time of live kudos, all in `ix_kudos_receiver_live`.
    Kept apart from `_kudos_by_week`, which also names who received each week (a row per
    person and week): the overview needs only a row per week."""
    counts = [0] * (len(bounds) - 1)
    week = bucket(Kudos.created_at, bounds)
    for i, n in session.execute(
        select(week, func.count(Kudos.id))
        .where(Kudos.receiver_id.in_(members_of(team_ids)), Kudos.reversed_at.is_(None))
        .where(Kudos.created_at >= bounds[0], Kudos.created_at < bounds[-1])
        .group_by(week)
    ):
        counts[i] = int(n)
    return counts


def trends(session: Session, org: Organisation, team_ids: list[int]) -> Trends:
    """Weekly counts, values and spread of recognition for `team_ids` (same organisation)."""
    mondays = complete_weeks(org)
    bounds = boundaries(mondays, org.timezone)
    return Trends(
        weekly=_weekly(session, org, team_ids, mondays, bounds),
        values=_values(session, org, team_ids, bounds),
        spread=_spread(session, org, team_ids, bounds),
    )


def _weekly(
    session: Session,
    org: Organisation,
    team_ids: list[int],
    mondays: list[date],
    bounds: list[datetime],
) -> Weekly:
    size = len(mondays)
    moments, recognitions = _moments_by_week(session, team_ids, bounds), [0] * size
    week = bucket(Recognition.created_at, bounds)
    for i, n in session.execute(
        select(week, func.count(Recognition.id))
        .where(Recognition.recipient_id.in_(members_of(team_ids)), Recognition.org_id == org.id)
        .where(Recognition.created_at >= bounds[0], Recognition.created_at < bounds[-1])
        .group_by(week)
    ):
        recognitions[i] = int(n)
    given, givers = _kudos_by_week(session, org, Kudos.giver_id, team_ids, mondays, bounds)
    received, receivers = _kudos_by_week(session, org, Kudos.receiver_id, team_ids, mondays, bounds)
    recognized = _recognized_by_week(session, org, team_ids, bounds, size)
    return Weekly(
        weeks=mondays,
        moments=moments,
        kudos_given=given,
        kudos_received=received,
        recognitions=recognitions,
        givers=[len(people) for people in givers],
        receivers=[len(people | recognized[i]) for i, people in enumerate(receivers)],
    )


def _live_moment(bounds: list[datetime]) -> tuple:
    return (
        Moment.created_at >= bounds[0],
        Moment.created_at < bounds[-1],
        Moment.deleted_at.is_(None),
        Moment.reversed_at.is_(None),
    )


def _live_kudos(org: Organisation, bounds: list[datetime]) -> tuple:
    return (
        Kudos.org_id == org.id,
        Kudos.reversed_at.is_(None),
        Kudos.created_at >= bounds[0],
        Kudos.created_at < bounds[-1],
    )


def _kudos_by_week(
    session: Session,
    org: Organisation,
    person: InstrumentedAttribute[int],
    team_ids: list[int],
    mondays: list[date],
    bounds: list[datetime],
) -> tuple[list[int], list[set[int]]]:
    """Kudos per week where `person` (the giver or the receiver column) is in the teams, and
    who those people were each week (kudos carry their giver's local week)."""
    index = {monday: i for i, monday in enumerate(mondays)}
    counts = [0] * len(mondays)
    people: list[set[int]] = [set() for _ in mondays]
    rows = session.execute(
        select(Kudos.week_start, person, func.count(Kudos.id))
        .where(person.in_(members_of(team_ids)), *_live_kudos(org, bounds))
        .group_by(Kudos.week_start, person)
    )
    for monday, user_id, n in rows:
        i = index.get(monday)
        if i is not None:
            counts[i] += int(n)
            people[i].add(user_id)
    return counts, people


def _recognized_by_week(
    session: Session, org: Organisation, team_ids: list[int], bounds: list[datetime], size: int
) -> list[set[int]]:
    week = bucket(Recognition.created_at, bounds)
    people: list[set[int]] = [set() for _ in range(size)]
    for i, user_id in session.execute(
        select(week, Recognition.recipient_id)
        .where(Recognition.recipient_id.in_(members_of(team_ids)), Recognition.org_id == org.id)
        .where(Recognition.created_at >= bounds[0], Recognition.created_at < bounds[-1])
        .distinct()
    ):
        people[i].add(user_id)
    return people


def _values(
    session: Session, org: Organisation, team_ids: list[int], bounds: list[datetime]
) -> list[ValueCount]:
    on_moments: dict[int, int] = dict(
        session.execute(
            select(moment_values.c.value_id, func.count(distinct(Moment.id)))
            .join(Moment, Moment.id == moment_values.c.moment_id)
            .where(Moment.team_id.in_(team_ids), *_live_moment(bounds))
            .group_by(moment_values.c.value_id)
        ).all()
    )
    on_kudos: dict[int, int] = dict(
        session.execute(  # type: ignore[arg-type]
            select(Kudos.value_id, func.count(Kudos.id))
            .where(Kudos.receiver_id.in_(members_of(team_ids)), *_live_kudos(org, bounds))
            .where(Kudos.value_id.is_not(None))
            .group_by(Kudos.value_id)
        ).all()
    )
    values = session.scalars(select(Value).where(Value.org_id == org.id).order_by(Value.name))
    rows = [
        ValueCount(v, int(on_moments.get(v.id, 0)), int(on_kudos.get(v.id, 0)))
        for v in values
        if v.active or v.id in on_moments or v.id in on_kudos
    ]
    return sorted(rows, key=lambda r: (-(r.moments + r.kudos), r.value.name.lower()))


def _spread(
    session: Session, org: Organisation, team_ids: list[int], bounds: list[datetime]
) -> Spread:
    people: set[int] = set(session.scalars(members_of(team_ids, live=True)))
    received = dict.fromkeys(people, 0)
    for user_id, n in session.execute(
        select(Kudos.receiver_id, func.count(Kudos.id))
        .where(Kudos.receiver_id.in_(people), *_live_kudos(org, bounds))
        .group_by(Kudos.receiver_id)
    ):
        received[user_id] += int(n)
    for user_id, n in session.execute(
        select(Recognition.recipient_id, func.count(Recognition.id))
        .where(Recognition.recipient_id.in_(people), Recognition.org_id == org.id)
        .where(Recognition.created_at >= bounds[0], Recognition.created_at < bounds[-1])
        .group_by(Recognition.recipient_id)
    ):
        received[user_id] += int(n)
    givers = session.scalar(
        select(func.count(distinct(Kudos.giver_id))).where(
            Kudos.giver_id.in_(people), *_live_kudos(org, bounds)
        )
    )
    return Spread(received=sorted(received.values(), reverse=True), givers=int(givers or 0))
