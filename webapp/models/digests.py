"""The weekly digest of a team, and to whom it went."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.orgs import Team


class Digest(Model):
    """One team's week, written once on the Monday after it: the figures and the ids of the
    stories, practices and challenge it names, so a past week reads the same later, in each
    reader's language."""

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("team_id", "week_start"),
        Index("ix_digests_org_week", "org_id", "week_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    week_start: Mapped[date] = mapped_column()
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()


class DigestDelivery(Model):
    """A digest handed to one person (or skipped because they are away): claimed before
    anything is sent, so a retried job never sends twice."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("digest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(12))  # "sent" or "away"
    emailed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
