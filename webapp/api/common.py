"""What every API resource shares: problem documents, keyset pagination, error responses."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy import and_, or_

from webapp.routing import MAX_ID, is_database_id
from webapp.timeutil import as_utc

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PROBLEM_CONTENT_TYPE = "application/problem+json"

# Each error status means one thing across the whole API (documented on every operation
# and on the docs page).
ERROR_MEANINGS: dict[int, Any] = {
    400: _l("The request could not be read, or its CSRF token is missing or wrong."),
    401: _l("You are not signed in, or the API token is wrong, revoked or expired."),
    403: _l("You are signed in but not allowed to do this (role or token scope)."),
    404: _l("There is no such object in your organisation."),
    409: _l(
        "A rule of the game says no: for example your kudos are used up this week, or the "
        "client_id was already used for a different entry."
    ),
    422: _l("The input is not valid: `errors` names each field and what is wrong with it."),
    429: _l("Too many attempts: wait for the number of seconds in the Retry-After header."),
}
# flask-smorest's response component name of each status.
STATUS_NAMES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    422: "UNPROCESSABLE_CONTENT",
    429: "TOO_MANY_REQUESTS",
}


class ProblemSchema(Schema):
    """An RFC 9457 problem document."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unprocessable Content"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Field name → list of messages."},
    )


def register_error_responses(api: Api) -> None:
    """Describe every error response as a problem document (replaces smorest's JSON ones)."""
    for status, name in STATUS_NAMES.items():
        response: dict[str, Any] = {
            "description": str(ERROR_MEANINGS[status]),
            "content": {PROBLEM_CONTENT_TYPE: {"schema": ProblemSchema}},
        }
        if status == 429:
            response["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"},
                }
            }
        # Re-registering lazily replaces the default before any operation refers to it.
        api.spec.components.response(name, response, lazy=True)
    api.spec.components.response(
        api.DEFAULT_ERROR_RESPONSE_NAME,
        {
            "description": "Any other error, as a problem document.",
            "content": {PROBLEM_CONTENT_TYPE: {"schema": ProblemSchema}},
        },
        lazy=True,
    )


def document_errors(blp: Any, *statuses: int) -> Callable[[T], T]:
    """Document the error statuses an operation can answer with (401 always)."""

    def decorator(view: T) -> T:
        for status in sorted({401, *statuses}, reverse=True):
            view = blp.alt_response(status, response=STATUS_NAMES[status])(view)
        return view

    return decorator


# Keyset pagination -------------------------------------------------------------------------

INVALID_CURSOR = _l("This cursor is not valid: use the next_cursor of a previous page.")


def encode_cursor(created_at: datetime, object_id: int) -> str:
    """An opaque cursor pointing just after (`created_at`, `object_id`)."""
    raw = f"{as_utc(created_at).isoformat()}|{object_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (created_at, id) a cursor points after; ValueError when it was tampered with."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        stamp, _, object_id = raw.partition("|")
        # An id beyond the database's range names no row (and PostgreSQL refuses it).
        if len(object_id) > len(str(MAX_ID)) or not is_database_id(int(object_id)):
            raise ValueError(cursor)
        return as_utc(datetime.fromisoformat(stamp)), int(object_id)
    except (ValueError, UnicodeError, binascii.Error):
        raise ValueError(cursor) from None


class CursorField(fields.String):
    """A page cursor in a query string, loaded as (created_at, id)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return decode_cursor(text)
        except ValueError:
            raise ValidationError(str(INVALID_CURSOR)) from None


class PageArgsSchema(Schema):
    """`cursor` and `limit` of every list."""

    class Meta:
        unknown = EXCLUDE

    cursor = CursorField(
        load_default=None,
        metadata={"description": "The next_cursor of the previous page; omit for the first."},
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": "Items per page, 1 to 100."},
    )


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The `{items, next_cursor}` envelope around `item`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next_cursor": fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null at the end."},
            ),
        },
        name=name,
    )


def keyset_after(
    query: Any, created_col: Any, id_col: Any, cursor: tuple[datetime, int] | None
) -> Any:
    """`query` newest first, continuing after `cursor` (stable when rows are inserted)."""
    if cursor is not None:
        created, last_id = cursor
        query = query.where(
            or_(created_col < created, and_(created_col == created, id_col < last_id))
        )
    return query.order_by(created_col.desc(), id_col.desc())


def page_of(rows: Sequence[T], limit: int, key: Callable[[T], tuple[datetime, int]]) -> dict:
    """Envelope for `rows` fetched with `limit + 1`: the extra row only says more exist."""
    items = list(rows[:limit])
    more = len(rows) > limit
    next_cursor = encode_cursor(*key(items[-1])) if more and items else None
    return {"items": items, "next_cursor": next_cursor}


def created_key(obj: Any) -> tuple[datetime, int]:
    """The keyset of objects paged on (created_at, id)."""
    return obj.created_at, obj.id


def day_start_utc(day: date, tz: str) -> datetime:
    """The UTC instant `day` begins in the organisation's time zone."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def day_end_utc(day: date, tz: str) -> datetime:
    """The UTC instant `day` ends (the next day begins) in the organisation's time zone."""
    return day_start_utc(day + timedelta(days=1), tz)


def page_in_memory(
    items: Sequence[T], cursor: tuple[datetime, int] | None, limit: int
) -> dict[str, Any]:
    """Page a short list already sorted newest first on (created_at, id)."""
    if cursor is not None:
        created, last_id = cursor
        items = [i for i in items if _after(created_key(i), created, last_id)]
    return page_of(items[: limit + 1], limit, created_key)


def _after(key: tuple[datetime, int], created: datetime, last_id: int) -> bool:
    stamp = as_utc(key[0])
    return stamp < created or (stamp == created and key[1] < last_id)


# Timestamps ------------------------------------------------------------------------------------

NAIVE_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$")


class Blueprint(SmorestBlueprint):
    """flask-smorest's Blueprint, whose responses always carry zoned (UTC) timestamps.

    SQLite hands timestamps back without a zone; they are stored in UTC, so a response says
    so (RFC 3339) instead of leaving clients to guess a local time.
    """

    @staticmethod
    def _prepare_response_content(data: Any) -> Any:
        return _zoned(data)


def _zoned(data: Any, key: str = "") -> Any:
    if isinstance(data, dict):
        return {k: _zoned(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_zoned(item, key) for item in data]
    is_timestamp = key.endswith("_at") or key == "last_noticed"
    if is_timestamp and isinstance(data, str) and NAIVE_TIMESTAMP.match(data):
        return data + "+00:00"
    return data
