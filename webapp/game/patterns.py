"""Patterns a manager may want to talk about, privately: never penalties, never public.

- Pairs: two people who keep thanking each other (both directions) in the last 4 weeks.
  Their points already shrink (see `rules.kudos_received_points`); this only shows it.
- Rings: three people thanking each other in a circle (A→B→C→A) in the last 4 weeks.
- Care signals: someone who logged moments outside their working hours at least 3 times
  in the last 14 days. They earned no points for those; the question is how they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import Kudos, Moment, User
from webapp.timeutil import utcnow

PATTERN_DAYS = 28
PAIR_MIN_KUDOS = 4
CARE_DAYS = 14
CARE_MIN_MOMENTS = 3


@dataclass(frozen=True)
class Pair:
    """Two people who thanked each other often, in both directions."""

    people: tuple[User, User]
    kudos: int


@dataclass(frozen=True)
class Ring:
    """Three people who thanked each other in a circle, in the order of the circle."""

    people: tuple[User, User, User]


@dataclass(frozen=True)
class CareSignal:
    """Someone who often logged moments outside their working hours lately."""

    person: User
    moments: int


@dataclass(frozen=True)
class Patterns:
    """Everything the patterns page shows."""

    pairs: list[Pair]
    rings: list[Ring]
    care: list[CareSignal]


def _edges(session: Session, org_id: int, days: int) -> dict[tuple[int, int], int]:
    since = utcnow() - timedelta(days=days)
    rows = session.execute(
        select(Kudos.giver_id, Kudos.receiver_id, func.count(Kudos.id))
        .where(Kudos.org_id == org_id, Kudos.created_at >= since, Kudos.reversed_at.is_(None))
        .group_by(Kudos.giver_id, Kudos.receiver_id)
    ).all()
    return {(giver, receiver): int(count) for giver, receiver, count in rows}


def find_pairs(
    edges: dict[tuple[int, int], int], min_kudos: int = PAIR_MIN_KUDOS
) -> list[tuple[int, int, int]]:
    """(a, b, kudos) for pairs with kudos both ways and at least `min_kudos` in total."""
    found = []
    for (a, b), count in edges.items():
        back = edges.get((b, a), 0)
        if a < b and back and count + back >= min_kudos:
            found.append((a, b, count + back))
    return sorted(found, key=lambda p: (-p[2], p[0], p[1]))


def find_rings(edges: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Directed 3-cycles a→b→c→a among distinct people, each once (smallest id first)."""
    out: dict[int, set[int]] = {}
    for giver, receiver in edges:
        if giver != receiver:
            out.setdefault(giver, set()).add(receiver)
    rings = set()
    for a, targets in out.items():
        for b in targets:
            for c in out.get(b, ()):
                if c not in (a, b) and a in out.get(c, ()):
                    rings.add(_rotate((a, b, c)))
    return sorted(rings)


def _rotate(cycle: tuple[int, int, int]) -> tuple[int, int, int]:
    # The same circle found from any of its three people is one ring.
    i = cycle.index(min(cycle))
    return cycle[i:] + cycle[:i]  # type: ignore[return-value]


def care_signals(session: Session, org_id: int) -> list[tuple[int, int]]:
    """(user id, moments) for people with ≥3 moments outside their hours in 14 days."""
    since = utcnow() - timedelta(days=CARE_DAYS)
    count = func.count(Moment.id)
    rows = session.execute(
        select(Moment.author_id, count)
        .where(
            Moment.org_id == org_id,
            Moment.outside_hours,
            Moment.created_at >= since,
            Moment.deleted_at.is_(None),
        )
        .group_by(Moment.author_id)
        .having(count >= CARE_MIN_MOMENTS)
        .order_by(count.desc(), Moment.author_id)
    ).all()
    return [(user_id, int(n)) for user_id, n in rows]


def patterns_for(session: Session, manager: User) -> Patterns:
    """The pairs, rings and care signals of the manager's organisation."""
    edges = _edges(session, manager.org_id, PATTERN_DAYS)
    pairs = find_pairs(edges)
    rings = find_rings(edges)
    care = care_signals(session, manager.org_id)
    ids = {i for a, b, _n in pairs for i in (a, b)} | {i for r in rings for i in r}
    ids |= {user_id for user_id, _n in care}
    people = {
        u.id: u
        for u in session.scalars(
            select(User).where(User.id.in_(ids), User.org_id == manager.org_id)
        )
    }
    return Patterns(
        pairs=[Pair((people[a], people[b]), n) for a, b, n in pairs],
        rings=[Ring((people[a], people[b], people[c])) for a, b, c in rings],
        care=[CareSignal(people[u], n) for u, n in care],
    )
