"""The kiosk's moment and kudos forms at the size of a chain: they list at most PICKER_LIMIT
colleagues of the person whose turn it is (their team first) and say so; the page's own
search button (the kiosk has no session for the API's search) finds anyone else, and a
colleague found that way can be chosen and saved. Nobody inactive or of another
organisation is ever offered or accepted."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import World, client_id, make_team, make_user
from tests.web.test_kiosk import as_kiosk, make_kiosk, moment_form, set_pin, start_turn
from webapp.extensions import db
from webapp.models import KioskDevice, Kudos, Membership, Moment, User

pytestmark = pytest.mark.usefixtures("fresh_request_state")

LIMIT = 5
FORMS = [("/kiosk/moment", "colleague_ids"), ("/kiosk/kudos", "receiver_ids")]


def picker(html: str, name: str) -> str:
    start = html.index(f'data-picker="{name}"')
    return html[start : html.index("</fieldset>", start)]


def shown_ids(html: str, name: str) -> list[int]:
    return [int(i) for i in re.findall(rf'name="{name}" id="[^"]+" value="(\d+)"', html)]


def group_ids(html: str, name: str, key: str) -> list[int]:
    part = picker(html, name)
    start = part.index(f'id="{name}-group-{key}"')
    end = part.find("</section>", start)
    return shown_ids(part[start:end], name)


@pytest.fixture
def chain(world: World, app: Flask, monkeypatch: pytest.MonkeyPatch) -> World:
    """A larger hotel: a big second team, and Sanne's front desk grown past the bound;
    Sanne's turn is on at the front desk's kiosk."""
    monkeypatch.setitem(app.config, "PICKER_LIMIT", LIMIT)
    big = make_team(db.session, world.org, "Housekeeping")
    for n in range(12):
        make_user(db.session, world.org, "staff", big, name=f"Harriet Keeper {n:02d}")
    for n in range(4):
        make_user(db.session, world.org, "staff", world.team, name=f"Desk Person {n:02d}")
    world.far = make_user(db.session, world.org, "staff", big, name="Zacharias Far_away")  # type: ignore[attr-defined]
    world.gone = make_user(  # type: ignore[attr-defined]
        db.session, world.org, "staff", world.team, name="Zacharias Gone", active=False
    )
    db.session.commit()
    return world


def turn(client: FlaskClient, world: World) -> KioskDevice:
    set_pin(world.staff)
    device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start_turn(client, world.staff)
    return device


def team_ids(world: World) -> set[int]:
    """The active colleagues of the person's team (the kiosk's)."""
    members = select(Membership.user_id).where(Membership.team_id == world.team.id)
    active = select(User.id).where(User.id.in_(members), User.active, User.id != world.staff.id)
    return set(db.session.scalars(active))


@pytest.mark.parametrize(("url", "name"), FORMS)
def test_a_kiosk_form_lists_at_most_the_bound_with_the_team_first(
    client: FlaskClient, chain: World, url: str, name: str
) -> None:
    turn(client, chain)
    html = client.get(url).get_data(as_text=True)
    ids = shown_ids(html, name)
    assert len(ids) == LIMIT and len(set(ids)) == LIMIT
    # The person's front desk (7 active colleagues) fills the bound; nobody from elsewhere.
    assert set(ids) <= team_ids(chain)
    assert re.findall(rf'id="{name}-group-(\w+)"', html) == ["team"]
    total = 4 + 12 + 4 + 1  # everyone active in the hotel but the person of the turn
    part = picker(html, name)
    assert f"Showing {LIMIT} of {total} colleagues" in part
    assert chain.far.id not in ids and chain.gone.id not in ids  # type: ignore[attr-defined]
    # The page's own search, never the API's (the kiosk has no session for it).
    assert 'name="picker_search"' in part and 'name="picker_q"' in part
    assert "data-search-url" not in part and "/api/v1/people" not in html
    assert "pwa/js/picker.js" in html and "pwa/js/kiosk.js" in html


@pytest.mark.parametrize(("url", "name"), FORMS)
def test_a_small_organisation_shows_everyone_on_the_kiosk_without_a_search(
    client: FlaskClient, world: World, url: str, name: str
) -> None:
    turn(client, world)
    html = client.get(url).get_data(as_text=True)
    everyone = {world.staff2.id, world.staff3.id, world.manager.id, world.admin.id}
    assert set(shown_ids(html, name)) == everyone
    assert "picker_search" not in picker(html, name) and "Showing" not in html


def test_the_kiosk_search_finds_a_colleague_outside_the_bound_and_the_moment_keeps_them(
    client: FlaskClient, chain: World
) -> None:
    device = turn(client, chain)
    far = chain.far  # type: ignore[attr-defined]
    typed = {
        **moment_form(chain),
        "action": "",  # would be refused on saving: a search says nothing of it
        "colleague_ids": [chain.staff2.id],
        "picker_q": "  zacharias ",
        "picker_search": "colleague_ids",
    }
    response = client.post("/kiosk/moment", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Moment.id))) == 0
    assert "field__error" not in html.replace("field__errors", "")  # nothing refused
    assert 'value="zacharias"' in html and typed["cue"] in html
    assert group_ids(html, "colleague_ids", "found") == [far.id]  # never the inactive one
    assert re.search(rf'value="{chain.staff2.id}" checked', picker(html, "colleague_ids"))
    db.session.refresh(device)
    assert device.person_id == chain.staff.id  # a search does not end the turn

    saved = {**moment_form(chain), "colleague_ids": [chain.staff2.id, far.id]}
    response = client.post("/kiosk/moment", data=saved)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    moment = db.session.scalar(select(Moment))
    assert moment is not None and moment.author_id == chain.staff.id
    assert {c.id for c in moment.colleagues} == {chain.staff2.id, far.id}


def test_the_kiosk_search_finds_a_colleague_outside_the_bound_and_kudos_reach_them(
    client: FlaskClient, chain: World
) -> None:
    turn(client, chain)
    far = chain.far  # type: ignore[attr-defined]
    data = {
        "client_id": client_id(),
        "message": "Thank you for the extra towels!",
        "value_id": chain.values[0].id,
    }
    search = {**data, "picker_q": "far_away", "picker_search": "receiver_ids"}
    response = client.post("/kiosk/kudos", data=search)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Kudos.id))) == 0
    assert group_ids(html, "receiver_ids", "found") == [far.id]
    assert "Thank you for the extra towels!" in html

    response = client.post("/kiosk/kudos", data={**data, "receiver_ids": [far.id]})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    kudos = db.session.scalar(select(Kudos))
    assert kudos is not None and kudos.giver_id == chain.staff.id and kudos.receiver_id == far.id


def test_a_kiosk_refused_form_keeps_a_found_colleague_chosen(
    client: FlaskClient, chain: World
) -> None:
    turn(client, chain)
    far = chain.far  # type: ignore[attr-defined]
    response = client.post(
        "/kiosk/moment", data={**moment_form(chain), "action": "", "colleague_ids": [far.id]}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert group_ids(html, "colleague_ids", "chosen") == [far.id]
    assert re.search(rf'value="{far.id}" checked', picker(html, "colleague_ids"))


def test_the_kiosk_never_offers_or_accepts_someone_inactive_or_of_another_organisation(
    client: FlaskClient, chain: World
) -> None:
    turn(client, chain)
    gone = chain.gone  # type: ignore[attr-defined]
    for url, name in FORMS:
        for query in ("zacharias gone", "olga"):
            html = client.post(url, data={"picker_q": query, "picker_search": name})
            page = html.get_data(as_text=True)
            assert html.status_code == 200
            assert "Nobody matches that name." in picker(page, name)
            assert not {gone.id, chain.outsider.id} & set(shown_ids(page, name))
    for user in (gone, chain.outsider):
        moment = {**moment_form(chain), "colleague_ids": [user.id]}
        response = client.post("/kiosk/moment", data=moment)
        assert response.status_code == 422
        assert user.id not in shown_ids(response.get_data(as_text=True), "colleague_ids")
        kudos = {
            "client_id": client_id(),
            "receiver_ids": [user.id],
            "message": "Thanks!",
            "value_id": chain.values[0].id,
        }
        response = client.post("/kiosk/kudos", data=kudos)
        assert response.status_code == 422
        assert user.id not in shown_ids(response.get_data(as_text=True), "receiver_ids")
    assert db.session.scalar(select(func.count(Moment.id))) == 0
    assert db.session.scalar(select(func.count(Kudos.id))) == 0
