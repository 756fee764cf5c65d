"""The weekly digest in the app: my team's latest week, and the weeks before it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from marshmallow import ValidationError

from webapp.digest import services as digests
from webapp.extensions import db
from webapp.models import Team
from webapp.orgs.services import org_teams, teams_of
from webapp.practices.schemas import TeamArgsSchema

bp = Blueprint("digest", __name__)


@bp.get("/digest")
@login_required
def index() -> Any:
    """The latest digest of one of my teams (or the team asked for), with past weeks."""
    try:
        args = TeamArgsSchema().load(request.args.to_dict())
    except ValidationError:
        abort(400)
    session = db.session()
    teams = org_teams(session, current_user.org_id)
    team = _team(teams, args["team_id"])
    past = digests.past_digests(session, team.id) if team else []
    view = digests.view_of(session, past[0]) if past else None
    return render_template("digest/show.html", team=team, teams=teams, view=view, past=past)


def _team(teams: list[Team], team_id: int | None) -> Team | None:
    if team_id is not None:
        chosen = next((t for t in teams if t.id == team_id), None)
        if chosen is None:
            abort(404)
        return chosen
    mine = teams_of(db.session(), current_user)
    choices = mine or teams
    return choices[0] if choices else None


@bp.get("/digest/<int:digest_id>")
@login_required
def show(digest_id: int) -> Any:
    """One week's digest."""
    session = db.session()
    digest = digests.digest_in_org(session, current_user, digest_id)
    return render_template(
        "digest/show.html",
        team=digest.team,
        teams=org_teams(session, current_user.org_id),
        view=digests.view_of(session, digest),
        past=digests.past_digests(session, digest.team_id),
    )
