"""A tiny SMTP server for tests: speaks just enough of RFC 5321 for smtplib to deliver, and
keeps every message it receives. Runs in a thread on 127.0.0.1, on a free port."""

from __future__ import annotations

import email
import email.policy
import queue
import socketserver
import threading
from email.message import EmailMessage
from types import TracebackType


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        self._reply("220 fake-smtp ready")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._reply("250-fake-smtp\r\n250 8BITMIME")
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                self._receive()
                self._reply("250 OK: queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _receive(self) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        parsed = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
        self.server.inbox.put(parsed)  # type: ignore[arg-type]

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    inbox: queue.Queue[EmailMessage]


class FakeSmtpServer:
    """`with FakeSmtpServer() as smtp:` … `smtp.port`, `smtp.next_message()`."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.inbox = queue.Queue()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def next_message(self, timeout: float = 5.0) -> EmailMessage:
        """The next message received (waits up to `timeout` seconds)."""
        return self._server.inbox.get(timeout=timeout)

    def received(self) -> int:
        """How many messages are waiting."""
        return self._server.inbox.qsize()

    def __enter__(self) -> FakeSmtpServer:
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
