"""The feed page's data: a keyset page of moments with recent recognitions woven in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from webapp.kudos.services import KudosGiver, kudos_givers
from webapp.models import LedgerEntry, Moment, Recognition, User
from webapp.moments.services import FEED_PAGE, feed_page
from webapp.points.ledger import MOMENT_LOGGED
from webapp.routing import MAX_ID, is_database_id, is_digits
from webapp.timeutil import as_utc

MAX_RECOGNITIONS = 20


@dataclass
class FeedItem:
    """One card of the feed: a moment or a manager's recognition."""

    at: datetime
    moment: Moment | None = None
    recognition: Recognition | None = None


@dataclass
class FeedPage:
    """A page of the feed and where the next one starts (None at the end)."""

    items: list[FeedItem] = field(default_factory=list)
    next_cursor: str | None = None
    kudos_givers: dict[int, list[KudosGiver]] = field(default_factory=dict)


def format_cursor(moment: Moment) -> str:
    """The `?before=` value that continues after `moment`: `<ISO time>,<id>`."""
    return f"{as_utc(moment.created_at).strftime('%Y-%m-%dT%H:%M:%S.%fZ')},{moment.id}"


def parse_cursor(raw: str) -> tuple[datetime, int]:
    """Read a `?before=` value; ValueError when it is not one we made."""
    stamp, _, moment_id = raw.strip().rpartition(",")
    if not stamp or not is_digits(moment_id) or len(moment_id) > len(str(MAX_ID)):
        raise ValueError(raw)
    if not is_database_id(int(moment_id)):
        raise ValueError(raw)
    # A `+` in a hand-edited query string arrives as a space.
    return as_utc(datetime.fromisoformat(stamp.replace(" ", "+"))), int(moment_id)


def feed(
    session: Session,
    viewer: User,
    *,
    team_id: int | None = None,
    value_id: int | None = None,
    before: tuple[datetime, int] | None = None,
    limit: int = FEED_PAGE,
) -> FeedPage:
    """One page of `viewer`'s organisation feed, newest first."""
    rows = feed_page(
        session, viewer.org_id, team_id=team_id, value_id=value_id, before=before, limit=limit + 1
    )
    more, moments = len(rows) > limit, rows[:limit]
    items = [FeedItem(at=as_utc(m.created_at), moment=m) for m in moments]
    if team_id is None and value_id is None:
        # Recognitions in the same time window as these moments, so paging never repeats one.
        newer_than = as_utc(moments[-1].created_at) if more and moments else None
        up_to = before[0] if before else None
        items += [
            FeedItem(at=as_utc(r.created_at), recognition=r)
            for r in recognitions_between(session, viewer.org_id, newer_than, up_to)
        ]
        items.sort(key=lambda item: item.at, reverse=True)
    return FeedPage(
        items=items,
        next_cursor=format_cursor(moments[-1]) if more and moments else None,
        kudos_givers=kudos_givers(session, viewer, [m.id for m in moments]),
    )


def recognitions_between(
    session: Session, org_id: int, newer_than: datetime | None, up_to: datetime | None
) -> list[Recognition]:
    """An organisation's recognitions in (newer_than, up_to), newest first."""
    query = select(Recognition).where(Recognition.org_id == org_id)
    if newer_than is not None:
        query = query.where(Recognition.created_at > newer_than)
    if up_to is not None:
        query = query.where(Recognition.created_at <= up_to)
    query = query.options(
        joinedload(Recognition.manager, innerjoin=True),
        joinedload(Recognition.recipient, innerjoin=True),
        selectinload(Recognition.moments),
    )
    order = (Recognition.created_at.desc(), Recognition.id.desc())
    return list(session.scalars(query.order_by(*order).limit(MAX_RECOGNITIONS)))


def moment_points(session: Session, moment_id: int) -> tuple[int, str | None]:
    """The points a moment earned its author, and why none (`daily_cap`, `outside_hours`)."""
    entry = session.scalar(
        select(LedgerEntry)
        .where(LedgerEntry.moment_id == moment_id, LedgerEntry.reason == MOMENT_LOGGED)
        .order_by(LedgerEntry.id)
        .limit(1)
    )
    if entry is None:
        return 0, None
    return entry.points, entry.note
