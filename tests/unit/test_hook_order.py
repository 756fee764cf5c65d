"""The app-wide request hooks run in the one order `webapp.hooks.init_hooks` gives them."""

from __future__ import annotations

from flask import Flask

from webapp.compression import compress_response
from webapp.forms import share_form_translations
from webapp.hooks import (
    assign_request_id,
    echo_request_id,
    refuse_unreadable_json,
    security_headers,
)
from webapp.setup.views import lead_to_setup


def modules(hooks: list) -> set[str]:  # type: ignore[type-arg]
    """Where the hooks come from (a bound method or partial: its function's package)."""
    return {getattr(hook, "func", hook).__module__.split(".")[0] for hook in hooks}


def test_before_each_request_the_id_comes_first_and_the_first_run_redirect_last(
    app: Flask,
) -> None:
    hooks = app.before_request_funcs[None]
    assert hooks[:3] == [assign_request_id, refuse_unreadable_json, share_form_translations]
    assert hooks[-1] == lead_to_setup
    # Between them only the extensions' checks (CSRF; the rate limit when it is enabled).
    assert modules(hooks[3:-1]) <= {"flask_wtf", "flask_limiter"}
    assert "flask_wtf" in modules(hooks[3:-1])


def test_after_each_request_the_headers_are_set_before_the_body_is_compressed(
    app: Flask,
) -> None:
    # Flask runs these last to first.
    hooks = app.after_request_funcs[None]
    assert hooks[-2:] == [echo_request_id, security_headers]
    assert hooks[0] == compress_response
    assert modules(hooks[1:-2]) <= {"flask_login", "flask_limiter"}
