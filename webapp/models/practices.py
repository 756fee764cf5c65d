"""Practices: a way of doing things that a team adopted from one of its moments ("this is how
we do it here"), and the later moments that repeat it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.auth import User
    from webapp.models.moments import Moment
    from webapp.models.orgs import Team


class Practice(Model):
    __tablename__ = "practices"
    __table_args__ = (
        # A moment is adopted once per team.
        UniqueConstraint("team_id", "source_moment_id"),
        # A team's Practices page, newest first; the digest's "new this week".
        Index("ix_practices_team_created", "team_id", "created_at"),
        Index("ix_practices_org_created", "org_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    source_moment_id: Mapped[int] = mapped_column(ForeignKey("moments.id"))
    title: Mapped[str] = mapped_column(String(120))
    adopted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()
    source_moment: Mapped[Moment] = relationship()
    adopted_by: Mapped[User] = relationship()


class PracticeMoment(Model):
    """A later moment that repeats a practice: the practice spreading."""

    __tablename__ = "practice_moments"
    __table_args__ = (Index("ix_practice_moments_moment", "moment_id"),)

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    moment_id: Mapped[int] = mapped_column(
        ForeignKey("moments.id", ondelete="CASCADE"), primary_key=True
    )
    linked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moment: Mapped[Moment] = relationship()
