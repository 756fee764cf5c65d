"""Moments: a noticed cue, the action beyond the expected, the customer's reaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model, db
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.auth import User
    from webapp.models.orgs import Team, Value

# What a moment says, as PostgreSQL full-text sees it: one document of cue, action and
# reaction, in the language-neutral 'simple' configuration (teams write in several
# languages). The search query repeats this expression so the GIN index serves it.
# Written as PostgreSQL prints it back, so comparing the models with the migrations agrees.
SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, (((cue || ' '::text) || action) || ' '::text) || reaction)"
)

moment_values = Table(
    "moment_values",
    db.metadata,
    Column("moment_id", ForeignKey("moments.id", ondelete="CASCADE"), primary_key=True),
    Column("value_id", ForeignKey("org_values.id"), primary_key=True, index=True),
)

moment_colleagues = Table(
    "moment_colleagues",
    db.metadata,
    Column("moment_id", ForeignKey("moments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Moment(Model):
    __tablename__ = "moments"
    __table_args__ = (
        UniqueConstraint("author_id", "client_id"),
        # The feed pages through an organisation's (or a team's) moments newest first.
        Index("ix_moments_feed", "org_id", "created_at", "id"),
        Index("ix_moments_team_feed", "team_id", "created_at", "id"),
        Index("ix_moments_author_created", "author_id", "created_at"),
        # Searching what moments say ("what works"); SQLite searches without an index.
        Index("ix_moments_search", text(SEARCH_DOCUMENT), postgresql_using="gin").ddl_if(
            dialect="postgresql"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    client_id: Mapped[str] = mapped_column(String(36))
    # What the client id was first used for (webapp/idempotency.py); None before 0004.
    payload_sha256: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column()
    deleted_at: Mapped[datetime | None] = mapped_column()
    cue: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    reaction: Mapped[str] = mapped_column(Text)
    gesture_cost_cents: Mapped[int | None] = mapped_column()
    gesture_note: Mapped[str | None] = mapped_column(String(140))
    # Its gesture cost went beyond the author's budget for the month (organisations that
    # "allow and flag" instead of refusing).
    over_budget: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # Logged outside the author's working hours: kept and thanked for, earns no points.
    outside_hours: Mapped[bool] = mapped_column(default=False)
    delighted: Mapped[bool] = mapped_column(default=False)
    reversed_at: Mapped[datetime | None] = mapped_column()
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reversal_reason: Mapped[str | None] = mapped_column(String(200))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    team: Mapped[Team] = relationship()
    values: Mapped[list[Value]] = relationship(secondary=moment_values)
    colleagues: Mapped[list[User]] = relationship(secondary=moment_colleagues)

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None
