"""The people picker at the size of a chain: a page shows a bounded number of colleagues
(the viewer's team first, then the people they recently worked with, and everyone only
where everyone fits), the people already chosen, and the matches of a search; the search
finds anyone else. Every list is cut in SQL, so a page never loads 10,000 people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from webapp.config import PICKER_LIMIT
from webapp.models import Membership, User
from webapp.orgs.schemas import PEOPLE_FOUND_MAX, PEOPLE_QUERY_MAX, PeopleSearchSchema
from webapp.orgs.services import (
    PickerGroup,
    choosable_colleagues,
    colleagues,
    picker_groups,
    recent_colleagues,
)
from webapp.schemas import CONTROL_CHARACTERS

# A page form's own search (without JavaScript): its button and its text field.
SEARCH_BUTTON = "picker_search"
SEARCH_FIELD = "picker_q"


@dataclass(frozen=True)
class Search:
    """A page form's search for colleagues: the text typed, and what is wrong with it."""

    query: str = ""
    error: str | None = None


def posted_search(posted: Mapping[str, Any]) -> Search | None:
    """The search a posted form asks for with the picker's own button (pages without
    JavaScript), or None when the form was sent to be saved."""
    if SEARCH_BUTTON not in posted:
        return None
    raw = posted.get(SEARCH_FIELD)
    raw = raw if isinstance(raw, str) else ""
    try:
        loaded = PeopleSearchSchema().load({"q": raw})
    except ValidationError as error:
        # Shown again in the search box as typed (cut short, without control characters).
        text = CONTROL_CHARACTERS.sub("", raw.strip()[: PEOPLE_QUERY_MAX * 2])
        messages = error.normalized_messages().get("q") or [""]
        return Search(text, str(messages[0]))
    return Search(loaded["q"])


@dataclass
class Picker:
    """What a people picker shows: its groups, and how many colleagues the form could choose
    (`total`) against how many it shows (`shown`)."""

    groups: list[PickerGroup]
    total: int
    search: Search | None = None  # what a page form searched for (without JavaScript)
    found: int = 0  # the matches of the search (shown in the "found" group)
    ids: set[int] = field(default_factory=set)

    @property
    def shown(self) -> int:
        """How many people the picker lists."""
        return len(self.ids)

    @property
    def partial(self) -> bool:
        """True when some colleagues are left out (the search finds them)."""
        return self.shown < self.total


def count_colleagues(session: Session, user: User) -> int:
    """How many people `user` could choose."""
    query = choosable_colleagues(user).with_only_columns(func.count(User.id))
    return int(session.scalar(query) or 0)


def search_colleagues(
    session: Session, user: User, query: str, limit: int = PEOPLE_FOUND_MAX
) -> list[User]:
    """The colleagues whose name contains every word of `query` (case-insensitive; LIKE's
    wildcards are taken literally), names starting with the first word first, then by name;
    at most `limit`."""
    words = query.split()[:10]
    if not words:
        return []
    found = choosable_colleagues(user)
    for word in words:
        found = found.where(User.name.icontains(word, autoescape=True))
    starts = case((User.name.istartswith(words[0], autoescape=True), 0), else_=1)
    ordered = found.order_by(starts, func.lower(User.name), User.id).limit(max(0, limit))
    return list(session.scalars(ordered))


def people_picker(
    session: Session,
    user: User,
    chosen: Iterable[int] = (),
    search: Search | None = None,
    limit: int = PICKER_LIMIT,
) -> Picker:
    """The picker `user` sees. An organisation where everyone fits under `limit` shows
    everyone, as `picker_groups` orders them; a larger one shows the viewer's team (recent
    colleagues on top) and their other recent colleagues, `limit` people in all. The people
    `chosen` (kept checked) and the matches of a valid `search` are always shown, on top."""
    total = count_colleagues(session, user)
    if total <= limit:
        groups = picker_groups(session, user, colleagues(session, user))
    else:
        groups = _bounded_groups(session, user, limit)
    shown = {p.id for g in groups for p in g.people}
    query = search.query if search is not None and search.error is None else ""
    found = search_colleagues(session, user, query) if query else []
    wanted = sorted(set(chosen) - shown - {p.id for p in found})
    extra = colleagues(session, user, among=wanted) if wanted else []
    on_top = [PickerGroup("found", found), PickerGroup("chosen", extra)]
    lifted = {p.id for g in on_top for p in g.people}
    rest = [PickerGroup(g.key, [p for p in g.people if p.id not in lifted]) for g in groups]
    groups = [g for g in [*on_top, *rest] if g.people]
    ids = {p.id for g in groups for p in g.people}
    return Picker(groups, total=total, search=search, found=len(found), ids=ids)


def _bounded_groups(session: Session, user: User, limit: int) -> list[PickerGroup]:
    """The viewer's team(s) and recent colleagues, at most `limit` people, each cut in SQL."""
    recent = recent_colleagues(session, user)
    rank = {pid: i for i, pid in enumerate(recent)}
    my_teams = select(Membership.team_id).where(Membership.user_id == user.id)
    teammates = select(Membership.user_id).where(Membership.team_id.in_(my_teams))
    # Recent teammates first, so the cut never drops one; then by name.
    lifted = case((User.id.in_(recent), 0), else_=1) if recent else None
    order = [c for c in (lifted, func.lower(User.name), User.id) if c is not None]
    in_team = choosable_colleagues(user).where(User.id.in_(teammates)).order_by(*order)
    team: list[User] = list(session.scalars(in_team.limit(max(0, limit))))
    own = {p.id for p in team}
    others = [p for p in colleagues(session, user, among=recent) if p.id not in own]
    # At most `limit` in all: the team's last names (by name, never a recent one) give way.
    team = team[: max(0, limit - len(others))]

    def ordered(group: list[User]) -> list[User]:
        return sorted(group, key=lambda p: (rank.get(p.id, len(rank)), p.name.lower(), p.id))

    groups = [PickerGroup("team", ordered(team)), PickerGroup("recent", ordered(others))]
    return [g for g in groups if g.people]
