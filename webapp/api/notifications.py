"""My notifications, and the Web Push subscriptions of my browsers."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.api.auth import me
from webapp.api.common import (
    Blueprint,
    PageArgsSchema,
    created_key,
    document_errors,
    keyset_after,
    page_of,
    page_schema,
)
from webapp.domain import Conflict
from webapp.extensions import db
from webapp.models import Notification
from webapp.notifications import services as notifications
from webapp.notifications import subscriptions
from webapp.notifications.titles import shown_title
from webapp.notifications.vapid import is_auth_secret, is_browser_key, push_enabled
from webapp.outbound import UnsafeAddress, check_saved_url
from webapp.schemas import InputSchema, text

blp = Blueprint(
    "api_notifications",
    __name__,
    url_prefix="/api/v1",
    description="My notifications and my browsers' Web Push subscriptions.",
)


class NotificationSchema(Schema):
    """One notification (output only)."""

    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    title = fields.Function(shown_title, dump_only=True)
    body = fields.String(dump_only=True)
    url = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    read_at = fields.DateTime(dump_only=True, allow_none=True)


class NotificationListArgsSchema(PageArgsSchema):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only unread ones."})


class MarkedReadSchema(Schema):
    unread = fields.Integer(required=True, metadata={"description": "Unread left (0)."})


PUSH_URL_MESSAGE = _l("Enter the https address of a push service.")
PUSH_URL = validate.URL(schemes={"https"}, require_tld=True, error=PUSH_URL_MESSAGE)


def _public_push_service(value: str) -> None:
    # https on a public address (a name resolving to a private one is refused here too); the
    # sender checks again when it connects.
    PUSH_URL(value)
    try:
        check_saved_url(value)
    except UnsafeAddress:
        raise ValidationError(str(PUSH_URL_MESSAGE)) from None


def _browser_key(value: str) -> None:
    if not is_browser_key(value):
        raise ValidationError(_("This is not a browser's push key (p256dh)."))


def _auth_secret(value: str) -> None:
    if not is_auth_secret(value):
        raise ValidationError(_("This is not a browser's push secret (auth)."))


class PushKeysSchema(InputSchema):
    """The keys a browser encrypts its messages with, as its subscription gives them."""

    p256dh = text(200, extra=_browser_key, required=True)
    auth = text(100, extra=_auth_secret, required=True)


class PushSubscriptionSchema(InputSchema):
    """A browser's push subscription, as `PushSubscription.toJSON()` gives it."""

    id = fields.Integer(dump_only=True)
    endpoint = text(1000, extra=_public_push_service, required=True)
    keys = fields.Nested(PushKeysSchema, required=True, load_only=True)
    created_at = fields.DateTime(dump_only=True)


class PushEndpointSchema(InputSchema):
    endpoint = text(1000, extra=PUSH_URL, required=True)


@blp.route("/notifications", methods=["GET"])
@blp.arguments(NotificationListArgsSchema, location="query")
@blp.response(200, page_schema(NotificationSchema, "NotificationPage"))
@document_errors(blp, 422)
def list_notifications(args: dict[str, Any]) -> dict[str, Any]:
    """My notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == me().id)
        .options(selectinload(Notification.actor))
    )
    if args["unread"]:
        query = query.where(Notification.read_at.is_(None))
    query = keyset_after(query, Notification.created_at, Notification.id, args["cursor"])
    rows = list(db.session.scalars(query.limit(args["limit"] + 1)))
    return page_of(rows, args["limit"], created_key)


@blp.route("/notifications/read", methods=["POST"])
@blp.response(200, MarkedReadSchema)
@document_errors(blp, 400, 403)
def mark_read() -> dict[str, int]:
    """Mark all my notifications read."""
    user = me()
    notifications.mark_all_read(db.session(), user.id)
    db.session.commit()
    return {"unread": notifications.unread_count(db.session(), user.id)}


@blp.route("/push-subscriptions", methods=["POST"])
@blp.arguments(PushSubscriptionSchema)
@blp.response(201, PushSubscriptionSchema)
@blp.alt_response(200, schema=PushSubscriptionSchema, description="Already subscribed.")
@document_errors(blp, 400, 403, 409, 422)
def subscribe(data: dict[str, Any]) -> Any:
    """Subscribe this browser to Web Push (201; 200 when it already was; 409 when this
    server has Web Push turned off)."""
    if not push_enabled():
        raise Conflict(_("Notifications to devices are turned off on this server."))
    keys = data["keys"]
    subscription, created = subscriptions.subscribe(
        db.session(), me(), data["endpoint"], keys["p256dh"], keys["auth"]
    )
    db.session.commit()
    return subscription, 201 if created else 200


@blp.route("/push-subscriptions", methods=["DELETE"])
@blp.arguments(PushEndpointSchema)
@blp.response(204)
@document_errors(blp, 400, 403, 404, 422)
def unsubscribe(data: dict[str, Any]) -> None:
    """Stop Web Push to this browser."""
    subscriptions.unsubscribe(db.session(), me(), data["endpoint"])
    db.session.commit()
