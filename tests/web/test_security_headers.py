"""Security headers on every kind of response, and secure cookies outside development."""

from __future__ import annotations

import pytest

from webapp import create_app


@pytest.mark.parametrize("path", ["/login", "/static/pwa/css/app.css", "/no-such-page", "/"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed from an open file
    csp = response.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # development


def test_production_sets_hsts_and_secure_cookies(monkeypatch, database_url, make_app):
    monkeypatch.setenv("KIZUKI_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-for-this-test")
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.setenv("KIZUKI_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
