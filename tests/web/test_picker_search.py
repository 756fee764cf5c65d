"""The people picker at the size of a chain (issue 13): a page lists a bounded number of
colleagues (the viewer's team, recent colleagues; everyone only where everyone fits), keeps
the people already chosen, and its own search button finds anyone else without JavaScript:
the form comes back with the matches, nothing saved and nothing refused."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.factories import client_id, make_team, make_user
from webapp.extensions import db
from webapp.models import Kudos, Moment

pytestmark = pytest.mark.usefixtures("fresh_request_state")

FORMS = [
    ("/moments/new", "colleague_ids"),
    ("/kudos/new", "receiver_ids"),
    ("/manage/recognize", "recipient_id"),
]


def picker(html: str, name: str) -> str:
    start = html.index(f'data-picker="{name}"')
    return html[start : html.index("</fieldset>", start)]


def shown_ids(html: str, name: str) -> list[int]:
    return [int(i) for i in re.findall(rf'name="{name}" id="[^"]+" value="(\d+)"', html)]


def checked_ids(html: str, name: str) -> list[int]:
    return [
        int(i)
        for i in re.findall(rf'name="{name}" id="[^"]+" value="(\d+)" checked', picker(html, name))
    ]


@pytest.fixture
def chain(world):
    """A larger hotel: a second big team, and Sanne's own front desk grown past the bound."""
    big = make_team(db.session, world.org, "Housekeeping")
    for n in range(12):
        make_user(db.session, world.org, "staff", big, name=f"Harriet Keeper {n:02d}")
    for n in range(6):
        make_user(db.session, world.org, "staff", world.team, name=f"Desk Person {n:02d}")
    world.far = make_user(db.session, world.org, "staff", big, name="Zacharias Far_away")
    world.gone = make_user(db.session, world.org, "staff", big, name="Zacharias Gone", active=False)
    db.session.commit()
    return world


def login_for(auth, world, url: str) -> None:
    auth.login((world.manager if "manage" in url else world.staff).email)


@pytest.mark.parametrize(("url", "name"), FORMS)
def test_a_large_organisation_shows_a_bounded_list_and_says_search_finds_the_rest(
    client, auth, app, chain, monkeypatch, url, name
):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    login_for(auth, chain, url)
    html = client.get(url).get_data(as_text=True)
    ids = shown_ids(html, name)
    assert 0 < len(ids) <= 10, ids
    assert len(set(ids)) == len(ids)
    assert chain.far.id not in ids  # in another team, never worked with: the search finds her
    part = picker(html, name)
    total = 5 + 12 + 6 + 1 - 1  # everyone active in the hotel but the viewer
    assert f"Showing {len(ids)} of {total} colleagues" in part
    assert 'name="picker_q"' in part
    assert 'name="picker_search"' in part and "formnovalidate" in part
    assert "/api/v1/people" in part  # where picker.js asks


@pytest.mark.parametrize(("url", "name"), FORMS)
def test_a_small_organisation_keeps_everyone_and_no_search_button(client, auth, world, url, name):
    login_for(auth, world, url)
    html = client.get(url).get_data(as_text=True)
    viewer = world.manager if "manage" in url else world.staff
    everyone = {world.staff.id, world.staff2.id, world.staff3.id, world.manager.id, world.admin.id}
    assert set(shown_ids(html, name)) == everyone - {viewer.id}
    assert "picker_search" not in picker(html, name)
    assert "Showing" not in picker(html, name)


def test_the_bound_keeps_the_viewers_team_first(client, auth, app, chain, monkeypatch):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.staff.email)
    html = client.get("/kudos/new").get_data(as_text=True)
    headings = re.findall(r'id="receiver_ids-group-(\w+)"', html)
    assert headings == ["team"]
    assert chain.staff2.id in shown_ids(html, "receiver_ids")
    assert not re.search(r'data-name="Harriet', html)


def test_a_link_to_someone_outside_the_list_shows_them_checked(
    client, auth, app, chain, monkeypatch
):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.staff.email)
    html = client.get(f"/kudos/new?to={chain.far.id}").get_data(as_text=True)
    assert checked_ids(html, "receiver_ids") == [chain.far.id]
    assert 'id="receiver_ids-group-chosen"' in html
    # Someone inactive or of another organisation is never offered, linked or not.
    for user in (chain.gone, chain.outsider):
        html = client.get(f"/kudos/new?to={user.id}").get_data(as_text=True)
        assert user.id not in shown_ids(html, "receiver_ids")


