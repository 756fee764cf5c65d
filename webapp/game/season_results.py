"""Season results, computed in the background and read by the seasons pages.

`settle` is a job's work for one organisation (`webapp.game.jobs`): it creates the seasons
the calendar reached, closes every finished season once (final standings, best stories, the
team-goal badge for the members of the teams that reached the goal) and gathers the running
season's best stories. The pages read what it stored, and the running season's standings
from the teams' monthly standings (`team_points`): a fixed handful of queries however long
the history is, and never a write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from webapp.game import badges
from webapp.game.seasons import (
    SeasonView,
    Story,
    TeamStanding,
    add_months,
    best_stories,
    ensure_seasons,
    season_label,
    team_standings,
    today_for,
)
from webapp.models import (
    Challenge,
    Membership,
    Moment,
    Organisation,
    Season,
    SeasonResult,
    SeasonStory,
    Team,
    TeamPoints,
    User,
)
from webapp.models.points import PERIOD_MONTH
from webapp.timeutil import utcnow

TOP_TEAMS = 10  # teams shown on the seasons list
SEASON_TEAMS = 50  # teams shown on a season's own page


# Settling (a background job) ----------------------------------------------------------------


def settle(session: Session, org: Organisation) -> list[Season]:
    """Create missing seasons, close the finished ones, refresh the running season's stories.
    Idempotent; returns the seasons closed now."""
    seasons = ensure_seasons(session, org)
    today = today_for(org)
    closed = [s for s in seasons if s.ends_on <= today and s.closed_at is None]
    for season in closed:
        close(session, org, season)
    gather_stories(session, org, seasons[-1])
    return closed


def close(session: Session, org: Organisation, season: Season) -> None:
    """Store a finished season's final standings and stories; award the team-goal badge.
    Claimed first (one conditional UPDATE), so two workers never close it twice."""
    claimed = session.execute(
        update(Season)
        .where(Season.id == season.id, Season.closed_at.is_(None))
        .values(closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        return
    standings = team_standings(session, org, season.starts_on, season.ends_on)
    reached_by_challenge = _challenge_reachers(session, org, season)
    session.execute(delete(SeasonResult).where(SeasonResult.season_id == season.id))
    rank, rows, reachers = 0, [], []
    for standing in standings:
        rank += 1 if standing.eligible else 0
        reached = standing.team.id in reached_by_challenge or bool(
            season.team_goal and standing.per_member >= season.team_goal
        )
        if reached:
            reachers.append(standing.team.id)
        rows.append(
            {
                "season_id": season.id,
                "team_id": standing.team.id,
                "members": standing.members,
                "points": standing.points,
                "rank": rank if standing.eligible else None,
                "reached_goal": reached,
            }
        )
    if rows:
        session.execute(insert(SeasonResult), rows)
    gather_stories(session, org, season)
    session.refresh(season)
    badges.award_to(session, _live_members(session, reachers), "season_goal")


def _challenge_reachers(session: Session, org: Organisation, season: Season) -> set[int]:
    return set(
        session.scalars(
            select(Challenge.team_id).where(
                Challenge.org_id == org.id,
                Challenge.reached_at.is_not(None),
                Challenge.starts_on >= season.starts_on,
                Challenge.starts_on < season.ends_on,
            )
        )
    )


def _live_members(session: Session, team_ids: list[int]) -> list[int]:
    if not team_ids:
        return []
    return list(
        session.scalars(
            select(Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id.in_(team_ids), User.active, User.deleted_at.is_(None))
            .distinct()
        )
    )


def gather_stories(session: Session, org: Organisation, season: Season) -> None:
    """Store the season's best stories as they stand now."""
    session.execute(delete(SeasonStory).where(SeasonStory.season_id == season.id))
    stories = best_stories(session, org, season)
    if stories:
        session.execute(
            insert(SeasonStory),
            [
                {"season_id": season.id, "moment_id": s.moment.id, "kudos": s.kudos, "position": i}
                for i, s in enumerate(stories)
            ],
        )
    season.stories_at = utcnow()


# Reading (the pages) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """The seasons page: the running season and the past ones, newest first."""

    running: SeasonView
    past: list[SeasonView]
    missing: bool  # the calendar reached a season the job has not made yet


