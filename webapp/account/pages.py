"""What the account pages share: the attempt limit."""

from __future__ import annotations

from flask import current_app


def attempt_limit() -> str:
    """Password-guessing pages allow as many attempts as signing in (RATELIMIT_LOGIN)."""
    return str(current_app.config["RATELIMIT_LOGIN"])
