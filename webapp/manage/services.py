"""The manager's view: who has not been noticed lately, gesture budgets, team coverage.

Which teams a manager sees: the teams they lead (Membership.role == 'lead'). Admins see
every team of the organisation, and so does a manager who leads no team, so a newly
appointed manager is never shown an empty page.

Every figure comes from a handful of aggregate queries (GROUP BY over the shown teams),
never one query per person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from webapp.audit import services as audit
from webapp.domain import NotAllowed
from webapp.models import Kudos, Membership, Moment, Recognition, Team, User, moment_colleagues
from webapp.moments.access import live_moments
from webapp.recognition.services import RecognitionInput, recognize
from webapp.security import has_role
from webapp.timeutil import as_utc, local_date, local_midnight_utc, month_start, utcnow, week_start

QUIET_DAYS = 14
RECENT_GESTURES = 10
CITABLE_MOMENTS = 20


@dataclass
class QuietPerson:
    """A team member nobody has thanked or recognized lately."""

    user: User
    last_noticed: datetime | None


@dataclass
class TeamCoverage:
    """One team's numbers for this week and its quiet corner."""

    team: Team
    members: int = 0
    moments_week: int = 0
    kudos_week: int = 0
    quiet: list[QuietPerson] = field(default_factory=list)


@dataclass
class BudgetRow:
    """What one person reported spending on gestures this month, and last month."""

    user: User
    spent_cents: int = 0
    gestures: int = 0
    last_month_cents: int = 0
    last_month_gestures: int = 0


@dataclass
class Overview:
    """Everything the manager page shows."""

    teams: list[TeamCoverage]
    budget: list[BudgetRow]
    budget_cents: int
    gestures: list[Moment]
    all_teams: bool


def teams_in_view(session: Session, viewer: User) -> tuple[list[Team], bool]:
    """The teams `viewer` looks after, and whether that is every team of the organisation."""
    every = select(Team).where(Team.org_id == viewer.org_id).order_by(Team.name)
    if not viewer.is_admin:
        led = list(
            session.scalars(
                every.join(Membership, Membership.team_id == Team.id).where(
                    Membership.user_id == viewer.id, Membership.role == "lead"
                )
            )
        )
        if led:
            return led, False
    return list(session.scalars(every)), True


def overview(session: Session, viewer: User) -> Overview:
    """The manager page: quiet corners, coverage, gesture budgets and recent gestures."""
    teams, all_teams = teams_in_view(session, viewer)
    team_ids = [t.id for t in teams]
    members = _members(session, team_ids)
    people = {user.id: user for _, user in members}
    coverage = {t.id: TeamCoverage(team=t) for t in teams}
    for team_id, _user in members:
        coverage[team_id].members += 1
    _add_week_counts(session, viewer, coverage)
    last = _last_noticed(session, list(people))
    since = utcnow() - timedelta(days=QUIET_DAYS)
    for team_id, user in members:
        noticed = last.get(user.id)
        if user.id != viewer.id and (noticed is None or noticed < since):
            coverage[team_id].quiet.append(QuietPerson(user, noticed))
    return Overview(
        teams=list(coverage.values()),
        budget=_budget_rows(session, viewer, people),
        budget_cents=viewer.organisation.gesture_budget_cents,
        gestures=_recent_gestures(session, viewer.org_id, team_ids),
        all_teams=all_teams,
    )


def _members(session: Session, team_ids: list[int]) -> list[tuple[int, User]]:
    if not team_ids:
        return []
    rows = session.execute(
        select(Membership.team_id, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id.in_(team_ids), User.active, User.deleted_at.is_(None))
        .order_by(User.name, User.id)
    )
    return [(team_id, user) for team_id, user in rows]


def _add_week_counts(session: Session, viewer: User, coverage: dict[int, TeamCoverage]) -> None:
    if not coverage:
        return
    tz = viewer.organisation.timezone
    monday = week_start(local_date(utcnow(), tz))
    moments = session.execute(
        select(Moment.team_id, func.count(Moment.id))
        .where(Moment.team_id.in_(coverage), Moment.created_at >= local_midnight_utc(monday, tz))
        .where(Moment.deleted_at.is_(None), Moment.reversed_at.is_(None))
        .group_by(Moment.team_id)
    )
    for team_id, count in moments:
        coverage[team_id].moments_week = int(count)
    # Kudos count for the team when they reached one of its members this (local) week.
    kudos = session.execute(
        select(Membership.team_id, func.count(Kudos.id))
        .join(Kudos, Kudos.receiver_id == Membership.user_id)
        .where(Membership.team_id.in_(coverage), Kudos.week_start == monday)
        .where(Kudos.org_id == viewer.org_id, Kudos.reversed_at.is_(None))
        .group_by(Membership.team_id)
    )
    for team_id, count in kudos:
        coverage[team_id].kudos_week = int(count)


