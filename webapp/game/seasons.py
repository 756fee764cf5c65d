"""Seasons: consecutive periods that tile the calendar, so standings start fresh each season.

Seasons are derived from dates and created lazily (`ensure_seasons`): the first starts on
the first of the month of the organisation's earliest activity, each lasts the
organisation's `season_length_months`, and each starts where the previous one ended, so
they partition the ledger with no gaps and no overlaps. A season's standings are the
points_daily rows with `starts_on <= day < ends_on`; teams are ranked per member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from webapp.database import insert_for
from webapp.i18n import format_calendar_day
from webapp.models import (
    Challenge,
    Kudos,
    Membership,
    Moment,
    Organisation,
    PointsDaily,
    Season,
    SeasonResult,
    Team,
    User,
)
from webapp.timeutil import local_date, local_midnight_utc, month_start, utcnow, week_start

BEST_STORIES = 3


@dataclass(frozen=True)
class TeamStanding:
    """A team's points in a period, and per member, which is how teams are ranked."""

    team: Team
    members: int
    points: int
    eligible: bool  # at least the organisation's minimum team size

    @property
    def per_member(self) -> float:
        return self.points / self.members if self.members else 0.0


@dataclass(frozen=True)
class Story:
    """A moment of the season and how many kudos it drew."""

    moment: Moment
    kudos: int


@dataclass(frozen=True)
class SeasonView:
    """One season as its page shows it."""

    season: Season
    label: str
    finished: bool
    standings: list[TeamStanding]
    stories: list[Story]

    @property
    def ranked(self) -> list[TeamStanding]:
        return [s for s in self.standings if s.eligible]

    @property
    def winner(self) -> TeamStanding | None:
        ranked = self.ranked
        return ranked[0] if self.finished and ranked and ranked[0].points > 0 else None


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) the month of `day`."""
    years, month = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month + 1, 1)


def today_for(org: Organisation) -> date:
    """Today in the organisation's time zone."""
    return local_date(utcnow(), org.timezone)


def ensure_seasons(session: Session, org: Organisation) -> list[Season]:
    """Create any missing seasons up to the current one; returns them all, oldest first."""
    today = today_for(org)
    length = max(org.season_length_months or 1, 1)
    seasons = _seasons(session, org.id)
    created = False
    if not seasons:
        start = month_start(_earliest_day(session, org, today))
        created = _create(session, org, start, add_months(start, length))
    seasons = _seasons(session, org.id)
    earliest = _earliest_day(session, org, today)
    while seasons[0].starts_on > earliest:
        end = seasons[0].starts_on
        created = _create(session, org, add_months(end, -length), end) or created
        seasons = _seasons(session, org.id)
    while seasons[-1].ends_on <= today:
        start = seasons[-1].ends_on
        created = _create(session, org, start, add_months(start, length)) or created
        seasons = _seasons(session, org.id)
    # A season that finished is closed (standings, stories, the team-goal badge for the
    # teams that reached it) by a background job: `webapp.game.season_results.settle`.
    return seasons


def _seasons(session: Session, org_id: int) -> list[Season]:
    return list(
        session.scalars(select(Season).where(Season.org_id == org_id).order_by(Season.starts_on))
    )


def _earliest_day(session: Session, org: Organisation, today: date) -> date:
    first_points = session.scalar(
        select(func.min(PointsDaily.day)).where(PointsDaily.org_id == org.id)
    )
    candidates = [today, local_date(org.created_at, org.timezone) if org.created_at else today]
    if first_points is not None:
        candidates.append(first_points)
    return min(candidates)


def _create(session: Session, org: Organisation, start: date, end: date) -> bool:
    # Two requests may derive the same season at once: the unique (org, start) keeps one.
    statement = (
        insert_for(session, Season)
        .values(org_id=org.id, name=f"{start:%Y-%m}", starts_on=start, ends_on=end)
        .on_conflict_do_nothing(index_elements=["org_id", "starts_on"])
        .returning(Season.id)
    )
    return session.execute(statement).scalar() is not None


def current_season(session: Session, org: Organisation) -> Season:
    """The season that contains today (created if needed; the caller commits)."""
    return ensure_seasons(session, org)[-1]


def season_label(season: Season) -> str:
    """A readable name: "May 2025", or "May 2025 – July 2025" for longer seasons."""
    first = format_calendar_day(season.starts_on, "MMMM y")
    last = format_calendar_day(season.ends_on - timedelta(days=1), "MMMM y")
    return first if first == last else _("%(first)s – %(last)s", first=first, last=last)


def team_standings(
    session: Session, org: Organisation, starts_on: date | None, ends_on: date | None
) -> list[TeamStanding]:
    """Every team's points in [starts_on, ends_on), ranked per member (small teams last)."""
    members = _members_by_team(session, org.id)
    points = _points_by_user(session, org.id, starts_on, ends_on)
    standings = [
        TeamStanding(
            team=team,
            members=len(ids),
            points=sum(points.get(i, 0) for i in ids),
            eligible=len(ids) >= org.min_team_size,
        )
        for team, ids in members
    ]
    # Deterministic: per member, then total, then name, then id.
    return sorted(
        standings,
        key=lambda s: (not s.eligible, -s.per_member, -s.points, s.team.name, s.team.id),
    )


