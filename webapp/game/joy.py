"""Moments of joy: what an action just earned (points, a new level, a new badge), found by
comparing the person's standing before and after the service call. The views keep the
events in the session for the next page; the base template shows them (static/pwa/js/joy.js
only animates what the server rendered)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import session as cookie
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.game.badges import BY_KEY, awards_of
from webapp.game.levels import level_for
from webapp.models.points import ALL_TIME, PERIOD_ALL, UserPoints

KEY = "joy"


@dataclass(frozen=True)
class Standing:
    """A person's all-time points and badges at one moment."""

    points: int
    badges: frozenset[str]


def standing(session: Session, user_id: int) -> Standing:
    """Where `user_id` stands now (taken before an action, compared after it)."""
    return Standing(_all_time(session, user_id), frozenset(awards_of(session, user_id)))


def _all_time(session: Session, user_id: int) -> int:
    # The standing the ledger keeps (one row), not a sum over the person's whole history:
    # this runs twice on every moment and kudos.
    points = session.scalar(
        select(UserPoints.points).where(
            UserPoints.user_id == user_id,
            UserPoints.period == PERIOD_ALL,
            UserPoints.starts_on == ALL_TIME,
        )
    )
    return int(points or 0)


def events_since(session: Session, user_id: int, before: Standing) -> list[dict[str, Any]]:
    """What changed since `before`: points earned, a level reached, badges awarded."""
    now = standing(session, user_id)
    found: list[dict[str, Any]] = []
    earned = now.points - before.points
    if earned > 0:
        found.append({"kind": "points", "points": earned})
        old, new = level_for(before.points), level_for(now.points)
        if new.number > old.number:
            found.append({"kind": "level", "level": new.number, "points": now.points})
    found += [
        {"kind": "badge", "key": key} for key in sorted(now.badges - before.badges) if key in BY_KEY
    ]
    return found


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
