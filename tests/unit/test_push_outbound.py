"""The push sender calls out through `webapp.outbound` (issue 9, §2): a push service that
accepts and never answers is given up on within the push's time budget, a redirect is never
followed, a name that resolves to a private address is refused when connecting, and a
batch starts no new notification once its own budget has passed."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

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
from webapp.notifications.push import Attempt, Outcome
from webapp.notifications.services import notify_kudos
from webapp.notifications.subscriptions import subscribe
from webapp.notifications.vapid import load_keys
from webapp.timeutil import utcnow

KEYS = load_keys(PUSH_CONFIG["VAPID_PUBLIC_KEY"], PUSH_CONFIG["VAPID_PRIVATE_KEY"], SUBJECT)


def device_at(endpoint: str) -> PushSubscription:
    keys = BrowserKeys()
    return PushSubscription(id=1, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth)


@pytest.fixture
def stalled(app) -> Iterator[FakePushService]:
    service = FakePushService(stall=True).start()
    app.config.update(outbound_config(service))
    yield service
    service.stop()


def test_a_stalled_push_service_is_given_up_within_the_budget(stalled, monkeypatch):
    monkeypatch.setattr(push, "PUSH_BUDGET", 1.5)
    started = time.monotonic()
    attempt = push.send_webpush(device_at(stalled.endpoint()), "{}", KEYS, "kizuki-1")
    elapsed = time.monotonic() - started
    print(f"\nstalled push given up after {elapsed:.2f} s (budget 1.5 s)")
    assert attempt.outcome is Outcome.RETRY
    assert len(stalled.received) == 1  # it was reached, and it never answered
    assert 1.0 <= elapsed < 3.0


def test_the_default_budget_is_a_few_seconds():
    assert push.PUSH_BUDGET <= 10 and push.CONNECT_TIMEOUT <= push.PUSH_BUDGET
    assert push.BATCH_BUDGET <= 60


def test_a_redirect_is_not_followed(app):
    inside = FakePushService().start()
    redirecting = FakePushService(status=307, headers={"Location": inside.endpoint()}).start()
    app.config.update(outbound_config(redirecting, inside))
    try:
        attempt = push.send_webpush(device_at(redirecting.endpoint()), "{}", KEYS, "t")
    finally:
        redirecting.stop()
        inside.stop()
    assert attempt == Attempt(Outcome.RETRY)  # a redirect is no delivery
    assert len(redirecting.received) == 1
    assert inside.received == []  # the body was never re-sent to where it pointed


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1"])
def test_a_name_resolving_to_a_private_address_is_refused_when_connecting(
    app, monkeypatch, caplog, address
):
    listener = FakePushService().start()
    app.config.update(outbound_config(listener))  # the listener itself, by its address only
    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list:
        assert host == "push.rebound.example.net"
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    try:
        attempt = push.send_webpush(
            device_at("https://push.rebound.example.net/push/1"), "{}", KEYS, "t"
        )
    finally:
        listener.stop()
    assert attempt.outcome is Outcome.GONE  # never calls it; the subscription is removed
    assert listener.received == []
    assert "non-public address" in caplog.text


def test_a_batch_starts_nothing_new_once_its_budget_is_spent(app, world, monkeypatch):
    world.org.quiet_hours_start = world.org.quiet_hours_end = None
    keys = BrowserKeys()
    subscribe(db.session, world.staff2, "https://push.example.com/a", keys.p256dh, keys.auth)
    for _ in range(3):
        notify_kudos(db.session, world.staff2, world.staff, "thanks", "/me")
    db.session.commit()
    monkeypatch.setattr(push, "BATCH_BUDGET", 0.2)
    calls = []

    def slow(subscription, payload, keys, topic):
        calls.append(topic)
        time.sleep(0.3)
        return Attempt(Outcome.DELIVERED)

    report = push.deliver_due(db.session, KEYS, now=utcnow() + timedelta(minutes=1), send=slow)
    assert (report.sent, len(calls)) == (1, 1)
    assert db.session.query(Notification).filter(Notification.pushed_at.is_(None)).count() == 2
