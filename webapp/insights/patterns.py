"""Kudos patterns worth a conversation, calibrated against each team's own giving, and care
signals. Only for the teams a manager leads (`access.pattern_teams`), never about the manager
herself, never a penalty, never public.

The question is not "did two people thank each other" (in a lively team everyone does) but
"do they thank each other far more than the team's own giving would make likely". Within a
team over the last four weeks, each person's kudos go to colleagues in proportion to how
often the others thank those colleagues (leave-one-out popularity, plus one so nobody's
chance is zero). Under that chance model a pair's kudos each way, and a ring's three legs,
are binomial; a pattern is flagged when the chance of seeing at least that many, corrected
for how many pairs or rings the team has, is below ALPHA, and its counts reach a minimum.
The strongest few are shown, with the evidence; a manager can dismiss one.

Care signals: someone who logged moments outside their working hours at least 3 times in
the last 14 days (they earned no points for those; the question is how they are).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.database import insert_for
from webapp.domain import NotFound
from webapp.insights.access import pattern_teams
from webapp.models import Kudos, Membership, Moment, PatternDismissal, Team, User
from webapp.timeutil import utcnow

PATTERN_DAYS = 28
CARE_DAYS = 14
CARE_MIN_MOMENTS = 3
ALPHA = 0.01
PAIR_MIN_EACH_WAY = 2
PAIR_MIN_TOTAL = 5
RING_MIN_LEG = 2
SHOWN = 3
KINDS = ("pair", "ring")

Edges = dict[tuple[int, int], int]


# The chance model (pure functions, calibrated in tests/unit/test_insights_patterns.py) ------


@dataclass(frozen=True)
class Found:
    """A flagged pair or ring: its people (a pair in id order, a ring in the order of its
    circle, smallest id first) and how far it stands out (-log10 of the corrected chance)."""

    kind: str
    people: tuple[int, ...]
    strength: float

    @property
    def key(self) -> str:
        return "-".join(str(i) for i in self.people)

    def legs(self) -> list[tuple[int, int]]:
        if self.kind == "pair":
            a, b = self.people
            return [(a, b), (b, a)]
        a, b, c = self.people
        return [(a, b), (b, c), (c, a)]


class ChanceModel:
    """How many kudos each giver would send each colleague if they chose by the team's
    popularity alone."""

    def __init__(self, edges: Edges, people: set[int]) -> None:
        self.edges = {e: n for e, n in edges.items() if e[0] in people and e[1] in people}
        self.people = people
        self.given: dict[int, int] = defaultdict(int)
        self.received: dict[int, int] = defaultdict(int)
        for (giver, receiver), n in self.edges.items():
            self.given[giver] += n
            self.received[receiver] += n
        self.total = sum(self.edges.values())

    def chance(self, giver: int, receiver: int) -> float:
        """The chance that one of `giver`'s kudos goes to `receiver`."""
        others = len(self.people) - 1
        if others < 1 or giver == receiver:
            return 0.0
        popularity = self.received[receiver] + 1
        pool = self.total - self.received[giver] + others
        return min(1.0, popularity / pool)

    def expected(self, giver: int, receiver: int) -> float:
        """The kudos `giver` would have sent `receiver` by chance."""
        return self.given[giver] * self.chance(giver, receiver)

    def tail(self, giver: int, receiver: int) -> float:
        """The chance of at least the observed kudos from `giver` to `receiver`."""
        return binomial_tail(
            self.given[giver], self.chance(giver, receiver), self.edges.get((giver, receiver), 0)
        )


def binomial_tail(n: int, p: float, k: int) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    logs = [
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
        for i in range(k, n + 1)
    ]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(x - top) for x in logs))


def _strength(chance: float, tests: int) -> float:
    corrected = max(chance * tests, 1e-300)
    return -math.log10(corrected)


