"""marshmallow schemas of the insights pages: the filters and the export's choices (input),
the CSV rows of the export (output)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from webapp.schemas import REQUIRED, InputSchema, choice, ident, text

PERIOD_CHOICES = ("4w", "12w", "12m")
EXPORT_KINDS = ("moments", "kudos", "recognitions")
EXPORT_MAX_DAYS = 731
SEARCH_MAX = 100


def _date(**kwargs: Any) -> fields.Date:
    return fields.Date(
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": _l("Enter a date.")},
        **kwargs,
    )


class TeamQuerySchema(InputSchema):
    """One of my teams, or all of them (blank)."""

    team_id = ident(allow_none=True, load_default=None)


class WorksQuerySchema(TeamQuerySchema):
    """What works: a team, a value, a period and words to search for."""

    value_id = ident(allow_none=True, load_default=None)
    period = choice(PERIOD_CHOICES, load_default="12w")
    q = text(SEARCH_MAX, min_len=0, load_default="")


class ExportQuerySchema(TeamQuerySchema):
    """What to export: moments, kudos or recognitions, for a team and a period."""

    kind = choice(EXPORT_KINDS, required=True)
    first_day = _date(required=True)
    last_day = _date(required=True)

    @validates_schema
    def _period(self, data: dict[str, Any], **kwargs: Any) -> None:
        first, last = data.get("first_day"), data.get("last_day")
        if not (first and last):
            return
        if last < first:
            raise ValidationError(
                str(_l("The last day cannot be before the first day.")), "last_day"
            )
        if last - first > timedelta(days=EXPORT_MAX_DAYS):
            raise ValidationError(str(_l("Export at most two years at a time.")), "first_day")


class DismissSchema(InputSchema):
    """A pattern a manager sets aside: its kind, team and people (ids joined by '-')."""

    kind = choice(("pair", "ring"), required=True)
    team_id = ident(required=True)
    people = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^\d{1,9}(-\d{1,9}){1,2}$", error=_l("Choose one of the options.")
        ),
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": REQUIRED},
    )


# The export's rows (output). Each field's label is its column header.


def _column(label: Any, kind: type[fields.Field] = fields.String) -> fields.Field:
    return kind(dump_only=True, metadata={"label": label})


def header(schema: Schema) -> list[str]:
    """The translated column headers of a row schema, in its field order."""
    return [str(field.metadata["label"]) for field in schema.fields.values()]


class MomentRowSchema(Schema):
    """A moment as a row of the export."""

    id = _column(_l("Moment"), fields.Integer)
    logged_at = _column(_l("Logged at"))
    team = _column(_l("Team"))
    author = _column(_l("Author"))
    cue = _column(_l("Noticed"))
    action = _column(_l("Did"))
    reaction = _column(_l("Reaction"))
    values = _column(_l("Values"))
    colleagues = _column(_l("With"))
    gesture_cost = _column(_l("Gesture cost"))
    gesture_note = _column(_l("Gesture note"))
    delighted = _column(_l("Guest delighted"))
    kudos = _column(_l("Kudos"), fields.Integer)
    reversed = _column(_l("Reversed"))


class KudosRowSchema(Schema):
    """Kudos as a row of the export."""

    id = _column(_l("Kudos"), fields.Integer)
    given_at = _column(_l("Given at"))
    giver = _column(_l("Given by"))
    receiver = _column(_l("Received by"))
    value = _column(_l("Value"))
    message = _column(_l("Message"))
    private = _column(_l("Private"))
    moment_id = _column(_l("Moment"))


class RecognitionRowSchema(Schema):
    """A recognition as a row of the export."""

    id = _column(_l("Recognition"), fields.Integer)
    given_at = _column(_l("Given at"))
    manager = _column(_l("Manager"))
    recipient = _column(_l("Recognized"))
    award = _column(_l("Award"))
    message = _column(_l("Message"))
    moment_ids = _column(_l("Moments"))
