"""An organisation's history version, and caching what only past weeks decide.

New moments and kudos are stamped with the current time, so they never fall into a week that
has ended. What a count of complete weeks reads changes only when something already counted
changes: a moment removed, reversed or moved to another team, a kudos reversed, a membership
added, moved or ended, a person leaving or returning. The flush that stages such a change
raises the organisation's `history_version`, in the same transaction, so a cache keyed by it
(with the weeks, the time zone and the teams) can never answer with a stale count. This is
the one place of invalidation: a new kind of change to history belongs in `_TOUCHING`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from webapp.cache import digest, remember
from webapp.models import Kudos, Membership, Moment, Organisation, Team, User

T = TypeVar("T")

# The columns of each table that counts of past weeks read.
_TOUCHING: dict[type, tuple[str, ...]] = {
    Moment: ("org_id", "team_id", "author_id", "created_at", "deleted_at", "reversed_at"),
    Kudos: ("org_id", "giver_id", "receiver_id", "week_start", "created_at", "reversed_at"),
    Membership: ("team_id", "user_id"),
    User: ("active", "deleted_at", "memberships"),
}
# Past weeks' counts are kept a little longer than a week: after that a key names a week that
# is no longer shown.
KEEP_SECONDS = 8 * 24 * 3600


def cached(
    org: Organisation,
    name: str,
    team_ids: list[int],
    parts: tuple[Any, ...],
    compute: Callable[[], T],
) -> T:
    """`compute()`'s value for `org`'s `team_ids`, from the cache while the organisation's
    history has not changed. `parts` names everything else the value depends on (the weeks,
    the time zone)."""
    key = ":".join(
        str(p)
        for p in (
            name,
            org.id,
            org.created_at.isoformat(),  # ids can be reused after an organisation is removed
            org.history_version,
            *parts,
            digest(team_ids),
        )
    )
    return remember(key, compute, KEEP_SECONDS)


def install() -> None:
    """Register the flush hook once (the app factory calls this; idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    touched = {_org_of(session, item) for item in _history_changes(session)}
    for org_id in sorted(o for o in touched if o):
        org = session.get(Organisation, org_id)
        if org is not None:
            org.history_version = Organisation.history_version + 1


def _history_changes(session: Session) -> Iterator[Any]:
    """The rows this flush changes that past weeks' counts read."""
    for item in session.new:
        # New moments and kudos are this week's, unless their writer stamped them.
        if isinstance(item, Membership) or (
            isinstance(item, Moment | Kudos) and item.created_at is not None
        ):
            yield item
    yield from (item for item in session.deleted if type(item) in _TOUCHING)
    for item in session.dirty:
        columns = _TOUCHING.get(type(item))
        if columns and _changed(item, columns):
            yield item


def _changed(item: Any, columns: tuple[str, ...]) -> bool:
    attrs = inspect(item).attrs
    return any(getattr(attrs, name).history.has_changes() for name in columns)


def _org_of(session: Session, item: Any) -> int:
    if not isinstance(item, Membership):
        return item.org_id or 0
    if item.team is not None:
        return item.team.org_id
    team = session.get(Team, item.team_id)
    return team.org_id if team is not None else 0