def overview(session: Session, org: Organisation) -> Overview:
    """What /seasons shows, from stored results: a fixed number of queries."""
    seasons = list(
        session.scalars(select(Season).where(Season.org_id == org.id).order_by(Season.starts_on))
    )
    today = today_for(org)
    current = (
        seasons[-1] if seasons and seasons[-1].starts_on <= today < seasons[-1].ends_on else None
    )
    missing = current is None
    running = current or _virtual_season(org, seasons, today)
    winners = _winners(session, [s.id for s in seasons if s.closed_at is not None])
    past = [
        _past_view(season, winners.get(season.id))
        for season in reversed(seasons)
        if season.ends_on <= today
    ]
    return Overview(_running_view(session, org, running, with_stories=False), past, missing)


def settled(session: Session, org: Organisation) -> bool:
    """Has the job made the running season, and closed every finished one? (One query.)"""
    today = today_for(org)
    unsettled = session.scalar(
        select(func.count(Season.id)).where(
            Season.org_id == org.id, Season.ends_on <= today, Season.closed_at.is_(None)
        )
    )
    current = session.scalar(
        select(Season.id).where(
            Season.org_id == org.id, Season.starts_on <= today, Season.ends_on > today
        )
    )
    return not unsettled and current is not None


def season_page(session: Session, org: Organisation, season_id: int) -> SeasonView | None:
    """One season of the organisation (None: not one of its seasons)."""
    season = session.get(Season, season_id)
    if season is None or season.org_id != org.id:
        return None
    if season.closed_at is None:
        return _running_view(session, org, season, with_stories=True)
    results = session.execute(
        select(SeasonResult, Team)
        .join(Team, Team.id == SeasonResult.team_id)
        .where(SeasonResult.season_id == season.id)
        .order_by(SeasonResult.rank.is_(None), SeasonResult.rank, Team.name, Team.id)
    ).all()
    standings = [
        TeamStanding(team=team, members=r.members, points=r.points, eligible=r.rank is not None)
        for r, team in results
    ]
    return SeasonView(season, season_label(season), True, standings, _stories(session, season))


def _virtual_season(org: Organisation, seasons: list[Season], today: date) -> Season:
    # Shown until the job creates it: derived from the calendar, never written here.
    length = max(org.season_length_months or 1, 1)
    start = seasons[-1].ends_on if seasons else today.replace(day=1)
    while add_months(start, length) <= today:
        start = add_months(start, length)
    return Season(
        org_id=org.id, name=f"{start:%Y-%m}", starts_on=start, ends_on=add_months(start, length)
    )


def _running_view(
    session: Session, org: Organisation, season: Season, with_stories: bool
) -> SeasonView:
    points = func.coalesce(func.sum(TeamPoints.points), 0)
    rows = session.execute(
        select(Team, points)
        .outerjoin(
            TeamPoints,
            and_(
                TeamPoints.team_id == Team.id,
                TeamPoints.period == PERIOD_MONTH,
                TeamPoints.starts_on >= season.starts_on,
                TeamPoints.starts_on < season.ends_on,
            ),
        )
        .where(Team.org_id == org.id)
        .group_by(Team.id)
    ).all()
    standings = sorted(
        (
            TeamStanding(
                team=team,
                members=team.live_members,
                points=int(total),
                eligible=team.live_members >= org.min_team_size,
            )
            for team, total in rows
        ),
        key=lambda s: (not s.eligible, -s.per_member, -s.points, s.team.name, s.team.id),
    )
    finished = season.ends_on <= today_for(org)
    stories = _stories(session, season) if with_stories and season.id else []
    return SeasonView(season, season_label(season), finished, standings, stories)


def _winners(session: Session, season_ids: list[int]) -> dict[int, tuple[Team, SeasonResult]]:
    if not season_ids:
        return {}
    rows = session.execute(
        select(SeasonResult, Team)
        .join(Team, Team.id == SeasonResult.team_id)
        .where(SeasonResult.season_id.in_(season_ids), SeasonResult.rank == 1)
    ).all()
    return {result.season_id: (team, result) for result, team in rows}


def _past_view(season: Season, winner: tuple[Team, SeasonResult] | None) -> SeasonView:
    standings = []
    if winner is not None:
        team, result = winner
        standings = [TeamStanding(team, result.members, result.points, True)]
    return SeasonView(season, season_label(season), True, standings, [])


def _stories(session: Session, season: Season) -> list[Story]:
    rows = session.execute(
        select(SeasonStory, Moment)
        .join(Moment, Moment.id == SeasonStory.moment_id)
        .where(SeasonStory.season_id == season.id)
        .options(selectinload(Moment.author), selectinload(Moment.team))
        .order_by(SeasonStory.position)
    ).all()
    return [Story(moment, story.kudos) for story, moment in rows]
