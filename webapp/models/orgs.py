"""Organisation (tenant), its teams, memberships and values."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model
from webapp.models.translated import TRANSLATIONS_TYPE, Translations, translated
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.auth import User

ORG_ROLES = ("staff", "manager", "admin")
TEAM_ROLES = ("member", "lead")


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    default_locale: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised in the flush that changes anything already counted in a past week (a reversal,
    # a removal, a membership): caches of past weeks are keyed by it (insights/history.py).
    history_version: Mapped[int] = mapped_column(default=0, server_default="0")

    # Kudos and gesture mandate.
    kudos_weekly_allowance: Mapped[int] = mapped_column(default=5)
    kudos_same_receiver_weekly_cap: Mapped[int] = mapped_column(default=2)
    gesture_budget_cents: Mapped[int] = mapped_column(default=2500)
    # What happens to a gesture beyond the month's budget: "refuse" it, or "flag" it (stored,
    # marked over budget, shown to the manager on the budget page).
    gesture_budget_mode: Mapped[str] = mapped_column(
        String(8), default="refuse", server_default="refuse"
    )
    currency: Mapped[str] = mapped_column(String(3), default="EUR")

    # Points rules: every number is a setting.
    points_moment: Mapped[int] = mapped_column(default=10)
    moment_points_daily_cap: Mapped[int] = mapped_column(default=3)
    points_kudos_received: Mapped[int] = mapped_column(default=5)
    points_kudos_given: Mapped[int] = mapped_column(default=1)
    points_recognition: Mapped[int] = mapped_column(default=25)
    # Recognitions one person may receive in a week (from all managers together).
    recognition_weekly_cap: Mapped[int] = mapped_column(default=3, server_default="3")

    # Balance and the game layer.
    quiet_hours_start: Mapped[time | None] = mapped_column(Time, default=time(21, 0))
    quiet_hours_end: Mapped[time | None] = mapped_column(Time, default=time(8, 0))
    season_length_months: Mapped[int] = mapped_column(default=1)
    min_team_size: Mapped[int] = mapped_column(default=3)

    teams: Mapped[list[Team]] = relationship(back_populates="organisation", order_by="Team.name")
    values: Mapped[list[Value]] = relationship(order_by="Value.default_name")


class Team(Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Active, not deleted members: kept by the ledger module with the team's standings.
    live_members: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship(back_populates="teams")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class Membership(Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")


class Value(Model):
    """One of the organisation's own values, used to tag moments and kudos."""

    __tablename__ = "org_values"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The name and description in the organisation's default language; `name` and
    # `description` read them in the person's language (webapp/models/translated.py).
    default_name: Mapped[str] = mapped_column("name", String(60))
    default_description: Mapped[str] = mapped_column("description", Text, default="")
    translations: Mapped[Translations] = mapped_column(
        TRANSLATIONS_TYPE, default=dict, server_default="{}"
    )
    active: Mapped[bool] = mapped_column(default=True)

    TEXTS = {"name": "default_name", "description": "default_description"}
    name = translated("name", "default_name")
    description = translated("description", "default_description")
