"""Searching what moments say (cue, action, reaction): PostgreSQL full-text search on its GIN
index, a LIKE on each word elsewhere (SQLite). Both find moments containing every word,
each word also as the start of a longer one ("umbrel" finds "umbrellas")."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, or_, text
from sqlalchemy.orm import Session

from webapp.models import Moment

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# The index's expression (webapp/models/moments.py), with the table named so it stays
# unambiguous in joins; PostgreSQL matches it to the index all the same.
DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    "(((moments.cue || ' '::text) || moments.action) || ' '::text) || moments.reaction)"
)
# Letters and digits in any script; punctuation and underscores separate words.
WORD = re.compile(r"[^\W_]+")


def terms_of(query: str | None) -> list[str]:
    """The words of a search, lower-cased, at most MAX_TERMS, each at most 40 characters."""
    words = WORD.findall((query or "").lower())
    return list(dict.fromkeys(w[:MAX_TERM_LENGTH] for w in words))[:MAX_TERMS]


def matches(session: Session, terms: list[str]) -> ColumnElement[bool]:
    """A condition on moments: every term appears in the cue, the action or the reaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Terms are letters and digits only, so the tsquery cannot be malformed.
        query = " & ".join(f"{term}:*" for term in terms)
        return text(f"{DOCUMENT} @@ to_tsquery('simple', :moment_search)").bindparams(
            moment_search=query
        )  # type: ignore[return-value]
    return and_(
        *(
            or_(
                Moment.cue.icontains(term, autoescape=True),
                Moment.action.icontains(term, autoescape=True),
                Moment.reaction.icontains(term, autoescape=True),
            )
            for term in terms
        )
    )
