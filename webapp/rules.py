"""Kizuki's rules as plain functions: no database, no HTTP, tested on their own.

Services gather the facts (how many kudos used this week, how many moments already earned
points today ...) and ask these functions what is allowed and what it is worth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from flask_babel import gettext as _

from webapp.domain import Conflict, Invalid, NotFound

MAX_GESTURE_CENTS = 100_000
# What an organisation does with a gesture beyond a person's monthly budget.
BUDGET_REFUSE = "refuse"
BUDGET_FLAG = "flag"
BUDGET_MODES = (BUDGET_REFUSE, BUDGET_FLAG)
RECOGNITION_WEEKLY_CAP = 3  # the default of an organisation's setting
RECOGNITION_WEEKLY_CAP_MAX = 50
# When a moment may have happened: up to a year back, and not later than now, give or take a
# phone whose clock runs a little fast.
OLDEST_MOMENT = timedelta(days=366)
CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class PointsRules:
    """An organisation's points settings."""

    moment: int = 10
    moment_daily_cap: int = 3
    kudos_received: int = 5
    kudos_given: int = 1
    recognition: int = 25
    kudos_weekly_allowance: int = 5
    kudos_same_receiver_weekly_cap: int = 2

    @classmethod
    def of(cls, org: Any) -> PointsRules:
        """Read the rules from an Organisation."""
        return cls(
            moment=org.points_moment,
            moment_daily_cap=org.moment_points_daily_cap,
            kudos_received=org.points_kudos_received,
            kudos_given=org.points_kudos_given,
            recognition=org.points_recognition,
            kudos_weekly_allowance=org.kudos_weekly_allowance,
            kudos_same_receiver_weekly_cap=org.kudos_same_receiver_weekly_cap,
        )


def moment_points(rules: PointsRules, rewarded_today: int, outside_hours: bool) -> int:
    """Points for a new moment: nothing past the daily cap or outside working hours."""
    if outside_hours or rewarded_today >= rules.moment_daily_cap:
        return 0
    return rules.moment


def kudos_received_points(rules: PointsRules, pair_exchanges_this_week: int) -> int:
    """Points for a received kudos, halving for each earlier kudos between the same pair
    this week (in either direction), so two friends trading kudos gain little."""
    return rules.kudos_received // (2**pair_exchanges_this_week)


def allowance_left(allowance: int, used: int) -> int:
    """Kudos a giver may still give this week."""
    return max(allowance - used, 0)


def check_kudos_receiver(giver: Any, receiver: Any | None) -> None:
    """No kudos to yourself, to a stranger, or to someone who left."""
    if receiver is None or receiver.org_id != giver.org_id or not receiver.is_active:
        raise NotFound(_("That colleague was not found."), field="receivers")
    if receiver.id == giver.id:
        raise Invalid(_("You cannot give kudos to yourself."), field="receivers")


def check_allowance(rules: PointsRules, used: int, wanted: int) -> None:
    """The weekly allowance must cover every kudos in this action."""
    left = allowance_left(rules.kudos_weekly_allowance, used)
    if wanted > left:
        raise Conflict(
            _(
                "You have %(left)d kudos left this week; this would use %(wanted)d.",
                left=left,
                wanted=wanted,
            ),
            field="receivers",
        )


def check_same_receiver(rules: PointsRules, given_to_receiver_this_week: int, name: str) -> None:
    """A giver may thank the same colleague only a few times a week."""
    if given_to_receiver_this_week >= rules.kudos_same_receiver_weekly_cap:
        raise Conflict(
            _(
                "You already gave %(name)s kudos %(count)d times this week.",
                name=name,
                count=given_to_receiver_this_week,
            ),
            field="receivers",
        )


def check_gesture_cost(cents: int | None) -> None:
    """A gesture costs between nothing and a sane upper bound."""
    if cents is not None and not 0 <= cents <= MAX_GESTURE_CENTS:
        raise Invalid(_("Enter an amount between 0 and 1000."), field="gesture_cost")


def within_hours(now: time, start: time | None, end: time | None) -> bool:
    """Is `now` inside [start, end)? Windows may wrap midnight; no window means always."""
    if start is None or end is None or start == end:
        return True
    if start < end:
        return start <= now < end
    return now >= start or now < end


def in_quiet_hours(now: time, start: time | None, end: time | None) -> bool:
    """Is `now` inside a quiet-hours window (which usually wraps midnight)?"""
    if start is None or end is None or start == end:
        return False
    return within_hours(now, start, end)
