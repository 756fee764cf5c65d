"""Each number of the manager's insights, checked against hand-built data at fixed instants:
who was noticed, the weeks of the trends (across the autumn clock change), what works, the
search, and the gesture budget conversation. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import client_id
from tests.game_support import MESSAGE, thank
from webapp.extensions import db
from webapp.insights import budget, trends, works
from webapp.insights.periods import complete_weeks
from webapp.manage import services as manage
from webapp.models import Moment, User
from webapp.moments.services import MomentInput, log_moment, mark_delighted, reverse_moment
from webapp.recognition.services import RecognitionInput, recognize
from webapp.timeutil import frozen_time

# Wednesday 11 November 2026, 13:00 in Amsterdam. The complete weeks are the twelve from
# Monday 17 August to the week of Monday 2 November; the clocks went back on 25 October.
NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)


@pytest.fixture
def now(app, world) -> Iterator[datetime]:
    world.org.created_at = NOW - timedelta(weeks=30)
    db.session.commit()
    with frozen_time(NOW):
        yield NOW


def at(when: datetime):
    return frozen_time(when)


def moment(
    author: User, team, cue="Guest looked lost", action="Walked along", values=None, cents=None
) -> Moment:
    made, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=team.id,
            cue=cue,
            action=action,
            reaction="Relieved",
            value_ids=values or [author.organisation.values[0].id],
            gesture_cost_cents=cents,
        ),
    )
    db.session.commit()
    return made


def recognise(manager: User, recipient: User, moment_ids=()) -> None:
    recognize(
        db.session,
        manager,
        RecognitionInput(recipient_id=recipient.id, message=MESSAGE, moment_ids=list(moment_ids)),
    )
    db.session.commit()


# Who was noticed ---------------------------------------------------------------------------


def test_the_shares_of_people_noticed_in_14_and_30_days(now, world):
    with at(NOW - timedelta(days=3)):
        thank(world.staff3, world.staff)  # from another team: still noticed
    with at(NOW - timedelta(days=20)):
        recognise(world.admin, world.staff2)
    with at(NOW - timedelta(days=40)):
        thank(world.staff, world.admin)
    cover = next(
        c for c in manage.overview(db.session, world.manager).teams if c.team.id == world.team.id
    )
    # Front desk: staff, staff2, admin (the manager herself is not counted).
    assert (cover.people, cover.noticed_14, cover.noticed_30) == (3, 1, 2)
    assert (cover.share_14, cover.share_30) == (33, 66)
    assert [(q.user.id, q.over_a_month) for q in cover.quiet] == [
        (world.admin.id, True),
        (world.staff2.id, False),
    ]


def test_reversed_kudos_do_not_count_as_noticed(now, world):
    from webapp.kudos.services import reverse_kudos

    given = thank(world.staff2, world.staff)
    reverse_kudos(db.session, world.manager, given, "Made up")
    db.session.commit()
    cover = manage.overview(db.session, world.manager).teams[0]
    assert cover.noticed_30 == 0 and world.staff.id in {q.user.id for q in cover.quiet}


# Trends --------------------------------------------------------------------------------------


def test_complete_weeks_start_when_the_organisation_joined(app, world):
    with frozen_time(NOW):
        world.org.created_at = NOW - timedelta(days=17)  # Saturday 24 October
        assert complete_weeks(world.org) == [
            datetime(2026, 10, 19).date(),
            datetime(2026, 10, 26).date(),
            datetime(2026, 11, 2).date(),
        ]
        world.org.created_at = NOW
        assert complete_weeks(world.org) == [datetime(2026, 11, 2).date()]


def test_weekly_counts_by_local_week_across_the_clock_change(now, world):
    values = [v.id for v in world.values]
    # Monday 2 November 00:30 in Amsterdam is still Sunday in UTC: the new week.
    with at(datetime(2026, 11, 1, 23, 30, tzinfo=UTC)):
        first = moment(world.staff, world.team, values=values)
        thank(world.staff2, world.staff, value_id=values[1], moment_id=first.id)
    # Sunday 1 November 23:30 in Amsterdam: the week before.
    with at(datetime(2026, 11, 1, 22, 30, tzinfo=UTC)):
        moment(world.staff2, world.team)
        thank(world.staff3, world.staff)  # given by another team, received by ours
    with at(datetime(2026, 10, 28, 10, 0, tzinfo=UTC)):
        gone = moment(world.staff, world.team)
        reverse_moment(db.session, world.manager, gone, "Made up")
        db.session.commit()
        moment(world.staff3, world.other_team)  # another team's
    with at(datetime(2026, 11, 3, 10, 0, tzinfo=UTC)):
        recognise(world.manager, world.staff2, [])
    with at(datetime(2026, 11, 10, 10, 0, tzinfo=UTC)):
        moment(world.staff, world.team)  # this week: not complete, not shown
    found = trends.trends(db.session, world.org, [world.team.id])
    weekly = found.weekly
    assert weekly.weeks[-1] == datetime(2026, 11, 2).date() and len(weekly.weeks) == 12
    assert weekly.moments[-2:] == [1, 1] and sum(weekly.moments) == 2
    assert weekly.kudos_given[-2:] == [0, 1]
    assert weekly.kudos_received[-2:] == [1, 1]
    assert weekly.recognitions[-2:] == [0, 1]
    assert weekly.givers[-2:] == [0, 1]
    assert weekly.receivers[-2:] == [1, 2]  # staff (kudos) and staff2 (recognition)
    by_value = {v.value.id: (v.moments, v.kudos) for v in found.values}
    assert by_value == {values[0]: (2, 0), values[1]: (1, 1)}
    spread = found.spread
    assert (spread.received, spread.givers) == ([2, 1, 0, 0], 1)
    assert (spread.people, spread.total, spread.receivers, spread.half_by) == (4, 3, 2, 1)
    other = trends.trends(db.session, world.org, [world.other_team.id]).weekly
    assert sum(other.moments) == 1 and other.kudos_given[-2:] == [1, 0]


def test_half_by_counts_the_fewest_people_holding_half():
    assert trends.Spread([5, 3, 1, 1], 2).half_by == 1
    assert trends.Spread([3, 3, 3, 3], 2).half_by == 2
    assert trends.Spread([0, 0], 0).half_by == 0


# What works ------------------------------------------------------------------------------


@pytest.fixture
def stories(now, world):
    values = [v.id for v in world.values]
    made = {
        "marked": moment(world.staff, world.team, cue="A guest carried an umbrella inside"),
        "thanked": moment(
            world.staff2,
            world.team,
            cue="Umbrella dripping on the floor by the lift",
            values=values,
        ),
        "plain": moment(world.staff, world.team, cue="Umbrella stand was full"),
        "gone": moment(world.staff2, world.team, cue="Umbrella story made up"),
        "elsewhere": moment(world.staff3, world.other_team, cue="Umbrella at the bar"),
    }
    with at(NOW - timedelta(days=100)):
        made["old"] = moment(world.staff, world.team, cue="Umbrella long ago")
    mark_delighted(db.session, world.staff2, made["marked"])
    mark_delighted(db.session, world.staff, made["elsewhere"])
    db.session.commit()
    thank(world.manager, world.staff2, moment_id=made["thanked"].id)
    thank(world.staff, world.staff2, moment_id=made["gone"].id)
    reverse_moment(db.session, world.manager, made["gone"], "Made up")
    db.session.commit()
    return made


def scope(world, days=84, **kw):
    return works.Scope([world.team.id], NOW - timedelta(days=days), **kw)


def test_what_works_counts_words_values_and_stories(world, stories):
    found = works.what_works(db.session, world.org.id, scope(world))
    assert (found.moments, found.delighted) == (3, 2)
    assert [(w.word, w.delighted, w.moments) for w in found.cues] == [("umbrella", 2, 3)]
    assert [(v.value.id, v.moments, v.delighted) for v in found.values] == [
        (world.values[0].id, 3, 2),
        (world.values[1].id, 1, 1),
    ]
    assert [s.moment.id for s in found.stories] == [stories["marked"].id, stories["thanked"].id]
    assert [(s.kudos, s.delighted) for s in found.stories] == [(0, True), (1, True)]


def test_a_recognition_citing_a_story_moves_it_up(world, stories):
    recognise(world.manager, world.staff2, [stories["thanked"].id])
    found = works.what_works(db.session, world.org.id, scope(world))
    assert [s.moment.id for s in found.stories][0] == stories["thanked"].id
    assert found.stories[0].recognitions == 1


def test_filters_by_period_value_and_team(world, stories):
    assert works.what_works(db.session, world.org.id, scope(world, days=365)).moments == 4
    by_value = works.what_works(db.session, world.org.id, scope(world, value_id=world.values[1].id))
    assert [s.moment.id for s in by_value.stories] == [stories["thanked"].id]
    other = works.Scope([world.other_team.id], NOW - timedelta(days=84))
    assert [s.moment.id for s in works.what_works(db.session, world.org.id, other).stories] == [
        stories["elsewhere"].id
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("umbrel", {"marked", "thanked", "plain"}),  # the start of a word
        ("UMBRELLA floor", {"thanked"}),  # every word, any case
        ("lift", {"thanked"}),
        ("relieved", {"marked", "thanked", "plain"}),  # the reaction too
        ("walked umbrella inside", {"marked"}),  # across cue and action
        ("bar", set()),  # another team's
        ("made", set()),  # a reversed moment
        ("%", {"marked", "thanked"}),  # punctuation is no word: no search, the stories
        ("umbrella'; drop table moments; --", set()),
    ],
)
def test_search_finds_every_word_on_either_database(world, stories, query, expected):
    found = works.what_works(db.session, world.org.id, scope(world, query=query))
    names = {name for name, m in stories.items() for s in found.stories if s.moment.id == m.id}
    assert names == expected
    assert found.searched == (query != "%")


def test_the_search_matches_the_index_expression():
    from webapp.insights import search
    from webapp.models.moments import SEARCH_DOCUMENT

    assert search.DOCUMENT.replace("moments.", "") == SEARCH_DOCUMENT
    assert search.terms_of("  Umbrella, umbrella! (lift) ") == ["umbrella", "lift"]
    many = " ".join(f"word{i}" for i in range(20))
    assert len(search.terms_of(many)) == search.MAX_TERMS


# Gesture budgets ---------------------------------------------------------------------------


def test_the_budget_conversation(now, world):
    with at(datetime(2026, 10, 31, 22, 30, tzinfo=UTC)):  # 31 October 23:30 local: October
        moment(world.staff, world.team, cents=200)
    with at(datetime(2026, 10, 31, 23, 30, tzinfo=UTC)):  # 1 November 00:30 local
        umbrella = moment(world.staff, world.team, cue="Umbrella", cents=450)
    moment(world.staff, world.team, cents=300)
    moment(world.staff2, world.team)  # no gesture
    moment(world.staff3, world.other_team, cents=900)  # another team
    thank(world.staff2, world.staff, moment_id=umbrella.id)
    found = budget.budget_conversation(db.session, world.org, [world.team.id])
    assert found.budget_cents == world.org.gesture_budget_cents
    assert (found.month, found.last_month) == (
        datetime(2026, 11, 1).date(),
        datetime(2026, 10, 1).date(),
    )
    names = [p.user.name for p in found.people]
    assert names == sorted(names, key=str.lower)  # by name, never by spending
    staff = next(p for p in found.people if p.user.id == world.staff.id)
    assert (staff.spent_cents, len(staff.gestures), staff.delighted) == (750, 2, 1)
    assert (staff.last_month_cents, staff.last_month_gestures) == (200, 1)
    assert [p.user.id for p in found.spenders] == [world.staff.id]
    assert found.spent_cents == 750
    assert world.staff3.id not in {p.user.id for p in found.people}
