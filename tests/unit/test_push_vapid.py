"""The server's VAPID keys: a generated pair loads; missing, broken or mismatched keys turn
Web Push off (logged) instead of stopping the app; browser keys are checked on input."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.push_support import SUBJECT, BrowserKeys
from webapp.notifications.vapid import (
    generate_pair,
    is_auth_secret,
    is_browser_key,
    load_keys,
    push_enabled,
    vapid_keys,
)

PUBLIC, PRIVATE = generate_pair()


def der_b64(key) -> str:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return base64.urlsafe_b64encode(der).decode()


def test_a_generated_pair_loads():
    keys = load_keys(PUBLIC, PRIVATE, SUBJECT)
    assert keys.public_key == PUBLIC and keys.subject == SUBJECT
    assert generate_pair() != (PUBLIC, PRIVATE)


def test_a_der_private_key_is_accepted_too():
    private = ec.generate_private_key(ec.SECP256R1())
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    public = base64.urlsafe_b64encode(point).decode().rstrip("=")
    assert load_keys(public, der_b64(private), SUBJECT).public_key == public


@pytest.mark.parametrize(
    ("public", "private", "subject", "problem"),
    [
        (None, PRIVATE, SUBJECT, "must both be set"),
        (PUBLIC, "", SUBJECT, "must both be set"),
        (PUBLIC, "not-a-key", SUBJECT, "not a P-256 private key"),
        (PUBLIC, der_b64(rsa.generate_private_key(65537, 2048)), SUBJECT, "not a P-256"),
        (BrowserKeys().p256dh, PRIVATE, SUBJECT, "does not belong"),
        ("%%%", PRIVATE, SUBJECT, "does not belong"),
        (PUBLIC, PRIVATE, "admin@example.com", "VAPID_SUBJECT"),
        (PUBLIC, PRIVATE, "http://example.com", "VAPID_SUBJECT"),
        (PUBLIC, PRIVATE, "", "VAPID_SUBJECT"),
    ],
    # Keys are made at import: name the cases by number, the same in every xdist worker.
    ids=lambda value: None if not isinstance(value, str) or len(value) < 40 else "key",
)
def test_bad_keys_are_refused_with_a_reason(public, private, subject, problem):
    with pytest.raises(ValueError, match=problem):
        load_keys(public, private, subject)


def test_push_is_off_without_keys_or_with_broken_ones(database_url, make_app):
    base = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url}
    app = make_app({**base, "VAPID_PUBLIC_KEY": None, "VAPID_PRIVATE_KEY": None})
    assert not push_enabled(app)
    app = make_app({**base, "VAPID_PUBLIC_KEY": PUBLIC, "VAPID_PRIVATE_KEY": "broken"})
    assert vapid_keys(app) is None
    app.config.update(VAPID_PRIVATE_KEY=PRIVATE, VAPID_SUBJECT=SUBJECT)
    assert vapid_keys(app) is not None and vapid_keys(app).public_key == PUBLIC


def test_browser_keys_are_checked():
    browser = BrowserKeys()
    assert is_browser_key(browser.p256dh) and is_auth_secret(browser.auth)
    point = bytearray(base64.urlsafe_b64decode(browser.p256dh + "=="))
    point[-1] ^= 1  # off the curve
    off_curve = base64.urlsafe_b64encode(bytes(point)).decode()
    for bad in ["", "BNc...key", off_curve, browser.auth, PRIVATE]:
        assert not is_browser_key(bad), bad
    for bad in ["", "secret", browser.p256dh]:
        assert not is_auth_secret(bad), bad