def test_the_search_button_shows_the_form_again_with_the_matches_and_saves_nothing(
    client, auth, app, chain, monkeypatch
):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.staff.email)
    moments_before = db.session.scalar(select(func.count(Moment.id)))
    typed = {
        "client_id": client_id(),
        "cue": "A guest looked lost",
        "action": "",  # would be refused on saving: a search says nothing of it
        "reaction": "She smiled",
        "team_id": chain.team.id,
        "colleague_ids": [chain.staff3.id],
        "picker_q": "  zacharias  ",
        "picker_search": "colleague_ids",
    }
    response = client.post("/moments/new", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Moment.id))) == moments_before
    assert "field__error" not in html.replace("field__errors", "")  # no refusal shown
    assert "A guest looked lost" in html and "She smiled" in html  # kept as typed
    assert 'value="zacharias"' in html
    part = picker(html, "colleague_ids")
    assert 'id="colleague_ids-group-found"' in part
    found = re.findall(r'data-name="([^"]+)"', part.partition("colleague_ids-group-found")[2])
    assert found[0] == "Zacharias Far_away"
    assert "Zacharias Gone" not in part  # inactive
    assert "1 colleague found." in part
    assert checked_ids(html, "colleague_ids") == [chain.staff3.id]  # still chosen


def test_a_search_with_nobody_chosen_shows_the_matches_in_an_open_section(
    client, auth, app, chain, monkeypatch
):
    """The moment form keeps colleagues in a section that starts closed: after a search
    without JavaScript it is open, or the matches would be hidden in it."""
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.staff.email)
    response = client.post(
        "/moments/new",
        data={"cue": "A cue", "picker_q": "zacharias", "picker_search": "colleague_ids"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    opening = re.search(r"<details[^>]*>(?=\s*<summary[^>]*>[^<]*colleagues)", html)
    assert opening is not None and " open" in opening.group(0)


def test_choosing_a_found_colleague_then_saving_works(client, auth, app, chain, monkeypatch):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.staff.email)
    response = client.post(
        "/kudos/new",
        data={
            "client_id": client_id(),
            "message": "Thank you for the towels!",
            "receiver_ids": [chain.far.id],
            "value_id": chain.values[0].id,
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Kudos.receiver_id).order_by(Kudos.id.desc()).limit(1)) == (
        chain.far.id
    )


def test_a_refused_form_keeps_a_chosen_colleague_outside_the_list(
    client, auth, app, chain, monkeypatch
):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.staff.email)
    response = client.post(
        "/kudos/new",
        data={"client_id": client_id(), "message": "", "receiver_ids": [chain.far.id]},
    )
    assert response.status_code == 422
    assert checked_ids(response.get_data(as_text=True), "receiver_ids") == [chain.far.id]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "Enter between 1 and 100 characters."),
        ("   ", "Enter between 1 and 100 characters."),
        ("x" * 101, "Enter between 1 and 100"),
        ("an\x00na", "Remove the invisible control characters"),
    ],
)
def test_an_empty_or_too_long_search_says_so_on_the_search_box(
    client, auth, app, chain, monkeypatch, query, error
):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.manager.email)
    response = client.post(
        "/manage/recognize", data={"picker_q": query, "picker_search": "recipient_id"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error in picker(html, "recipient_id")
    assert 'id="recipient_id-group-found"' not in html
    assert "\x00" not in html


def test_the_search_finds_only_active_colleagues_of_the_own_hotel(
    client, auth, app, chain, monkeypatch
):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.manager.email)
    for query in ("Olga", "Gone", "Mila"):  # another hotel, inactive, the manager herself
        html = client.post(
            "/manage/recognize", data={"picker_q": query, "picker_search": "recipient_id"}
        ).get_data(as_text=True)
        assert "Nobody matches that name." in picker(html, "recipient_id"), query


def test_the_search_folds_case_beyond_a_to_z_on_either_database(client, auth, chain):
    """SQLite's own lower() knows A-Z only: "émile" must find "Émile" there as well."""
    from webapp.orgs.picker import search_colleagues

    for name in ("Émile Ørsted", "ÖZLEM Çelik", "Emil Orsted"):
        make_user(db.session, chain.org, "staff", chain.team, name=name)
    db.session.commit()

    def found(query: str) -> list[str]:
        return [u.name for u in search_colleagues(db.session, chain.staff, query)]

    assert found("émile") == ["Émile Ørsted"]
    assert found("ÉMILE ØRSTED") == ["Émile Ørsted"]
    assert found("özlem çelik") == ["ÖZLEM Çelik"]
    assert found("emil") == ["Emil Orsted"]  # an accent is a different letter
    auth.login(chain.staff.email)
    html = client.post(
        "/kudos/new", data={"picker_q": "öz", "picker_search": "receiver_ids"}
    ).get_data(as_text=True)
    assert "ÖZLEM Çelik" in picker(html, "receiver_ids")


def test_the_search_button_on_the_recognition_form_keeps_the_chosen_recipient(
    client, auth, app, chain, monkeypatch
):
    monkeypatch.setitem(app.config, "PICKER_LIMIT", 10)
    auth.login(chain.manager.email)
    html = client.post(
        "/manage/recognize",
        data={
            "recipient_id": chain.far.id,
            "message": "Half a message",
            "picker_q": "Harriet",
            "picker_search": "recipient_id",
        },
    ).get_data(as_text=True)
    assert checked_ids(html, "recipient_id") == [chain.far.id]
    assert "Half a message" in html
    assert "Harriet Keeper 00" in picker(html, "recipient_id")
