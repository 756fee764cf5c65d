"""What one person sees of their team's standings (issue 12 §2): the top five as
recognition, themselves and the person just above them; outside the top five never anyone
ranked below them, never who is last; whoever is last sees only themselves.

The view is a pure function of the team's rows, so these run without a database; the
services' tests cover the query that feeds it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.leaderboard.services import TOP, PersonStanding, view_of, visible_positions


def team(points: list[int], hidden: set[int] | None = None) -> list[tuple]:
    """Rows as the query returns them: (id, name, hidden, points), best first, ties by name."""
    ordered = sorted(enumerate(points), key=lambda p: (-p[1], f"P{p[0]:02d}"))
    return [(i, f"P{i:02d} Person", i in (hidden or set()), p) for i, p in ordered]


def shown(view) -> list[PersonStanding]:
    return [row for row in view.rows if row is not None]


def check_promises(rows: list[tuple], viewer: int) -> None:
    view = view_of(1, "Team", rows, viewer)
    board = [r for r in rows if not r[2]]
    points = {r[0]: r[3] for r in board}
    order = [r[0] for r in board]
    for row in shown(view):
        assert row.user_id in points  # hidden people never appear
        if row.is_me:
            continue
        # Never who is last (the fewest points, ties included).
        assert row.points > min(points.values())
        # Outside the top five, never anyone ranked below the viewer.
        if viewer in points and order.index(row.user_id) >= TOP:
            assert row.points >= points[viewer]
            assert order.index(row.user_id) < order.index(viewer)
    if viewer in points:
        assert view.me is not None and view.me.user_id == viewer
        assert any(row.is_me for row in shown(view))
        if points[viewer] == min(points.values()):
            assert [row.user_id for row in shown(view)] == [viewer]  # last: only yourself
    else:
        assert view.me is None


standings = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=30)


@given(standings, st.data())
def test_no_view_shows_anyone_below_the_viewer_outside_the_top_five(points, data) -> None:
    viewer = data.draw(st.integers(min_value=0, max_value=len(points) - 1))
    hidden = data.draw(st.sets(st.integers(min_value=0, max_value=len(points) - 1)))
    check_promises(team(points, hidden), viewer)


@given(standings, st.data())
def test_the_view_always_holds_the_top_and_the_person_above(points, data) -> None:
    viewer = data.draw(st.integers(min_value=0, max_value=len(points) - 1))
    rows = team(points)
    view = view_of(1, "Team", rows, viewer)
    ids = [row.user_id for row in shown(view)]
    lowest = min(points)
    if points[viewer] == lowest:
        return  # last: only yourself (checked above)
    order = [r[0] for r in rows]
    position = order.index(viewer)
    if position > 0:
        assert order[position - 1] in ids  # the person just above
    for top in order[:TOP]:
        if 0 < points[top] != lowest:
            assert top in ids  # recognition of the top


def ranks(points: list[int], viewer: int) -> list[int | None]:
    return [row.rank if row else None for row in view_of(1, "T", team(points), viewer).rows]


def test_ties_share_a_rank() -> None:
    # P00 50, P01 40, P02 40, P03 30, P04 10: P01 and P02 are both second.
    assert ranks([50, 40, 40, 30, 10], 3) == [1, 2, 2, 4]


def test_a_tie_with_the_viewer_is_not_below_them() -> None:
    # Eight people; P06 and P07 tie on 20 below the top five; P08 has 5 (last).
    points = [90, 80, 70, 60, 50, 40, 20, 20, 5]
    view = view_of(1, "T", team(points), 7)
    assert [row.user_id for row in shown(view)] == [0, 1, 2, 3, 4, 6, 7]
    assert view.me is not None and view.me.rank == 7


def test_the_viewer_tied_for_last_sees_only_themselves() -> None:
    view = view_of(1, "T", team([30, 20, 0, 0]), 3)
    assert [row.user_id for row in shown(view)] == [3]
    assert view.only_me and view.rows[0] is None  # a gap: others are ahead


def test_nobody_with_points_everyone_sees_only_themselves() -> None:
    for viewer in range(4):
        assert [row.user_id for row in shown(view_of(1, "T", team([0] * 4), viewer))] == [viewer]


def test_viewer_in_the_top_five_sees_the_top_five_but_not_who_is_last() -> None:
    # A team of five: the top five is everyone, but the last is never shown.
    assert ranks([50, 40, 30, 20, 10], 1) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("size", "viewer", "expected"),
    [
        (1, 0, [1]),  # alone: last and first, sees only themselves
        (2, 0, [1]),
        (2, 1, [None, 2]),
        (3, 0, [1, 2]),
        (3, 2, [None, 3]),
        (4, 1, [1, 2, 3]),
        (5, 4, [None, 5]),
        (5, 2, [1, 2, 3, 4]),
        (6, 5, [None, 6]),
        (6, 4, [1, 2, 3, 4, 5]),
        (6, 0, [1, 2, 3, 4, 5]),
    ],
)
def test_small_teams(size: int, viewer: int, expected: list) -> None:
    points = [10 * (size - i) for i in range(size)]  # distinct, all above zero
    assert ranks(points, viewer) == expected


def test_a_viewer_off_the_board_sees_the_top_without_the_last() -> None:
    view = view_of(1, "T", team([50, 40, 30], hidden={1}), 1)
    assert view.hidden_me and view.me is None
    assert [row.user_id for row in shown(view)] == [0]


def test_positions_of_an_empty_team() -> None:
    assert visible_positions([], None) == []
