"""The only code that writes points. Entries are appended, never edited; a reversal is a
new entry with the opposite points. The daily roll-up and the standings (per person and team,
per week, month and all time: `webapp.points.standings`) move in the same transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session, aliased

from webapp.models import LedgerEntry, PointsDaily
from webapp.points import standings
from webapp.timeutil import local_date, utcnow

MOMENT_LOGGED = "moment_logged"
KUDOS_RECEIVED = "kudos_received"
KUDOS_GIVEN = "kudos_given"
RECOGNITION_RECEIVED = "recognition_received"
REVERSAL = "reversal"
REASONS = (MOMENT_LOGGED, KUDOS_RECEIVED, KUDOS_GIVEN, RECOGNITION_RECEIVED, REVERSAL)
# `session.info` key: ids of the people whose points changed in this transaction.
TOUCHED = "ledger_touched"
# `session.info` key: points appended per person since `tally` began (only while asked for).
TALLY = "ledger_tally"


def record(
    session: Session,
    *,
    org_id: int,
    tz: str,
    user_id: int,
    points: int,
    reason: str,
    at: datetime | None = None,
    moment_id: int | None = None,
    kudos_id: int | None = None,
    recognition_id: int | None = None,
    note: str | None = None,
) -> LedgerEntry:
    """Append one entry (zero points are recorded too, with the reason in `note`)."""
    when = at or utcnow()
    entry = LedgerEntry(
        org_id=org_id,
        user_id=user_id,
        points=points,
        reason=reason,
        day=local_date(when, tz),
        created_at=when,
        moment_id=moment_id,
        kudos_id=kudos_id,
        recognition_id=recognition_id,
        note=note,
    )
    session.add(entry)
    standings.stage(session, org_id, user_id, entry.day, points)
    touch(session, user_id)
    _count(session, user_id, points)
    return entry


def reverse(
    session: Session,
    *,
    tz: str,
    moment_id: int | None = None,
    kudos_id: int | None = None,
    note: str | None = None,
) -> list[LedgerEntry]:
    """Append the opposite of every live entry about a moment or kudos."""
    target = LedgerEntry.moment_id == moment_id if moment_id else LedgerEntry.kudos_id == kudos_id
    reversal = aliased(LedgerEntry)
    live = session.scalars(
        select(LedgerEntry).where(
            target,
            LedgerEntry.reason != REVERSAL,
            ~select(reversal.id).where(reversal.reverses_id == LedgerEntry.id).exists(),
        )
    ).all()
    now = utcnow()
    made = []
    for entry in live:
        opposite = LedgerEntry(
            org_id=entry.org_id,
            user_id=entry.user_id,
            points=-entry.points,
            reason=REVERSAL,
            day=local_date(now, tz),
            created_at=now,
            moment_id=entry.moment_id,
            kudos_id=entry.kudos_id,
            recognition_id=entry.recognition_id,
            reverses_id=entry.id,
            note=note,
        )
        session.add(opposite)
        standings.stage(session, entry.org_id, entry.user_id, opposite.day, opposite.points)
        touch(session, entry.user_id)
        _count(session, entry.user_id, opposite.points)
        made.append(opposite)
    return made


def moments_rewarded_on(session: Session, user_id: int, day: date) -> int:
    """How many moments earned points for `user_id` on `day` (reversed ones excluded)."""
    reversal = aliased(LedgerEntry)
    return (
        session.scalar(
            select(func.count(LedgerEntry.id)).where(
                LedgerEntry.user_id == user_id,
                LedgerEntry.day == day,
                LedgerEntry.reason == MOMENT_LOGGED,
                LedgerEntry.points > 0,
                ~select(reversal.id).where(reversal.reverses_id == LedgerEntry.id).exists(),
            )
        )
        or 0
    )


def total_points(session: Session, user_id: int, since: date | None = None) -> int:
    """A person's points from the roll-up, optionally since a local day."""
    query = select(func.coalesce(func.sum(PointsDaily.points), 0)).where(
        PointsDaily.user_id == user_id
    )
    if since is not None:
        query = query.where(PointsDaily.day >= since)
    return int(session.scalar(query) or 0)


def rebuild_daily(session: Session, org_id: int) -> int:
    """Recompute an organisation's roll-up and standings from the ledger; returns the day
    rows written."""
    session.flush()
    session.execute(delete(PointsDaily).where(PointsDaily.org_id == org_id))
    sums = session.execute(
        select(LedgerEntry.user_id, LedgerEntry.day, func.sum(LedgerEntry.points))
        .where(LedgerEntry.org_id == org_id)
        .group_by(LedgerEntry.user_id, LedgerEntry.day)
    ).all()
    for user_id, day, points in sums:
        session.add(PointsDaily(org_id=org_id, user_id=user_id, day=day, points=int(points)))
    session.flush()
    standings.rebuild(session, org_id)
    return len(sums)


def tally(session: Session) -> None:
    """Start counting the points appended per person from now on (what an action earned,
    without reading the standings before and after it); `tallied` takes the count."""
    session.info[TALLY] = {}


def tallied(session: Session) -> dict[int, int]:
    """The points appended per person since `tally` (and stop counting)."""
    return dict(session.info.pop(TALLY, None) or {})


def _count(session: Session, user_id: int, points: int) -> None:
    counts = session.info.get(TALLY)
    if counts is not None:
        counts[user_id] = counts.get(user_id, 0) + points


def touch(session: Session, *user_ids: int) -> None:
    """Note that these people's progress may have changed in this transaction; the game
    (`webapp.game.follow.follow_ledger`) re-evaluates them before the entry point commits."""
    session.info.setdefault(TOUCHED, set()).update(user_ids)


def touched(session: Session) -> set[int]:
    """Take the people noted by `touch` (and every ledger write) since the last call."""
    return set(session.info.pop(TOUCHED, None) or ())


def forget_touched_on_rollback() -> None:
    """What was noted in a rolled-back transaction no longer happened: forget it. Registered
    once by the app factory (idempotent)."""
    if not event.contains(Session, "after_soft_rollback", _after_rollback):
        event.listen(Session, "after_soft_rollback", _after_rollback)


def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(TOUCHED, None)
        session.info.pop(TALLY, None)
