"""Page forms of the manager area; `RecognitionCreateSchema` does the validating."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.recognition.schemas import MESSAGE_MAX


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (the `_forms.html` macros render it as chips or a list)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RecognizeForm(FlaskForm):
    recipient_id = SelectField(_l("Who do you want to recognize?"), choices=[])
    message = TextAreaField(
        _l("Your message"),
        description=_l(
            "Be specific: what did they notice, what did they do, and what did it change for "
            "the guest or the team? At least 20 characters, so it is more than a thank-you."
        ),
        render_kw={"rows": 5, "maxlength": MESSAGE_MAX, "minlength": 20},
    )
    moment_ids = MultiCheckboxField(
        _l("Moments you are recognizing"), choices=[], validators=[Optional()]
    )
    award = SelectField(_l("Award"), choices=[], validators=[Optional()])
