"""The points ledger (append-only) and its daily roll-up; only `webapp.points.ledger` writes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
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
        # "Is this entry reversed already?" (reversal, the daily cap) without a scan.
        Index("ix_ledger_reverses", "reverses_id"),
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


# The periods standings are kept for: `starts_on` is the Monday, the 1st, or ALL_TIME.
PERIOD_WEEK = "week"
PERIOD_MONTH = "month"
PERIOD_ALL = "all"
ALL_TIME = date(2000, 1, 1)


class UserPoints(Model):
    """A person's points per week, per month and all time, kept in step by the ledger module
    in the same transaction, so a standing is one row however long the history grows."""

    __tablename__ = "user_points"
    __table_args__ = (UniqueConstraint("user_id", "period", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    period: Mapped[str] = mapped_column(String(8))
    starts_on: Mapped[date] = mapped_column()
    points: Mapped[int] = mapped_column(default=0)


class TeamPoints(Model):
    """A team's points per week, per month and all time: the sum of its live members'
    `UserPoints` (points follow the person, as the boards always did). The ledger module
    moves it with every entry and recomputes a team when its membership changes."""

    __tablename__ = "team_points"
    __table_args__ = (
        UniqueConstraint("team_id", "period", "starts_on"),
        # The board: every team of an organisation in one period.
        Index("ix_team_points_board", "org_id", "period", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))
    starts_on: Mapped[date] = mapped_column()
    points: Mapped[int] = mapped_column(default=0)
