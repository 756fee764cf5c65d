"""Standings: the team board (points per member) and a person's private view of their team.

Every figure is read from the standings the ledger keeps per person and team, per week, month
and all time (`webapp.points.standings`): the board is one row per team and a team's view
one row per member, however long the history grows. Individual standings are private: a
person sees the top of their team (as recognition), themselves and the person just above
them, never anyone below them outside the top five and never who is last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from webapp.models import Membership, Organisation, Team, TeamPoints, User, UserPoints
from webapp.models.points import ALL_TIME
from webapp.orgs.services import teams_of
from webapp.timeutil import local_date, month_start, utcnow, week_start

PERIODS = ("week", "month", "all")
DEFAULT_PERIOD = "week"
TOP = 5
BOARD_PAGE = 20  # teams per page of the board: a chain's 200 teams are ten pages


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

    @cached_property
    def per_member(self) -> float:
        return round(self.points / self.members, 1) if self.members else 0.0

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def period_key(org: Organisation, period: str) -> date:
    """The `starts_on` of the current `period`'s standings rows."""
    return period_start(org, period) or ALL_TIME


def team_board(session: Session, org: Organisation, period: str) -> list[TeamStanding]:
    """Every team of `org`: ranked teams first (per member, total, name), then the teams
    too small to rank (by name). One query: a row per team."""
    rows = session.execute(
        select(Team.id, Team.name, Team.live_members, func.coalesce(TeamPoints.points, 0))
        .outerjoin(
            TeamPoints,
            and_(
                TeamPoints.team_id == Team.id,
                TeamPoints.period == period,
                TeamPoints.starts_on == period_key(org, period),
            ),
        )
        .where(Team.org_id == org.id)
    ).all()
    big = [r for r in rows if r[2] >= max(org.min_team_size, 1)]
    small = [r for r in rows if r[2] < max(org.min_team_size, 1)]
    # Exact fractions, so the tie-break never depends on float rounding.
    big.sort(key=lambda r: (-Fraction(int(r[3]), r[2]), -int(r[3]), r[1], r[0]))  # once each
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
    """What one person sees of a team: the top (recognition), themselves, the person above.

    `rows` is in rank order; a None entry is a gap ("…") between the top and the viewer.
    """

    team_id: int
    team_name: str
    rows: list[PersonStanding | None] = field(default_factory=list)
    me: PersonStanding | None = None
    hidden_me: bool = False  # the viewer left the individual boards

    @property
    def only_me(self) -> bool:
        """The viewer is last: they see their own place, and no one else's."""
        shown = [row for row in self.rows if row is not None]
        return len(shown) == 1 and shown[0].is_me


def _member_points(session: Session, team: Team, period: str) -> list[tuple]:
    """(id, name, hidden, points) of a team's live members, best first, ties by name, id."""
    total = func.coalesce(UserPoints.points, 0)
    query = (
        select(User.id, User.name, User.hide_from_boards, total)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(
            UserPoints,
            and_(
                UserPoints.user_id == User.id,
                UserPoints.period == period,
                UserPoints.starts_on == period_key(team.organisation, period),
            ),
        )
        .where(
            Membership.team_id == team.id,
            User.org_id == team.org_id,
            User.active,
            User.deleted_at.is_(None),
        )
        .order_by(total.desc(), User.name, User.id)
    )
    return [tuple(row) for row in session.execute(query).all()]


def team_standing_for(session: Session, user: User, team: Team, period: str) -> TeamView:
    """`user`'s view of `team` (see `view_of`). People who left the boards are invisible
    to others."""
    return view_of(team.id, team.name, _member_points(session, team, period), user.id)


def view_of(team_id: int, team_name: str, rows: list[tuple], my_id: int) -> TeamView:
    """What the person `my_id` sees of a team's `rows` ((id, name, hidden, points), best
    first): the top five as recognition, themselves and the person just above them; never
    anyone below them outside the top five, and never who is last; a person who is last
    sees only themselves."""
    hidden_me = any(r[0] == my_id and r[2] for r in rows)
    # Ranks count only the people on the board, so a hidden colleague leaves no trace.
    standings = _ranked([r for r in rows if not r[2]], my_id)
    mine = next((i for i, s in enumerate(standings) if s.is_me), None)
    shown = visible_positions([s.points for s in standings], mine)
    me = standings[mine] if mine is not None else None
    return TeamView(team_id, team_name, _with_gaps(standings, shown), me, hidden_me)


