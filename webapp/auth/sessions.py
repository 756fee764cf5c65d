"""Server-side sessions: signing in starts one, signing out ends it, and a person can end
all of theirs at once ("sign out everywhere"; a password change does the same).

The session and "remember me" cookies carry `<user id>:<session version>:<session key>`;
the user loader (`webapp/security.py`) accepts them only while the key's row is not revoked
and the version is the person's current one. Functions here stage their changes; the entry
point commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import g
from flask import session as cookie_session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from webapp.models import User, UserSession
from webapp.timeutil import utcnow

KEY_BYTES = 32
# Ended sessions are kept this long (what "signed out" looked like), then forgotten.
KEEP_ENDED = timedelta(days=30)


def key_hash(raw: str) -> str:
    """The stored form of a session key."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def begin(session: Session, user: User) -> str:
    """Record a new server-side session for `user` and name it on the instance (and forget
    their sessions that ended more than KEEP_ENDED ago)."""
    session.execute(
        delete(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at < utcnow() - KEEP_ENDED)
        .execution_options(synchronize_session=False)
    )
    raw = secrets.token_urlsafe(KEY_BYTES)
    session.add(UserSession(user_id=user.id, key_hash=key_hash(raw)))
    user.use_session(raw)
    return raw


def sign_in(session: Session, user: User, remember: bool = False) -> None:
    """Sign `user` in on this browser with a fresh server-side session.

    The CSRF token of the signed-out session is dropped: the signed-in session gets its own.
    """
    cookie_session.pop("csrf_token", None)
    g.pop("csrf_token", None)  # Flask-WTF keeps this request's signed token on `g`
    begin(session, user)
    login_user(user, remember=remember)


def end(session: Session, user: User | None) -> None:
    """End the session this request is signed in with (if any)."""
    if user is not None and user.session_key:
        session.execute(
            update(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.key_hash == key_hash(user.session_key),
                UserSession.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def end_all(session: Session, user: User) -> None:
    """End every session of `user`, on every device (the version moves on as well)."""
    user.session_version += 1
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def sign_out(session: Session) -> None:
    """Sign this browser out: the server-side session ends, and both the session cookie and
    the "remember me" cookie are cleared (flask-login deletes the latter when the session
    says "_remember": "clear", so that mark must survive clearing the session)."""
    if current_user.is_authenticated:
        end(session, current_user._get_current_object())
    logout_user()
    cookie_session.clear()
    cookie_session["_remember"] = "clear"
