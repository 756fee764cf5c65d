"""Creating in-app notifications. Web Push (webapp.notifications.push) sends them right after
the request, or `flask send-push` once the quiet hours that hold them have ended."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from webapp.models import Notification, User
from webapp.notifications.push import deliver_after_response
from webapp.notifications.quiet import push_due_at
from webapp.timeutil import utcnow


def notify_kudos(session: Session, receiver: User, giver: User, message: str, url: str) -> None:
    """Tell `receiver` they got kudos from `giver`."""
    with force_locale(receiver.locale or receiver.organisation.default_locale):
        title = _("%(name)s gave you kudos", name=giver.name)
    _add(session, receiver, "kudos", title, message, url, actor=giver)


def notify_recognition(
    session: Session, recipient: User, manager: User, url: str, message: str = ""
) -> None:
    """Tell `recipient` a manager recognized them (with the manager's words)."""
    with force_locale(recipient.locale or recipient.organisation.default_locale):
        title = _("%(name)s recognized your work", name=manager.name)
    _add(session, recipient, "recognition", title, message, url, actor=manager)


def add_notification(
    session: Session, user: User, kind: str, title: str, body: str, url: str
) -> None:
    """Add a notification for `user` (in-app at once; pushed when their quiet hours allow)."""
    _add(session, user, kind, title, body, url)


def _add(
    session: Session,
    user: User,
    kind: str,
    title: str,
    body: str,
    url: str,
    actor: User | None = None,
) -> None:
    now = utcnow()
    due = push_due_at(user, now)  # held until the organisation's and their quiet hours end
    session.add(
        Notification(
            user_id=user.id,
            actor_id=actor.id if actor is not None else None,
            kind=kind,
            title=title[:140],
            body=body,
            url=url,
            push_due_at=due,
        )
    )
    if due is not None and due <= now:
        deliver_after_response(user.id)


def reschedule_held(session: Session, user: User) -> None:
    """Recompute when `user`'s held pushes may go out (their quiet hours changed).

    Does not commit: the caller's change and this one are one transaction."""
    now = utcnow()
    held = list(
        session.scalars(
            select(Notification).where(
                Notification.user_id == user.id,
                Notification.pushed_at.is_(None),
                Notification.push_attempts == 0,
                Notification.push_due_at > now,
            )
        )
    )
    due = push_due_at(user, now)
    for notification in held:
        notification.push_due_at = due
    if held and due is not None and due <= now:
        deliver_after_response(user.id)


def unread_count(session: Session, user_id: int) -> int:
    """How many notifications `user_id` has not read."""
    return (
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def recent(session: Session, user_id: int, limit: int = 30) -> list[Notification]:
    """A person's latest notifications."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .options(selectinload(Notification.actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(session: Session, user_id: int) -> None:
    """Mark every notification of `user_id` read."""
    session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def mark_read(session: Session, user_id: int, ids: set[int]) -> None:
    """Mark the notifications `ids` of `user_id` read (the ones a page showed)."""
    session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.id.in_(ids),
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
