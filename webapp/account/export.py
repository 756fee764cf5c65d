"""Everything Kizuki holds about one person, gathered for them to download.

The result is dumped by `PersonalDataSchema`: the page serves it as a JSON file, the API
as its response. User-written text stays data (JSON strings), never HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from webapp.account.schemas import PersonalDataSchema
from webapp.account.services import MEMBER_ACTIONS
from webapp.models import (
    ApiToken,
    AuditEntry,
    BadgeAward,
    Kudos,
    LedgerEntry,
    Membership,
    Moment,
    Notification,
    PasswordReset,
    PushSubscription,
    Recognition,
    User,
    moment_colleagues,
)
from webapp.moments.access import in_colleagues_export
from webapp.timeutil import utcnow


@dataclass(frozen=True)
class AuditLine:
    """An audit entry as exported: `by_me` tells my own actions from those about me."""

    action: str
    target_type: str | None
    target_id: int | None
    detail: str
    by_me: bool
    created_at: datetime


def personal_data(session: Session, user: User) -> dict[str, Any]:
    """Everything about `user`, dumped to plain JSON-ready data."""
    return PersonalDataSchema().dump(collect(session, user))


def collect(session: Session, user: User) -> dict[str, Any]:
    """Everything about `user`, as the objects `PersonalDataSchema` dumps."""
    return {
        "exported_at": utcnow(),
        "profile": user,
        "memberships": _all(
            session,
            select(Membership)
            .where(Membership.user_id == user.id)
            .options(selectinload(Membership.team))
            .order_by(Membership.id),
        ),
        "moments_authored": _moments(session, Moment.author_id == user.id),
        "moments_involved": _moments(
            session,
            Moment.id.in_(
                select(moment_colleagues.c.moment_id).where(moment_colleagues.c.user_id == user.id)
            )
            & in_colleagues_export(Moment),
        ),
        "kudos_given": _kudos(session, Kudos.giver_id == user.id),
        "kudos_received": _kudos(session, Kudos.receiver_id == user.id),
        "recognitions_received": _recognitions(session, Recognition.recipient_id == user.id),
        "recognitions_given": _recognitions(session, Recognition.manager_id == user.id),
        "ledger_entries": _all(
            session,
            select(LedgerEntry)
            .where(LedgerEntry.user_id == user.id)
            .order_by(LedgerEntry.created_at, LedgerEntry.id),
        ),
        "badges": _all(
            session,
            select(BadgeAward).where(BadgeAward.user_id == user.id).order_by(BadgeAward.id),
        ),
        **_account_records(session, user),
    }


def _account_records(session: Session, user: User) -> dict[str, Any]:
    return {
        "notifications": _all(
            session,
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at, Notification.id),
        ),
        "push_subscriptions": _all(
            session,
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.id),
        ),
        "api_tokens": _all(
            session, select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        ),
        "password_reset_links": _all(
            session,
            select(PasswordReset)
            .where(PasswordReset.user_id == user.id)
            .order_by(PasswordReset.id),
        ),
        "audit_entries": _audit(session, user),
    }


def _all(session: Session, query: Any) -> list[Any]:
    return list(session.scalars(query))


def _moments(session: Session, condition: Any) -> list[Moment]:
    return _all(
        session,
        select(Moment)
        .where(condition)
        .options(
            selectinload(Moment.author),
            selectinload(Moment.team),
            selectinload(Moment.values),
            selectinload(Moment.colleagues),
        )
        .order_by(Moment.created_at, Moment.id),
    )


def _kudos(session: Session, condition: Any) -> list[Kudos]:
    return _all(
        session,
        select(Kudos)
        .where(condition)
        .options(selectinload(Kudos.giver), selectinload(Kudos.receiver), selectinload(Kudos.value))
        .order_by(Kudos.created_at, Kudos.id),
    )


def _recognitions(session: Session, condition: Any) -> list[Recognition]:
    return _all(
        session,
        select(Recognition)
        .where(condition)
        .options(
            selectinload(Recognition.manager),
            selectinload(Recognition.recipient),
            selectinload(Recognition.moments),
        )
        .order_by(Recognition.created_at, Recognition.id),
    )


def _audit(session: Session, user: User) -> list[AuditLine]:
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.org_id == user.org_id,
            or_(
                AuditEntry.actor_id == user.id,
                AuditEntry.target_type.in_(("user", "account")) & (AuditEntry.target_id == user.id),
                AuditEntry.action.in_(MEMBER_ACTIONS)
                & AuditEntry.detail.contains(f"({user.id})", autoescape=True),
            ),
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return [
        AuditLine(
            e.action, e.target_type, e.target_id, e.detail, e.actor_id == user.id, e.created_at
        )
        for e in entries
    ]
