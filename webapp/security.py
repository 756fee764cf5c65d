"""Who may do what: the user loader, role checks, organisation scoping, safe redirects."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, request
from flask_login import LoginManager, current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from webapp.extensions import db
from webapp.models import User, UserSession
from webapp.routing import MAX_ID, is_digits

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")

ROLE_RANK = {"staff": 0, "manager": 1, "admin": 2}

# Every signed-in request starts here, so it is one statement: the person, their
# organisation (nearly every page reads its time zone, currency or rules) and their
# server-side session while it is not revoked. Built once: only the values change.
SESSION_USER = (
    select(User)
    .join(UserSession, UserSession.user_id == User.id)
    .join(User.organisation)
    .options(contains_eager(User.organisation))
    .where(
        User.id == bindparam("user_id"),
        UserSession.key_hash == bindparam("key_hash"),
        UserSession.revoked_at.is_(None),
    )
)


def init_login(login_manager: LoginManager) -> None:
    """Wire flask-login to our users; a session names the user and their session version."""
    login_manager.login_view = "auth.login"
    # No flash on the way to the sign-in page: it greets a first visit as a first visit and
    # tells a returning person why they are there (templates/auth/login.html).
    login_manager.login_message = None
    # No session protection: our sessions are server-side rows (revoked on sign-out), and
    # nothing asks for a "fresh" sign-in. Its "basic" mode marked every anonymous session
    # that carries anything (the login page's CSRF token) as not fresh, and so re-sent the
    # cookie on requests that changed nothing else. A request still in flight with the
    # signed-out cookie (the service worker's first precache, sent while the person presses
    # "Sign in") then overwrote the new signed-in cookie, and the next page asked them to sign
    # in again (tests/web/test_sessions.py).
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(session_id: str) -> Any:
        user_id, version, key = (session_id.split(":") + ["", ""])[:3]
        if not is_digits(user_id) or not is_digits(version) or not key or len(user_id) > 12:
            return None
        user = db.session.scalar(
            SESSION_USER,
            {
                "user_id": int(user_id),
                "key_hash": hashlib.sha256(key.encode("utf-8")).hexdigest(),
            },
        )
        if user is None or user.session_version != int(version) or not user.is_active:
            return None
        user.use_session(key)
        return user


def has_role(user: Any, role: str) -> bool:
    """True when `user`'s organisation role is `role` or above (admin > manager > staff)."""
    return ROLE_RANK.get(getattr(user, "role", ""), -1) >= ROLE_RANK[role]


def role_required(role: str) -> Callable[[F], F]:
    """Require sign-in and at least `role`; otherwise 403 (or the login page)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not has_role(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


def scoped_get_or_404(model: type[M], object_id: int, org_id: int | None = None) -> M:
    """Load `model` by id inside the signed-in user's organisation, else 404."""
    if not 1 <= object_id <= MAX_ID:
        abort(404)  # no row has it, and PostgreSQL would refuse to look
    obj = db.session.get(model, object_id)
    wanted = org_id if org_id is not None else current_user.org_id
    if obj is None or getattr(obj, "org_id", None) != wanted:
        abort(404)
    return obj


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only if it is a path on this site (no scheme, host or `//`)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def no_store() -> None:
    """This response carries a secret shown once (a token, an invite link): no cache, not
    even the browser's, may keep it."""
    g.kizuki_no_store = True


def is_api_request() -> bool:
    """True for JSON API paths; errors there are problem documents, not pages."""
    return request.path.startswith("/api/")
