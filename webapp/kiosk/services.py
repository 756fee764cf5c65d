"""Kiosk rules: personal PINs, kiosk devices and their tokens, and a person's turn on a
kiosk. Functions stage their work on the session given; the entry point commits."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from enum import Enum

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from webapp.account.services import password_matches
from webapp.audit import services as audit
from webapp.auth.services import DUMMY_HASH, hash_password, hash_token
from webapp.domain import Invalid, NotFound
from webapp.kiosk.access import kiosk_teams, may_manage
from webapp.models import KioskDevice, KioskPin, Membership, User
from webapp.orgs.services import team_members
from webapp.timeutil import as_utc, utcnow

TOKEN_BYTES = 48  # 64 URL-safe characters: a device token no one guesses
MAX_WRONG_PINS = 5  # per person and per device, then a pause
LOCKOUT = timedelta(minutes=15)
TURN = timedelta(minutes=2)  # the longest a person's turn lasts, whatever the screen does
# How long a moment typed during a turn may wait on the kiosk, offline, to be sent.
GRANT_AGE = timedelta(hours=24)


class Entry(Enum):
    """What typing a PIN on a kiosk led to."""

    OK = "ok"
    WRONG = "wrong"
    PERSON_LOCKED = "person_locked"
    DEVICE_LOCKED = "device_locked"
    NO_PIN = "no_pin"


# Personal PINs -------------------------------------------------------------------------


def has_pin(session: Session, user: User) -> bool:
    """True when `user` has set a kiosk PIN."""
    return session.get(KioskPin, user.id) is not None


def set_pin(session: Session, user: User, password: str, pin: str) -> KioskPin:
    """Set or change `user`'s kiosk PIN (the schema refused weak ones); the current password
    must be right. A new PIN also lifts a lockout."""
    if not password_matches(user, password):
        raise Invalid(_("That is not your current password."), field="password")
    row = session.get(KioskPin, user.id) or KioskPin(user_id=user.id)
    row.pin_hash = hash_password(pin)
    row.failed = 0
    row.locked_until = None
    row.set_at = utcnow()
    session.add(row)
    return row


# Devices -------------------------------------------------------------------------------


def create_device(
    session: Session, actor: User, name: str, team_id: int
) -> tuple[KioskDevice, str]:
    """Make a kiosk for one of the teams `actor` looks after; returns it with the raw
    device token (only its hash is stored)."""
    if team_id not in {t.id for t in kiosk_teams(session, actor)}:
        raise Invalid(_("Choose one of the options."), field="team_id")
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    device = KioskDevice(
        org_id=actor.org_id,
        team_id=team_id,
        name=name,
        token_hash=hash_token(raw),
        created_by_id=actor.id,
    )
    session.add(device)
    session.flush()
    audit.record(session, actor, audit.KIOSK_CREATED, "kiosk", device.id, name)
    return device, raw


def revoke_device(session: Session, actor: User, device_id: int) -> KioskDevice:
    """Stop a kiosk: its token no longer opens anything, and a turn in progress ends."""
    device = session.get(KioskDevice, device_id)
    if device is None or not may_manage(session, actor, device):
        raise NotFound(_("That kiosk was not found."))
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        audit.record(session, actor, audit.KIOSK_REVOKED, "kiosk", device.id, device.name)
    device.person_id = None
    device.person_until = None
    return device


def device_by_token(session: Session, raw: str | None) -> KioskDevice | None:
    """The kiosk this token belongs to (revoked or not), if any."""
    if not raw or len(raw) > 200:
        return None
    digest = hash_token(raw)
    device = session.scalar(select(KioskDevice).where(KioskDevice.token_hash == digest))
    if device is None or not hmac.compare_digest(device.token_hash, digest):
        return None
    return device


def faces(session: Session, device: KioskDevice) -> list[User]:
    """The people of the kiosk's team, by name."""
    return team_members(session, device.team_id)


