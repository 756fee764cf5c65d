"""Personal API tokens: shown once, hashed at rest, scoped, revocable, their use noted."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from sqlalchemy import select

from tests.api.conftest import API, ApiClient, assert_problem
from tests.factories import World
from webapp.auth import tokens
from webapp.extensions import db
from webapp.models import ApiToken


def test_token_is_shown_once_and_stored_hashed(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    response = api.post("tokens", json={"name": "Till", "scope": "read"})
    assert response.status_code == 201
    body = response.get_json()
    raw = body["token"]
    assert raw.startswith("kzk_") and body["prefix"] == raw[:12]
    stored = db.session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (stored.token_hash, stored.prefix, stored.name)
    listed = api.get("tokens").get_json()
    assert [t["name"] for t in listed["items"]] == ["Till"]
    assert "token" not in listed["items"][0]
    assert listed["next_cursor"] is None


def test_read_token_can_read_but_not_write(client, world: World) -> None:
    reader = ApiClient(client).use_token(world.staff, "read")
    assert reader.get("me").get_json()["id"] == world.staff.id
    response = reader.post("notifications/read")
    assert_problem(response, 403)


def test_write_token_needs_no_csrf_and_sets_no_cookie(client, world: World) -> None:
    writer = ApiClient(client).use_token(world.staff, "write")
    response = writer.post("notifications/read")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # The token did not leave a session behind.
    assert_problem(client.get(f"{API}/me"), 401)


def test_revoked_or_unknown_token_is_401(api: ApiClient, client, world: World) -> None:
    api.sign_in(world.staff)
    made = api.post("tokens", json={"name": "Bot", "scope": "write"}).get_json()
    other = client.application.test_client()
    headers = {"Authorization": f"Bearer {made['token']}"}
    assert other.get(f"{API}/me", headers=headers).status_code == 200
    assert api.delete(f"tokens/{made['id']}").status_code == 204
    assert_problem(other.get(f"{API}/me", headers=headers), 401)
    assert_problem(other.get(f"{API}/me", headers={"Authorization": "Bearer kzk_nope"}), 401)
    assert_problem(other.get(f"{API}/me", headers={"Authorization": "Bearer "}), 401)


def test_last_used_at_is_updated(client, world: World) -> None:
    token, raw = tokens.create_token(db.session, world.staff, "Sync", "read")
    assert token.last_used_at is None
    client.get(f"{API}/values", headers={"Authorization": f"Bearer {raw}"})
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None


def test_tokens_are_managed_with_the_session_only(client, world: World) -> None:
    writer = ApiClient(client).use_token(world.staff, "write")
    assert_problem(writer.post("tokens", json={"name": "Another"}), 403)
    assert_problem(writer.get("tokens"), 403)
    assert db.session.scalar(select(db.func.count(ApiToken.id))) == 1


def test_someone_elses_token_cannot_be_revoked(api: ApiClient, world: World) -> None:
    theirs, _raw = tokens.create_token(db.session, world.staff2, "Theirs", "write")
    db.session.commit()
    api.sign_in(world.staff)
    assert_problem(api.delete(f"tokens/{theirs.id}"), 404)
    db.session.expire_all()
    assert db.session.get(ApiToken, theirs.id).revoked_at is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 10_000}, "name"),
        ({"name": 12}, "name"),
        ({"name": "ok", "scope": "admin"}, "scope"),
    ],
)
def test_bad_token_input_is_a_problem(api: ApiClient, world: World, payload, field) -> None:
    api.sign_in(world.staff)
    assert_problem(api.post("tokens", json=payload), 422, field)
    assert db.session.scalar(select(db.func.count(ApiToken.id))) == 0


class TestCsrf:
    """With CSRF on (as in production): cookies need the header, bearer tokens do not."""

    @pytest.fixture
    def app_config(self, app_config: dict[str, object]) -> dict[str, object]:
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_cookie_request_without_csrf_header_is_refused(
        self, app: Flask, api: ApiClient, world: World
    ) -> None:
        api.sign_in(world.staff)
        response = api.client.post(f"{API}/tokens", json={"name": "No header"})
        assert_problem(response, 400)
        assert db.session.scalar(select(db.func.count(ApiToken.id))) == 0
        wrong = api.client.post(
            f"{API}/tokens", json={"name": "Wrong"}, headers={"X-CSRFToken": "forged"}
        )
        assert_problem(wrong, 400)

    def test_cookie_request_with_csrf_header_works(
        self, app: Flask, api: ApiClient, world: World
    ) -> None:
        api.sign_in(world.staff)
        assert api.post("tokens", json={"name": "With header"}).status_code == 201

    def test_bearer_request_needs_no_csrf(self, app: Flask, client, world: World) -> None:
        writer = ApiClient(client).use_token(world.staff, "write")
        assert writer.post("notifications/read").status_code == 200

    def test_sign_out_needs_csrf(self, app: Flask, api: ApiClient, world: World) -> None:
        api.sign_in(world.staff)
        assert_problem(api.client.delete(f"{API}/session"), 400)
        assert api.get("me").status_code == 200
        assert api.delete("session").status_code == 204
        assert_problem(api.get("me"), 401)
