"""Serial locks: one row per scope that must be decided one request at a time."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import Model


class SerialLock(Model):
    """A row a transaction locks before it checks and uses a limit (see `webapp/serial.py`)."""

    __tablename__ = "serial_locks"

    scope: Mapped[str] = mapped_column(String(120), primary_key=True)
