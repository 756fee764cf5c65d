"""marshmallow schemas of the admin area that are not the organisation's own objects."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from webapp.admin.listings import INVITE_STATUSES
from webapp.audit.services import LABELS as AUDIT_LABELS
from webapp.auth.schemas import email_field
from webapp.models import ORG_ROLES, TEAM_ROLES
from webapp.schemas import LOCALES, InputSchema, WholeNumber, choice, day, ident, text


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


# The admin's lists: filters read from the query string (GET forms, bookmarkable) --------

SEARCH_MAX = 100
MAX_PAGE = 10_000
PERSON_STATUSES = ("active", "deactivated")


def page_number() -> fields.Integer:
    """Which page of a list; its messages name it, as no form field shows it."""
    return WholeNumber(
        strict=False,
        load_default=1,
        validate=validate.Range(
            min=1, max=MAX_PAGE, error=_l("Choose a page from 1 to %(high)d.", high=MAX_PAGE)
        ),
        error_messages={
            "invalid": _l("Choose a page by its number."),
            "null": _l("Choose a page by its number."),
        },
    )


def search_words() -> fields.String:
    """Words to look for (blank: everything)."""
    return text(SEARCH_MAX, min_len=0, load_default="")


class PeopleQuerySchema(InputSchema):
    """The people list: words in the name or e-mail, a team, a role, active or deactivated."""

    q = search_words()
    team_id = ident(allow_none=True, load_default=None)
    role = choice(ORG_ROLES, allow_none=True, load_default=None)
    status = choice(PERSON_STATUSES, allow_none=True, load_default=None)
    page = page_number()


class InviteQuerySchema(InputSchema):
    """The invites list: words in the name, note or e-mail, a status, a team."""

    q = search_words()
    status = choice((*INVITE_STATUSES, "all"), allow_none=True, load_default="open")
    team_id = ident(allow_none=True, load_default=None)
    page = page_number()


class AuditQuerySchema(InputSchema):
    """The audit log: words in the details or the actor's name, who, what kind, a period."""

    q = search_words()
    actor_id = ident(allow_none=True, load_default=None)
    action = choice(tuple(AUDIT_LABELS), allow_none=True, load_default=None)
    first_day = day(allow_none=True, load_default=None)
    last_day = day(allow_none=True, load_default=None)
    page = page_number()

    @validates_schema
    def _period(self, data: dict[str, Any], **kwargs: Any) -> None:
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            raise ValidationError(_("The last day cannot be before the first day."), "last_day")
