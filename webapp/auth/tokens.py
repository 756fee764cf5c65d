"""Personal API tokens: shown once, stored as a SHA-256 hash, scoped read or write.

A token reads `kzk_` followed by 43 random URL-safe characters. Only its hash and its
first characters (the prefix, so people can tell their tokens apart) are stored.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, contains_eager

from webapp.audit import services as audit
from webapp.auth.services import TOKEN_BYTES, hash_token
from webapp.domain import Conflict, Invalid, NotFound
from webapp.models import ApiToken, User
from webapp.timeutil import as_utc, utcnow

TOKEN_PREFIX = "kzk_"  # noqa: S105  (a marker, not a secret)
PREFIX_LENGTH = 12
SCOPES = ("read", "write")
# Enough for every integration a person could reasonably run; stops runaway scripts.
MAX_ACTIVE_TOKENS = 20
# "Last used" is shown to the minute; noting it more often would write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def create_token(session: Session, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the raw value, which is never shown again."""
    if scope not in SCOPES:
        raise Invalid(_("Choose read or write."), field="scope")
    if len(tokens_of(session, user)) >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            _("You have %(count)d tokens already: revoke one first.", count=MAX_ACTIVE_TOKENS),
            field="name",
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        token_hash=hash_token(raw),
        prefix=raw[:PREFIX_LENGTH],
    )
    session.add(token)
    session.flush()
    audit.record(session, user, audit.TOKEN_CREATED, "token", token.id, f"{name} ({scope})")
    return token, raw


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """A person's tokens that still work, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    """Stop one of `user`'s tokens from working (revoking twice is harmless)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("That token was not found."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, user, audit.TOKEN_REVOKED, "token", token.id, token.name)
    return token


def revoke_all(session: Session, user: User) -> int:
    """Stop every token of `user` from working; how many were still live."""
    live = tokens_of(session, user)
    now = utcnow()
    for token in live:
        token.revoked_at = now
        audit.record(session, user, audit.TOKEN_REVOKED, "token", token.id, token.name)
    return len(live)


def authenticate(session: Session, raw: str) -> ApiToken | None:
    """The live token for `raw` (its owner active), else None. Changes nothing: the caller
    notes the use (`note_use`) when `use_is_due`."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    digest = hash_token(raw)
    # One statement on every API call: the token, its owner and the owner's organisation.
    token = session.scalar(
        select(ApiToken)
        .join(ApiToken.user)
        .join(User.organisation)
        .options(contains_eager(ApiToken.user).contains_eager(User.organisation))
        .where(ApiToken.token_hash == digest)
    )
    # The lookup is by hash; the constant-time compare guards against a future change to it.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    owner = token.user
    if token.revoked_at is not None or not owner.is_active:
        return None
    return token


def use_is_due(token: ApiToken) -> bool:
    """Should this use be noted? At most once a minute, so a busy integration does not
    write on every read."""
    last = token.last_used_at
    return last is None or utcnow() - as_utc(last) >= LAST_USED_PRECISION


def note_use(session: Session, token_id: int) -> None:
    """Note that a token was used now (one conditional UPDATE: two requests in the same
    minute write once)."""
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= now - LAST_USED_PRECISION,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
