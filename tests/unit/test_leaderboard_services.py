"""Leaderboard services against hand-computed ledgers: per-member team ranking, minimum team
size, deterministic ties, periods, and the private view of one's own team."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from tests.factories import World, make_org, make_team, make_user, make_value
from tests.game_support import grant, log, recognise, thank
from webapp.extensions import db
from webapp.leaderboard import services
from webapp.leaderboard.schemas import LeaderboardSchema
from webapp.models import Team
from webapp.timeutil import frozen_time

# A Wednesday: the week began on Monday 12 May, the month on 1 May.
NOW = datetime(2025, 5, 14, 10, 0, tzinfo=UTC)


def by_name(board: list[services.TeamStanding]) -> dict[str, services.TeamStanding]:
    return {s.name: s for s in board}


def people(org, team: Team, count: int, prefix: str = "P") -> list:
    made = [
        make_user(db.session, org, team=team, name=f"{prefix}{i:02d} Person") for i in range(count)
    ]
    db.session.commit()
    return made


def test_period_start_uses_the_organisation_calendar(world: World) -> None:
    with frozen_time(NOW):
        assert services.period_start(world.org, "week") == date(2025, 5, 12)
        assert services.period_start(world.org, "month") == date(2025, 5, 1)
        assert services.period_start(world.org, "all") is None


def test_period_start_week_begins_monday_in_local_time(world: World) -> None:
    # Sunday 23:30 UTC is already Monday 01:30 in Amsterdam: a new week there.
    with frozen_time(datetime(2025, 5, 18, 23, 30, tzinfo=UTC)):
        assert services.period_start(world.org, "week") == date(2025, 5, 19)


def test_team_board_ranks_per_member_from_real_services(world: World) -> None:
    housekeeping = make_team(db.session, world.org, "Housekeeping")
    h1, _h2, _h3 = people(world.org, housekeeping, 3, "H")
    log(world.staff, world.team)  # +10
    log(world.staff2, world.team)  # +10
    log(h1, housekeeping)  # +10
    log(h1, housekeeping)  # +10
    log(world.staff3, world.other_team)  # +10, but Restaurant has one member

    board = services.team_board(db.session, world.org, "week")

    assert [(s.name, s.rank) for s in board] == [
        ("Housekeeping", 1),
        ("Front desk", 2),
        ("Restaurant", None),
    ]
    teams = by_name(board)
    assert (teams["Housekeeping"].points, teams["Housekeeping"].members) == (20, 3)
    assert teams["Housekeeping"].per_member == 6.7  # 20 / 3, one decimal
    assert (teams["Front desk"].points, teams["Front desk"].members) == (20, 4)
    assert teams["Front desk"].per_member == 5.0
    assert teams["Restaurant"].points == 10 and not teams["Restaurant"].ranked


def test_kudos_and_recognition_points_reach_the_board(world: World) -> None:
    thank(world.staff2, world.staff)  # staff +5, staff2 +1
    thank(world.staff3, world.staff)  # staff +5 (Front desk), staff3 +1 (Restaurant)
    recognise(world.manager, world.staff2)  # +25
    world.org.min_team_size = 1
    db.session.commit()

    teams = by_name(services.team_board(db.session, world.org, "all"))

    assert teams["Front desk"].points == 5 + 1 + 5 + 25
    assert teams["Front desk"].per_member == 9.0  # 36 / 4
    assert teams["Restaurant"].points == 1
    assert services.person_points(db.session, world.staff, "all") == 10
    assert services.person_points(db.session, world.staff2, "week") == 26


def test_pair_halving_shows_on_the_board(world: World) -> None:
    thank(world.staff2, world.staff)  # staff +5
    thank(world.staff, world.staff2)  # second between the pair this week: staff2 +2
    assert services.person_points(db.session, world.staff, "all") == 5 + 1
    assert services.person_points(db.session, world.staff2, "all") == 1 + 2


def test_minimum_team_size_is_a_setting(world: World) -> None:
    world.org.min_team_size = 5
    db.session.commit()
    board = services.team_board(db.session, world.org, "all")
    assert all(not s.ranked for s in board)
    world.org.min_team_size = 1
    db.session.commit()
    assert all(s.ranked for s in services.team_board(db.session, world.org, "all"))


def test_team_ties_break_on_total_then_name(world: World) -> None:
    org = make_org(db.session, "Ties", min_team_size=1)
    big = make_team(db.session, org, "Big")
    small_b = make_team(db.session, org, "Bravo")
    small_a = make_team(db.session, org, "Alpha")
    for user in people(org, big, 4, "B"):
        grant(user, 10)  # 40 points, 10 per member
    for user in people(org, small_b, 2, "S"):
        grant(user, 10)  # 20 points, 10 per member
    for user in people(org, small_a, 2, "A"):
        grant(user, 10)  # 20 points, 10 per member

    board = services.team_board(db.session, org, "all")

    assert [(s.name, s.rank) for s in board] == [("Big", 1), ("Alpha", 2), ("Bravo", 3)]


def test_empty_teams_and_zero_points_never_divide_by_zero(world: World) -> None:
    org = make_org(db.session, "Empty", min_team_size=0)
    make_team(db.session, org, "Nobody")
    db.session.commit()
    board = services.team_board(db.session, org, "week")
    assert board[0].members == 0 and board[0].per_member == 0.0 and not board[0].ranked


def test_deleted_and_inactive_people_are_not_counted(world: World) -> None:
    grant(world.staff, 40)
    grant(world.staff2, 40)
    world.staff2.deleted_at = NOW
    world.admin.active = False
    db.session.commit()

    front = by_name(services.team_board(db.session, world.org, "all"))["Front desk"]

    assert (front.members, front.points) == (2, 40)  # staff and manager remain


def test_other_organisations_never_appear(world: World) -> None:
    grant(world.outsider, 500)
    board = services.team_board(db.session, world.org, "all")
    assert "Their desk" not in by_name(board)
    assert sum(s.points for s in board) == 0
    theirs = by_name(services.team_board(db.session, world.other_org, "all"))
    assert set(theirs) == {"Their desk"} and theirs["Their desk"].points == 500


def test_periods_read_past_days_from_the_roll_up(world: World) -> None:
    world.org.min_team_size = 1
    db.session.commit()
    grant(world.staff, 1, at=datetime(2025, 5, 13, 9, 0, tzinfo=UTC))  # this week
    grant(world.staff, 10, at=datetime(2025, 5, 5, 9, 0, tzinfo=UTC))  # this month
    grant(world.staff, 100, at=datetime(2025, 4, 20, 9, 0, tzinfo=UTC))  # April
    # Sunday 11 May 22:30 UTC is Monday 00:30 in Amsterdam: this week already.
    grant(world.staff2, 1000, at=datetime(2025, 5, 11, 22, 30, tzinfo=UTC))

    with frozen_time(NOW):
        week = by_name(services.team_board(db.session, world.org, "week"))["Front desk"]
        month = by_name(services.team_board(db.session, world.org, "month"))["Front desk"]
        total = by_name(services.team_board(db.session, world.org, "all"))["Front desk"]
        assert services.person_points(db.session, world.staff, "week") == 1
        assert services.person_points(db.session, world.staff, "month") == 11
        assert services.person_points(db.session, world.staff, "all") == 111

    assert (week.points, month.points, total.points) == (1001, 1011, 1111)


def test_reversal_takes_points_off_the_board(world: World) -> None:
    moment = log(world.staff, world.team)
    from webapp.moments.services import reverse_moment

    reverse_moment(db.session, world.manager, moment, "Not a real moment")
    front = by_name(services.team_board(db.session, world.org, "all"))["Front desk"]
    assert front.points == 0


# --- Inside a team ------------------------------------------------------------------------


@pytest.fixture
def dozen(world: World) -> tuple[Team, list]:
    """A team of twelve with distinct points: P00 has 120, P01 110, ... P11 10."""
    team = make_team(db.session, world.org, "Dozen")
    members = people(world.org, team, 12)
    for i, user in enumerate(members):
        grant(user, 120 - 10 * i)
    return team, members


def ranks(view: services.TeamView) -> list[int | None]:
    return [row.rank if row else None for row in view.rows]


def test_own_team_shows_top_five_self_and_the_person_above_never_below(dozen) -> None:
    team, members = dozen
    view = services.team_standing_for(db.session, members[8], team, "all")

    assert ranks(view) == [1, 2, 3, 4, 5, None, 8, 9]
    assert view.me is not None and (view.me.rank, view.me.points) == (9, 40)
    assert [row.is_me for row in view.rows if row] == [False] * 6 + [True]
    shown = {row.user_id for row in view.rows if row}
    assert not shown & {members[9].id, members[10].id, members[11].id}


@pytest.mark.parametrize(
    ("me", "expected"),
    [
        (0, [1, 2, 3, 4, 5]),
        (2, [1, 2, 3, 4, 5]),
        (4, [1, 2, 3, 4, 5]),
        (5, [1, 2, 3, 4, 5, 6]),
        (6, [1, 2, 3, 4, 5, 6, 7]),
        (10, [1, 2, 3, 4, 5, None, 10, 11]),
        (11, [None, 12]),  # last: only yourself
    ],
)
def test_own_team_window_at_every_position(dozen, me: int, expected: list) -> None:
    team, members = dozen
    assert ranks(services.team_standing_for(db.session, members[me], team, "all")) == expected


def test_hidden_people_are_invisible_to_others_and_not_neighbours(dozen) -> None:
    team, members = dozen
    members[7].hide_from_boards = True  # was rank 8, right above members[8]
    members[1].hide_from_boards = True  # was rank 2
    db.session.commit()

    view = services.team_standing_for(db.session, members[8], team, "all")

    shown = [row.user_id for row in view.rows if row]
    assert members[7].id not in shown and members[1].id not in shown
    assert view.me is not None and view.me.rank == 7  # two hidden people above
    neighbours = [row.user_id for row in view.rows if row and row.rank in (6, 8)]
    assert neighbours == [members[6].id]  # the person just above; no one below


def test_a_hidden_person_sees_the_top_but_no_position(dozen) -> None:
    team, members = dozen
    members[8].hide_from_boards = True
    db.session.commit()

    view = services.team_standing_for(db.session, members[8], team, "all")

    assert view.hidden_me and view.me is None
    assert ranks(view) == [1, 2, 3, 4, 5]


def test_deleted_people_never_appear_in_a_team(dozen) -> None:
    team, members = dozen
    members[0].deleted_at = NOW
    db.session.commit()
    view = services.team_standing_for(db.session, members[3], team, "all")
    assert members[0].id not in [row.user_id for row in view.rows if row]
    assert view.rows[0] is not None and view.rows[0].user_id == members[1].id


def test_people_ties_break_on_name_then_id(world: World) -> None:
    team = make_team(db.session, world.org, "Tied")
    zed = make_user(db.session, world.org, team=team, name="Zed Same")
    amy = make_user(db.session, world.org, team=team, name="Amy Same")
    amy2 = make_user(db.session, world.org, team=team, name="Amy Same")
    make_user(db.session, world.org, team=team, name="Bo Fewer")  # no points: last
    db.session.commit()
    for user in (zed, amy, amy2):
        grant(user, 10)

    view = services.team_standing_for(db.session, zed, team, "all")

    assert [row.user_id for row in view.rows if row] == [amy.id, amy2.id, zed.id]


def test_people_without_points_are_not_in_the_top(world: World) -> None:
    grant(world.staff, 10)
    grant(world.staff2, 5)
    view = services.team_standing_for(db.session, world.staff2, world.team, "all")
    # Only people with points are recognized; the two without are last, so never shown.
    assert [row.user_id for row in view.rows if row] == [world.staff.id, world.staff2.id]
    assert view.me is not None and view.me.rank == 2

    # A viewer without points is last (tied with the manager): they see only themselves.
    mine = services.team_standing_for(db.session, world.admin, world.team, "all")
    assert [row.user_id for row in mine.rows if row] == [world.admin.id]
    assert mine.only_me and mine.me is not None and mine.me.rank == 3


def test_team_standing_periods(world: World) -> None:
    grant(world.staff, 50, at=datetime(2025, 4, 20, 9, 0, tzinfo=UTC))
    grant(world.staff2, 5, at=datetime(2025, 5, 13, 9, 0, tzinfo=UTC))
    with frozen_time(NOW):
        week = services.team_standing_for(db.session, world.staff2, world.team, "week")
        total = services.team_standing_for(db.session, world.staff2, world.team, "all")
    assert week.me is not None and week.me.rank == 1
    assert total.me is not None and total.me.rank == 2


def test_leaderboard_dump_marks_gaps(dozen, world: World) -> None:
    team, members = dozen
    board = services.leaderboard_for(db.session, members[8], "all")
    data = LeaderboardSchema().dump(board)
    assert data["period"] == "all"
    assert data["my_team_ids"] == [team.id]
    rows = data["my_teams"][0]["rows"]
    assert rows[5] == {"gap": True}
    assert rows[7]["is_me"] is True and rows[7]["rank"] == 9 and len(rows) == 8
    assert {"name", "points", "per_member", "rank"} <= set(data["teams"][0])


def test_values_do_not_matter_for_standings(world: World) -> None:
    # A moment tagged with any value is worth the same.
    other = make_value(db.session, world.org, "Calm")
    db.session.commit()
    log(world.staff, world.team, [other.id])
    assert services.person_points(db.session, world.staff, "all") == 10


def test_team_board_is_one_query_on_the_team_standings(world: World) -> None:
    for i in range(5):
        team = make_team(db.session, world.org, f"Extra {i}")
        for user in people(world.org, team, 3, f"E{i}"):
            grant(user, 10)
    assert world.org.timezone  # loaded now, not inside the measured call
    statements: list[str] = []

    def remember(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        board = services.team_board(db.session, world.org, "month")
    finally:
        event.remove(engine, "before_cursor_execute", remember)

    assert len(board) == 7
    statements = [s for s in statements if s.startswith("SELECT")]
    assert len(statements) == 1
    assert "team_points" in statements[0] and "ledger_entries" not in statements[0]
    assert "points_daily" not in statements[0]
