"""One place that turns errors into pages or RFC 9457 problem documents."""

from __future__ import annotations

import logging
import uuid
from contextlib import suppress
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from webapp.domain import DomainError
from webapp.extensions import db, login_manager
from webapp.security import is_api_request

log = logging.getLogger(__name__)

PAGE_TEMPLATES = {403, 404, 429, 500}
# The database cannot be reached (refused, dropped, restarting, locked, pool exhausted): a
# passing state, so 503 with Retry-After, never a 500 or a hung request.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 30


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: dict[str, Any] | None = None,
    **extra: Any,
) -> Response:
    """An `application/problem+json` response; `errors` maps field names to messages."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _page(status: int, **context: Any) -> tuple[str, int]:
    template = f"errors/{status if status in PAGE_TEMPLATES else 'generic'}.html"
    return render_template(template, status=status, **context), status


def handle_http(error: HTTPException) -> Any:
    status = error.code or 500
    if is_api_request():
        errors = None
        data = getattr(error, "data", None)
        if isinstance(data, dict) and "messages" in data:
            errors = _flatten(data["messages"])
        detail = error.description if status != 422 else _("The input is not valid.")
        response = problem(status, error.name, detail, errors)
        retry_after = _retry_after(error)
        if retry_after:
            response.headers["Retry-After"] = retry_after
        valid_methods = getattr(error, "valid_methods", None)
        if valid_methods:  # a 405 names the methods that would work (RFC 9110)
            response.headers["Allow"] = ", ".join(valid_methods)
        return response
    if status == 429:
        body, code = _page(429, retry_after=_retry_after(error))
        response = Response(body, status=code, mimetype="text/html")
        if _retry_after(error):
            response.headers["Retry-After"] = _retry_after(error) or ""
        return response
    return _page(status, error=error)


def _retry_after(error: HTTPException) -> str | None:
    headers = dict(error.get_headers()) if error.response is None else dict(error.response.headers)
    return headers.get("Retry-After")


def _flatten(messages: Any) -> dict[str, Any]:
    # flask-smorest nests messages by location ("json", "query"); callers want field names.
    if isinstance(messages, dict) and set(messages) <= {
        "json",
        "query",
        "form",
        "headers",
        "files",
        "path",
    }:
        flat: dict[str, Any] = {}
        for fields in messages.values():
            if isinstance(fields, dict):
                flat.update(fields)
        return flat
    return messages if isinstance(messages, dict) else {"_schema": messages}


def handle_domain(error: DomainError) -> Any:
    db.session.rollback()
    if is_api_request():
        errors = {error.field: [error.message]} if error.field else None
        return problem(
            error.status, error.code.replace("_", " ").capitalize(), error.message, errors
        )
    return _page(error.status, error=error)


def handle_csrf(error: CSRFError) -> Any:
    if is_api_request():
        return problem(400, "CSRF token missing or invalid", error.description)
    return _page(400, error=error)


def handle_unexpected(error: Exception) -> Any:
    """Log the failure with the request's id, and give the person that id to quote."""
    request_id = g.get("request_id") or uuid.uuid4().hex
    log.error(
        "Unhandled %s on %s %s [request id %s]",
        type(error).__name__,
        request.method,
        request.path,
        request_id,
        exc_info=error,
        extra={"request_id": request_id},
    )
    with suppress(SQLAlchemyError):  # the failure may be the connection itself
        db.session.rollback()
    if is_api_request():
        return problem(500, "Internal Server Error", request_id=request_id)
    return _page(500, request_id=request_id)


def handle_database_unavailable(error: SQLAlchemyError) -> Any:
    """503 with Retry-After; the pool's pre-ping reconnects once the database is back."""
    with suppress(SQLAlchemyError):  # the connection may be gone with the transaction
        db.session.rollback()
    if g.get("_login_user") is None:
        # The person was not loaded yet and cannot be now: the answer's language comes from
        # the browser, as for someone signed out, instead of a second failing read.
        g._login_user = login_manager.anonymous_user()
    if is_api_request():
        detail = _("The database cannot be reached right now. Please try again in a moment.")
        response = problem(503, "Service Unavailable", detail)
    else:
        response = Response(_unavailable_page(), status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unavailable_page() -> str:
    # Rendered as for someone signed out: the person's row (name, language) cannot be read
    # now, and the page must not try. Only for this rendering: flask-login keeps the user on
    # `g`, which tests share between requests.
    signed_in = g.pop("_login_user", None)
    g._login_user = login_manager.anonymous_user()
    try:
        return render_template("errors/503.html", status=503, retry_after=RETRY_AFTER_SECONDS)
    finally:
        g.pop("_login_user", None)
        if signed_in is not None:
            g._login_user = signed_in


def init_errors(app: Flask) -> None:
    """Register the handlers."""
    for unavailable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unavailable, handle_database_unavailable)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DomainError, handle_domain)
    if not app.debug and not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
