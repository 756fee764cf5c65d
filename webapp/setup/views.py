"""Pages for starting an organisation: the first-run /setup, the optional self-service
sign-up, and the short guided start that follows either."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from webapp.auth import sessions
from webapp.domain import NotFound
from webapp.extensions import db, limiter
from webapp.forms import load_form, posted, render_form, run_service
from webapp.orgs.schemas import time_zones
from webapp.security import role_required
from webapp.setup import services
from webapp.setup.forms import GuidedStartForm, OrganisationStartForm
from webapp.setup.schemas import GuidedStartSchema, OrganisationStartSchema
from webapp.setup.starters import SECTOR_LABELS, starter_values

bp = Blueprint("setup", __name__)

# Pages an empty server still serves as themselves; every other page leads to /setup.
_SERVED_BEFORE_SETUP = {"static", "setup.first_run", "setup.signup", "pwa", "health"}


def _signup_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGNUP"])


def lead_to_setup() -> Any:
    """On a server without any organisation, every page leads to /setup (an app-wide
    before-request hook, placed in the app's order by `webapp.hooks.init_hooks`)."""
    endpoint = request.endpoint or ""
    if request.path.startswith("/api/") or endpoint in _SERVED_BEFORE_SETUP:
        return None
    if endpoint.split(".")[0] in _SERVED_BEFORE_SETUP:
        return None
    # Someone signed in belongs to an organisation: no look needed. Otherwise look every
    # time (one indexed row): `remove-demo` may empty the database while servers run.
    if current_user.is_authenticated or services.has_organisation(db.session()):
        return None
    return redirect(url_for("setup.first_run"))


@bp.route("/setup", methods=["GET", "POST"])
def first_run() -> Any:
    """The first organisation of this server and its admin; gone once one exists."""
    if services.has_organisation(db.session()):
        abort(404)
    form = OrganisationStartForm()
    if request.method == "POST":
        data = load_form(OrganisationStartSchema(), form, posted(form))
        admin = data and run_service(form, lambda: _first_run_or_404(data))
        if admin:
            return _signed_in(admin)
    return _start_page(form, signup=False)


def _first_run_or_404(data: Any) -> Any:
    try:
        return services.start_first_run(db.session(), data)
    except NotFound:
        # Someone else finished /setup a moment ago: the page is gone for good.
        db.session.rollback()
        abort(404)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup() -> Any:
    """Self-service sign-up (KIZUKI_OPEN_SIGNUP): a new organisation with its first admin."""
    if not current_app.config.get("OPEN_SIGNUP"):
        abort(404)
    form = OrganisationStartForm()
    if request.method == "POST":
        data = load_form(OrganisationStartSchema(), form, posted(form))
        admin = data and run_service(form, lambda: services.start_organisation(db.session(), data))
        if admin:
            return _signed_in(admin)
    return _start_page(form, signup=True)


def _start_page(form: OrganisationStartForm, signup: bool) -> tuple[str, int]:
    if request.method == "POST":
        # What was typed stays: only a fresh form takes the browser's zone.
        kept = dict(form.timezone.render_kw or {})
        kept.pop("data-browser-timezone", None)
        form.timezone.render_kw = kept
    return render_form("setup/start.html", form, signup=signup, time_zones=sorted(time_zones()))


def _signed_in(admin: Any) -> Any:
    logout_user()
    sessions.sign_in(db.session(), admin)
    db.session.commit()
    flash(_("Welcome, %(name)s! Your organisation is ready.", name=admin.first_name), "success")
    return redirect(url_for("setup.guided"))


@bp.route("/setup/start", methods=["GET", "POST"])
@role_required("admin")
def guided() -> Any:
    """A short, skippable start: starter values, the first teams, then invites."""
    form = GuidedStartForm()
    if request.method == "POST":
        data = load_form(GuidedStartSchema(), form, posted(form))
        added = data and run_service(
            form,
            lambda: services.apply_guided_start(
                db.session(), current_user, data["sector"], data["team_names"]
            ),
        )
        if added:
            flash(
                _("Added %(values)d values and %(teams)d teams.", values=added[0], teams=added[1]),
                "success",
            )
            return redirect(url_for("admin.invites"))
    locale = current_user.organisation.default_locale
    examples = {key: starter_values(key, locale) for key in SECTOR_LABELS}
    return render_form("setup/guided.html", form, examples=examples)
