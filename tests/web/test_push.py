"""Web Push end to end: a kudos given through the page reaches a (local, stand-in) push
service encrypted for the browser and signed with the server's VAPID key; gone
subscriptions are removed; quiet hours hold pushes for `flask send-push`; /settings offers the
opt-in only when the server has keys; the person's quiet hours are editable there."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from datetime import time as clock

import pytest
from sqlalchemy import func, select

from tests.push_support import (
    PUBLIC_KEY,
    PUSH_CONFIG,
    SUBJECT,
    BrowserKeys,
    FakePushService,
    outbound_config,
    vapid_claims,
)
from webapp.extensions import db
from webapp.models import Notification, PushSubscription
from webapp.notifications import subscriptions
from webapp.notifications.vapid import b64url_decode, load_keys
from webapp.timeutil import frozen_time

KUDOS_MESSAGE = "You spotted the guest's allergy before the order went in"


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    yield service
    service.stop()


@pytest.fixture
def app_config(app_config, push_service):
    return {**app_config, **PUSH_CONFIG, **outbound_config(push_service)}


@pytest.fixture
def browser(world, push_service) -> BrowserKeys:
    """Tom's phone, subscribed with the stand-in push service."""
    keys = BrowserKeys()
    subscriptions.subscribe(
        db.session, world.staff2, push_service.endpoint(), keys.p256dh, keys.auth
    )
    return keys


@pytest.fixture
def no_quiet_hours(world):
    world.org.quiet_hours_start = world.org.quiet_hours_end = None
    db.session.commit()


def give_kudos_page(client, world):
    return client.post(
        "/kudos/new",
        data={
            "client_id": str(uuid.uuid4()),
            "message": KUDOS_MESSAGE,
            "value_id": str(world.values[0].id),
            "receiver_ids": [world.staff2.id],
        },
        follow_redirects=True,
    )


def kudos_notification() -> Notification:
    # Giving kudos may also earn the giver a badge, with its own (in-app) notification.
    return db.session.scalars(select(Notification).where(Notification.kind == "kudos")).one()


def subscription_count() -> int:
    return int(db.session.scalar(select(func.count(PushSubscription.id))) or 0)


@pytest.mark.usefixtures("no_quiet_hours")
def test_kudos_is_pushed_encrypted_and_signed(client, auth, world, push_service, browser):
    auth.login(world.staff.email)
    assert give_kudos_page(client, world).status_code == 200

    assert len(push_service.received) == 1
    request = push_service.received[0]
    assert (request.method, request.path) == ("POST", "/push/device-1")
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) > 0
    claims, key = vapid_claims(request.headers["authorization"])
    assert key == PUBLIC_KEY
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == SUBJECT
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    notification = kudos_notification()
    assert browser.decrypt(request.body) == {
        "title": "Sanne de Vries gave you kudos",
        "body": KUDOS_MESSAGE,
        "url": "/me",
        "tag": f"kizuki-{notification.id}",
    }
    assert notification.pushed_at is not None and notification.push_attempts == 1
    subscription = db.session.scalar(select(PushSubscription))
    assert subscription.last_success_at is not None


@pytest.mark.usefixtures("no_quiet_hours")
def test_the_payload_speaks_the_recipients_language(client, auth, world, push_service, browser):
    world.staff2.locale = "nl"
    db.session.commit()
    auth.login(world.staff.email)
    give_kudos_page(client, world)
    message = browser.decrypt(push_service.received[0].body)
    assert message["title"] == "Sanne de Vries gaf je kudos"


@pytest.mark.usefixtures("no_quiet_hours")
def test_a_recognition_is_pushed_too(client, auth, world, push_service, browser):
    auth.login(world.manager.email)
    message = "You kept the breakfast room calm during the fire drill."
    response = client.post(
        "/manage/recognize",
        data={"recipient_id": world.staff2.id, "message": message},
        follow_redirects=True,
    )
    assert response.status_code == 200
    payload = browser.decrypt(push_service.received[0].body)
    assert payload["title"] == "Mila Jansen recognized your work"
    assert payload["body"] and payload["url"] == "/me"


@pytest.mark.usefixtures("no_quiet_hours")
@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted(client, auth, world, push_service, browser, status):
    push_service.status = status
    auth.login(world.staff.email)
    give_kudos_page(client, world)
    assert len(push_service.received) == 1
    assert subscription_count() == 0
    notification = kudos_notification()
    # The in-app notification stays; there is no device left to push it to.
    assert notification.pushed_at is None and notification.push_due_at is None
    assert notification.read_at is None


