"""Planning the demo hotel's history: who logs, thanks and recognizes whom, and when.

Pure Python over `webapp.demo.content`, no database: the seeder replays these plans
through the real services, which stay the judges of every rule.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from webapp.demo import content
from webapp.timeutil import local_date, month_start, week_start

STAFF1, STAFF2 = "staff1@demo.test", "staff2@demo.test"
ALLOWANCE, PAIR_CAP = 5, 2  # the organisation's default kudos settings
BUDGET = 2500  # the default monthly gesture budget: spenders stay within it
STAFF2_GIVES_THIS_WEEK = 2  # leaves staff2 kudos for the live demo
WORK_START, WORK_END = time(7, 0), time(21, 0)  # nothing is logged outside these hours
LEAD_MINUTES = 10  # the latest moment is logged this long before now
TRIES = 8  # random working times tried on a day before taking any time left in it
QUIET_DAYS = 30  # quiet people receive nothing this recently: the manager sees them

# Moments over eight weeks, and kudos a week, per kind of person (low, high).
MOMENTS = {"active": (4, 6), "steady": (2, 3), "quiet": (1, 1), "lead": (1, 2), "gm": (1, 1)}
KUDOS_A_WEEK = {"active": (4, 5), "steady": (1, 4), "quiet": (0, 1), "lead": (2, 4), "gm": (1, 3)}
# How likely someone is picked to receive kudos.
NOTICED = {"active": 3.0, "steady": 1.5, "quiet": 0.6, "lead": 1.0, "gm": 0.5}


@dataclass
class MomentPlan:
    """A moment to log; `key` lets kudos and recognitions refer to it before it exists."""

    at: datetime
    author: str
    text: dict[str, object]
    occurred_minutes_before: int
    colleague: str | None = None
    key: int = 0


@dataclass
class KudosPlan:
    """One kudos action, to one or more receivers."""

    at: datetime
    giver: str
    receivers: list[str]
    message: str
    moment_key: int | None = None
    value: str | None = None
    private: bool = False


@dataclass
class RecognitionPlan:
    """A manager's recognition citing planned moments."""

    at: datetime
    manager: str
    recipient: str
    message: str
    moment_keys: list[int]
    award: str | None = None


Plan = MomentPlan | KudosPlan | RecognitionPlan

BY_EMAIL = {p["email"]: p for p in content.PEOPLE}  # the demo people by e-mail


