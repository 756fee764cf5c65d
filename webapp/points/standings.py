"""Standings kept in step with the ledger: the daily roll-up, each person's points per week,
month and all time (`user_points`), and each team's (`team_points`, the sum of its live
members'), so a board reads one row per team however long the history grows.

`ledger.record`/`ledger.reverse` stage each change here; the session's flush writes all
staged changes as three upserts, in key order, so two transactions never take the same rows
in opposite orders. When a membership changes, or a person leaves or returns, the flush
recomputes the teams concerned from their members' rows. Everything happens inside the
caller's transaction: nothing here commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import delete, event, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from webapp.database import insert_for
from webapp.models import Membership, PointsDaily, Team, TeamPoints, User, UserPoints
from webapp.models.points import ALL_TIME, PERIOD_ALL, PERIOD_MONTH, PERIOD_WEEK
from webapp.timeutil import month_start, week_start

PERIODS = (PERIOD_WEEK, PERIOD_MONTH, PERIOD_ALL)
# `session.info` keys: points staged for the next flush, teams whose members changed.
PENDING = "standings_pending"
TEAMS = "standings_teams"


def period_key(period: str, day: date) -> date:
    """The first day of the `period` containing `day` (ALL_TIME for all time)."""
    if period == PERIOD_WEEK:
        return week_start(day)
    if period == PERIOD_MONTH:
        return month_start(day)
    return ALL_TIME


def stage(session: Session, org_id: int, user_id: int, day: date, points: int) -> None:
    """Add `points` to `user_id`'s standings on `day` at the next flush."""
    if points == 0:
        return
    pending: dict[tuple[int, int, date], int] = session.info.setdefault(PENDING, {})
    key = (org_id, user_id, day)
    pending[key] = pending.get(key, 0) + points


def install() -> None:
    """Register the flush hooks once (the app factory calls this; idempotent)."""
    for name, hook in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    _note_membership_changes(session)
    pending = session.info.pop(PENDING, None)
    if pending:
        write(session, pending)


def _after_flush(session: Session, _context: Any) -> None:
    changed = session.info.pop(TEAMS, None)
    if changed:
        team_ids = {_team_id(item) for item in changed} - {None}
        recompute_teams(session, sorted(t for t in team_ids if t is not None))


def _after_rollback(session: Session, _previous: Any) -> None:
    # What was staged in a rolled-back (sub)transaction never happened. A savepoint flushes
    # everything staged before it, so only its own changes are pending here.
    session.info.pop(PENDING, None)
    session.info.pop(TEAMS, None)


# Writing staged points ----------------------------------------------------------------------


def write(session: Session, pending: dict[tuple[int, int, date], int]) -> None:
    """Upsert the roll-up, the people's and their teams' standings for `pending` points."""
    users: dict[tuple[int, str, date], list[int]] = defaultdict(lambda: [0, 0])
    for (org_id, user_id, day), points in pending.items():
        for period in PERIODS:
            entry = users[(user_id, period, period_key(period, day))]
            entry[0], entry[1] = org_id, entry[1] + points
    daily = [
        {"org_id": o, "user_id": u, "day": d, "points": p}
        for (o, u, d), p in sorted(pending.items(), key=lambda i: (i[0][1], i[0][2]))
        if p
    ]
    _upsert(session, PointsDaily, ["user_id", "day"], daily)
    people = [
        {"org_id": o, "user_id": u, "period": k, "starts_on": s, "points": p}
        for (u, k, s), (o, p) in sorted(users.items())
        if p
    ]
    _upsert(session, UserPoints, ["user_id", "period", "starts_on"], people)
    _upsert(session, TeamPoints, ["team_id", "period", "starts_on"], _team_rows(session, users))


def _team_rows(
    session: Session, users: dict[tuple[int, str, date], list[int]]
) -> list[dict[str, Any]]:
    teams_of = _live_teams(session, {user_id for user_id, _k, _s in users})
    teams: dict[tuple[int, str, date], list[int]] = defaultdict(lambda: [0, 0])
    for (user_id, period, starts_on), (org_id, points) in users.items():
        for team_id in teams_of.get(user_id, ()):
            entry = teams[(team_id, period, starts_on)]
            entry[0], entry[1] = org_id, entry[1] + points
    return [
        {"org_id": o, "team_id": t, "period": k, "starts_on": s, "points": p}
        for (t, k, s), (o, p) in sorted(teams.items())
        if p
    ]


