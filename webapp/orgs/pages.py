"""What the pages share about colleagues: the people picker at the size the app is set to
(PICKER_LIMIT), for the moment, kudos and recognition forms."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy.orm import Session

from webapp.models import User
from webapp.orgs.picker import Picker, Search, people_picker


def page_picker(
    session: Session, user: User, chosen: Iterable[int] = (), search: Search | None = None
) -> Picker:
    """The people picker `user` sees on a page, listing at most the app's PICKER_LIMIT
    colleagues (`people_picker`)."""
    return people_picker(
        session, user, chosen=chosen, search=search, limit=current_app.config["PICKER_LIMIT"]
    )
