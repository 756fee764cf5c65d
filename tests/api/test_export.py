"""GET /api/v1/me/export: my personal data, the same as the page's download."""

from __future__ import annotations

import json

from tests.api.conftest import API, ApiClient, assert_problem
from tests.factories import World
from tests.game_support import log, thank
from webapp.account.schemas import PersonalDataSchema


def test_export_matches_the_download_and_its_schema(api: ApiClient, client, world: World) -> None:
    log(world.staff, world.team)
    thank(world.staff2, world.staff)
    api.sign_in(world.staff)

    response = api.get("me/export")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == set(PersonalDataSchema().fields)
    assert body["profile"]["id"] == world.staff.id
    assert len(body["moments_authored"]) == 1
    assert [k["giver"]["name"] for k in body["kudos_received"]] == ["Tom Bakker"]
    assert body["moments_authored"][0]["created_at"].endswith("+00:00")
    page = json.loads(client.get("/me/export").get_data(as_text=True))
    for key in ("profile", "moments_authored", "kudos_received", "ledger_entries"):
        assert page[key] == body[key]


def test_an_api_token_cannot_take_my_data(client, world: World) -> None:
    bot = ApiClient(client).use_token(world.staff, "write")
    assert_problem(bot.get("me/export"), 403)


def test_signed_out_callers_get_401(client, world: World) -> None:
    assert_problem(client.get(f"{API}/me/export"), 401)


def test_the_operation_is_documented(client, world: World) -> None:
    spec = client.get(f"{API}/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/me/export"]["get"]
    assert {"200", "401", "403"} <= set(operation["responses"])
    assert "PersonalData" in spec["components"]["schemas"]
