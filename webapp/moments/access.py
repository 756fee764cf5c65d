"""Who may see and change a moment, and what of it they see. One answer for the pages, the
API, the export and the feed: each asks here instead of writing the rule again."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from webapp.domain import NotAllowed, NotFound
from webapp.models import Moment, User
from webapp.security import has_role


def live_moments(org_id: int) -> Select[Moment]:
    """An organisation's live moments (not deleted by their author, not reversed)."""
    return select(Moment).where(
        Moment.org_id == org_id, Moment.deleted_at.is_(None), Moment.reversed_at.is_(None)
    )


def can_see(viewer: Any, moment: Moment) -> bool:
    """A live moment is seen by its organisation. A deleted one by no one; a reversed one
    only by its author and by managers (who may need to explain or review it)."""
    if moment.org_id != getattr(viewer, "org_id", None) or moment.deleted_at is not None:
        return False
    if moment.reversed_at is not None:
        return moment.author_id == viewer.id or has_role(viewer, "manager")
    return True


def can_change(viewer: Any, moment: Moment) -> bool:
    """Only the author edits or deletes their moment."""
    return moment.author_id == getattr(viewer, "id", None)


def sees_gesture(viewer: Any, moment: Moment) -> bool:
    """What someone spent on a gesture is a conversation with their manager, never a number
    for colleagues: only the author and managers see the cost and its note."""
    return moment.author_id == getattr(viewer, "id", None) or has_role(viewer, "manager")


# What an export of someone else's moment leaves out: their spending is theirs.
SPENDING_FIELDS = ("gesture_cost_cents", "gesture_note")


def in_colleagues_export(moment_columns: Any) -> Any:
    """Which moments a colleague named in them gets in their own export: the ones still
    there (a moment its author deleted is not handed to anyone else)."""
    return moment_columns.deleted_at.is_(None)


def visible_moment(session: Session, viewer: User, moment_id: int) -> Moment:
    """The moment if `viewer` may see it; NotFound otherwise (never saying why)."""
    moment = session.get(Moment, moment_id)
    if moment is None or not can_see(viewer, moment):
        raise NotFound(_("That moment was not found."))
    return moment


def own_moment(session: Session, viewer: User, moment_id: int) -> Moment:
    """The moment if `viewer` may change it: NotFound if unseen, NotAllowed if not theirs."""
    moment = visible_moment(session, viewer, moment_id)
    if not can_change(viewer, moment):
        raise NotAllowed(_("Only the author can change or delete a moment."))
    return moment
