"""Who sees which kudos: one rule for the feed, the moment page, the API, profiles, the
export and notifications. Private kudos are between giver and receiver (and managers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select

from webapp.models import Kudos
from webapp.security import has_role


def visible_to(viewer: Any) -> ColumnElement[bool]:
    """Kudos `viewer` may see: live ones of their organisation; private ones only when they
    gave or received them, or are a manager."""
    live = (Kudos.org_id == viewer.org_id) & Kudos.reversed_at.is_(None)
    if has_role(viewer, "manager"):
        return live
    return live & or_(
        Kudos.private.is_(False), Kudos.giver_id == viewer.id, Kudos.receiver_id == viewer.id
    )


def visible_kudos(viewer: Any) -> Select[Kudos]:
    """The kudos `viewer` may see, as a query to filter further."""
    return select(Kudos).where(visible_to(viewer))


def can_see(viewer: Any, kudos: Kudos) -> bool:
    """The same rule for one kudos already loaded."""
    if kudos.org_id != getattr(viewer, "org_id", None) or kudos.reversed_at is not None:
        return False
    if not kudos.private or has_role(viewer, "manager"):
        return True
    return viewer.id in (kudos.giver_id, kudos.receiver_id)
