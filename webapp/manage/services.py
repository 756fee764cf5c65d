"""The manager's view: who has not been noticed lately, gesture budgets, team coverage.

Which teams a manager sees: the teams they lead (Membership.role == 'lead'). Admins see
every team of the organisation, and so does a manager who leads no team, so a newly
appointed manager is never shown an empty page (the same rule as
`webapp.insights.access.teams_in_view`, here a page of teams at a time).

Every figure comes from a handful of aggregate queries over the shown teams, never one
query per person; an organisation's teams come a page at a time (TEAM_PAGE), and long lists
(the quiet corner, the budget table) show their first rows and how many more there are, so
the page costs the same for a hotel and for a chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from webapp.audit import services as audit
from webapp.channels.services import announce_recognition
from webapp.domain import NotAllowed
from webapp.models import Kudos, Membership, Moment, Recognition, Team, User, moment_colleagues
from webapp.moments.access import live_moments
from webapp.orgs.services import members_of, memberships_of
from webapp.recognition.services import RecognitionInput, recognize
from webapp.security import has_role
from webapp.timeutil import as_utc, local_date, local_midnight_utc, month_start, utcnow, week_start

QUIET_DAYS = 14
UNSEEN_DAYS = (14, 30)  # the windows the overview reports who was noticed in
_WINDOW = max(*UNSEEN_DAYS, QUIET_DAYS)  # the longest of them, asked once
RECENT_GESTURES = 10
CITABLE_MOMENTS = 20
TEAM_PAGE = 10  # teams per page of the overview
QUIET_SHOWN = 12  # quiet people shown per team (and how many more)
BUDGET_SHOWN = 50  # people in the budget table (those who reported a gesture this month)


@dataclass
class QuietPerson:
    """A team member nobody has thanked or recognized lately."""

    user: User
    last_noticed: datetime | None

    @property
    def over_a_month(self) -> bool:
        """Not noticed in the longer of the overview's windows (30 days), or never."""
        since = utcnow() - timedelta(days=UNSEEN_DAYS[-1])
        return self.last_noticed is None or self.last_noticed < since


@dataclass
class TeamCoverage:
    """One team's numbers for this week and its quiet corner."""

    team: Team
    members: int = 0
    moments_week: int = 0
    kudos_week: int = 0
    quiet: list[QuietPerson] = field(default_factory=list)
    quiet_more: int = 0  # quiet people beyond the ones shown
    # Who was noticed (kudos or recognition) lately, of everyone in the team but the viewer.
    people: int = 0
    noticed_14: int = 0
    noticed_30: int = 0

    @property
    def share_14(self) -> int:
        """Per cent of the team noticed in the last 14 days (rounded down)."""
        return self.noticed_14 * 100 // self.people if self.people else 0

    @property
    def share_30(self) -> int:
        """Per cent of the team noticed in the last 30 days (rounded down)."""
        return self.noticed_30 * 100 // self.people if self.people else 0


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
    budget_more: int = 0  # people beyond the ones shown who reported gestures
    next_after: str | None = None  # the name after which the next page of teams starts
    # Everyone who reported gestures, not only the rows shown: (people, cents) this month
    # and last month.
    budget_totals: tuple[int, int, int, int] = (0, 0, 0, 0)


def teams_in_view(
    session: Session, viewer: User, after: str | None = None, limit: int | None = None
) -> tuple[list[Team], bool]:
    """The teams `viewer` looks after (by name, after the name `after`, at most `limit`), and
    whether that is every team of the organisation."""
    every = select(Team).where(Team.org_id == viewer.org_id).order_by(Team.name)
    if after is not None:
        every = every.where(Team.name > after)
    if limit is not None:
        every = every.limit(limit)
    if not viewer.is_admin:
        led = list(
            session.scalars(
                every.join(Membership, Membership.team_id == Team.id).where(
                    Membership.user_id == viewer.id, Membership.role == "lead"
                )
            )
        )
        if led or after is not None and _leads_any(session, viewer):
            return led, False
    return list(session.scalars(every)), True


