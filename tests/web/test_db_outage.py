"""Losing the database: while it is gone, requests fail at once and cleanly (a 503 page or
problem document with Retry-After, never a traceback or a hung request); when it is back, the
same app serves again without a restart (the pool's pre-ping replaces dead connections).

On PostgreSQL the app talks to the server through a TCP proxy on a local port that the tests
close (the database is down), reopen (restarted), or turn into a black hole (a server that
accepts but never answers), and they end the app's server sessions with pg_terminate_backend.
Nothing stops the shared server. On SQLite the outage is a write lock held elsewhere longer
than the busy timeout (a backup or a long migration), the way that file database fails.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.api.test_moments import moment_payload
from tests.conftest import PG_URL, forget_each_request
from webapp import create_app
from webapp.extensions import db
from webapp.models import Moment

needs_postgres = pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL outage: set KIZUKI_TEST_DATABASE_URL (the CI job does)"
)
needs_sqlite = pytest.mark.skipif(bool(PG_URL), reason="the SQLite lock case (this run is on PG)")
# Each test process ends only its own connections: with two xdist workers, a shared name let
# one worker's "restart" end the other's connections mid-test.
APP_NAME = f"kizuki-outage-test-{os.getpid()}"
CONNECT_TIMEOUT = 2  # libpq's minimum


class TcpProxy:
    """Forwards a local port to the database server. `down()` closes the port and drops every
    connection through it; `up()` opens it again; `up(answer=False)` accepts connections but
    never answers them, like a server that hangs."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:  # a free port, reused on every `up()`
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def up(self, answer: bool = True) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        listener.settimeout(0.05)
        self._stop.clear()
        self._thread = threading.Thread(target=self._accept, args=(listener, answer), daemon=True)
        self._thread.start()

    def down(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with suppress(OSError):  # already closed by the other side
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket, answer: bool) -> None:
        with listener:
            while not self._stop.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                self._keep(client)
                if answer:
                    self._forward(client)

    def _keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _forward(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        self._keep(server)
        for source, sink in ((client, server), (server, client)):
            threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass  # the proxy went down under us
    finally:
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def proxy(database_url: str) -> Iterator[TcpProxy]:
    url = make_url(database_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.up()
    yield proxy
    proxy.down()


def _serve(config: dict[str, Any]) -> Iterator[tuple[Flask, FlaskClient, factories.World]]:
    app = create_app(config)

    # The person loaded by a failed request is never reused by the next one.
    forget_each_request(app)

    with app.app_context():
        world = factories.build_world(db.session)
        yield app, app.test_client(), world
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def via_proxy(
    app_config: dict[str, Any], database_url: str, proxy: TcpProxy
) -> Iterator[tuple[Flask, FlaskClient, factories.World]]:
    """The app, its client and the test world, on PostgreSQL through the proxy."""
    url = make_url(database_url).set(
        host="127.0.0.1", port=proxy.port, query={"application_name": APP_NAME}
    )
    config = {
        **app_config,
        "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
        "DATABASE_CONNECT_TIMEOUT": CONNECT_TIMEOUT,
    }
    yield from _serve(config)


def sign_in(client: FlaskClient, user: Any) -> None:
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"].isdigit()
    html = response.get_data(as_text=True)
    assert "We cannot reach our database right now" in html
    assert "Traceback" not in html
    assert 'class="tabbar"' not in html  # the navigation needs the database


def assert_unavailable_problem(response: Any) -> None:
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"].isdigit()
    body = response.get_json()
    assert body["status"] == 503
    assert "database" in body["detail"]


def count_moments() -> int:
    return int(db.session.scalar(select(func.count(Moment.id))) or 0)


@needs_postgres
def test_pages_and_api_answer_503_while_the_database_is_down_and_recover(via_proxy, proxy):
    app, client, world = via_proxy
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    sign_in(client, world.staff)
    assert client.get("/").status_code == 200
    csrf = client.post(
        "/api/v1/session", json={"email": world.staff.email, "password": factories.PASSWORD}
    ).get_json()["csrf_token"]
    payload = moment_payload(world)
    db.session.remove()  # the test's own connection goes back to the pool, like a request's

    proxy.down()
    started = time.monotonic()
    assert_unavailable_page(client.get("/"))
    assert_unavailable_page(client.get("/leaderboard"))
    assert_unavailable_problem(client.get("/api/v1/me"))
    assert_unavailable_problem(
        client.post("/api/v1/moments", json=payload, headers={"X-CSRFToken": csrf})
    )
    assert time.monotonic() - started < 10, "a refused connection must fail at once"
    db.session.remove()

    proxy.up()  # the database is back: the same app, no restart
    assert client.get("/").status_code == 200  # still signed in
    # The offline queue's retry of the same entry is stored now, exactly once.
    sent = client.post("/api/v1/moments", json=payload, headers={"X-CSRFToken": csrf})
    assert sent.status_code == 201, sent.get_json()
    assert count_moments() == 1


@needs_postgres
def test_a_restart_between_requests_is_invisible(via_proxy, proxy):
    """Connections in the pool die with the server; the pre-ping notices before a request
    uses one, so the first request after the restart already succeeds."""
    _app, client, world = via_proxy
    sign_in(client, world.staff)
    assert client.get("/").status_code == 200
    db.session.remove()
    proxy.down()
    proxy.up()
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@needs_postgres
def test_server_sessions_ended_by_the_database_are_replaced(via_proxy, database_url):
    _app, client, world = via_proxy
    sign_in(client, world.staff)
    assert client.get("/").status_code == 200
    db.session.remove()
    admin = create_engine(make_url(database_url).set(database="postgres"))
    with admin.begin() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": APP_NAME},
        ).scalar_one()
    admin.dispose()
    assert ended >= 1
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@needs_postgres
def test_a_server_that_never_answers_gives_503_within_the_connect_timeout(via_proxy, proxy):
    _app, client, world = via_proxy
    sign_in(client, world.staff)
    db.session.remove()
    proxy.down()
    proxy.up(answer=False)
    started = time.monotonic()
    assert_unavailable_page(client.get("/"))
    assert time.monotonic() - started < CONNECT_TIMEOUT * 3 + 5
    proxy.down()
    proxy.up()
    assert client.get("/").status_code == 200


@pytest.fixture
def sqlite_app(app_config: dict[str, Any]) -> Iterator[tuple[Flask, FlaskClient, factories.World]]:
    yield from _serve({**app_config, "SQLITE_BUSY_TIMEOUT_MS": 200})


@needs_sqlite
def test_a_database_locked_elsewhere_gives_503_to_writes_and_then_recovers(sqlite_app):
    app, client, world = sqlite_app
    sign_in(client, world.staff)
    assert client.get("/").status_code == 200
    db.session.remove()
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        # Reads never take the write lock: they answer while someone else writes.
        assert client.get("/").status_code == 200
        db.session.remove()
        assert client.get("/api/v1/me").status_code == 200
        db.session.remove()
        # A write waits for the lock (the busy timeout), then says "try again" clearly.
        assert_unavailable_page(client.post("/me/notifications/read"))
        db.session.remove()
        assert_unavailable_problem(client.post("/api/v1/notifications/read"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    db.session.remove()
    assert client.post("/me/notifications/read").status_code == 303
    assert client.get("/api/v1/me").status_code == 200
