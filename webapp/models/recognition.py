"""A manager's specific acknowledgement of a contributor."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model, db
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.auth import User
    from webapp.models.moments import Moment

recognition_moments = Table(
    "recognition_moments",
    db.metadata,
    Column("recognition_id", ForeignKey("recognitions.id", ondelete="CASCADE"), primary_key=True),
    Column("moment_id", ForeignKey("moments.id"), primary_key=True),
)


class Recognition(Model):
    __tablename__ = "recognitions"
    __table_args__ = (
        Index("ix_recognitions_recipient_created", "recipient_id", "created_at"),
        Index("ix_recognitions_org_created", "org_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    award: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    manager: Mapped[User] = relationship(foreign_keys=[manager_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    moments: Mapped[list[Moment]] = relationship(secondary=recognition_moments)
