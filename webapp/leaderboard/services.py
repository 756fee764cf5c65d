"""Standings: the team board (points per member) and a person's private view of their team.

Every figure is read from the `points_daily` roll-up, never the raw ledger, so the boards
stay one indexed GROUP BY each however long the history grows. Individual standings are
private: a person sees the top of their team (as recognition), themselves and the people
right next to them, never the bottom of the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from webapp.models import Membership, Organisation, PointsDaily, Team, User
from webapp.orgs.services import teams_of
from webapp.points import ledger
from webapp.timeutil import local_date, month_start, utcnow, week_start

PERIODS = ("week", "month", "all")
DEFAULT_PERIOD = "week"
TOP = 5


def period_start(org: Organisation, period: str) -> date | None:
    """The first local day of `period` in the organisation's time zone (None: all time)."""
    today = local_date(utcnow(), org.timezone)
    if period == "week":
        return week_start(today)
    if period == "month":
        return month_start(today)
    return None


@dataclass(frozen=True)
class TeamStanding:
    """A team in a period: its members, their points, and per member (how teams rank)."""

    team_id: int
    name: str
    members: int
    points: int
    rank: int | None  # None: too small to rank

    @property
    def per_member(self) -> float:
        return round(self.points / self.members, 1) if self.members else 0.0

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def _points_in_period(org_id: int, since: date | None) -> Subquery:
    """Subquery: each person's points since `since`, from the daily roll-up."""
    query = select(
        PointsDaily.user_id.label("user_id"), func.sum(PointsDaily.points).label("points")
    ).where(PointsDaily.org_id == org_id)
    if since is not None:
        query = query.where(PointsDaily.day >= since)
    return query.group_by(PointsDaily.user_id).subquery("period_points")


def _live_members(org_id: int) -> Subquery:
    """Subquery: (team, person) for active, not deleted people of the organisation."""
    return (
        select(Membership.team_id.label("team_id"), Membership.user_id.label("user_id"))
        .join(User, User.id == Membership.user_id)
        .where(User.org_id == org_id, User.active, User.deleted_at.is_(None))
        .subquery("live_members")
    )


def team_board(session: Session, org: Organisation, period: str) -> list[TeamStanding]:
    """Every team of `org`: ranked teams first (per member, total, name), then the teams
    too small to rank (by name). One query, grouped by team."""
    points = _points_in_period(org.id, period_start(org, period))
    members = _live_members(org.id)
    rows = session.execute(
        select(
            Team.id,
            Team.name,
            func.count(members.c.user_id),
            func.coalesce(func.sum(points.c.points), 0),
        )
        .outerjoin(members, members.c.team_id == Team.id)
        .outerjoin(points, points.c.user_id == members.c.user_id)
        .where(Team.org_id == org.id)
        .group_by(Team.id, Team.name)
    ).all()
    big = [r for r in rows if r[2] >= max(org.min_team_size, 1)]
    small = [r for r in rows if r[2] < max(org.min_team_size, 1)]
    # Exact fractions, so the tie-break never depends on float rounding.
    big.sort(key=lambda r: (-Fraction(int(r[3]), r[2]), -int(r[3]), r[1], r[0]))
    small.sort(key=lambda r: (r[1], r[0]))
    ranked = [TeamStanding(r[0], r[1], r[2], int(r[3]), rank) for rank, r in enumerate(big, 1)]
    return ranked + [TeamStanding(r[0], r[1], r[2], int(r[3]), None) for r in small]


@dataclass(frozen=True)
class PersonStanding:
    """One person's row in a team's standings."""

    rank: int
    user_id: int
    name: str
    initials: str
    points: int
    is_me: bool


@dataclass(frozen=True)
class TeamView:
    """What one person sees of a team: the top (recognition), themselves, their neighbours.

    `rows` is in rank order; a None entry is a gap ("…") between the top and the viewer.
    """

    team_id: int
    team_name: str
    rows: list[PersonStanding | None] = field(default_factory=list)
    me: PersonStanding | None = None
    hidden_me: bool = False  # the viewer left the individual boards


