"""Per-request hooks: a request id, JSON bodies that can be read safely, security headers
and compression."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from flask import Flask, Response, abort, current_app, g, request
from flask_babel import gettext as _

from webapp.compression import compress_response
from webapp.errors import problem
from webapp.forms import share_form_translations
from webapp.security import is_api_request
from webapp.setup.views import lead_to_setup

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's request id looks like (a UUID, a hex or base64url token); anything else is
# replaced, so logs and pages never carry text a client made up.
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# No input of Kizuki nests deeper than a few levels; a parser asked to follow 100,000 would
# run out of stack (a 500) before any schema could say no.
MAX_JSON_DEPTH = 20
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

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
    if g.get("kizuki_no_store"):
        headers["Cache-Control"] = "no-store"
    elif request.endpoint != "static" and "Cache-Control" not in headers:
        # Signed-in pages are personal: never stored by shared caches.
        headers["Cache-Control"] = "private, no-cache"
        headers.add("Vary", "Cookie")
    return response


def assign_request_id() -> None:
    """Name this request for the logs: the proxy's X-Request-ID when it is sane, else new."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if SANE_REQUEST_ID.match(given) else uuid.uuid4().hex


def echo_request_id(response: Response) -> Response:
    """Hand the request id back, so a person's report can be matched to the log."""
    if "request_id" in g:
        response.headers.setdefault(REQUEST_ID_HEADER, g.request_id)
    return response


def refuse_unreadable_json() -> Response | None:
    """A JSON body nested absurdly deep, or text with a lone UTF-16 surrogate (which no
    database can store), is a 400 naming the field, before any view parses it."""
    if not request.is_json:
        return None
    raw = request.get_data(cache=True)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except RecursionError:
        return _unreadable("body", _("This JSON is nested too deeply."))
    except ValueError:
        return None  # not JSON at all: the view's parser answers its usual 400
    fault = _first_fault(data)
    if fault is None:
        return None
    name, too_deep = fault
    if too_deep:
        return _unreadable(name, _("This JSON is nested too deeply."))
    return _unreadable(
        name, _("This text contains a character that is not valid (a lone surrogate).")
    )


def _first_fault(data: Any) -> tuple[str, bool] | None:
    """(the top-level field at fault, whether it is nesting) or None; walked without
    recursion, so depth itself cannot break the walk."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "body")]
    while stack:
        value, depth, name = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return name, True
        if isinstance(value, str) and LONE_SURROGATE.search(value):
            return name, False
        if isinstance(value, dict):
            for key, item in value.items():
                if LONE_SURROGATE.search(key):
                    return name, False
                field = key if depth == 0 else name
                stack.append((item, depth + 1, field))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, name) for item in value)
    return None


def _unreadable(name: str, message: str) -> Response:
    if is_api_request():
        return problem(400, "Bad Request", _("The request could not be read."), {name: [message]})
    abort(400, description=message)


# The extensions whose own request hooks (registered by their init_app) init_hooks places:
# the CSRF check and the rate limit before; the remember-me cookie and the rate-limit headers
# after.
EXTENSION_HOOKS = ("flask_wtf", "flask_limiter", "flask_login")


def _package(hook: Any) -> str:
    """The top-level package a hook comes from (a bound method or partial: its function's)."""
    return str(getattr(getattr(hook, "func", hook), "__module__", "")).split(".")[0]


def init_hooks(app: Flask) -> None:
    """Register the app-wide hooks in one explicit order, once the extensions and the
    blueprints are registered. Flask runs before-request hooks first to last and
    after-request hooks last to first. A hook registered before by anything but the known
    extensions has no known place (it could land between the CSRF check and the first-run
    redirect, or run twice): that stops the app from starting, naming the hook."""
    extensions_before = app.before_request_funcs.get(None, [])
    extensions_after = app.after_request_funcs.get(None, [])
    unplaced = [
        f"{getattr(hook, '__module__', '?')}.{getattr(hook, '__qualname__', repr(hook))}"
        for hook in [*extensions_before, *extensions_after]
        if _package(hook) not in EXTENSION_HOOKS
    ]
    if unplaced:
        raise RuntimeError(
            "init_hooks places the app-wide request hooks; these have no known place "
            f"(add them to its order): {', '.join(unplaced)}"
        )
    app.before_request_funcs[None] = [
        assign_request_id,  # first: every response, a refused one too, carries its id
        refuse_unreadable_json,  # before anything reads the body
        share_form_translations,  # before the CSRF check, whose refusal is translated
        *extensions_before,
        # Once the request is known to be readable, allowed and within its limits; it asks
        # who is signed in, which flask-login answers when first asked.
        lead_to_setup,
    ]
    app.after_request_funcs[None] = [
        compress_response,  # runs last: compresses the body every other hook has finished
        *extensions_after,
        echo_request_id,
        security_headers,  # runs first
    ]
