"""What works: the cues and actions that most often led to a delighted reaction, the values
behind them, and the stories themselves.

A moment "delighted" when a colleague or manager marked the guest delighted, or when it drew
kudos. Everything is limited to the teams shown, the period chosen and, for the word counts,
the latest SAMPLE moments in it, so the page stays fast on years of history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from webapp.insights.search import matches, terms_of
from webapp.insights.words import meaningful_words
from webapp.models import (
    Kudos,
    Moment,
    Practice,
    User,
    Value,
    moment_values,
    recognition_moments,
)
from webapp.moments.access import live_moments

# Period choices: days back from now.
PERIODS = {"4w": 28, "12w": 84, "12m": 365}
DEFAULT_PERIOD = "12w"
SAMPLE = 2000
STORIES = 12
SEARCH_RESULTS = 30
WORDS_SHOWN = 8
WORD_MIN_DELIGHTED = 2


@dataclass(frozen=True)
class Scope:
    """What the manager chose: teams (already checked), a value, a period, a search."""

    team_ids: list[int]
    since: datetime
    value_id: int | None = None
    query: str = ""


@dataclass(frozen=True)
class Story:
    """A moment with what it drew: kudos, the delighted mark, recognitions citing it."""

    moment: Moment
    kudos: int
    recognitions: int
    practice: Practice | None

    @property
    def delighted(self) -> bool:
        return self.moment.delighted or self.kudos > 0


@dataclass(frozen=True)
class Word:
    """A word in cues (or actions) and how often its moments delighted."""

    word: str
    delighted: int
    moments: int


@dataclass(frozen=True)
class ValueWorks:
    """A value: its moments in the period and how many of them delighted."""

    value: Value
    moments: int
    delighted: int


@dataclass(frozen=True)
class WhatWorks:
    """Everything the page shows."""

    moments: int
    delighted: int
    cues: list[Word]
    actions: list[Word]
    values: list[ValueWorks]
    stories: list[Story]
    searched: bool


def kudos_on(moment_id: object) -> Select[int]:
    """Live kudos on a moment, counted (a correlated subquery on ix_kudos_moment)."""
    return select(func.count(Kudos.id)).where(
        Kudos.moment_id == moment_id, Kudos.reversed_at.is_(None)
    )


def delighted_condition() -> ColumnElement[bool]:
    """Marked delighted, or drew live kudos."""
    drew_kudos = exists().where(Kudos.moment_id == Moment.id, Kudos.reversed_at.is_(None))
    return or_(Moment.delighted.is_(True), drew_kudos)


def in_scope(session: Session, org_id: int, scope: Scope) -> Select[Moment]:
    """The live moments of the scope's teams and period, with its value and search."""
    query = live_moments(org_id).where(
        Moment.team_id.in_(scope.team_ids), Moment.created_at >= scope.since
    )
    if scope.value_id is not None:
        tagged = select(moment_values.c.moment_id).where(moment_values.c.value_id == scope.value_id)
        query = query.where(Moment.id.in_(tagged))
    terms = terms_of(scope.query)
    if terms:
        query = query.where(matches(session, terms))
    return query


def what_works(session: Session, org_id: int, scope: Scope) -> WhatWorks:
    """Words, values and stories of delight in the scope."""
    if not scope.team_ids:
        return WhatWorks(0, 0, [], [], [], [], bool(terms_of(scope.query)))
    moments, delighted = _totals(session, org_id, scope)
    cues, actions = _words(session, org_id, scope)
    return WhatWorks(
        moments=moments,
        delighted=delighted,
        cues=cues,
        actions=actions,
        values=_values(session, org_id, scope),
        stories=stories(session, org_id, scope),
        searched=bool(terms_of(scope.query)),
    )


def _totals(session: Session, org_id: int, scope: Scope) -> tuple[int, int]:
    base = in_scope(session, org_id, scope).subquery()
    row = session.execute(
        select(
            func.count(base.c.id),
            func.count(case((_delighted_in(base), base.c.id))),
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def _delighted_in(base: object) -> ColumnElement[bool]:
    columns = base.c  # type: ignore[attr-defined]
    drew_kudos = exists().where(Kudos.moment_id == columns.id, Kudos.reversed_at.is_(None))
    return or_(columns.delighted.is_(True), drew_kudos)


def _words(session: Session, org_id: int, scope: Scope) -> tuple[list[Word], list[Word]]:
    """The words of cues and of actions that most often came with delight (in the latest
    SAMPLE moments of the scope)."""
    base = in_scope(session, org_id, scope).order_by(Moment.created_at.desc()).limit(SAMPLE)
    rows = session.execute(
        base.with_only_columns(Moment.cue, Moment.action, delighted_condition())
    ).all()
    return _ranked(rows, 0), _ranked(rows, 1)


def _ranked(rows: Sequence[Any], column: int) -> list[Word]:
    seen: Counter[str] = Counter()
    delighted: Counter[str] = Counter()
    for row in rows:
        words = meaningful_words(row[column])
        seen.update(words)
        if row[2]:
            delighted.update(words)
    found = [Word(word, n, seen[word]) for word, n in delighted.items() if n >= WORD_MIN_DELIGHTED]
    found.sort(key=lambda w: (-w.delighted, -w.delighted / w.moments, w.word))
    return found[:WORDS_SHOWN]


def _values(session: Session, org_id: int, scope: Scope) -> list[ValueWorks]:
    base = in_scope(session, org_id, scope).subquery()
    rows = session.execute(
        select(
            Value,
            func.count(base.c.id),
            func.count(case((_delighted_in(base), base.c.id))),
        )
        .join(moment_values, moment_values.c.value_id == Value.id)
        .join(base, base.c.id == moment_values.c.moment_id)
        .group_by(Value.id)
    ).all()
    found = [ValueWorks(value, int(n), int(d)) for value, n, d in rows]
    return sorted(found, key=lambda v: (-v.delighted, -v.moments, v.value.name.lower()))


def stories(session: Session, org_id: int, scope: Scope, limit: int | None = None) -> list[Story]:
    """The moments behind what works: most kudos, delighted marks and recognitions first.
    Without a search only the delighted ones; with a search every moment that matches."""
    kudos = kudos_on(Moment.id).scalar_subquery()
    cited = (
        select(func.count(recognition_moments.c.recognition_id))
        .where(recognition_moments.c.moment_id == Moment.id)
        .scalar_subquery()
    )
    searched = bool(terms_of(scope.query))
    query = in_scope(session, org_id, scope)
    if not searched:
        query = query.where(delighted_condition())
    score = kudos + case((Moment.delighted.is_(True), 2), else_=0) + cited * 2
    rows = session.execute(
        query.add_columns(kudos, cited)
        .options(
            selectinload(Moment.author), selectinload(Moment.team), selectinload(Moment.values)
        )
        .order_by(score.desc(), Moment.created_at.desc(), Moment.id.desc())
        .limit(limit or (SEARCH_RESULTS if searched else STORIES))
    ).all()
    adopted = _adopted(session, [row[0].id for row in rows])
    return [
        Story(moment, int(n), int(c), adopted.get((moment.team_id, moment.id)))
        for moment, n, c in rows
    ]


def _adopted(session: Session, moment_ids: list[int]) -> dict[tuple[int, int], Practice]:
    if not moment_ids:
        return {}
    found = session.scalars(select(Practice).where(Practice.source_moment_id.in_(moment_ids)))
    return {(p.team_id, p.source_moment_id): p for p in found}


def authors(stories_: list[Story]) -> list[User]:
    """The distinct authors of some stories (for a summary line)."""
    return list({s.moment.author_id: s.moment.author for s in stories_}.values())
