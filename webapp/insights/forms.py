"""Page forms of the insights: filters (GET, no CSRF: they change nothing), the export's
choices, and dismissing a pattern. The schemas in `insights/schemas.py` validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SearchField, SelectField
from wtforms.validators import Optional

from webapp.forms import FilterForm
from webapp.insights.schemas import SEARCH_MAX


class TeamFilterForm(FilterForm):
    team_id = SelectField(_l("Team"), choices=[], validators=[Optional()])


class WorksFilterForm(TeamFilterForm):
    value_id = SelectField(_l("Value"), choices=[], validators=[Optional()])
    period = SelectField(_l("Period"), choices=[])
    q = SearchField(
        _l("Search what moments say"),
        validators=[Optional()],
        description=_l("Words from what was noticed, done or said, e.g. umbrella or allergy."),
        render_kw={"maxlength": SEARCH_MAX, "autocomplete": "off", "enterkeyhint": "search"},
    )


class ExportForm(TeamFilterForm):
    kind = SelectField(_l("What to export"), choices=[])
    first_day = DateField(_l("First day"))
    last_day = DateField(_l("Last day"))


class DismissForm(FlaskForm):
    kind = HiddenField()
    team_id = HiddenField()
    people = HiddenField()
