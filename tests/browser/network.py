"""Bad networks for the browser tests, made outside the browser so that its page and its
service worker meet them alike, while it still believes it is online.

`CuttableProxy` is a TCP proxy in front of the live server: the browser talks to it as the
app's origin, and `cut()` resets every open connection and every new one (lie-fi: a phone in
a basement whose navigator.onLine stays true), `restore()` lets traffic through again.
`ServerTrouble` wraps the app: pages answered with 503, entries held back before they are
stored, sign-in requests counted."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any

BUFFER = 65536


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (not a polite FIN), as a dropped mobile link looks."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with suppress(OSError):
        sock.close()


class CuttableProxy:
    """127.0.0.1:<port> → the live server, until it is cut."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.is_cut = False
        self.refused = 0  # connections reset while cut: proof the browser really tried
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="lie-fi-proxy", daemon=True).start()

    def cut(self) -> None:
        """From now on every connection fails, including the ones already open."""
        self.is_cut = True
        with self._lock:
            open_now, self._open = self._open, set()
        for sock in open_now:
            _reset(sock)

    def restore(self) -> None:
        self.is_cut = False

    def flap(self, times: int, seconds: float) -> None:
        """Cut and restore the connection `times` times, `seconds` each way."""
        for _ in range(times):
            self.cut()
            time.sleep(seconds)
            self.restore()
            time.sleep(seconds)

    def close(self) -> None:
        self.listener.close()
        self.cut()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # closed
            if self.is_cut:
                self.refused += 1
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(BUFFER):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.difference_update((source, sink))
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


class ServerTrouble:
    """WSGI middleware around the live app with switches a test flips:
    `down` answers pages and the API with 503 (static files and the worker still come);
    `api_down` only the API;
    `hold_entries` waits that many seconds before an entry POSTed to the API is stored;
    `entries_arrived` is set when such a POST arrives."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.down = False
        self.api_down = False
        self.hold_entries = 0.0
        self.entries_arrived = threading.Event()
        self.entry_posts = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable:
        path = environ.get("PATH_INFO", "")
        is_api = path.startswith("/api/")
        if is_api and (self.down or self.api_down):
            start_response("503 Service Unavailable", [("Content-Type", PROBLEM)])
            return [b'{"type": "about:blank", "title": "Service Unavailable", "status": 503}']
        if self.down and not (path.startswith("/static/") or path == "/sw.js"):
            start_response("503 Service Unavailable", [("Content-Type", "text/html")])
            return [b"<!doctype html><title>Down</title><h1>The server is down</h1>"]
        if environ.get("REQUEST_METHOD") == "POST" and path in ENTRY_PATHS:
            self.entry_posts += 1
            self.entries_arrived.set()
            time.sleep(self.hold_entries)
        return self.app(environ, start_response)


ENTRY_PATHS = {"/api/v1/moments", "/api/v1/kudos"}
PROBLEM = "application/problem+json"
