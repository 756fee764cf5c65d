"""Text responses are gzipped for clients that accept it, and only for them."""

from __future__ import annotations

import gzip

import pytest

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _get(client, path, **headers):
    response = client.get(path, headers=headers)
    body = response.get_data()
    response.close()  # static files are served from an open file
    return response, body


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/login", "text/html"),
        ("/static/pwa/css/app.css", "text/css"),
        ("/static/pwa/js/app.js", "text/javascript"),
        ("/sw.js", "text/javascript"),
        ("/api/v1/openapi.json", "application/json"),
    ],
)
def test_text_is_gzipped_when_accepted(client, world, path, mimetype):
    plain, plain_body = _get(client, path)
    packed, packed_body = _get(client, path, **GZIP)
    assert plain.status_code == packed.status_code == 200
    assert packed.mimetype == mimetype
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert int(packed.headers["Content-Length"]) == len(packed_body) < len(plain_body)
    if path != "/login":  # the login page carries a fresh CSRF token each time
        assert gzip.decompress(packed_body) == plain_body
    for response in (plain, packed):
        assert "Accept-Encoding" in response.vary


def test_a_signed_in_page_is_gzipped(client, auth, world):
    auth.login(world.staff.email)
    response, body = _get(client, "/", **GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(body)
    assert {"Accept-Encoding", "Cookie"} <= set(response.vary)


def test_gzip_refused_with_q_zero(client):
    response, body = _get(client, "/login", **{"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in response.headers
    assert body.startswith(b"<!doctype html>")


def test_small_and_binary_responses_are_left_alone(client):
    small, body = _get(client, "/api/v1/me", **GZIP)
    assert small.status_code == 401 and len(body) < 1024
    assert "Content-Encoding" not in small.headers
    image, _ = _get(client, "/static/pwa/icons/icon-192.png", **GZIP)
    assert image.mimetype == "image/png"
    assert "Content-Encoding" not in image.headers
    assert "Accept-Encoding" not in image.vary


def test_a_range_request_gets_plain_bytes(client):
    response, body = _get(client, "/static/pwa/css/app.css", **GZIP, Range="bytes=0-99")
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert len(body) == 100


def test_a_gzipped_static_file_still_revalidates(client):
    first, _ = _get(client, "/static/pwa/css/app.css", **GZIP)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')  # the compressed bytes are not the file's bytes
    assert "Accept-Ranges" not in first.headers
    again, body = _get(client, "/static/pwa/css/app.css", **GZIP, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert body == b""
