"""Password reset links through the pages: made by an admin or manager and shown once, used
once on /reset/<token>; and "Forgot password?" by e-mail, against a local SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, World
from tests.smtp_fake import FakeSmtpServer
from webapp.account import resets
from webapp.audit import services as audit
from webapp.extensions import db
from webapp.models import AuditEntry, PasswordReset
from webapp.timeutil import utcnow

NEW_PASSWORD = "lantern harbour breakfast"
LINK = re.compile(r'id="reset-link" type="text" value="(http://localhost/reset/[^"]+)"')


pytestmark = pytest.mark.usefixtures("fresh_request_state")


def link_count() -> int:
    return int(db.session.scalar(select(func.count(PasswordReset.id))) or 0)


def make_link(client, person, **data) -> str:
    response = client.post(f"/manage/people/{person.id}/reset-link", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return LINK.search(response.get_data(as_text=True)).group(1)


def path_of(link: str) -> str:
    return link.removeprefix("http://localhost")


# Making links -------------------------------------------------------------------------------


def test_an_admin_makes_a_link_on_the_persons_page(client, auth, world: World) -> None:
    auth.login(world.admin.email)
    page = client.get(f"/admin/people/{world.staff.id}").get_data(as_text=True)
    assert f'action="/manage/people/{world.staff.id}/reset-link"' in page
    link = make_link(client, world.staff, next=f"/admin/people/{world.staff.id}")
    assert len(path_of(link)) > 40
    raw = path_of(link).removeprefix("/reset/")
    stored = db.session.scalars(select(PasswordReset)).one()
    assert stored.token_hash != raw and raw not in stored.token_hash
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == audit.RESET_LINK_CREATED)
    ).one()
    assert (entry.actor_id, entry.target_id) == (world.admin.id, world.staff.id)
    # The audit page reads it in words.
    assert "Password reset link created" in client.get("/admin/audit").get_data(as_text=True)


def test_an_admin_sees_no_link_form_for_themselves(client, auth, world: World) -> None:
    auth.login(world.admin.email)
    page = client.get(f"/admin/people/{world.admin.id}").get_data(as_text=True)
    assert "reset-link" not in page


def test_a_manager_helps_the_staff_of_the_team_they_lead(client, auth, world: World) -> None:
    auth.login(world.manager.email)
    assert 'href="/manage/passwords"' in client.get("/manage").get_data(as_text=True)
    page = client.get("/manage/passwords").get_data(as_text=True)
    assert "Sanne de Vries" in page and "Tom Bakker" in page
    assert "Aisha Khan" not in page and "Ruud Admin" not in page
    make_link(client, world.staff)
    for person in (world.staff3, world.admin):
        assert client.post(f"/manage/people/{person.id}/reset-link").status_code == 403
    assert link_count() == 1


def test_staff_cannot_make_links(client, auth, world: World) -> None:
    auth.login(world.staff.email)
    assert client.get("/manage/passwords").status_code == 403
    assert client.post(f"/manage/people/{world.staff2.id}/reset-link").status_code == 403
    assert link_count() == 0


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_another_organisations_person_is_404(client, auth, world: World, role: str) -> None:
    auth.login(world.by_role(role).email)
    assert client.post(f"/manage/people/{world.outsider.id}/reset-link").status_code == 404
    assert link_count() == 0


def test_anonymous_people_are_sent_to_sign_in(client, world: World) -> None:
    for response in (
        client.get("/manage/passwords"),
        client.post(f"/manage/people/{world.staff.id}/reset-link"),
    ):
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert link_count() == 0


def test_a_refused_link_says_why_and_goes_back(client, auth, world: World) -> None:
    world.staff.active = False
    db.session.commit()
    auth.login(world.admin.email)
    response = client.post(
        f"/manage/people/{world.staff.id}/reset-link", data={"next": "https://evil.test/"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/manage/passwords")  # no open redirect
    assert "is deactivated" in client.get("/manage/passwords").get_data(as_text=True)
    assert link_count() == 0


# Using a link ---------------------------------------------------------------------------------


def test_a_link_sets_a_new_password_once_and_signs_out_elsewhere(
    app, client, auth, world: World
) -> None:
    phone = app.test_client()
    phone.post("/login", data={"email": world.staff.email, "password": PASSWORD})
    auth.login(world.admin.email)
    path = path_of(make_link(client, world.staff))
    person = app.test_client()

    page = person.get(path)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "For Sanne de Vries" in page.get_data(as_text=True)
    done = person.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert done.status_code == 303 and done.headers["Location"].endswith("/")
    assert person.get("/me").status_code == 200  # signed in with the new password
    assert phone.get("/me").status_code == 302  # the old session is over
    again = person.get(path)
    assert again.status_code == 404
    assert "does not work any more" in again.get_data(as_text=True)
    assert person.post(path, data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 404
    fresh = app.test_client()
    ok = fresh.post("/login", data={"email": world.staff.email, "password": NEW_PASSWORD})
    assert ok.status_code == 302
    assert db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == audit.PASSWORD_RESET)
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": "short", "confirm": "short"}, "password"),
        ({"password": "wachtwoord123", "confirm": "wachtwoord123"}, "password"),
        ({"password": NEW_PASSWORD, "confirm": "something else"}, "confirm"),
        ({}, "password"),
    ],
)
def test_a_weak_new_password_keeps_the_link_open(client, world: World, data, field) -> None:
    _reset, raw = resets.create_link(db.session, world.admin, world.staff)
    response = client.post(f"/reset/{raw}", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert client.get(f"/reset/{raw}").status_code == 200  # still usable


@pytest.mark.parametrize("token", ["unknown", "a" * 43, "x" * 500, "%00"])
def test_unknown_links_get_a_friendly_page(client, world: World, token: str) -> None:
    response = client.get(f"/reset/{token}")
    assert response.status_code == 404
    assert "does not work any more" in response.get_data(as_text=True)


def test_an_expired_link_gets_the_friendly_page(client, world: World) -> None:
    reset, raw = resets.create_link(db.session, world.admin, world.staff)
    reset.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(
        f"/reset/{raw}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 404
    assert "does not work any more" in response.get_data(as_text=True)
    db.session.expire_all()
    assert reset.used_at is None and world.staff.session_version == 1


# Forgot password? (e-mail) ------------------------------------------------------------------


def test_without_smtp_there_is_no_forgot_password(client, world: World) -> None:
    assert "/forgot-password" not in client.get("/login").get_data(as_text=True)
    assert client.get("/forgot-password").status_code == 404
    assert client.post("/forgot-password", data={"email": world.staff.email}).status_code == 404
    assert link_count() == 0


class TestWithSmtp:
    @pytest.fixture
    def smtp(self):
        with FakeSmtpServer() as server:
            yield server

    @pytest.fixture
    def app_config(self, app_config, smtp):
        app_config.update(
            {
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": smtp.port,
                "MAIL_SECURITY": "none",
                "MAIL_FROM": "Kizuki <kizuki@example.test>",
                "MAIL_BACKGROUND": False,
            }
        )
        return app_config

    def test_the_login_page_offers_it(self, client, world: World) -> None:
        assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)
        assert client.get("/forgot-password").status_code == 200

    def test_the_mail_carries_a_working_link(self, app, client, smtp, world: World) -> None:
        response = client.post("/forgot-password", data={"email": world.staff.email.upper()})
        assert response.status_code == 200
        assert "If an account uses this address" in response.get_data(as_text=True)
        mail = smtp.next_message()
        assert mail["To"] == world.staff.email
        assert mail["From"] == "Kizuki <kizuki@example.test>"
        assert mail["Subject"] == "Choose a new password for Kizuki"
        body = mail.get_content()
        assert "Hello Sanne," in body and "Hotel Test" in body and "24 hours" in body
        link = re.search(r"http://localhost(/reset/\S+)", body).group(1)
        person = app.test_client()
        assert person.get(link).status_code == 200
        done = person.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert done.status_code == 303
        assert person.get("/me").status_code == 200
        assert db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == audit.RESET_LINK_EMAILED)
        )

    def test_links_use_the_public_url(self, app, client, smtp, world: World) -> None:
        app.config["PUBLIC_URL"] = "https://kizuki.example.com"
        client.post(
            "/forgot-password", data={"email": world.staff.email}, headers={"Host": "evil.test"}
        )
        body = smtp.next_message().get_content()
        assert "https://kizuki.example.com/reset/" in body and "evil.test" not in body

    @pytest.mark.parametrize("email", ["nobody@example.test", "deactivated"])
    def test_unknown_and_deactivated_addresses_get_the_same_answer_and_no_mail(
        self, client, smtp, world: World, email: str
    ) -> None:
        if email == "deactivated":
            world.staff2.active = False
            db.session.commit()
            email = world.staff2.email
        known = client.post("/forgot-password", data={"email": world.staff.email})
        smtp.next_message()
        unknown = client.post("/forgot-password", data={"email": email})
        assert unknown.status_code == known.status_code == 200
        # Byte for byte the same page, but for the moment it was made (the offline stamp).
        assert _timeless(unknown.get_data(as_text=True)) == _timeless(known.get_data(as_text=True))
        assert smtp.received() == 0
        assert link_count() == 1

    def test_asking_again_soon_sends_no_second_mail(self, client, smtp, world: World) -> None:
        for _ in range(3):
            assert (
                client.post("/forgot-password", data={"email": world.staff.email}).status_code
                == 200
            )
        smtp.next_message()
        assert smtp.received() == 0 and link_count() == 1

    @pytest.mark.parametrize("email", ["", "not-an-address", "a@" + "b" * 300 + ".test"])
    def test_a_malformed_address_is_named(self, client, smtp, world: World, email) -> None:
        response = client.post("/forgot-password", data={"email": email})
        assert response.status_code == 422
        assert 'id="email-error"' in response.get_data(as_text=True)
        assert link_count() == 0

    def test_a_broken_mail_server_still_answers_neutrally(self, app, client, world) -> None:
        app.config["MAIL_PORT"] = 1  # nothing listens there
        response = client.post("/forgot-password", data={"email": world.staff.email})
        assert response.status_code == 200
        assert "If an account uses this address" in response.get_data(as_text=True)

    def test_in_production_without_a_public_url_it_is_off(self, app, client, world) -> None:
        app.config["KIZUKI_ENV"] = "production"
        assert client.get("/forgot-password").status_code == 404
        app.config["PUBLIC_URL"] = "https://kizuki.example.com"
        assert client.get("/forgot-password").status_code == 200

    def test_delivery_in_the_background(self, app, client, smtp, world: World) -> None:
        app.config["MAIL_BACKGROUND"] = True
        client.post("/forgot-password", data={"email": world.staff.email})
        assert "/reset/" in smtp.next_message(timeout=10).get_content()


class TestRateLimits:
    @pytest.fixture
    def app_config(self, app_config):
        app_config.update(
            {
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_LOGIN": "2 per minute",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": 1,
                "MAIL_FROM": "kizuki@example.test",
                "MAIL_SECURITY": "none",
                "MAIL_BACKGROUND": False,
            }
        )
        return app_config

    def test_forgot_password_is_limited_like_sign_in(self, client, world: World) -> None:
        for _ in range(2):
            client.post("/forgot-password", data={"email": "nobody@example.test"})
        response = client.post("/forgot-password", data={"email": "nobody@example.test"})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0

    def test_guessing_my_current_password_is_limited(self, client, auth, world: World) -> None:
        auth.login(world.staff.email)
        data = {"current_password": "guess", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        statuses = [client.post("/me/password", data=data).status_code for _ in range(3)]
        assert statuses == [422, 422, 429]


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        app_config["WTF_CSRF_ENABLED"] = True
        return app_config

    @staticmethod
    def token(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def test_making_and_using_a_link_need_the_token(self, app, client, world: World) -> None:
        login = client.get("/login").get_data(as_text=True)
        data = {"email": world.admin.email, "password": PASSWORD, "csrf_token": self.token(login)}
        client.post("/login", data=data)
        url = f"/manage/people/{world.staff.id}/reset-link"
        assert client.post(url).status_code == 400
        assert link_count() == 0
        page = client.get(f"/admin/people/{world.staff.id}").get_data(as_text=True)
        made = client.post(url, data={"csrf_token": self.token(page)})
        path = path_of(LINK.search(made.get_data(as_text=True)).group(1))

        person = app.test_client()
        form = person.get(path).get_data(as_text=True)
        new = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert person.post(path, data=new).status_code == 400
        done = person.post(path, data={**new, "csrf_token": self.token(form)})
        assert done.status_code == 303, done.get_data(as_text=True)


def _timeless(html: str) -> str:
    # The render time, and the CSRF token, which is signed with the second it was made in.
    html = re.sub(r'("csrf[-_]token" (?:content|value)=")[^"]+', r"\1<token>", html)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?", "<time>", html)
