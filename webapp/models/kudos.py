"""Kudos between colleagues, and the per-week allowance counter that guards them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.auth import User
    from webapp.models.moments import Moment
    from webapp.models.orgs import Value


class Kudos(Model):
    __tablename__ = "kudos"
    __table_args__ = (
        # One kudos per giver, receiver and moment (NULL moments never collide).
        UniqueConstraint("giver_id", "receiver_id", "moment_id"),
        # One client action (possibly to several people) is stored once per receiver.
        UniqueConstraint("giver_id", "client_id", "receiver_id"),
        Index("ix_kudos_receiver_created", "receiver_id", "created_at"),
        Index("ix_kudos_giver_week", "giver_id", "week_start"),
        # A team's kudos this week (the manager's overview) without scanning all kudos.
        Index("ix_kudos_receiver_week", "receiver_id", "week_start"),
        Index("ix_kudos_org_created", "org_id", "created_at", "id"),
        Index("ix_kudos_moment", "moment_id"),
        # Who was noticed lately and when last (the manager's overview): live kudos only, so
        # the range of a person's recent rows is read from the index, never the table.
        Index(
            "ix_kudos_receiver_live",
            "receiver_id",
            "created_at",
            sqlite_where=text("reversed_at IS NULL"),
            postgresql_where=text("reversed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    client_id: Mapped[str] = mapped_column(String(36))
    # What the client id was first used for (webapp/idempotency.py); None before 0004.
    payload_sha256: Mapped[str | None] = mapped_column(String(64))
    giver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    moment_id: Mapped[int | None] = mapped_column(ForeignKey("moments.id"))
    value_id: Mapped[int | None] = mapped_column(ForeignKey("org_values.id"))
    message: Mapped[str] = mapped_column(String(280))
    private: Mapped[bool] = mapped_column(default=False)
    week_start: Mapped[date] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reversed_at: Mapped[datetime | None] = mapped_column()
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    giver: Mapped[User] = relationship(foreign_keys=[giver_id])
    receiver: Mapped[User] = relationship(foreign_keys=[receiver_id])
    moment: Mapped[Moment | None] = relationship()
    value: Mapped[Value | None] = relationship()


class KudosAllowanceUse(Model):
    """How many kudos a giver has used in a week: one atomic conditional UPDATE guards it."""

    __tablename__ = "kudos_allowance_uses"
    __table_args__ = (UniqueConstraint("user_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    week_start: Mapped[date] = mapped_column()
    used: Mapped[int] = mapped_column(default=0)
