"""A notification's title as shown now: the person it is about is named as they are today, so
a colleague who deleted their account or was deactivated reads as "Former colleague"."""

from __future__ import annotations

from flask_babel import gettext as _

from webapp.models import Notification

FORMER_COLLEAGUE_KINDS = frozenset({"kudos", "recognition"})


def shown_title(notification: Notification) -> str:
    """The title to show (in the current locale when the person it names has left)."""
    actor = notification.actor
    if actor is None or actor.active or notification.kind not in FORMER_COLLEAGUE_KINDS:
        return notification.title
    former = _("Former colleague")
    if notification.kind == "kudos":
        return _("%(name)s gave you kudos", name=former)
    return _("%(name)s recognized your work", name=former)
