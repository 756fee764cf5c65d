"""The pure rules, with no database and no HTTP."""

from __future__ import annotations

from datetime import time
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp import rules
from webapp.domain import Conflict, Invalid, NotFound

RULES = rules.PointsRules()


def person(pid: int, org: int = 1, active: bool = True) -> SimpleNamespace:
    return SimpleNamespace(id=pid, org_id=org, is_active=active)


@pytest.mark.parametrize(
    ("rewarded", "outside", "expected"),
    [(0, False, 10), (2, False, 10), (3, False, 0), (9, False, 0), (0, True, 0)],
)
def test_moment_points(app, rewarded, outside, expected):
    assert rules.moment_points(RULES, rewarded, outside) == expected


@given(st.integers(min_value=0, max_value=50))
def test_moment_points_never_exceed_the_cap(rewarded):
    total = sum(rules.moment_points(RULES, n, False) for n in range(rewarded))
    assert total <= RULES.moment_daily_cap * RULES.moment


@given(st.integers(min_value=0, max_value=20))
def test_pair_points_diminish(exchanges):
    now = rules.kudos_received_points(RULES, exchanges)
    later = rules.kudos_received_points(RULES, exchanges + 1)
    assert 0 <= later <= now <= RULES.kudos_received


def test_no_kudos_to_yourself(app):
    with pytest.raises(Invalid):
        rules.check_kudos_receiver(person(1), person(1))


@pytest.mark.parametrize("receiver", [None, person(2, org=2), person(2, active=False)])
def test_no_kudos_outside_the_organisation_or_to_leavers(app, receiver):
    with pytest.raises(NotFound):
        rules.check_kudos_receiver(person(1), receiver)


def test_allowance(app):
    rules.check_allowance(RULES, used=4, wanted=1)
    with pytest.raises(Conflict):
        rules.check_allowance(RULES, used=4, wanted=2)
    assert rules.allowance_left(5, 7) == 0


def test_same_receiver_cap(app):
    rules.check_same_receiver(RULES, 1, "Sam")
    with pytest.raises(Conflict):
        rules.check_same_receiver(RULES, 2, "Sam")


@pytest.mark.parametrize("cents", [-1, rules.MAX_GESTURE_CENTS + 1])
def test_gesture_cost_bounds(app, cents):
    with pytest.raises(Invalid):
        rules.check_gesture_cost(cents)


@pytest.mark.parametrize(
    ("now", "start", "end", "inside"),
    [
        (time(9), time(8), time(17), True),
        (time(17), time(8), time(17), False),
        (time(23), time(22), time(6), True),
        (time(5), time(22), time(6), True),
        (time(12), time(22), time(6), False),
        (time(3), None, None, True),
    ],
)
def test_within_hours_wraps_midnight(now, start, end, inside):
    assert rules.within_hours(now, start, end) is inside


def test_quiet_hours_off_without_window():
    assert rules.in_quiet_hours(time(23), None, None) is False
    assert rules.in_quiet_hours(time(23), time(21), time(8)) is True
    assert rules.in_quiet_hours(time(12), time(21), time(8)) is False
