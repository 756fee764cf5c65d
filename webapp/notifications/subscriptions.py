"""Web Push subscriptions: one per browser (its endpoint), owned by the person who subscribed
it; at most MAX_PER_PERSON each."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.domain import Conflict, NotFound
from webapp.models import PushSubscription, User

# A person has a phone, a laptop, perhaps a tablet: a handful of browsers is plenty, and a
# cap keeps one person from making every push fan out to hundreds of endpoints.
MAX_PER_PERSON = 5


def subscribe(
    session: Session, user: User, endpoint: str, p256dh: str, auth: str
) -> tuple[PushSubscription, bool]:
    """Store a browser's push subscription for `user`; True when it is new.

    An endpoint subscribed for someone else is never handed over (Conflict naming
    `endpoint`): knowing a URL must not move another person's notifications. A shared
    phone's page makes the browser a fresh subscription instead. The oldest of `user`'s
    subscriptions beyond MAX_PER_PERSON are replaced.
    """
    found = _by_endpoint(session, endpoint)
    if found is not None:
        if found.user_id != user.id:
            raise Conflict(
                _("This browser is subscribed for someone else. Subscribe it again."),
                field="endpoint",
            )
        found.p256dh, found.auth = p256dh, auth
        return found, False
    subscription = PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth)
    try:
        with session.begin_nested():
            session.add(subscription)
    except IntegrityError:
        # The same browser subscribed twice at once: the first one stands.
        again = _by_endpoint(session, endpoint)
        if again is None:
            raise
        return subscribe(session, user, endpoint, p256dh, auth)
    _keep_newest(session, user)
    return subscription, True


def _keep_newest(session: Session, user: User) -> None:
    """Replace the oldest subscriptions of `user` beyond MAX_PER_PERSON."""
    newest_first = session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
    ).all()
    for old in newest_first[MAX_PER_PERSON:]:
        session.delete(old)


def unsubscribe(session: Session, user: User, endpoint: str) -> None:
    """Forget `user`'s subscription for `endpoint` (someone else's is not found)."""
    found = _by_endpoint(session, endpoint)
    if found is None or found.user_id != user.id:
        raise NotFound(_("That push subscription was not found."), field="endpoint")
    session.delete(found)


def _by_endpoint(session: Session, endpoint: str) -> PushSubscription | None:
    return session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))


def endpoint_digest(endpoint: str) -> str:
    """A short SHA-256 of an endpoint: a page can tell whether this browser is subscribed
    for the signed-in person without being handed anyone's endpoints."""
    return hashlib.sha256(endpoint.encode()).hexdigest()[:32]


def endpoint_digests(session: Session, user: User) -> list[str]:
    """Digests of the endpoints `user` is subscribed with."""
    endpoints = session.scalars(
        select(PushSubscription.endpoint).where(PushSubscription.user_id == user.id)
    )
    return sorted(endpoint_digest(endpoint) for endpoint in endpoints)
