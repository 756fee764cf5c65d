"""Refused forms answer where they are seen: a summary at the top of the page, linked to
each field, focused, and "Error:" in the title (issue 12 §1); limits shown before sending."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from flask_babel import refresh

from tests.factories import client_id
from tests.web.test_admin import settings_form
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.moments.services import MomentInput, log_moment

SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.S)


def summary(html: str) -> str:
    found = SUMMARY.search(html)
    assert found, "no error summary on the page"
    return found.group(0)


def summary_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary(html))


def assert_summary_leads_the_page(html: str) -> None:
    box = summary(html)
    assert 'tabindex="-1"' in box and "autofocus" in box
    assert re.search(r"<title>Error: ", html)
    # At the top of the main content: before the page's heading and its form.
    main = html.split('<main id="main" class="main">', 1)[1]
    assert main.index('class="error-summary"') < main.index("<h1")
    assert main.index('class="error-summary"') < main.index("<form")
    # Every link leads to an element on the page.
    for target, _text in summary_links(html):
        assert f'id="{target}"' in html, target


def kudos_form(world, **overrides):
    data = {
        "client_id": str(uuid.uuid4()),
        "message": "Thank you for spotting the lost child so quickly",
        "value_id": str(world.values[0].id),
    }
    data.update(overrides)
    return data


def thank(giver, receiver):
    give_kudos(
        db.session,
        giver,
        KudosInput(client_id=client_id(), message="Thanks", receiver_ids=[receiver.id]),
    )
    db.session.commit()


@pytest.fixture
def as_staff(client, world, auth):
    auth.login(world.staff.email)
    return client


def test_kudos_to_yourself_is_summarised_at_the_top(as_staff, world):
    response = as_staff.post("/kudos/new", data=kudos_form(world, receiver_ids=[world.staff.id]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert_summary_leads_the_page(html)
    assert ("receiver_ids", "You cannot give kudos to yourself.") in summary_links(html)
    assert 'id="receiver_ids"' in html and "<fieldset" in html


def test_kudos_over_the_same_colleague_cap_is_summarised(as_staff, world):
    thank(world.staff, world.staff2)
    thank(world.staff, world.staff2)
    response = as_staff.post("/kudos/new", data=kudos_form(world, receiver_ids=[world.staff2.id]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert_summary_leads_the_page(html)
    name = world.staff2.name
    assert ("receiver_ids", f"You already gave {name} kudos 2 times this week.") in [
        (target, text.replace("&#39;", "'")) for target, text in summary_links(html)
    ]


def test_several_kudos_messages_are_each_listed(as_staff, world):
    response = as_staff.post("/kudos/new", data=kudos_form(world, message="", value_id="abc"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert_summary_leads_the_page(html)
    targets = [target for target, _text in summary_links(html)]
    assert {"message", "value_id"} <= set(targets)


def test_admin_settings_list_every_refused_field(client, auth, world):
    auth.login(world.admin.email)
    data = settings_form(world.org, name="", kudos_weekly_allowance="0", gesture_budget="lots")
    response = client.post("/admin/settings", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert_summary_leads_the_page(html)
    links = summary_links(html)
    assert ("name", "Enter between 1 and 120 characters.") in links
    assert ("kudos_weekly_allowance", "Enter a number from 1 to 50.") in links
    assert ("gesture_budget", "Enter an amount in euros, such as 25.") in links
    # Field order, as on the page.
    targets = [target for target, _text in links]
    assert targets.index("name") < targets.index("kudos_weekly_allowance")
    assert targets.index("kudos_weekly_allowance") < targets.index("gesture_budget")


def test_a_moment_form_with_errors_has_the_summary(as_staff, world):
    response = as_staff.post("/moments/new", data={"client_id": str(uuid.uuid4()), "cue": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert_summary_leads_the_page(html)
    assert "cue" in [target for target, _text in summary_links(html)]


def test_a_form_level_message_is_listed_without_a_link(client, world):
    response = client.post("/login", data={"email": world.staff.email, "password": "wrong"})
    html = response.get_data(as_text=True)
    assert response.status_code in (401, 422)
    box = summary(html)
    assert "<li>" in box and "<title>Error: " in html


def test_dutch_title_and_heading(app, client, auth, world):
    # The test keeps one app context across requests: forget the previous request's
    # language, as a real server does.
    app.before_request(refresh)
    auth.login(world.staff.email)
    client.post("/settings/language", data={"locale": "nl"})
    response = client.post("/kudos/new", data=kudos_form(world, receiver_ids=[world.staff.id]))
    html = response.get_data(as_text=True)
    assert "<title>Fout: " in html
    assert "Er is een probleem" in summary(html)


@pytest.mark.parametrize("path", ["/kudos/new", "/moments/new", "/admin/settings", "/login"])
def test_no_summary_and_no_error_title_without_errors(client, auth, world, path):
    if path != "/login":
        auth.login(world.admin.email)
    html = client.get(path).get_data(as_text=True)
    assert 'class="error-summary"' not in html
    assert "<title>Error" not in html


# Limits shown before sending -------------------------------------------------------------


def test_kudos_form_shows_per_colleague_limits(as_staff, world):
    thank(world.staff, world.staff2)
    thank(world.staff, world.staff2)
    thank(world.staff, world.staff3)
    html = as_staff.get("/kudos/new").get_data(as_text=True)
    assert "You have 2 kudos left this week." in html
    assert "You can thank the same colleague up to 2 times a week." in html
    full = re.search(rf'id="receiver-{world.staff2.id}-limit">([^<]+)<', html)
    one = re.search(rf'id="receiver-{world.staff3.id}-limit">([^<]+)<', html)
    assert full and full.group(1).strip() == "no more this week"
    assert one and one.group(1).strip() == "1 more this week"
    assert f'aria-describedby="receiver-{world.staff2.id}-limit"' in html
    # Nobody thanked yet: no hint next to them.
    assert f'id="receiver-{world.manager.id}-limit"' not in html


def used_up(world) -> None:
    for receiver in (world.staff2, world.staff3, world.manager, world.admin, world.staff2):
        thank(world.staff, receiver)


@pytest.mark.parametrize("clock", [datetime(2025, 5, 14, 10, 0, tzinfo=UTC)], indirect=True)
def test_feed_cards_say_when_kudos_renew_once_none_are_left(as_staff, world, clock):
    moment, _ = log_moment(
        db.session,
        world.staff2,
        MomentInput(
            client_id=client_id(),
            team_id=world.team.id,
            cue="A guest looked for the umbrella stand",
            action="Lent them the hotel umbrella",
            reaction="They came back dry and grateful",
            value_ids=[world.values[0].id],
        ),
    )
    db.session.commit()
    before = as_staff.get("/").get_data(as_text=True)
    assert f"/kudos/new?moment={moment.id}" in before
    assert "Your kudos renew on" not in before

    used_up(world)
    for page in ("/", f"/moments/{moment.id}"):
        html = as_staff.get(page).get_data(as_text=True)
        assert f"/kudos/new?moment={moment.id}" not in html
        assert "Your kudos renew on 19 May" in html  # the next Monday
    form = as_staff.get("/kudos/new").get_data(as_text=True)
    assert "Your kudos renew on 19 May." in form
