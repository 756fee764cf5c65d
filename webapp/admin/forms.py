"""Page forms of the admin area. They render labels, widgets and CSRF; the marshmallow
schemas in `webapp/orgs/schemas.py` and `webapp/admin/schemas.py` do the validating."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import Optional

from webapp.admin.schemas import SEARCH_MAX
from webapp.forms import FilterForm, add_language_fields, language_text_field, options
from webapp.labels import LOCALE_LABELS, ORG_ROLE_LABELS, TEAM_ROLE_LABELS, currency_labels
from webapp.orgs.schemas import VALUE_DESCRIPTION_MAX, VALUE_NAME_MAX


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), render_kw={"maxlength": 80, "autocomplete": "off"})


class MemberAddForm(FlaskForm):
    user_id = SelectField(_l("Person"), choices=[])
    role = SelectField(_l("Role in the team"), choices=options(TEAM_ROLE_LABELS), default="member")


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Role in the team"), choices=options(TEAM_ROLE_LABELS))


class ValueForm(FlaskForm):
    active = BooleanField(_l("People can choose this value"), default=True)


add_language_fields(ValueForm, "name", language_text_field("Name (%(language)s)", VALUE_NAME_MAX))
add_language_fields(
    ValueForm,
    "description",
    language_text_field(
        "Description (%(language)s)",
        VALUE_DESCRIPTION_MAX,
        rows=2,
        description=_l("One or two sentences: what does this value look like at work?"),
    ),
)


class PersonRoleForm(FlaskForm):
    role = SelectField(
        _l("Organisation role"),
        choices=options(ORG_ROLE_LABELS),
        description=_l(
            "Managers recognize people and see their teams; admins also run the organisation."
        ),
    )


class InviteForm(FlaskForm):
    role = SelectField(_l("Organisation role"), choices=options(ORG_ROLE_LABELS), default="staff")
    team_id = SelectField(_l("Team"), choices=[], validators=[Optional()])
    team_role = SelectField(
        _l("Role in the team"), choices=options(TEAM_ROLE_LABELS), default="member"
    )
    note = StringField(
        _l("Note"),
        validators=[Optional()],
        description=_l("For yourself, e.g. who the link is for. The invitee does not see it."),
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )
    expires_in_days = IntegerField(
        _l("Valid for (days)"),
        default=7,
        description=_l("From 1 to 90 days."),
        render_kw={"min": 1, "max": 90, "inputmode": "numeric"},
    )


def _number(label: Any, low: int, high: int, help_text: Any = None) -> IntegerField:
    return IntegerField(
        label,
        description=help_text,
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


class SettingsForm(FlaskForm):
    name = StringField(_l("Organisation name"), render_kw={"maxlength": 120})
    timezone = StringField(
        _l("Time zone"),
        description=_l(
            "Type to search the list, e.g. Amsterdam. Weeks and months are counted in it."
        ),
        render_kw={"list": "timezones", "autocomplete": "off", "maxlength": 64},
    )
    default_locale = SelectField(_l("Default language"), choices=options(LOCALE_LABELS))
    currency = SelectField(
        _l("Currency"),
        choices=[],
        description=_l("Gesture budgets and costs are shown in it."),
    )
    kudos_weekly_allowance = _number(
        _l("Kudos each person can give per week"), 1, 50, _l("From 1 to 50.")
    )
    kudos_same_receiver_weekly_cap = _number(
        _l("Kudos to the same colleague per week"),
        1,
        50,
        _l("At most the weekly allowance; keeps kudos spread around."),
    )
    gesture_budget = StringField(
        _l("Monthly gesture budget per person (euros)"),
        description=_l("From 0 to 1000. The room people have to surprise a guest."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    gesture_budget_mode = SelectField(
        _l("A gesture beyond what is left of the budget"),
        choices=options(
            {
                "refuse": _l("Refuse it: the person sees how much is left"),
                "flag": _l("Allow it, and flag it to the manager on the budget page"),
            }
        ),
    )
    recognition_weekly_cap = _number(
        _l("Recognitions one person can receive per week"),
        1,
        50,
        _l("From 1 to 50, from all managers together. Keeps recognition special."),
    )
    points_moment = _number(_l("Points for a logged moment"), 0, 100, _l("From 0 to 100."))
    moment_points_daily_cap = _number(
        _l("Moments that earn points per day"),
        0,
        20,
        _l("From 0 to 20. More moments are welcome but earn nothing: volume does not pay."),
    )
    points_kudos_received = _number(_l("Points for kudos received"), 0, 100, _l("From 0 to 100."))
    points_kudos_given = _number(_l("Points for kudos given"), 0, 50, _l("From 0 to 50."))
    points_recognition = _number(
        _l("Points for a manager's recognition"), 0, 500, _l("From 0 to 500.")
    )
    quiet_hours_start = TimeField(
        _l("Quiet hours start"),
        validators=[Optional()],
        description=_l("No notifications between start and end. Leave both empty for none."),
    )
    quiet_hours_end = TimeField(_l("Quiet hours end"), validators=[Optional()])
    season_length_months = _number(_l("Season length (months)"), 1, 12, _l("From 1 to 12."))
    min_team_size = _number(
        _l("Minimum team size on the leaderboard"),
        1,
        50,
        _l("Smaller teams are not ranked, so no one stands out alone."),
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l("UTF-8, separated by ; or , with the column names in the first row."),
        render_kw={"accept": ".csv,text/csv", "required": True},
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: start an import, make new invite links (the form
    carries the CSRF token)."""


