"""Manifest, service worker and offline page, served from the root so the worker's scope is
the whole app."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import get_locale

from webapp.pwa.manifest import build_manifest
from webapp.pwa.worker import render_worker

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    body = json.dumps(build_manifest(str(get_locale() or "en")), ensure_ascii=False)
    response = Response(body, mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.get("/sw.js")
def service_worker() -> Response:
    static_root = Path(current_app.static_folder or "static")
    source = render_worker(
        static_root, str(current_app.config.get("APP_VERSION", "dev")), url_for("pwa.offline")
    )
    response = Response(source, mimetype="text/javascript")
    # The browser must check for a new worker on every visit, or a deploy goes unnoticed.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline() -> str:
    return render_template("pwa/offline.html")
