"""Moments of joy: what an action just earned (points, a new level, a new badge), as the
ledger and the game noted it while the service wrote (`watch` before the call, `events`
after it). The views keep the events in the session for the next page; the base template
shows them (static/pwa/js/joy.js only animates what the server rendered)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import session as cookie
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.game.badges import BY_KEY
from webapp.game.follow import awards_noted, note_awards
from webapp.game.levels import level_for
from webapp.models.points import ALL_TIME, PERIOD_ALL, UserPoints
from webapp.points import ledger

KEY = "joy"


def watch(session: Session) -> None:
    """Call before the service: from now on, note the points and badges the action earns
    (the ledger and the game count them as they write; nothing is read)."""
    ledger.tally(session)
    note_awards(session)


def events(session: Session, user_id: int) -> list[dict[str, Any]]:
    """What `user_id` earned since `watch`: points earned, a level reached, badges awarded.
    One statement: the all-time standing after the action (before = after - earned)."""
    earned = ledger.tallied(session).get(user_id, 0)
    awarded = awards_noted(session).get(user_id, [])
    found: list[dict[str, Any]] = []
    if earned > 0:
        now = _all_time(session, user_id)
        found.append({"kind": "points", "points": earned})
        old, new = level_for(now - earned), level_for(now)
        if new.number > old.number:
            found.append({"kind": "level", "level": new.number, "points": now})
    found += [{"kind": "badge", "key": key} for key in sorted(set(awarded)) if key in BY_KEY]
    return found


def _all_time(session: Session, user_id: int) -> int:
    # The standing the ledger keeps (one row), not a sum over the person's whole history.
    points = session.scalar(
        select(UserPoints.points).where(
            UserPoints.user_id == user_id,
            UserPoints.period == PERIOD_ALL,
            UserPoints.starts_on == ALL_TIME,
        )
    )
    return int(points or 0)


def remember(found: list[dict[str, Any]]) -> None:
    """Keep the events for the page shown after the redirect."""
    if found:
        cookie[KEY] = [*cookie.get(KEY, []), *found]


@dataclass(frozen=True)
class Joy:
    """One event as the page shows it (names in the reader's language)."""

    kind: str
    points: int = 0
    name: str = ""
    icon: str = ""


def take() -> list[Joy]:
    """The events waiting to be shown (each shown once), ready for the template."""
    shown: list[Joy] = []
    for event in cookie.pop(KEY, []) if KEY in cookie else []:
        kind = event.get("kind")
        if kind == "points":
            shown.append(Joy("points", points=int(event["points"])))
        elif kind == "level":
            shown.append(Joy("level", name=level_for(int(event["points"])).name))
        elif kind == "badge" and event.get("key") in BY_KEY:
            badge = BY_KEY[event["key"]]
            shown.append(Joy("badge", name=str(badge.name), icon=badge.icon))
    return shown
