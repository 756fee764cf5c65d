"""The people picker (issue 12 §6) through the test client: own team first, recent
colleagues on top, a plain list that posts without JavaScript; the kudos message above the
names; and the recognition form's moments fragment and who may fetch it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories import client_id, make_user
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import Moment
from webapp.moments.services import MomentInput, log_moment


def log(author, team, cue="Guest looked lost near the lifts", colleagues=()):
    moment, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=team.id,
            cue=cue,
            action="Walked them to their room",
            reaction="Relieved smile",
            value_ids=[author.organisation.values[0].id],
            colleague_ids=list(colleagues),
        ),
    )
    db.session.commit()
    return moment


def picker(html: str, name: str) -> str:
    start = html.index(f'data-picker="{name}"')
    return html[start : html.index("</fieldset>", start)]


def names(html: str, name: str) -> list[str]:
    return re.findall(r'data-name="([^"]+)"', picker(html, name))


def headings(html: str, name: str) -> list[str]:
    return re.findall(r'class="picker__heading" id="[^"]+-group-(\w+)"', picker(html, name))


@pytest.fixture
def busy_world(world):
    """Sanne (staff) works at the front desk; she recently thanked Zoë (restaurant) and logged
    a moment with Ruud (her own team)."""
    zoe = make_user(db.session, world.org, "staff", world.other_team, name="Zoë Zijlstra")
    make_user(db.session, world.org, "staff", world.other_team, name="Bram Aalders")
    db.session.commit()
    give_kudos(
        db.session,
        world.staff,
        KudosInput(
            client_id=client_id(),
            message="Thank you for the warm welcome today!",
            receiver_ids=[zoe.id],
            value_id=world.values[0].id,
        ),
    )
    db.session.commit()
    log(world.staff, world.team, colleagues=[world.admin.id])
    world.zoe = zoe
    return world


@pytest.mark.parametrize(
    ("url", "name"), [("/kudos/new", "receiver_ids"), ("/moments/new", "colleague_ids")]
)
def test_own_team_first_recent_colleagues_on_top_then_the_rest(client, auth, busy_world, url, name):
    auth.login(busy_world.staff.email)
    html = client.get(url).get_data(as_text=True)
    # Own team (Ruud, worked with lately, on top; then by name), then the recent colleague
    # from another team, then everyone else by name; never yourself nor another hotel.
    assert names(html, name) == [
        "Ruud Admin",
        "Mila Jansen",
        "Tom Bakker",
        "Zoë Zijlstra",
        "Aisha Khan",
        "Bram Aalders",
    ]
    assert headings(html, name) == ["team", "recent", "rest"]
    assert "Your team" in html and "Recent colleagues" in html and "Everyone else" in html


def test_without_history_the_picker_is_own_team_then_alphabetical(client, auth, world):
    auth.login(world.manager.email)
    html = client.get("/manage/recognize").get_data(as_text=True)
    assert names(html, "recipient_id") == [
        "Ruud Admin",
        "Sanne de Vries",
        "Tom Bakker",
        "Aisha Khan",
    ]
    assert headings(html, "recipient_id") == ["team", "rest"]
    assert re.search(r'type="radio" name="recipient_id" id="recipient-\d+"', html)
    assert "<select" not in picker(html, "recipient_id")


def test_the_kudos_message_box_sits_above_the_names(client, auth, world):
    auth.login(world.staff.email)
    html = client.get("/kudos/new").get_data(as_text=True)
    assert html.index('name="message"') < html.index('data-picker="receiver_ids"')


def test_colleagues_of_a_moment_post_as_plain_checkboxes(client, auth, world):
    auth.login(world.staff.email)
    html = client.get("/moments/new").get_data(as_text=True)
    assert f'type="checkbox" name="colleague_ids" id="colleague-{world.staff3.id}"' in html
    response = client.post(
        "/moments/new",
        data={
            "client_id": client_id(),
            "cue": "A guest was cold",
            "action": "Brought a blanket",
            "reaction": "Warm smile",
            "value_ids": [str(world.values[0].id)],
            "team_id": str(world.team.id),
            "colleague_ids": [str(world.staff2.id), str(world.staff3.id)],
        },
    )
    assert response.status_code == 302
    moment = db.session.scalars(select(Moment)).one()
    assert sorted(c.id for c in moment.colleagues) == sorted([world.staff2.id, world.staff3.id])


# The moments fragment of the recognition form ----------------------------------------------

FRAGMENT = "/manage/recognize/moments"


def test_the_fragment_lists_the_chosen_colleagues_moments(client, auth, world):
    mine = log(world.staff, world.team, cue="Guest was cold in the lobby")
    log(world.staff2, world.team, cue="Someone else's moment")
    auth.login(world.manager.email)
    response = client.get(f"{FRAGMENT}?to={world.staff.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="recognize-moments"' in html and "Guest was cold in the lobby" in html
    assert f'name="moment_ids" id="moment_ids-0" value="{mine.id}"' in html
    assert "Someone else" not in html


@pytest.mark.parametrize(
    ("who", "to", "status"),
    [
        ("staff", "staff2", 403),  # staff may not recognize
        ("manager", "outsider", 404),  # another organisation's person
        ("outsider_manager", "staff", 404),  # a manager of another organisation
        ("manager", "manager", 404),  # nobody recognizes themselves
        ("manager", "abc", 400),
    ],
)
def test_the_fragment_is_only_for_managers_and_people_they_may_recognise(
    client, auth, world, who, to, status
):
    log(world.staff2, world.team, cue="Private to this hotel")
    auth.login(getattr(world, who).email)
    query = "" if to is None else f"?to={getattr(world, to).id if hasattr(world, to) else to}"
    response = client.get(f"{FRAGMENT}{query}")
    assert response.status_code == status
    assert "Private to this hotel" not in response.get_data(as_text=True)


def test_without_a_colleague_the_fragment_asks_to_choose_one(client, auth, world):
    auth.login(world.manager.email)
    response = client.get(FRAGMENT)
    assert response.status_code == 200
    assert "Choose a colleague and press" in response.get_data(as_text=True)


def test_the_fragment_needs_sign_in(client, world):
    response = client.get(f"{FRAGMENT}?to={world.staff.id}")
    assert response.status_code in (302, 401)
