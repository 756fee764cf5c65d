"""Kudos patterns, calibrated: on random giving almost nothing is flagged, planted rings and
pairs are found; in the database only the teams a manager leads count, never the manager
herself, and a dismissed pattern stays away. Care signals go to the person's managers only."""

from __future__ import annotations

import random
from collections import Counter
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.game_support import log, thank
from webapp.domain import NotFound
from webapp.extensions import db
from webapp.insights import patterns
from webapp.kudos.services import reverse_kudos
from webapp.models import Membership, PatternDismissal
from webapp.timeutil import frozen_time, utcnow

# The chance model ---------------------------------------------------------------------------


def test_binomial_tail_matches_hand_computed_values():
    assert patterns.binomial_tail(4, 0.5, 0) == 1.0
    assert patterns.binomial_tail(4, 0.5, 4) == pytest.approx(1 / 16)
    assert patterns.binomial_tail(4, 0.5, 3) == pytest.approx(5 / 16)
    assert patterns.binomial_tail(3, 0.0, 1) == 0.0
    assert patterns.binomial_tail(3, 0.2, 4) == 0.0


def test_the_chance_model_follows_the_teams_own_giving():
    # 1 gives 3 to 2 and 1 to 3; 4 gives 2 to 2. Receiving: 2 got 5, 3 got 1, 1 and 4 none.
    edges = {(1, 2): 3, (1, 3): 1, (4, 2): 2}
    model = patterns.ChanceModel(edges, {1, 2, 3, 4})
    # For 1: popularity (plus one each) of 2, 3, 4 is 6, 2, 1 out of 9.
    assert model.chance(1, 2) == pytest.approx(6 / 9)
    assert model.expected(1, 2) == pytest.approx(4 * 6 / 9)
    assert model.chance(1, 1) == 0.0


def _random_team(rng: random.Random, size: int) -> dict[tuple[int, int], int]:
    """Four weeks of honest giving: 0-5 kudos a week each, to colleagues some of whom are
    noticed more than others, at most 2 a week to the same person (the app's cap)."""
    noticed = {i: rng.lognormvariate(0, 0.7) for i in range(size)}
    edges: Counter[tuple[int, int]] = Counter()
    for _week in range(4):
        this_week: Counter[tuple[int, int]] = Counter()
        for giver in range(size):
            for _ in range(rng.randint(0, 5)):
                pool = [r for r in range(size) if r != giver and this_week[giver, r] < 2]
                receiver = rng.choices(pool, weights=[noticed[r] for r in pool])[0]
                this_week[giver, receiver] += 1
                edges[giver, receiver] += 1
    return dict(edges)


def test_random_giving_is_almost_never_flagged():
    rng = random.Random(11)
    teams = [(size, _random_team(rng, size)) for size in (6, 9, 12, 20) for _ in range(60)]
    flagged = sum(
        1
        for size, edges in teams
        if patterns.flag_pairs(edges, set(range(size)))
        or patterns.flag_rings(edges, set(range(size)))
    )
    # 240 honest teams: the old rule flagged nearly every one of them.
    assert flagged <= 6
    naive = sum(1 for size, edges in teams if any(edges.get((b, a)) for a, b in edges))
    assert naive == len(teams)


@pytest.mark.parametrize("size", [9, 15])
def test_a_planted_ring_is_found(size):
    rng = random.Random(size)
    found = 0
    for _ in range(60):
        edges = _random_team(rng, size)
        for leg in ((0, 1), (1, 2), (2, 0)):
            edges[leg] = edges.get(leg, 0) + 6
        rings = patterns.flag_rings(edges, set(range(size)))
        found += any(set(r.people) == {0, 1, 2} for r in rings)
    assert found >= 57


