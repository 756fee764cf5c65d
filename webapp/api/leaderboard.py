"""The leaderboard: teams by points per member, or my private view of one of my teams."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from webapp.api.auth import me
from webapp.api.common import Blueprint, document_errors
from webapp.extensions import db
from webapp.leaderboard import services as boards
from webapp.leaderboard.schemas import PeriodQuerySchema, TeamStandingSchema, TeamViewSchema
from webapp.models import Membership, Team
from webapp.schemas import ident
from webapp.security import has_role, scoped_get_or_404

blp = Blueprint(
    "api_leaderboard",
    __name__,
    url_prefix="/api/v1",
    description="Team standings by period; individual standings only inside my own teams.",
)

SCOPES = ("teams", "team")


class LeaderboardArgsSchema(PeriodQuerySchema):
    """`period`, `scope` and, for one team, `team_id`."""

    scope = fields.String(
        load_default="teams",
        validate=validate.OneOf(SCOPES, error=_l("Choose teams or team.")),
    )
    team_id = ident(load_default=None)

    @validates_schema
    def _team_for_team_scope(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("scope") == "team" and data.get("team_id") is None:
            raise ValidationError(_("Choose a team."), "team_id")


class LeaderboardResponseSchema(Schema):
    """`teams` for scope=teams, `team` for scope=team (the other is null)."""

    period = fields.String(required=True)
    scope = fields.String(required=True)
    teams = fields.List(fields.Nested(TeamStandingSchema), allow_none=True, required=True)
    team = fields.Nested(TeamViewSchema, allow_none=True, required=True)


@blp.route("/leaderboard", methods=["GET"])
@blp.arguments(LeaderboardArgsSchema, location="query")
@blp.response(200, LeaderboardResponseSchema)
@document_errors(blp, 403, 404, 422)
def show_leaderboard(args: dict[str, Any]) -> dict[str, Any]:
    """Teams ranked by points per member, or one of my teams from my point of view."""
    user, period = me(), args["period"]
    result: dict[str, Any] = {"period": period, "scope": args["scope"], "teams": None, "team": None}
    if args["scope"] == "teams":
        result["teams"] = boards.team_board(db.session(), user.organisation, period)
        return result
    team = scoped_get_or_404(Team, args["team_id"])
    if not (has_role(user, "manager") or _is_member(user.id, team.id)):
        abort(403, description=_("Individual standings are shown only inside your own teams."))
    result["team"] = boards.team_standing_for(db.session(), user, team, period)
    return result


def _is_member(user_id: int, team_id: int) -> bool:
    query = select(Membership.id).where(
        Membership.user_id == user_id, Membership.team_id == team_id
    )
    return db.session.scalar(query) is not None
