"""Contract tests of the other resources: session, organisation, recognitions, leaderboard,
notifications, push subscriptions, invites and the documentation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_smorest import Api
from sqlalchemy import func, select

from tests.api.conftest import API, ApiClient, assert_problem
from tests.api.test_moments import moment_payload
from tests.factories import PASSWORD, World
from tests.push_support import PUSH_CONFIG, BrowserKeys
from webapp import extensions
from webapp.extensions import DescribedOnReadApi, db
from webapp.models import Invite, Notification, PushSubscription, Recognition


def count(model: Any, *where: Any) -> int:
    return int(db.session.scalar(select(func.count(model.id)).where(*where)) or 0)


# Session --------------------------------------------------------------------------------------


def test_sign_in_and_out(api: ApiClient, world: World) -> None:
    assert_problem(api.get("me"), 401)
    api.sign_in(world.staff)
    me = api.get("me").get_json()
    assert me["id"] == world.staff.id and me["teams"][0]["id"] == world.team.id
    assert me["kudos_left"] == world.org.kudos_weekly_allowance
    assert api.delete("session").status_code == 204
    assert_problem(api.get("me"), 401)


def test_the_session_names_who_is_signed_in_with_a_current_csrf_token(
    api: ApiClient, world: World
) -> None:
    assert_problem(api.get("session"), 401)
    api.sign_in(world.staff)
    session = api.get("session").get_json()
    assert session["user"]["id"] == world.staff.id and session["csrf_token"]
    api.delete("session")
    api.sign_in(world.staff2)
    assert api.get("session").get_json()["user"]["id"] == world.staff2.id


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"email": "nobody@example.com", "password": PASSWORD}, 401, None),
        ({"password": PASSWORD}, 422, "email"),
        ({"email": "a@b.c", "password": 5}, 422, "password"),
        ({"email": "a" * 10_000, "password": PASSWORD}, 422, "email"),
    ],
)
def test_sign_in_refusals(
    client: FlaskClient, world: World, payload: dict, status: int, field: str | None
) -> None:
    assert_problem(client.post(f"{API}/session", json=payload), status, field)


def test_wrong_password_and_inactive_people_are_401(client: FlaskClient, world: World) -> None:
    wrong = {"email": world.staff.email, "password": "not-the-password"}
    assert_problem(client.post(f"{API}/session", json=wrong), 401)
    world.staff2.active = False
    db.session.commit()
    gone = {"email": world.staff2.email, "password": PASSWORD}
    assert_problem(client.post(f"{API}/session", json=gone), 401)


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config: dict[str, object]) -> dict[str, object]:
        return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"}

    def test_sign_in_is_rate_limited_with_retry_after(
        self, app: Flask, client: FlaskClient, world: World
    ) -> None:
        wrong = {"email": world.staff.email, "password": "guess"}
        for _ in range(3):
            assert client.post(f"{API}/session", json=wrong).status_code == 401
        response = client.post(f"{API}/session", json=wrong)
        assert_problem(response, 429)
        assert int(response.headers["Retry-After"]) > 0


# Organisation -----------------------------------------------------------------------------


def test_values_settings_teams_and_members(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    values = api.get("values").get_json()
    assert {v["name"] for v in values["items"]} == {"Anticipate", "Personal touch"}
    assert values["next_cursor"] is None
    settings = api.get("settings").get_json()
    assert settings["kudos_weekly_allowance"] == world.org.kudos_weekly_allowance
    teams = {t["name"]: t for t in api.get("teams").get_json()["items"]}
    assert set(teams) == {"Front desk", "Restaurant"}
    assert teams["Front desk"]["member_count"] == 4
    members = api.get(f"teams/{world.team.id}/members").get_json()["items"]
    assert members[0]["name"] == world.manager.name and members[0]["role"] == "lead"
    assert_problem(api.get(f"teams/{world.other_team_foreign.id}/members"), 404)


def test_team_overview_for_managers(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    api.post("moments", json=moment_payload(world, gesture_cost_cents=300))
    assert_problem(api.get(f"teams/{world.team.id}/overview"), 403)
    api.sign_in(world.manager)
    overview = api.get(f"teams/{world.team.id}/overview").get_json()
    assert overview["coverage"]["team_id"] == world.team.id
    quiet = {q["user"]["id"] for q in overview["coverage"]["quiet"]}
    assert world.staff.id in quiet and world.manager.id not in quiet
    spent = {row["user"]["id"]: row["spent_cents"] for row in overview["budget"]}
    assert spent[world.staff.id] == 300
    assert world.staff3.id not in spent
    # The manager leads the front desk only: another team is someone else's to look after.
    assert_problem(api.get(f"teams/{world.other_team.id}/overview"), 403)
    api.sign_in(world.admin)
    assert api.get(f"teams/{world.other_team.id}/overview").status_code == 200


def test_invites_for_admins(api: ApiClient, world: World) -> None:
    api.sign_in(world.manager)
    assert_problem(api.post("invites", json={"role": "staff"}), 403)
    assert_problem(api.get("invites"), 403)
    api.sign_in(world.admin)
    made = api.post("invites", json={"role": "staff", "team_id": world.team.id})
    assert made.status_code == 201
    body = made.get_json()
    assert body["token"] in body["url"] and "/invite/" in body["url"]
    listed = api.get("invites").get_json()["items"]
    assert [i["id"] for i in listed] == [body["id"]] and "token" not in listed[0]
    assert_problem(api.post("invites", json={"role": "emperor"}), 422, "role")
    assert_problem(api.post("invites", json={"expires_in_days": 10_000}), 422, "expires_in_days")
    foreign = {"team_id": world.other_team_foreign.id}
    assert_problem(api.post("invites", json=foreign), 404, "team_id")
    assert count(Invite) == 1
    assert api.delete(f"invites/{body['id']}").status_code == 204
    assert api.get("invites").get_json()["items"] == []


# Recognitions -----------------------------------------------------------------------------

MESSAGE = "You noticed the guest's allergy before they had to ask. Thank you."


def test_recognitions(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    recognition = {"recipient_id": world.staff2.id, "message": MESSAGE}
    assert_problem(api.post("recognitions", json=recognition), 403)
    api.sign_in(world.manager)
    made = api.post("recognitions", json={**recognition, "award": "eagle_eye"})
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["recipient_id"] == world.staff2.id
    for bad, status, field in [
        ({"message": "Thanks"}, 422, "message"),
        ({"message": "x" * 10_000}, 422, "message"),
        ({"award": "gold"}, 422, "award"),
        ({"recipient_id": "Tom"}, 422, "recipient_id"),
        ({"recipient_id": world.outsider.id}, 404, "recipient_id"),
        ({"moment_ids": [999_999]}, 422, "moment_ids"),
    ]:
        assert_problem(api.post("recognitions", json={**recognition, **bad}), status, field)
    assert count(Recognition) == 1
    api.sign_in(world.staff3)
    listed = api.get(f"recognitions?person_id={world.staff2.id}").get_json()["items"]
    assert [r["id"] for r in listed] == [made.get_json()["id"]]
    api.sign_in(world.outsider)
    assert api.get("recognitions").get_json()["items"] == []


# Leaderboard ------------------------------------------------------------------------------


def test_leaderboard(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    api.post("moments", json=moment_payload(world))
    board = api.get("leaderboard?period=week").get_json()
    assert board["scope"] == "teams" and board["team"] is None
    assert {t["name"] for t in board["teams"]} == {"Front desk", "Restaurant"}
    mine = api.get(f"leaderboard?scope=team&team_id={world.team.id}&period=all").get_json()
    assert mine["team"]["me"]["points"] > 0
    assert_problem(api.get(f"leaderboard?scope=team&team_id={world.other_team.id}"), 403)
    assert_problem(api.get(f"leaderboard?scope=team&team_id={world.other_team_foreign.id}"), 404)
    assert_problem(api.get("leaderboard?scope=team"), 422, "team_id")
    assert_problem(api.get("leaderboard?period=decade"), 422, "period")
    assert_problem(api.get("leaderboard?scope=world"), 422, "scope")


# Notifications and push ---------------------------------------------------------------------


def test_notifications(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    kudos = {"client_id": moment_payload(world)["client_id"], "receiver_ids": [world.staff2.id]}
    api.post("kudos", json={**kudos, "message": "Well spotted!"})
    api.sign_in(world.staff2)
    listed = api.get("notifications?unread=true").get_json()["items"]
    # The kudos, and the badge for receiving a colleague's very first ("Their first thank-you").
    assert sorted(n["kind"] for n in listed) == ["badge", "kudos"]
    assert api.post("notifications/read").get_json() == {"unread": 0}
    assert api.get("notifications?unread=true").get_json()["items"] == []
    assert len(api.get("notifications").get_json()["items"]) == 2
    api.sign_in(world.staff)
    assert "kudos" not in {n["kind"] for n in api.get("notifications").get_json()["items"]}
    assert count(Notification, Notification.kind == "kudos") == 1


_BROWSER = BrowserKeys()
SUBSCRIPTION = {
    "endpoint": "https://push.example.com/send/abc",
    "keys": {"p256dh": _BROWSER.p256dh, "auth": _BROWSER.auth},
}


class TestPushSubscriptions:
    @pytest.fixture
    def app_config(self, app_config: dict[str, object]) -> dict[str, object]:
        return {**app_config, **PUSH_CONFIG}

    def test_push_subscriptions(self, api: ApiClient, world: World) -> None:
        api.sign_in(world.staff)
        assert api.post("push-subscriptions", json=SUBSCRIPTION).status_code == 201
        assert api.post("push-subscriptions", json=SUBSCRIPTION).status_code == 200
        for bad, field in [
            ({"endpoint": "http://push.example.com/x"}, "endpoint"),
            ({"endpoint": "javascript:alert(1)"}, "endpoint"),
            ({"endpoint": "https://x.example.com/" + "a" * 10_000}, "endpoint"),
            ({"keys": {"p256dh": "k"}}, "keys"),
            ({"keys": "none"}, "keys"),
        ]:
            response = api.post("push-subscriptions", json={**SUBSCRIPTION, **bad})
            assert_problem(response, 422, field)
        assert count(PushSubscription) == 1
        api.sign_in(world.staff2)
        endpoint = {"endpoint": SUBSCRIPTION["endpoint"]}
        assert_problem(api.delete("push-subscriptions", json=endpoint), 404, "endpoint")
        api.sign_in(world.staff)
        assert api.delete("push-subscriptions", json=endpoint).status_code == 204
        assert count(PushSubscription) == 0


# Documentation ----------------------------------------------------------------------------


def test_the_document_described_on_read_is_the_one_described_at_registration(
    app: Flask, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert extensions.api._undescribed  # nothing described yet: the app never served it
    on_read = json.dumps(extensions.api.spec.to_dict())
    assert not extensions.api._undescribed and len(json.loads(on_read)["paths"]) > 20
    # flask-smorest's own registration, describing each blueprint as it is registered
    monkeypatch.setattr(DescribedOnReadApi, "register_blueprint", Api.register_blueprint)
    make_app(app.config)
    assert not extensions.api._undescribed
    assert json.dumps(extensions.api.spec.to_dict()) == on_read  # the same, in the same order


def test_openapi_document_describes_errors_as_problems(client: FlaskClient, world: World) -> None:
    spec = client.get(f"{API}/openapi.json").get_json()
    responses = spec["components"]["responses"]
    for name in ("UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "UNPROCESSABLE_CONTENT"):
        assert "application/problem+json" in responses[name]["content"]
    assert "Retry-After" in responses["TOO_MANY_REQUESTS"]["headers"]
    for path in ("kudos", "moments"):
        created = spec["paths"][f"{API}/{path}"]["post"]["responses"]
        assert {"200", "201", "401", "409", "422"} <= set(created), path


def test_docs_page_lists_every_operation(client: FlaskClient, world: World) -> None:
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    spec = client.get(f"{API}/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method in set(item) & {"get", "post", "patch", "put", "delete"}:
            assert f"{method.upper()} {path}" in page
    assert "token_id (path)" in page
    assert "client_id" in page and "Retry-After" in page
    assert "<script>" not in page and "style=" not in page
    assert "api-docs.js" in page


@pytest.mark.parametrize(
    ("path", "field"),
    [("session", "email"), ("moments", "cue"), ("kudos", "message")],
)
def test_control_characters_are_refused_naming_the_field(api, world, path, field):
    # PostgreSQL refuses NUL in text: it must be a 422 naming the field, never a 500.
    if path != "session":
        api.sign_in(world.staff)
    response = api.post(path, json={field: "Hello\x00there", "password": "x"})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