def test_a_planted_pair_is_found_and_ranked_first():
    rng = random.Random(3)
    found = 0
    for _ in range(60):
        edges = _random_team(rng, 12)
        for leg in ((4, 7), (7, 4)):
            edges[leg] = edges.get(leg, 0) + 6
        pairs = patterns.flag_pairs(edges, set(range(12)))
        found += bool(pairs) and pairs[0].people == (4, 7)
    assert found >= 50


def test_a_pair_needs_a_minimum_count_both_ways():
    lonely = {(1, 2): 8, (2, 1): 1, (3, 4): 1}
    assert patterns.flag_pairs(lonely, {1, 2, 3, 4}) == []


def _around(people: list[int], each: int = 2) -> dict[tuple[int, int], int]:
    """Everyone thanks the next two people in the circle, `each` times (honest background)."""
    edges: dict[tuple[int, int], int] = {}
    for i, giver in enumerate(people):
        for step in (1, 2):
            edges[giver, people[(i + step) % len(people)]] = each
    return edges


def test_a_ring_in_both_directions_is_one_ring():
    edges = _around(list(range(3, 12)))
    edges.update({(a, b): 6 for a in range(3) for b in range(3) if a != b})
    rings = patterns.flag_rings(edges, set(range(12)))
    assert [set(r.people) for r in rings] == [{0, 1, 2}]


def test_a_busy_team_of_mutual_thanks_is_not_a_pattern():
    # Everyone thanks everyone a little: that is what the base rate is made of.
    edges = {(a, b): 2 for a in range(8) for b in range(8) if a != b}
    assert patterns.flag_pairs(edges, set(range(8))) == []
    assert patterns.flag_rings(edges, set(range(8))) == []


# In the database ------------------------------------------------------------------------


def _trade(a, b, times):
    """`a` and `b` thank each other `times` times each way, one a week (under the cap)."""
    for week in range(times):
        with frozen_time(utcnow() - timedelta(days=7 * week + 1)):
            thank(a, b)
            thank(b, a)


def _background(people):
    """Honest giving in a team: everyone thanks the next two colleagues in a circle."""
    with frozen_time(utcnow() - timedelta(days=10)):
        for i, giver in enumerate(people):
            for step in (1, 2):
                thank(giver, people[(i + step) % len(people)])


@pytest.fixture
def crew(app, world):
    """Front desk (led by the manager) with eight more people who thank each other."""
    people = [make_user(db.session, world.org, team=world.team) for _ in range(8)]
    db.session.commit()
    _background(people[2:])
    return people


def test_a_trading_pair_stands_out_with_its_evidence(app, world, crew):
    a, b, *others = crew
    _trade(a, b, 3)
    found = patterns.patterns_for(db.session, world.manager)
    assert [p.key for p in found.pairs] == [f"{min(a.id, b.id)}-{max(a.id, b.id)}"]
    legs = found.pairs[0].legs
    assert [leg.kudos for leg in legs] == [3, 3]
    assert all(leg.expected < 2 for leg in legs)
    assert found.rings == []
    assert (found.bases[0].kudos, found.bases[0].people) == (6 + 2 * len(others), 11)


def test_only_the_teams_she_leads_and_never_herself(app, world, crew):
    a, b, *_ = crew
    _trade(world.manager, a, 3)  # with the manager herself
    other = [make_user(db.session, world.org, team=world.other_team) for _ in range(4)]
    db.session.commit()
    _trade(other[0], other[1], 3)  # in a team she does not lead
    _trade(a, world.staff3, 3)  # across teams
    found = patterns.patterns_for(db.session, world.manager)
    assert [t.id for t in found.teams] == [world.team.id]
    assert found.pairs == [] and found.rings == []
    shown = {p.id for pattern in found.pairs + found.rings for p in pattern.people}
    assert world.manager.id not in shown


