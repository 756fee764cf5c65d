"""Logging, editing and listing moments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from webapp import rules
from webapp.audit import services as audit
from webapp.domain import Conflict, Invalid, NotAllowed, NotFound
from webapp.game.follow import follow_ledger
from webapp.i18n import format_money
from webapp.idempotency import check_replay, fingerprint, id_set
from webapp.models import Membership, Moment, Organisation, Team, User, Value, moment_values
from webapp.moments.access import can_change, live_moments
from webapp.orgs.services import users_in_org
from webapp.points import ledger
from webapp.security import has_role
from webapp.serial import serialize
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
    """Store a moment and its points; a repeated client id returns the original, unchanged,
    and is refused (Conflict on client_id) when it comes with a different moment."""
    sent = input_fingerprint(data)
    existing = _by_client_id(session, author.id, data.client_id)
    if existing is not None:
        check_replay(existing.payload_sha256, sent)
        return existing, False
    org = author.organisation
    moment = Moment(
        org_id=org.id, author_id=author.id, client_id=data.client_id, payload_sha256=sent
    )
    _apply(session, author, moment, data)
    _check_budget(session, author, moment)
    moment.outside_hours = _outside_hours(author, org, moment.created_at or utcnow())
    try:
        # A savepoint: if the same client id raced in from another request, only this
        # insert goes, and the caller's transaction stays usable.
        with session.begin_nested():
            session.add(moment)
    except IntegrityError:
        again = _by_client_id(session, author.id, data.client_id)
        if again is None:
            raise
        check_replay(again.payload_sha256, sent)
        return again, False
    _grant_points(session, org, author, moment)
    follow_ledger(session)
    return moment, True


def edit_moment(session: Session, editor: User, moment: Moment, data: MomentInput) -> Moment:
    """Let the author correct their own moment (points stay as they were)."""
    if moment.author_id != editor.id:
        raise NotAllowed(_("Only the author can edit a moment."))
    before = moment.gesture_cost_cents or 0
    _apply(session, editor, moment, data)
    if (moment.gesture_cost_cents or 0) > before:
        _check_budget(session, editor, moment)
    elif not moment.gesture_cost_cents:
        moment.over_budget = False
    moment.updated_at = utcnow()
    return moment


def delete_moment(session: Session, author: User, moment: Moment) -> None:
    """The author deletes their own moment; the ledger appends the reversal of its points."""
    if not can_change(author, moment):
        raise NotAllowed(_("Only the author can change or delete a moment."))
    moment.deleted_at = utcnow()
    ledger.reverse(session, tz=author.organisation.timezone, moment_id=moment.id)
    follow_ledger(session)


def reverse_moment(session: Session, manager: User, moment: Moment | None, reason: str) -> Moment:
    """A manager withdraws an abusive moment: its points are reversed, it leaves the feed,
    and the audit log records who did it and why. History is never edited."""
    if not has_role(manager, "manager"):
        raise NotAllowed(_("Only managers can reverse points."))
    moment = _live(manager, moment)
    if moment.reversed_at is not None:
        raise Conflict(_("This moment was already reversed."))
    moment.reversed_at = utcnow()
    moment.reversed_by_id = manager.id
    moment.reversal_reason = reason[:200]
    ledger.reverse(
        session, tz=manager.organisation.timezone, moment_id=moment.id, note=reason[:200]
    )
    audit.record(session, manager, audit.MOMENT_REVERSED, "moment", moment.id, reason)
    follow_ledger(session)
    return moment


def mark_delighted(session: Session, actor: User, moment: Moment | None) -> Moment:
    """A colleague or manager marks that the guest was delighted (never the author)."""
    moment = _live(actor, moment)
    if moment.reversed_at is not None:
        raise NotFound(_("That moment was not found."))
    if moment.author_id == actor.id:
        raise NotAllowed(_("Someone else marks your moment as delighted: that is the point."))
    if not moment.delighted:
        moment.delighted = True
        if has_role(actor, "manager"):
            audit.record(session, actor, audit.MOMENT_DELIGHTED, "moment", moment.id)
        # The author's "delighted guest" badge looks at this.
        ledger.touch(session, moment.author_id)
        follow_ledger(session)
    return moment


def _live(actor: User, moment: Moment | None) -> Moment:
    if moment is None or moment.org_id != actor.org_id or moment.deleted_at is not None:
        raise NotFound(_("That moment was not found."))
    return moment


def input_fingerprint(data: MomentInput) -> str:
    """The fingerprint of what a moment's input means, as `_apply` would store it: the page
    (euros) and the API (cents, from the offline queue) give the same one for the same form."""
    cost = data.gesture_cost_cents or None
    return fingerprint(
        {
            "team_id": data.team_id,
            "cue": data.cue,
            "action": data.action,
            "reaction": data.reaction,
            "value_ids": id_set(data.value_ids),
            "colleague_ids": id_set(data.colleague_ids),
            "gesture_cost_cents": cost,
            "gesture_note": (data.gesture_note or None) if cost else None,
            "occurred_at": data.occurred_at,
        }
    )


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
        moment.occurred_at = _plausible_time(as_utc(data.occurred_at))


def _plausible_time(occurred_at: datetime) -> datetime:
    """When a moment happened: now or before (a phone's clock may run a little fast), and
    within the past year: no moment is logged for a date its colleagues cannot remember."""
    now = utcnow()
    if occurred_at > now + rules.CLOCK_SKEW:
        raise Invalid(_("Choose a time that has already passed."), field="occurred_at")
    if occurred_at < now - rules.OLDEST_MOMENT:
        raise Invalid(_("Choose a time within the past year."), field="occurred_at")
    return min(occurred_at, now)


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


def _check_budget(session: Session, author: User, moment: Moment) -> None:
    """A gesture must fit in what is left of the author's budget this month: beyond it, the
    organisation refuses it (field error on the cost) or stores it flagged over budget."""
    cost = moment.gesture_cost_cents or 0
    moment.over_budget = False
    if not cost:
        return
    org = author.organisation
    month = month_start(local_date(utcnow(), org.timezone))
    created = moment.created_at
    if created is not None and as_utc(created) < local_midnight_utc(month, org.timezone):
        return  # a correction to an earlier month's gesture: that month is closed
    # The budget sums this month's gestures: one request per person and month at a time.
    serialize(session, f"gesture-budget:{author.id}:{month}")
    spent = gesture_spent_this_month(session, author, exclude_id=moment.id)
    left = max(org.gesture_budget_cents - spent, 0)
    if cost <= left:
        return
    if org.gesture_budget_mode == rules.BUDGET_FLAG:
        moment.over_budget = True
        return
    raise Conflict(
        _(
            "That is more than is left of your gesture budget this month: %(left)s of %(budget)s.",
            left=format_money(left / 100, org.currency or "EUR"),
            budget=format_money(org.gesture_budget_cents / 100, org.currency or "EUR"),
        ),
        field="gesture_cost_cents",
    )


def _grant_points(session: Session, org: Organisation, author: User, moment: Moment) -> None:
    today = local_date(utcnow(), org.timezone)
    if not moment.outside_hours:
        # The daily cap counts moments already rewarded: one request per person and day.
        serialize(session, f"moment-points:{author.id}:{today}")
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
    query = live_moments(org_id)
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
            # One row per moment each: joined into the page's statement, not a second one.
            joinedload(Moment.author, innerjoin=True),
            joinedload(Moment.team, innerjoin=True),
            selectinload(Moment.values),
            selectinload(Moment.colleagues),
        )
        .order_by(Moment.created_at.desc(), Moment.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def gesture_spent_this_month(session: Session, user: User, exclude_id: int | None = None) -> int:
    """Cents `user` reported spending on gestures this calendar month (organisation time),
    leaving out the moment `exclude_id` (one being corrected)."""
    tz = user.organisation.timezone
    start = local_midnight_utc(month_start(local_date(utcnow(), tz)), tz)
    query = select(func.coalesce(func.sum(Moment.gesture_cost_cents), 0)).where(
        Moment.author_id == user.id,
        Moment.created_at >= start,
        Moment.deleted_at.is_(None),
    )
    if exclude_id is not None:
        query = query.where(Moment.id != exclude_id)
    return int(session.scalar(query) or 0)
