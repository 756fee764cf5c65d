"""Profile pages through the test client: /me, /people/<id>, language, preferences and
notifications, for every role and never across organisations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from tests.factories import World, client_id, make_user
from tests.game_support import MESSAGE, log, recognise, thank
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import Notification
from webapp.moments.services import reverse_moment
from webapp.timeutil import frozen_time, utcnow

pytestmark = pytest.mark.usefixtures("fresh_request_state")


@pytest.fixture
def sign_in(auth):
    def _sign_in(user):
        auth.login(user.email)

    return _sign_in


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert 'style="' not in html and "<script>" not in html
    return html


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_me_for_every_role(client, world: World, sign_in, role: str) -> None:
    user = world.by_role(role)
    sign_in(user)
    html = page(client, "/me")
    assert user.name in html
    assert "Front desk" in html
    assert "Level 1 · Newcomer" in html
    assert '<progress class="level-progress" max="50" value="0"' in html
    assert "50 points to Host" in html
    assert "points this week" in html and "points all time" in html
    assert "kudos left to give this week (of 5)" in html
    assert "€25.00" in html and "€0.00" in html
    assert 'href="/points"' in html
    assert "Give kudos" not in html
    # The settings moved to a page of their own.
    html = page(client, "/settings")
    assert 'name="hide_from_boards"' in html and 'name="locale"' in html


def test_me_needs_sign_in(client, world: World) -> None:
    assert client.get("/me").status_code == 302


def test_me_shows_points_level_kudos_and_moments(client, world: World, sign_in) -> None:
    moment = log(world.staff, world.team)  # 10
    for _ in range(4):
        log(world.staff, world.team)  # 20 more, then the daily cap
    thank(world.staff2, world.staff, moment_id=moment.id)  # 5
    recognise(world.manager, world.staff)  # 25
    sign_in(world.staff)

    html = page(client, "/me")

    assert "Level 1 · Newcomer" not in html
    assert "Level 2 · Host" in html  # 60 points
    assert '<progress class="level-progress" max="100" value="10"' in html
    assert "90 points to Attentive host" in html
    assert '<span class="stat__value">60</span>' in html
    assert "Thank you!" in html and "Tom Bakker" in html
    assert f'href="/moments/{moment.id}"' in html
    assert MESSAGE in html and "From Mila Jansen" in html
    assert "Moment logged" in html
    assert "Daily cap reached — thank you, no points this time" in html
    assert "Kudos received from Tom Bakker" in html
    assert "Recognized by Mila Jansen" in html
    assert re.search(r"\d+ unread", html)  # the notifications wait in the inbox …
    assert "Tom Bakker gave you kudos" in page(client, "/inbox")  # … shown there


def test_history_explains_outside_hours_and_reversals(client, world: World, sign_in) -> None:
    world.staff.work_start, world.staff.work_end = time(9, 0), time(17, 0)
    db.session.commit()
    with frozen_time(datetime(2025, 5, 14, 21, 0, tzinfo=UTC)):  # 23:00 in Amsterdam
        log(world.staff, world.team)
    world.staff.work_start = world.staff.work_end = None
    db.session.commit()
    moment = log(world.staff, world.team)
    reverse_moment(db.session, world.manager, moment, "Logged twice by mistake")
    sign_in(world.staff)

    html = page(client, "/me")

    assert "Outside your working hours — thank you, no points" in html
    assert "Reversed by a manager" in html
    assert "+10" in html and "-10" in html


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_colleague_profile_for_every_role(client, world: World, sign_in, role: str) -> None:
    log(world.staff3, world.other_team)
    sign_in(world.by_role(role))
    html = page(client, f"/people/{world.staff3.id}")
    assert "Aisha Khan" in html and "Restaurant" in html
    assert f'href="/kudos/new?to={world.staff3.id}"' in html
    assert "Give kudos" in html
    assert "Guest looked lost near the lifts" in html
    assert "gesture budget" not in html  # only on /me
    assert 'name="locale"' not in html


@pytest.mark.parametrize("target", ["outsider", "outsider_manager"])
def test_people_of_another_organisation_are_not_found(
    client, world: World, sign_in, target: str
) -> None:
    sign_in(world.staff)
    assert client.get(f"/people/{getattr(world, target).id}").status_code == 404


def test_unknown_and_deleted_people_are_not_found(client, world: World, sign_in) -> None:
    world.staff3.deleted_at = utcnow()
    db.session.commit()
    sign_in(world.staff)
    assert client.get("/people/999999").status_code == 404
    assert client.get(f"/people/{world.staff3.id}").status_code == 404
    assert client.get("/people/abc").status_code == 404


def test_my_own_people_page_is_me(client, world: World, sign_in) -> None:
    sign_in(world.staff)
    response = client.get(f"/people/{world.staff.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")


def test_private_kudos_only_for_giver_receiver_and_managers(client, world: World, sign_in) -> None:
    give_kudos(
        db.session,
        world.staff2,
        KudosInput(client_id(), "A quiet private thank-you", [world.staff.id], private=True),
    )
    url = f"/people/{world.staff.id}"
    sign_in(world.staff3)
    assert "A quiet private thank-you" not in page(client, url)
    for viewer in (world.staff2, world.manager, world.admin):
        sign_in(viewer)
        assert "A quiet private thank-you" in page(client, url)
    sign_in(world.staff)
    assert "A quiet private thank-you" in page(client, "/me")


def test_hidden_people_keep_points_private_on_their_profile(client, world: World, sign_in) -> None:
    log(world.staff2, world.team)
    world.staff2.hide_from_boards = True
    db.session.commit()
    sign_in(world.staff)
    html = page(client, f"/people/{world.staff2.id}")
    assert "Tom keeps their points and level private." in html
    assert "points this week" not in html
    sign_in(world.staff2)
    assert "points this week" in page(client, "/me")


def test_preferences_toggle(client, world: World, sign_in) -> None:
    sign_in(world.staff)
    response = client.post("/me/preferences", data={"hide_from_boards": "y"}, follow_redirects=True)
    assert "You have left the individual boards" in response.get_data(as_text=True)
    db.session.refresh(world.staff)
    assert world.staff.hide_from_boards is True
    checkbox = re.search(r'<input[^>]*name="hide_from_boards"[^>]*>', page(client, "/settings"))
    assert checkbox and "checked" in checkbox.group(0)

    client.post("/me/preferences", data={})
    db.session.refresh(world.staff)
    assert world.staff.hide_from_boards is False


def test_preferences_need_sign_in(client, world: World) -> None:
    assert client.post("/me/preferences", data={"hide_from_boards": "y"}).status_code == 302


def test_mark_notifications_read(client, world: World, sign_in) -> None:
    thank(world.staff2, world.staff)
    sign_in(world.staff)
    assert "Mark all as read" in page(client, "/me")
    response = client.post("/me/notifications/read", follow_redirects=True)
    assert response.status_code == 200
    unread = db.session.scalars(
        select(Notification).where(
            Notification.user_id == world.staff.id, Notification.read_at.is_(None)
        )
    ).all()
    assert unread == []
    assert "Mark all as read" not in response.get_data(as_text=True)


def test_language_is_stored_and_changes_the_page(client, world: World, sign_in) -> None:
    sign_in(world.staff)
    assert '<html lang="en">' in page(client, "/me")
    response = client.post("/settings/language", data={"locale": "nl", "next": "/leaderboard"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/leaderboard")
    db.session.refresh(world.staff)
    assert world.staff.locale == "nl"
    assert '<html lang="nl">' in page(client, "/me")

    client.post("/settings/language", data={"locale": ""})
    db.session.refresh(world.staff)
    assert world.staff.locale is None
    assert '<html lang="en">' in page(client, "/me")


def test_language_follows_the_browser_when_unset(client, world: World, sign_in) -> None:
    sign_in(world.staff)
    html = client.get("/me", headers={"Accept-Language": "nl-NL,nl;q=0.9"}).get_data(as_text=True)
    assert '<html lang="nl">' in html


@pytest.mark.parametrize("bad", ["de", "xx", "nl; drop", "x" * 300])
def test_bad_language_is_refused(client, world: World, sign_in, bad: str) -> None:
    sign_in(world.staff)
    response = client.post("/settings/language", data={"locale": bad})
    assert response.status_code == 422
    assert "Choose one of the languages." in response.get_data(as_text=True)
    db.session.refresh(world.staff)
    assert world.staff.locale is None


def test_language_signed_out_sets_a_cookie(client, world: World) -> None:
    response = client.post("/settings/language", data={"locale": "nl", "next": "//evil.test/"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"  # an off-site `next` is ignored
    assert "lang=nl" in response.headers["Set-Cookie"]
    html = client.get("/no-such-page").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert client.post("/settings/language", data={"locale": "xx"}).status_code == 400


def test_gesture_budget_used_this_month(client, world: World, sign_in) -> None:
    from webapp.moments.services import MomentInput, log_moment

    log_moment(
        db.session,
        world.staff,
        MomentInput(
            client_id=client_id(),
            team_id=world.team.id,
            cue="Rainy arrival",
            action="Umbrella to the taxi",
            reaction="Grateful",
            value_ids=[world.values[0].id],
            gesture_cost_cents=450,
        ),
    )
    sign_in(world.staff)
    html = page(client, "/me")
    assert "€4.50" in html and "€25.00" in html
    assert '<meter min="0" max="2500" value="450"' in html


def test_kudos_left_this_week(client, world: World, sign_in) -> None:
    thank(world.staff, world.staff2)
    thank(world.staff, world.staff3)
    sign_in(world.staff)
    assert '<span class="stat__value">3</span>' in page(client, "/me")


def test_profile_does_not_leak_other_org_kudos(client, world: World, sign_in) -> None:
    other = make_user(db.session, world.other_org, name="Far Away")
    db.session.commit()
    thank(world.outsider, other)
    sign_in(world.staff)
    assert "Olga" not in page(client, "/me")


def test_long_lists_on_me_fold_away_after_five(client, world: World, sign_in) -> None:
    for n in range(7):
        give_kudos(
            db.session,
            (world.staff2, world.staff3, world.manager, world.admin)[n % 4],
            KudosInput(client_id(), f"Thanks number {n}", [world.staff.id]),
        )
    sign_in(world.staff)
    html = page(client, "/inbox")
    assert "Show older notifications" in html
    shown, folded = html.split("Show older notifications", 1)
    assert "gave you kudos" in shown
    assert "gave you kudos" in folded  # the older ones are still there, one tap away
