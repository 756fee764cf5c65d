"""The game follows the ledger: every service that changes points (or what badges look at)
calls `follow_ledger` before its entry point commits, so badges and challenge progress land
in the same transaction as the change that earned them. No listener does this behind the
scenes: the call is visible where the ledger changes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from webapp.game.badges import evaluate
from webapp.game.challenges import refresh_for_users
from webapp.points.ledger import touched

# `session.info` key: badges awarded per person since `note_awards` (only while asked for).
AWARDED = "game_awarded"


def follow_ledger(session: Session) -> None:
    """Bring challenges and badges up to date for the people whose progress moved."""
    people = touched(session)
    if not people:
        return
    # Challenges first: a challenge reached now can be what completes a badge.
    refresh_for_users(session, people)
    made = evaluate(session, people)
    noted = session.info.get(AWARDED)
    if noted is not None:
        for user_id, keys in made.items():
            noted.setdefault(user_id, []).extend(keys)


def note_awards(session: Session) -> None:
    """Start noting the badges `follow_ledger` awards; `awards_noted` takes them."""
    session.info[AWARDED] = {}


def awards_noted(session: Session) -> dict[int, list[str]]:
    """The badges awarded per person since `note_awards` (and stop noting)."""
    return dict(session.info.pop(AWARDED, None) or {})
