"""Getting back in: reset links made by an admin or manager, the page that uses them, and
"Forgot password?" by e-mail when SMTP is configured."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.account import resets
from webapp.account.forms import ConfirmForm, ForgotPasswordForm, NewPasswordForm
from webapp.account.mail import external_url, mail_enabled, send_mail
from webapp.account.pages import attempt_limit
from webapp.account.schemas import ForgotPasswordSchema, NewPasswordSchema
from webapp.account.views import bp
from webapp.auth import sessions
from webapp.domain import Invalid, NotAllowed, NotFound
from webapp.extensions import db, limiter
from webapp.forms import form_status, load_form, posted
from webapp.models import User
from webapp.security import role_required, safe_next_url, scoped_get_or_404

VALID_HOURS = resets.VALID_HOURS


def _private(body: str, status: int = 200) -> Response:
    """A page whose URL or content is a secret: never cached, never sent on as a referrer."""
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _invalid_link() -> Response:
    return _private(render_template("account/reset_invalid.html", hours=VALID_HOURS), 404)


# Making a link (admins, managers) ----------------------------------------------------------


@bp.get("/manage/passwords")
@role_required("manager")
def password_help() -> str:
    """The people I can make a password reset link for."""
    return render_template(
        "account/password_help.html",
        people=resets.people_to_help(db.session(), current_user),
        form=ConfirmForm(formdata=None),
        hours=VALID_HOURS,
    )


@bp.post("/manage/people/<int:user_id>/reset-link")
@role_required("manager")
def create_reset_link(user_id: int) -> Any:
    """Make a reset link for a person and show it once, to hand over by chat or text."""
    person = scoped_get_or_404(User, user_id)
    if person.deleted_at is not None:
        abort(404)
    back = safe_next_url(request.form.get("next")) or url_for("account.password_help")
    try:
        reset, raw = resets.create_link(db.session(), current_user, person)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except (Invalid, NotFound) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back, code=303)
    db.session.commit()
    page = render_template(
        "account/reset_link.html",
        person=person,
        link=external_url("account.reset", token=raw),
        expires_at=reset.expires_at,
        back=back,
    )
    return _private(page)


# Using a link ---------------------------------------------------------------------------------


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Any:
    """Choose a new password with a reset link; then signed in, and out everywhere else."""
    try:
        _link, person = resets.link_for(db.session(), token)
    except NotFound:
        return _invalid_link()
    form = NewPasswordForm()
    if request.method == "POST":
        data = load_form(NewPasswordSchema(), form, posted(form))
        if data:
            try:
                user = resets.reset_password(db.session(), token, data["password"])
            except NotFound:
                db.session.rollback()
                return _invalid_link()
            db.session.commit()
            sessions.sign_out(db.session())
            sessions.sign_in(db.session(), user)
            db.session.commit()
            flash(
                _("Your new password is set, %(name)s. Welcome back.", name=user.first_name),
                "success",
            )
            return redirect(url_for("moments.feed"), code=303)
    page = render_template("account/reset.html", form=form, person=person)
    return _private(page, form_status(form))


# Forgot password? (e-mail) -------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(attempt_limit, methods=["POST"])
def forgot_password() -> Any:
    """Ask for a reset link by e-mail; the answer is the same whether the address is known."""
    if not mail_enabled():
        abort(404)
    form = ForgotPasswordForm()
    if request.method == "POST":
        data = load_form(ForgotPasswordSchema(), form, posted(form))
        if data:
            _mail_a_link(data["email"])
            return render_template("account/forgot_sent.html", hours=VALID_HOURS)
    return render_template("account/forgot.html", form=form), form_status(form)


def _mail_a_link(email: str) -> None:
    made = resets.request_by_email(db.session(), email)
    if made is None:
        return
    db.session.commit()
    person, raw = made
    link = external_url("account.reset", token=raw)
    with force_locale(person.locale or person.organisation.default_locale or "en"):
        subject = _("Choose a new password for Kizuki")
        body = render_template(
            "account/reset_mail.txt", person=person, link=link, hours=VALID_HOURS
        )
    send_mail(person.email, subject, body)
