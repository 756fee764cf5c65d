"""marshmallow schemas of starting an organisation and of the guided start."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, post_load

from webapp.auth.schemas import NAME_MAX, ChosenPasswordSchema, email_field
from webapp.labels import CURRENCIES
from webapp.orgs.schemas import time_zones
from webapp.schemas import LOCALES, InputSchema, choice, text
from webapp.setup.services import MAX_TEAMS_AT_START
from webapp.setup.starters import SECTOR_LABELS


def _valid_timezone(name: str) -> None:
    if name not in time_zones():
        raise ValidationError(_("Choose a time zone from the list, such as Europe/Amsterdam."))


class OrganisationStartSchema(ChosenPasswordSchema):
    """A new organisation with its first admin (the /setup and sign-up forms)."""

    name = text(120, required=True)
    default_locale = choice(LOCALES, required=True)
    timezone = text(64, extra=_valid_timezone, required=True)
    currency = choice(CURRENCIES, required=True)
    admin_name = text(NAME_MAX, required=True)
    admin_email = email_field(required=True)


class OrganisationCommandSchema(InputSchema):
    """`flask create-org`: no password (the admin sets one with the printed link)."""

    name = text(120, required=True)
    default_locale = choice(LOCALES, required=True)
    timezone = text(64, extra=_valid_timezone, required=True)
    currency = choice(CURRENCIES, load_default="EUR")
    admin_name = text(NAME_MAX, required=True)
    admin_email = email_field(required=True)


class GuidedStartSchema(InputSchema):
    """The guided start: a starter set of values (or none) and team names, one per line."""

    sector = choice(tuple(SECTOR_LABELS), allow_none=True, load_default=None)
    teams = text(3000, min_len=0, load_default="")

    @post_load
    def _team_list(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        names = [line.strip() for line in str(data.get("teams") or "").splitlines()]
        unique: list[str] = []
        for name in names:
            if name and name.lower() not in {u.lower() for u in unique}:
                if len(name) > 80:
                    raise ValidationError(
                        {"teams": [_("Keep each team name under 80 characters.")]}
                    )
                unique.append(name)
        if len(unique) > MAX_TEAMS_AT_START:
            raise ValidationError(
                {"teams": [str(_l("Start with at most %(n)d teams.", n=MAX_TEAMS_AT_START))]}
            )
        data["team_names"] = unique
        return data
