"""Following the services' rules for `flask seed-load`: the `Simulator` turns planned actions
into the rows the services would write (the daily cap, the pair halving, badges,
notifications in each person's language, quiet hours, idempotency fingerprints)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _

from webapp import rules
from webapp.demo import content
from webapp.demo import load_plan as plan
from webapp.demo.bulk import Writer
from webapp.game.badges import BADGES
from webapp.kudos.services import KudosInput
from webapp.kudos.services import input_fingerprint as kudos_fingerprint
from webapp.models import Organisation
from webapp.moments.services import MomentInput
from webapp.moments.services import input_fingerprint as moment_fingerprint
from webapp.notifications.quiet import release_time
from webapp.points import ledger, standings
from webapp.timeutil import week_start

# Following the rules ------------------------------------------------------------------------


@dataclass
class PersonState:
    """What the badges look at, for one person."""

    moments: bool = False
    gave: bool = False
    receivers: frozenset[int] | set[int] = frozenset()
    delighted: bool = False
    across: bool = False
    recognized: bool = False
    thanked_first: bool = False  # received kudos from a colleague's first kudos action


# What each badge the load's actions can earn asks of a person; other badges never follow
# from these actions (the services' SQL conditions, read from the state kept here).
_CHECKS: dict[str, Callable[[PersonState], bool]] = {
    "first_moment": lambda s: s.moments,
    "first_kudos": lambda s: s.gave,
    "five_colleagues": lambda s: len(s.receivers) >= 5,
    "delighted": lambda s: s.delighted,
    "across_teams": lambda s: s.across,
    "recognized": lambda s: s.recognized,
    "colleague_first_kudos": lambda s: s.thanked_first,
}
_FOLLOWED = [badge for badge in BADGES if badge.key in _CHECKS]  # in the services' order


class Simulator:
    """Applies planned actions as the services would, producing rows for the `Writer`."""

    def __init__(self, org: Organisation, people: dict[int, Any], writer: Writer) -> None:
        self.org, self.people, self.out = org, people, writer
        self.rules = rules.PointsRules.of(org)
        self.budget, self.budget_mode = org.gesture_budget_cents, org.gesture_budget_mode
        self.spent: dict[tuple[int, date], int] = defaultdict(int)  # (author, month) -> cents
        self.zone = ZoneInfo(org.timezone)
        # Plain copies of what every row needs (ORM attribute loads are slow in a hot loop).
        self.org_id, self.tz, self.default_locale = org.id, org.timezone, org.default_locale
        self.quiet = (org.quiet_hours_start, org.quiet_hours_end)
        self.state: dict[int, PersonState] = defaultdict(PersonState)
        self.held: dict[int, set[str]] = defaultdict(set)
        self.rewarded: dict[tuple[int, date], int] = defaultdict(int)
        self.pairs: dict[tuple[int, int, date], int] = defaultdict(int)
        self.used: dict[tuple[int, date], int] = defaultdict(int)
        self.daily: dict[tuple[int, date], int] = defaultdict(int)
        self.moments: dict[int, tuple[int, int]] = {}  # plan index -> (id, author id)
        self.delighted: set[int] = set()
        self.first_action: dict[int, str] = {}  # giver id -> client id of their first kudos
        self.titles: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self._last: tuple[datetime | None, datetime] = (None, datetime.min)
        self.badge_texts: dict[tuple[str, str], tuple[str, str]] = {}
        # Set by `seed_load`: ids by plan index, and each person's team.
        self.team_ids: list[int] = []
        self.value_ids: list[int] = []
        self.team_of: dict[int, int] = {}
        self.by_id: dict[int, Any] = {}
        # Notifications created before the first instant are read at the second (as
        # `finish_history` marks history); None: every notification is new.
        self.read_by: tuple[datetime, datetime] | None = None

    # Helpers

    def _local(self, at: datetime) -> datetime:
        # An action asks for its local time several times (day, week, month, hours).
        if at is not self._last[0]:
            self._last = (at, at.astimezone(self.zone))
        return self._last[1]

    def _title(self, key: str, locale: str, **names: str) -> str:
        # Translated once per language: the same words gettext gives in the services.
        if (key, locale) not in self.titles:
            with force_locale(locale):
                self.titles[key, locale] = _(key)
        return (self.titles[key, locale] % names)[:140]

    def _ledger(self, at: datetime, user: Any, points: int, reason: str, **refs: Any) -> None:
        day = self._local(at).date()
        note = refs.pop("note", None)
        self.out.add(
            "ledger_entries",
            self.out.new_id("ledger_entries"),
            self.org_id,
            user.id,
            points,
            reason,
            day,
            at,
            refs.get("moment_id"),
            refs.get("kudos_id"),
            refs.get("recognition_id"),
            note,
        )
        if points:
            self.daily[user.id, day] += points

    def _notify(self, at: datetime, user: Any, kind: str, title: str, body: str, url: str) -> None:
        if self.read_by is not None and at < self.read_by[0]:
            # Old news, written as `finish_history` leaves it: read, never pushed.
            read_at, due = self.read_by[1], None
        else:
            read_at, due = None, (self._push_due(user, at) if kind != "badge" else at)
        self.out.add(
            "notifications",
            self.out.new_id("notifications"),
            user.id,
            kind,
            title,
            body,
            url,
            at,
            read_at,
            due,
            0,
        )

    def _push_due(self, user: Any, at: datetime) -> datetime | None:
        windows = [
            self.quiet,
            (user.quiet_start, user.quiet_end),
        ]
        return release_time(at, self.tz, windows)

    def _locale(self, user: Any) -> str:
        return str(user.locale or self.default_locale)

    # Actions

    def moment(self, event: plan.Moment) -> None:
        author = self.people[event.author]
        text = content.MOMENTS[event.text]
        moment_id = self.out.new_id("moments")
        cost = text["gesture_cost_cents"] or None
        # The budget as the service applies it: beyond what is left this month, a gesture
        # is refused, or (the load's organisations allow and flag) stored flagged.
        cents = cost if isinstance(cost, int) else 0
        month = self._local(event.at).date().replace(day=1)
        left = max(self.budget - self.spent[author.id, month], 0)
        over = cents > left and self.budget_mode == rules.BUDGET_FLAG
        self.spent[author.id, month] += cents
        local = self._local(event.at).time()
        outside = not rules.within_hours(local, author.work_start, author.work_end)
        self.out.add(
            "moments",
            moment_id,
            self.org_id,
            self.team_ids[event.team],
            author.id,
            event.client_id,
            event.at - timedelta(minutes=event.minutes_before),
            event.at,
            text["cue"],
            text["action"],
            text["reaction"],
            cost,
            (text["gesture_note"] or None) if cost else None,
            outside,
            False,
            self._moment_fingerprint(event, author, text),
            over,
        )
        for value in event.values:
            self.out.add("moment_values", moment_id, self.value_ids[value])
        for colleague in event.colleagues:
            self.out.add("moment_colleagues", moment_id, self.people[colleague].id)
        self.moments[event.index] = (moment_id, author.id)
        day = self._local(event.at).date()
        points = rules.moment_points(self.rules, self.rewarded[author.id, day], outside)
        note = None if points else ("outside_hours" if outside else "daily_cap")
        if points:
            self.rewarded[author.id, day] += 1
        self._ledger(event.at, author, points, ledger.MOMENT_LOGGED, moment_id=moment_id, note=note)
        self.state[author.id].moments = True
        self.counts["moments"] += 1
        self._follow(event.at, [author])

    def _moment_fingerprint(self, event: plan.Moment, author: Any, text: dict) -> str:
        # The idempotency key's fingerprint, from the input the service would be given.
        return moment_fingerprint(
            MomentInput(
                client_id=event.client_id,
                team_id=self.team_ids[event.team],
                cue=str(text["cue"]),
                action=str(text["action"]),
                reaction=str(text["reaction"]),
                value_ids=[self.value_ids[v] for v in event.values],
                colleague_ids=[self.people[c].id for c in event.colleagues],
                gesture_cost_cents=text["gesture_cost_cents"],
                gesture_note=text["gesture_note"],
                occurred_at=event.at - timedelta(minutes=event.minutes_before),
            )
        )

    def kudos(self, event: plan.Kudos) -> None:
        giver, receiver = self.people[event.giver], self.people[event.receiver]
        week = week_start(self._local(event.at).date())
        pair = (min(giver.id, receiver.id), max(giver.id, receiver.id), week)
        exchanges = self.pairs[pair]
        kudos_id = self.out.new_id("kudos")
        moment = self.moments[event.moment][0] if event.moment is not None else None
        self.out.add(
            "kudos",
            kudos_id,
            self.org_id,
            event.client_id,
            giver.id,
            receiver.id,
            moment,
            self.value_ids[event.value] if event.value is not None else None,
            event.message,
            event.private,
            week,
            event.at,
            kudos_fingerprint(
                KudosInput(
                    client_id=event.client_id,
                    message=event.message,
                    receiver_ids=[receiver.id],
                    moment_id=moment,
                    value_id=self.value_ids[event.value] if event.value is not None else None,
                    private=event.private,
                )
            ),
        )
        self.pairs[pair] += 1
        self.used[giver.id, week] += 1
        points = rules.kudos_received_points(self.rules, exchanges)
        note = "repeated_pair" if exchanges else None
        self._ledger(
            event.at, receiver, points, ledger.KUDOS_RECEIVED, kudos_id=kudos_id, note=note
        )
        self._ledger(event.at, giver, self.rules.kudos_given, ledger.KUDOS_GIVEN, kudos_id=kudos_id)
        title = self._title("%(name)s gave you kudos", self._locale(receiver), name=giver.name)
        self._notify(event.at, receiver, "kudos", title, event.message, "/me")
        if self.first_action.setdefault(giver.id, event.client_id) == event.client_id:
            self.state[receiver.id].thanked_first = True
        state = self.state[giver.id]
        state.gave = True
        state.receivers = (
            {*state.receivers, receiver.id} if len(state.receivers) < 5 else state.receivers
        )
        if self.team_of[receiver.id] != self.team_of[giver.id]:
            state.across = True
        self.counts["kudos"] += 1
        self._follow(event.at, [receiver, giver])

    def recognition(self, event: plan.Recognition) -> None:
        manager, recipient = self.people[event.manager], self.people[event.recipient]
        recognition_id = self.out.new_id("recognitions")
        self.out.add(
            "recognitions",
            recognition_id,
            self.org_id,
            manager.id,
            recipient.id,
            event.message,
            event.award,
            event.at,
        )
        for index in sorted(set(event.moments)):
            self.out.add("recognition_moments", recognition_id, self.moments[index][0])
        self._ledger(
            event.at,
            recipient,
            self.rules.recognition,
            ledger.RECOGNITION_RECEIVED,
            recognition_id=recognition_id,
        )
        title = self._title(
            "%(name)s recognized your work", self._locale(recipient), name=manager.name
        )
        self._notify(event.at, recipient, "recognition", title, event.message, "/me")
        self.state[recipient.id].recognized = True
        self.counts["recognitions"] += 1
        self._follow(event.at, [recipient])

    def delight(self, event: plan.Delight) -> None:
        moment_id, author_id = self.moments[event.moment]
        if moment_id in self.delighted:
            return  # already marked: the service changes nothing
        self.delighted.add(moment_id)
        self.state[author_id].delighted = True
        self._follow(event.at, [self.by_id[author_id]])

    # The game follows the ledger

    def _follow(self, at: datetime, touched: Iterable[Any]) -> None:
        for user in sorted({u.id: u for u in touched}.values(), key=lambda u: u.id):
            held = self.held[user.id]
            if len(held) == len(_FOLLOWED):
                continue  # every badge the load can earn is held: nothing left to check
            state = self.state[user.id]
            for badge in _FOLLOWED:
                if badge.key not in held and _CHECKS[badge.key](state):
                    held.add(badge.key)
                    self._award(at, user, badge)

    def _award(self, at: datetime, user: Any, badge: Any) -> None:
        self.out.add(
            "badge_awards", self.out.new_id("badge_awards"), self.org_id, user.id, badge.key, at
        )
        title, body = self._badge_text(badge, self._locale(user))
        self._notify(at, user, "badge", title, body, "/badges")

    def _badge_text(self, badge: Any, locale: str) -> tuple[str, str]:
        # Translated once per badge and language: the words the services' gettext gives.
        if (badge.key, locale) not in self.badge_texts:
            with force_locale(locale):
                title = _("You earned a badge: %(name)s", name=str(badge.name))[:140]
                self.badge_texts[badge.key, locale] = (title, str(badge.description))
        return self.badge_texts[badge.key, locale]

    # The end of the history

    def finish(self) -> None:
        """Allowance counters, the roll-up and the standings (as the ledger keeps them)."""
        out = self.out
        for (user_id, week), used in sorted(self.used.items()):
            out.add("kudos_allowance_uses", out.new_id("kudos_allowance_uses"), user_id, week, used)
        totals: dict[tuple[int, str, date], int] = defaultdict(int)
        for (user_id, day), points in sorted(self.daily.items()):
            out.add("points_daily", out.new_id("points_daily"), self.org_id, user_id, day, points)
            for period in standings.PERIODS:
                totals[user_id, period, standings.period_key(period, day)] += points
        teams: dict[tuple[int, str, date], int] = defaultdict(int)
        for (user_id, period, start), points in sorted(totals.items()):
            if points:
                out.add(
                    "user_points",
                    out.new_id("user_points"),
                    self.org_id,
                    user_id,
                    period,
                    start,
                    points,
                )
                teams[self.team_of[user_id], period, start] += points
        for (team_id, period, start), points in sorted(teams.items()):
            if points:
                out.add(
                    "team_points",
                    out.new_id("team_points"),
                    self.org_id,
                    team_id,
                    period,
                    start,
                    points,
                )
