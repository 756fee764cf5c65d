"""The shared device in the staff room: kiosks and the personal PINs people use on them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import Model
from webapp.timeutil import utcnow

if TYPE_CHECKING:
    from webapp.models.auth import User
    from webapp.models.orgs import Team


class KioskDevice(Model):
    """A tablet an admin or a team's lead turned into a kiosk for one team.

    The device holds a long random token in a cookie; only its SHA-256 hash is stored. The
    one person using the kiosk right now (after their PIN) is kept here, server-side, with
    the moment their turn ends, so an old cookie can never bring a turn back."""

    __tablename__ = "kiosk_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    # Wrong PINs typed on this device, whoever they were for; too many lock the device.
    failed_pins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    # Whose turn it is, until when.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    person_until: Mapped[datetime | None] = mapped_column()

    team: Mapped[Team] = relationship()
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])


class KioskPin(Model):
    """A person's kiosk PIN (hashed like a password) and their wrong attempts."""

    __tablename__ = "kiosk_pins"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    failed: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
