"""marshmallow schemas of the organisation: teams, members, values, invites, settings.

Pages and the API load input and dump output through these, so a rule lives in one place.
Ids and computed figures are `dump_only`; loading returns plain dicts for the services.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from webapp.labels import CURRENCIES
from webapp.models import ORG_ROLES, TEAM_ROLES
from webapp.rules import BUDGET_MODES, RECOGNITION_WEEKLY_CAP_MAX
from webapp.schemas import (
    CONTROL_CHARACTERS,
    INVISIBLE_ONLY,
    LOCALES,
    REQUIRED,
    InputSchema,
    choice,
    ident,
    number,
    text,
)

MAX_BUDGET_EUROS = 1000


# Teams and memberships -------------------------------------------------------------------


class TeamSchema(InputSchema):
    """A team; loading takes only its name."""

    id = fields.Integer(dump_only=True)
    name = text(80, required=True)
    member_count = fields.Integer(dump_only=True)


class MembershipSchema(InputSchema):
    """A person's place in a team: load `user_id` and `role`; dump adds the name."""

    user_id = ident(required=True)
    role = choice(TEAM_ROLES, load_default="member")
    name = fields.String(dump_only=True, attribute="user.name")


class MembershipRoleSchema(InputSchema):
    """Changing a member's role in a team."""

    role = choice(TEAM_ROLES, required=True)


class MemberTeamSchema(Schema):
    """A team as seen from one of its members."""

    id = fields.Integer(attribute="team.id", dump_only=True)
    name = fields.String(attribute="team.name", dump_only=True)
    role = fields.String(dump_only=True)


class MemberSchema(Schema):
    """A person of the organisation as admins and managers see them (output only)."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    active = fields.Boolean(dump_only=True)
    teams = fields.List(fields.Nested(MemberTeamSchema), attribute="memberships", dump_only=True)


# Values -----------------------------------------------------------------------------------


VALUE_NAME_MAX = 60
VALUE_DESCRIPTION_MAX = 500


def _name() -> fields.String:
    # Each language's name is optional here; the organisation's default language is
    # required by the service, which knows the organisation (`orgs.content.require_default`).
    return text(VALUE_NAME_MAX, min_len=0, load_default="", load_only=True)


def _description() -> fields.String:
    return text(VALUE_DESCRIPTION_MAX, min_len=0, load_default="", load_only=True)


class ValueSchema(InputSchema):
    """One of the organisation's values: loads the name and description in each language
    (`name_nl`, `name_en`, ...); dumps them in the reader's language, and every language's
    in `translations` (the API leaves that out for everyone but admins)."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    translations = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        dump_only=True,
    )
    name_en = _name()
    name_nl = _name()
    description_en = _description()
    description_nl = _description()
    active = fields.Boolean(load_default=True)


# Invites ----------------------------------------------------------------------------------


class InviteSchema(InputSchema):
    """An invite link: load the role, team and expiry; the token itself is never dumped."""

    id = fields.Integer(dump_only=True)
    role = choice(ORG_ROLES, load_default="staff")
    team_id = ident(allow_none=True, load_default=None)
    team_role = choice(TEAM_ROLES, load_default="member")
    note = text(120, min_len=0, allow_none=True, load_default=None)
    expires_in_days = number(1, 90, load_default=7, load_only=True)
    created_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)
    used_at = fields.DateTime(dump_only=True)
    revoked_at = fields.DateTime(dump_only=True)


# Settings ---------------------------------------------------------------------------------


@cache
def time_zones() -> frozenset[str]:
    """Every IANA time zone name zoneinfo knows."""
    return frozenset(available_timezones())


def _valid_timezone(name: str) -> None:
    if name not in time_zones():
        raise ValidationError(_("Choose a time zone such as Europe/Amsterdam."))


