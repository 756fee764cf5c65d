"""Web Push delivery: due notifications go to every browser the person subscribed.

A notification is due when `push_due_at` has passed (quiet hours hold it until they end) and
it was not pushed yet. Each one is first *claimed* (its attempt counter moves on and its due
time moves to the retry time) in its own commit, so the request hook and `flask send-push`
never send it twice, and a sender that dies mid-way leaves it to be retried. Push services
that answer 404/410 have forgotten the subscription: it is deleted. Any other failure is
retried with a back-off; the in-app notification is never touched.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from urllib.parse import urlsplit

from flask import after_this_request, g, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from py_vapid import VapidException
from pywebpush import WebPusher, WebPushException
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from webapp import jobs, outbound
from webapp.extensions import db
from webapp.models import Notification, PushSubscription, User
from webapp.notifications.quiet import push_due_at
from webapp.notifications.titles import shown_title
from webapp.notifications.vapid import VapidKeys, vapid_keys
from webapp.routing import is_digits
from webapp.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600  # how long a push service keeps a message for a phone that is off
CONTENT_ENCODING = "aes128gcm"
# A push service that accepts and never answers must not hold a worker long: a few seconds
# to connect, and PUSH_BUDGET in all per message; a batch starts no new notification once
# BATCH_BUDGET has passed (the rest stays due for the next run).
CONNECT_TIMEOUT = 3.0
PUSH_BUDGET = 5.0
BATCH_BUDGET = 30.0
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (2, 5, 15, 60, 180))
MAX_ATTEMPTS = len(RETRY_DELAYS)
MAX_RETRY_AFTER = timedelta(hours=6)
STALE_AFTER = timedelta(hours=12)  # due this long ago (cron down, push was off): old news
BATCH = 200
BODY_CHARS = 240  # payloads must stay well under the 4 KB a push message may carry
# What reaches a phone: being thanked. Badges and team challenges stay in the app, so the
# phone never buzzes with the game (and nothing there nudges anyone to do more).
# The weekly invitation is pushed too (held by quiet hours); badges and challenges stay in-app.
PUSH_KINDS = frozenset({"kudos", "recognition", "invitation"})
_PENDING = "kizuki_push_users"


class Outcome(Enum):
    DELIVERED = "delivered"
    GONE = "gone"  # the subscription no longer exists (or can never work)
    RETRY = "retry"


@dataclass(frozen=True)
class Attempt:
    """What the push service said about one message to one subscription."""

    outcome: Outcome
    retry_after: timedelta | None = None


Sender = Callable[[PushSubscription, str, VapidKeys, str], Attempt]


@dataclass
class DeliveryReport:
    """What one delivery run did, counted per notification (and subscriptions removed)."""

    sent: int = 0
    held: int = 0
    retrying: int = 0
    dropped: int = 0
    removed_subscriptions: int = 0

    def add(self, other: DeliveryReport) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# Sending one message ------------------------------------------------------------------------


def audience(endpoint: str) -> str:
    """The VAPID `aud` claim: the push service's origin."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}:{parts.port}" if parts.port else f"{parts.scheme}://{host}"


def send_webpush(
    subscription: PushSubscription, payload: str, keys: VapidKeys, topic: str
) -> Attempt:
    """Encrypt `payload` for `subscription` and hand it to its push service, through
    `webapp.outbound` (https to public addresses only, checked again now; no redirects;
    within PUSH_BUDGET seconds in all)."""
    try:
        outbound.check_url(subscription.endpoint, resolve=False)  # before signing anything
    except outbound.UnsafeAddress as error:
        log.warning("Web Push subscription %s refused: %s", subscription.id, error)
        return Attempt(Outcome.GONE)
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        body = WebPusher(info).encode(payload.encode(), CONTENT_ENCODING)["body"]
        claims = {"sub": keys.subject, "aud": audience(subscription.endpoint)}
        headers = {
            **keys.signer.sign(claims),
            "Content-Encoding": CONTENT_ENCODING,
            "Content-Type": "application/octet-stream",
            "TTL": str(TTL_SECONDS),
            # A retry replaces a copy the push service still holds (Topic) and the phone
            # replaces a notification it already shows (the payload's tag).
            "Urgency": "normal",
            "Topic": topic,
        }
    except (WebPushException, VapidException, ValueError, TypeError) as error:
        # Keys that cannot encrypt anything: this subscription can never work.
        log.warning("Web Push subscription %s has unusable keys: %s", subscription.id, error)
        return Attempt(Outcome.GONE)
    try:
        answer = outbound.post(
            subscription.endpoint, body, headers, timeout=CONNECT_TIMEOUT, budget=PUSH_BUDGET
        )
    except outbound.UnsafeAddress as error:
        log.warning("Web Push subscription %s refused: %s", subscription.id, error)
        return Attempt(Outcome.GONE)
    except Exception as error:  # noqa: BLE001  (any network failure or timeout: retry later)
        log.warning("Web Push to %s failed: %s", audience(subscription.endpoint), error)
        return Attempt(Outcome.RETRY)
    return _answered(subscription, answer)