def _member_points(session: Session, team: Team, since: date | None) -> list[tuple]:
    """(id, name, hidden, points) of a team's live members, best first, ties by name, id."""
    day_filter = [PointsDaily.user_id == User.id]
    if since is not None:
        day_filter.append(PointsDaily.day >= since)
    total = func.coalesce(func.sum(PointsDaily.points), 0)
    query = (
        select(User.id, User.name, User.hide_from_boards, total)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(PointsDaily, and_(*day_filter))
        .where(
            Membership.team_id == team.id,
            User.org_id == team.org_id,
            User.active,
            User.deleted_at.is_(None),
        )
        .group_by(User.id, User.name, User.hide_from_boards)
        .order_by(total.desc(), User.name, User.id)
    )
    return [tuple(row) for row in session.execute(query).all()]


def team_standing_for(session: Session, user: User, team: Team, period: str) -> TeamView:
    """`user`'s view of `team`: the top five, their own position and the person directly
    above and below them. People who left the boards are invisible to others."""
    rows = _member_points(session, team, period_start(team.organisation, period))
    hidden_me = any(r[0] == user.id and r[2] for r in rows)
    # Ranks count only the people on the board, so a hidden colleague leaves no trace.
    visible = [r for r in rows if not r[2]]
    standings = [
        PersonStanding(rank, uid, name, _initials(name), int(points), uid == user.id)
        for rank, (uid, name, _hidden, points) in enumerate(visible, 1)
    ]
    me = next((s for s in standings if s.is_me), None)
    shown = {s.rank for s in standings[:TOP] if s.points > 0}
    if me is not None:
        shown |= {me.rank - 1, me.rank, me.rank + 1} & set(range(1, len(standings) + 1))
    return TeamView(team.id, team.name, _with_gaps(standings, shown), me, hidden_me)


def _with_gaps(standings: list[PersonStanding], shown: set[int]) -> list[PersonStanding | None]:
    rows: list[PersonStanding | None] = []
    previous = 0
    for rank in sorted(shown):
        if rank > previous + 1:
            rows.append(None)
        rows.append(standings[rank - 1])
        previous = rank
    return rows


def _initials(name: str) -> str:
    # The same letters as `User.initials`, without loading whole users for the board.
    parts = [p for p in name.split() if p[:1].isalpha()]
    letters = (parts[0][:1] + parts[-1][:1]) if len(parts) > 1 else name[:2]
    return letters.upper()


def person_points(session: Session, user: User, period: str) -> int:
    """`user`'s points in `period`, from the daily roll-up."""
    return ledger.total_points(session, user.id, since=period_start(user.organisation, period))


@dataclass(frozen=True)
class Leaderboard:
    """The leaderboard page: the team board and the viewer's own teams."""

    period: str
    teams: list[TeamStanding]
    my_team_ids: set[int]
    my_teams: list[TeamView]
    min_team_size: int

    @property
    def ranked(self) -> list[TeamStanding]:
        return [t for t in self.teams if t.ranked]

    @property
    def too_small(self) -> list[TeamStanding]:
        return [t for t in self.teams if not t.ranked]

    @property
    def top_per_member(self) -> float:
        best = max((t.per_member for t in self.ranked), default=0.0)
        return best if best > 0 else 1.0


def leaderboard_for(session: Session, user: User, period: str) -> Leaderboard:
    """Everything the leaderboard page shows `user` for `period`."""
    org = user.organisation
    mine = teams_of(session, user)
    return Leaderboard(
        period=period,
        teams=team_board(session, org, period),
        my_team_ids={t.id for t in mine},
        my_teams=[team_standing_for(session, user, t, period) for t in mine],
        min_team_size=org.min_team_size,
    )
