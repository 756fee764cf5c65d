"""Organisation look-ups every feature needs, always scoped to one organisation."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Membership, Organisation, Team, User, Value


def teams_of(session: Session, user: User) -> list[Team]:
    """The teams `user` belongs to, by name."""
    return list(
        session.scalars(
            select(Team)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.user_id == user.id)
            .order_by(Team.name)
        )
    )


def org_teams(session: Session, org_id: int) -> list[Team]:
    """All teams of an organisation, by name."""
    return list(session.scalars(select(Team).where(Team.org_id == org_id).order_by(Team.name)))


def active_values(session: Session, org_id: int) -> list[Value]:
    """The organisation's values people can tag with."""
    return list(
        session.scalars(
            select(Value).where(Value.org_id == org_id, Value.active).order_by(Value.name)
        )
    )


def colleagues(session: Session, user: User) -> list[User]:
    """Everyone active in `user`'s organisation except `user`, by name."""
    return list(
        session.scalars(
            select(User)
            .where(User.org_id == user.org_id, User.id != user.id, User.active)
            .where(User.deleted_at.is_(None))
            .order_by(User.name)
        )
    )


def team_members(session: Session, team_id: int) -> list[User]:
    """The active members of a team, by name."""
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == team_id, User.active, User.deleted_at.is_(None))
            .order_by(User.name)
        )
    )


def users_in_org(session: Session, org_id: int, ids: Iterable[int]) -> dict[int, User]:
    """The active users among `ids` inside the organisation, by id."""
    wanted = set(ids)
    if not wanted:
        return {}
    found = session.scalars(
        select(User).where(User.id.in_(wanted), User.org_id == org_id, User.deleted_at.is_(None))
    )
    return {user.id: user for user in found if user.is_active}


def organisation(session: Session, org_id: int) -> Organisation:
    """The organisation by id (it must exist)."""
    org = session.get(Organisation, org_id)
    assert org is not None
    return org
