"""marshmallow schemas of the profile: language and preference inputs, the profile output."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from webapp.schemas import LOCALES, InputSchema
from webapp.timeutil import local_date, utcnow


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


class QuietHoursSchema(InputSchema):
    """A person's own quiet hours (organisation time zone): both times, or neither."""

    quiet_start = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time.")}
    )
    quiet_end = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time.")}
    )

    @validates_schema
    def _pair(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            field = "quiet_end" if end is None else "quiet_start"
            raise ValidationError(_("Set both the start and the end, or neither."), field)
        if start is not None and start == end:
            raise ValidationError(_("The end must differ from the start."), "quiet_end")


class RhythmSchema(InputSchema):
    """Working hours (both or neither), time away (today up to a year ahead, or none) and the
    Monday note."""

    work_start = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time.")}
    )
    work_end = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time.")}
    )
    away_until = fields.Date(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a date.")}
    )
    reminders_enabled = fields.Boolean(load_default=False)

    @validates_schema
    def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("work_start"), data.get("work_end")
        if (start is None) != (end is None):
            field = "work_end" if end is None else "work_start"
            raise ValidationError(_("Set both the start and the end, or neither."), field)
        if start is not None and start == end:
            raise ValidationError(_("The end must differ from the start."), "work_end")
        away = data.get("away_until")
        today = self.context_today()
        if away is not None and not today <= away <= today + timedelta(days=366):
            raise ValidationError(
                _("Choose a day from today up to a year ahead, or leave it empty."), "away_until"
            )

    def context_today(self) -> date:
        """Today where the signed-in person's organisation is."""
        zone = current_user.organisation.timezone if current_user.is_authenticated else "UTC"
        return local_date(utcnow(), zone)


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
