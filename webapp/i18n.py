"""Language and locale: the language pages are written in (the person's setting, else the
browser's, else the default), and, kept apart from it, the locale that dates, times and
amounts are formatted in (the same language, in the region the browser names)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import Environment, pass_eval_context
from jinja2 import ext as jinja_i18n
from jinja2.nodes import EvalContext
from markupsafe import Markup

# The region used when the browser names none for the page's language: the product is
# European, so English reads 30/11/2026 with a 24-hour clock unless the browser asks for en-US.
DEFAULT_REGIONS = {"en": "en_GB", "nl": "nl_NL"}
# At most this many Accept-Language entries are looked at (the header is the browser's).
MAX_ACCEPTED = 12
# Where a request keeps the formatting locales it chose (its WSGI environ).
FORMATTING_LOCALES = "kizuki.formatting_locales"


def select_locale() -> str | None:
    """Pick the UI language for this request."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages)


def formatting_locale() -> Locale:
    """The locale for dates, times and money: the page's language (nl, en) in the first
    region of it the browser accepts (en-GB, en-US, nl-BE), else that language's default
    region. Messages stay in the page's language whatever the region."""
    language = getattr(get_locale(), "language", None) or "en"
    if not has_request_context():
        return Locale.parse(DEFAULT_REGIONS.get(language, language))
    # Asked once per date on a page: remembered for the request, on the request itself (an
    # app context, and its `g`, may outlive one request), per language, as a `force_locale`
    # within the request (a notification in its recipient's language) changes it.
    remembered: dict[str, Locale] = request.environ.setdefault(FORMATTING_LOCALES, {})
    if language not in remembered:
        remembered[language] = _browser_region(language) or Locale.parse(
            DEFAULT_REGIONS.get(language, language)
        )
    return remembered[language]


def _browser_region(language: str) -> Locale | None:
    if not has_request_context():
        return None
    for tag, _quality in list(request.accept_languages)[:MAX_ACCEPTED]:
        if "-" not in tag or len(tag) > 16:
            continue
        try:
            found = Locale.parse(tag, sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        if found.language == language and found.territory:
            return found
    return None


def formatting_tag() -> str:
    """The formatting locale as a BCP 47 tag ("en-GB"), for the browser's Intl formats."""
    locale = formatting_locale()
    return "-".join(part for part in (locale.language, locale.territory) if part)


def format_instant(moment: datetime, format: str, zone: tzinfo) -> str:
    """An aware instant in `zone`, in the formatting locale. "short" always shows the whole
    year (30/11/2026, 14:05; 11/30/2026, 2:05 PM; 30-11-2026 14:05) with the locale's clock."""
    locale = formatting_locale()
    if format != "short":
        return str(babel_dates.format_datetime(moment, format, tzinfo=zone, locale=locale))
    local = moment.astimezone(zone)
    day = babel_dates.format_skeleton("yMd", local, locale=locale)
    clock = babel_dates.format_time(local, "short", tzinfo=zone, locale=locale)
    pattern = str(locale.datetime_formats.get("short", "{1} {0}"))
    return pattern.replace("{1}", day).replace("{0}", clock)


def format_calendar_day(day: date, format: str) -> str:
    """A calendar day ("short" is numeric with the whole year, else a format or pattern)."""
    locale = formatting_locale()
    if format == "short":
        return str(babel_dates.format_skeleton("yMd", day, locale=locale))
    return str(babel_dates.format_date(day, format, locale=locale))


def format_money(amount: float, currency: str) -> str:
    """An amount in `currency`, written the way the formatting locale writes money."""
    return str(babel_numbers.format_currency(amount, currency, locale=formatting_locale()))


def page_translations() -> Any:
    """The translations of the request's language, looked up once per request and language.
    A page asks for them for every message it shows (a feed of twenty cards: 250 times), and
    Flask-Babel finds them anew each time (its domain, the locale, the locale's name, the
    cache). Remembered with the locale they are for, so `force_locale` (a notification
    written in its recipient's language) and `refresh()` still get the right ones."""
    if not has_request_context():
        return get_translations()
    locale = get_locale()
    cached = g.get("_page_translations")
    if cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    g._page_translations = (locale, translations)
    return translations


# The callables bound to each language's translations, made once: a dict per language.
_BOUND: dict[int, tuple[Any, dict[str, Any]]] = {}


def render_gettext() -> dict[str, Any]:
    """Template variables that shadow the global `_`, `gettext`, `ngettext`, `pgettext` and
    `npgettext` for one render with the translations of that moment's language, so each of a
    page's messages is one dictionary look-up and one call (macros imported without context
    keep the globals, which give the same words)."""
    translations = page_translations()
    found = _BOUND.get(id(translations))
    if found is None or found[0] is not translations:
        gettext = _direct_gettext(translations.ugettext)
        bound = {
            # `_` too: the extension's `_` is an alias that looks `gettext` up and calls it
            # through the template's context, three calls per message where one will do.
            "_": gettext,
            "gettext": gettext,
            "ngettext": _direct_ngettext(translations.ungettext),
            # Jinja's own wrappers, as `install_gettext_callables(newstyle=True)` makes them.
            "pgettext": jinja_i18n._make_new_pgettext(translations.upgettext),
            "npgettext": jinja_i18n._make_new_npgettext(translations.unpgettext),
        }
        found = _BOUND[id(translations)] = (translations, bound)
    return found[1]


def _direct_gettext(lookup: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's newstyle `gettext` (jinja2.ext._make_new_gettext: escaped in an autoescaped
    template, always a format string) calling `lookup` directly instead of through the
    template's context, which only matters for callables that take a context."""

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
        text = lookup(string)
        if eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704  (our catalogue, as in Jinja: variables escaped)
        return text % variables

    return gettext


def _direct_ngettext(lookup: Callable[[str, str, int], str]) -> Callable[..., str]:
    """Jinja's newstyle `ngettext` (jinja2.ext._make_new_ngettext), the same way."""

    @pass_eval_context
    def ngettext(
        eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = lookup(singular, plural, num)
        if eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704  (our catalogue, as in Jinja: variables escaped)
        return text % variables

    return ngettext


def install_page_gettext(env: Environment) -> None:
    """Templates' `_()`, `ngettext()`, `pgettext()` and `npgettext()` on `page_translations`
    (Flask-Babel installs the same callables on `get_translations`)."""
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )


def content_locale() -> str | None:
    """The language organisation content is shown in now: the request's (or the
    `force_locale` of a notification, digest or push), without its region."""
    locale = get_locale()
    return locale.language if locale is not None else None


def pick_text(
    translations: Mapping[str, Mapping[str, str]] | None,
    field: str,
    default: str,
    locale: str | None = None,
) -> str:
    """The one rule for organisation-written text (a value's name, a challenge's title):
    the person's language, else the organisation's default language (`default`, the row's
    own column), else whatever language has it."""
    texts = translations or {}
    wanted = locale or content_locale()
    if wanted and (text := (texts.get(wanted) or {}).get(field)):
        return text
    if default:
        return default
    return next((t[field] for t in texts.values() if t.get(field)), "")