def first_pages(session: Session, org_id: int) -> list[list[int]]:
    """The different sets of teams the overview's first page shows the organisation's
    managers and admins (a lead sees the teams they lead; anyone else every team), as
    `teams_in_view` gives them to each viewer, in at most three statements however many
    managers the organisation has."""
    viewers = (
        select(User.id)
        .where(User.org_id == org_id, User.role.in_(("manager", "admin")))
        .where(User.active, User.deleted_at.is_(None))
    )
    led: dict[int, list[int]] = {}
    rows = session.execute(
        select(Membership.user_id, Team.id)
        .join(Team, Team.id == Membership.team_id)
        .where(Team.org_id == org_id, Membership.role == "lead")
        # An admin sees every team, whatever they lead.
        .where(Membership.user_id.in_(viewers.where(User.role == "manager")))
        .order_by(Membership.user_id, Team.name)
    )
    for user_id, team_id in rows:
        page = led.setdefault(user_id, [])
        if len(page) < TEAM_PAGE:
            page.append(team_id)
    viewer_ids = list(session.scalars(viewers.order_by(User.id)))
    every: list[int] = []
    if any(viewer not in led for viewer in viewer_ids):
        every = list(
            session.scalars(
                select(Team.id).where(Team.org_id == org_id).order_by(Team.name).limit(TEAM_PAGE)
            )
        )
    pages: dict[frozenset[int], list[int]] = {}
    for viewer in viewer_ids:
        shown = led.get(viewer, every)
        if shown:
            pages.setdefault(frozenset(shown), shown)
    return list(pages.values())


def _leads_any(session: Session, viewer: User) -> bool:
    return (
        session.scalar(
            select(Membership.id)
            .where(Membership.user_id == viewer.id, Membership.role == "lead")
            .limit(1)
        )
        is not None
    )


def overview(session: Session, viewer: User, after: str | None = None) -> Overview:
    """The manager page: quiet corners, coverage, gesture budgets and recent gestures, for a
    page of teams (those named after `after`)."""
    page, all_teams = teams_in_view(session, viewer, after, TEAM_PAGE + 1)
    teams = page[:TEAM_PAGE]
    team_ids = [t.id for t in teams]
    # Members as plain (team, id) rows: a team can have hundreds; only the people the page
    # shows (the first quiet ones, those who reported gestures) are loaded as users.
    members = _members(session, team_ids)
    coverage = {t.id: TeamCoverage(team=t, members=t.live_members) for t in teams}
    _add_week_counts(session, viewer, coverage)
    quiet = _count_noticed(session, viewer, members, coverage)
    spent = _spending(session, viewer, team_ids)
    # Only the people the page names become User objects: the quiet ones shown and the
    # first spenders by name (the totals count everyone from the aggregated rows).
    shown = sorted(spent, key=lambda user_id: (spent[user_id][0].lower(), user_id))
    shown = shown[:BUDGET_SHOWN]
    people = _users(session, {u for _t, u, _w in quiet} | set(shown))
    for team_id, user_id, when in quiet:
        coverage[team_id].quiet.append(QuietPerson(people[user_id], when))
    return Overview(
        teams=list(coverage.values()),
        budget=[BudgetRow(people[user_id], *spent[user_id][1:]) for user_id in shown],
        budget_cents=viewer.organisation.gesture_budget_cents,
        gestures=_recent_gestures(session, viewer.org_id, team_ids),
        all_teams=all_teams,
        budget_more=max(len(spent) - BUDGET_SHOWN, 0),
        next_after=teams[-1].name if len(page) > TEAM_PAGE else None,
        budget_totals=_budget_totals(spent.values()),
    )


def _budget_totals(rows: Iterable[tuple[str, int, int, int, int]]) -> tuple[int, int, int, int]:
    """(people, cents) who reported gestures this month, and last month; `rows` as
    `_spending` gives them (name, cents, gestures, last month's cents and gestures)."""
    people = cents = people_before = cents_before = 0
    for _name, spent, gestures, spent_before, gestures_before in rows:
        people, cents = people + bool(gestures), cents + spent
        people_before += bool(gestures_before)
        cents_before += spent_before
    return people, cents, people_before, cents_before


def _count_noticed(
    session: Session,
    viewer: User,
    members: list[tuple[int, int]],
    coverage: dict[int, TeamCoverage],
) -> list[tuple[int, int, datetime | None]]:
    """Count who was noticed in each window and pick each team's quiet people to show:
    longest unseen first, at most QUIET_SHOWN a team (the rest are counted)."""
    now = utcnow()
    others = [(t, u) for t, u in members if u != viewer.id]
    # One statement answers every window: each person's latest noticing of the longest one.
    latest = _latest_noticed_since(session, list(coverage), now - timedelta(days=_WINDOW))
    recent, month = (
        {u for u, when in latest.items() if when >= now - timedelta(days=d)} for d in UNSEEN_DAYS
    )
    quiet_since = now - timedelta(days=QUIET_DAYS)
    unseen = [(t, u) for t, u in others if u not in latest or latest[u] < quiet_since]
    # Their last noticing is in `latest` when it falls in the window; older ones are looked up.
    last = {u: latest[u] for _t, u in unseen if u in latest}
    last |= _last_noticed(session, list({u for _t, u in unseen if u not in latest}))
    for team_id, user_id in others:
        cover = coverage[team_id]
        cover.people += 1
        cover.noticed_14 += user_id in recent
        cover.noticed_30 += user_id in month
    # Longest unseen first: those are the people a word from the manager helps most.
    unseen.sort(key=lambda tu: (tu[1] in last, last.get(tu[1]) or now))
    shown: list[tuple[int, int, datetime | None]] = []
    per_team: dict[int, int] = {}
    for team_id, user_id in unseen:
        if per_team.get(team_id, 0) < QUIET_SHOWN:
            per_team[team_id] = per_team.get(team_id, 0) + 1
            shown.append((team_id, user_id, last.get(user_id)))
        else:
            coverage[team_id].quiet_more += 1
    return shown