def _answered(subscription: PushSubscription, answer: outbound.Answer) -> Attempt:
    if 200 <= answer.status < 300:
        return Attempt(Outcome.DELIVERED)
    if answer.status in (404, 410):
        return Attempt(Outcome.GONE)
    log.warning(
        "Web Push to %s answered %s; will retry.", audience(subscription.endpoint), answer.status
    )
    retry_after = {k.lower(): v for k, v in answer.headers.items()}.get("retry-after")
    return Attempt(Outcome.RETRY, _retry_after(retry_after))


def _retry_after(value: str | None) -> timedelta | None:
    if value and is_digits(value.strip()):
        return min(timedelta(seconds=int(value.strip())), MAX_RETRY_AFTER)
    return None


def payload_for(notification: Notification, user: User) -> str:
    """The message a browser shows: title, body, url and tag, in the person's language."""
    body = notification.body.strip()
    if len(body) > BODY_CHARS:
        body = body[: BODY_CHARS - 1].rstrip() + "…"
    with force_locale(user.locale or user.organisation.default_locale):
        body = body or _("Open Kizuki to read it.")
        title = shown_title(notification)
    message = {
        "title": title,
        "body": body,
        "url": notification.url,
        "tag": topic_for(notification),
    }
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def topic_for(notification: Notification) -> str:
    """One name per notification (at most 32 url-safe characters, as Topic requires)."""
    return f"kizuki-{notification.id}"


# Delivering due notifications ---------------------------------------------------------------


def deliver_due(
    session: Session,
    keys: VapidKeys,
    *,
    user_ids: Iterable[int] | None = None,
    now: datetime | None = None,
    send: Sender = send_webpush,
    limit: int | None = None,
) -> DeliveryReport:
    """Push up to `limit` (a batch) due notifications (of `user_ids`, else everyone's)."""
    now = now or utcnow()
    report = DeliveryReport()
    started = time.monotonic()
    for notification_id in _due_ids(session, now, user_ids, limit or BATCH):
        if time.monotonic() - started > BATCH_BUDGET:
            log.warning("Web Push batch out of time; the rest stays due for the next run.")
            break
        notification = session.get(Notification, notification_id)
        if notification is not None and notification.pushed_at is None:
            _deliver_one(session, keys, notification, now, send, report)
    return report


def deliver_all(session: Session, keys: VapidKeys, send: Sender = send_webpush) -> DeliveryReport:
    """Push every due notification, a batch at a time (for `flask send-push`)."""
    total = DeliveryReport()
    for _round in range(100):  # bounded: a run never spins, the next run picks up the rest
        report = deliver_due(session, keys, send=send)
        total.add(report)
        if sum(vars(report).values()) - report.removed_subscriptions < BATCH:
            break
    return total


def _due_ids(
    session: Session, now: datetime, user_ids: Iterable[int] | None, limit: int
) -> list[int]:
    query = select(Notification.id).where(
        Notification.pushed_at.is_(None), Notification.push_due_at <= now
    )
    if user_ids is not None:
        query = query.where(Notification.user_id.in_(list(user_ids)))
    query = query.order_by(Notification.push_due_at, Notification.id).limit(limit)
    return list(session.scalars(query))


def _deliver_one(
    session: Session,
    keys: VapidKeys,
    notification: Notification,
    now: datetime,
    send: Sender,
    report: DeliveryReport,
) -> None:
    user = session.get(User, notification.user_id)
    if user is None or not _still_wanted(notification, user, now):
        _drop(session, notification, report)
        return
    release = push_due_at(user, now)
    if release is None:
        _drop(session, notification, report)
        return
    if release > now:
        # Quiet hours began (or changed) since it was queued: hold it again.
        notification.push_due_at = release
        session.commit()
        report.held += 1
        return
    subscriptions = list(
        session.scalars(select(PushSubscription).where(PushSubscription.user_id == user.id))
    )
    if not subscriptions:
        _drop(session, notification, report)
        return
    if _claim(session, notification.id, notification.push_attempts, now):
        _send_to_all(session, keys, notification, user, subscriptions, now, send, report)


