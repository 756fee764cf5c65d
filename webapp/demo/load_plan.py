"""Planning a large organisation's year for `flask seed-load`: who logs, thanks, recognizes
and delights whom, and when. Pure Python, no database: people, teams and moments are
referred to by their index, so the same plan can be written in bulk (`webapp.demo.load`) or
replayed through the services (the test that proves both give the same rows).

Activity is skewed, as in a real chain: a few very active people and teams, many quiet ones.
The planner keeps to the organisation's default rules (weekly allowance, same-receiver cap,
one kudos per moment and colleague), so the services accept every action it plans.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from webapp.demo import content
from webapp.rules import RECOGNITION_WEEKLY_CAP
from webapp.timeutil import week_start

TZ = "Europe/Amsterdam"
ALLOWANCE, SAME_RECEIVER_CAP = 5, 2  # the organisation's default kudos settings
RECENT_MOMENTS = 40  # per team: the moments kudos and delight may still refer to


@dataclass(frozen=True)
class Shape:
    """How big the organisation is and how much history it has."""

    teams: int
    people: int
    moments: int
    kudos: int
    days: int = 365
    seed: int = 13

    @property
    def recognitions(self) -> int:
        return max(self.people // 4, 1)

    @property
    def delights(self) -> int:
        return self.moments // 50


@dataclass
class Person:
    index: int
    name: str
    email: str
    team: int
    lead: bool
    locale: str
    weight: float
    work: tuple[time, time] | None


@dataclass
class Moment:
    at: datetime
    author: int
    team: int
    client_id: str
    text: int  # index into content.MOMENTS
    values: list[int]  # indexes into content.VALUES
    colleagues: list[int]
    minutes_before: int
    index: int = 0


@dataclass
class Kudos:
    at: datetime
    giver: int
    receiver: int
    client_id: str
    message: str
    moment: int | None
    value: int | None
    private: bool


@dataclass
class Recognition:
    at: datetime
    manager: int
    recipient: int
    message: str
    moments: list[int]
    award: str | None


@dataclass
class Delight:
    at: datetime
    actor: int
    moment: int


Event = Moment | Kudos | Recognition | Delight


@dataclass
class Organisation:
    """The people and teams of the plan."""

    name: str
    slug: str
    teams: list[str]
    people: list[Person]
    members: list[list[int]] = field(default_factory=list)


def team_sizes(rng: random.Random, teams: int, people: int) -> list[int]:
    """Skewed sizes summing to `people`: a few large teams, many small ones."""
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(teams)]
    rng.shuffle(weights)
    total = sum(weights)
    sizes = [max(2, int(people * w / total)) for w in weights]
    sizes[0] += people - sum(sizes)
    return sizes


def organisation(shape: Shape, slug: str = "load") -> Organisation:
    """The people (a lead per team, who is a manager; one admin) and teams of the plan."""
    rng = random.Random(shape.seed)
    teams = [f"Team {n + 1:03d}" for n in range(shape.teams)]
    people: list[Person] = []
    members: list[list[int]] = [[] for _ in teams]
    for team, size in enumerate(team_sizes(rng, shape.teams, shape.people)):
        team_weight = rng.paretovariate(1.5)
        for slot in range(size):
            n = len(people)
            lead = slot == 0
            email = f"lead{team + 1}@{slug}.test" if lead else f"person{n + 1}@{slug}.test"
            work = (time(8, 0), time(17, 0)) if rng.random() < 0.1 else None
            people.append(
                Person(
                    index=n,
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n + 1}",
                    email=email,
                    team=team,
                    lead=lead,
                    locale="nl" if rng.random() < 0.4 else "en",
                    weight=team_weight * rng.paretovariate(1.2),
                    work=work,
                )
            )
            members[team].append(n)
    return Organisation(f"Hotel chain {slug}", slug, teams, people, members)


# When in the day things happen: hours and their cumulative weights (3, 30, 25, 25, 14, 3).
_HOURS = (7, 9, 12, 15, 18, 21)
_HOUR_WEIGHTS = list(accumulate((3, 30, 25, 25, 14, 3)))

FIRST = ["Anna", "Bram", "Chloé", "Daan", "Eva", "Finn", "Gwen", "Hugo", "Iris", "Joost"]
LAST = ["de Vries", "Jansen", "Smit", "Bakker", "Visser", "Meijer", "Mulder", "Bos"]


class Planner:
    """Plans the year, day by day, in time order; pure Python."""

    def __init__(self, shape: Shape, org: Organisation, now: datetime) -> None:
        self.shape, self.org, self.now = shape, org, now
        self.rng = random.Random(shape.seed + 1)
        self.zone = ZoneInfo(TZ)
        self.today = now.astimezone(self.zone).date()
        self.people = org.people
        # Cumulative weights once: choosing among 10,000 people stays a bisection.
        self.cumulative = list(accumulate(p.weight for p in self.people))
        self.used: Counter[tuple[int, date]] = Counter()
        self.pairs: Counter[tuple[int, int, date]] = Counter()
        self.thanked: set[tuple[int, int]] = set()  # (giver, moment)
        self.recent: list[deque[Moment]] = [deque(maxlen=RECENT_MOMENTS) for _ in org.teams]
        self.moment_count = 0
        self.recognized: Counter[tuple[int, date]] = Counter()  # (recipient, week)

    def events(self) -> Iterator[Event]:
        """Every action of the history, oldest first."""
        days = [self.today - timedelta(days=n) for n in range(self.shape.days - 1, -1, -1)]
        for day in days:
            yield from self._day(day, len(days))

    def _share(self, total: int, days: int) -> int:
        whole, rest = divmod(total, days)
        return whole + (1 if self.rng.random() < rest / days else 0)

    def _day(self, day: date, days: int) -> list[Event]:
        made: list[Event] = []
        times = []
        for kind, total in (
            ("moment", self.shape.moments),
            ("kudos", self.shape.kudos),
            ("recognition", self.shape.recognitions),
            ("delight", self.shape.delights),
        ):
            times += [(self._time(day), kind) for _ in range(self._share(total, days))]
        for at, kind in sorted(times):
            if at >= self.now:
                continue
            event = getattr(self, f"_{kind}")(at)
            if event is not None:
                made.append(event)
        return made

    def _time(self, day: date) -> datetime:
        hour = _HOURS[bisect(_HOUR_WEIGHTS, self.rng.random() * _HOUR_WEIGHTS[-1], 0, 5)]
        local = datetime.combine(day, time(hour), tzinfo=self.zone)
        return (local + timedelta(seconds=self.rng.randrange(3 * 3600))).astimezone(UTC)

    def _client_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _someone(self) -> Person:
        # What `rng.choices(people, cum_weights=...)[0]` does (the same draw of the same
        # random number), without building a list per call.
        draw = self.rng.random() * self.cumulative[-1]
        return self.people[bisect(self.cumulative, draw, 0, len(self.people) - 1)]

    def _moment(self, at: datetime) -> Moment:
        author = self._someone()
        team = self.org.members[author.team]
        colleagues = [self.rng.choice(team)] if self.rng.random() < 0.1 and len(team) > 1 else []
        moment = Moment(
            at=at,
            author=author.index,
            team=author.team,
            client_id=self._client_id(),
            text=self.rng.randrange(len(content.MOMENTS)),
            values=sorted(self.rng.sample(range(len(content.VALUES)), self.rng.choice((1, 1, 2)))),
            colleagues=[c for c in colleagues if c != author.index],
            minutes_before=self.rng.randint(5, 180),
            index=self.moment_count,
        )
        self.moment_count += 1
        self.recent[author.team].append(moment)
        return moment

    def _kudos(self, at: datetime) -> Kudos | None:
        week = week_start(at.astimezone(self.zone).date())
        for _ in range(8):  # a busy giver has used their allowance: someone else thanks
            giver = self._someone()
            if self.used[giver.index, week] < ALLOWANCE:
                break
        else:
            return None
        moment = self._moment_to_thank(giver, at)
        receiver = self.people[moment.author] if moment else self._receiver(giver)
        if (
            receiver.index == giver.index
            or self.pairs[giver.index, receiver.index, week] >= SAME_RECEIVER_CAP
        ):
            return None
        self.used[giver.index, week] += 1
        self.pairs[giver.index, receiver.index, week] += 1
        if moment is not None:
            self.thanked.add((giver.index, moment.index))
        texts = content.KUDOS_BY_LANG[giver.locale]
        return Kudos(
            at=at,
            giver=giver.index,
            receiver=receiver.index,
            client_id=self._client_id(),
            message=content.fill(self.rng.choice(texts), receiver.name),
            moment=moment.index if moment else None,
            value=self.rng.randrange(len(content.VALUES)) if self.rng.random() < 0.6 else None,
            private=self.rng.random() < 0.05,
        )

    def _moment_to_thank(self, giver: Person, at: datetime) -> Moment | None:
        recent = self.recent[giver.team]
        if not recent or self.rng.random() > 0.3:
            return None
        moment = self.rng.choice(recent)
        if moment.author == giver.index or (giver.index, moment.index) in self.thanked:
            return None
        return moment if moment.at < at else None

    def _receiver(self, giver: Person) -> Person:
        if self.rng.random() < 0.8:
            team = self.org.members[giver.team]
            return self.people[self.rng.choice(team)]
        return self._someone()

    def _recognition(self, at: datetime) -> Recognition | None:
        recipient = self._someone()
        lead = self.people[self.org.members[recipient.team][0]]
        if lead.index == recipient.index:
            return None
        # No more than the weekly cap of recognitions per person (the service refuses more).
        week = week_start(at.astimezone(self.zone).date())
        if self.recognized[recipient.index, week] >= RECOGNITION_WEEKLY_CAP:
            return None
        self.recognized[recipient.index, week] += 1
        cited = [m.index for m in self.recent[recipient.team] if m.author == recipient.index]
        texts = content.RECOGNITIONS_BY_LANG[lead.locale]
        return Recognition(
            at=at,
            manager=lead.index,
            recipient=recipient.index,
            message=content.fill(self.rng.choice(texts), recipient.name),
            moments=cited[-2:],
            award=self.rng.choice(content.AWARDS) if self.rng.random() < 0.3 else None,
        )

    def _delight(self, at: datetime) -> Delight | None:
        actor = self._someone()
        recent = self.recent[actor.team]
        if actor.lead or not recent:
            return None
        moment = self.rng.choice(recent)
        if moment.author == actor.index or moment.at >= at:
            return None
        return Delight(at=at, actor=actor.index, moment=moment.index)
