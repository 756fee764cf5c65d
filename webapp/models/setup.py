"""The first run of a server: which organisation `/setup` created, once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import Model
from webapp.timeutil import utcnow

# The only id the table ever holds: a second concurrent /setup collides on it and fails.
FIRST_RUN_ID = 1


class FirstRun(Model):
    __tablename__ = "first_run"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
