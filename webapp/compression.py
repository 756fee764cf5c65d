"""Gzip for text responses, so a phone on a weak connection downloads a third of the bytes.

A reverse proxy or CDN in front of the app may do this instead; responses that already carry a
Content-Encoding are left alone, so the two never stack.

Compressing pages that hold a CSRF token invites BREACH, which needs an attacker to make the
victim's browser send thousands of requests carrying its session and chosen text. The session
cookie is `SameSite=Lax` and pages refuse to be framed, so only top-level navigations carry it:
too visible and too slow for that attack.
"""

from __future__ import annotations

import gzip

from flask import Response, request

MIN_SIZE = 1024  # smaller bodies gain too little to pay for the header and the CPU
LEVEL = 6  # most of level 9's gain at a fraction of its time
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "text/plain",
        "application/javascript",
        "application/json",
        "application/problem+json",
        "application/manifest+json",
        "image/svg+xml",
    }
)


def _accepts_gzip() -> bool:
    return request.accept_encodings.quality("gzip") > 0


def _compressible(response: Response) -> bool:
    return response.mimetype in COMPRESSIBLE and "Content-Encoding" not in response.headers


def compress_response(response: Response) -> Response:
    """Gzip a text response of at least MIN_SIZE bytes when the client accepts gzip."""
    if not _compressible(response):
        return response
    response.vary.add("Accept-Encoding")  # caches must keep the two forms apart
    if (
        not _accepts_gzip()
        or response.status_code in (204, 206, 304)
        or response.status_code < 200
        or (response.is_streamed and not response.direct_passthrough)
    ):
        return response
    # Static files arrive as a file wrapper (direct passthrough); read it to compress it.
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    # Byte ranges would address the compressed bytes; a range request gets the plain file.
    response.headers.pop("Accept-Ranges", None)
    etag, weak = response.get_etag()
    if etag and not weak:
        # The bytes differ from the uncompressed file's; a weak tag still matches it in
        # If-None-Match, so revalidation keeps answering 304.
        response.set_etag(etag, weak=True)
    return response
