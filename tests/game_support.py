"""Helpers for the game-layer tests: log moments, give kudos and recognize through the real
services, so the ledger, the roll-up and the game's follow-up all run for real. Each helper
commits, as the page or API entry point would: one action, one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from tests.factories import client_id
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import BadgeAward, Kudos, LedgerEntry, Moment, PointsDaily, Team, User
from webapp.moments.services import MomentInput, log_moment
from webapp.points import ledger
from webapp.recognition.services import RecognitionInput, recognize

MESSAGE = "You noticed the guest was cold and brought a blanket before she asked."


def log(author: User, team: Team, value_ids: list[int] | None = None) -> Moment:
    values = value_ids or [author.organisation.values[0].id]
    moment, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=team.id,
            cue="Guest looked lost near the lifts",
            action="Walked them to their room",
            reaction="Relieved smile",
            value_ids=values,
        ),
    )
    db.session.commit()
    return moment


def thank(
    giver: User, receiver: User, value_id: int | None = None, moment_id: int | None = None
) -> Kudos:
    made, _ = give_kudos(
        db.session,
        giver,
        KudosInput(
            client_id(), "Thank you!", [receiver.id], value_id=value_id, moment_id=moment_id
        ),
    )
    db.session.commit()
    return made[0]


def recognise(manager: User, recipient: User) -> None:
    recognize(db.session, manager, RecognitionInput(recipient_id=recipient.id, message=MESSAGE))
    db.session.commit()


def grant(user: User, points: int, at: datetime | None = None) -> None:
    """Write points straight through the ledger (its only writer), as a recognition received,
    at a chosen moment (default now): a person with a given score without the actions."""
    org = user.organisation
    ledger.record(
        db.session,
        org_id=org.id,
        tz=org.timezone,
        user_id=user.id,
        points=points,
        reason=ledger.RECOGNITION_RECEIVED,
        at=at,
    )
    db.session.commit()


def badge_keys(user_id: int) -> set[str]:
    return set(db.session.scalars(select(BadgeAward.badge).where(BadgeAward.user_id == user_id)))


def ledger_sum(user_id: int) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(LedgerEntry.user_id == user_id)
    )
    return int(total or 0)


def daily_sum(user_id: int) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(PointsDaily.points), 0)).where(PointsDaily.user_id == user_id)
    )
    return int(total or 0)
