"""Moments of joy (issue 12 §4): after each action the page carries markup for what it
earned, decided by the server — points to count up, a new level's name, a new badge's
name, and on the inbox a recognition as a card with the manager's words."""

from __future__ import annotations

import uuid

import pytest
from flask_babel import refresh

from tests.game_support import MESSAGE, grant, log, recognise


def moment_form(world):
    return {
        "client_id": str(uuid.uuid4()),
        "cue": "A guest kept rubbing her hands in the lobby",
        "action": "Brought her a hot tea before she asked",
        "reaction": "She smiled and warmed up",
        "value_ids": [str(world.values[0].id)],
        "team_id": str(world.team.id),
    }


@pytest.fixture
def as_staff(client, world, auth):
    auth.login(world.staff.email)
    return client


def test_logging_a_moment_counts_its_points_up(as_staff, world):
    log(world.staff, world.team)  # not the first moment: no badge now
    html = as_staff.post("/moments/new", data=moment_form(world), follow_redirects=True).get_data(
        as_text=True
    )
    assert 'data-joy-kind="points" data-joy-points="10"' in html
    assert "+<span data-joy-count>10</span> points" in html
    assert 'data-joy-kind="level"' not in html and 'data-joy-kind="badge"' not in html
    # Shown once: the next page is calm again.
    assert "data-joy-kind" not in as_staff.get("/").get_data(as_text=True)


def test_no_points_no_count(as_staff, world):
    for _ in range(world.org.moment_points_daily_cap):
        log(world.staff, world.team)
    html = as_staff.post("/moments/new", data=moment_form(world), follow_redirects=True).get_data(
        as_text=True
    )
    assert 'data-joy-kind="points"' not in html


def test_a_new_level_opens_a_sheet_with_its_name(as_staff, world):
    log(world.staff, world.team)
    grant(world.staff, 35)  # 45 points: 10 more reach "Host" (50)
    html = as_staff.post("/moments/new", data=moment_form(world), follow_redirects=True).get_data(
        as_text=True
    )
    assert 'data-joy-kind="level" data-joy-level="Host"' in html
    assert "You reached a new level" in html
    assert '<p class="joy-sheet__name">Host</p>' in html


def test_a_new_level_in_dutch(client, world, auth):
    log(world.staff, world.team)
    grant(world.staff, 35)
    auth.login(world.staff.email)
    client.post("/settings/language", data={"locale": "nl"})
    refresh()  # the test's app context outlives requests: forget the language it cached
    html = client.post("/moments/new", data=moment_form(world), follow_redirects=True).get_data(
        as_text=True
    )
    assert "Je bent een niveau verder" in html, html[html.find("data-joy") :][:1500]
    assert '<p class="joy-sheet__name">Gastgever</p>' in html
    assert "+<span data-joy-count>10</span> punten" in html, html[html.find("joy") :][:1500]


def test_a_first_moment_reveals_its_badge(as_staff, world):
    html = as_staff.post("/moments/new", data=moment_form(world), follow_redirects=True).get_data(
        as_text=True
    )
    assert 'data-joy-kind="badge" data-joy-badge="First moment"' in html
    assert "New badge: <strong>First moment</strong>" in html
    assert "/static/pwa/icons/badges/first_moment.svg" in html


def test_kudos_given_show_the_first_kudos_badge(as_staff, world):
    html = as_staff.post(
        "/kudos/new",
        data={
            "client_id": str(uuid.uuid4()),
            "message": "Thank you for covering my shift!",
            "receiver_ids": [str(world.staff2.id)],
            "value_id": str(world.values[0].id),
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Kudos sent to" in html
    assert 'data-joy-kind="badge" data-joy-badge="First thank-you"' in html


def test_a_recognition_is_a_card_with_the_managers_words_on_the_inbox(client, world, auth):
    recognise(world.manager, world.staff)
    auth.login(world.staff.email)
    html = client.get("/inbox").get_data(as_text=True)
    card = html.split('data-joy-kind="recognition"', 1)[1].split("</figure>", 1)[0]
    assert MESSAGE in card
    assert f"{world.manager.name} recognized your work" in card
    # Seen once: the card does not come back, the notification stays in the list.
    again = client.get("/inbox").get_data(as_text=True)
    assert 'data-joy-kind="recognition"' not in again


def test_kudos_that_lost_a_race_to_their_own_copy_earn_no_joy(as_staff, world, monkeypatch):
    """Two posts of the same form (a double tap): the second passes the early duplicate check
    before the first is stored, then loses inside the savepoint. Its ledger rows are rolled
    back, so the page must not show points for them."""
    from webapp.kudos import services

    form = {
        "client_id": str(uuid.uuid4()),
        "message": "Thank you for covering my shift!",
        "receiver_ids": [str(world.staff2.id)],
        "value_id": str(world.values[0].id),
    }
    first = as_staff.post("/kudos/new", data=form, follow_redirects=True).get_data(as_text=True)
    assert 'data-joy-kind="badge"' in first
    looked_up = services._by_client_id
    calls = []

    def misses_once(*args):  # the early check runs before the other request committed
        calls.append(args)
        return [] if len(calls) == 1 else looked_up(*args)

    monkeypatch.setattr(services, "_by_client_id", misses_once)
    again = as_staff.post("/kudos/new", data=form, follow_redirects=True).get_data(as_text=True)
    assert len(calls) == 2  # the savepoint's insert met the stored copy, which was returned
    assert "Kudos sent to" in again
    assert "data-joy-kind" not in again
