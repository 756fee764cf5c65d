"""Serial locks: one row per scope that must be decided one request at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, func
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import Model
from webapp.timeutil import utcnow


class SerialLock(Model):
    """A row a transaction locks before it checks and uses a limit (see `webapp/serial.py`).
    Each scope names its period (a day, week or month); `created_at` lets the rows of
    periods long over be forgotten (`forget_old_locks`)."""

    __tablename__ = "serial_locks"

    scope: Mapped[str] = mapped_column(String(120), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.current_timestamp(), index=True
    )
