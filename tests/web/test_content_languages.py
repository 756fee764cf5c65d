"""Organisation content in each language it uses: an English and a Dutch colleague each see
the values, challenges and awards in their own language, on every page and in the API; the
admin writes them per language (issue 10)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import refresh
from sqlalchemy import select

from tests.game_support import log, thank
from webapp.extensions import db
from webapp.game import seasons
from webapp.game.challenges import ChallengeInput, create_challenge
from webapp.models import Challenge, Value
from webapp.orgs import content
from webapp.recognition.services import RecognitionInput, recognize

NAMES = {"en": ("Anticipate", "Personal touch"), "nl": ("Vooruitdenken", "Persoonlijke aandacht")}


@pytest.fixture
def people(world):
    """The world's values in both languages; Sanne reads Dutch, Tom English."""
    for i, value in enumerate(world.values):
        texts = {lang: {"name": NAMES[lang][i], "description": ""} for lang in NAMES}
        content.store(value, texts, world.org.default_locale)
    world.staff.locale, world.staff2.locale = "nl", "en"
    db.session.commit()
    return {"nl": world.staff, "en": world.staff2}


def _sign_in(auth, person):
    auth.login(person.email)
    refresh()  # the test's app context outlives requests: forget the language it cached


def _page(client, auth, person, url):
    _sign_in(auth, person)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _theirs_not_the_others(html, lang):
    other = "en" if lang == "nl" else "nl"
    assert NAMES[lang][0] in html and NAMES[other][0] not in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_moment_form_offers_the_values_in_the_persons_language(client, auth, people, lang):
    _theirs_not_the_others(_page(client, auth, people[lang], "/moments/new"), lang)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_feed_and_its_value_filter_speak_the_persons_language(
    client, auth, world, people, lang
):
    log(world.manager, world.team, [world.values[0].id])
    html = _page(client, auth, people[lang], "/")
    _theirs_not_the_others(html, lang)
    assert re.search(rf'href="/\?value={world.values[0].id}"[^>]*>{NAMES[lang][0]}<', html)
    filtered = _page(client, auth, people[lang], f"/?value={world.values[0].id}")
    _theirs_not_the_others(filtered, lang)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_kudos_from_a_moment_preselect_its_value_by_the_persons_name(
    client, auth, world, people, lang
):
    moment = log(world.manager, world.team, [world.values[0].id])
    html = _page(client, auth, people[lang], f"/kudos/new?moment={moment.id}")
    selected = re.search(r"<option selected[^>]*>([^<]*)</option>", html)
    assert selected is not None and selected.group(1) == NAMES[lang][0]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_challenges_show_the_title_in_the_persons_language(client, auth, world, people, lang):
    today = seasons.today_for(world.org)
    texts = {
        "en": {"title": "Notice returning guests", "description": "Greet them by name."},
        "nl": {"title": "Vaste gasten herkennen", "description": ""},
    }
    create_challenge(
        db.session,
        world.manager,
        ChallengeInput(
            world.team.id,
            texts["en"]["title"],
            today,
            today + timedelta(days=6),
            description=texts["en"]["description"],
            value_id=world.values[0].id,
            texts=texts,
        ),
    )
    db.session.commit()
    html = _page(client, auth, people[lang], "/challenges")
    assert texts[lang]["title"] in html
    assert texts["en" if lang == "nl" else "nl"]["title"] not in html
    _theirs_not_the_others(html, lang)  # the challenge's value
    # Nothing in Dutch: a Dutch colleague reads the organisation's default.
    assert "Greet them by name." in html


@pytest.mark.parametrize(("lang", "award"), [("nl", "Gouden sleutel"), ("en", "Golden key")])
def test_recognition_and_kudos_on_the_profile_speak_the_persons_language(
    client, auth, world, people, lang, award
):
    person = people[lang]
    thank(world.manager, person, value_id=world.values[0].id)
    recognize(
        db.session,
        world.manager,
        RecognitionInput(
            recipient_id=person.id,
            message="You saw the guest was cold and brought a blanket before she asked.",
            award="golden_key",
        ),
    )
    db.session.commit()
    html = _page(client, auth, person, "/me")
    assert award in html
    _theirs_not_the_others(html, lang)


def test_the_api_gives_the_chosen_text_and_admins_every_language(client, auth, world, people):
    _sign_in(auth, people["nl"])
    items = client.get("/api/v1/values").get_json()["items"]
    assert {v["name"] for v in items} == set(NAMES["nl"])
    assert all("translations" not in v for v in items)
    _sign_in(auth, world.admin)
    items = client.get("/api/v1/values").get_json()["items"]
    anticipate = next(v for v in items if v["id"] == world.values[0].id)
    assert anticipate["translations"]["nl"]["name"] == "Vooruitdenken"
    assert anticipate["translations"]["en"]["name"] == "Anticipate"


# Admin: one field per language ---------------------------------------------------------------


def test_the_admin_writes_a_value_in_both_languages(client, auth, world):
    auth.login(world.admin.email)
    form = client.get("/admin/values").get_data(as_text=True)
    assert 'name="name_en"' in form and 'name="name_nl"' in form
    assert "No name in Nederlands yet" in form  # the world's values are English only
    response = client.post(
        "/admin/values",
        data={"name_en": "Warmth", "name_nl": "Warmte", "description_nl": "Maak het gezellig."},
    )
    assert response.status_code == 302
    value = db.session.scalars(select(Value).where(Value.name == "Warmth")).one()
    assert value.translations == {
        "en": {"name": "Warmth"},
        "nl": {"name": "Warmte", "description": "Maak het gezellig."},
    }
    edit = client.get(f"/admin/values/{value.id}").get_data(as_text=True)
    assert 'value="Warmte"' in edit and "Maak het gezellig." in edit
    response = client.post(
        f"/admin/values/{value.id}",
        data={"name_en": "Warmth", "name_nl": "Warmte en gezelligheid", "active": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert value.translations["nl"] == {"name": "Warmte en gezelligheid"}


def test_a_dutch_organisation_requires_the_dutch_name(client, auth, world):
    world.org.default_locale = "nl"
    db.session.commit()
    auth.login(world.admin.email)
    response = client.post("/admin/values", data={"name_en": "Warmth"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Fill this in: Nederlands is your organisation" in html
    assert 'href="#name_nl"' in html  # the error summary links to the field
    assert db.session.scalars(select(Value).where(Value.name == "Warmth")).first() is None


def test_the_manager_writes_a_challenge_in_both_languages(client, auth, world):
    auth.login(world.manager.email)
    form = client.get("/challenges/new").get_data(as_text=True)
    assert 'name="title_en"' in form and 'name="title_nl"' in form
    today = seasons.today_for(world.org)
    response = client.post(
        "/challenges/new",
        data={
            "team_id": str(world.team.id),
            "title_en": "Notice returning guests",
            "title_nl": "Vaste gasten herkennen",
            "value_id": "",
            "starts_on": today.isoformat(),
            "last_day": (today + timedelta(days=6)).isoformat(),
            "goal": "5",
        },
    )
    assert response.status_code == 302
    challenge = db.session.scalars(select(Challenge)).one()
    assert challenge.default_title == "Notice returning guests"
    assert challenge.translations["nl"] == {"title": "Vaste gasten herkennen"}
