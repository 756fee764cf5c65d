"""My account pages through the test client: change password (other sessions end), API
tokens, downloading my data, deleting my account; and the session cookie's flags."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, World, client_id
from tests.game_support import log, recognise, thank
from webapp.audit import services as audit
from webapp.auth import tokens
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import ApiToken, AuditEntry, Notification, PushSubscription, User
from webapp.moments.services import MomentInput, log_moment

NEW_PASSWORD = "lantern harbour breakfast"
SCRIPT = '<script>alert("x")</script> & "quotes"'
ACCOUNT_PAGES = ["/me/password", "/me/tokens", "/me/export", "/me/delete"]


pytestmark = pytest.mark.usefixtures("fresh_request_state")


def audited(action: str) -> int:
    return int(
        db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action)) or 0
    )


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_need_sign_in(client, world: World, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", [p for p in ACCOUNT_PAGES if p != "/me/export"])
@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_account_pages_render_for_every_role(client, auth, world, path, role) -> None:
    auth.login(world.by_role(role).email)
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'style="' not in html and "<script>" not in html


def test_me_links_every_account_page(client, auth, world) -> None:
    auth.login(world.staff.email)
    html = client.get("/settings").get_data(as_text=True)
    for path in ACCOUNT_PAGES:
        assert f'href="{path}"' in html


# Changing my password -----------------------------------------------------------------------


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/me/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_changing_my_password_signs_out_every_other_session(app, client, auth, world) -> None:
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": world.staff.email, "password": PASSWORD})
    assert other_browser.get("/me").status_code == 200
    auth.login(world.staff.email)

    response = change(client)

    assert response.status_code == 303
    page = client.get("/me")  # this browser stays signed in
    assert page.status_code == 200
    assert "You are signed out everywhere else" in page.get_data(as_text=True)
    signed_out = other_browser.get("/me")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert audited(audit.PASSWORD_CHANGED) == 1
    fresh = app.test_client()
    old = fresh.post("/login", data={"email": world.staff.email, "password": PASSWORD})
    assert old.status_code == 422
    ok = fresh.post("/login", data={"email": world.staff.email, "password": NEW_PASSWORD})
    assert ok.status_code == 302


def test_a_remembered_browser_is_signed_out_too(app, client, auth, world) -> None:
    other_browser = app.test_client()
    other_browser.post(
        "/login",
        data={"email": world.staff.email, "password": PASSWORD, "remember": "y"},
    )
    # Only the remember-me cookie is left, as after the browser was closed.
    other_browser.delete_cookie("session", domain="localhost")
    assert other_browser.get("/me").status_code == 200
    other_browser.delete_cookie("session", domain="localhost")
    auth.login(world.staff.email)
    change(client)
    assert other_browser.get("/me").status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"current": "not my password"}, "current_password", "not your current password"),
        ({"current": ""}, "current_password", "Enter your current password"),
        ({"new": "short"}, "password", "at least 10 characters"),
        ({"new": "password123"}, "password", "too easy to guess"),
        ({"new": "aaaaaaaaaaaa"}, "password", "too easy to guess"),
        ({"new": "x" * 201}, "password", "at most 200 characters"),
        ({"confirm": "something else entirely"}, "confirm", "not the same"),
        ({"new": PASSWORD}, "password", "differs from your current one"),
    ],
)
def test_bad_password_changes_show_the_field_and_change_nothing(
    client, auth, world, data, field, message
) -> None:
    auth.login(world.staff.email)
    before = (world.staff.password_hash, world.staff.session_version)
    response = change(
        client,
        current=data.get("current", PASSWORD),
        new=data.get("new", NEW_PASSWORD),
        confirm=data.get("confirm"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">\s*<p class="field__error">[^<]*{message}', html), html
    db.session.expire_all()
    assert (world.staff.password_hash, world.staff.session_version) == before
    assert client.get("/me").status_code == 200
    assert audited(audit.PASSWORD_CHANGED) == 0


def test_missing_fields_are_named(client, auth, world) -> None:
    auth.login(world.staff.email)
    response = client.post("/me/password", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("current_password", "password", "confirm"):
        assert f'id="{field}-error"' in html


# API tokens ---------------------------------------------------------------------------------


def test_a_token_is_created_shown_once_listed_and_revoked(client, auth, world) -> None:
    auth.login(world.staff.email)
    response = client.post("/me/tokens", data={"name": "Till <front>", "scope": "write"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    raw = re.search(r'id="new-token" type="text" value="(kzk_[^"]+)"', html).group(1)
    assert "Till &lt;front&gt;" in html and "Till <front>" not in html
    stored = db.session.scalars(select(ApiToken)).one()
    assert stored.scope == "write" and raw not in (stored.token_hash, stored.prefix)

    api = client.application.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    assert api.get("/api/v1/me", headers=headers).get_json()["id"] == world.staff.id

    listed = client.get("/me/tokens").get_data(as_text=True)
    assert raw not in listed
    assert stored.prefix in listed and "Read and write" in listed and "last used" in listed
    assert audited(audit.TOKEN_CREATED) == 1

    revoked = client.post(f"/me/tokens/{stored.id}/revoke")
    assert revoked.status_code == 303
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert "You have no tokens" in client.get("/me/tokens").get_data(as_text=True)
    assert audited(audit.TOKEN_REVOKED) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "scope": "read"}, "name"),
        ({"name": "x" * 81, "scope": "read"}, "name"),
        ({"name": "Bot", "scope": "admin"}, "scope"),
    ],
)
def test_bad_token_input_is_named_and_stores_nothing(client, auth, world, data, field) -> None:
    auth.login(world.staff.email)
    response = client.post("/me/tokens", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_someone_elses_token_is_not_found_and_keeps_working(client, auth, world) -> None:
    theirs, _raw = tokens.create_token(db.session, world.staff2, "Theirs", "read")
    db.session.commit()
    auth.login(world.staff.email)
    assert client.post(f"/me/tokens/{theirs.id}/revoke").status_code == 404
    assert client.post("/me/tokens/999999999999/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, theirs.id).revoked_at is None
    assert "Theirs" not in client.get("/me/tokens").get_data(as_text=True)


# Downloading my data ------------------------------------------------------------------------


def rich_history(world: World) -> None:
    """Sanne writes, is named, thanks, is thanked and recognized, and has a browser."""
    mine, _ = log_moment(
        db.session,
        world.staff,
        MomentInput(
            client_id(),
            world.team.id,
            SCRIPT,
            "Walked them over",
            "A smile",
            value_ids=[world.values[0].id],
        ),
    )
    log_moment(
        db.session,
        world.staff2,
        MomentInput(
            client_id(),
            world.team.id,
            "Tom's cue",
            "Tom's action",
            "Tom's reaction",
            value_ids=[world.values[0].id],
            colleague_ids=[world.staff.id],
        ),
    )
    log(world.staff3, world.other_team)  # nothing to do with Sanne
    thank(world.staff, world.staff2)
    give_kudos(db.session, world.staff2, KudosInput(client_id(), SCRIPT, [world.staff.id]))
    recognise(world.manager, world.staff)
    db.session.add(
        PushSubscription(
            user_id=world.staff.id, endpoint="https://push.test/sanne", p256dh="KEY", auth="AUTH"
        )
    )
    db.session.commit()
    tokens.create_token(db.session, world.staff, "Till", "read")


def test_my_data_downloads_as_a_json_file_with_everything(client, auth, world) -> None:
    rich_history(world)
    auth.login(world.staff.email)
    response = client.get("/me/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert re.match(
        r'attachment; filename="kizuki-my-data-\d{4}-\d{2}-\d{2}\.json"',
        response.headers["Content-Disposition"],
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    data = json.loads(text)

    assert data["format"] == "kizuki-personal-data/1"
    assert data["profile"]["email"] == world.staff.email
    assert "password_hash" not in text and world.staff.password_hash not in text
    assert [m["team_name"] for m in data["memberships"]] == ["Front desk"]
    assert [m["cue"] for m in data["moments_authored"]] == [SCRIPT]
    assert [m["cue"] for m in data["moments_involved"]] == ["Tom's cue"]
    assert [k["receiver"]["name"] for k in data["kudos_given"]] == ["Tom Bakker"]
    assert [k["message"] for k in data["kudos_received"]] == [SCRIPT]
    assert data["recognitions_received"][0]["manager"]["name"] == "Mila Jansen"
    assert sum(e["points"] for e in data["ledger_entries"]) > 0
    assert data["notifications"], "kudos and recognition notified her"
    assert data["push_subscriptions"] == [
        {
            "endpoint": "https://push.test/sanne",
            "created_at": data["push_subscriptions"][0]["created_at"],
        }
    ]
    assert [t["name"] for t in data["api_tokens"]] == ["Till"]
    assert not {"token", "token_hash"} & set(data["api_tokens"][0])
    assert {"KEY", "AUTH"}.isdisjoint(text.split('"'))
    assert audit.TOKEN_CREATED in {e["action"] for e in data["audit_entries"]}
    assert data["exported_at"].endswith("+00:00")
    # User text stays data: JSON-escaped, never HTML-escaped or raw in markup.
    assert '\\"x\\"' in text and "&lt;" not in text
    assert "Aisha" not in text


def test_my_data_holds_nothing_of_anyone_elses_account(client, auth, world) -> None:
    rich_history(world)
    auth.login(world.staff3.email)
    data = json.loads(client.get("/me/export").get_data(as_text=True))
    assert data["profile"]["id"] == world.staff3.id
    assert data["kudos_given"] == data["kudos_received"] == []
    assert data["push_subscriptions"] == data["api_tokens"] == []
    assert len(data["moments_authored"]) == 1


# Deleting my account ------------------------------------------------------------------------


def test_deleting_my_account_keeps_my_moment_and_drops_my_points(app, client, auth, world) -> None:
    log(world.staff, world.team)
    thank(world.staff2, world.staff)
    email = world.staff.email
    auth.login(world.staff.email)
    page = client.get("/me/delete").get_data(as_text=True)
    assert "Former colleague" in page and "cannot be undone" in page

    response = client.post("/me/delete", data={"password": PASSWORD})

    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert client.get("/me").status_code == 302  # signed out at once
    assert audited(audit.ACCOUNT_DELETED) == 1
    colleague = app.test_client()
    colleague.post("/login", data={"email": world.staff2.email, "password": PASSWORD})
    feed = colleague.get("/").get_data(as_text=True)
    assert "Former colleague" in feed and "Sanne" not in feed
    assert "Guest looked lost near the lifts" in feed
    assert f'href="/people/{world.staff.id}"' not in feed  # no link to a profile that is gone
    board = colleague.get("/leaderboard?period=all").get_data(as_text=True)
    assert "Sanne" not in board and "Former colleague" not in board
    assert colleague.get(f"/people/{world.staff.id}").status_code == 404
    again = app.test_client()
    assert again.post("/login", data={"email": email, "password": PASSWORD}).status_code == 422


def test_a_deleted_persons_other_browser_is_signed_out(app, client, auth, world) -> None:
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": world.staff.email, "password": PASSWORD})
    auth.login(world.staff.email)
    client.post("/me/delete", data={"password": PASSWORD})
    assert other_browser.get("/me").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"), [("wrong password", "not right"), ("", "Enter your password")]
)
def test_deleting_needs_my_password(client, auth, world, password, message) -> None:
    auth.login(world.staff.email)
    response = client.post("/me/delete", data={"password": password})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert world.staff.deleted_at is None and world.staff.name == "Sanne de Vries"
    assert client.get("/me").status_code == 200


def test_the_last_admin_is_told_why_they_cannot_leave(client, auth, world) -> None:
    auth.login(world.admin.email)
    response = client.post("/me/delete", data={"password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "You are the only admin of Hotel Test" in html
    db.session.expire_all()
    assert world.admin.deleted_at is None
    assert db.session.scalar(select(func.count(User.id)).where(User.deleted_at.is_not(None))) == 0


def test_deleting_forgets_my_notifications_not_anyone_elses(client, auth, world) -> None:
    thank(world.staff2, world.staff)
    thank(world.staff, world.staff2)

    def notifications_of(user: User) -> int:
        query = select(func.count(Notification.id)).where(Notification.user_id == user.id)
        return int(db.session.scalar(query) or 0)

    theirs = notifications_of(world.staff2)
    assert notifications_of(world.staff) > 0 and theirs > 0
    auth.login(world.staff.email)
    client.post("/me/delete", data={"password": PASSWORD})
    assert notifications_of(world.staff) == 0
    assert notifications_of(world.staff2) == theirs


# The session cookie -------------------------------------------------------------------------


def session_cookie(response) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    return next(c for c in cookies if c.startswith("session="))


def test_the_session_cookie_is_httponly_and_lax_in_development(client, world) -> None:
    response = client.post("/login", data={"email": world.staff.email, "password": PASSWORD})
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development runs on plain http://localhost


def test_the_session_and_remember_cookies_are_secure_in_production(
    monkeypatch, database_url, world, make_app
) -> None:
    email = world.staff.email
    db.session.rollback()  # SQLite: leave the database to the production app's connection
    monkeypatch.setenv("KIZUKI_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-for-this-test")
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False, "TESTING": True}
    )
    response = app.test_client().post(
        "/login",
        data={"email": email, "password": PASSWORD, "remember": "y"},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    for name in ("session=", "remember_token="):
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(name))
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    "path", ["/me/tokens/2147483648/revoke", "/manage/people/99999999999/reset-link"]
)
def test_impossible_ids_are_404(client, auth, world, path) -> None:
    auth.login(world.admin.email)
    assert client.post(path).status_code == 404


class TestWithCsrf:
    """Every account form carries its CSRF token; a post without one changes nothing."""

    @pytest.fixture
    def app_config(self, app_config):
        app_config["WTF_CSRF_ENABLED"] = True
        return app_config

    @staticmethod
    def token(html: str) -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def sign_in(self, client, user) -> None:
        token = self.token(client.get("/login").get_data(as_text=True))
        data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302

    def test_password_tokens_and_delete_need_the_token(self, client, world) -> None:
        self.sign_in(client, world.staff)
        change = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert client.post("/me/password", data=change).status_code == 400
        assert client.post("/me/tokens", data={"name": "Bot"}).status_code == 400
        assert client.post("/me/delete", data={"password": PASSWORD}).status_code == 400
        db.session.expire_all()
        assert world.staff.session_version == 1 and world.staff.deleted_at is None

        page = client.get("/me/tokens").get_data(as_text=True)
        made = client.post("/me/tokens", data={"name": "Bot", "csrf_token": self.token(page)})
        assert made.status_code == 200
        revoke = re.search(r'action="(/me/tokens/\d+/revoke)"', made.get_data(as_text=True))
        assert client.post(revoke.group(1)).status_code == 400
        token = self.token(made.get_data(as_text=True))
        assert client.post(revoke.group(1), data={"csrf_token": token}).status_code == 303
        page = client.get("/me/password").get_data(as_text=True)
        changed = client.post("/me/password", data={**change, "csrf_token": self.token(page)})
        assert changed.status_code == 303
        page = client.get("/me/delete").get_data(as_text=True)
        data = {"password": NEW_PASSWORD, "csrf_token": self.token(page)}
        assert client.post("/me/delete", data=data).status_code == 303
