"""Kiosk forms (labels, widgets, CSRF); the schemas in `schemas.py` do the validating."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from webapp.kiosk.schemas import NAME_MAX, PIN_MAX

_PIN_WIDGET = {
    "inputmode": "numeric",
    "pattern": "[0-9]{4,6}",
    "maxlength": PIN_MAX,
    "autocomplete": "off",
    "required": True,
}


class PinForm(FlaskForm):
    password = PasswordField(
        _l("Current password"), render_kw={"autocomplete": "current-password", "required": True}
    )
    pin = PasswordField(
        _l("New PIN (4 to 6 digits)"), render_kw={**_PIN_WIDGET, "autocomplete": "new-password"}
    )


class DeviceForm(FlaskForm):
    name = StringField(
        _l("Name of this device"),
        render_kw={
            "maxlength": NAME_MAX,
            "required": True,
            "placeholder": _l("For example: staff room tablet"),
        },
    )
    team_id = SelectField(_l("Team"), choices=[])


class PinEntryForm(FlaskForm):
    pin = PasswordField(_l("Your PIN"), render_kw={**_PIN_WIDGET, "autofocus": True})
