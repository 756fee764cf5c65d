"""My account pages: change my password, my API tokens, download my data, delete my account."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from webapp.account import services
from webapp.account.export import personal_data
from webapp.account.forms import (
    SCOPE_LABELS,
    ConfirmForm,
    DeleteAccountForm,
    PasswordChangeForm,
    TokenForm,
)
from webapp.account.pages import attempt_limit
from webapp.account.schemas import DeleteAccountSchema, PasswordChangeSchema
from webapp.auth import sessions, tokens
from webapp.auth.schemas import TokenCreateSchema
from webapp.extensions import db, limiter
from webapp.forms import form_status, load_form, posted, run_service
from webapp.routing import reject_impossible_ids
from webapp.timeutil import utcnow

bp = Blueprint("account", __name__)

# An id beyond the database's integer range names nothing: 404, not a PostgreSQL error.
bp.before_request(reject_impossible_ids)


# Password -----------------------------------------------------------------------------------


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
@limiter.limit(attempt_limit, methods=["POST"])
def password() -> Any:
    """Change my password: every other session ends, this one stays signed in."""
    form = PasswordChangeForm()
    if request.method == "POST":
        data = load_form(PasswordChangeSchema(), form, posted(form))
        user = data and run_service(
            form,
            lambda: services.change_password(
                db.session(), current_user, data["current_password"], data["password"]
            ),
        )
        if user:
            _stay_signed_in()
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("profile.me"), code=303)
    return render_template("account/password.html", form=form), form_status(form)


def _stay_signed_in() -> None:
    # Every session of the person just ended (their version moved on): this browser signs
    # in again with a new one (keeping "remember me" if it had it).
    remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    remember = remember_cookie in request.cookies
    sessions.sign_in(db.session(), current_user._get_current_object(), remember=remember)
    db.session.commit()


@bp.post("/me/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Any:
    """End every session of mine, on every device, this one included."""
    sessions.end_all(db.session(), current_user._get_current_object())
    sessions.sign_out(db.session())
    db.session.commit()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"), code=303)


# API tokens -----------------------------------------------------------------------------------


@bp.route("/me/tokens", methods=["GET", "POST"])
@login_required
@limiter.limit(attempt_limit, methods=["POST"])
def api_tokens() -> Any:
    """My personal API tokens; a new one is shown once, right here."""
    form = TokenForm()
    created = None
    if request.method == "POST":
        data = load_form(TokenCreateSchema(), form, posted(form))
        made = data and run_service(
            form,
            lambda: tokens.create_token(db.session(), current_user, data["name"], data["scope"]),
        )
        if made:
            created = {"token": made[0], "raw": made[1]}
            form = TokenForm(formdata=None)
    response = Response(
        render_template(
            "account/tokens.html",
            form=form,
            created=created,
            items=tokens.tokens_of(db.session(), current_user),
            scope_labels=SCOPE_LABELS,
            revoke_form=ConfirmForm(formdata=None),
        ),
        status=form_status(form),
    )
    # The page may carry a token shown only once: no cache keeps it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/me/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Any:
    """Revoke one of my tokens: it stops working at once."""
    token = run_service(
        ConfirmForm(), lambda: tokens.revoke_token(db.session(), current_user, token_id)
    )
    if token is None:
        abort(404)
    flash(_("Token %(name)s is revoked. It no longer works.", name=token.name), "success")
    return redirect(url_for("account.api_tokens"), code=303)


@bp.post("/me/tokens/revoke-all")
@login_required
def revoke_all_tokens() -> Any:
    """Revoke every token of mine at once."""
    count = run_service(ConfirmForm(), lambda: tokens.revoke_all(db.session(), current_user))
    if count is None:
        abort(400)
    flash(
        ngettext(
            "%(num)d token is revoked. It no longer works.",
            "%(num)d tokens are revoked. They no longer work.",
            count,
        ),
        "success",
    )
    return redirect(url_for("account.api_tokens"), code=303)


# My data ------------------------------------------------------------------------------------


@bp.get("/me/export")
@login_required
def export() -> Response:
    """Download everything Kizuki holds about me, as a JSON file."""
    data = personal_data(db.session(), current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    filename = f"kizuki-my-data-{utcnow():%Y-%m-%d}.json"
    response = Response(body + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# Deleting my account ------------------------------------------------------------------------


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(attempt_limit, methods=["POST"])
def delete() -> Any:
    """Delete my account after my password confirms it; I am signed out at once."""
    form = DeleteAccountForm()
    if request.method == "POST":
        data = load_form(DeleteAccountSchema(), form, posted(form))
        done = data and run_service(form, lambda: _deleted(data["password"]))
        if done:
            sessions.sign_out(db.session())
            db.session.commit()
            flash(_("Your account is deleted. Thank you for everything you noticed."), "info")
            return redirect(url_for("auth.login"), code=303)
    return render_template(
        "account/delete.html", form=form, anonymous_name=services.anonymous_name(current_user)
    ), form_status(form)


def _deleted(password: str) -> bool:
    services.delete_account(db.session(), current_user, password)
    return True
