"""Input that looks fine but is not (issue 9, §5 "Also"): text that shows nothing, a cost in
fractions of a cent, a moment dated in another year or the future, links built from a Host
header, secrets left in caches, other people's spending in my export."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.api.conftest import ApiClient, assert_problem
from tests.api.test_moments import client_id, count_moments, moment_payload
from tests.factories import World
from tests.game_support import log
from webapp.extensions import db
from webapp.models import Moment
from webapp.moments.services import delete_moment
from webapp.timeutil import utcnow

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200b\u200c\u200d\ufeff",  # joiners and the byte-order mark
    "\u202e\u202d\u2066\u2069",  # direction overrides and isolates
    " \u200e\u200f \u00ad\n",  # marks, a soft hyphen and white space
]


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_text_made_only_of_invisible_characters_is_empty(
    api: ApiClient, world: World, invisible: str
) -> None:
    api.sign_in(world.staff)
    response = api.post("moments", json=moment_payload(world, cue=invisible))
    body = assert_problem(response, 422, "cue")
    assert "characters" in body["errors"]["cue"][0]
    assert count_moments() == 0


def test_invisible_characters_inside_real_text_are_kept(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    response = api.post("moments", json=moment_payload(world, cue="Emoji 👩\u200d🍳 chef"))
    assert response.status_code == 201
    assert response.get_json()["cue"] == "Emoji 👩\u200d🍳 chef"


def test_invisible_text_on_the_page_form_is_refused_too(client, auth, world: World) -> None:
    auth.login(world.staff.email)
    response = client.post(
        "/moments/new",
        data={
            "client_id": client_id(),
            "team_id": str(world.team.id),
            "cue": "\u200b\u200b\u200b",
            "action": "I walked them to their taxi.",
            "reaction": "They smiled.",
            "value_ids": [str(world.values[0].id)],
        },
    )
    assert response.status_code == 422
    assert count_moments() == 0


@pytest.mark.parametrize("cost", [1.5, 0.5, 250.25, "Infinity"])
def test_a_fraction_of_a_cent_is_refused_not_cut(api: ApiClient, world: World, cost: Any) -> None:
    api.sign_in(world.staff)
    payload = moment_payload(world, gesture_cost_cents=cost, gesture_note="Tea")
    if cost == "Infinity":  # JSON as Python writes it: Infinity is no number of cents
        response = api.post(
            "moments",
            data=json.dumps({**payload, "gesture_cost_cents": float("inf")}),
            content_type="application/json",
        )
    else:
        response = api.post("moments", json=payload)
    assert_problem(response, 422, "gesture_cost_cents")
    assert count_moments() == 0


def test_whole_cents_and_the_pages_euros_still_work(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    made = api.post("moments", json=moment_payload(world, gesture_cost_cents=150.0))
    assert made.status_code == 201
    assert db.session.get(Moment, made.get_json()["id"]).gesture_cost_cents == 150


def test_the_page_reads_1_5_as_one_euro_fifty(client, auth, world: World) -> None:
    auth.login(world.staff.email)
    client.post(
        "/moments/new",
        data={
            "client_id": client_id(),
            "team_id": str(world.team.id),
            "cue": "A guest was cold on the terrace.",
            "action": "I brought a blanket and tea.",
            "reaction": "They stayed for dessert.",
            "value_ids": [str(world.values[0].id)],
            "gesture_cost": "1.5",
            "gesture_note": "Tea",
        },
    )
    assert db.session.scalars(select(Moment.gesture_cost_cents)).one() == 150


@pytest.mark.parametrize(
    ("shift", "accepted"),
    [
        (timedelta(days=-400), False),
        (timedelta(days=-3650), False),
        (timedelta(hours=2), False),
        (timedelta(days=365 * 50), False),
        (timedelta(days=-300), True),
        (timedelta(minutes=-5), True),
        (timedelta(minutes=2), True),  # a phone's clock running a little fast
    ],
)
def test_occurred_at_far_in_the_past_or_in_the_future_is_refused(
    api: ApiClient, world: World, shift: timedelta, accepted: bool
) -> None:
    api.sign_in(world.staff)
    at = (utcnow() + shift).isoformat()
    response = api.post("moments", json=moment_payload(world, occurred_at=at))
    if accepted:
        assert response.status_code == 201, response.get_json()
    else:
        assert_problem(response, 422, "occurred_at")
        assert count_moments() == 0


class TestPublicUrl:
    @pytest.fixture
    def app_config(self, app_config: dict[str, object]) -> dict[str, object]:
        return {**app_config, "PUBLIC_URL": "https://kizuki.example.org"}

    def test_an_api_invite_link_is_built_on_public_url(self, api: ApiClient, world: World):
        api.sign_in(world.admin)
        response = api.post("invites", json={"role": "staff", "team_id": world.team.id})
        assert response.status_code == 201
        assert response.get_json()["url"].startswith("https://kizuki.example.org/invite/")
        assert response.headers["Cache-Control"] == "no-store"

    def test_the_admin_pages_invite_link_is_built_on_public_url(self, client, auth, world):
        auth.login(world.admin.email)
        response = client.post(
            "/admin/invites",
            data={"role": "staff", "team_id": str(world.team.id), "expires_in_days": "3"},
            headers={"Host": "evil.example.net"},
        )
        page = response.get_data(as_text=True)
        assert 'value="https://kizuki.example.org/invite/' in page
        assert "evil.example.net" not in page
        assert response.headers["Cache-Control"] == "no-store"


class TestProductionWithoutPublicUrl:
    @pytest.fixture
    def app_config(self, app_config: dict[str, object]) -> dict[str, object]:
        return {**app_config, "KIZUKI_ENV": "production", "PUBLIC_URL": None}

    def test_an_invite_link_never_takes_the_host_header(self, client, world: World):
        bot = ApiClient(client).use_token(world.admin, "write")
        response = bot.post(
            "invites",
            json={"role": "staff", "team_id": world.team.id},
            headers={"Host": "evil.example.net"},
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["url"].startswith("/invite/")


def test_a_new_api_token_is_never_cached(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    response = api.post("tokens", json={"name": "Laptop", "scope": "read"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"


def test_the_tokens_page_showing_a_new_token_is_never_cached(client, auth, world) -> None:
    auth.login(world.staff.email)
    response = client.post("/me/tokens", data={"name": "Laptop", "scope": "read"})
    assert response.headers["Cache-Control"] == "no-store"


def test_my_export_never_holds_others_spending_nor_what_they_deleted(
    api: ApiClient, world: World
) -> None:
    """(This already held on main; kept as a guard.)"""
    mine = log(world.staff, world.team)
    theirs = api.sign_in(world.staff2).post(
        "moments",
        json=moment_payload(
            world, colleague_ids=[world.staff.id], gesture_cost_cents=2100, gesture_note="Wine"
        ),
    )
    assert theirs.status_code == 201
    deleted = api.post(
        "moments", json=moment_payload(world, colleague_ids=[world.staff.id], cue="Gone later")
    ).get_json()
    delete_moment(db.session, world.staff2, db.session.get(Moment, deleted["id"]))
    db.session.commit()

    body = api.sign_in(world.staff).get("me/export").get_json()
    assert [m["id"] for m in body["moments_authored"]] == [mine.id]
    involved = body["moments_involved"]
    assert [m["id"] for m in involved] == [theirs.get_json()["id"]]
    assert "gesture_cost_cents" not in involved[0] and "gesture_note" not in involved[0]
    text = str(body)
    assert "2100" not in text and "Wine" not in text and "Gone later" not in text
