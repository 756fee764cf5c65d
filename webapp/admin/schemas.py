"""marshmallow schemas of the admin area that are not the organisation's own objects."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, pre_load, validates_schema

from webapp.auth.schemas import email_field
from webapp.models import ORG_ROLES, TEAM_ROLES
from webapp.schemas import LOCALES, InputSchema, choice, text


class PersonRoleSchema(InputSchema):
    """Changing a person's organisation role."""

    role = choice(ORG_ROLES, required=True)


class PersonActiveSchema(InputSchema):
    """Deactivating a person or letting them back in."""

    active = fields.Boolean(required=True)


class AuditEntrySchema(Schema):
    """One line of the audit log (output only)."""

    id = fields.Integer(dump_only=True)
    actor_id = fields.Integer(dump_only=True, allow_none=True)
    action = fields.String(dump_only=True)
    target_type = fields.String(dump_only=True, allow_none=True)
    target_id = fields.Integer(dump_only=True, allow_none=True)
    detail = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class PersonRowSchema(InputSchema):
    """One person of an imported file (the team's existence and duplicate e-mail addresses
    are checked against the organisation by the import service)."""

    name = text(80, required=True)
    email = email_field(allow_none=True, load_default=None)
    team = text(80, required=True)
    role = choice(ORG_ROLES, allow_none=True, load_default=None)
    team_role = choice(TEAM_ROLES, allow_none=True, load_default=None)
    language = choice(LOCALES, allow_none=True, load_default=None)
    work_start = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time as HH:MM.")}
    )
    work_end = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time as HH:MM.")}
    )

    @pre_load
    def _lower_case(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict):
            for key in ("email", "role", "team_role", "language"):
                if isinstance(data.get(key), str):
                    data[key] = data[key].lower()
        return data

    @validates_schema
    def _working_hours(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("work_start"), data.get("work_end")
        if (start is None) != (end is None):
            raise ValidationError(_("Give both working hours, or neither."), "work_end")
        if start is not None and start == end:
            raise ValidationError(_("The working day must end at another time."), "work_end")