def _members_by_team(session: Session, org_id: int) -> list[tuple[Team, list[int]]]:
    teams = session.scalars(select(Team).where(Team.org_id == org_id).order_by(Team.name))
    rows = session.execute(
        select(Membership.team_id, User.id)
        .join(User, User.id == Membership.user_id)
        .where(User.org_id == org_id, User.active, User.deleted_at.is_(None))
    ).all()
    by_team: dict[int, list[int]] = {}
    for team_id, user_id in rows:
        by_team.setdefault(team_id, []).append(user_id)
    return [(team, by_team.get(team.id, [])) for team in teams]


def _points_by_user(
    session: Session, org_id: int, starts_on: date | None, ends_on: date | None
) -> dict[int, int]:
    query = select(PointsDaily.user_id, func.sum(PointsDaily.points)).where(
        PointsDaily.org_id == org_id
    )
    if starts_on is not None:
        query = query.where(PointsDaily.day >= starts_on)
    if ends_on is not None:
        query = query.where(PointsDaily.day < ends_on)
    rows = session.execute(query.group_by(PointsDaily.user_id)).all()
    return {user_id: int(total or 0) for user_id, total in rows}


def best_stories(
    session: Session, org: Organisation, season: Season, limit: int = BEST_STORIES
) -> list[Story]:
    """The season's live moments that drew the most (live) kudos."""
    start = local_midnight_utc(season.starts_on, org.timezone)
    end = local_midnight_utc(season.ends_on, org.timezone)
    count = func.count(Kudos.id).label("kudos")
    rows = session.execute(
        select(Moment, count)
        .join(Kudos, Kudos.moment_id == Moment.id)
        .where(
            Moment.org_id == org.id,
            Moment.created_at >= start,
            Moment.created_at < end,
            Moment.deleted_at.is_(None),
            Moment.reversed_at.is_(None),
            Kudos.reversed_at.is_(None),
        )
        .group_by(Moment.id)
        .order_by(count.desc(), Moment.created_at.desc(), Moment.id.desc())
        .limit(limit)
    ).all()
    return [Story(moment, int(kudos)) for moment, kudos in rows]


def season_view(session: Session, org: Organisation, season: Season) -> SeasonView:
    """A season's standings, winner and best stories."""
    return SeasonView(
        season=season,
        label=season_label(season),
        finished=season.ends_on <= today_for(org),
        standings=team_standings(session, org, season.starts_on, season.ends_on),
        stories=best_stories(session, org, season),
    )


def seasons_overview(session: Session, org: Organisation) -> tuple[SeasonView, list[SeasonView]]:
    """The current season and the past ones (newest first); creates missing seasons."""
    seasons = ensure_seasons(session, org)
    current = season_view(session, org, seasons[-1])
    past = [season_view(session, org, s) for s in reversed(seasons[:-1])]
    return current, past


def season_in_org(session: Session, org: Organisation, season_id: int) -> SeasonView | None:
    """One season of the organisation, or None."""
    ensure_seasons(session, org)
    season = session.get(Season, season_id)
    if season is None or season.org_id != org.id:
        return None
    return season_view(session, org, season)


def team_reached_goal(session: Session, org: Organisation, season: Season, team: Team) -> bool:
    """Did `team` reach its goal in `season`: the season goal (points per member), or a
    team challenge of that season?"""
    if season.team_goal:
        for standing in team_standings(session, org, season.starts_on, season.ends_on):
            if standing.team.id == team.id and standing.per_member >= season.team_goal:
                return True
    reached = session.scalar(
        select(Challenge.id).where(
            Challenge.team_id == team.id,
            Challenge.reached_at.is_not(None),
            Challenge.starts_on >= season.starts_on,
            Challenge.starts_on < season.ends_on,
        )
    )
    return reached is not None


def reached_goal_in_finished_season(user: User) -> ColumnElement[bool]:
    """Is `user` in a team that reached its goal in a season that has finished? A condition
    on the results stored when the season closed (the badges ask it with the others)."""
    my_teams = select(Membership.team_id).where(Membership.user_id == user.id)
    return exists(
        select(SeasonResult.id).where(SeasonResult.team_id.in_(my_teams), SeasonResult.reached_goal)
    )


# --- The weekly rhythm ------------------------------------------------------------------


@dataclass(frozen=True)
class WeekSummary:
    """What went well this week: only good news, never a shortfall."""

    moments: int
    kudos_received: int
    kudos_given: int
    team_moments: int

    @property
    def anything(self) -> bool:
        return any((self.moments, self.kudos_received, self.kudos_given, self.team_moments))


def this_week(session: Session, user: User) -> WeekSummary:
    """A person's week so far: moments noticed, kudos received and given, the team's moments."""
    org = user.organisation
    since = local_midnight_utc(week_start(today_for(org)), org.timezone)
    live = (Moment.deleted_at.is_(None), Moment.reversed_at.is_(None), Moment.created_at >= since)
    my_teams = select(Membership.team_id).where(Membership.user_id == user.id)

    def count(query: object) -> int:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]

    kudos_live = (Kudos.reversed_at.is_(None), Kudos.created_at >= since)
    return WeekSummary(
        moments=count(select(func.count(Moment.id)).where(Moment.author_id == user.id, *live)),
        kudos_received=count(
            select(func.count(Kudos.id)).where(Kudos.receiver_id == user.id, *kudos_live)
        ),
        kudos_given=count(
            select(func.count(func.distinct(Kudos.client_id))).where(
                Kudos.giver_id == user.id, *kudos_live
            )
        ),
        team_moments=count(
            select(func.count(Moment.id)).where(Moment.team_id.in_(my_teams), *live)
        ),
    )
