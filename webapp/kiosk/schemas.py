"""marshmallow input of kiosk mode: a PIN, a new kiosk, a PIN typed on the kiosk."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validates

from webapp.schemas import InputSchema, ident, text

PIN_MIN, PIN_MAX = 4, 6
NAME_MAX = 80
PIN_FORMAT = _l("Enter 4 to 6 digits.")


def _format(value: str) -> None:
    if not (value.isascii() and value.isdigit() and PIN_MIN <= len(value) <= PIN_MAX):
        raise ValidationError(str(PIN_FORMAT))


def is_weak(pin: str) -> bool:
    """A PIN anyone would try first: one digit repeated (0000), or a run up or down (1234,
    9876), or two digits taking turns (1212)."""
    digits = [int(d) for d in pin]
    steps = {b - a for a, b in zip(digits, digits[1:], strict=False)}
    if len(set(digits)) == 1 or steps in ({1}, {-1}):
        return True
    return len(set(pin[0::2])) == 1 and len(set(pin[1::2])) == 1


class PinSchema(InputSchema):
    """Setting or changing one's kiosk PIN: the current password proves it is you."""

    password = fields.String(
        required=True, error_messages={"required": _l("Enter your current password.")}
    )
    pin = fields.String(required=True, error_messages={"required": PIN_FORMAT})

    @validates("pin")
    def _pin(self, value: str, **kwargs: Any) -> None:
        _format(value)
        if is_weak(value):
            raise ValidationError(
                str(_l("That PIN is too easy to guess: avoid repeated digits and runs like 1234."))
            )


class DeviceSchema(InputSchema):
    """Turning this device into a kiosk for a team."""

    name = text(NAME_MAX, required=True)
    team_id = ident(required=True)


class PinEntrySchema(InputSchema):
    """A PIN typed on the kiosk."""

    pin = fields.String(required=True, error_messages={"required": PIN_FORMAT})

    @validates("pin")
    def _pin(self, value: str, **kwargs: Any) -> None:
        _format(value)
