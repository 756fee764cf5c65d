"""The game layer's own records: badges awarded, seasons and team challenges."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import Model
from webapp.models.translated import TRANSLATIONS_TYPE, Translations, translated
from webapp.timeutil import utcnow


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
    # Set when the season's results were computed, after it finished (a background job).
    closed_at: Mapped[datetime | None] = mapped_column()
    # When the running season's best stories were last gathered (a background job).
    stories_at: Mapped[datetime | None] = mapped_column()


class SeasonResult(Model):
    """A team's final standing in a finished season, computed once when it closes."""

    __tablename__ = "season_results"
    __table_args__ = (
        UniqueConstraint("season_id", "team_id"),
        # "Was this person's team ever among a season's goal reachers?" (the badge).
        Index("ix_season_results_team_goal", "team_id", "reached_goal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    members: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column()
    rank: Mapped[int | None] = mapped_column()  # None: too small to rank
    reached_goal: Mapped[bool] = mapped_column(default=False)


class SeasonStory(Model):
    """One of a season's best stories (a moment and the kudos it drew), gathered in the
    background: while the season runs, and once more when it closes."""

    __tablename__ = "season_stories"
    __table_args__ = (UniqueConstraint("season_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    moment_id: Mapped[int] = mapped_column(ForeignKey("moments.id", ondelete="CASCADE"))
    kudos: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column()


class Challenge(Model):
    __tablename__ = "challenges"
    __table_args__ = (Index("ix_challenges_team_period", "team_id", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    # The title and description in the organisation's default language; `title` and
    # `description` read them in the person's language (webapp/models/translated.py).
    default_title: Mapped[str] = mapped_column("title", String(120))
    default_description: Mapped[str] = mapped_column("description", Text, default="")
    translations: Mapped[Translations] = mapped_column(
        TRANSLATIONS_TYPE, default=dict, server_default="{}"
    )
    value_id: Mapped[int | None] = mapped_column(ForeignKey("org_values.id"))
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()  # exclusive
    goal: Mapped[int] = mapped_column(default=20)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reached_at: Mapped[datetime | None] = mapped_column()

    TEXTS = {"title": "default_title", "description": "default_description"}
    title = translated("title", "default_title")
    description = translated("description", "default_description")