@pytest.mark.usefixtures("no_quiet_hours")
def test_a_failing_push_service_is_retried_by_send_push(
    app, client, auth, world, push_service, browser
):
    push_service.status = 503
    auth.login(world.staff.email)
    give_kudos_page(client, world)
    notification = kudos_notification()
    assert notification.pushed_at is None and notification.push_due_at is not None
    assert subscription_count() == 1
    push_service.status = 201
    retry_at = notification.push_due_at.replace(tzinfo=UTC)
    db.session.commit()
    with frozen_time(retry_at):
        result = app.test_cli_runner().invoke(args=["send-push"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(push_service.received) == 2
    assert browser.decrypt(push_service.received[1].body)["body"] == KUDOS_MESSAGE
    db.session.expire_all()
    assert kudos_notification().pushed_at is not None


def test_quiet_hours_hold_the_push_until_send_push_after_they_end(
    app, client, auth, world, push_service, browser
):
    # 22:30 in Amsterdam (CET, UTC+1), inside the organisation's 21:00–08:00.
    with frozen_time(datetime(2026, 1, 14, 21, 30, tzinfo=UTC)):
        auth.login(world.staff.email)
        give_kudos_page(client, world)
    assert push_service.received == []
    notification = kudos_notification()
    assert notification.push_due_at.replace(tzinfo=UTC) == datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
    db.session.commit()

    runner = app.test_cli_runner()
    with frozen_time(datetime(2026, 1, 15, 6, 59, tzinfo=UTC)):
        assert "sent 0" in runner.invoke(args=["send-push"]).output
    assert push_service.received == []
    with frozen_time(datetime(2026, 1, 15, 7, 1, tzinfo=UTC)):
        result = runner.invoke(args=["send-push"])
    assert "sent 1" in result.output, result.output
    assert browser.decrypt(push_service.received[0].body)["body"] == KUDOS_MESSAGE


def test_send_push_without_keys_says_push_is_off(app):
    app.config.update(VAPID_PUBLIC_KEY=None, VAPID_PRIVATE_KEY=None)
    result = app.test_cli_runner().invoke(args=["send-push"])
    assert result.exit_code == 1
    assert "Web Push is off" in result.output


def test_vapid_keys_prints_a_usable_pair(app):
    result = app.test_cli_runner().invoke(args=["vapid-keys"])
    assert result.exit_code == 0
    lines = dict(
        line.split("=", 1) for line in result.stdout.splitlines() if line.startswith("VAPID_")
    )
    assert set(lines) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    point = b64url_decode(lines["VAPID_PUBLIC_KEY"])
    assert len(point) == 65 and point[0] == 4
    keys = load_keys(lines["VAPID_PUBLIC_KEY"], lines["VAPID_PRIVATE_KEY"], SUBJECT)
    headers = keys.signer.sign({"sub": SUBJECT, "aud": "https://push.example.com"})
    claims, key = vapid_claims(headers["Authorization"])
    assert key == lines["VAPID_PUBLIC_KEY"] and claims["aud"] == "https://push.example.com"
    again = app.test_cli_runner().invoke(args=["vapid-keys"]).stdout
    assert lines["VAPID_PRIVATE_KEY"] not in again


@pytest.mark.usefixtures("no_quiet_hours")
def test_new_vapid_keys_send_pushes(app, client, auth, world, push_service, browser):
    printed = app.test_cli_runner().invoke(args=["vapid-keys"]).stdout
    app.config.update(line.split("=", 1) for line in printed.splitlines() if "=" in line)
    auth.login(world.staff.email)
    give_kudos_page(client, world)
    _claims, key = vapid_claims(push_service.received[0].headers["authorization"])
    assert key == app.config["VAPID_PUBLIC_KEY"] != PUBLIC_KEY


# The opt-in on /settings-------------------------------------------------------------------------


def test_me_offers_the_opt_in_with_the_servers_key(client, auth, world):
    auth.login(world.staff.email)
    html = client.get("/settings").get_data(as_text=True)
    assert "Notifications on this device" in html
    assert f'data-push-key="{PUBLIC_KEY}"' in html
    assert 'data-push-api="/api/v1/push-subscriptions"' in html
    assert "data-push-on" in html and "data-push-off" in html
    assert "/static/pwa/js/push.js" in html
    assert "turned off on this server" not in html


def test_me_marks_my_own_subscriptions_only(client, auth, world):
    mine, theirs = "https://push.example.com/mine", "https://push.example.com/theirs"
    keys = BrowserKeys()
    subscriptions.subscribe(db.session, world.staff, mine, keys.p256dh, keys.auth)
    subscriptions.subscribe(db.session, world.staff2, theirs, keys.p256dh, keys.auth)
    auth.login(world.staff.email)
    html = client.get("/settings").get_data(as_text=True)
    assert f'data-push-mine="{subscriptions.endpoint_digest(mine)}"' in html
    assert subscriptions.endpoint_digest(theirs) not in html


class TestWithoutKeys:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "VAPID_PUBLIC_KEY": None, "VAPID_PRIVATE_KEY": None}

    def test_me_says_push_is_off(self, client, auth, world):
        auth.login(world.staff.email)
        html = client.get("/settings").get_data(as_text=True)
        assert "Notifications on this device" in html
        assert "turned off on this server" in html
        assert "data-push-on" not in html and "push.js" not in html

    def test_kudos_still_notifies_in_the_app(self, client, auth, world):
        auth.login(world.staff.email)
        give_kudos_page(client, world)
        kudos = select(func.count(Notification.id)).where(Notification.kind == "kudos")
        assert db.session.scalar(kudos) == 1


class TestWithBrokenKeys:
    @pytest.fixture
    def app_config(self, app_config):
        _public, private = PUSH_CONFIG["VAPID_PUBLIC_KEY"], PUSH_CONFIG["VAPID_PRIVATE_KEY"]
        other_public = BrowserKeys().p256dh  # a valid point, but not this private key's
        return {**app_config, "VAPID_PUBLIC_KEY": other_public, "VAPID_PRIVATE_KEY": private}

    def test_mismatched_keys_turn_push_off_and_are_logged(
        self, client, auth, world, caplog, monkeypatch
    ):
        # Alembic's logging set-up (the test database's migration) disables existing loggers.
        monkeypatch.setattr(logging.getLogger("webapp.notifications.vapid"), "disabled", False)
        auth.login(world.staff.email)
        html = client.get("/settings").get_data(as_text=True)
        assert "turned off on this server" in html
        assert "VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY" in caplog.text


# My own quiet hours on /settings-----------------------------------------------------------------


def test_set_and_clear_my_quiet_hours(client, auth, world):
    auth.login(world.staff.email)
    response = client.post("/me/quiet-hours", data={"quiet_start": "22:30", "quiet_end": "07:00"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/settings#push")
    db.session.refresh(world.staff)
    assert (world.staff.quiet_start, world.staff.quiet_end) == (clock(22, 30), clock(7, 0))
    html = client.get("/settings").get_data(as_text=True)
    assert 'value="22:30"' in html and 'value="07:00"' in html
    client.post("/me/quiet-hours", data={"quiet_start": "", "quiet_end": ""})
    db.session.refresh(world.staff)
    assert (world.staff.quiet_start, world.staff.quiet_end) == (None, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quiet_start": "22:00", "quiet_end": ""}, "Set both the start and the end, or neither."),
        ({"quiet_start": "", "quiet_end": "07:00"}, "Set both the start and the end, or neither."),
        ({"quiet_start": "late", "quiet_end": "07:00"}, "Enter a time."),
        ({"quiet_start": "25:00", "quiet_end": "07:00"}, "Enter a time."),
        ({"quiet_start": "07:00", "quiet_end": "07:00"}, "The end must differ from the start."),
    ],
)
def test_bad_quiet_hours_are_field_errors(client, auth, world, data, message):
    auth.login(world.staff.email)
    response = client.post("/me/quiet-hours", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html
    db.session.refresh(world.staff)
    assert world.staff.quiet_start is None and world.staff.quiet_end is None


def test_quiet_hours_need_sign_in(client, world):
    response = client.post("/me/quiet-hours", data={"quiet_start": "22:00", "quiet_end": "07:00"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_my_quiet_hours_hold_a_push_the_organisation_would_send(
    app, client, auth, world, push_service, browser
):
    world.staff2.quiet_start, world.staff2.quiet_end = clock(12, 0), clock(14, 0)
    db.session.commit()
    # 13:00 in Amsterdam: the organisation is not quiet, Tom is.
    with frozen_time(datetime(2026, 1, 14, 12, 0, tzinfo=UTC)):
        auth.login(world.staff.email)
        give_kudos_page(client, world)
    assert push_service.received == []
    notification = kudos_notification()
    assert notification.push_due_at.replace(tzinfo=UTC) == datetime(2026, 1, 14, 13, 0, tzinfo=UTC)


def test_clearing_my_quiet_hours_releases_what_they_held(
    client, auth, world, push_service, browser
):
    world.org.quiet_hours_start = world.org.quiet_hours_end = None
    world.staff2.quiet_start, world.staff2.quiet_end = clock(0, 0), clock(23, 59)
    db.session.commit()
    auth.login(world.staff.email)
    with frozen_time(datetime(2026, 1, 14, 12, 0, tzinfo=UTC)):
        give_kudos_page(client, world)
        assert push_service.received == []
        auth.login(world.staff2.email)
        client.post(
            "/me/quiet-hours", data={"quiet_start": "", "quiet_end": ""}, follow_redirects=True
        )
    assert len(push_service.received) == 1
    assert browser.decrypt(push_service.received[0].body)["body"] == KUDOS_MESSAGE


def test_the_monday_invitation_is_pushed_after_the_quiet_hours(app, world, push_service, browser):
    from datetime import UTC, datetime

    from webapp.kudos.invitations import send_invitations

    monday_0930 = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # Amsterdam, after 08:00 quiet end
    with frozen_time(monday_0930):
        assert send_invitations(db.session).invited >= 1
        result = app.test_cli_runner().invoke(args=["send-push"])
    assert result.exit_code == 0, result.output
    payloads = [browser.decrypt(r.body) for r in push_service.received]
    assert [p["title"] for p in payloads] == ["A new week of noticing"]
    assert payloads[0]["url"] == "/kudos/new"
