"""Language choice: the person's setting, else the browser's, else the default."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user


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
