"""marshmallow schemas of the leaderboard: the period query and the standings output.

The JSON API dumps the same dataclasses the pages render (`leaderboard.services`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from webapp.leaderboard.services import DEFAULT_PERIOD, PERIODS
from webapp.schemas import InputSchema


class PeriodQuerySchema(InputSchema):
    """`?period=week|month|all` (week when absent)."""

    period = fields.String(
        load_default=DEFAULT_PERIOD,
        validate=validate.OneOf(PERIODS, error=_l("Choose week, month or all.")),
    )


class BoardQuerySchema(PeriodQuerySchema):
    """The board page: `?period=` and `?from=<rank>`, the first rank of the page."""

    start = fields.Integer(
        data_key="from",
        load_default=1,
        validate=validate.Range(min=1, max=100_000, error=_l("Choose a rank from 1.")),
    )


class TeamStandingSchema(Schema):
    """A team on the board; `rank` is null for teams too small to rank."""

    team_id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    members = fields.Integer(dump_only=True)
    points = fields.Integer(dump_only=True)
    per_member = fields.Float(dump_only=True)
    rank = fields.Integer(dump_only=True, allow_none=True)
    ranked = fields.Boolean(dump_only=True)


class PersonStandingSchema(Schema):
    """One person's row inside a team (never the bottom of the table)."""

    rank = fields.Integer(dump_only=True)
    user_id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    points = fields.Integer(dump_only=True)
    is_me = fields.Boolean(dump_only=True)


def _rows(view: Any) -> list[dict[str, Any]]:
    # A gap ("…") between the top five and the viewer is dumped as {"gap": true}.
    person = PersonStandingSchema()
    return [
        {"gap": True} if row is None else {"gap": False, **person.dump(row)} for row in view.rows
    ]


class TeamViewSchema(Schema):
    """A person's private view of one of their teams."""

    team_id = fields.Integer(dump_only=True)
    team_name = fields.String(dump_only=True)
    rows = fields.Function(_rows, dump_only=True)
    me = fields.Nested(PersonStandingSchema, dump_only=True, allow_none=True)
    hidden_me = fields.Boolean(dump_only=True)


class LeaderboardSchema(Schema):
    """The whole leaderboard as the signed-in person sees it."""

    period = fields.String(dump_only=True)
    min_team_size = fields.Integer(dump_only=True)
    teams = fields.List(fields.Nested(TeamStandingSchema), dump_only=True)
    my_team_ids = fields.Function(lambda b: sorted(b.my_team_ids), dump_only=True)
    my_teams = fields.List(fields.Nested(TeamViewSchema), dump_only=True)
