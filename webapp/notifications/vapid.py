"""VAPID keys: generating a pair, and reading (and checking) the pair the server runs with.

Without a valid VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY pair, Web Push is off: nothing is sent,
the profile page says so, and the API refuses new subscriptions.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, current_app
from py_vapid import Vapid, VapidException, _check_sub

log = logging.getLogger(__name__)
_EXTENSION = "kizuki.vapid"


@dataclass(frozen=True)
class VapidKeys:
    """The server's push identity: the key browsers subscribe with, and the signer."""

    public_key: str  # urlsafe base64 of the uncompressed P-256 point: applicationServerKey
    signer: Vapid
    subject: str  # mailto: or https: contact for the push services


def b64url(data: bytes) -> str:
    """Unpadded urlsafe base64, the encoding Web Push uses for keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded urlsafe base64; ValueError when it is not."""
    cleaned = text.strip()
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not urlsafe base64") from error


def public_point(key: ec.EllipticCurvePublicKey) -> bytes:
    """The uncompressed point of a public key (65 bytes, starting 0x04)."""
    encoding, point = serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    return key.public_bytes(encoding, point)


def generate_pair() -> tuple[str, str]:
    """A new (public, private) pair: the public point and the raw 32-byte private value."""
    private = ec.generate_private_key(ec.SECP256R1())
    raw = private.private_numbers().private_value.to_bytes(32, "big")
    return b64url(public_point(private.public_key())), b64url(raw)


def load_keys(public: str | None, private: str | None, subject: str | None) -> VapidKeys:
    """Check a configured pair; ValueError says what is wrong with it."""
    if not public or not private:
        raise ValueError("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must both be set")
    try:
        signer = Vapid.from_string(private_key=private.strip())
    except (ValueError, TypeError, UnsupportedAlgorithm, VapidException) as error:
        raise ValueError("VAPID_PRIVATE_KEY is not a P-256 private key") from error
    if not isinstance(signer.private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        signer.private_key.curve, ec.SECP256R1
    ):
        raise ValueError("VAPID_PRIVATE_KEY is not a P-256 private key")
    derived = b64url(public_point(signer.private_key.public_key()))
    try:
        matches = b64url(b64url_decode(public)) == derived
    except ValueError:
        matches = False
    if not matches:
        raise ValueError("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY")
    # py_vapid's own check, so a subject accepted here is never refused when signing.
    if not subject or not _check_sub(subject):
        raise ValueError("VAPID_SUBJECT must be a mailto: address or an https:// URL")
    return VapidKeys(public_key=derived, signer=signer, subject=subject)


def vapid_keys(app: Flask | None = None) -> VapidKeys | None:
    """The app's VAPID keys, or None when push is off (no keys, or keys that do not work)."""
    app = app or current_app
    config = app.config
    settings = (config.get("VAPID_PUBLIC_KEY"), config.get("VAPID_PRIVATE_KEY"))
    subject = config.get("VAPID_SUBJECT")
    cached = app.extensions.get(_EXTENSION)
    if cached is not None and cached[0] == (*settings, subject):
        return cached[1]
    keys: VapidKeys | None = None
    if any(settings):
        try:
            keys = load_keys(*settings, subject)
        except ValueError as error:
            # Misconfigured push must not stop the app (or `flask vapid-keys`) from starting.
            log.error("Web Push is off: %s.", error)
    app.extensions[_EXTENSION] = ((*settings, subject), keys)
    return keys


def push_enabled(app: Flask | None = None) -> bool:
    """Is Web Push configured on this server?"""
    return vapid_keys(app) is not None


def is_browser_key(text: str) -> bool:
    """Is `text` a browser's p256dh key: a P-256 point, uncompressed, urlsafe base64?"""
    try:
        point = b64url_decode(text)
        if len(point) != 65 or point[0] != 4:
            return False
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        return False
    return True


def is_auth_secret(text: str) -> bool:
    """Is `text` a browser's auth secret: 16 bytes, urlsafe base64?"""
    try:
        return len(b64url_decode(text)) == 16
    except ValueError:
        return False
