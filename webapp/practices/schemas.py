"""marshmallow schemas of practices: adopting one, linking a moment to one (input), and a
practice as shown (output, for the API)."""

from __future__ import annotations

from marshmallow import Schema, fields

from webapp.schemas import InputSchema, ident, text

TITLE_MIN = 3
TITLE_MAX = 120


class AdoptSchema(InputSchema):
    """A short title for the practice ("Umbrella at the door when it rains")."""

    title = text(TITLE_MAX, min_len=TITLE_MIN, required=True)


class AdoptApiSchema(AdoptSchema):
    """Adopting through the API names the moment."""

    moment_id = ident(required=True)


class LinkSchema(InputSchema):
    """The practice a moment repeats."""

    practice_id = ident(required=True)


class TeamArgsSchema(InputSchema):
    """Whose practices: a team of my organisation (blank: my own team)."""

    team_id = ident(allow_none=True, load_default=None)


class PracticeSchema(Schema):
    """A practice and how far it spread (output only)."""

    id = fields.Integer(attribute="practice.id", dump_only=True)
    title = fields.String(attribute="practice.title", dump_only=True)
    team_id = fields.Integer(attribute="practice.team_id", dump_only=True)
    team_name = fields.String(attribute="practice.team.name", dump_only=True)
    source_moment_id = fields.Integer(attribute="practice.source_moment_id", dump_only=True)
    adopted_by = fields.String(attribute="practice.adopted_by.name", dump_only=True)
    adopted_at = fields.DateTime(attribute="practice.created_at", dump_only=True)
    repeats = fields.Integer(dump_only=True)
    people = fields.Integer(dump_only=True)