def _members(session: Session, team_ids: list[int]) -> list[tuple[int, int]]:
    """(team id, user id) of the live members of these teams, by name."""
    if not team_ids:
        return []
    rows = session.execute(memberships_of(team_ids, live=True).order_by(User.name, User.id))
    return [(team_id, user_id) for team_id, user_id in rows]


def _users(session: Session, user_ids: set[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}


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


def _latest_noticed_since(
    session: Session, team_ids: list[int], since: datetime
) -> dict[int, datetime]:
    """The latest live kudos or recognition received since `since` by each member of the
    teams who received any: recent rows of the (receiver, created_at) indexes, grouped by
    the database."""
    if not team_ids:
        return {}
    # Former members too: cheaper to ask, and only live members' rows are ever read.
    people = members_of(team_ids)
    noticed = union_all(
        select(Kudos.receiver_id.label("person"), Kudos.created_at.label("at")).where(
            Kudos.receiver_id.in_(people), Kudos.created_at >= since, Kudos.reversed_at.is_(None)
        ),
        select(Recognition.recipient_id, Recognition.created_at).where(
            Recognition.recipient_id.in_(people), Recognition.created_at >= since
        ),
    ).subquery()
    rows = session.execute(
        select(noticed.c.person, func.max(noticed.c.at)).group_by(noticed.c.person)
    )
    return {person: as_utc(when) for person, when in rows if when is not None}


def _last_noticed(session: Session, user_ids: list[int]) -> dict[int, datetime]:
    """The latest live kudos or recognition each person received: per person, the newest
    row of an index (receiver, created_at), never a scan of everyone's kudos."""
    if not user_ids:
        return {}
    kudos = (
        select(Kudos.created_at)
        .where(Kudos.receiver_id == User.id, Kudos.reversed_at.is_(None))
        .order_by(Kudos.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    recognition = (
        select(Recognition.created_at)
        .where(Recognition.recipient_id == User.id)
        .order_by(Recognition.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    last: dict[int, datetime] = {}
    rows = session.execute(select(User.id, kudos, recognition).where(User.id.in_(user_ids)))
    for user_id, *whens in rows:
        found = [as_utc(when) for when in whens if when is not None]
        if found:
            last[user_id] = max(found)
    return last


def _spending(
    session: Session, viewer: User, team_ids: list[int]
) -> dict[int, tuple[str, int, int, int, int]]:
    """Name and gesture spending (cents, gestures) this month and last month of the live
    members of these teams who reported any. Last month's column keeps the table telling a
    story on the 1st."""
    if not team_ids:
        return {}
    tz = viewer.organisation.timezone
    this_month = month_start(local_date(utcnow(), tz))
    start = local_midnight_utc(this_month, tz)
    last_start = local_midnight_utc(month_start(this_month - timedelta(days=1)), tz)
    cost, this = Moment.gesture_cost_cents, Moment.created_at >= start
    last = Moment.created_at < start
    live = members_of(team_ids, live=True)
    spent = session.execute(
        select(
            Moment.author_id,
            func.min(User.name),
            func.sum(case((this, cost), else_=0)),
            func.count(case((this, Moment.id))),
            func.sum(case((last, cost), else_=0)),
            func.count(case((last, Moment.id))),
        )
        .join(User, User.id == Moment.author_id)
        .where(Moment.author_id.in_(live), Moment.created_at >= last_start)
        .where(Moment.deleted_at.is_(None), cost > 0)
        .group_by(Moment.author_id)
    )
    return {
        user_id: (name, int(a or 0), int(b or 0), int(c or 0), int(d or 0))
        for user_id, name, a, b, c, d in spent
    }


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
    recognition = recognize(session, manager, data)
    # The recipient's team channels hear it once the entry point commits (channels.delivery).
    announce_recognition(session, recognition)
    return recognition
