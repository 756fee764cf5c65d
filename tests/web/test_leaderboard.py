"""The leaderboard and "How points work" pages through the test client, for every role."""

from __future__ import annotations

import re

import pytest

from tests.factories import World, make_team, make_user
from tests.game_support import grant, log, thank
from webapp.extensions import db

pytestmark = pytest.mark.usefixtures("fresh_request_state")


@pytest.fixture
def sign_in(auth):
    def _sign_in(user):
        auth.login(user.email)

    return _sign_in


def your_team_block(html: str) -> str:
    """The "Your team" section(s) of the page."""
    start = html.index("Your team:")
    return html[start:]


def assert_csp_safe(html: str) -> None:
    assert 'style="' not in html
    assert "<script>" not in html


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_leaderboard_for_every_role(client, world: World, sign_in, role: str) -> None:
    sign_in(world.by_role(role))
    response = client.get("/leaderboard")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Team board" in html
    assert "Front desk" in html
    assert "Your team: Front desk" in html
    assert "board__row board__row--me" in html  # my team is highlighted
    assert 'href="/points"' in html
    assert_csp_safe(html)


def test_leaderboard_needs_sign_in(client, world: World) -> None:
    response = client.get("/leaderboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_board_shows_per_member_points_and_too_small_teams(client, world: World, sign_in) -> None:
    housekeeping = make_team(db.session, world.org, "Housekeeping")
    h1 = make_user(db.session, world.org, team=housekeeping, name="Hanna One")
    make_user(db.session, world.org, team=housekeeping, name="Hugo Two")
    make_user(db.session, world.org, team=housekeeping, name="Hedy Three")
    db.session.commit()
    log(h1, housekeeping)
    log(h1, housekeeping)  # 20 points / 3 members
    log(world.staff, world.team)  # 10 points / 4 members
    sign_in(world.staff)

    html = client.get("/leaderboard").get_data(as_text=True)

    assert html.index("Housekeeping") < html.index("Front desk")
    assert re.search(
        r'<span class="board__points">6.7<span class="sr-only"> points per member', html
    )
    assert '<span class="board__points">2.5<' in html
    assert "3 members · 20 points" in html
    assert re.search(r'<meter class="board__bar" min="0" max="6.7" value="6.7"', html)
    assert "Too small to rank" in html
    assert "Restaurant" in html.split("Too small to rank")[1]


@pytest.mark.parametrize(
    ("query", "current"),
    [
        ("", "Week"),
        ("?period=week", "Week"),
        ("?period=month", "Month"),
        ("?period=all", "All time"),
    ],
)
def test_period_control(client, world: World, sign_in, query: str, current: str) -> None:
    sign_in(world.staff)
    html = client.get(f"/leaderboard{query}").get_data(as_text=True)
    assert re.search(rf'aria-current="page">{current}</a>', html)


@pytest.mark.parametrize("bad", ["year", "", "%00", "week'--", "x" * 500])
def test_unknown_period_falls_back_to_the_week(client, world: World, sign_in, bad: str) -> None:
    sign_in(world.staff)
    response = client.get("/leaderboard", query_string={"period": bad})
    assert response.status_code == 200
    assert 'aria-current="page">Week</a>' in response.get_data(as_text=True)


def test_own_team_block_shows_top_and_the_person_above_not_below(
    client, world: World, sign_in
) -> None:
    team = make_team(db.session, world.org, "Dozen")
    members = [
        make_user(db.session, world.org, team=team, name=f"Member {chr(65 + i)}") for i in range(12)
    ]
    db.session.commit()
    for i, user in enumerate(members):
        grant(user, 120 - 10 * i)
    sign_in(members[8])

    block = your_team_block(client.get("/leaderboard?period=all").get_data(as_text=True))

    for shown in "ABCDEH":
        assert f"Member {shown}" in block
    for never in "FGJKL":
        assert f"Member {never}" not in block
    assert "…" in block
    assert "board__row board__row--me" in block and ">You<" in block


def test_hiding_removes_me_from_colleagues_view(client, world: World, sign_in) -> None:
    thank(world.staff, world.staff2)  # staff2 has points, staff too
    sign_in(world.staff)
    assert "Tom Bakker" in your_team_block(client.get("/leaderboard").get_data(as_text=True))

    sign_in(world.staff2)
    response = client.post("/me/preferences", data={"hide_from_boards": "y"})
    assert response.status_code == 303
    db.session.refresh(world.staff2)
    assert world.staff2.hide_from_boards is True
    own = client.get("/leaderboard").get_data(as_text=True)
    assert "You have left the individual boards" in own

    sign_in(world.staff)
    html = client.get("/leaderboard").get_data(as_text=True)
    assert "Tom Bakker" not in html
    # The team still counts Tom's points.
    assert "4 members · 6 points" in html


def test_other_organisations_never_appear(client, world: World, sign_in) -> None:
    log(world.outsider, world.other_team_foreign)
    sign_in(world.staff)
    html = client.get("/leaderboard?period=all").get_data(as_text=True)
    assert "Their desk" not in html and "Olga" not in html


# --- How points work ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_how_points_work_for_every_role(client, world: World, sign_in, role: str) -> None:
    sign_in(world.by_role(role))
    response = client.get("/points")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "How points work" in html
    assert "Only your first 3 moments a day earn points" in html
    assert "You can give kudos 5 times a week" in html
    assert "at most 2 times a week" in html
    assert "Logging a moment you noticed" in html and "10 points" in html
    assert "25 points" in html  # recognition
    assert "Outside your working hours" in html or "outside your working hours" in html
    assert "Kizuki master" in html and "1200 points" in html
    assert "Nothing counts days in a row" in html and "21:00" in html and "08:00" in html
    assert "No bottom lists" in html
    assert_csp_safe(html)


def test_how_points_work_follows_the_settings(client, world: World, sign_in) -> None:
    world.org.points_moment = 7
    world.org.points_kudos_received = 8
    world.org.moment_points_daily_cap = 1
    world.org.kudos_weekly_allowance = 9
    world.org.min_team_size = 4
    world.org.quiet_hours_start = None
    db.session.commit()
    sign_in(world.staff)

    html = client.get("/points").get_data(as_text=True)

    assert "7 points" in html
    assert "Only your first 1 moment a day earns points" in html
    assert "You can give kudos 9 times a week" in html
    assert "fewer than 4 members are not ranked" in html
    # 8, then halved for each earlier kudos between the pair: 8, 4, 2, 1, 0.
    chips = re.findall(r'<li class="chip">(\d+) points?</li>', html)
    assert chips == ["8", "4", "2", "1", "0"]
    assert "Quiet hours" not in html


def test_how_points_work_needs_sign_in(client, world: World) -> None:
    assert client.get("/points").status_code == 302


def test_a_large_board_comes_a_page_at_a_time_with_my_team_always_in_view(
    client, world: World, sign_in
) -> None:
    # 45 ranked teams of three: the viewer's team (no points) ranks near the bottom.
    for n in range(45):
        team = make_team(db.session, world.org, f"Big {n:02d}")
        for i in range(3):
            person = make_user(db.session, world.org, team=team, name=f"B{n:02d} {i}")
            if i == 0:
                grant(person, 100 + n)
    db.session.commit()
    sign_in(world.staff)
    first = client.get("/leaderboard?period=all").get_data(as_text=True)
    assert first.count('class="board__bar"') == 20 + 1  # a page, and my own team below it
    assert "Big 44" in first and "Big 25" in first and "Big 24" not in first
    assert world.team.name in first
    assert "from=21" in first
    second = client.get("/leaderboard?period=all&from=21").get_data(as_text=True)
    assert "Big 24" in second and "Big 44" not in second
    # Medals follow the rank, not the place in the list: none on a page that starts at 21.
    assert '<span class="board__rank board__rank--1">1</span>' in first
    assert "board__rank--" not in second.split('id="my-team-')[0]  # (in my team I am first)
    assert "from=1" in second and "from=41" in second
    # A page number that is not one falls back to the top, never an error.
    assert client.get("/leaderboard?period=all&from=x").status_code == 200


def test_the_last_person_sees_only_themselves_privately(client, world: World, sign_in) -> None:
    grant(world.staff2, 30)
    grant(world.manager, 20)
    grant(world.admin, 10)
    sign_in(world.staff)  # no points: last in Front desk

    block = your_team_block(client.get("/leaderboard?period=all").get_data(as_text=True))

    assert "Only you see your own position." in block
    assert "board__row board__row--me" in block and ">You<" in block
    assert "board__rank--" not in block  # below "…", fourth: no medal for the second row
    for never in (world.staff2.name, world.manager.name, world.admin.name):
        assert never not in block
