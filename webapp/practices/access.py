"""Who may adopt a moment as a practice, and who may say that a moment repeats one. Every
practice is visible to its whole organisation (the team's Practices page is for everyone)."""

from __future__ import annotations

from typing import Any

from webapp.models import Moment, Practice
from webapp.security import has_role


def _live(viewer: Any, moment: Moment) -> bool:
    return (
        moment.org_id == getattr(viewer, "org_id", None)
        and moment.deleted_at is None
        and moment.reversed_at is None
    )


def can_adopt(viewer: Any, moment: Moment) -> bool:
    """Managers adopt a live moment of their organisation for the moment's team."""
    return has_role(viewer, "manager") and _live(viewer, moment)


def can_link(viewer: Any, moment: Moment) -> bool:
    """The moment's author, or a manager, says that it repeats a practice."""
    author = moment.author_id == getattr(viewer, "id", None)
    return _live(viewer, moment) and (author or has_role(viewer, "manager"))


def can_see(viewer: Any, practice: Practice) -> bool:
    """A practice is seen by its organisation."""
    return practice.org_id == getattr(viewer, "org_id", None)
