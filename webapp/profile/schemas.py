"""marshmallow schemas of the profile: language and preference inputs, the profile output."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from webapp.orgs.schemas import LOCALES, InputSchema


class LanguageSchema(InputSchema):
    """The UI language: one of ours, or blank for the browser's choice."""

    locale = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(LOCALES, error=_l("Choose one of the languages.")),
    )
    next = fields.String(allow_none=True, load_default=None, load_only=True)


class PreferencesSchema(InputSchema):
    """Leaving (or rejoining) the individual boards."""

    hide_from_boards = fields.Boolean(load_default=False)


class LevelSchema(Schema):
    number = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    points = fields.Integer(dump_only=True)
    next_name = fields.String(dump_only=True, allow_none=True)
    next_at = fields.Integer(dump_only=True, allow_none=True)
    to_next = fields.Integer(dump_only=True)


class ProfileSchema(Schema):
    """A person's profile (points and level are null when they keep them private)."""

    id = fields.Integer(attribute="person.id", dump_only=True)
    name = fields.String(attribute="person.name", dump_only=True)
    teams = fields.Function(lambda p: [t.name for t in p.teams], dump_only=True)
    level = fields.Function(
        lambda p: LevelSchema().dump(p.level) if p.points_visible else None, dump_only=True
    )
    points = fields.Function(
        lambda p: (
            {"week": p.points_week, "month": p.points_month, "all": p.points_all}
            if p.points_visible
            else None
        ),
        dump_only=True,
    )
    kudos_received = fields.Integer(dump_only=True)