def _still_wanted(notification: Notification, user: User, now: datetime) -> bool:
    due = notification.push_due_at
    fresh = due is not None and now - as_utc(due) <= STALE_AFTER
    wanted = notification.kind in PUSH_KINDS and notification.read_at is None
    return fresh and wanted and user.is_active


def _drop(session: Session, notification: Notification, report: DeliveryReport) -> None:
    notification.push_due_at = None
    session.commit()
    report.dropped += 1


def _claim(session: Session, notification_id: int, attempts: int, now: datetime) -> bool:
    """Take a notification that had `attempts` for this sender; False when another sender
    got there first (the counter moved on)."""
    retry_at = now + RETRY_DELAYS[min(attempts, MAX_ATTEMPTS - 1)]
    claimed = session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.pushed_at.is_(None),
            Notification.push_attempts == attempts,
        )
        .values(push_attempts=attempts + 1, push_due_at=retry_at)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(getattr(claimed, "rowcount", 0))


def _send_to_all(
    session: Session,
    keys: VapidKeys,
    notification: Notification,
    user: User,
    subscriptions: list[PushSubscription],
    now: datetime,
    send: Sender,
    report: DeliveryReport,
) -> None:
    payload, topic = payload_for(notification, user), topic_for(notification)
    copies = [_detached(subscription) for subscription in subscriptions]
    # Hold no transaction (on SQLite: no write lock) while waiting on push services.
    session.commit()
    attempts = [(copy, send(copy, payload, keys, topic)) for copy in copies]
    for copy, attempt in attempts:
        subscription = session.get(PushSubscription, copy.id)
        if subscription is None:
            continue  # removed meanwhile (unsubscribed, replaced)
        if attempt.outcome is Outcome.GONE:
            session.delete(subscription)
            report.removed_subscriptions += 1
        elif attempt.outcome is Outcome.DELIVERED:
            subscription.last_success_at = now
    outcomes = {attempt.outcome for _sub, attempt in attempts}
    if Outcome.RETRY in outcomes:
        _schedule_retry(notification, user, now, [a.retry_after for _s, a in attempts], report)
    elif Outcome.DELIVERED in outcomes:
        notification.pushed_at = now
        report.sent += 1
    else:
        notification.push_due_at = None  # every browser is gone
        report.dropped += 1
    session.commit()


def _detached(subscription: PushSubscription) -> PushSubscription:
    """A copy outside the session: what the sender needs, readable with no transaction."""
    return PushSubscription(
        id=subscription.id,
        user_id=subscription.user_id,
        endpoint=subscription.endpoint,
        p256dh=subscription.p256dh,
        auth=subscription.auth,
    )


def _schedule_retry(
    notification: Notification,
    user: User,
    now: datetime,
    retry_after: list[timedelta | None],
    report: DeliveryReport,
) -> None:
    if notification.push_attempts >= MAX_ATTEMPTS:
        log.warning("Giving up pushing notification %s.", notification.id)
        notification.push_due_at = None
        report.dropped += 1
        return
    wait = max([RETRY_DELAYS[notification.push_attempts - 1], *filter(None, retry_after)])
    notification.push_due_at = push_due_at(user, now + wait)
    report.retrying += 1


# Right after the request that created the notification ---------------------------------------


def deliver_after_response(user_id: int) -> None:
    """Have `user_id`'s due notifications pushed in the background once this request is done.

    Never in the request thread: a push service that stalls must not hold the person who gave
    the kudos, nor a server thread. The job goes to the job queue (RQ with Redis, else the
    bounded in-process pool) after the request's transaction; `flask send-push` and the
    periodic job catch anything missed.
    """
    if not has_request_context() or vapid_keys() is None:
        return
    pending: set[int] | None = g.get(_PENDING)
    if pending is None:
        pending = set()
        setattr(g, _PENDING, pending)
        after_this_request(_enqueue_pending)
    pending.add(user_id)


def _enqueue_pending(response: Response) -> Response:
    for user_id in sorted(g.pop(_PENDING, set())):
        try:
            jobs.enqueue(deliver_for_user, user_id)
        except Exception:  # a full queue or Redis away: the periodic job will push it
            log.exception("Could not queue the push for user %s; the periodic job will.", user_id)
    return response


def deliver_for_user(user_id: int) -> None:
    """Job: push `user_id`'s due notifications."""
    keys = vapid_keys()
    if keys is not None:
        deliver_due(db.session(), keys, user_ids=[user_id])
