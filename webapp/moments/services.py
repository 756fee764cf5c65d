"""Logging, editing and listing moments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from webapp import rules
from webapp.auth.models import User
from webapp.domain import Invalid, NotAllowed, NotFound
from webapp.game import ledger
from webapp.moments.models import Moment, moment_values
from webapp.orgs.models import Membership, Organisation, Team, Value
from webapp.orgs.services import users_in_org
from webapp.security import has_role
from webapp.timeutil import as_utc, local_date, local_midnight_utc, month_start, utcnow

FEED_PAGE = 20


@dataclass
class MomentInput:
    """What a person enters to log a moment (already validated by the schema)."""

    client_id: str
    team_id: int
    cue: str
    action: str
    reaction: str
    value_ids: list[int] = field(default_factory=list)
    colleague_ids: list[int] = field(default_factory=list)
    gesture_cost_cents: int | None = None
    gesture_note: str | None = None
    occurred_at: datetime | None = None


def log_moment(session: Session, author: User, data: MomentInput) -> tuple[Moment, bool]:
    """Store a moment and its points; a repeated client id returns the original, unchanged."""
    existing = _by_client_id(session, author.id, data.client_id)
    if existing is not None:
        return existing, False
    org = author.organisation
    moment = Moment(org_id=org.id, author_id=author.id, client_id=data.client_id)
    _apply(session, author, moment, data)
    moment.outside_hours = _outside_hours(author, org, moment.created_at or utcnow())
    session.add(moment)
    try:
        session.flush()
    except IntegrityError:
        # The same client id raced in from another request: that one won, return it.
        session.rollback()
        again = _by_client_id(session, author.id, data.client_id)
        if again is None:
            raise
        return again, False
    _grant_points(session, org, author, moment)
    session.commit()
    return moment, True


def edit_moment(session: Session, editor: User, moment: Moment, data: MomentInput) -> Moment:
    """Let the author correct their own moment (points stay as they were)."""
    if moment.author_id != editor.id:
        raise NotAllowed(_("Only the author can edit a moment."))
    _apply(session, editor, moment, data)
    moment.updated_at = utcnow()
    session.commit()
    return moment


def delete_moment(session: Session, actor: User, moment: Moment, reason: str = "") -> None:
    """The author deletes, or a manager reverses, a moment; the ledger records the reversal."""
    is_author = moment.author_id == actor.id
    if not is_author and not has_role(actor, "manager"):
        raise NotAllowed(_("Only the author or a manager can remove a moment."))
    now = utcnow()
    if is_author:
        moment.deleted_at = now
    else:
        moment.reversed_at = now
        moment.reversed_by_id = actor.id
        moment.reversal_reason = reason[:200] or None
    ledger.reverse(
        session, tz=actor.organisation.timezone, moment_id=moment.id, note=reason[:200] or None
    )
    session.commit()


def _by_client_id(session: Session, author_id: int, client_id: str) -> Moment | None:
    return session.scalar(
        select(Moment).where(Moment.author_id == author_id, Moment.client_id == client_id)
    )


def _apply(session: Session, author: User, moment: Moment, data: MomentInput) -> None:
    team = _team_for(session, author, data.team_id)
    rules.check_gesture_cost(data.gesture_cost_cents)
    moment.team_id = team.id
    moment.cue, moment.action, moment.reaction = data.cue, data.action, data.reaction
    moment.values = _values(session, author.org_id, data.value_ids)
    moment.colleagues = _colleagues(session, author, data.colleague_ids)
    moment.gesture_cost_cents = data.gesture_cost_cents or None
    moment.gesture_note = (data.gesture_note or None) if data.gesture_cost_cents else None
    if data.occurred_at is not None:
        moment.occurred_at = min(as_utc(data.occurred_at), utcnow())


def _team_for(session: Session, author: User, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None or team.org_id != author.org_id:
        raise NotFound(_("Choose one of your teams."), field="team_id")
    member = session.scalar(
        select(Membership.id).where(Membership.team_id == team.id, Membership.user_id == author.id)
    )
    if member is None and not has_role(author, "manager"):
        raise Invalid(_("Choose one of your teams."), field="team_id")
    return team


def _values(session: Session, org_id: int, value_ids: list[int]) -> list[Value]:
    wanted = set(value_ids)
    if not wanted:
        raise Invalid(_("Choose at least one value."), field="value_ids")
    found = list(session.scalars(select(Value).where(Value.id.in_(wanted), Value.org_id == org_id)))
    if len(found) != len(wanted) or not all(v.active for v in found):
        raise Invalid(_("Choose values from the list."), field="value_ids")
    return found


def _colleagues(session: Session, author: User, ids: list[int]) -> list[User]:
    wanted = set(ids) - {author.id}
    found = users_in_org(session, author.org_id, wanted)
    if len(found) != len(wanted):
        raise Invalid(_("Choose colleagues from the list."), field="colleague_ids")
    return list(found.values())


def _outside_hours(author: User, org: Organisation, at: datetime) -> bool:
    local = as_utc(at).astimezone(ZoneInfo(org.timezone)).time()
    return not rules.within_hours(local, author.work_start, author.work_end)


def _grant_points(session: Session, org: Organisation, author: User, moment: Moment) -> None:
    today = local_date(utcnow(), org.timezone)
    rewarded = ledger.moments_rewarded_on(session, author.id, today)
    points = rules.moment_points(rules.PointsRules.of(org), rewarded, moment.outside_hours)
    note = None
    if points == 0:
        note = "outside_hours" if moment.outside_hours else "daily_cap"
    ledger.record(
        session,
        org_id=org.id,
        tz=org.timezone,
        user_id=author.id,
        points=points,
        reason=ledger.MOMENT_LOGGED,
        moment_id=moment.id,
        note=note,
    )


def visible_moments(org_id: int) -> Select[Moment]:
    """The base query of an organisation's live moments (not deleted or reversed)."""
    return select(Moment).where(
        Moment.org_id == org_id, Moment.deleted_at.is_(None), Moment.reversed_at.is_(None)
    )


def feed_page(
    session: Session,
    org_id: int,
    *,
    team_id: int | None = None,
    author_id: int | None = None,
    value_id: int | None = None,
    before: tuple[datetime, int] | None = None,
    limit: int = FEED_PAGE,
) -> list[Moment]:
    """One page of the feed, newest first, keyset-paginated on (created_at, id)."""
    query = visible_moments(org_id)
    if team_id is not None:
        query = query.where(Moment.team_id == team_id)
    if author_id is not None:
        query = query.where(Moment.author_id == author_id)
    if value_id is not None:
        query = query.where(
            Moment.id.in_(
                select(moment_values.c.moment_id).where(moment_values.c.value_id == value_id)
            )
        )
    if before is not None:
        created, last_id = before
        query = query.where(
            or_(
                Moment.created_at < created, and_(Moment.created_at == created, Moment.id < last_id)
            )
        )
    query = (
        query.options(
            selectinload(Moment.author),
            selectinload(Moment.values),
            selectinload(Moment.colleagues),
            selectinload(Moment.team),
        )
        .order_by(Moment.created_at.desc(), Moment.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def gesture_spent_this_month(session: Session, user: User) -> int:
    """Cents `user` reported spending on gestures this calendar month (organisation time)."""
    tz = user.organisation.timezone
    start = local_midnight_utc(month_start(local_date(utcnow(), tz)), tz)
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Moment.gesture_cost_cents), 0)).where(
                Moment.author_id == user.id,
                Moment.created_at >= start,
                Moment.deleted_at.is_(None),
            )
        )
        or 0
    )
