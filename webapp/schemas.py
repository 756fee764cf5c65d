"""The schema toolkit every feature's marshmallow schemas are built from: an input base that
trims text, refuses control characters and translates messages, and field makers with
translatable messages (`text`, `number`, `choice`, `ident`)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from webapp.routing import MAX_ID

LOCALES = ("en", "nl")

REQUIRED = _l("This field is required.")
NOT_A_NUMBER = _l("Enter a whole number.")


# C0 control characters other than tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Text that shows nothing: white space, zero-width characters (joiners, the byte-order mark,
# the soft hyphen) and the marks that only steer the direction of text. Made only of these,
# text is empty, whatever its length.
INVISIBLE_ONLY = re.compile(
    "^[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]*$"
)


class InputSchema(Schema):
    """Base of every input schema: unknown keys ignored, text trimmed, blank optional → None."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Messages are declared lazily at import; translate them now, for this request's
        # language, so problem documents and pages carry plain strings.
        for field in self.fields.values():
            _translate_messages(field)

    @pre_load
    def _clean(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, dict):
            return data
        cleaned = {}
        unreadable: dict[str, list[str]] = {}
        for key, value in data.items():
            texts = value if isinstance(value, list) else [value]
            if any(isinstance(t, str) and CONTROL_CHARACTERS.search(t) for t in texts):
                # NUL and other control characters: never typed, and PostgreSQL refuses NUL.
                unreadable[key] = [_("Remove the invisible control characters from this text.")]
                continue
            if isinstance(value, str):
                field = self.fields.get(key)
                shows_nothing = isinstance(field, fields.String) and INVISIBLE_ONLY.match(value)
                # (Amounts keep their own reading, which the offline queue shares.)
                value = "" if shows_nothing else value.strip()
                # A blank number or time is a missing one; blank text stays text, so its
                # length rule can speak.
                blank_is_none = field is not None and (
                    field.allow_none or not isinstance(field, fields.String)
                )
                if value == "" and blank_is_none:
                    value = None
            cleaned[key] = value
        if unreadable:
            raise ValidationError(unreadable)
        return cleaned


def _translate_messages(field: fields.Field) -> None:
    field.error_messages = {key: str(text) for key, text in field.error_messages.items()}
    inner = getattr(field, "inner", None)
    if isinstance(inner, fields.Field):
        _translate_messages(inner)


def text(max_len: int, min_len: int = 1, extra: Any = None, **kwargs: Any) -> fields.String:
    """A trimmed text field with translatable messages; `extra` is one more validator."""
    if min_len:
        message = _l("Enter between %(low)d and %(high)d characters.", low=min_len, high=max_len)
    else:
        message = _l("Enter at most %(high)d characters.", high=max_len)
    validators: list[Any] = [validate.Length(min=min_len, max=max_len, error=message)]
    if extra is not None:
        validators.append(extra)
    return fields.String(
        validate=validators,
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": REQUIRED},
        **kwargs,
    )


class WholeNumber(fields.Integer):
    """An integer that refuses a fraction (1.5) instead of cutting it to 1; digits in a
    string ("150", as forms send them) are read as usual."""

    def _validated(self, value: Any) -> Any:
        if isinstance(value, float | Decimal):
            # JSON may also carry Infinity and NaN, which are no number of anything.
            try:
                whole = value == int(value)
            except (OverflowError, ValueError):
                whole = False
            if not whole:
                raise self.make_error("invalid", input=value)
        return super()._validated(value)


def number(low: int, high: int, **kwargs: Any) -> fields.Integer:
    """A whole number in [low, high] with translatable messages."""
    return WholeNumber(
        strict=False,
        validate=validate.Range(
            min=low,
            max=high,
            error=_l("Enter a number from %(low)d to %(high)d.", low=low, high=high),
        ),
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": NOT_A_NUMBER},
        **kwargs,
    )


def choice(options: tuple[str, ...], **kwargs: Any) -> fields.String:
    """One of `options`."""
    return fields.String(
        validate=validate.OneOf(options, error=_l("Choose one of the options.")),
        error_messages={"required": REQUIRED, "null": REQUIRED},
        **kwargs,
    )


def ident(**kwargs: Any) -> fields.Integer:
    """An object id given as input (its existence is checked by the service)."""
    return WholeNumber(
        strict=False,
        # Ids are 32-bit in the database: a larger number is no object, not a server error.
        validate=validate.Range(min=1, max=MAX_ID, error=_l("Choose one of the options.")),
        error_messages={
            "required": _l("Choose one of the options."),
            "null": _l("Choose one of the options."),
            "invalid": _l("Choose one of the options."),
        },
        **kwargs,
    )


# Days a filter may name: wide enough for any real question, far enough from the calendar's
# end that "the day after" and a time zone's offset still exist.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def day(**kwargs: Any) -> fields.Date:
    """A calendar day (ISO 8601) between FIRST_DAY and LAST_DAY."""
    return fields.Date(
        validate=validate.Range(
            min=FIRST_DAY,
            max=LAST_DAY,
            error=_l("Choose a day from %(low)s to %(high)s.", low="1900-01-01", high="2999-12-31"),
        ),
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": _l("Enter a date.")},
        **kwargs,
    )


MAX_IDS = 50

CLIENT_ID_MESSAGE = _l("Send a UUID, such as the one crypto.randomUUID() makes.")


def client_id_field() -> fields.UUID:
    """The client-made UUID that makes a retry create nothing new."""
    return fields.UUID(
        required=True,
        error_messages={
            "required": CLIENT_ID_MESSAGE,
            "null": CLIENT_ID_MESSAGE,
            "invalid_uuid": CLIENT_ID_MESSAGE,
            "invalid": CLIENT_ID_MESSAGE,
        },
        metadata={"description": "A UUID made by the client; a retry with it creates nothing."},
    )


def id_list(description: str, required_message: Any = None) -> fields.List:
    """A list of object ids (whether they exist in the organisation, the service checks);
    with `required_message` at least one is needed."""
    validators = [validate.Length(max=MAX_IDS, error=_l("Choose at most %(high)d.", high=MAX_IDS))]
    if required_message is not None:
        validators.append(validate.Length(min=1, error=required_message))
    return fields.List(
        ident(),
        load_default=list,
        validate=validators,
        error_messages={"invalid": _l("Choose from the list.")},
        metadata={"description": description},
    )


class RefSchema(Schema):
    """A named thing referred to from another: a person, a team, a value."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