def flag_pairs(edges: Edges, people: set[int], alpha: float = ALPHA) -> list[Found]:
    """Pairs who thank each other far more than the team's giving makes likely."""
    model = ChanceModel(edges, people)
    tests = max(1, len(people) * (len(people) - 1) // 2)
    found = []
    for (a, b), there in model.edges.items():
        back = model.edges.get((b, a), 0)
        if a > b or min(there, back) < PAIR_MIN_EACH_WAY or there + back < PAIR_MIN_TOTAL:
            continue
        chance = model.tail(a, b) * model.tail(b, a)
        if chance * tests < alpha:
            found.append(Found("pair", (a, b), _strength(chance, tests)))
    return sorted(found, key=lambda f: (-f.strength, f.people))


def flag_rings(edges: Edges, people: set[int], alpha: float = ALPHA) -> list[Found]:
    """Circles of three (a→b→c→a) whose legs are all far above chance; one per trio."""
    model = ChanceModel(edges, people)
    size = len(people)
    tests = max(1, size * (size - 1) * (size - 2) // 3)
    strong = defaultdict(set)
    for (giver, receiver), n in model.edges.items():
        if n >= RING_MIN_LEG:
            strong[giver].add(receiver)
    best: dict[frozenset[int], Found] = {}
    for a in sorted(strong):
        for b in strong[a]:
            for c in strong.get(b, ()):
                if a < b and a < c and c != a and a in strong.get(c, ()):
                    chance = model.tail(a, b) * model.tail(b, c) * model.tail(c, a)
                    if chance * tests < alpha:
                        ring = Found("ring", (a, b, c), _strength(chance, tests))
                        trio = frozenset(ring.people)
                        if trio not in best or ring.strength > best[trio].strength:
                            best[trio] = ring
    return sorted(best.values(), key=lambda f: (-f.strength, f.people))


# What the page shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Leg:
    """One direction of a pattern: kudos given, and what the team's giving would explain."""

    giver: User
    receiver: User
    kudos: int
    expected: float


@dataclass(frozen=True)
class Pattern:
    """A flagged pair or ring with its team and evidence."""

    kind: str
    team: Team
    people: tuple[User, ...]
    legs: list[Leg]
    strength: float
    key: str


@dataclass(frozen=True)
class TeamBase:
    """A team's own giving in the window: the base the patterns are measured against."""

    team: Team
    people: int
    kudos: int
    both_ways: int  # per cent of thank-you links that go both ways


@dataclass(frozen=True)
class CareSignal:
    """Someone who often logged moments outside their working hours lately."""

    person: User
    moments: int


@dataclass
class Patterns:
    """Everything the patterns page shows."""

    teams: list[Team]
    pairs: list[Pattern] = field(default_factory=list)
    rings: list[Pattern] = field(default_factory=list)
    care: list[CareSignal] = field(default_factory=list)
    bases: list[TeamBase] = field(default_factory=list)
    dismissed: int = 0


def patterns_for(session: Session, manager: User) -> Patterns:
    """The calibrated pairs and rings, and the care signals, of the teams `manager` leads."""
    teams = pattern_teams(session, manager)
    result = Patterns(teams=teams)
    if not teams:
        return result
    members = _members(session, [t.id for t in teams], manager.id)
    everyone = {i for ids in members.values() for i in ids}
    edges = _edges(session, manager.org_id, everyone)
    people = _people(session, manager.org_id, everyone)
    hidden = _dismissed(session, manager)
    flagged: dict[tuple[str, str], Pattern] = {}
    for team in teams:
        ids = members.get(team.id, set())
        result.bases.append(_base(team, edges, ids))
        model = ChanceModel(edges, ids)
        for found in flag_pairs(edges, ids) + flag_rings(edges, ids):
            if (found.kind, found.key) in hidden:
                result.dismissed += 1
            elif (found.kind, found.key) not in flagged:
                flagged[found.kind, found.key] = _pattern(found, team, model, people)
    ranked = sorted(flagged.values(), key=lambda p: (-p.strength, p.key))
    result.pairs = [p for p in ranked if p.kind == "pair"][:SHOWN]
    result.rings = [p for p in ranked if p.kind == "ring"][:SHOWN]
    result.care = _care(session, manager.org_id, everyone, people)
    return result


def _pattern(found: Found, team: Team, model: ChanceModel, people: dict[int, User]) -> Pattern:
    legs = [
        Leg(people[g], people[r], model.edges.get((g, r), 0), round(model.expected(g, r), 1))
        for g, r in found.legs()
    ]
    return Pattern(
        found.kind,
        team,
        tuple(people[i] for i in found.people),
        legs,
        round(found.strength, 1),
        found.key,
    )


def _base(team: Team, edges: Edges, ids: set[int]) -> TeamBase:
    inside = {e: n for e, n in edges.items() if e[0] in ids and e[1] in ids}
    links = set(inside)
    mutual = sum(1 for g, r in links if (r, g) in links)
    both = mutual * 100 // len(links) if links else 0
    return TeamBase(team, len(ids), sum(inside.values()), both)


def _members(session: Session, team_ids: list[int], viewer_id: int) -> dict[int, set[int]]:
    rows = session.execute(
        select(Membership.team_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id.in_(team_ids), Membership.user_id != viewer_id)
        .where(User.active, User.deleted_at.is_(None))
    )
    found: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in rows:
        found[team_id].add(user_id)
    return found


def _edges(session: Session, org_id: int, people: set[int]) -> Edges:
    since = utcnow() - timedelta(days=PATTERN_DAYS)
    rows = session.execute(
        select(Kudos.giver_id, Kudos.receiver_id, func.count(Kudos.id))
        .where(Kudos.org_id == org_id, Kudos.created_at >= since, Kudos.reversed_at.is_(None))
        .where(Kudos.giver_id.in_(people), Kudos.receiver_id.in_(people))
        .group_by(Kudos.giver_id, Kudos.receiver_id)
    )
    return {(giver, receiver): int(n) for giver, receiver, n in rows}


def _people(session: Session, org_id: int, ids: set[int]) -> dict[int, User]:
    found = session.scalars(select(User).where(User.id.in_(ids), User.org_id == org_id))
    return {u.id: u for u in found}


def _care(
    session: Session, org_id: int, ids: set[int], people: dict[int, User]
) -> list[CareSignal]:
    since = utcnow() - timedelta(days=CARE_DAYS)
    count = func.count(Moment.id)
    rows = session.execute(
        select(Moment.author_id, count)
        .where(Moment.org_id == org_id, Moment.author_id.in_(ids), Moment.outside_hours)
        .where(Moment.created_at >= since, Moment.deleted_at.is_(None))
        .group_by(Moment.author_id)
        .having(count >= CARE_MIN_MOMENTS)
        .order_by(count.desc(), Moment.author_id)
    )
    return [CareSignal(people[user_id], int(n)) for user_id, n in rows]


# Dismissing ------------------------------------------------------------------------------


def _dismissed(session: Session, manager: User) -> set[tuple[str, str]]:
    since = utcnow() - timedelta(days=PATTERN_DAYS)
    rows = session.execute(
        select(PatternDismissal.kind, PatternDismissal.people).where(
            PatternDismissal.manager_id == manager.id, PatternDismissal.dismissed_at >= since
        )
    )
    return {(kind, people) for kind, people in rows}


def dismiss(session: Session, manager: User, kind: str, team_id: int, people: list[int]) -> None:
    """Hide a pair or ring from `manager` for the length of the window (its evidence then is
    all new: if it still stands out, it returns). Only for people of a team they lead."""
    team = next((t for t in pattern_teams(session, manager) if t.id == team_id), None)
    members = _members(session, [team.id], manager.id).get(team.id, set()) if team else set()
    size = 2 if kind == "pair" else 3
    if team is None or len(set(people)) != size or not set(people) <= members:
        raise NotFound(_("That pattern was not found."))
    key = "-".join(str(i) for i in people)
    now = utcnow()
    statement = insert_for(session, PatternDismissal).values(
        org_id=manager.org_id,
        team_id=team.id,
        manager_id=manager.id,
        kind=kind,
        people=key,
        dismissed_at=now,
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["manager_id", "kind", "people"],
            set_={"dismissed_at": now, "team_id": team.id},
        )
    )
