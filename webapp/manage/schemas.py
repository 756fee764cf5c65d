"""marshmallow schemas of the manager's overview (output only; the API reuses them)."""

from __future__ import annotations

from marshmallow import Schema, fields


class PersonRefSchema(Schema):
    """A person named in an overview."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)


class QuietPersonSchema(Schema):
    """Someone nobody has thanked or recognized in the last 14 days."""

    user = fields.Nested(PersonRefSchema, dump_only=True)
    last_noticed = fields.DateTime(dump_only=True, allow_none=True)


class TeamCoverageSchema(Schema):
    """A team's numbers this week and its quiet corner."""

    team_id = fields.Integer(attribute="team.id", dump_only=True)
    team_name = fields.String(attribute="team.name", dump_only=True)
    members = fields.Integer(dump_only=True)
    moments_week = fields.Integer(dump_only=True)
    kudos_week = fields.Integer(dump_only=True)
    quiet = fields.List(fields.Nested(QuietPersonSchema), dump_only=True)
    quiet_more = fields.Integer(dump_only=True)
    people = fields.Integer(
        dump_only=True, metadata={"description": "Members counted for the shares (not you)."}
    )
    noticed_14 = fields.Integer(
        dump_only=True, metadata={"description": "Of them, noticed in the last 14 days."}
    )
    noticed_30 = fields.Integer(
        dump_only=True, metadata={"description": "Of them, noticed in the last 30 days."}
    )


class BudgetRowSchema(Schema):
    """Gesture spending this month (and last month) for one person."""

    user = fields.Nested(PersonRefSchema, dump_only=True)
    spent_cents = fields.Integer(dump_only=True)
    gestures = fields.Integer(dump_only=True)
    last_month_cents = fields.Integer(dump_only=True)
    last_month_gestures = fields.Integer(dump_only=True)


class GestureMomentSchema(Schema):
    """A recent moment with a gesture cost."""

    id = fields.Integer(dump_only=True)
    author = fields.Nested(PersonRefSchema, dump_only=True)
    team_id = fields.Integer(dump_only=True)
    cue = fields.String(dump_only=True)
    action = fields.String(dump_only=True)
    gesture_cost_cents = fields.Integer(dump_only=True)
    gesture_note = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class OverviewSchema(Schema):
    """The manager's overview of their teams."""

    teams = fields.List(fields.Nested(TeamCoverageSchema), dump_only=True)
    budget = fields.List(fields.Nested(BudgetRowSchema), dump_only=True)
    budget_cents = fields.Integer(dump_only=True)
    gestures = fields.List(fields.Nested(GestureMomentSchema), dump_only=True)
    all_teams = fields.Boolean(dump_only=True)
    budget_more = fields.Integer(dump_only=True)
    next_after = fields.String(dump_only=True, allow_none=True)
