"""The app-wide request hooks run in the one order `webapp.hooks.init_hooks` gives them."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_wtf.csrf import CSRFProtect

from webapp.compression import compress_response
from webapp.forms import share_form_translations
from webapp.hooks import (
    assign_request_id,
    echo_request_id,
    init_hooks,
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


def stray() -> None:
    """A request hook of nobody init_hooks knows."""


@pytest.mark.parametrize("kind", ["before", "after"])
def test_a_hook_registered_by_anything_else_stops_the_app_from_starting(kind: str) -> None:
    # Kept anywhere, it could run between the CSRF check and the first-run redirect (or
    # twice, were init_hooks run again): rather no app than a quietly wrong order.
    app = Flask(__name__)
    CSRFProtect(app)
    if kind == "before":
        app.before_request(stray)
    else:
        app.after_request(stray)
    with pytest.raises(RuntimeError, match="test_hook_order.stray"):
        init_hooks(app)


def test_the_known_extensions_hooks_keep_their_place() -> None:
    app = Flask(__name__)
    CSRFProtect(app)
    init_hooks(app)
    hooks = app.before_request_funcs[None]
    assert modules(hooks[3:-1]) == {"flask_wtf"}
    assert hooks[-1] == lead_to_setup
    with pytest.raises(RuntimeError, match="init_hooks"):
        init_hooks(app)  # run twice, its own hooks are strays
