"""Page forms of the profile; `webapp.profile.schemas` does the validating."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, TimeField
from wtforms.validators import Optional

from webapp.forms import options
from webapp.labels import LOCALE_LABELS


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


class RhythmForm(FlaskForm):
    """My working hours, time away and the Monday note."""

    work_start = TimeField(
        _l("My working day usually starts"),
        validators=[Optional()],
        description=_l(
            "Kizuki belongs to your working hours. Moments you log outside them are kept and "
            "thanked for, without points. Leave both empty when your shifts vary."
        ),
    )
    work_end = TimeField(_l("and ends"), validators=[Optional()])
    away_until = DateField(
        _l("I am away until"),
        validators=[Optional()],
        description=_l(
            "Leave, holidays or days off, up to and including this day. Nothing breaks while "
            "you are away, and no Monday notes are sent."
        ),
    )
    reminders_enabled = BooleanField(
        _l("Send me a short note on Monday mornings"),
        description=_l("A friendly hello when a new week of kudos is there to give."),
    )


class MarkReadForm(FlaskForm):
    """Just the CSRF token for "mark all as read"."""
