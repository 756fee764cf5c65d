"""GET /api/v1/people?q= (issue 13): the people picker's search. Only active colleagues of
the caller's own organisation, never the caller; LIKE's wildcards taken literally; at most
20; bad input a 422 naming `q` or `limit`, never a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient, assert_problem
from tests.factories import World, make_user
from webapp.extensions import db


@pytest.fixture
def named(world: World) -> World:
    """Colleagues whose names hold LIKE's wildcards, an accent, and one inactive."""
    for name in ("Anna 100% Zorg", "Anna_Bel Zorg", "Anna Back\\slash", "Annabel Zorg"):
        make_user(db.session, world.org, "staff", world.team, name=name)
    make_user(db.session, world.org, "staff", world.team, name="Anna Inactive", active=False)
    make_user(db.session, world.org, "staff", world.team, name="Élodie Brûlé")
    make_user(db.session, world.org, "staff", world.team, name="Belle Start")
    make_user(db.session, world.other_org, "staff", world.other_team_foreign, name="Anna Other")
    db.session.commit()
    return world


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["name"] for item in response.get_json()["items"]]


def test_finds_active_colleagues_of_the_own_organisation_only(api: ApiClient, named: World):
    api.sign_in(named.staff)
    found = names(api.get("people?q=anna"))
    assert sorted(found) == sorted(
        ["Anna 100% Zorg", "Anna_Bel Zorg", "Anna Back\\slash", "Annabel Zorg"]
    )
    item = api.get("people?q=annabel").get_json()["items"][0]
    assert set(item) == {"id", "name", "initials"}
    assert item["initials"] == "AZ"


def test_never_the_caller_nor_another_organisation(api: ApiClient, named: World):
    api.sign_in(named.staff)
    assert names(api.get("people?q=Sanne")) == []  # the caller herself
    assert names(api.get("people?q=Olga")) == []  # another hotel
    api.sign_in(named.outsider)
    assert names(api.get("people?q=anna")) == ["Anna Other"]


def test_wildcards_are_taken_literally(api: ApiClient, named: World):
    api.sign_in(named.staff)
    assert names(api.get("people", query_string={"q": "%"})) == ["Anna 100% Zorg"]
    assert names(api.get("people", query_string={"q": "a_b"})) == ["Anna_Bel Zorg"]
    assert names(api.get("people", query_string={"q": "\\"})) == ["Anna Back\\slash"]


def test_every_word_must_match_and_the_first_word_starting_a_name_comes_first(
    api: ApiClient, named: World
):
    api.sign_in(named.staff)
    found = names(api.get("people", query_string={"q": "zorg  bel"}))
    assert sorted(found) == ["Anna_Bel Zorg", "Annabel Zorg"]
    found = names(api.get("people", query_string={"q": "bel"}))
    assert found[0] == "Belle Start" and sorted(found[1:]) == ["Anna_Bel Zorg", "Annabel Zorg"]
    # Case is ignored; accents must be typed (the page's own list folds them).
    assert names(api.get("people", query_string={"q": "BRÛLÉ".lower()})) == ["Élodie Brûlé"]


def test_the_answer_is_bounded(api: ApiClient, world: World):
    for n in range(25):
        make_user(db.session, world.org, "staff", world.team, name=f"Many Person {n:02d}")
    db.session.commit()
    api.sign_in(world.staff)
    assert len(names(api.get("people?q=many"))) == 20
    assert len(names(api.get("people?q=many&limit=3"))) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "anna", "limit": "21"}, "limit"),
        ({"q": "anna", "limit": "0"}, "limit"),
        ({"q": "anna", "limit": "²"}, "limit"),
        ({"q": "anna", "limit": "9" * 40}, "limit"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(api: ApiClient, named: World, query, field):
    api.sign_in(named.staff)
    assert_problem(api.get("people", query_string=query), 422, field)


@pytest.mark.parametrize(
    "query", ["x" * 100, "😀 🏨", "'; drop table users; --", "a" * 3 + " b" * 40]
)
def test_odd_but_valid_text_answers(api: ApiClient, named: World, query):
    api.sign_in(named.staff)
    assert api.get("people", query_string={"q": query}).status_code == 200


def test_signed_out_is_401(api: ApiClient, named: World):
    assert_problem(api.get("people?q=anna"), 401)


def test_a_token_of_the_organisation_works_too(api: ApiClient, named: World):
    api.use_token(named.manager, "read")
    assert "Annabel Zorg" in names(api.get("people?q=annabel"))
