"""Sign-in attempts are limited per address (RATELIMIT_LOGIN) and per account
(RATELIMIT_LOGIN_ACCOUNT). The account limit counts failed attempts for the e-mail address
typed, whether or not an account has it, and answers like the address limit: the same 429
page or problem, so it tells nobody which addresses have accounts."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request


def address_limit() -> str:
    """Attempts per client address."""
    return str(current_app.config["RATELIMIT_LOGIN"])


def account_limit() -> str:
    """Failed attempts per account (the e-mail address typed)."""
    return str(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])


def account_key() -> str:
    """The rate-limit key of the e-mail address in a sign-in form or JSON body."""
    email = request.form.get("email")
    if email is None:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    typed = str(email or "").strip().lower()[:254]
    return "sign-in:" + hashlib.sha256(typed.encode("utf-8", "replace")).hexdigest()


def failed(response: Response) -> bool:
    """Count an attempt against the account only when it did not sign in."""
    return response.status_code not in (200, 302, 303)
