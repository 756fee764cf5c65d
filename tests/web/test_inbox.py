"""News people find (issue 12 §3, §5): an inbox with kudos, recognitions and badges, an
unread count in the top bar on every page, read once seen; /me split into a profile, the
inbox and settings; sign out inside the settings instead of the top bar's icon."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories import World
from tests.game_support import log, recognise, thank
from webapp.extensions import db
from webapp.models import Notification

pytestmark = pytest.mark.usefixtures("fresh_request_state")


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def inbox_link(html: str) -> str:
    found = re.search(r'<a class="topbar__link topbar__link--inbox"[^>]*>', html)
    assert found, "no inbox in the top bar"
    return found.group(0)


def unread(user) -> int:
    rows = select(Notification.id).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return len(db.session.scalars(rows).all())


def test_inbox_needs_sign_in(client, world: World) -> None:
    assert client.get("/inbox").status_code == 302
    assert client.get("/settings").status_code == 302


def test_inbox_holds_kudos_recognitions_and_badges_and_is_read_when_seen(
    client, world: World, auth
) -> None:
    log(world.staff, world.team)  # the first moment: a badge
    thank(world.staff2, world.staff)
    recognise(world.manager, world.staff)
    auth.login(world.staff.email)
    before = unread(world.staff)
    assert before >= 3

    html = html_of(client, "/inbox")

    assert "Tom Bakker gave you kudos" in html
    assert "Mila Jansen recognized your work" in html
    assert html.count("You earned a badge: First moment") == 1
    assert html.count(">new</span>") == before
    assert f"{before} new since you last looked." in html
    assert unread(world.staff) == 0
    # The top bar of the inbox itself no longer counts what was just seen.
    assert 'aria-label="Inbox"' in inbox_link(html)

    again = html_of(client, "/inbox")
    assert "Nothing new since you last looked." in again and ">new</span>" not in again
    assert "Tom Bakker gave you kudos" in again


def test_inbox_shows_only_my_own_notifications(client, world: World, auth) -> None:
    thank(world.staff2, world.staff3)
    auth.login(world.staff.email)
    html = html_of(client, "/inbox")
    assert "gave you kudos" not in html and "No notifications." in html
    assert unread(world.staff3) == 1  # someone else's stay unread


@pytest.mark.parametrize("path", ["/", "/leaderboard", "/kudos/new", "/me", "/settings"])
def test_unread_count_in_the_top_bar_on_every_page(client, world: World, auth, path) -> None:
    thank(world.staff2, world.staff)
    thank(world.staff3, world.staff)
    auth.login(world.staff.email)
    link = inbox_link(html_of(client, path))
    assert 'aria-label="Inbox, 2 unread"' in link and 'href="/inbox"' in link
    assert '<span class="count-badge" aria-hidden="true">2</span>' in html_of(client, path)


def test_no_count_without_unread_and_dutch_label(client, world: World, auth) -> None:
    auth.login(world.staff.email)
    html = html_of(client, "/")
    assert 'aria-label="Inbox"' in inbox_link(html) and "count-badge" not in html
    thank(world.staff2, world.staff)
    client.post("/settings/language", data={"locale": "nl"})
    assert 'aria-label="Inbox, 1 ongelezen"' in inbox_link(html_of(client, "/"))


def test_mark_all_read_from_the_profile(client, world: World, auth) -> None:
    thank(world.staff2, world.staff)
    auth.login(world.staff.email)
    assert "1 unread" in html_of(client, "/me")
    response = client.post("/me/notifications/read")
    assert response.status_code == 303 and response.headers["Location"].endswith("/inbox")
    assert unread(world.staff) == 0


# Sign out ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_sign_out_is_in_the_settings_not_the_top_bar(client, world: World, auth, role) -> None:
    auth.login(world.by_role(role).email)
    feed = html_of(client, "/")
    top_bar = feed.split('<header class="topbar">', 1)[1].split("</header>", 1)[0]
    assert 'action="/logout"' not in top_bar
    settings = html_of(client, "/settings")
    form = re.search(r'<form method="post" action="/logout">.*?</form>', settings, re.S)
    assert form and ">Sign out</button>" in form.group(0)
    assert client.post("/logout").status_code in (302, 303)
    assert client.get("/settings").status_code == 302


# /me split -----------------------------------------------------------------------------------


def test_me_is_the_profile_and_points_to_inbox_and_settings(client, world: World, auth) -> None:
    auth.login(world.staff.email)
    html = html_of(client, "/me")
    for name in ("work_start", "quiet_start", "hide_from_boards", "locale"):
        assert f'name="{name}"' not in html  # settings live on /settings
    assert "Notifications on this device" not in html
    assert 'href="/inbox"' in html
    # The old anchors of /me still land on a link to where the section moved.
    for anchor in ("rhythm", "push", "preferences", "account"):
        target = re.search(rf'id="{anchor}"><div><a href="([^"]+)"', html)
        assert target and target.group(1) == f"/settings#{anchor}", anchor
    assert re.search(r'id="notifications"><div>\s*<a href="/inbox"', html)


def test_settings_page_holds_every_setting(client, world: World, auth) -> None:
    auth.login(world.staff.email)
    html = html_of(client, "/settings")
    for anchor in ("push", "rhythm", "preferences", "account"):
        assert f'id="{anchor}"' in html
    for name in ("work_start", "quiet_start", "hide_from_boards", "locale"):
        assert f'name="{name}"' in html
    for path in ("/me/password", "/me/tokens", "/me/export", "/me/delete"):
        assert f'href="{path}"' in html
    assert "<title>Settings · Kizuki</title>" in html


def test_saving_a_setting_returns_to_the_settings(client, world: World, auth) -> None:
    auth.login(world.staff.email)
    response = client.post("/me/preferences", data={"hide_from_boards": "y"})
    assert response.headers["Location"].endswith("/settings#preferences")
    response = client.post("/settings/language", data={"locale": "nl"})
    assert response.headers["Location"].endswith("/settings")


def test_refused_settings_render_the_settings_page(client, world: World, auth) -> None:
    auth.login(world.staff.email)
    response = client.post("/me/quiet-hours", data={"quiet_start": "late", "quiet_end": "07:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<h1>Settings</h1>" in html and '<a href="#quiet_start">Enter a time.</a>' in html
