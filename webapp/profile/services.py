"""A person's profile: level, points, kudos, recognitions, moments; and my own settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from webapp.domain import NotFound
from webapp.game.badges import BadgeStatus, badges_for
from webapp.game.challenges import ChallengeProgress, running_for_user
from webapp.game.levels import LevelProgress, level_for
from webapp.game.seasons import WeekSummary, this_week, today_for
from webapp.kudos import services as kudos_services
from webapp.kudos.access import visible_to
from webapp.leaderboard.services import points_by_period
from webapp.models import Kudos, LedgerEntry, Moment, Notification, Recognition, Team, User
from webapp.moments import services as moment_services
from webapp.notifications import services as notifications
from webapp.orgs.services import teams_of
from webapp.points import ledger
from webapp.recognition.services import recognitions_for

LATEST_KUDOS = 10
LATEST_MOMENTS = 10
HISTORY = 15
NOTIFICATIONS = 20  # on /inbox: five shown, the rest folded away


@dataclass(frozen=True)
class HistoryItem:
    """One ledger entry, told in words."""

    at: datetime
    points: int
    text: str
    moment_id: int | None


@dataclass(frozen=True)
class OwnExtras:
    """What only the person themselves sees on /me."""

    gesture_spent_cents: int
    gesture_budget_cents: int
    kudos_left: int
    kudos_allowance: int
    unread: int
    history: list[HistoryItem]
    week: WeekSummary
    challenges: list[ChallengeProgress]
    away_until: date | None  # only while the declared time away lasts


@dataclass(frozen=True)
class Profile:
    """A person's profile as `viewer` may see it."""

    person: User
    is_me: bool
    teams: list[Team]
    points_visible: bool  # False when they left the boards and someone else is looking
    level: LevelProgress
    points_week: int
    points_month: int
    points_all: int
    kudos_received: int
    latest_kudos: list[Kudos]
    recognitions: list[Recognition]
    moments: list[Moment]
    badges: list[BadgeStatus]
    own: OwnExtras | None = field(default=None)


def person_in_org(session: Session, viewer: User, person_id: int) -> User:
    """A colleague of `viewer` by id; anyone else (or a deleted person) is not found."""
    person = session.get(User, person_id)
    if person is None or person.org_id != viewer.org_id or person.deleted_at is not None:
        raise NotFound(_("That colleague was not found."))
    return person


def profile_of(session: Session, viewer: User, person: User) -> Profile:
    """`person`'s profile as `viewer` sees it (private kudos only to those involved)."""
    is_me = viewer.id == person.id
    points = points_by_period(session, person, ("week", "month", "all"))
    all_time = points["all"]
    return Profile(
        person=person,
        is_me=is_me,
        teams=teams_of(session, person),
        points_visible=is_me or not person.hide_from_boards,
        level=level_for(max(all_time, 0)),
        points_week=points["week"],
        points_month=points["month"],
        points_all=all_time,
        kudos_received=_kudos_received_count(session, person),
        latest_kudos=_latest_kudos(session, viewer, person),
        recognitions=recognitions_for(session, person.id, limit=LATEST_KUDOS),
        moments=moment_services.feed_page(
            session, person.org_id, author_id=person.id, limit=LATEST_MOMENTS
        ),
        badges=badges_for(session, person.id, earned_only=True),
        own=_own_extras(session, person) if is_me else None,
    )


def _live_kudos_to(person: User) -> Select[Kudos]:
    return select(Kudos).where(
        Kudos.receiver_id == person.id,
        Kudos.org_id == person.org_id,
        Kudos.reversed_at.is_(None),
    )


def _kudos_received_count(session: Session, person: User) -> int:
    query = select(func.count(Kudos.id)).where(
        Kudos.receiver_id == person.id, Kudos.reversed_at.is_(None)
    )
    return int(session.scalar(query) or 0)


def _latest_kudos(session: Session, viewer: User, person: User) -> list[Kudos]:
    query = _live_kudos_to(person).where(visible_to(viewer))
    query = (
        query.options(joinedload(Kudos.giver, innerjoin=True), joinedload(Kudos.value))
        .order_by(Kudos.created_at.desc(), Kudos.id.desc())
        .limit(LATEST_KUDOS)
    )
    return list(session.scalars(query))


def _own_extras(session: Session, me: User) -> OwnExtras:
    org = me.organisation
    return OwnExtras(
        gesture_spent_cents=moment_services.gesture_spent_this_month(session, me),
        gesture_budget_cents=org.gesture_budget_cents,
        kudos_left=kudos_services.allowance_left(session, me),
        kudos_allowance=org.kudos_weekly_allowance,
        unread=notifications.unread_count(session, me.id),
        history=points_history(session, me),
        week=this_week(session, me),
        challenges=running_for_user(session, me),
        away_until=me.away_until
        if me.away_until is not None and me.away_until >= today_for(org)
        else None,
    )


