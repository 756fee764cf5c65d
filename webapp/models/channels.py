"""A team's channel in Slack, Microsoft Teams or any JSON endpoint, and what was posted."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.orgs import Team

CHANNEL_KINDS = ("slack", "teams", "json")


class TeamChannel(Model):
    """An incoming-webhook address an admin connected to a team."""

    __tablename__ = "team_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(String(2048))
    # The HMAC key of a generic JSON webhook (the receiver checks the signature with it).
    secret: Mapped[str | None] = mapped_column(String(64))
    post_recognitions: Mapped[bool] = mapped_column(default=True)
    post_practices: Mapped[bool] = mapped_column(default=True)
    post_digest: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()


class ChannelPost(Model):
    """One message for a channel and its delivery: pending until the other side accepts
    it, retried with back-off, failed after the last attempt. The delivery log."""

    __tablename__ = "channel_posts"
    __table_args__ = (
        Index("ix_channel_posts_due", "status", "next_attempt_at"),
        Index("ix_channel_posts_channel_created", "channel_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("team_channels.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    # A sender holds the post until then, so two workers never send it at once.
    claimed_until: Mapped[datetime | None] = mapped_column()
    last_status: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
