"""The points ledger (append-only), its daily roll-up, and the game layer derived from it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import Model
from webapp.timeutil import utcnow


class LedgerEntry(Model):
    """One grant (or reversal) of points. Rows are only ever inserted."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_user_day", "user_id", "day"),
        Index("ix_ledger_org_day", "org_id", "day"),
        Index("ix_ledger_moment", "moment_id"),
        Index("ix_ledger_kudos", "kudos_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    points: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    moment_id: Mapped[int | None] = mapped_column(ForeignKey("moments.id"))
    kudos_id: Mapped[int | None] = mapped_column(ForeignKey("kudos.id"))
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognitions.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    note: Mapped[str | None] = mapped_column(String(200))


class PointsDaily(Model):
    """Per person per local day sum of the ledger, kept in step by the ledger module.

    Boards read this roll-up instead of the raw ledger so they stay fast with millions of
    entries; `flask rebuild-points` recomputes it from the ledger.
    """

    __tablename__ = "points_daily"
    __table_args__ = (
        UniqueConstraint("user_id", "day"),
        Index("ix_points_daily_org_day", "org_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    day: Mapped[date] = mapped_column()
    points: Mapped[int] = mapped_column(default=0)


class BadgeAward(Model):
    __tablename__ = "badge_awards"
    __table_args__ = (UniqueConstraint("user_id", "badge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    badge: Mapped[str] = mapped_column(String(40))
    awarded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Season(Model):
    __tablename__ = "seasons"
    __table_args__ = (UniqueConstraint("org_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()  # exclusive
    team_goal: Mapped[int | None] = mapped_column()


class Challenge(Model):
    __tablename__ = "challenges"
    __table_args__ = (Index("ix_challenges_team_period", "team_id", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    value_id: Mapped[int | None] = mapped_column(ForeignKey("org_values.id"))
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()  # exclusive
    goal: Mapped[int] = mapped_column(default=20)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reached_at: Mapped[datetime | None] = mapped_column()
