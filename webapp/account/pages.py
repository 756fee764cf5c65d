"""What the account pages share: the attempt limit and a form's answer status."""

from __future__ import annotations

from typing import Any

from flask import current_app


def attempt_limit() -> str:
    """Password-guessing pages allow as many attempts as signing in (RATELIMIT_LOGIN)."""
    return str(current_app.config["RATELIMIT_LOGIN"])


def page_status(form: Any) -> int:
    """422 when the form carries messages, so clients see the input was refused."""
    return 422 if form.errors or form.form_errors else 200