def team_person(session: Session, device: KioskDevice, user_id: int) -> User | None:
    """The active member of the kiosk's team with this id, or None."""
    member = session.scalar(
        select(Membership).where(
            Membership.team_id == device.team_id, Membership.user_id == user_id
        )
    )
    user = member.user if member is not None else None
    if user is None or user.org_id != device.org_id or not user.is_active:
        return None
    return user


# A person's turn -----------------------------------------------------------------------


def locked(until: datetime | None) -> bool:
    """True while a lockout that ends at `until` lasts."""
    return until is not None and as_utc(until) > utcnow()


def enter_pin(session: Session, device: KioskDevice, person: User, pin: str) -> Entry:
    """Check `person`'s PIN on `device`. The right PIN starts their turn; a wrong one counts
    against the person and the device (five each, then 15 minutes' pause). Always stages
    what it counted, so the caller commits whatever the answer."""
    # Row locks (PostgreSQL; SQLite writers queue anyway): PINs typed at once on two kiosks
    # are counted one after the other, so parallel guesses cannot slip past the limit.
    session.refresh(device, with_for_update=True)
    if locked(device.locked_until):
        return Entry.DEVICE_LOCKED
    row = session.get(KioskPin, person.id, with_for_update=True, populate_existing=True)
    if row is not None and locked(row.locked_until):
        return Entry.PERSON_LOCKED
    if row is None:
        # As long as a person with a PIN takes (a PIN is hashed as a password is).
        check_password_hash(DUMMY_HASH, pin)
        return Entry.NO_PIN
    if check_password_hash(row.pin_hash, pin):
        row.failed = 0
        device.failed_pins = 0
        device.person_id = person.id
        device.person_until = utcnow() + TURN
        return Entry.OK
    return _wrong(device, row)


def _wrong(device: KioskDevice, row: KioskPin) -> Entry:
    row.failed += 1
    device.failed_pins += 1
    if device.failed_pins >= MAX_WRONG_PINS:
        device.failed_pins = 0
        device.locked_until = utcnow() + LOCKOUT
    if row.failed >= MAX_WRONG_PINS:
        row.failed = 0
        row.locked_until = utcnow() + LOCKOUT
        return Entry.PERSON_LOCKED
    return Entry.DEVICE_LOCKED if locked(device.locked_until) else Entry.WRONG


def current_person(device: KioskDevice) -> User | None:
    """Whose turn it is on `device`, if it has not run out."""
    if device.person_id is None or device.revoked_at is not None:
        return None
    if device.person_until is None or as_utc(device.person_until) <= utcnow():
        return None
    return device.person


def end_turn(device: KioskDevice) -> None:
    """Back to the faces: nobody's turn."""
    device.person_id = None
    device.person_until = None


# A moment kept on the kiosk while it was offline ---------------------------------------


def _grants() -> URLSafeSerializer:
    # Signed with the app's secret; its age is read from `utcnow()`, so tests can freeze it.
    return URLSafeSerializer(current_app.secret_key or "", salt="kiosk-turn")


def turn_grant(device: KioskDevice, person: User) -> str:
    """A signed note "this person entered their PIN on this device now", put in the turn's
    moment form: a moment the kiosk kept offline is sent later with it, bound to them."""
    made = int(utcnow().timestamp())
    return str(_grants().dumps({"d": device.id, "u": person.id, "t": made}))


def granted_person(session: Session, device: KioskDevice, grant: object) -> User | None:
    """The person a grant names, when it was made on this device within GRANT_AGE and they
    are still an active member of its team; else None."""
    if not isinstance(grant, str) or len(grant) > 500:
        return None
    try:
        note = _grants().loads(grant)
    except BadSignature:
        return None
    if not isinstance(note, dict) or note.get("d") != device.id:
        return None
    made = note.get("t")
    age = utcnow().timestamp() - made if isinstance(made, int) else None
    if age is None or not 0 <= age <= GRANT_AGE.total_seconds():
        return None
    user_id = note.get("u")
    return team_person(session, device, user_id) if isinstance(user_id, int) else None