class Planner:
    """Decides who does what when; pure Python, no database."""

    def __init__(self, rng: random.Random, now: datetime, weeks: int) -> None:
        self.rng, self.now, self.weeks = rng, now, max(weeks, 1)
        self.tz = ZoneInfo(content.ORGANISATION["timezone"])
        self.today = local_date(now, self.tz.key)
        self.first_day = self.today - timedelta(days=self.weeks * 7 - 1)
        self.this_week = week_start(self.today)
        self.quiet_since = self.today - timedelta(days=QUIET_DAYS)
        self.kind = self._kinds()
        self.moments: list[MomentPlan] = []
        self.used: Counter[tuple[str, date]] = Counter()
        self.pairs: Counter[tuple[str, str, date]] = Counter()
        self.told: set[int] = set()  # each story is told once in the whole demo
        self.said: set[str] = set()  # kudos and recognition messages already written
        self.spent: Counter[tuple[str, date]] = Counter()  # gesture cents per person, month

    def opening(self) -> datetime:
        """When the hotel joined Kizuki: the morning before the history starts."""
        return self._local(self.first_day - timedelta(days=1), time(9, 0))

    def plan(self) -> list[Plan]:
        """Every action of the history, in time order."""
        self._plan_moments()
        kudos = (
            self._trading_pair()
            + self._team_thanks()
            + self._kudos_for_moments()
            + self._everyday_kudos()
        )
        actions: list[Plan] = [*self.moments, *kudos, *self._recognitions()]
        return sorted(actions, key=lambda a: a.at)

    # People

    def _kinds(self) -> dict[str, str]:
        kinds = {}
        for team in content.TEAMS:
            staff = [
                p["email"]
                for p in content.people_in_team(team)
                if p["role"] == "staff" and p["email"] not in (STAFF1, STAFF2)
            ]
            self.rng.shuffle(staff)
            for email in staff[:2]:
                kinds[email] = "active"
            for email in staff[2 : 2 + self.rng.choice((1, 2))]:
                kinds[email] = "quiet"
        for p in content.PEOPLE:
            default = {"manager": "lead", "admin": "gm"}.get(p["role"], "steady")
            kinds.setdefault(p["email"], default)
        return kinds

    def _can_receive(self, email: str, day: date) -> bool:
        return self.kind[email] != "quiet" or day < self.quiet_since

    # Time

    def _local(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(UTC)

    def _working_time(self, day: date) -> datetime:
        """A believable moment on `day`: mostly 8:00-20:00, a few early or late shifts."""
        hour = self.rng.choices((7, 8, 14, 20), weights=(3, 48, 46, 3))[0]
        span = 6 if hour in (8, 14) else 1
        minute = self.rng.randrange(span * 60)
        return self._local(day, time(hour + minute // 60, minute % 60))

    def _moment_at(self, day: date, author: str) -> datetime:
        """A working time on `day`, else on the latest day before it that has one."""
        while True:
            at = self._time_on(day, author)
            if at is not None:
                return at
            day = max(day - timedelta(days=1), self.first_day)

    def _time_on(self, day: date, author: str) -> datetime | None:
        # Never in the future, and nothing for staff1 today: the live demo logs that moment.
        latest = min(self.now - timedelta(minutes=LEAD_MINUTES), self._local(day, WORK_END))
        opens = self._local(day, WORK_START)
        if latest <= opens or (author == STAFF1 and day == self.today):
            return None
        for _ in range(TRIES):
            at = self._working_time(day)
            if at < latest:
                return at
        # Today has only its first hours so far (the 1st of a month at nine, say): use them,
        # rather than moving the moment to yesterday and maybe to last month.
        return opens + (latest - opens) * self.rng.random()

    def _later(self, start: datetime) -> datetime | None:
        """A working time in the day or two after `start` and before now, if there is one."""
        for _ in range(8):
            day = local_date(start, self.tz.key) + timedelta(days=self.rng.choice((0, 0, 1, 1, 2)))
            at = self._working_time(day)
            if start < at < self.now:
                return at
        # Just before now (a moment logged minutes ago): still only at a working hour.
        for _ in range(8):
            at = start + (self.now - start) * self.rng.uniform(0.1, 0.95)
            if 7 <= at.astimezone(self.tz).hour < 21:
                return at
        return None

    def _days(self, since: date | None = None) -> list[date]:
        first = max(since or self.first_day, self.first_day)
        return [first + timedelta(days=n) for n in range((self.today - first).days + 1)]

    def _some_day(self, since: date | None = None) -> date:
        days = self._days(since)
        # Hotels work weekends too, a little less busy for our logging.
        return self.rng.choices(days, weights=[0.8 if d.weekday() >= 5 else 1.0 for d in days])[0]

    # Moments

    def _plan_moments(self) -> None:
        """Every story in the demo is told once: this month's gestures first (the budget
        table needs them), then a few recent moments, one moment for everyone, and the rest
        in a random order until the team's stories run out."""
        self._plan_gestures()
        recent = self.today - timedelta(days=2)
        lively = [e for e, k in self.kind.items() if k in ("active", "steady")]
        for email in self.rng.sample(lively, 8):
            self._add_moment(email, self._some_day(recent))
        scale = self.weeks / content.DEMO_WEEKS
        slots: list[str] = []
        for email, kind in self.kind.items():
            count = 3 if email == STAFF1 else self.rng.randint(*MOMENTS[kind])
            slots += [email] * max(1, round(count * scale))
        firsts = list(dict.fromkeys(slots))
        rest = slots.copy()
        for email in firsts:
            rest.remove(email)
        self.rng.shuffle(rest)
        for email in [STAFF1] * (slots.count(STAFF1) - 1) + firsts:
            self._add_moment(email, self._some_day())
        for email in rest:
            if email != STAFF1:
                self._add_moment(email, self._some_day())

    def _plan_gestures(self) -> None:
        """Gestures this month for several people, so the budget table has a story."""
        month = month_start(self.today)
        for team in content.TEAMS:
            staff = [p["email"] for p in content.people_in_team(team) if p["role"] == "staff"]
            spenders = [e for e in staff if self.kind[e] != "quiet"]
            for n, email in enumerate(self.rng.sample(spenders, 2)):
                for _ in range(2 if n == 0 else 1):
                    self._add_moment(email, self._some_day(month), gesture=True)

    def _add_moment(self, author: str, day: date, gesture: bool = False) -> None:
        at = self._moment_at(day, author)
        month = month_start(local_date(at, self.tz.key))
        this_month = month == month_start(self.today)
        # This month only the chosen spenders report gestures; older months may have any.
        text = self._text(
            author, gesture=True if gesture else (False if this_month else None), month=month
        )
        if text is None:
            return  # the team's stories are all told
        self.spent[author, month] += int(text["gesture_cost_cents"] or 0)  # type: ignore[call-overload]
        team = BY_EMAIL[author]["team"]
        mates = [p["email"] for p in content.people_in_team(team) if p["email"] != author]
        colleague = self.rng.choice(mates) if self.rng.random() < 0.15 else None
        minutes = self.rng.randint(5, 180)
        plan = MomentPlan(at, author, text, minutes, colleague, key=len(self.moments))
        self.moments.append(plan)

    def _text(self, author: str, gesture: bool | None, month: date) -> dict[str, object] | None:
        """A story of the author's team nobody told yet, in their language when one is left;
        None when the team has told all its stories."""
        person = BY_EMAIL[author]
        budget_left = BUDGET - self.spent[author, month]  # in every month, not only this one

        def fits(i: int, lang: bool, gesture: bool | None) -> bool:
            m = content.MOMENTS[i]
            cost = m["gesture_cost_cents"]
            return (
                i not in self.told
                and m["team"] == person["team"]
                and (not lang or m["lang"] == person["locale"])
                and (gesture is None or (cost is not None) == gesture)
                and (cost is None or cost <= budget_left)  # type: ignore[operator]
            )

        indexes = range(len(content.MOMENTS))
        options = [i for i in indexes if fits(i, True, gesture)]
        options = options or [i for i in indexes if fits(i, False, gesture)]
        # A spender whose budget is gone tells a story without a gesture.
        options = options or [i for i in indexes if fits(i, False, False)]
        if not options:
            return None
        chosen = self.rng.choice(options)
        self.told.add(chosen)
        return content.MOMENTS[chosen]

    # Kudos

    def _week(self, at: datetime) -> date:
        return week_start(local_date(at, self.tz.key))

    def _allowed(self, giver: str, receivers: list[str], at: datetime) -> bool:
        week, day = self._week(at), local_date(at, self.tz.key)
        limit = ALLOWANCE
        if week == self.this_week:
            if giver == STAFF2:
                limit = STAFF2_GIVES_THIS_WEEK
            if {giver, *receivers} >= {STAFF1, STAFF2}:
                return False  # keep the pair free for the live demo
        return (
            giver not in receivers
            and self.used[giver, week] + 1 <= limit  # one action, one kudos of the allowance
            and all(self.pairs[giver, r, week] < PAIR_CAP for r in receivers)
            and all(self._can_receive(r, day) for r in receivers)
        )

    def _kudos(self, giver: str, receivers: list[str], at: datetime, **kw: object) -> KudosPlan:
        week = self._week(at)
        self.used[giver, week] += 1
        for r in receivers:
            self.pairs[giver, r, week] += 1
        return KudosPlan(at, giver, receivers, **kw)  # type: ignore[arg-type]

    def _message(self, giver: str, receiver: str | None) -> str:
        """A kudos message nobody in the demo wrote before: the plain texts first, then the
        ones without a name closed with the receiver's name."""
        lang = BY_EMAIL[giver]["locale"]
        texts = content.KUDOS_BY_LANG[lang]
        if receiver is None:
            plain = [t for t in texts if "{name}" not in t]
            closed: list[str] = []
        else:
            name = BY_EMAIL[receiver]["name"]
            plain = [content.fill(t, name) for t in texts]
            closed = [
                f"{t} {content.fill(closing, name)}"
                for t in texts
                if "{name}" not in t
                for closing in content.KUDOS_CLOSINGS[lang]
            ]
        fresh = [m for m in plain if m not in self.said] or [
            m for m in closed if m not in self.said
        ]
        message = self.rng.choice(fresh or plain)
        self.said.add(message)
        return message

    def _trading_pair(self) -> list[KudosPlan]:
        """Two restaurant colleagues who thank each other twice a week for five weeks, far
        more than the rest of the team's giving explains: the one pattern the manager's
        patterns page should show (planned first, so the allowance holds it)."""
        staff = [p["email"] for p in content.people_in_team(content.RESTAURANT)]
        steady = sorted(e for e in staff if self.kind[e] == "steady")[:2]
        if len(steady) < 2:
            return []
        made = []
        # Five weeks, so that four weeks' worth fall inside the patterns' window on any day.
        for weeks_ago in range(5):
            monday = self.this_week - timedelta(weeks=weeks_ago)
            days = [d for d in self._days(monday) if d < monday + timedelta(days=7)]
            for giver, receiver in (steady, steady[::-1]):
                for _ in range(PAIR_CAP):
                    at = self._working_time(self.rng.choice(days))
                    if at < self.now and self._allowed(giver, [receiver], at):
                        message = self._message(giver, receiver)
                        made.append(self._kudos(giver, [receiver], at, message=message))
        return made

    def _team_thanks(self) -> list[KudosPlan]:
        """One lead thanks a group of colleagues in a single action."""
        lead = "lead.housekeeping@demo.test"
        day = self._some_day()
        at = self._working_time(day)
        mates = [p["email"] for p in content.people_in_team(content.HOUSEKEEPING)]
        group = self.rng.sample([e for e in mates if e != lead and self._can_receive(e, day)], 4)
        if at >= self.now or not self._allowed(lead, group, at):
            return []
        return [self._kudos(lead, group, at, message=self._message(lead, None))]

    def _kudos_for_moments(self) -> list[KudosPlan]:
        made = []
        for moment in self.moments:
            low, high = {"active": (1, 3), "quiet": (0, 1)}.get(self.kind[moment.author], (0, 2))
            team = BY_EMAIL[moment.author]["team"]
            mates = [p["email"] for p in content.people_in_team(team)]
            givers: set[str] = set()
            for _ in range(self.rng.randint(low, high)):
                pool = mates if self.rng.random() < 0.85 else list(BY_EMAIL)
                giver, at = self.rng.choice(pool), self._later(moment.at)
                if at is None or giver in givers or not self._allowed(giver, [moment.author], at):
                    continue
                givers.add(giver)
                values = list(moment.text["values"])  # type: ignore[call-overload]
                made.append(
                    self._kudos(
                        giver,
                        [moment.author],
                        at,
                        message=self._message(giver, moment.author),
                        moment_key=moment.key,
                        value=self.rng.choice(values),
                    )
                )
        return made

    def _everyday_kudos(self) -> list[KudosPlan]:
        made = []
        for monday in sorted({week_start(d) for d in self._days()}):
            days = [d for d in self._days(monday) if d < monday + timedelta(days=7)]
            for giver, kind in self.kind.items():
                for _ in range(self.rng.randint(*KUDOS_A_WEEK[kind])):
                    plan = self._one_kudos(giver, self.rng.choice(days))
                    if plan is not None:
                        made.append(plan)
        return made

    def _one_kudos(self, giver: str, day: date) -> KudosPlan | None:
        at = self._working_time(day)
        if at >= self.now:
            return None
        team, abroad = BY_EMAIL[giver]["team"], self._abroad()
        pool = [e for e in BY_EMAIL if e != giver and (BY_EMAIL[e]["team"] == team) != abroad]
        receiver = self.rng.choices(pool, weights=[NOTICED[self.kind[e]] for e in pool])[0]
        if not self._allowed(giver, [receiver], at):
            return None
        value = self.rng.choice(content.VALUES)["name"] if self.rng.random() < 0.6 else None
        private = self.rng.random() < 0.05
        message = self._message(giver, receiver)
        return self._kudos(giver, [receiver], at, message=message, value=value, private=private)

    def _abroad(self) -> bool:
        return self.rng.random() < 0.2  # now and then someone thanks another team

    # Recognitions

    def _recognitions(self) -> list[RecognitionPlan]:
        count = max(2, round(8 * self.weeks / content.DEMO_WEEKS))
        managers = [p["email"] for p in content.PEOPLE if p["role"] in ("manager", "admin")]
        recognized: set[str] = set()
        made: list[RecognitionPlan] = []
        for n in range(count * 3):
            if len(made) == count:
                break
            manager = managers[n % len(managers)]
            plan = self._recognition(manager, recognized)
            if plan is not None:
                recognized.add(plan.recipient)
                made.append(plan)
        return made

    def _recognition(self, manager: str, recognized: set[str]) -> RecognitionPlan | None:
        team = BY_EMAIL[manager]["team"]
        candidates = [
            m
            for m in self.moments
            if BY_EMAIL[m.author]["team"] == team
            and m.author not in recognized
            and self.kind[m.author] in ("active", "steady")
        ]
        if not candidates:
            return None
        cited = self.rng.choice(candidates)
        recipient = cited.author
        also = [m for m in self.moments if m.author == recipient and m.at < cited.at]
        keys = [cited.key] + (
            [self.rng.choice(also).key] if also and self.rng.random() < 0.5 else []
        )
        texts = content.RECOGNITIONS_BY_LANG[BY_EMAIL[manager]["locale"]]
        written = [content.fill(t, BY_EMAIL[recipient]["name"]) for t in texts]
        message = self.rng.choice([m for m in written if m not in self.said] or written)
        self.said.add(message)
        award = self.rng.choice(content.AWARDS) if self.rng.random() < 0.4 else None
        at = self._later(cited.at)
        if at is None:
            return None
        return RecognitionPlan(at, manager, recipient, message, keys, award)
