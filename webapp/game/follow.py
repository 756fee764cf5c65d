"""The game follows the ledger: every service that changes points (or what badges look at)
calls `follow_ledger` before its entry point commits, so badges and challenge progress land
in the same transaction as the change that earned them. No listener does this behind the
scenes: the call is visible where the ledger changes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from webapp.game.badges import evaluate
from webapp.game.challenges import refresh_for_users
from webapp.points.ledger import touched


def follow_ledger(session: Session) -> dict[int, list[str]]:
    """Bring challenges and badges up to date for the people whose progress moved; returns
    the badges earned now, per person (their inbox tells them)."""
    people = touched(session)
    if not people:
        return {}
    # Challenges first: a challenge reached now can be what completes a badge.
    refresh_for_users(session, people)
    return evaluate(session, people)