class OrganisationSettingsSchema(InputSchema):
    """The organisation's settings; `gesture_budget` is in euros, stored as cents."""

    name = text(120, required=True)
    timezone = text(64, extra=_valid_timezone, required=True)
    default_locale = choice(LOCALES, required=True)
    # Optional: a form without the picker leaves the currency as it is.
    currency = choice(CURRENCIES)
    kudos_weekly_allowance = number(1, 50, required=True)
    kudos_same_receiver_weekly_cap = number(1, 50, required=True)
    gesture_budget = fields.Method(
        "_dump_budget",
        deserialize="_load_budget",
        attribute="gesture_budget_cents",
        required=True,
        error_messages={"required": REQUIRED, "null": REQUIRED},
    )
    # Optional, so clients written before these settings existed keep working: left out,
    # they stay as they are.
    gesture_budget_mode = choice(BUDGET_MODES)
    recognition_weekly_cap = number(1, RECOGNITION_WEEKLY_CAP_MAX)
    points_moment = number(0, 100, required=True)
    moment_points_daily_cap = number(0, 20, required=True)
    points_kudos_received = number(0, 100, required=True)
    points_kudos_given = number(0, 50, required=True)
    points_recognition = number(0, 500, required=True)
    quiet_hours_start = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time.")}
    )
    quiet_hours_end = fields.Time(
        allow_none=True, load_default=None, error_messages={"invalid": _l("Enter a time.")}
    )
    season_length_months = number(1, 12, required=True)
    min_team_size = number(1, 50, required=True)

    def _dump_budget(self, org: Any) -> str:
        return f"{Decimal(org.gesture_budget_cents) / 100:.2f}"

    def _load_budget(self, value: Any) -> int:
        try:
            euros = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Enter an amount in euros, such as 25.")) from None
        if not euros.is_finite() or not 0 <= euros <= MAX_BUDGET_EUROS:
            raise ValidationError(
                _("Enter an amount from %(low)d to %(high)d euros.", low=0, high=MAX_BUDGET_EUROS)
            )
        return int((euros * 100).to_integral_value())

    @validates_schema
    def _quiet_hours_pair(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("quiet_hours_start"), data.get("quiet_hours_end")
        if (start is None) != (end is None):
            field = "quiet_hours_end" if end is None else "quiet_hours_start"
            raise ValidationError(_("Set both the start and the end, or neither."), field)
        cap = data.get("kudos_same_receiver_weekly_cap")
        allowance = data.get("kudos_weekly_allowance")
        if cap is not None and allowance is not None and cap > allowance:
            raise ValidationError(
                _("This cannot be more than the weekly kudos allowance."),
                "kudos_same_receiver_weekly_cap",
            )


# Finding a colleague (the people picker) -------------------------------------------------

PEOPLE_QUERY_MAX = 100  # the longest search text
PEOPLE_FOUND_MAX = 20  # the most matches one search answers with


class SearchText(fields.String):
    """Search words, trimmed as they are read: a query string reaches the schema as a
    MultiDict, which `InputSchema`'s cleaning (for dicts) does not see."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        read = str(super()._deserialize(value, attr, data, **kwargs))
        if CONTROL_CHARACTERS.search(read):
            raise ValidationError(_("Remove the invisible control characters from this text."))
        return "" if INVISIBLE_ONLY.match(read) else read.strip()


class PeopleSearchSchema(InputSchema):
    """A search for colleagues by name: `q` (trimmed, 1 to 100 characters), at most `limit`
    matches."""

    q = SearchText(
        required=True,
        validate=validate.Length(
            min=1,
            max=PEOPLE_QUERY_MAX,
            error=_l(
                "Enter between %(low)d and %(high)d characters.", low=1, high=PEOPLE_QUERY_MAX
            ),
        ),
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": REQUIRED},
        metadata={"description": "Words of the name, 1 to 100 characters (trimmed)."},
    )
    limit = number(
        1,
        PEOPLE_FOUND_MAX,
        load_default=PEOPLE_FOUND_MAX,
        metadata={"description": "The most matches, 1 to 20."},
    )


class PersonSchema(Schema):
    """A colleague as the people picker shows them: id, name, and the avatar's initials."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    initials = fields.String(dump_only=True)
