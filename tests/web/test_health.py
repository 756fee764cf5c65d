"""Health checks: liveness never reads anything; readiness says whether the database (and
Redis, when configured) can be reached, for load balancers in front of several instances."""

from __future__ import annotations

from sqlalchemy import event

from webapp.extensions import db


def test_liveness_answers_without_touching_the_database(client):
    statements: list[str] = []

    def note(*args):  # type: ignore[no-untyped-def]
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        answer = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok"}
    assert statements == []
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers


def test_readiness_checks_the_database(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readiness_says_unavailable_when_redis_cannot_be_reached(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.get_json()["checks"] == {"database": "ok", "redis": "unavailable"}


def test_readiness_says_unavailable_when_the_database_cannot_be_reached(app, client):
    def refuse(*_args):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("database down")

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        answer = client.get("/readyz")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    assert answer.status_code == 503
    assert answer.get_json()["checks"]["database"] == "unavailable"