def test_a_lead_of_the_other_team_sees_that_pair(app, world):
    lead = make_user(db.session, world.org, "manager", world.other_team, "lead")
    mates = [make_user(db.session, world.org, team=world.other_team) for _ in range(8)]
    db.session.commit()
    _background(mates[2:])
    _trade(mates[0], mates[1], 3)
    found = patterns.patterns_for(db.session, lead)
    assert [(p.kind, p.team.id) for p in found.pairs] == [("pair", world.other_team.id)]


def test_a_manager_who_leads_no_team_sees_no_patterns_an_admin_sees_all(app, world, crew):
    a, b, *_ = crew
    _trade(a, b, 3)
    db.session.execute(
        Membership.__table__.update()
        .where(Membership.user_id == world.manager.id)
        .values(role="member")
    )
    db.session.commit()
    assert patterns.patterns_for(db.session, world.manager).teams == []
    assert len(patterns.patterns_for(db.session, world.admin).pairs) == 1


def test_reversed_and_old_kudos_do_not_count(app, world, crew):
    a, b, *_ = crew
    with frozen_time(utcnow() - timedelta(days=patterns.PATTERN_DAYS + 3)):
        thank(a, b)
        thank(b, a)
    _trade(a, b, 2)  # 4 in the window: under the minimum of 5 (with the old ones: 6)
    assert patterns.patterns_for(db.session, world.manager).pairs == []
    extra = thank(a, b)
    assert patterns.patterns_for(db.session, world.manager).pairs != []
    reverse_kudos(db.session, world.manager, extra, "Traded for points")
    db.session.commit()
    assert patterns.patterns_for(db.session, world.manager).pairs == []


def test_a_dismissed_pattern_stays_away_for_the_window(app, world, crew):
    a, b, *_ = crew
    _trade(a, b, 3)
    pair = patterns.patterns_for(db.session, world.manager).pairs[0]
    people = [int(i) for i in pair.key.split("-")]
    patterns.dismiss(db.session, world.manager, "pair", world.team.id, people)
    patterns.dismiss(db.session, world.manager, "pair", world.team.id, people)  # twice: one
    db.session.commit()
    assert db.session.scalar(select(func.count(PatternDismissal.id))) == 1
    found = patterns.patterns_for(db.session, world.manager)
    assert found.pairs == [] and found.dismissed == 1
    assert len(patterns.patterns_for(db.session, world.admin).pairs) == 1  # hers alone
    with frozen_time(utcnow() + timedelta(days=patterns.PATTERN_DAYS + 1)):
        assert patterns.patterns_for(db.session, world.manager).dismissed == 0


@pytest.mark.parametrize(
    "people",
    [
        "outsider",  # another organisation
        "staff3",  # another team
        "manager",  # herself
        "one",  # a pair of one
    ],
)
def test_dismissing_someone_elses_pattern_is_not_found(app, world, people):
    ids = {
        "outsider": [world.staff.id, world.outsider.id],
        "staff3": [world.staff.id, world.staff3.id],
        "manager": [world.staff.id, world.manager.id],
        "one": [world.staff.id, world.staff.id],
    }[people]
    with pytest.raises(NotFound):
        patterns.dismiss(db.session, world.manager, "pair", world.team.id, ids)
    with pytest.raises(NotFound):
        patterns.dismiss(db.session, world.outsider_manager, "pair", world.team.id, ids)


def test_care_signals_go_to_the_persons_managers_only(app, world):
    for person in (world.staff, world.staff3):
        person.work_start, person.work_end = time(9, 0), time(9, 1)
    db.session.commit()
    for _ in range(patterns.CARE_MIN_MOMENTS):
        log(world.staff, world.team)
        log(world.staff3, world.other_team)
    mine = patterns.patterns_for(db.session, world.manager)
    assert [(c.person.id, c.moments) for c in mine.care] == [(world.staff.id, 3)]
    everyone = patterns.patterns_for(db.session, world.admin)
    assert {c.person.id for c in everyone.care} == {world.staff.id, world.staff3.id}
    assert patterns.patterns_for(db.session, world.outsider_manager).care == []
