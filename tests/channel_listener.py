"""A local HTTPS listener standing in for Slack, Microsoft Teams and a JSON webhook: it keeps
every request (path, headers, parsed JSON body) and answers with the statuses a test queues
(200 otherwise). Its certificate is self-signed for 127.0.0.1 and made per test session;
the app calls it only because the test names it in OUTBOUND_TEST_TARGETS."""

from __future__ import annotations

import datetime
import ipaddress
import json
import queue
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "listener.pem", folder / "listener.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802  (the http.server name)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        self.server.received.put(Received(self.path, dict(self.headers.items()), raw))
        try:
            status = self.server.statuses.get_nowait()
        except queue.Empty:
            status = 200
        body = b"ok" if status < 300 else b"no_service"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    received: queue.Queue[Received]
    statuses: queue.Queue[int]


class ChannelListener:
    """`with ChannelListener(cert, key) as hook:` … `hook.url("/slack")`, `hook.next()`."""

    def __init__(self, cert: Path, key: Path) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.received = queue.Queue()
        self._server.statuses = queue.Queue()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"https://{self.target}{path}"

    def answer(self, *statuses: int) -> None:
        """The statuses of the next requests, in order (then 200)."""
        for status in statuses:
            self._server.statuses.put(status)

    def next(self, timeout: float = 5.0) -> Received:
        return self._server.received.get(timeout=timeout)

    def count(self) -> int:
        return self._server.received.qsize()

    def __enter__(self) -> ChannelListener:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
