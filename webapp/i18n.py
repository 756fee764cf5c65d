"""Language choice: the person's setting, else the browser's, else the default."""

from __future__ import annotations

from flask import current_app, has_request_context, request
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
