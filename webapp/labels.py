"""Display names of the fixed choices (roles, languages), translated when shown."""

from __future__ import annotations

from babel.numbers import get_currency_name
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

ORG_ROLE_LABELS = {"staff": _l("Staff"), "manager": _l("Manager"), "admin": _l("Admin")}
TEAM_ROLE_LABELS = {"member": _l("Member"), "lead": _l("Lead")}
# Each language is named in itself, so a person always finds their own.
LOCALE_LABELS = {"en": "English", "nl": "Nederlands"}
# The currencies the pickers offer (ISO 4217); money is shown with Babel in each one.
CURRENCIES = (
    "EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "TRY",
    "CAD", "AUD", "NZD", "JPY", "SGD", "HKD", "INR", "ZAR", "BRL", "MXN", "AED",
)  # fmt: skip


def content_languages(default_locale: str) -> list[str]:
    """The languages organisation content is written in, the organisation's default first."""
    return sorted(LOCALE_LABELS, key=lambda lang: lang != default_locale)


def currency_labels() -> dict[str, str]:
    """Each currency code with its name in the reader's language, e.g. `EUR · euro`."""
    locale = str(get_locale() or "en")
    return {code: f"{code} · {get_currency_name(code, locale=locale)}" for code in CURRENCIES}
