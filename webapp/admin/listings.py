"""The admin's lists of people and invites: searched, filtered and shown a page at a time,
each page in a fixed number of statements however large the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from webapp.admin.services import not_mid_import
from webapp.database import Paged, paginate
from webapp.models import Invite, Membership, User
from webapp.timeutil import as_utc, utcnow

PAGE_SIZE = 50
INVITE_STATUSES = ("open", "used", "expired", "revoked")


@dataclass(frozen=True)
class PeopleFilter:
    """Words in the name or e-mail address, a team, an organisation role, active or not."""

    words: str = ""
    team_id: int | None = None
    role: str | None = None
    active: bool | None = None


def people_page(
    session: Session, org_id: int, narrow: PeopleFilter, page: int = 1, per_page: int = PAGE_SIZE
) -> Paged[User]:
    """The organisation's people (not erased) matching `narrow`, active first, then by name,
    each with their teams: three statements whatever the page holds."""
    query = select(User).where(User.org_id == org_id, User.deleted_at.is_(None))
    if narrow.words:
        query = query.where(
            or_(
                User.name.icontains(narrow.words, autoescape=True),
                User.email.icontains(narrow.words, autoescape=True),
            )
        )
    if narrow.team_id is not None:
        members = select(Membership.user_id).where(Membership.team_id == narrow.team_id)
        query = query.where(User.id.in_(members))
    if narrow.role is not None:
        query = query.where(User.role == narrow.role)
    if narrow.active is not None:
        query = query.where(User.active == narrow.active)
    teams = selectinload(User.memberships).selectinload(Membership.team)
    order = (User.active.desc(), User.name, User.id)
    return paginate(session, query, order, page, per_page, options=(teams,))


@dataclass(frozen=True)
class InviteFilter:
    """Words in the name, note or e-mail address, a status (None: all) and a team."""

    words: str = ""
    status: str | None = "open"
    team_id: int | None = None


def invite_status(invite: Invite, now: datetime | None = None) -> str:
    """Where an invite stands: open, used, revoked or expired."""
    if invite.used_at is not None:
        return "used"
    if invite.revoked_at is not None:
        return "revoked"
    if as_utc(invite.expires_at) <= as_utc(now or utcnow()):
        return "expired"
    return "open"


def _status_clause(status: str, now: datetime) -> Any:
    unused = (Invite.used_at.is_(None), Invite.revoked_at.is_(None))
    return {
        "used": (Invite.used_at.is_not(None),),
        "revoked": (Invite.used_at.is_(None), Invite.revoked_at.is_not(None)),
        "expired": (*unused, Invite.expires_at <= now),
        "open": (*unused, Invite.expires_at > now),
    }[status]


def invites_page(
    session: Session, org_id: int, narrow: InviteFilter, page: int = 1, per_page: int = PAGE_SIZE
) -> Paged[Invite]:
    """The organisation's invites matching `narrow`, newest first (two statements)."""
    query = select(Invite).where(Invite.org_id == org_id, not_mid_import())
    if narrow.words:
        query = query.where(
            or_(
                Invite.name.icontains(narrow.words, autoescape=True),
                Invite.note.icontains(narrow.words, autoescape=True),
                Invite.email.icontains(narrow.words, autoescape=True),
            )
        )
    if narrow.status is not None:
        query = query.where(*_status_clause(narrow.status, utcnow()))
    if narrow.team_id is not None:
        query = query.where(Invite.team_id == narrow.team_id)
    order = (Invite.created_at.desc(), Invite.id.desc())
    return paginate(session, query, order, page, per_page)


def teams_with_open_invites(session: Session, org_id: int) -> list[int]:
    """The teams that have open invites, for their printable sheets (one statement)."""
    return list(
        session.scalars(
            select(Invite.team_id)
            .where(Invite.org_id == org_id, Invite.team_id.is_not(None), not_mid_import())
            .where(*_status_clause("open", utcnow()))
            .distinct()
        )
    )