def _ranked(rows: list[tuple], my_id: int) -> list[PersonStanding]:
    """Standings in board order; equal points share a rank (1, 2, 2, 4)."""
    standings: list[PersonStanding] = []
    for position, (uid, name, _hidden, points) in enumerate(rows):
        ahead = standings[-1] if standings else None
        tied = ahead is not None and ahead.points == int(points)
        rank = ahead.rank if tied and ahead is not None else position + 1
        standings.append(
            PersonStanding(rank, uid, name, _initials(name), int(points), uid == my_id)
        )
    return standings


def visible_positions(points: list[int], me: int | None) -> list[int]:
    """The positions (0-based, in board order, best first) shown to the person at `me`
    (None: not on the board): the top five with points, never who is last; the viewer and
    the person just above them. Last (the fewest points, ties included) sees only
    themselves."""
    if not points:
        return []
    lowest = min(points)
    if me is not None and points[me] == lowest:
        return [me]
    shown = {i for i in range(min(TOP, len(points))) if 0 < points[i] != lowest}
    if me is not None:
        shown |= {me, me - 1} - {-1}
    return sorted(shown)


def _with_gaps(standings: list[PersonStanding], shown: list[int]) -> list[PersonStanding | None]:
    rows: list[PersonStanding | None] = []
    following = 0
    for position in shown:
        if position > following:
            rows.append(None)
        rows.append(standings[position])
        following = position + 1
    return rows


def _initials(name: str) -> str:
    # The same letters as `User.initials`, without loading whole users for the board.
    parts = [p for p in name.split() if p[:1].isalpha()]
    letters = (parts[0][:1] + parts[-1][:1]) if len(parts) > 1 else name[:2]
    return letters.upper()


def person_points(session: Session, user: User, period: str) -> int:
    """`user`'s points in `period`: one row of their standings."""
    return points_by_period(session, user, (period,))[period]


def points_by_period(session: Session, user: User, periods: tuple[str, ...]) -> dict[str, int]:
    """`user`'s points in each of `periods`: their rows of the standings, in one statement."""
    org = user.organisation
    keys = [(period, period_key(org, period)) for period in periods]
    rows = session.execute(
        select(UserPoints.period, UserPoints.starts_on, UserPoints.points).where(
            UserPoints.user_id == user.id,
            or_(*(and_(UserPoints.period == p, UserPoints.starts_on == k) for p, k in keys)),
        )
    )
    found = {(period, starts_on): int(points or 0) for period, starts_on, points in rows}
    return {period: found.get((period, key), 0) for period, key in keys}


@dataclass(frozen=True)
class Leaderboard:
    """The leaderboard page: the team board and the viewer's own teams."""

    period: str
    teams: list[TeamStanding]
    my_team_ids: set[int]
    my_teams: list[TeamView]
    min_team_size: int
    start: int = 1  # the first rank on this page

    @cached_property
    def ranked(self) -> list[TeamStanding]:
        return [t for t in self.teams if t.ranked]

    @cached_property
    def shown(self) -> list[TeamStanding]:
        """The ranked teams on this page."""
        return self.ranked[self.start - 1 : self.start - 1 + BOARD_PAGE]

    @cached_property
    def mine_elsewhere(self) -> list[TeamStanding]:
        """The viewer's ranked teams that are on another page: always shown."""
        shown = {t.team_id for t in self.shown}
        return [t for t in self.ranked if t.team_id in self.my_team_ids and t.team_id not in shown]

    @property
    def next_start(self) -> int | None:
        following = self.start + BOARD_PAGE
        return following if following <= len(self.ranked) else None

    @property
    def previous_start(self) -> int | None:
        return max(self.start - BOARD_PAGE, 1) if self.start > 1 else None

    @cached_property
    def too_small(self) -> list[TeamStanding]:
        return [t for t in self.teams if not t.ranked]

    @cached_property
    def top_per_member(self) -> float:
        # The board is ranked per member: the first ranked team has the most (computed
        # once, not per row: the template reads it for every team).
        ranked = next((t for t in self.teams if t.ranked), None)
        best = ranked.per_member if ranked is not None else 0.0
        return best if best > 0 else 1.0


def leaderboard_for(session: Session, user: User, period: str, start: int = 1) -> Leaderboard:
    """Everything the leaderboard page shows `user` for `period`, a page of teams from rank
    `start` (and the viewer's own teams wherever they stand)."""
    org = user.organisation
    mine = teams_of(session, user)
    return Leaderboard(
        period=period,
        teams=team_board(session, org, period),
        my_team_ids={t.id for t in mine},
        my_teams=[team_standing_for(session, user, t, period) for t in mine],
        min_team_size=org.min_team_size,
        start=max(start, 1),
    )
