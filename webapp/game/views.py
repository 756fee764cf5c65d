"""The "How points work" page, generated from the organisation's actual settings, so what
people read is what the code does."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from webapp import rules
from webapp.game.levels import LEVELS
from webapp.models import Organisation

bp = Blueprint("game", __name__)

# Enough halvings to reach zero with any sane setting; the list stops at the first zero.
MAX_HALVINGS = 12


@dataclass(frozen=True)
class PointsExplained:
    """The numbers the page shows, all read from the organisation and the rules module."""

    rules: rules.PointsRules
    halving: list[int]  # points for the 1st, 2nd, ... kudos between the same pair in a week
    levels: list[tuple[int, str]]
    org: Organisation


def points_explained(org: Organisation) -> PointsExplained:
    """Read the organisation's rules for the explanation page."""
    settings = rules.PointsRules.of(org)
    halving = []
    for earlier in range(MAX_HALVINGS):
        points = rules.kudos_received_points(settings, earlier)
        halving.append(points)
        if points == 0:
            break
    levels = [(needed, str(name)) for needed, name in LEVELS]
    return PointsExplained(settings, halving, levels, org)


@bp.get("/points")
@login_required
def how_points_work() -> str:
    """How points, caps, kudos and levels work in this organisation."""
    return render_template(
        "game/how_points_work.html", info=points_explained(current_user.organisation)
    )
