"""People and their credentials: users, invites, password resets, API tokens."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.orgs import Membership, Organisation


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="staff")
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change: every older session stops being valid.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column()

    # Balance: a person's own working hours and quiet hours, and leaving the boards.
    work_start: Mapped[time | None] = mapped_column(Time)
    work_end: Mapped[time | None] = mapped_column(Time)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    hide_from_boards: Mapped[bool] = mapped_column(default=False)
    reminders_enabled: Mapped[bool] = mapped_column(default=True)
    # Declared time away (leave, days off): no invitations until the day after.
    away_until: Mapped[date | None] = mapped_column()
    # The week (its Monday) of the last weekly invitation, so each week gets one at most.
    invited_week: Mapped[date | None] = mapped_column()

    organisation: Mapped[Organisation] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def use_session(self, key: str | None) -> None:
        """Name the server-side session (its raw key) this instance is signed in with."""
        self._session_key: str | None = key

    @property
    def session_key(self) -> str | None:
        """The raw key of the signed-in session this instance was loaded for (not stored)."""
        return getattr(self, "_session_key", None)

    def get_id(self) -> str:
        # The session names the person, their session version and the server-side session
        # (user_sessions): ending that row or moving the version on ends the session.
        return f"{self.id}:{self.session_version}:{self.session_key or ''}"

    @property
    def is_active(self) -> bool:
        return self.active and self.deleted_at is None

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p[:1].isalpha()]
        letters = (parts[0][:1] + parts[-1][:1]) if len(parts) > 1 else self.name[:2]
        return letters.upper()

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name


class UserSession(Model):
    """One signed-in browser: the session and remember cookies name its key; signing out
    revokes it, so a copied cookie replayed afterwards is refused."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # SHA-256 of the random key the cookie carries.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class Invite(Model):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="staff")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    team_role: Mapped[str] = mapped_column(String(16), default="member")
    email: Mapped[str | None] = mapped_column(String(254))
    note: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column()
    # Filled in for people brought in from a file: the account starts with them.
    name: Mapped[str | None] = mapped_column(String(80))
    locale: Mapped[str | None] = mapped_column(String(8))
    work_start: Mapped[time | None] = mapped_column(Time)
    work_end: Mapped[time | None] = mapped_column(Time)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("people_imports.id"), index=True)


class PasswordReset(Model):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class ApiToken(Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(8), default="read")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()