def settings_form(**kwargs: Any) -> SettingsForm:
    """The settings form with the currency picker's options in the reader's language."""
    form = SettingsForm(**kwargs)
    form.currency.choices = options(currency_labels())
    return form


class RetryJobForm(FlaskForm):
    """Send a failed background job back to the queue (the form carries the CSRF token)."""


# Filters of the admin's lists (GET forms: the URL keeps the choices) -------------------------

SEARCH_ATTRS = {"maxlength": SEARCH_MAX, "autocomplete": "off", "enterkeyhint": "search"}


class PeopleFilterForm(FilterForm):
    q = SearchField(_l("Name or e-mail"), validators=[Optional()], render_kw=SEARCH_ATTRS)
    team_id = SelectField(_l("Team"), choices=[], validators=[Optional()])
    role = SelectField(_l("Role"), choices=[], validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])

    def __init__(self, teams: dict[int, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.team_id.choices = options(teams, _l("All teams"))
        self.role.choices = options(ORG_ROLE_LABELS, _l("Any role"))
        self.status.choices = options(
            {"active": _l("Active"), "deactivated": _l("Deactivated")}, _l("Everyone")
        )


class InviteFilterForm(FilterForm):
    q = SearchField(_l("Name, note or e-mail"), validators=[Optional()], render_kw=SEARCH_ATTRS)
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    # The invite form on the same page has a `team_id` too: ids must differ.
    team_id = SelectField(_l("Team"), choices=[], validators=[Optional()], id="filter-team_id")

    def __init__(self, teams: dict[int, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.status.choices = options({**invite_status_labels(), "all": _l("All")})
        self.team_id.choices = options(teams, _l("All teams"))


def invite_status_labels() -> dict[str, Any]:
    """An invite's status in words."""
    return {
        "open": _l("Still open"),
        "used": _l("Used"),
        "expired": _l("Expired"),
        "revoked": _l("Revoked"),
    }


class AuditFilterForm(FilterForm):
    q = SearchField(
        _l("Search"),
        validators=[Optional()],
        description=_l("Words in what changed, or the name of who changed it."),
        render_kw=SEARCH_ATTRS,
    )
    actor_id = SelectField(_l("Who"), choices=[], validators=[Optional()])
    action = SelectField(_l("What"), choices=[], validators=[Optional()])
    first_day = DateField(_l("From"), validators=[Optional()])
    last_day = DateField(_l("Until"), validators=[Optional()])

    def __init__(self, actors: dict[int, str], actions: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor_id.choices = options(actors, _l("Anyone"))
        self.action.choices = options(actions, _l("Any change"))
