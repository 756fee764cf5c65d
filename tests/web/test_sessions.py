"""Sessions a shared phone can trust: signing out ends the session on the server and clears
the "remember me" cookie; a copied cookie replayed afterwards is refused; a password change
and "sign out everywhere" end every session; the CSRF token is new after signing in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import ApiToken, UserSession
from webapp.timeutil import frozen_time, utcnow

REMEMBER = "remember_token"
SESSION = "session"


pytestmark = pytest.mark.usefixtures("fresh_request_state")


def _login(client: FlaskClient, email: str, remember: bool = False) -> None:
    data = {"email": email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/me").status_code == 200


def _cookie(client: FlaskClient, name: str) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie is not None else None


def _live_sessions(user_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count(UserSession.id)).where(
                UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
            )
        )
        or 0
    )


def test_a_request_still_carrying_the_signed_out_cookie_leaves_the_sign_in_alone(
    client, app, world
):
    """The service worker precaches /offline while the person presses "Sign in": that request
    left with the signed-out cookie. Its answer must not set the cookie again, or it replaces
    the signed-in one and the next page asks to sign in once more."""
    with client.session_transaction() as cookie_session:
        cookie_session["csrf_token"] = "the login page's token"
    signed_out = _cookie(client, SESSION)
    _login(client, world.staff.email)
    assert _cookie(client, SESSION) != signed_out

    late = app.test_client(use_cookies=False)
    for path in ("/offline", "/sw.js", "/manifest.webmanifest", "/login", "/"):
        response = late.get(path, headers={"Cookie": f"{SESSION}={signed_out}"})
        assert response.status_code in (200, 302), path
        set_cookies = response.headers.getlist("Set-Cookie")
        assert not [c for c in set_cookies if c.startswith(f"{SESSION}=")], (path, set_cookies)
    assert _signed_in(client)


def test_signing_out_after_remember_me_clears_the_remember_cookie(client, world):
    _login(client, world.staff.email, remember=True)
    assert _cookie(client, REMEMBER)
    client.post("/logout")
    assert _cookie(client, REMEMBER) is None
    assert not _signed_in(client)


def test_a_remember_cookie_copied_before_sign_out_is_refused_after(client, app, world):
    _login(client, world.staff.email, remember=True)
    copied = _cookie(client, REMEMBER)
    assert copied
    client.post("/logout")
    other = app.test_client()
    other.set_cookie(REMEMBER, copied, domain="localhost")
    assert not _signed_in(other)


def test_a_session_cookie_replayed_after_sign_out_is_refused(client, app, world):
    _login(client, world.staff.email)
    copied = _cookie(client, SESSION)
    assert copied and _signed_in(client)
    assert _live_sessions(world.staff.id) == 1
    client.post("/logout")
    assert _live_sessions(world.staff.id) == 0
    thief = app.test_client()
    thief.set_cookie(SESSION, copied, domain="localhost")
    assert not _signed_in(thief)


def test_signing_out_one_browser_leaves_the_others_signed_in(client, app, world):
    phone, laptop = client, app.test_client()
    _login(phone, world.staff.email)
    _login(laptop, world.staff.email)
    phone.post("/logout")
    assert not _signed_in(phone)
    assert _signed_in(laptop)


def test_sign_out_everywhere_ends_every_session(client, app, world):
    laptop = app.test_client()
    _login(client, world.staff.email, remember=True)
    _login(laptop, world.staff.email, remember=True)
    laptop_remember = _cookie(laptop, REMEMBER)
    assert "Sign out everywhere" in client.get("/settings").get_data(as_text=True)
    response = client.post("/me/sign-out-everywhere")
    assert response.status_code == 303
    assert not _signed_in(client)
    assert not _signed_in(laptop)
    fresh = app.test_client()
    assert laptop_remember
    fresh.set_cookie(REMEMBER, laptop_remember, domain="localhost")
    assert not _signed_in(fresh)
    assert _live_sessions(world.staff.id) == 0


def test_a_password_change_ends_other_sessions_and_keeps_this_one(client, app, world):
    laptop = app.test_client()
    _login(client, world.staff.email)
    _login(laptop, world.staff.email)
    response = client.post(
        "/me/password",
        data={
            "current_password": factories.PASSWORD,
            "password": "a brand new lantern harbour",
            "confirm": "a brand new lantern harbour",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert _signed_in(client)
    assert not _signed_in(laptop)
    assert _live_sessions(world.staff.id) == 1


def test_the_api_sign_out_ends_the_session_on_the_server(client, app, world):
    response = client.post(
        "/api/v1/session", json={"email": world.staff.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 200
    copied = _cookie(client, SESSION)
    assert client.delete("/api/v1/session").status_code == 204
    thief = app.test_client()
    assert copied
    thief.set_cookie(SESSION, copied, domain="localhost")
    assert thief.get("/api/v1/me").status_code == 401


class TestCsrfRotation:
    @pytest.fixture
    def app_config(self, app_config):
        app_config["WTF_CSRF_ENABLED"] = True
        return app_config

    def test_the_csrf_token_is_new_after_signing_in(self, client, world):
        page = client.get("/login").get_data(as_text=True)
        before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert before is not None
        with client.session_transaction() as cookie_session:
            raw_before = cookie_session["csrf_token"]
        response = client.post(
            "/login",
            data={
                "email": world.staff.email,
                "password": factories.PASSWORD,
                "csrf_token": before.group(1),
            },
        )
        assert response.status_code == 302
        with client.session_transaction() as cookie_session:
            assert cookie_session.get("csrf_token") != raw_before
        assert client.get("/me").status_code == 200
        with client.session_transaction() as cookie_session:
            assert cookie_session.get("csrf_token") not in (None, raw_before)


def test_revoke_all_tokens(client, world, auth):
    auth.login(world.staff.email)
    for name in ("till", "bot"):
        assert client.post("/me/tokens", data={"name": name, "scope": "read"}).status_code == 200
    assert "Revoke all tokens" in client.get("/me/tokens").get_data(as_text=True)
    response = client.post("/me/tokens/revoke-all")
    assert response.status_code == 303
    live = db.session.scalar(
        select(func.count(ApiToken.id)).where(
            ApiToken.user_id == world.staff.id, ApiToken.revoked_at.is_(None)
        )
    )
    assert live == 0


def test_sessions_that_ended_long_ago_are_forgotten_at_the_next_sign_in(client, world):
    _login(client, world.staff.email)
    client.post("/logout")
    with frozen_time(utcnow() + timedelta(days=31)):
        _login(client, world.staff.email)
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == world.staff.id))
    assert [row.revoked_at for row in rows] == [None]
