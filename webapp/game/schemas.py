"""marshmallow schemas of the game layer: inputs (reversal, challenge) and outputs."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from webapp.schemas import REQUIRED, InputSchema, ident, number, text

REASON_MIN = 5
REASON_MAX = 200
TITLE_MAX = 120
DESCRIPTION_MAX = 500
GOAL_MAX = 1000


class ReversalSchema(InputSchema):
    """Why a manager reverses a moment or kudos (kept in the ledger and the audit log)."""

    reason = text(REASON_MAX, min_len=REASON_MIN, required=True)


def _date(**kwargs: Any) -> fields.Date:
    return fields.Date(
        error_messages={
            "required": REQUIRED,
            "null": REQUIRED,
            "invalid": _l("Enter a date."),
        },
        **kwargs,
    )


class ChallengeCreateSchema(InputSchema):
    """A team challenge: which team, a focus, an optional value, a period and a goal."""

    team_id = ident(required=True)
    # Each language's title is optional here; the organisation's default language is
    # required by the service (`orgs.content.require_default`).
    title_en = text(TITLE_MAX, min_len=0, load_default="")
    title_nl = text(TITLE_MAX, min_len=0, load_default="")
    description_en = text(DESCRIPTION_MAX, min_len=0, load_default="")
    description_nl = text(DESCRIPTION_MAX, min_len=0, load_default="")
    value_id = ident(allow_none=True, load_default=None)
    starts_on = _date(required=True)
    last_day = _date(required=True)
    goal = number(1, GOAL_MAX, required=True)

    @validates_schema
    def _period(self, data: dict[str, Any], **kwargs: Any) -> None:
        starts_on, last_day = data.get("starts_on"), data.get("last_day")
        if starts_on and last_day and last_day < starts_on:
            raise ValidationError(
                str(_l("The last day cannot be before the first day.")), "last_day"
            )


class BadgeSchema(Schema):
    """A badge as one person sees it (output only)."""

    key = fields.String(attribute="badge.key", dump_only=True)
    name = fields.Function(lambda s: str(s.badge.name), dump_only=True)
    description = fields.Function(lambda s: str(s.badge.description), dump_only=True)
    icon = fields.String(attribute="badge.icon", dump_only=True)
    awarded_at = fields.DateTime(dump_only=True, allow_none=True)


class ChallengeSchema(Schema):
    """A challenge with its progress (output only)."""

    id = fields.Integer(attribute="challenge.id", dump_only=True)
    team_id = fields.Integer(attribute="team.id", dump_only=True)
    team_name = fields.String(attribute="team.name", dump_only=True)
    title = fields.String(attribute="challenge.title", dump_only=True)
    description = fields.String(attribute="challenge.description", dump_only=True)
    value_name = fields.Function(lambda p: p.value.name if p.value else None, dump_only=True)
    starts_on = fields.Date(attribute="challenge.starts_on", dump_only=True)
    last_day = fields.Date(dump_only=True)
    goal = fields.Integer(attribute="challenge.goal", dump_only=True)
    progress = fields.Integer(attribute="count", dump_only=True)
    state = fields.String(dump_only=True)
    reached_at = fields.DateTime(attribute="challenge.reached_at", dump_only=True)


class TeamStandingSchema(Schema):
    """A team's line in a season (output only)."""

    team_id = fields.Integer(attribute="team.id", dump_only=True)
    team_name = fields.String(attribute="team.name", dump_only=True)
    members = fields.Integer(dump_only=True)
    points = fields.Integer(dump_only=True)
    per_member = fields.Float(dump_only=True)
    eligible = fields.Boolean(dump_only=True)


class SeasonSchema(Schema):
    """A season with its standings and winner (output only)."""

    id = fields.Integer(attribute="season.id", dump_only=True)
    label = fields.String(dump_only=True)
    starts_on = fields.Date(attribute="season.starts_on", dump_only=True)
    ends_on = fields.Date(attribute="season.ends_on", dump_only=True)
    finished = fields.Boolean(dump_only=True)
    standings = fields.List(fields.Nested(TeamStandingSchema), attribute="ranked", dump_only=True)
    winner = fields.Nested(TeamStandingSchema, dump_only=True, allow_none=True)
    story_moment_ids = fields.Function(lambda v: [s.moment.id for s in v.stories], dump_only=True)
