"""marshmallow schemas of the admin area that are not the organisation's own objects."""

from __future__ import annotations

from marshmallow import Schema, fields

from webapp.models import ORG_ROLES
from webapp.schemas import InputSchema, choice


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
