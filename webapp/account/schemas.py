"""marshmallow schemas of the account pages: passwords, deleting the account, and the
personal data export (what Kizuki holds about a person, as data: text is never HTML)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from webapp.auth.schemas import PASSWORD_MAX, ChosenPasswordSchema, TokenSchema, email_field
from webapp.moments.access import SPENDING_FIELDS
from webapp.schemas import InputSchema
from webapp.timeutil import as_utc

EXPORT_FORMAT = "kizuki-personal-data/1"


def password_field(message: Any, **kwargs: Any) -> fields.String:
    """A password typed to prove who you are (checked by the service, not here)."""
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=PASSWORD_MAX, error=message),
        error_messages={"required": message, "null": message, "invalid": message},
        **kwargs,
    )


class NewPasswordSchema(ChosenPasswordSchema):
    """A new password, typed twice; long enough and not a common one."""


class PasswordChangeSchema(NewPasswordSchema):
    """Changing my password: the current one, then the new one twice."""

    current_password = password_field(_l("Enter your current password."))

    @validates_schema
    def _really_new(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("password") and data.get("password") == data.get("current_password"):
            raise ValidationError(
                _("Choose a password that differs from your current one."), "password"
            )


class ForgotPasswordSchema(InputSchema):
    """Asking for a reset link by e-mail."""

    email = email_field(required=True)


class DeleteAccountSchema(InputSchema):
    """Deleting my account: my password confirms it is really me."""

    password = password_field(_l("Enter your password to confirm."))


# The personal data export -------------------------------------------------------------------


class UtcDateTime(fields.DateTime):
    """A timestamp stated in UTC (SQLite hands them back without a zone)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, datetime):
            value = as_utc(value)
        return super()._serialize(value, attr, obj, **kwargs)


def _stamp(**kwargs: Any) -> UtcDateTime:
    return UtcDateTime(dump_only=True, **kwargs)


class ExportPersonSchema(Schema):
    """Someone named in my data, by id and (current) name."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)


class ExportOrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)


class ProfileExportSchema(Schema):
    """My account and settings (never the password hash)."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    locale = fields.String(dump_only=True, allow_none=True)
    active = fields.Boolean(dump_only=True)
    created_at = _stamp()
    organisation = fields.Nested(ExportOrganisationSchema, dump_only=True)
    work_start = fields.Time(dump_only=True, allow_none=True)
    work_end = fields.Time(dump_only=True, allow_none=True)
    quiet_start = fields.Time(dump_only=True, allow_none=True)
    quiet_end = fields.Time(dump_only=True, allow_none=True)
    hide_from_boards = fields.Boolean(dump_only=True)
    reminders_enabled = fields.Boolean(dump_only=True)
    away_until = fields.Date(dump_only=True, allow_none=True)
    invited_week = fields.Date(dump_only=True, allow_none=True)


class MembershipExportSchema(Schema):
    team_id = fields.Integer(dump_only=True)
    team_name = fields.String(attribute="team.name", dump_only=True)
    role = fields.String(dump_only=True)
    created_at = _stamp()


class ExportValueSchema(Schema):
    name = fields.String(dump_only=True)


class MomentExportSchema(Schema):
    """A moment I wrote or was named in, with everything it says."""

    id = fields.Integer(dump_only=True)
    author = fields.Nested(ExportPersonSchema, dump_only=True)
    team = fields.String(attribute="team.name", dump_only=True)
    occurred_at = _stamp()
    created_at = _stamp()
    updated_at = _stamp(allow_none=True)
    deleted_at = _stamp(allow_none=True)
    cue = fields.String(dump_only=True)
    action = fields.String(dump_only=True)
    reaction = fields.String(dump_only=True)
    values = fields.Pluck(ExportValueSchema, "name", many=True, dump_only=True)
    colleagues = fields.List(fields.Nested(ExportPersonSchema), dump_only=True)
    gesture_cost_cents = fields.Integer(dump_only=True, allow_none=True)
    gesture_note = fields.String(dump_only=True, allow_none=True)
    outside_hours = fields.Boolean(dump_only=True)
    delighted = fields.Boolean(dump_only=True)
    reversed_at = _stamp(allow_none=True)
    reversal_reason = fields.String(dump_only=True, allow_none=True)


class InvolvedMomentExportSchema(MomentExportSchema):
    """A colleague's moment that names me: the story, never what its author spent."""

    class Meta:
        exclude = SPENDING_FIELDS