def points_history(session: Session, user: User, limit: int = HISTORY) -> list[HistoryItem]:
    """`user`'s latest ledger entries with a human reason for each."""
    entries = list(
        session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.user_id == user.id)
            .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
            .limit(limit)
        )
    )
    kudos = _by_id(
        session,
        Kudos,
        {e.kudos_id for e in entries if e.kudos_id},
        joinedload(Kudos.giver),
        joinedload(Kudos.receiver),
    )
    recognitions = _by_id(
        session,
        Recognition,
        {e.recognition_id for e in entries if e.recognition_id},
        joinedload(Recognition.manager),
    )
    moments = _by_id(session, Moment, {e.moment_id for e in entries if e.moment_id})
    return [
        HistoryItem(
            e.created_at,
            e.points,
            _reason(e, kudos, recognitions, moments),
            _moment_link(e, moments),
        )
        for e in entries
    ]


def _by_id(session: Session, model: Any, ids: set[int], *options: Any) -> dict[int, object]:
    # One query per kind (with the people it names joined in), so the history never loads
    # its sources one by one; always the same queries, whatever the entries are.
    query = select(model).where(model.id.in_(ids)).options(*options)
    return {row.id: row for row in session.scalars(query).unique()}


def _moment_link(entry: LedgerEntry, moments: dict[int, object]) -> int | None:
    moment = moments.get(entry.moment_id or 0)
    live = isinstance(moment, Moment) and not moment.deleted_at and not moment.reversed_at
    return entry.moment_id if live else None


def _reason(
    entry: LedgerEntry,
    kudos: dict[int, object],
    recognitions: dict[int, object],
    moments: dict[int, object],
) -> str:
    if entry.reason == ledger.MOMENT_LOGGED:
        return _moment_reason(entry)
    if entry.reason == ledger.KUDOS_RECEIVED:
        return _kudos_received_reason(entry, kudos.get(entry.kudos_id or 0))
    if entry.reason == ledger.KUDOS_GIVEN:
        item = kudos.get(entry.kudos_id or 0)
        if isinstance(item, Kudos):
            return _("Kudos given to %(name)s", name=item.receiver.name)
        return _("Kudos given")
    if entry.reason == ledger.RECOGNITION_RECEIVED:
        item = recognitions.get(entry.recognition_id or 0)
        if isinstance(item, Recognition):
            return _("Recognized by %(name)s", name=item.manager.name)
        return _("Recognized by a manager")
    if entry.reason == ledger.REVERSAL:
        return _reversal_reason(entry, moments.get(entry.moment_id or 0))
    return entry.reason


def _moment_reason(entry: LedgerEntry) -> str:
    if entry.points > 0:
        return _("Moment logged")
    if entry.note == "outside_hours":
        return _("Outside your working hours — thank you, no points")
    return _("Daily cap reached — thank you, no points this time")


def _kudos_received_reason(entry: LedgerEntry, item: object) -> str:
    name = item.giver.name if isinstance(item, Kudos) else _("a colleague")
    if entry.note == "repeated_pair":
        return _(
            "Kudos received from %(name)s (fewer points: you two exchanged kudos earlier "
            "this week)",
            name=name,
        )
    return _("Kudos received from %(name)s", name=name)


def _reversal_reason(entry: LedgerEntry, moment: object) -> str:
    if isinstance(moment, Moment) and moment.deleted_at is not None and not moment.reversed_at:
        return _("Moment deleted")
    return _("Reversed by a manager")


def inbox_items(session: Session, user: User) -> list[Notification]:
    """`user`'s latest notifications, newest first: their inbox."""
    return notifications.recent(session, user.id, limit=NOTIFICATIONS)


def mark_seen(session: Session, user: User, ids: set[int]) -> None:
    """Mark the notifications an inbox showed `user` read."""
    notifications.mark_read(session, user.id, ids)


def mark_notifications_read(session: Session, user: User) -> None:
    """Mark all of `user`'s notifications read."""
    notifications.mark_all_read(session, user.id)


def set_locale(session: Session, user: User, locale: str | None) -> None:
    """Store `user`'s language (None: follow the browser)."""
    user.locale = locale or None


def set_quiet_hours(session: Session, user: User, start: time | None, end: time | None) -> None:
    """Store `user`'s own quiet hours (None, None: only the organisation's apply)."""
    user.quiet_start, user.quiet_end = start, end
    notifications.reschedule_held(session, user)


def set_rhythm(
    session: Session,
    user: User,
    work: tuple[time | None, time | None],
    away_until: date | None,
    reminders_enabled: bool,
) -> None:
    """Store `user`'s working hours, time away and whether they want the Monday note."""
    user.work_start, user.work_end = work
    user.away_until = away_until
    user.reminders_enabled = reminders_enabled


def set_hide_from_boards(session: Session, user: User, hide: bool) -> None:
    """Leave (or rejoin) the individual boards; team points are unaffected."""
    user.hide_from_boards = hide
