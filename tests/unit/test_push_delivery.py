"""Delivering due pushes, with a recording sender instead of the network: gone subscriptions
are removed, failures are retried with a back-off (never lost, never sent twice), quiet hours
that begin meanwhile hold the push again, and what is no longer wanted is dropped."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from tests.push_support import (
    PUSH_CONFIG,
    SUBJECT,
    BrowserKeys,
    FakePushService,
    outbound_config,
)
from webapp.extensions import db
from webapp.models import Notification, PushSubscription
from webapp.notifications import push
from webapp.notifications.push import Attempt, Outcome, deliver_all, deliver_due
from webapp.notifications.services import notify_kudos, notify_recognition
from webapp.notifications.subscriptions import subscribe
from webapp.notifications.vapid import load_keys
from webapp.timeutil import frozen_time

NOON = datetime(2026, 1, 14, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam: nobody's quiet hours
KEYS = load_keys(PUSH_CONFIG["VAPID_PUBLIC_KEY"], PUSH_CONFIG["VAPID_PRIVATE_KEY"], SUBJECT)


@dataclass
class RecordingSender:
    """Answers per endpoint (default: delivered) and records what it was asked to send."""

    answers: dict[str, Attempt] = field(default_factory=dict)
    sent: list[tuple[str, dict]] = field(default_factory=list)

    def __call__(self, subscription, payload, keys, topic):
        assert keys is KEYS
        self.sent.append((subscription.endpoint, json.loads(payload)))
        return self.answers.get(subscription.endpoint, Attempt(Outcome.DELIVERED))


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


def add_device(user, name: str) -> str:
    endpoint = f"https://push.example.com/{name}"
    keys = BrowserKeys()
    subscribe(db.session, user, endpoint, keys.p256dh, keys.auth)
    return endpoint


def kudos_for(world, at: datetime = NOON, message: str = "Thank you") -> Notification:
    with frozen_time(at):
        notify_kudos(db.session, world.staff2, world.staff, message, "/me")
        db.session.commit()
    return db.session.scalars(select(Notification).order_by(Notification.id.desc())).first()


def deliver(sender, at: datetime) -> push.DeliveryReport:
    return deliver_due(db.session, KEYS, now=at, send=sender)


def subscriptions() -> set[str]:
    return set(db.session.scalars(select(PushSubscription.endpoint)))


def test_every_device_of_the_person_gets_it(app, world, sender):
    phone, laptop = add_device(world.staff2, "phone"), add_device(world.staff2, "laptop")
    add_device(world.staff, "someone-else")
    notification = kudos_for(world)
    report = deliver(sender, NOON)
    assert {endpoint for endpoint, _ in sender.sent} == {phone, laptop}
    assert sender.sent[0][1] == {
        "title": "Sanne de Vries gave you kudos",
        "body": "Thank you",
        "url": "/me",
        "tag": f"kizuki-{notification.id}",
    }
    assert (report.sent, report.retrying, report.dropped) == (1, 0, 0)
    assert notification.pushed_at is not None
    assert deliver(sender, NOON + timedelta(hours=1)).sent == 0  # never twice
    assert len(sender.sent) == 2


def test_a_gone_subscription_is_removed_and_the_others_still_get_it(app, world, sender):
    phone, old_laptop = add_device(world.staff2, "phone"), add_device(world.staff2, "old")
    sender.answers[old_laptop] = Attempt(Outcome.GONE)
    notification = kudos_for(world)
    report = deliver(sender, NOON)
    assert report.removed_subscriptions == 1 and report.sent == 1
    assert subscriptions() == {phone}
    assert notification.pushed_at is not None


def test_a_failure_is_retried_later_with_a_back_off(app, world, sender):
    phone = add_device(world.staff2, "phone")
    sender.answers[phone] = Attempt(Outcome.RETRY)
    notification = kudos_for(world)
    assert deliver(sender, NOON).retrying == 1
    assert notification.pushed_at is None and notification.push_attempts == 1
    first_retry = notification.push_due_at.replace(tzinfo=UTC)
    assert first_retry == NOON + push.RETRY_DELAYS[0]
    # Not before it is due again.
    assert deliver(sender, first_retry - timedelta(seconds=1)).retrying == 0
    assert len(sender.sent) == 1
    assert deliver(sender, first_retry).retrying == 1
    assert notification.push_due_at.replace(tzinfo=UTC) == first_retry + push.RETRY_DELAYS[1]
    # The push service recovers: the same notification goes out, once.
    del sender.answers[phone]
    assert deliver(sender, notification.push_due_at.replace(tzinfo=UTC)).sent == 1
    assert [payload["body"] for _, payload in sender.sent] == ["Thank you"] * 3
    assert notification.pushed_at is not None and subscriptions() == {phone}


def test_retry_after_from_the_push_service_is_respected(app, world, sender):
    phone = add_device(world.staff2, "phone")
    sender.answers[phone] = Attempt(Outcome.RETRY, retry_after=timedelta(minutes=30))
    notification = kudos_for(world)
    deliver(sender, NOON)
    assert notification.push_due_at.replace(tzinfo=UTC) == NOON + timedelta(minutes=30)


def test_a_retry_never_lands_in_quiet_hours(app, world, sender):
    phone = add_device(world.staff2, "phone")
    sender.answers[phone] = Attempt(Outcome.RETRY)
    evening = datetime(2026, 1, 14, 19, 59, tzinfo=UTC)  # 20:59; the retry would be 21:01
    notification = kudos_for(world, at=evening)
    deliver(sender, evening)
    assert notification.push_due_at.replace(tzinfo=UTC) == datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def test_after_the_last_attempt_the_push_is_given_up_but_the_notification_stays(app, world, sender):
    phone = add_device(world.staff2, "phone")
    sender.answers[phone] = Attempt(Outcome.RETRY)
    notification = kudos_for(world)
    at = NOON
    for _ in range(push.MAX_ATTEMPTS):
        deliver(sender, at)
        at = notification.push_due_at.replace(tzinfo=UTC) if notification.push_due_at else at
    assert len(sender.sent) == push.MAX_ATTEMPTS
    assert notification.push_due_at is None and notification.pushed_at is None
    assert deliver(sender, at + timedelta(days=1)).sent == 0
    assert db.session.get(Notification, notification.id).read_at is None
    assert subscriptions() == {phone}


def test_quiet_hours_that_began_since_it_was_queued_hold_it_again(app, world, sender):
    add_device(world.staff2, "phone")
    notification = kudos_for(world)
    world.staff2.quiet_start, world.staff2.quiet_end = time(11, 0), time(13, 0)
    db.session.commit()
    report = deliver(sender, NOON)  # 12:00: now inside Tom's new quiet hours
    assert report.held == 1 and sender.sent == []
    assert notification.push_due_at.replace(tzinfo=UTC) == NOON + timedelta(hours=1)
    assert deliver(sender, NOON + timedelta(hours=1)).sent == 1


def test_held_pushes_are_sent_when_quiet_hours_end(app, world, sender):
    add_device(world.staff2, "phone")
    night = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)  # midnight in Amsterdam
    kudos_for(world, at=night, message="Night shift thanks")
    assert deliver(sender, night + timedelta(hours=2)).sent == 0
    morning = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
    assert deliver(sender, morning).sent == 1
    assert sender.sent[0][1]["body"] == "Night shift thanks"


@pytest.mark.parametrize(
    "change",
    ["read", "left", "stale", "no_device"],
)
def test_what_is_no_longer_wanted_is_dropped(app, world, sender, change):
    if change != "no_device":
        add_device(world.staff2, "phone")
    notification = kudos_for(world)
    at = NOON
    if change == "read":
        notification.read_at = NOON
    elif change == "left":
        world.staff2.active = False
    elif change == "stale":  # the scheduler was down, or push was off, for a day
        at = NOON + push.STALE_AFTER + timedelta(minutes=1)
    db.session.commit()
    report = deliver(sender, at)
    assert report.dropped == 1 and sender.sent == []
    assert notification.push_due_at is None and notification.pushed_at is None


def test_badges_and_challenges_stay_in_the_app(app, world, sender):
    add_device(world.staff2, "phone")
    db.session.add(
        Notification(user_id=world.staff2.id, kind="badge", title="A badge", push_due_at=NOON)
    )
    db.session.commit()
    assert deliver(sender, NOON).dropped == 1 and sender.sent == []


def test_a_recognition_without_a_message_gets_a_body_in_the_persons_language(app, world, sender):
    world.staff2.locale = "nl"
    db.session.commit()
    add_device(world.staff2, "phone")
    with frozen_time(NOON):
        notify_recognition(db.session, world.staff2, world.manager, "/me")
        db.session.commit()
    deliver(sender, NOON)
    payload = sender.sent[0][1]
    assert payload["title"] == "Mila Jansen gaf je erkenning voor je werk"
    assert payload["body"]  # a push without a body looks broken on some phones


def test_a_long_message_is_shortened_to_fit_a_push(app, world, sender):
    add_device(world.staff2, "phone")
    kudos_for(world, message="Thank you " * 200)
    deliver(sender, NOON)
    body = sender.sent[0][1]["body"]
    assert len(body) == push.BODY_CHARS and body.endswith("…")


def test_a_claimed_notification_is_not_sent_by_a_second_sender(app, world, sender):
    add_device(world.staff2, "phone")
    notification = kudos_for(world)
    # Two senders read it with no attempts yet; the first one to claim it wins.
    assert push._claim(db.session, notification.id, 0, NOON)
    assert not push._claim(db.session, notification.id, 0, NOON)
    # Claimed means due again only after the retry delay: nobody sends it meanwhile.
    assert deliver(sender, NOON).sent == 0 and sender.sent == []


def test_deliver_all_works_through_batches(app, world, sender, monkeypatch):
    monkeypatch.setattr(push, "BATCH", 2)
    add_device(world.staff2, "phone")
    for n in range(5):
        kudos_for(world, message=f"Thanks {n}")
    with frozen_time(NOON):
        report = deliver_all(db.session, KEYS, send=sender)
    assert report.sent == 5
    pending = select(func.count(Notification.id)).where(Notification.pushed_at.is_(None))
    assert db.session.scalar(pending) == 0


# What the push service's answers mean (a local server standing in for it) -------------------


@pytest.fixture
def service(app):
    server = FakePushService().start()
    app.config.update(outbound_config(server))
    yield server
    server.stop()


def device_at(endpoint: str, keys: BrowserKeys | None = None) -> PushSubscription:
    keys = keys or BrowserKeys()
    return PushSubscription(id=1, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (201, {}, Attempt(Outcome.DELIVERED)),
        (404, {}, Attempt(Outcome.GONE)),
        (410, {}, Attempt(Outcome.GONE)),
        (429, {"Retry-After": "120"}, Attempt(Outcome.RETRY, timedelta(seconds=120))),
        (503, {"Retry-After": "999999"}, Attempt(Outcome.RETRY, push.MAX_RETRY_AFTER)),
        (500, {}, Attempt(Outcome.RETRY)),
        (413, {}, Attempt(Outcome.RETRY)),
    ],
)
def test_push_service_answers(service, status, headers, expected):
    service.status, service.headers = status, headers
    attempt = push.send_webpush(device_at(service.endpoint()), '{"title":"x"}', KEYS, "kizuki-1")
    assert attempt == expected
    assert len(service.received) == 1
    assert service.received[0].headers["topic"] == "kizuki-1"
    assert service.received[0].headers["urgency"] == "normal"


def test_an_unreachable_push_service_is_retried(service):
    endpoint = service.endpoint()
    service.stop()  # nothing listens there any more
    assert push.send_webpush(device_at(endpoint), "{}", KEYS, "t").outcome is Outcome.RETRY


def test_keys_that_cannot_encrypt_make_the_subscription_gone(service):
    broken = PushSubscription(id=1, endpoint=service.endpoint(), p256dh="AAAA", auth="AAAA")
    assert push.send_webpush(broken, "{}", KEYS, "t").outcome is Outcome.GONE
    assert service.received == []


@pytest.mark.parametrize(
    ("endpoint", "aud"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com"),
        ("https://push.example.com:8443/x?y=1", "https://push.example.com:8443"),
        ("https://user:secret@push.example.com/x", "https://push.example.com"),
    ],
)
def test_the_vapid_audience_is_the_push_services_origin(endpoint, aud):
    assert push.audience(endpoint) == aud
