"""Web Push subscriptions: one per browser (its endpoint), owned by whoever last signed in."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.domain import NotFound
from webapp.models import PushSubscription, User


def subscribe(
    session: Session, user: User, endpoint: str, p256dh: str, auth: str
) -> tuple[PushSubscription, bool]:
    """Store a browser's push subscription for `user`; True when it is new.

    A browser that was subscribed for someone else (a shared phone) now belongs to `user`:
    one endpoint never delivers two people's notifications.
    """
    found = _by_endpoint(session, endpoint)
    if found is not None:
        found.user_id, found.p256dh, found.auth = user.id, p256dh, auth
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
    return subscription, True


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
