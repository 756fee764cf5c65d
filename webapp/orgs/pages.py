"""What the pages share about colleagues: the people picker at the size the app is set to
(PICKER_LIMIT), and the colleagues a posted form may name, for the moment, kudos and
recognition forms (the main ones and the kiosk's)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from webapp.forms import options
from webapp.models import User
from webapp.orgs.picker import Picker, Search, people_picker
from webapp.orgs.services import colleagues


def page_picker(
    session: Session, user: User, chosen: Iterable[int] = (), search: Search | None = None
) -> Picker:
    """The people picker `user` sees on a page, listing at most the app's PICKER_LIMIT
    colleagues (`people_picker`)."""
    return people_picker(
        session, user, chosen=chosen, search=search, limit=current_app.config["PICKER_LIMIT"]
    )


def named_colleagues(
    session: Session, user: User, field: Any, named: Iterable[int], empty: str | None = None
) -> list[User]:
    """The colleagues of `user` among the ids a form names, made `field`'s choices: a form
    is checked against the people it names (any active colleague, found by a search or
    not), never against everyone (a chain has thousands). `empty` leads a single choice."""
    people = colleagues(session, user, among=list(named))
    field.choices = options({p.id: p.name for p in people}, empty)
    return people