class KudosExportSchema(Schema):
    id = fields.Integer(dump_only=True)
    giver = fields.Nested(ExportPersonSchema, dump_only=True)
    receiver = fields.Nested(ExportPersonSchema, dump_only=True)
    moment_id = fields.Integer(dump_only=True, allow_none=True)
    value = fields.Pluck(ExportValueSchema, "name", dump_only=True, allow_none=True)
    message = fields.String(dump_only=True)
    private = fields.Boolean(dump_only=True)
    created_at = _stamp()
    reversed_at = _stamp(allow_none=True)


class RecognitionExportSchema(Schema):
    id = fields.Integer(dump_only=True)
    manager = fields.Nested(ExportPersonSchema, dump_only=True)
    recipient = fields.Nested(ExportPersonSchema, dump_only=True)
    message = fields.String(dump_only=True)
    award = fields.String(dump_only=True, allow_none=True)
    moment_ids = fields.Function(lambda r: [m.id for m in r.moments], dump_only=True)
    created_at = _stamp()


class LedgerEntryExportSchema(Schema):
    id = fields.Integer(dump_only=True)
    day = fields.Date(dump_only=True)
    points = fields.Integer(dump_only=True)
    reason = fields.String(dump_only=True)
    note = fields.String(dump_only=True, allow_none=True)
    moment_id = fields.Integer(dump_only=True, allow_none=True)
    kudos_id = fields.Integer(dump_only=True, allow_none=True)
    recognition_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = _stamp()


class BadgeExportSchema(Schema):
    badge = fields.String(dump_only=True)
    awarded_at = _stamp()


class NotificationExportSchema(Schema):
    kind = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    url = fields.String(dump_only=True)
    created_at = _stamp()
    read_at = _stamp(allow_none=True)


class PushSubscriptionExportSchema(Schema):
    """A browser that receives my push notifications (its keys are left out)."""

    endpoint = fields.String(dump_only=True)
    created_at = _stamp()


class ApiTokenExportSchema(TokenSchema):
    """A personal API token's metadata (the token and its hash are never exported)."""

    created_at = _stamp()
    last_used_at = _stamp(allow_none=True)
    revoked_at = _stamp(allow_none=True)


class ResetLinkExportSchema(Schema):
    """A password reset link made for me (the link itself is never stored)."""

    created_at = _stamp()
    expires_at = _stamp()
    used_at = _stamp(allow_none=True)
    by_email = fields.Function(lambda r: r.created_by_id is None, dump_only=True)


class AuditExportSchema(Schema):
    """An audit log entry about me, or of something I did."""

    action = fields.String(dump_only=True)
    target_type = fields.String(dump_only=True, allow_none=True)
    target_id = fields.Integer(dump_only=True, allow_none=True)
    detail = fields.String(dump_only=True)
    by_me = fields.Boolean(dump_only=True)
    created_at = _stamp()


class PersonalDataSchema(Schema):
    """Everything Kizuki holds about one person."""

    format = fields.Constant(EXPORT_FORMAT, dump_only=True)
    exported_at = _stamp()
    profile = fields.Nested(ProfileExportSchema, dump_only=True)
    memberships = fields.List(fields.Nested(MembershipExportSchema), dump_only=True)
    moments_authored = fields.List(fields.Nested(MomentExportSchema), dump_only=True)
    moments_involved = fields.List(fields.Nested(InvolvedMomentExportSchema), dump_only=True)
    kudos_given = fields.List(fields.Nested(KudosExportSchema), dump_only=True)
    kudos_received = fields.List(fields.Nested(KudosExportSchema), dump_only=True)
    recognitions_received = fields.List(fields.Nested(RecognitionExportSchema), dump_only=True)
    recognitions_given = fields.List(fields.Nested(RecognitionExportSchema), dump_only=True)
    ledger_entries = fields.List(fields.Nested(LedgerEntryExportSchema), dump_only=True)
    badges = fields.List(fields.Nested(BadgeExportSchema), dump_only=True)
    notifications = fields.List(fields.Nested(NotificationExportSchema), dump_only=True)
    push_subscriptions = fields.List(fields.Nested(PushSubscriptionExportSchema), dump_only=True)
    api_tokens = fields.List(fields.Nested(ApiTokenExportSchema), dump_only=True)
    password_reset_links = fields.List(fields.Nested(ResetLinkExportSchema), dump_only=True)
    audit_entries = fields.List(fields.Nested(AuditExportSchema), dump_only=True)
