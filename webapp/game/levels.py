"""Levels: hospitality names for all-time points, derived from the ledger."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# (points needed, name). Names are lazy so each reader sees their own language.
LEVELS = (
    (0, _l("Newcomer")),
    (50, _l("Host")),
    (150, _l("Attentive host")),
    (350, _l("Concierge")),
    (700, _l("Omotenashi guide")),
    (1200, _l("Kizuki master")),
)


@dataclass(frozen=True)
class LevelProgress:
    """Where a person stands: their level, the next one, and how far along they are."""

    number: int
    name: str
    points: int
    floor: int
    next_name: str | None
    next_at: int | None

    @property
    def to_next(self) -> int:
        return 0 if self.next_at is None else self.next_at - self.points

    @property
    def span(self) -> int:
        return 1 if self.next_at is None else self.next_at - self.floor

    @property
    def done(self) -> int:
        return self.span if self.next_at is None else self.points - self.floor


def level_for(points: int) -> LevelProgress:
    """The level for a number of all-time points (never below the first)."""
    index = max(i for i, (needed, _name) in enumerate(LEVELS) if points >= needed or i == 0)
    floor, name = LEVELS[index]
    following = LEVELS[index + 1] if index + 1 < len(LEVELS) else None
    return LevelProgress(
        number=index + 1,
        name=str(name),
        points=points,
        floor=floor,
        next_name=str(following[1]) if following else None,
        next_at=following[0] if following else None,
    )
