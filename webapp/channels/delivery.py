"""Delivering channel posts in the background, with retries and a delivery log.

`send_post` is a job (webapp.jobs): it claims one post, POSTs its body through
`webapp.outbound` (https, public addresses only, checked again when connecting, no
redirects), and records the answer on the post: sent, or another attempt after a growing
pause, or failed for good after the last one (or at once when the other side says the
address is gone). `send_due_posts` runs periodically and hands out whatever is due, so a
post survives a restart; `send_staged` hands out what a request just committed. Each post
is claimed before it is sent, so two senders never post it twice at the same moment.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from webapp import jobs, outbound
from webapp.channels.services import staged
from webapp.extensions import db
from webapp.models import ChannelPost, TeamChannel
from webapp.timeutil import utcnow

log = logging.getLogger(__name__)

RETRY_AFTER = (60, 300, 1800, 7200, 21600)  # seconds before the 2nd ... 6th attempt
CLAIM_SECONDS = 120
TIMEOUT_SECONDS = 5.0
SIGNATURE_HEADER = "X-Kizuki-Signature"
# The other side says the address is wrong or gone: retrying will not help.
PERMANENT = {400, 401, 403, 404, 405, 410, 413, 422}
DUE_BATCH = 200


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`: the receiver recomputes it with
    the channel's secret, and refuses old timestamps to stop replays."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def send_post(post_id: int) -> str:
    """Job: deliver one post if it is due and nobody else holds it. Returns what happened."""
    session = db.session()
    if not _claim(session, post_id):
        session.rollback()
        return "skipped"
    session.commit()
    post = session.get_one(ChannelPost, post_id)
    channel = session.get(TeamChannel, post.channel_id)
    if channel is None:
        return "skipped"
    outcome = _attempt(post, channel)
    session.commit()
    return outcome


def _claim(session: Session, post_id: int) -> bool:
    now = utcnow()
    claimed = session.execute(
        update(ChannelPost)
        .where(ChannelPost.id == post_id, ChannelPost.status == "pending")
        .where(or_(ChannelPost.next_attempt_at.is_(None), ChannelPost.next_attempt_at <= now))
        .where(or_(ChannelPost.claimed_until.is_(None), ChannelPost.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _attempt(post: ChannelPost, channel: TeamChannel) -> str:
    body = post.body.encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Kizuki"}
    if channel.kind == "json" and channel.secret:
        headers[SIGNATURE_HEADER] = signature(channel.secret, int(utcnow().timestamp()), body)
        headers["X-Kizuki-Event"] = post.event
        headers["X-Kizuki-Delivery"] = str(post.id)
    post.attempts += 1
    post.claimed_until = None
    try:
        answer = outbound.post(channel.url, body, headers, timeout=TIMEOUT_SECONDS)
    except outbound.UnsafeAddress as error:
        return _failed(post, None, f"refused: {error}", permanent=True)
    except Exception as error:  # noqa: BLE001  (any network failure: retry later)
        return _failed(post, None, f"{type(error).__name__}: {error}")
    post.last_status = answer.status
    if 200 <= answer.status < 300:
        post.status, post.sent_at, post.last_error = "sent", utcnow(), None
        return "sent"
    text = answer.body[:120].decode("utf-8", "replace")
    return _failed(post, answer.status, f"HTTP {answer.status}: {text}", answer.status in PERMANENT)


def _failed(post: ChannelPost, status: int | None, error: str, permanent: bool = False) -> str:
    post.last_status = status
    post.last_error = error[:200]
    if permanent or post.attempts > len(RETRY_AFTER):
        post.status, post.next_attempt_at = "failed", None
        log.warning("channel post %s failed for good: %s", post.id, error)
        return "failed"
    post.next_attempt_at = utcnow() + timedelta(seconds=RETRY_AFTER[post.attempts - 1])
    return "retry"


def due_posts(session: Session, now: datetime | None = None) -> list[tuple[int, int]]:
    """(post id, organisation id) of the posts due for an attempt, oldest first."""
    now = now or utcnow()
    rows = session.execute(
        select(ChannelPost.id, ChannelPost.org_id)
        .where(ChannelPost.status == "pending", ChannelPost.next_attempt_at <= now)
        .where(or_(ChannelPost.claimed_until.is_(None), ChannelPost.claimed_until < now))
        .order_by(ChannelPost.next_attempt_at, ChannelPost.id)
        .limit(DUE_BATCH)
    )
    return [(post_id, org_id) for post_id, org_id in rows]


def send_due_posts() -> None:
    """Periodic job: hand every post that is due to the background jobs."""
    for post_id, org_id in due_posts(db.session()):
        jobs.enqueue(send_post, post_id, org_id=org_id)


def send_staged(session: Session) -> None:
    """After the entry point committed: hand the posts it staged to the background jobs."""
    for post_id in staged(session):
        jobs.enqueue(send_post, post_id)
