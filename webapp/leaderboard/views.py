"""The leaderboard page: teams ranked per member, and my private view of my own teams."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from marshmallow import ValidationError

from webapp.extensions import db
from webapp.leaderboard import services
from webapp.leaderboard.schemas import BoardQuerySchema, PeriodQuerySchema

bp = Blueprint("leaderboard", __name__)


def parse_period(args: dict[str, str]) -> str:
    """The requested period; an unknown one falls back to the week (a stale bookmark or a
    typo should still show a board, not an error page)."""
    try:
        return str(PeriodQuerySchema().load(args)["period"])
    except ValidationError:
        return services.DEFAULT_PERIOD


def parse_start(args: dict[str, str]) -> int:
    """The first rank of the page (1 when absent or not a rank)."""
    try:
        return int(BoardQuerySchema().load({"from": args.get("from", "1")})["start"])
    except ValidationError:
        return 1


@bp.get("/leaderboard")
@login_required
def index() -> str:
    """Teams ranked by points per member for the week, month or all time, a page at a time."""
    args = request.args.to_dict()
    period = parse_period({k: v for k, v in args.items() if k == "period"})
    viewer = current_user._get_current_object()  # the user itself, not the request's proxy
    board = services.leaderboard_for(db.session(), viewer, period, parse_start(args))
    return render_template("leaderboard/index.html", board=board)
