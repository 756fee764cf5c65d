"""Signing in and out, and accepting an invite link."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth import services, sessions, throttle
from webapp.auth.forms import InviteAcceptForm, LoginForm
from webapp.auth.schemas import InviteAcceptSchema, LoginSchema
from webapp.domain import NotFound
from webapp.extensions import db, limiter
from webapp.forms import load_form, posted, render_form, run_service
from webapp.labels import ORG_ROLE_LABELS, TEAM_ROLE_LABELS
from webapp.orgs.services import organisation
from webapp.security import safe_next_url

bp = Blueprint("auth", __name__)
RETURNING_COOKIE = "kizuki_returning"
RETURNING_MAX_AGE = 2 * 365 * 24 * 3600


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttle.address_limit, methods=["POST"])
@limiter.shared_limit(
    throttle.account_limit,
    scope="sign-in-account",
    key_func=throttle.account_key,
    methods=["POST"],
    deduct_when=throttle.failed,
)
def login() -> Any:
    """The sign-in form; one generic message for any wrong e-mail or password."""
    target = safe_next_url(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(target or url_for("moments.feed"))
    form = LoginForm(next=target or "")
    if request.method == "POST":
        data = load_form(LoginSchema(), form, posted(form))
        if data is not None:
            user = services.authenticate(db.session(), data["email"], data["password"])
            if user is not None:
                sessions.sign_in(db.session(), user, remember=data["remember"])
                db.session.commit()
                response = redirect(target or url_for("moments.feed"))
                remember_returning(response)
                return response
            form.form_errors.append(_("That e-mail address and password do not match."))
    returning = request.cookies.get(RETURNING_COOKIE) == "1"
    return render_form("auth/login.html", form, returning=returning)


def remember_returning(response: Any) -> None:
    """Someone signed in on this device before: the sign-in page says "Welcome back"."""
    response.set_cookie(
        RETURNING_COOKIE,
        "1",
        max_age=RETURNING_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


@bp.post("/logout")
def logout() -> Any:
    """Sign out (POST with a CSRF token, so a link elsewhere cannot sign you out)."""
    sessions.sign_out(db.session())
    db.session.commit()
    flash(_("You are signed out. See you next time."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> Any:
    """An invitee chooses a name, e-mail and password, and lands in the feed signed in."""
    try:
        invite = services.invite_for(db.session(), token)
    except NotFound:
        return render_template("auth/invite_invalid.html"), 404
    form = InviteAcceptForm()
    if request.method == "GET":
        # An imported person finds their name and e-mail filled in; they may change both.
        form.name.data = form.name.data or invite.name
        form.email.data = form.email.data or invite.email
    if request.method == "POST":
        data = load_form(InviteAcceptSchema(), form, posted(form))
        user = data and run_service(form, lambda: services.accept_invite(db.session(), token, data))
        if user:
            sessions.sign_out(db.session())
            sessions.sign_in(db.session(), user)
            db.session.commit()
            flash(
                _(
                    "Welcome to %(org)s, %(name)s!",
                    org=user.organisation.name,
                    name=user.first_name,
                ),
                "success",
            )
            return redirect(url_for("moments.feed"))
    return render_form(
        "auth/invite.html",
        form,
        invite=invite,
        organisation=organisation(db.session(), invite.org_id),
        team=services.invite_team(db.session(), invite),
        role_label=ORG_ROLE_LABELS.get(invite.role, invite.role),
        team_role_label=TEAM_ROLE_LABELS.get(invite.team_role, invite.team_role),
    )
