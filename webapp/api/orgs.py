"""The organisation: values, settings, teams and members, the team overview, invites."""

from __future__ import annotations

from typing import Any

from flask import abort, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields
from werkzeug.routing import BuildError

from webapp.admin import services as admin
from webapp.api.auth import me, require_role
from webapp.api.common import (
    Blueprint,
    PageArgsSchema,
    document_errors,
    page_in_memory,
    page_schema,
)
from webapp.extensions import db
from webapp.manage import services as manage
from webapp.manage.schemas import BudgetRowSchema, GestureMomentSchema, TeamCoverageSchema
from webapp.models import Invite, Organisation, Team
from webapp.orgs import services as orgs
from webapp.orgs.picker import search_colleagues
from webapp.orgs.schemas import (
    InviteSchema,
    MembershipSchema,
    OrganisationSettingsSchema,
    PeopleSearchSchema,
    PersonSchema,
    TeamSchema,
    ValueSchema,
)
from webapp.routing import public_url
from webapp.security import has_role, no_store, scoped_get_or_404

blp = Blueprint(
    "api_orgs",
    __name__,
    url_prefix="/api/v1",
    description="The organisation's values, settings, teams, members and invites.",
)


def whole_list(item: type[Schema], name: str) -> type[Schema]:
    """The page envelope of a short reference list, always returned whole."""
    return page_schema(item, name)


class TeamOverviewSchema(Schema):
    """A manager's view of one team: this week's numbers, quiet people, gesture spending."""

    coverage = fields.Nested(TeamCoverageSchema, required=True)
    budget = fields.List(fields.Nested(BudgetRowSchema), required=True)
    budget_cents = fields.Integer(required=True)
    gestures = fields.List(fields.Nested(GestureMomentSchema), required=True)


class InviteCreatedSchema(InviteSchema):
    """An invite just created: `url` (and `token`) are shown this once."""

    token = fields.String(dump_only=True)
    url = fields.String(dump_only=True)


# Values and settings ---------------------------------------------------------------------


@blp.route("/values", methods=["GET"])
@blp.response(200, whole_list(ValueSchema, "ValueList"))
@document_errors(blp)
def list_values() -> dict[str, Any]:
    """The organisation's values people can tag moments and kudos with (the whole list):
    name and description in the reader's language; for admins also `translations`, every
    language's text as written."""
    values = orgs.active_values(db.session(), me().org_id)
    if has_role(me(), "admin"):
        return {"items": values, "next_cursor": None}
    return {
        "items": ValueSchema(exclude=("translations",), many=True).dump(values),
        "next_cursor": None,
    }


@blp.route("/settings", methods=["GET"])
@blp.response(200, OrganisationSettingsSchema)
@document_errors(blp)
def show_settings() -> Organisation:
    """The organisation's settings: allowance, budget, points rules, quiet hours."""
    return orgs.organisation(db.session(), me().org_id)


# Teams ------------------------------------------------------------------------------------


# Colleagues ------------------------------------------------------------------------------


@blp.route("/people", methods=["GET"])
@blp.arguments(PeopleSearchSchema, location="query")
@blp.response(200, whole_list(PersonSchema, "PersonList"))
@document_errors(blp, 422)
def search_people(args: dict[str, Any]) -> dict[str, Any]:
    """Colleagues whose name contains every word of `q` (case-insensitive), at most `limit`
    (20): the active people of my organisation other than me, whom the moment, kudos and
    recognition forms can choose. Names starting with the first word come first."""
    found = search_colleagues(db.session(), me(), args["q"], args["limit"])
    return {"items": found, "next_cursor": None}


@blp.route("/teams", methods=["GET"])
@blp.response(200, whole_list(TeamSchema, "TeamList"))
@document_errors(blp)
def list_teams() -> dict[str, Any]:
    """Every team of the organisation with its member count (the whole list)."""
    return {"items": admin.teams_with_counts(db.session(), me().org_id), "next_cursor": None}


@blp.route("/teams/<int:team_id>/members", methods=["GET"])
@blp.response(200, whole_list(MembershipSchema, "MemberList"))
@document_errors(blp, 404)
def list_members(team_id: int) -> dict[str, Any]:
    """The people of a team, leads first (the whole list)."""
    team = scoped_get_or_404(Team, team_id)
    return {"items": admin.team_memberships(db.session(), team), "next_cursor": None}


@blp.route("/teams/<int:team_id>/overview", methods=["GET"])
@blp.response(200, TeamOverviewSchema)
@document_errors(blp, 403, 404)
def team_overview(team_id: int) -> dict[str, Any]:
    """Managers: a team's week, who nobody has noticed lately, and gesture spending."""
    team = scoped_get_or_404(Team, team_id)
    require_role("manager")
    session = db.session()
    whole = manage.overview(session, me())
    coverage = next((c for c in whole.teams if c.team.id == team.id), None)
    if coverage is None:
        abort(403, description=_("You look after other teams."))
    member_ids = {user.id for user in orgs.team_members(session, team.id)}
    return {
        "coverage": coverage,
        "budget": [row for row in whole.budget if row.user.id in member_ids],
        "budget_cents": whole.budget_cents,
        "gestures": [m for m in whole.gestures if m.team_id == team.id],
    }


# Invites ----------------------------------------------------------------------------------


@blp.route("/invites", methods=["GET"])
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(InviteSchema, "InvitePage"))
@document_errors(blp, 403, 422)
def list_invites(args: dict[str, Any]) -> dict[str, Any]:
    """Admins: the invite links that can still be used, newest first."""
    require_role("admin")
    invites = admin.open_invites(db.session(), me().org_id)
    return page_in_memory(invites, args["cursor"], args["limit"])


@blp.route("/invites", methods=["POST"])
@blp.arguments(InviteSchema)
@blp.response(201, InviteCreatedSchema)
@document_errors(blp, 400, 403, 404, 422)
def create_invite(data: dict[str, Any]) -> dict[str, Any]:
    """Admins: create an invite link; its URL is in this response only."""
    require_role("admin")
    invite, raw = admin.create_invite(db.session(), me(), data)
    db.session.commit()
    no_store()
    # Shown once: the raw token goes into this response only, never into the database.
    shown = {name: getattr(invite, name) for name in InviteSchema().dump_fields}
    return {**shown, "token": raw, "url": _invite_url(raw)}


@blp.route("/invites/<int:invite_id>", methods=["DELETE"])
@blp.response(204)
@document_errors(blp, 400, 403, 404, 409)
def revoke_invite(invite_id: int) -> None:
    """Admins: revoke an unused invite link."""
    invite = scoped_get_or_404(Invite, invite_id)
    require_role("admin")
    admin.revoke_invite(db.session(), me(), invite)
    db.session.commit()


def _invite_url(raw: str) -> str:
    try:
        return public_url("auth.accept_invite", token=raw)
    except BuildError:  # the invite page is not registered in this build
        return url_for("api_orgs.list_values", _external=True).replace(
            "/api/v1/values", f"/invite/{raw}"
        )
