"""Seasons: derived from dates, tiling the calendar; fresh standings; winners per member."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.clock import edges
from tests.factories import make_user
from tests.game_support import badge_keys, log, thank
from webapp.demo.seed import seed_game_demo
from webapp.extensions import db
from webapp.game import season_results, seasons
from webapp.game.challenges import ChallengeInput, create_challenge
from webapp.game.season_results import settle
from webapp.models import Challenge, Season
from webapp.timeutil import frozen_time, utcnow

# Seasons are calendar months and weeks start on Monday, in the organisation's time zone.
CALENDAR = pytest.mark.parametrize(
    "clock",
    edges("mid-month", "month-start", "month-and-week-start", "new-year", "dst-spring", "leap-day"),
    indirect=True,
)


def test_add_months():
    assert seasons.add_months(date(2025, 11, 1), 3) == date(2026, 2, 1)
    assert seasons.add_months(date(2025, 1, 1), -1) == date(2024, 12, 1)
    assert seasons.add_months(date(2025, 1, 15), 0) == date(2025, 1, 1)


@CALENDAR
def test_default_season_is_the_current_calendar_month(clock, app, world):
    all_seasons = seasons.ensure_seasons(db.session, world.org)
    today = seasons.today_for(world.org)
    current = all_seasons[-1]
    assert current.starts_on == today.replace(day=1)
    assert current.ends_on == seasons.add_months(today, 1)
    assert current.starts_on <= today < current.ends_on


@CALENDAR
def test_seasons_tile_from_the_earliest_activity_without_gaps(clock, app, world):
    with frozen_time(utcnow() - timedelta(days=95)):
        log(world.staff, world.team)
    all_seasons = seasons.ensure_seasons(db.session, world.org)
    assert len(all_seasons) >= 4
    for before, after in zip(all_seasons, all_seasons[1:], strict=False):
        assert before.ends_on == after.starts_on
    # Idempotent: a second call creates nothing new.
    assert [s.id for s in seasons.ensure_seasons(db.session, world.org)] == [
        s.id for s in all_seasons
    ]


def test_season_length_is_an_organisation_setting(app, world):
    world.org.season_length_months = 3
    db.session.commit()
    current = seasons.ensure_seasons(db.session, world.org)[-1]
    assert seasons.add_months(current.starts_on, 3) == current.ends_on


@CALENDAR
def test_standings_start_fresh_each_season(clock, app, world):
    with frozen_time(utcnow() - timedelta(days=40)):
        log(world.staff, world.team)
    current, past = seasons.seasons_overview(db.session, world.org)
    front = next(s for s in current.standings if s.team.id == world.team.id)
    assert front.points == 0
    earlier = next(
        v for v in past if any(s.points for s in v.standings if s.team.id == world.team.id)
    )
    assert earlier.finished


def test_winner_is_ranked_per_member_and_small_teams_are_not_ranked(app, world):
    # Front desk has 4 members (staff, staff2, manager, admin); Restaurant has 1.
    log(world.staff, world.team)
    log(world.staff3, world.other_team)
    view = seasons.season_view(db.session, world.org, seasons.current_season(db.session, world.org))
    ranked_ids = [s.team.id for s in view.ranked]
    assert world.other_team.id not in ranked_ids  # below min team size 3
    assert ranked_ids == [world.team.id]
    front = view.ranked[0]
    assert front.per_member == front.points / front.members
    assert view.winner is None  # still running


@CALENDAR
def test_past_season_has_a_winner_and_best_stories(clock, app, world):
    with frozen_time(utcnow() - timedelta(days=40)):
        moment = log(world.staff, world.team)
        thank(world.staff2, world.staff, moment_id=moment.id)
    _current, past = seasons.seasons_overview(db.session, world.org)
    view = next(v for v in past if v.winner)
    assert view.winner.team.id == world.team.id
    assert [s.moment.id for s in view.stories] == [moment.id]
    assert view.stories[0].kudos == 1


def test_season_label_is_readable(app, world):
    season = Season(
        org_id=world.org.id, name="x", starts_on=date(2025, 5, 1), ends_on=date(2025, 6, 1)
    )
    assert seasons.season_label(season) == "May 2025"
    season.ends_on = date(2025, 8, 1)
    assert seasons.season_label(season) == "May 2025 – July 2025"


@CALENDAR
def test_team_goal_badge_after_the_season_finishes(clock, app, world):
    past_start = seasons.add_months(seasons.today_for(world.org), -1)
    with frozen_time(datetime.combine(past_start + timedelta(days=2), datetime.min.time(), UTC)):
        create_challenge(
            db.session,
            world.manager,
            ChallengeInput(
                team_id=world.team.id,
                title="Notice returning guests",
                starts_on=past_start,
                last_day=past_start + timedelta(days=5),
                goal=1,
            ),
        )
        log(world.staff2, world.team)
    challenge = db.session.scalar(select(Challenge))
    assert challenge is not None and challenge.reached_at is not None
    closed = settle(db.session, world.org)  # the background job: the last season finished
    db.session.commit()
    assert closed and all(s.closed_at for s in closed)
    assert "season_goal" in badge_keys(world.staff.id)
    assert "season_goal" not in badge_keys(world.staff3.id)  # other team


@CALENDAR
def test_season_goal_in_points_per_member(clock, app, world):
    past_start = seasons.add_months(seasons.today_for(world.org), -1)
    with frozen_time(datetime.combine(past_start + timedelta(days=2), datetime.min.time(), UTC)):
        for _ in range(3):
            log(world.staff, world.team)
    season_list = seasons.ensure_seasons(db.session, world.org)
    past = next(s for s in season_list if s.starts_on == past_start)
    past.team_goal = 1
    db.session.commit()
    assert seasons.team_reached_goal(db.session, world.org, past, world.team)
    past.team_goal = 1000
    assert not seasons.team_reached_goal(db.session, world.org, past, world.team)


@CALENDAR
def test_this_week_is_positive_and_counts(clock, app, world):
    empty = seasons.this_week(db.session, world.staff)
    assert not empty.anything
    log(world.staff, world.team)
    thank(world.staff2, world.staff)
    week = seasons.this_week(db.session, world.staff)
    assert (week.moments, week.kudos_received, week.kudos_given, week.team_moments) == (1, 1, 0, 1)


@pytest.mark.parametrize("clock", edges(), indirect=True)
def test_seed_game_demo(clock, app, world):
    # The last finished season may have had no activity (on the 1st, 35 days ago is two
    # months back): the reached challenge goes to the latest season the team was active in.
    with frozen_time(clock - timedelta(days=35)):
        moment = log(world.staff, world.team)
        thank(world.staff2, world.staff, moment_id=moment.id)
    extra = make_user(db.session, world.org, team=world.other_team)
    make_user(db.session, world.org, team=world.other_team)
    assert extra.id
    db.session.commit()
    seed_game_demo(db.session, world.org)
    found = db.session.scalars(select(Challenge).where(Challenge.org_id == world.org.id)).all()
    today = seasons.today_for(world.org)
    running = [c for c in found if c.starts_on <= today < c.ends_on]
    assert {c.team_id for c in running} == {world.team.id, world.other_team.id}
    assert any(c.reached_at for c in found if c.ends_on <= today)
    assert {"first_moment", "recognized"} & badge_keys(world.staff.id)
    assert "season_goal" in badge_keys(world.staff.id)


def test_a_closed_season_keeps_its_results_and_the_page_reads_them(app, world):
    with frozen_time(utcnow() - timedelta(days=40)):
        moment = log(world.staff, world.team)
        thank(world.staff2, world.staff, moment_id=moment.id)
    assert not season_results.settled(db.session, world.org)
    settle(db.session, world.org)
    db.session.commit()
    assert season_results.settled(db.session, world.org)
    found = season_results.overview(db.session, world.org)
    assert not found.missing
    winner = next(v for v in found.past if v.winner)
    assert winner.winner.team.id == world.team.id
    page = season_results.season_page(db.session, world.org, winner.season.id)
    assert [s.moment.id for s in page.stories] == [moment.id] and page.stories[0].kudos == 1
    # Settling again changes nothing: a closed season is closed once.
    assert settle(db.session, world.org) == []


def test_the_running_season_reads_the_teams_monthly_standings(app, world):
    log(world.staff, world.team)
    settle(db.session, world.org)
    db.session.commit()
    running = season_results.overview(db.session, world.org).running
    front = next(s for s in running.standings if s.team.id == world.team.id)
    computed = seasons.season_view(db.session, world.org, running.season)
    same = next(s for s in computed.standings if s.team.id == world.team.id)
    assert (front.points, front.members) == (same.points, same.members) == (10, same.members)