def _last_noticed(session: Session, user_ids: list[int]) -> dict[int, datetime]:
    """The latest kudos or recognition each person received (two GROUP BY queries)."""
    if not user_ids:
        return {}
    kudos = select(Kudos.receiver_id, func.max(Kudos.created_at)).where(
        Kudos.receiver_id.in_(user_ids), Kudos.reversed_at.is_(None)
    )
    recognitions = select(Recognition.recipient_id, func.max(Recognition.created_at)).where(
        Recognition.recipient_id.in_(user_ids)
    )
    last: dict[int, datetime] = {}
    for query in (
        kudos.group_by(Kudos.receiver_id),
        recognitions.group_by(Recognition.recipient_id),
    ):
        for user_id, when in session.execute(query):
            when = as_utc(when)
            if user_id not in last or when > last[user_id]:
                last[user_id] = when
    return last


def _budget_rows(session: Session, viewer: User, people: dict[int, User]) -> list[BudgetRow]:
    """Gesture spending this month and last month per person, in name order (never
    ranked by spending). Last month's column keeps the table telling a story on the 1st."""
    if not people:
        return []
    tz = viewer.organisation.timezone
    this_month = month_start(local_date(utcnow(), tz))
    start = local_midnight_utc(this_month, tz)
    last_start = local_midnight_utc(month_start(this_month - timedelta(days=1)), tz)
    cost, this = Moment.gesture_cost_cents, Moment.created_at >= start
    last = Moment.created_at < start
    spent = session.execute(
        select(
            Moment.author_id,
            func.sum(case((this, cost), else_=0)),
            func.count(case((this, Moment.id))),
            func.sum(case((last, cost), else_=0)),
            func.count(case((last, Moment.id))),
        )
        .where(Moment.author_id.in_(people), Moment.created_at >= last_start)
        .where(Moment.deleted_at.is_(None), cost > 0)
        .group_by(Moment.author_id)
    )
    totals = {user_id: [int(n or 0) for n in figures] for user_id, *figures in spent}
    rows = [BudgetRow(user, *totals.get(user.id, [])) for user in people.values()]
    return sorted(rows, key=lambda row: (row.user.name.lower(), row.user.id))


def _recent_gestures(session: Session, org_id: int, team_ids: list[int]) -> list[Moment]:
    if not team_ids:
        return []
    return list(
        session.scalars(
            live_moments(org_id)
            .where(Moment.team_id.in_(team_ids), Moment.gesture_cost_cents > 0)
            .options(selectinload(Moment.author), selectinload(Moment.team))
            .order_by(Moment.created_at.desc(), Moment.id.desc())
            .limit(RECENT_GESTURES)
        )
    )


# Recognizing ------------------------------------------------------------------------------


def citable_moments(
    session: Session, recipient: User, limit: int = CITABLE_MOMENTS
) -> list[Moment]:
    """The recipient's latest moments (written by them or with them), newest first."""
    involved = select(moment_colleagues.c.moment_id).where(
        moment_colleagues.c.user_id == recipient.id
    )
    return list(
        session.scalars(
            live_moments(recipient.org_id)
            .where(or_(Moment.author_id == recipient.id, Moment.id.in_(involved)))
            .order_by(Moment.created_at.desc(), Moment.id.desc())
            .limit(limit)
        )
    )


def give_recognition(session: Session, manager: User, data: RecognitionInput) -> Recognition:
    """Recognize a colleague and log it in the audit trail, in one transaction."""
    if not has_role(manager, "manager"):
        # recognize() says no as well; checked first so no audit entry is even staged.
        raise NotAllowed(_("Only managers can recognize colleagues."))
    # Audit details are stored untranslated: the log is read in whatever language.
    detail = f"award: {data.award or '-'}; moments: {len(set(data.moment_ids))}"
    # Staged with the recognition: the entry point commits both together, or neither.
    audit.record(session, manager, audit.RECOGNITION_GIVEN, "user", data.recipient_id, detail)
    return recognize(session, manager, data)
