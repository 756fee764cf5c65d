"""Who is calling the API: a bearer token (no CSRF needed) or the session cookie (CSRF).

Every API blueprint is exempt from Flask-WTF's automatic check and runs
`authenticate_request` instead, which knows about tokens: a valid `Authorization: Bearer`
token signs its owner in for this request only (nothing is written to the session); a
cookie-authenticated state change must carry the CSRF token in the `X-CSRFToken` header.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth import tokens
from webapp.database import keeping_loaded, start_writing
from webapp.extensions import csrf, db
from webapp.models import User
from webapp.security import has_role

F = TypeVar("F", bound=Callable[..., Any])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Endpoints anyone may call; signing in has no session to protect from CSRF yet, and takes
# JSON only, which a cross-site form cannot send.
PUBLIC_ENDPOINTS: set[str] = set()


def public(view: F) -> F:
    """Mark an API view as callable without signing in (and without CSRF)."""
    PUBLIC_ENDPOINTS.add(f"{view.__module__}.{view.__name__}")
    return view


def _is_public() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return view is not None and f"{view.__module__}.{view.__name__}" in PUBLIC_ENDPOINTS


def bearer_token() -> str | None:
    """The raw token of an `Authorization: Bearer ...` header, if there is one."""
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    return raw.strip() if scheme.lower() == "bearer" else None


def authenticate_request() -> None:
    """Before every API request: sign in by token, or require the session (and CSRF)."""
    # The caller is whoever this request's credentials name, never a user cached on `g` by
    # an earlier request sharing the app context (as tests and CLI scripts do).
    g.pop("_login_user", None)
    raw = bearer_token()
    if raw is not None:
        _sign_in_with_token(raw)
        return
    if _is_public():
        return
    if not current_user.is_authenticated:
        abort(401, description=_("Sign in, or send an API token as a Bearer header."))
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def _sign_in_with_token(raw: str) -> None:
    token = tokens.authenticate(db.session(), raw)
    if token is None:
        abort(401, description=_("This API token is not valid, or it was revoked."))
    if tokens.use_is_due(token):
        # `last_used_at`, on its own, before the request's own work: the reading
        # transaction ends and a short writing one begins (a GET's reads never lock).
        # The token and its person stay loaded across both commits (nothing else changed
        # them); only the token's new `last_used_at` is read back.
        with keeping_loaded(db.session()):
            db.session.commit()
            start_writing(db.session())
            tokens.note_use(db.session(), token.id)
            db.session.commit()
        db.session.refresh(token)
    user = token.user  # loaded with the token (once a minute, after noting the use, again)
    # flask-login reads the user from `g`: signed in for this request, never in the session.
    g._login_user = user
    g.api_token = token
    if request.method not in SAFE_METHODS and token.scope != "write":
        abort(403, description=_("This API token may only read. Create one with write scope."))


def forget_token_user(_error: BaseException | None = None) -> None:
    """After an API request: a token's sign-in ends with the request that carried it."""
    if g.pop("api_token", None) is not None:
        g.pop("_login_user", None)


def session_only(view: F) -> F:
    """Refuse a view to bearer tokens (a token cannot create or list tokens)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("api_token") is not None:
            abort(403, description=_("Manage API tokens while signed in, not with a token."))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def require_role(role: str) -> None:
    """403 unless the caller has at least `role` (the caller is signed in by now)."""
    if not has_role(current_user, role):
        abort(403, description=_("Your role does not allow this."))


def me() -> User:
    """The signed-in person (the API's before-request hook guarantees one)."""
    user = current_user._get_current_object()
    assert isinstance(user, User)
    return user
