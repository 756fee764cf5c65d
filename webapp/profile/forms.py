"""Page forms of the profile; `webapp.profile.schemas` does the validating."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TimeField
from wtforms.validators import Optional

from webapp.admin.forms import LOCALE_LABELS, options


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"), choices=[], description=_l("Kizuki speaks English and Dutch.")
    )
    next = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request, so "Same as my browser" is in the reader's language.
        self.locale.choices = options(LOCALE_LABELS, _("Same as my browser"))


class PreferencesForm(FlaskForm):
    hide_from_boards = BooleanField(
        _l("Hide me from the individual boards"),
        description=_l(
            "Colleagues will not see your position or points; your points still count for "
            "your team."
        ),
    )


class QuietHoursForm(FlaskForm):
    quiet_start = TimeField(
        _l("My quiet hours start"),
        validators=[Optional()],
        description=_l("Leave both empty to keep only the organisation's quiet hours."),
    )
    quiet_end = TimeField(_l("My quiet hours end"), validators=[Optional()])


class MarkReadForm(FlaskForm):
    """Just the CSRF token for "mark all as read"."""
