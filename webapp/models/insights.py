"""What a manager set aside on the insights pages: a kudos pattern they talked about."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import Model
from webapp.timeutil import utcnow


class PatternDismissal(Model):
    """A manager dismissed a pair or ring of kudos (`people`: the ids in the pattern's
    order, joined by '-'). It stays hidden from them while its evidence is the same."""

    __tablename__ = "pattern_dismissals"
    __table_args__ = (UniqueConstraint("manager_id", "kind", "people"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(8))
    people: Mapped[str] = mapped_column(String(80))
    dismissed_at: Mapped[datetime] = mapped_column(default=utcnow)
