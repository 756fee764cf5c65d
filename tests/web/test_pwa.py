"""The installable app through the test client: manifest, service worker, offline page."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as _

from tests import factories
from webapp.auth import sessions
from webapp.extensions import db


def _status(client: FlaskClient, path: str) -> int:
    with client.get(path) as response:
        return response.status_code


def _sign_in(client: FlaskClient, user: Any) -> None:
    # Straight into the session: this module tests the PWA, not the login page.
    key = sessions.begin(db.session, user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}:{key}"
        session["_fresh"] = True


def _manifest(client: FlaskClient, language: str = "en") -> dict[str, Any]:
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": language})
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    return json.loads(response.get_data(as_text=True))


def test_manifest_has_what_installing_needs(client: FlaskClient) -> None:
    manifest = _manifest(client)
    assert manifest["name"] and manifest["short_name"] == "Kizuki"
    assert manifest["description"]
    assert manifest["id"] == "/"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#2e2a6b"
    assert manifest["background_color"].startswith("#")
    assert manifest["lang"] == "en"


def test_manifest_icons_cover_both_sizes_and_purposes(client: FlaskClient) -> None:
    icons = _manifest(client)["icons"]
    pairs = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert pairs == {
        (size, purpose) for size in ("192x192", "512x512") for purpose in ("any", "maskable")
    }
    for icon in icons:
        assert _status(client, icon["src"]) == 200


def test_manifest_screenshots_are_narrow_and_wide(client: FlaskClient) -> None:
    shots = {shot["form_factor"]: shot for shot in _manifest(client)["screenshots"]}
    assert shots["narrow"]["sizes"] == "390x844"
    assert shots["wide"]["sizes"] == "1280x800"
    assert all(shot["label"] for shot in shots.values())


def test_manifest_shortcuts_log_a_moment_and_give_kudos(client: FlaskClient) -> None:
    shortcuts = {s["url"]: s["name"] for s in _manifest(client)["shortcuts"]}
    assert shortcuts == {"/moments/new": "Log a moment", "/kudos/new": "Give kudos"}


def test_manifest_speaks_dutch(app: Flask, client: FlaskClient) -> None:
    manifest = _manifest(client, "nl")
    assert manifest["lang"] == "nl"
    with app.test_request_context(), force_locale("nl"):
        expected = {_("Log a moment"), _("Give kudos")}
        description = _(
            "Log the moments you noticed what a customer needed, give kudos and see how "
            "your team is doing."
        )
    assert {s["name"] for s in manifest["shortcuts"]} == expected
    assert manifest["description"] == description


def test_service_worker_is_served_from_the_root_uncached(client: FlaskClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"


def _build(client: FlaskClient) -> dict[str, Any]:
    source = client.get("/sw.js").get_data(as_text=True)
    match = re.search(r"^const BUILD = (\{.*\}); // @build$", source, re.MULTILINE)
    assert match, "the build line is stamped in"
    return json.loads(match.group(1))


def test_service_worker_precaches_the_app_shell(client: FlaskClient) -> None:
    shell = _build(client)["shell"]
    assert "/offline" in shell
    for path in (
        "/static/pwa/css/app.css",
        "/static/pwa/js/app.js",
        "/static/pwa/js/offline-queue.js",
        "/static/pwa/js/queue-core.js",
        "/static/pwa/icons/icon-192.png",
        "/static/pwa/icons/maskable-512.png",
    ):
        assert path in shell
    for path in shell:
        assert _status(client, path) == 200, path


def test_every_script_the_worker_imports_is_precached(client: FlaskClient) -> None:
    source = client.get("/sw.js").get_data(as_text=True)
    imported = re.findall(r"importScripts\('([^']+)'\)", source)
    assert imported == ["/static/pwa/js/queue-core.js"]
    assert set(imported) <= set(_build(client)["shell"])


@pytest.mark.parametrize("version", ["2024.1", "2024.2"])
def test_service_worker_cache_name_follows_the_app_version(app: Flask, version: str) -> None:
    app.config["APP_VERSION"] = version
    assert _build(app.test_client())["version"].startswith(f"{version}-")


def test_a_new_version_gives_a_new_worker(app: Flask, client: FlaskClient) -> None:
    before = client.get("/sw.js").get_data()
    app.config["APP_VERSION"] = "next-deploy"
    assert client.get("/sw.js").get_data() != before


def test_offline_page_is_public_and_personal_free(
    client: FlaskClient, world: factories.World
) -> None:
    anonymous = client.get("/offline")
    assert anonymous.status_code == 200
    assert "You are offline" in anonymous.get_data(as_text=True)
    _sign_in(client, world.staff)
    page = client.get("/offline").get_data(as_text=True)
    # Precached once for every user: it must not name the person who installed the app.
    assert 'name="kizuki-user"' not in page
    assert world.staff.name not in page


def test_pages_carry_what_the_scripts_read(client: FlaskClient) -> None:
    page = client.get("/offline").get_data(as_text=True)
    assert '<meta name="csrf-token"' in page
    assert '<meta name="rendered-at"' in page
    assert 'src="/static/pwa/js/app.js"' in page
    strings = re.search(r'<script type="application/json" id="pwa-strings">(.*?)</script>', page)
    assert strings and json.loads(strings.group(1))["waiting"] == "Waiting to sync"
    assert "<script>" not in page  # the CSP forbids inline scripts
