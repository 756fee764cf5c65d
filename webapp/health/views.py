"""`/healthz` (liveness: the process answers) and `/readyz` (readiness: it can reach the
database and, when configured, Redis). Neither needs a session or touches one: a load
balancer polls them every few seconds on every instance."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from webapp import jobs
from webapp.extensions import csrf, db, limiter

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def liveness() -> Any:
    """The process is up and serving requests (it reads nothing)."""
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
@limiter.exempt
def readiness() -> Any:
    """Ready for traffic: the database answers, and Redis when REDIS_URL is set."""
    checks = {"database": _database()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis()
    ready = all(state == "ok" for state in checks.values())
    return _answer(
        {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503
    )


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:  # any failure means "not ready", never a 500
        log.warning("readiness: database check failed: %s", error)
        return "unavailable"
    finally:
        db.session.remove()


def _redis() -> str:
    try:
        jobs.redis_connection(current_app._get_current_object()).ping()  # type: ignore[attr-defined]
        return "ok"
    except Exception as error:
        log.warning("readiness: Redis check failed: %s", error)
        return "unavailable"


def _answer(body: dict[str, Any], status: int) -> Any:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


csrf.exempt(bp)
