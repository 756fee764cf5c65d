"""Gesture budgets as a conversation: per person, this month's budget and spending, the
moments it bought and how guests reacted, with last month beside it. In name order, never
ranked: spending more or less is neither good nor bad, it is something to talk about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from webapp.insights.works import kudos_on
from webapp.models import Moment, Organisation, User
from webapp.orgs.services import members_of
from webapp.timeutil import local_date, local_midnight_utc, month_start, utcnow


@dataclass(frozen=True)
class Gesture:
    """A moment with a gesture cost this month, and what it drew."""

    moment: Moment
    kudos: int

    @property
    def delighted(self) -> bool:
        return self.moment.delighted or self.kudos > 0


@dataclass
class PersonBudget:
    """One person's month: what they spent, on which moments, and last month's total."""

    user: User
    gestures: list[Gesture] = field(default_factory=list)
    last_month_cents: int = 0
    last_month_gestures: int = 0

    @property
    def spent_cents(self) -> int:
        return sum(g.moment.gesture_cost_cents or 0 for g in self.gestures)

    @property
    def delighted(self) -> int:
        return sum(1 for g in self.gestures if g.delighted)

    @property
    def over_budget(self) -> int:
        """Gestures stored beyond the budget (organisations that allow and flag them)."""
        return sum(1 for g in self.gestures if g.moment.over_budget)


@dataclass(frozen=True)
class BudgetConversation:
    """Everything the budget page shows."""

    month: date
    last_month: date
    budget_cents: int
    people: list[PersonBudget]

    @property
    def spenders(self) -> list[PersonBudget]:
        return [p for p in self.people if p.gestures]

    @property
    def others(self) -> list[PersonBudget]:
        return [p for p in self.people if not p.gestures]

    @property
    def spent_cents(self) -> int:
        return sum(p.spent_cents for p in self.people)

    @property
    def over_budget(self) -> int:
        return sum(p.over_budget for p in self.people)


def budget_conversation(
    session: Session, org: Organisation, team_ids: list[int]
) -> BudgetConversation:
    """This month's and last month's gestures of the people in `team_ids`, in name order."""
    this_month = month_start(local_date(utcnow(), org.timezone))
    last_month = month_start(this_month - timedelta(days=1))
    people = _people(session, team_ids)
    by_id = {p.user.id: p for p in people}
    if by_id:
        start = local_midnight_utc(this_month, org.timezone)
        _this_month(session, org, list(by_id), start, by_id)
        _last_month(
            session, list(by_id), local_midnight_utc(last_month, org.timezone), start, by_id
        )
    return BudgetConversation(this_month, last_month, org.gesture_budget_cents, people)


def _people(session: Session, team_ids: list[int]) -> list[PersonBudget]:
    if not team_ids:
        return []
    users = session.scalars(
        select(User)
        .where(User.id.in_(members_of(team_ids)), User.active, User.deleted_at.is_(None))
        .order_by(func.lower(User.name), User.id)
    )
    return [PersonBudget(user) for user in users]


def _spent(author_ids: list[int]) -> tuple:
    # The same rule as the budget a person sees on their own: every gesture they reported
    # that they did not delete.
    return (
        Moment.author_id.in_(author_ids),
        Moment.deleted_at.is_(None),
        Moment.gesture_cost_cents > 0,
    )


def _this_month(
    session: Session,
    org: Organisation,
    author_ids: list[int],
    start: object,
    by_id: dict[int, PersonBudget],
) -> None:
    kudos = kudos_on(Moment.id).scalar_subquery()
    rows = session.execute(
        select(Moment, kudos)
        .where(*_spent(author_ids), Moment.org_id == org.id, Moment.created_at >= start)
        .options(selectinload(Moment.team))
        .order_by(Moment.created_at, Moment.id)
    )
    for moment, n in rows:
        by_id[moment.author_id].gestures.append(Gesture(moment, int(n)))


def _last_month(
    session: Session,
    author_ids: list[int],
    start: object,
    end: object,
    by_id: dict[int, PersonBudget],
) -> None:
    rows = session.execute(
        select(Moment.author_id, func.sum(Moment.gesture_cost_cents), func.count(Moment.id))
        .where(*_spent(author_ids), Moment.created_at >= start, Moment.created_at < end)
        .group_by(Moment.author_id)
    )
    for author_id, cents, n in rows:
        by_id[author_id].last_month_cents = int(cents or 0)
        by_id[author_id].last_month_gestures = int(n)
