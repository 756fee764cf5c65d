"""The demo planner at the calendar's edges: pure Python, so every edge instant is cheap."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.clock import EDGES, month_has_working_time
from webapp.demo import content
from webapp.demo.plan import BUDGET, STAFF1, MomentPlan, Planner
from webapp.timeutil import local_date, month_start

TZ = ZoneInfo(content.ORGANISATION["timezone"])
WEEKS = 5


def plan_at(now: datetime, rng_seed: int = 7) -> tuple[Planner, list[MomentPlan]]:
    planner = Planner(random.Random(rng_seed), now, WEEKS)
    plans = planner.plan()
    return planner, [p for p in plans if isinstance(p, MomentPlan)]


def month_of(at: datetime) -> date:
    return month_start(local_date(at, TZ.key))


@pytest.fixture(params=list(EDGES.values()), ids=list(EDGES))
def now(request: pytest.FixtureRequest) -> datetime:
    return request.param


def test_every_moment_is_in_working_hours_and_in_the_past(now):
    planner, moments = plan_at(now)
    assert moments
    for moment in moments:
        assert planner.opening() < moment.at < now - timedelta(minutes=9)
        assert 7 <= moment.at.astimezone(TZ).hour < 21
    assert all(local_date(m.at, TZ.key) != planner.today for m in moments if m.author == STAFF1)


def test_this_months_gestures_land_in_this_month_when_it_has_working_time(now):
    _, moments = plan_at(now)
    gestures = [m for m in moments if m.text["gesture_cost_cents"]]
    this_month = [m for m in gestures if month_of(m.at) == month_of(now)]
    if month_has_working_time(now, TZ.key):
        # Several spenders: the manager's budget table has a story this month.
        assert len({m.author for m in this_month}) >= 3
        cues = [m.text["cue"] for m in this_month]
        assert len(cues) == len(set(cues))
    else:
        # Before the month's first working hour nothing happened in it yet; last month's
        # gestures are what the budget table's "last month" column shows.
        assert not [m for m in moments if month_of(m.at) == month_of(now)]
        last_month = [m for m in gestures if month_of(m.at) < month_of(now)]
        assert len({m.author for m in last_month}) >= 3


def test_nobody_spends_more_than_the_budget_in_any_month(now):
    _, moments = plan_at(now)
    spent: Counter[tuple[str, date]] = Counter()
    for moment in moments:
        spent[moment.author, month_of(moment.at)] += int(moment.text["gesture_cost_cents"] or 0)
    assert spent and max(spent.values()) <= BUDGET


@pytest.mark.parametrize("rng_seed", range(20))
def test_the_first_morning_of_a_month_has_gestures_whatever_the_dice(rng_seed):
    # At 10:30 on the 1st a random working time often falls after now: retry, don't
    # fall back to the previous month.
    now = EDGES["month-start-morning"]
    _, moments = plan_at(now, rng_seed)
    this_month = [
        m for m in moments if m.text["gesture_cost_cents"] and month_of(m.at) == month_of(now)
    ]
    assert len({m.author for m in this_month}) >= 3
