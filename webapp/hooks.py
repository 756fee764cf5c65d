"""Per-request hooks: security headers and compression."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from webapp.compression import init_compression

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def security_headers(response: Response) -> Response:
    """Set the security headers on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("KIZUKI_ENV") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static" and "Cache-Control" not in headers:
        # Signed-in pages are personal: never stored by shared caches.
        headers["Cache-Control"] = "private, no-cache"
        headers.add("Vary", "Cookie")
    return response


def init_hooks(app: Flask) -> None:
    """Register the hooks."""
    app.after_request(security_headers)
    init_compression(app)
