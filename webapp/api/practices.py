"""Practices: a team's ways of doing things, adopted from its moments, and the moments that
repeat them. The same services and access rules as the pages."""

from __future__ import annotations

from typing import Any

from webapp.api.auth import me, require_role
from webapp.api.common import Blueprint, document_errors, page_schema
from webapp.channels.delivery import send_staged
from webapp.extensions import db
from webapp.orgs.services import org_teams, teams_of
from webapp.practices import services as practices
from webapp.practices.schemas import AdoptApiSchema, PracticeSchema, TeamArgsSchema
from webapp.schemas import InputSchema, ident

blp = Blueprint(
    "api_practices",
    __name__,
    url_prefix="/api/v1",
    description="Team practices adopted from moments, and the moments that repeat them.",
)


class RepeatSchema(InputSchema):
    """The moment that repeats the practice."""

    moment_id = ident(required=True)


@blp.route("/practices", methods=["GET"])
@blp.arguments(TeamArgsSchema, location="query")
@blp.response(200, page_schema(PracticeSchema, "PracticeList"))
@document_errors(blp, 404, 422)
def list_practices(args: dict[str, Any]) -> dict[str, Any]:
    """A team's practices, newest first, with how far each spread (default: my first team)."""
    session = db.session()
    user = me()
    default = teams_of(session, user) or org_teams(session, user.org_id)
    team = practices.team_of(session, user, args["team_id"], default)
    return {"items": practices.team_practices(session, user.org_id, team.id), "next_cursor": None}


@blp.route("/practices", methods=["POST"])
@blp.arguments(AdoptApiSchema)
@blp.response(201, PracticeSchema)
@document_errors(blp, 400, 403, 404, 409, 422)
def adopt(data: dict[str, Any]) -> practices.Spread:
    """Managers: adopt a moment as a practice of its team."""
    require_role("manager")
    practice = practices.adopt_practice(db.session(), me(), data["moment_id"], data["title"])
    db.session.commit()
    send_staged(db.session())
    return practices.Spread(practice, 0, 0, None)


@blp.route("/practices/<int:practice_id>/moments", methods=["POST"])
@blp.arguments(RepeatSchema)
@blp.response(204)
@document_errors(blp, 400, 403, 404, 422)
def repeat(data: dict[str, Any], practice_id: int) -> None:
    """The moment's author or a manager: this moment repeats the practice (idempotent)."""
    practices.link_moment(db.session(), me(), data["moment_id"], practice_id)
    db.session.commit()
