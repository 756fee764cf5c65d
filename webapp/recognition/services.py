"""Managers recognizing a contributor, specifically and personally."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from webapp import rules
from webapp.domain import Conflict, Invalid, NotAllowed, NotFound
from webapp.game.follow import follow_ledger
from webapp.models import Moment, Organisation, Recognition, User, moment_colleagues
from webapp.notifications.services import notify_recognition
from webapp.points import ledger
from webapp.security import has_role
from webapp.serial import serialize
from webapp.timeutil import local_date, local_midnight_utc, utcnow, week_start


@dataclass
class RecognitionInput:
    """A manager's recognition (already validated by the schema)."""

    recipient_id: int
    message: str
    moment_ids: list[int] = field(default_factory=list)
    award: str | None = None


def recognize(session: Session, manager: User, data: RecognitionInput) -> Recognition:
    """Record a recognition, grant its points and tell the recipient."""
    if not has_role(manager, "manager"):
        raise NotAllowed(_("Only managers can recognize colleagues."))
    recipient = session.get(User, data.recipient_id)
    if recipient is None or recipient.org_id != manager.org_id or not recipient.is_active:
        raise NotFound(_("That colleague was not found."), field="recipient_id")
    if recipient.id == manager.id:
        raise Invalid(_("You cannot recognize yourself."), field="recipient_id")
    _check_weekly_cap(session, manager.organisation, recipient)
    recognition = Recognition(
        org_id=manager.org_id,
        manager_id=manager.id,
        recipient_id=recipient.id,
        message=data.message,
        award=data.award or None,
        moments=_cited_moments(session, recipient, data.moment_ids),
    )
    session.add(recognition)
    session.flush()
    org = manager.organisation
    ledger.record(
        session,
        org_id=org.id,
        tz=org.timezone,
        user_id=recipient.id,
        points=rules.PointsRules.of(org).recognition,
        reason=ledger.RECOGNITION_RECEIVED,
        recognition_id=recognition.id,
    )
    notify_recognition(session, recipient, manager, "/me", data.message)
    follow_ledger(session)
    return recognition


def _check_weekly_cap(session: Session, org: Organisation, recipient: User) -> None:
    """A person receives at most the organisation's number of recognitions a week (from all
    managers together), so a burst of them cannot mint hundreds of points."""
    week = week_start(local_date(utcnow(), org.timezone))
    # The cap counts this week's recognitions: one request per recipient and week at a time.
    serialize(session, f"recognition:{recipient.id}:{week}")
    received = session.scalar(
        select(func.count(Recognition.id)).where(
            Recognition.recipient_id == recipient.id,
            Recognition.created_at >= local_midnight_utc(week, org.timezone),
        )
    )
    if int(received or 0) >= org.recognition_weekly_cap:
        raise Conflict(
            ngettext(
                "%(name)s was already recognized %(num)d time this week, the most a week allows."
                " Save your words for next week.",
                "%(name)s was already recognized %(num)d times this week, the most a week allows."
                " Save your words for next week.",
                int(received or 0),
                name=recipient.name,
            ),
            field="recipient_id",
        )


def _cited_moments(session: Session, recipient: User, moment_ids: list[int]) -> list[Moment]:
    wanted = set(moment_ids)
    if not wanted:
        return []
    involved = select(moment_colleagues.c.moment_id).where(
        moment_colleagues.c.user_id == recipient.id
    )
    found = list(
        session.scalars(
            select(Moment).where(
                Moment.id.in_(wanted),
                Moment.org_id == recipient.org_id,
                Moment.deleted_at.is_(None),
                or_(Moment.author_id == recipient.id, Moment.id.in_(involved)),
            )
        )
    )
    if len(found) != len(wanted):
        raise Invalid(_("Cite moments this colleague took part in."), field="moment_ids")
    return found


def recognitions_for(session: Session, user_id: int, limit: int = 20) -> list[Recognition]:
    """A person's latest recognitions."""
    return list(
        session.scalars(
            select(Recognition)
            .where(Recognition.recipient_id == user_id)
            .options(selectinload(Recognition.moments), selectinload(Recognition.manager))
            .order_by(Recognition.created_at.desc(), Recognition.id.desc())
            .limit(limit)
        )
    )
