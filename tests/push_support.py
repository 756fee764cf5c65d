"""Helpers for the Web Push tests: a browser's key pair that can decrypt what it receives, a
local HTTPS server standing in for a push service (it can also stall: accept, read and never
answer), and a VAPID pair for the app. The app calls the stand-in only because a test names it
in OUTBOUND_TEST_TARGETS (`outbound_config()`), as for the channel listener."""

from __future__ import annotations

import base64
import json
import os
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.channel_listener import make_certificate
from webapp.notifications.vapid import generate_pair

SUBJECT = "mailto:push-test@example.com"
PUBLIC_KEY, PRIVATE_KEY = generate_pair()
PUSH_CONFIG = {
    "VAPID_PUBLIC_KEY": PUBLIC_KEY,
    "VAPID_PRIVATE_KEY": PRIVATE_KEY,
    "VAPID_SUBJECT": SUBJECT,
}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class BrowserKeys:
    """What a browser's PushManager makes: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict[str, Any]:
        """Decrypt an aes128gcm push message as the browser would."""
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain.decode("utf-8"))  # type: ignore[no-any-return]


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


_CERTIFICATE: list[tuple[Path, Path]] = []


def certificate() -> tuple[Path, Path]:
    """The stand-in's self-signed certificate for 127.0.0.1 (made once per test process)."""
    if not _CERTIFICATE:
        _CERTIFICATE.append(make_certificate(Path(tempfile.mkdtemp(prefix="kizuki-push-"))))
    return _CERTIFICATE[0]


@dataclass
class FakePushService:
    """A push service on 127.0.0.1 (HTTPS) that records every request and answers `status`;
    with `stall`, it reads the request and never answers until stopped."""

    status: int = 201
    headers: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    stall: bool = False
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _stopped: threading.Event = field(default_factory=threading.Event)

    def start(self) -> FakePushService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                service.received.append(Received("POST", self.path, headers, body))
                if service.stall:
                    service._stopped.wait(60)
                    return
                self.send_response(service.status)
                for name, value in service.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate())
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    @property
    def origin(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"https://{host}:{port}"

    @property
    def target(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def endpoint(self, name: str = "device-1") -> str:
        return f"{self.origin}/push/{name}"

    def stop(self) -> None:
        self._stopped.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def vapid_claims(authorization: str) -> tuple[dict[str, Any], str]:
    """Check `Authorization: vapid t=<JWT>, k=<key>`: the JWT is signed (ES256) by the key.
    Returns the JWT's claims and the key."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid", authorization
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(b64url_decode(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = b64url_decode(signature_b64)
    assert len(signature) == 64
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    # Raises InvalidSignature when the token was not signed by that key.
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    return json.loads(b64url_decode(claims_b64)), key


def outbound_config(*services: FakePushService) -> dict[str, Any]:
    """The app settings that let it call these stand-ins (and nothing else local)."""
    return {
        "OUTBOUND_TEST_TARGETS": {service.target for service in services},
        "OUTBOUND_TEST_CA_FILE": str(certificate()[0]),
    }
