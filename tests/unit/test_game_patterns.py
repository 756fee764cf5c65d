"""Patterns for managers: pairs, rings (A→B→C→A) and the outside-hours care signal."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.factories import make_user
from tests.game_support import log, thank
from webapp.extensions import db
from webapp.game import patterns
from webapp.kudos.services import reverse_kudos
from webapp.timeutil import frozen_time, utcnow


def test_find_rings_finds_each_circle_once():
    edges = [(1, 2), (2, 3), (3, 1), (1, 3), (4, 5), (5, 4)]
    assert patterns.find_rings(edges) == [(1, 2, 3)]


def test_find_rings_ignores_pairs_and_self_loops():
    assert patterns.find_rings([(1, 2), (2, 1), (3, 3)]) == []
    assert patterns.find_rings([(1, 2), (2, 3)]) == []


def test_find_rings_orders_from_the_smallest_id():
    assert patterns.find_rings([(3, 1), (1, 2), (2, 3)]) == [(1, 2, 3)]
    assert patterns.find_rings([(2, 1), (1, 3), (3, 2)]) == [(1, 3, 2)]


def test_find_pairs_needs_both_directions_and_enough_kudos():
    edges = {(1, 2): 2, (2, 1): 2, (3, 4): 5, (5, 6): 1, (6, 5): 1}
    assert patterns.find_pairs(edges) == [(1, 2, 4)]


def test_ring_in_the_database_is_shown_to_managers(app, world):
    thank(world.staff, world.staff2)
    thank(world.staff2, world.staff3)
    thank(world.staff3, world.staff)
    found = patterns.patterns_for(db.session, world.manager)
    assert len(found.rings) == 1
    assert {p.id for p in found.rings[0].people} == {
        world.staff.id,
        world.staff2.id,
        world.staff3.id,
    }


def test_ring_older_than_four_weeks_is_forgotten(app, world):
    with frozen_time(utcnow() - timedelta(days=patterns.PATTERN_DAYS + 2)):
        thank(world.staff, world.staff2)
        thank(world.staff2, world.staff3)
        thank(world.staff3, world.staff)
    assert patterns.patterns_for(db.session, world.manager).rings == []


def test_reversed_kudos_break_the_ring(app, world):
    first = thank(world.staff, world.staff2)
    thank(world.staff2, world.staff3)
    thank(world.staff3, world.staff)
    reverse_kudos(db.session, world.manager, first, "Traded for points")
    assert patterns.patterns_for(db.session, world.manager).rings == []


def test_pair_in_the_database(app, world):
    thank(world.staff, world.staff2)
    thank(world.staff, world.staff2)
    thank(world.staff2, world.staff)
    thank(world.staff2, world.staff)
    found = patterns.patterns_for(db.session, world.manager)
    assert [(sorted(p.id for p in pair.people), pair.kudos) for pair in found.pairs] == [
        (sorted([world.staff.id, world.staff2.id]), 4)
    ]


def test_another_orgs_kudos_never_show(app, world):
    other = make_user(db.session, world.other_org, team=world.other_team_foreign)
    db.session.commit()
    thank(world.outsider, world.outsider_manager)
    thank(world.outsider_manager, other)
    thank(other, world.outsider)
    assert patterns.patterns_for(db.session, world.manager).rings == []
    assert len(patterns.patterns_for(db.session, world.outsider_manager).rings) == 1


def _night_shift(user):
    # Working hours that exclude now, whatever the time: moments count as outside hours.
    now = utcnow().astimezone(ZoneInfo(user.organisation.timezone))
    start = (now + timedelta(hours=3)).time().replace(second=0, microsecond=0)
    end = (now + timedelta(hours=4)).time().replace(second=0, microsecond=0)
    user.work_start, user.work_end = start, end
    db.session.commit()


def test_care_signal_after_three_moments_outside_hours(app, world):
    _night_shift(world.staff)
    log(world.staff, world.team)
    log(world.staff, world.team)
    assert patterns.patterns_for(db.session, world.manager).care == []
    moment = log(world.staff, world.team)
    assert moment.outside_hours
    care = patterns.patterns_for(db.session, world.manager).care
    assert [(c.person.id, c.moments) for c in care] == [(world.staff.id, 3)]


def test_care_signal_forgets_after_fourteen_days(app, world):
    _night_shift(world.staff)
    with frozen_time(utcnow() - timedelta(days=patterns.CARE_DAYS + 1)):
        for _ in range(3):
            log(world.staff, world.team)
    assert patterns.patterns_for(db.session, world.manager).care == []
