"""Organisation look-ups every feature needs, always scoped to one organisation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from webapp.models import (
    Kudos,
    Membership,
    Moment,
    Organisation,
    Team,
    User,
    Value,
    moment_colleagues,
)
from webapp.timeutil import as_utc, utcnow


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
    """The organisation's values people can tag with, by name in the reader's language."""
    found = session.scalars(select(Value).where(Value.org_id == org_id, Value.active))
    return sorted(found, key=by_shown_name)


def by_shown_name(value: Value) -> tuple[str, int]:
    """Sort key: a value's name as the reader sees it (their language), then its id."""
    return value.name.casefold(), value.id


def choosable_colleagues(user: User) -> Select[User]:
    """The people `user` may choose (a colleague to thank, to name in a moment): everyone
    active in their organisation, never themselves; unordered. The one rule of `colleagues`
    and the people picker (webapp/orgs/picker.py)."""
    return select(User).where(
        User.org_id == user.org_id, User.id != user.id, User.active, User.deleted_at.is_(None)
    )


def colleagues(session: Session, user: User, among: Iterable[int] | None = None) -> list[User]:
    """Everyone active in `user`'s organisation except `user`, by name; only those whose
    ids are `among` when given (checking a posted choice needs no one else: a chain has
    thousands of colleagues)."""
    query = choosable_colleagues(user).order_by(User.name)
    if among is not None:
        query = query.where(User.id.in_(sorted(set(among))))
    return list(session.scalars(query))


def memberships_of(team_ids: Iterable[int], *, live: bool = False) -> Select[int, int]:
    """(team id, person id) of every membership of these teams: the one rule for "the members
    of these teams". With `live`, only the people who still take part (active, not deleted):
    whom a page about today counts (the manager's quiet corner, the gesture budgets); without,
    former members too, because the history they made stays theirs (trends, exports)."""
    query = select(Membership.team_id, Membership.user_id).where(
        Membership.team_id.in_(list(team_ids))
    )
    if live:
        query = query.join(User, User.id == Membership.user_id).where(
            User.active, User.deleted_at.is_(None)
        )
    return query


def members_of(team_ids: Iterable[int], *, live: bool = False) -> Select[int]:
    """The ids of the people in these teams (as `memberships_of` counts them), to filter by:
    `Kudos.receiver_id.in_(members_of(team_ids))`."""
    return memberships_of(team_ids, live=live).with_only_columns(Membership.user_id)


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


RECENT_DAYS = 60  # how far back "recent colleagues" reach
RECENT_SHOWN = 8  # at most this many recent colleagues are lifted to the top


@dataclass
class PickerGroup:
    """One heading of the people picker and the people under it, in the order shown."""

    key: str  # "team", "recent" or "rest"
    people: list[User]


def recent_colleagues(session: Session, user: User, limit: int = RECENT_SHOWN) -> list[int]:
    """Ids of the people `user` recently gave kudos to or logged moments with, latest first."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    kudos = session.execute(
        select(Kudos.receiver_id, func.max(Kudos.created_at))
        .where(Kudos.giver_id == user.id, Kudos.created_at >= since)
        .group_by(Kudos.receiver_id)
    ).all()
    moments = session.execute(
        select(moment_colleagues.c.user_id, func.max(Moment.created_at))
        .join(Moment, Moment.id == moment_colleagues.c.moment_id)
        .where(Moment.author_id == user.id, Moment.created_at >= since)
        .where(Moment.deleted_at.is_(None))
        .group_by(moment_colleagues.c.user_id)
    ).all()
    latest: dict[int, datetime] = {}
    for person_id, when in [*kudos, *moments]:
        if person_id != user.id and (person_id not in latest or as_utc(when) > latest[person_id]):
            latest[person_id] = as_utc(when)
    ordered = sorted(latest, key=lambda pid: (latest[pid], -pid), reverse=True)
    return ordered[:limit]


def picker_groups(session: Session, user: User, people: list[User]) -> list[PickerGroup]:
    """`people` for the people picker: the viewer's own team(s) first, then the rest. In each
    group the people recently thanked or worked with come on top (latest first), the others
    alphabetically; everyone appears once, empty groups are left out."""
    recent = recent_colleagues(session, user)
    rank = {pid: i for i, pid in enumerate(recent)}
    mine = {t.id for t in teams_of(session, user)}

    def order(group: list[User]) -> list[User]:
        return sorted(group, key=lambda p: (rank.get(p.id, len(rank)), p.name.lower(), p.id))

    # One statement for who shares a team with the viewer (not each person's memberships,
    # a statement per person: 10,000 in a chain).
    teammates = (
        set(session.scalars(select(Membership.user_id).where(Membership.team_id.in_(mine))))
        if mine
        else set()
    )
    own = [p for p in people if p.id in teammates]
    own_ids = {p.id for p in own}
    lifted = [p for p in people if p.id not in own_ids and p.id in rank]
    rest = [p for p in people if p.id not in own_ids and p.id not in rank]
    groups = [
        PickerGroup("team", order(own)),
        PickerGroup("recent", order(lifted)),
        PickerGroup("rest", order(rest)),
    ]
    return [g for g in groups if g.people]
