"""Signing in and out, and accepting an invite link, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from tests import factories
from webapp.auth import services
from webapp.extensions import db
from webapp.models import Invite, Membership, User
from webapp.timeutil import utcnow

GOOD_PASSWORD = "lantern harbour breakfast"


def user_count() -> int:
    return int(db.session.scalar(select(func.count(User.id))) or 0)


# Signing in -------------------------------------------------------------------------------


def test_login_page_renders(client, world):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="email"' in html and 'name="password"' in html and 'name="remember"' in html


def test_login_success_lands_on_the_feed(client, world, auth):
    response = auth.login(world.staff.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_is_case_insensitive_on_the_email(client, world, auth):
    response = auth.login(world.staff.email.upper())
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("user-nobody@example.test", factories.PASSWORD),  # unknown address
        (None, "wrong-password-here"),  # known address, wrong password
    ],
)
def test_wrong_credentials_give_one_generic_message(client, world, auth, email, password):
    response = auth.login(email or world.staff.email, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "That e-mail address and password do not match." in html
    assert client.get("/").status_code == 302  # still signed out


def test_an_unknown_address_costs_what_a_wrong_password_costs():
    # The dummy hash is written in the source (made once, not at each import): its method and
    # cost (scrypt's N, r, p) must stay those a real password is hashed with today.
    def cost(password_hash: str) -> str:
        return password_hash.split("$", 1)[0]

    assert cost(services.DUMMY_HASH) == cost(services.hash_password("any password"))
    assert cost(services.DUMMY_HASH).startswith("scrypt:")  # not the tests' one-round hash
    assert check_password_hash(services.DUMMY_HASH, "not-a-real-password-at-all")


def test_empty_login_form_shows_field_messages(client, world):
    response = client.post("/login", data={"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your e-mail address." in html or "This field is required." in html


def test_deactivated_person_cannot_sign_in(client, world, auth):
    world.staff.active = False
    db.session.commit()
    response = auth.login(world.staff.email)
    assert response.status_code == 422


def test_safe_next_is_followed(client, world, auth):
    response = client.post(
        "/login?next=/moments/new",
        data={"email": world.staff.email, "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/moments/new"


@pytest.mark.parametrize(
    "target", ["//evil.com", "https://evil.com", "/\\evil", "\\\\evil.com", "javascript:alert(1)"]
)
def test_unsafe_next_is_ignored(client, world, target):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": world.staff.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_next_survives_the_form(client, world):
    html = client.get("/login?next=/kudos/new").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/kudos/new"' in html
    response = client.post(
        "/login",
        data={"email": world.staff.email, "password": factories.PASSWORD, "next": "/kudos/new"},
    )
    assert response.headers["Location"] == "/kudos/new"


def test_signed_in_person_visiting_login_goes_to_the_feed(client, world, auth):
    auth.login(world.staff.email)
    response = client.get("/login")
    assert response.status_code == 302 and response.headers["Location"] == "/"


# Signing out ------------------------------------------------------------------------------


def test_logout_requires_post(client, world, auth):
    auth.login(world.staff.email)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200  # still signed in


def test_logout_signs_out_with_a_message(client, world, auth):
    auth.login(world.staff.email)
    response = client.post("/logout", follow_redirects=True)
    assert response.request.path == "/login"
    assert "You are signed out." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def csrf_token(html: str) -> str:
    found = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        app_config["WTF_CSRF_ENABLED"] = True
        return app_config

    def test_login_and_logout_need_the_token(self, client, world):
        form = {"email": world.staff.email, "password": factories.PASSWORD}
        assert client.post("/login", data=form).status_code == 400
        token = csrf_token(client.get("/login").get_data(as_text=True))
        assert client.post("/login", data={**form, "csrf_token": token}).status_code == 302
        assert client.post("/logout").status_code == 400
        assert client.get("/").status_code == 200  # still signed in
        token = csrf_token(client.get("/settings").get_data(as_text=True))  # sign out is there
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
        assert client.get("/").status_code == 302


# Rate limit -------------------------------------------------------------------------------


class TestLoginRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        app_config.update({"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"})
        return app_config

    def test_too_many_attempts_get_a_429_with_retry_after(self, client, world, auth):
        for _ in range(3):
            assert auth.login(world.staff.email, "wrong-password-here").status_code == 422
        response = auth.login(world.staff.email)
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0
        assert "That was a lot in a short time" in response.get_data(as_text=True)

    def test_viewing_the_form_is_not_limited(self, client, world):
        for _ in range(6):
            assert client.get("/login").status_code == 200


# Invites ----------------------------------------------------------------------------------


def make_invite(world, **fields) -> str:
    raw, token_hash = services.new_token()
    invite = Invite(
        org_id=world.org.id,
        token_hash=token_hash,
        role=fields.pop("role", "staff"),
        team_id=fields.pop("team_id", world.other_team.id),
        team_role=fields.pop("team_role", "lead"),
        created_by_id=world.admin.id,
        expires_at=fields.pop("expires_at", utcnow() + timedelta(days=7)),
        **fields,
    )
    db.session.add(invite)
    db.session.commit()
    return raw


def accept(client, raw, **overrides):
    data = {
        "name": "Kim Newcomer",
        "email": "kim@example.test",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
    }
    data.update(overrides)
    return client.post(f"/invite/{raw}", data=data)


def test_token_helpers():
    raw, token_hash = services.new_token()
    assert len(raw) >= 40 and token_hash == services.hash_token(raw) and len(token_hash) == 64
    assert services.new_token()[0] != raw


def test_invite_page_shows_the_organisation_team_and_role(client, world):
    raw = make_invite(world, role="manager")
    html = client.get(f"/invite/{raw}").get_data(as_text=True)
    assert "Hotel Test" in html and "Restaurant" in html and "Manager" in html


def test_accepting_an_invite_creates_the_account_and_signs_in(client, world):
    raw = make_invite(world, role="manager", team_role="lead")
    response = accept(client, raw, email="Kim@Example.test")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = db.session.scalar(select(User).where(User.email == "kim@example.test"))
    assert user is not None and user.org_id == world.org.id and user.role == "manager"
    assert user.password_hash.startswith("scrypt:")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership is not None
    assert (membership.team_id, membership.role) == (world.other_team.id, "lead")
    invite = db.session.scalar(select(Invite))
    assert invite.used_at is not None and invite.used_by_id == user.id
    feed = client.get("/")
    assert feed.status_code == 200 and "Welcome to Hotel Test, Kim!" in feed.get_data(as_text=True)


def test_a_used_invite_is_a_friendly_404(client, world):
    raw = make_invite(world)
    accept(client, raw)
    client.post("/logout")
    before = user_count()
    response = accept(client, raw, email="second@example.test")
    assert response.status_code == 404
    assert "This invite link does not work any more" in response.get_data(as_text=True)
    assert user_count() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"expires_at": utcnow() - timedelta(minutes=1)},
        {"revoked_at": utcnow()},
    ],
)
def test_expired_or_revoked_invites_are_404(client, world, fields):
    raw = make_invite(world, **fields)
    assert client.get(f"/invite/{raw}").status_code == 404
    assert accept(client, raw).status_code == 404


def test_unknown_token_is_404(client, world):
    response = client.get("/invite/not-a-real-token")
    assert response.status_code == 404
    assert "Ask the person who sent it for a new link." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short1", "confirm": "short1"}, "Use at least 10 characters."),
        ({"password": "password123", "confirm": "password123"}, "too easy to guess"),
        ({"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"}, "too easy to guess"),
        ({"confirm": "something else entirely"}, "The two passwords are not the same."),
        ({"email": "not-an-address"}, "Enter an e-mail address"),
        ({"name": ""}, "Enter between 1 and 80 characters."),
    ],
)
def test_bad_invite_input_is_refused(client, world, overrides, message):
    raw = make_invite(world)
    before = user_count()
    response = accept(client, raw, **overrides)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert user_count() == before
    assert db.session.scalar(select(Invite)).used_at is None


def test_duplicate_email_is_refused_on_the_field(client, world):
    raw = make_invite(world)
    before = user_count()
    response = accept(client, raw, email=world.staff.email.upper())
    assert response.status_code == 422
    assert "An account with this e-mail address already exists." in response.get_data(as_text=True)
    assert user_count() == before
    assert db.session.scalar(select(Invite)).used_at is None


def test_a_first_visit_is_greeted_as_a_first_visit(client, world) -> None:
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Welcome to Kizuki" in page
    assert "Welcome back" not in page and "Please sign in to continue." not in page


def test_a_returning_person_is_welcomed_back_and_told_why(client, world, auth) -> None:
    response = auth.login(world.staff.email)
    assert "kizuki_returning=1" in response.headers.get("Set-Cookie", "")
    auth.logout()
    page = client.get("/leaderboard", follow_redirects=True).get_data(as_text=True)
    assert "Welcome back" in page and "Please sign in to continue." in page
    assert "Welcome to Kizuki" not in page