def _live_teams(session: Session, user_ids: Iterable[int]) -> dict[int, list[int]]:
    """The teams of each live (active, not deleted) person among `user_ids`."""
    rows = session.connection().execute(
        select(Membership.user_id, Membership.team_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.user_id.in_(sorted(user_ids)), User.active, User.deleted_at.is_(None))
    )
    found: dict[int, list[int]] = defaultdict(list)
    for user_id, team_id in rows:
        found[user_id].append(team_id)
    return found


def _upsert(session: Session, model: Any, keys: list[str], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = model.__table__
    statement = insert_for(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={"points": table.c.points + statement.excluded.points}
    )
    # The rows as parameters (executemany, batched by SQLAlchemy's "insertmanyvalues" where
    # the driver allows), not `.values(rows)`: a statement with the rows inside is compiled
    # afresh on every write, this one once per process. The rows keep their key order.
    session.connection().execute(statement, rows)


# Membership changes -------------------------------------------------------------------------


def _note_membership_changes(session: Session) -> None:
    changed: list[Any] = session.info.setdefault(TEAMS, [])
    for item in session.new:
        if isinstance(item, Membership):
            changed.append(item)
    for item in session.deleted:
        if isinstance(item, Membership):
            changed.append(item.team_id)
    for item in session.dirty:
        if isinstance(item, Membership):
            history = inspect(item).attrs.team_id.history
            changed.extend([*history.deleted, item])
        elif isinstance(item, User) and _liveness_changed(item):
            changed.extend(m.team_id for m in item.memberships)
    if not changed:
        session.info.pop(TEAMS, None)


def _liveness_changed(user: User) -> bool:
    state: Any = inspect(user)
    return state.attrs.active.history.has_changes() or state.attrs.deleted_at.history.has_changes()


def _team_id(item: Any) -> int | None:
    if isinstance(item, Membership):
        return item.team_id if item.team_id is not None else getattr(item.team, "id", None)
    return item if isinstance(item, int) else None


def recompute_teams(session: Session, team_ids: list[int]) -> None:
    """Rebuild these teams' standings and live member counts from their live members."""
    if not team_ids:
        return
    connection = session.connection()
    live = (
        select(Membership.team_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id.in_(team_ids), User.active, User.deleted_at.is_(None))
        .subquery()
    )
    connection.execute(delete(TeamPoints).where(TeamPoints.team_id.in_(team_ids)))
    sums = (
        select(
            Team.org_id,
            live.c.team_id,
            UserPoints.period,
            UserPoints.starts_on,
            func.sum(UserPoints.points),
        )
        .join(live, live.c.team_id == Team.id)
        .join(UserPoints, UserPoints.user_id == live.c.user_id)
        .group_by(Team.org_id, live.c.team_id, UserPoints.period, UserPoints.starts_on)
    )
    connection.execute(
        insert(TeamPoints).from_select(["org_id", "team_id", "period", "starts_on", "points"], sums)
    )
    count = (
        select(func.count()).select_from(live).where(live.c.team_id == Team.id).scalar_subquery()
    )
    connection.execute(
        update(Team)
        .where(Team.id.in_(team_ids))
        .values(live_members=count)
        .execution_options(synchronize_session=False)
    )


def rebuild(session: Session, org_id: int) -> None:
    """Recompute an organisation's people's and teams' standings from the daily roll-up."""
    connection = session.connection()
    connection.execute(delete(UserPoints).where(UserPoints.org_id == org_id))
    totals: dict[tuple[int, str, date], int] = defaultdict(int)
    rows = connection.execute(
        select(PointsDaily.user_id, PointsDaily.day, PointsDaily.points).where(
            PointsDaily.org_id == org_id
        )
    )
    for user_id, day, points in rows:
        for period in PERIODS:
            totals[(user_id, period, period_key(period, day))] += int(points)
    people = [
        {"org_id": org_id, "user_id": u, "period": k, "starts_on": s, "points": p}
        for (u, k, s), p in sorted(totals.items())
    ]
    for start in range(0, len(people), 5000):
        connection.execute(insert(UserPoints), people[start : start + 5000])
    team_ids = list(session.scalars(select(Team.id).where(Team.org_id == org_id)))
    recompute_teams(session, team_ids)
