"""Giving kudos: to colleagues, a whole team, or for a moment."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.forms import load_form, options, posted, render_form, renew_client_id, run_service
from webapp.game import joy
from webapp.game.forms import ReversalForm
from webapp.game.schemas import ReversalSchema
from webapp.kudos import services as kudos_services
from webapp.kudos.forms import KudosForm
from webapp.kudos.schemas import KudosFormSchema
from webapp.models import Kudos, Moment
from webapp.orgs.pages import named_colleagues, page_picker
from webapp.orgs.picker import posted_search
from webapp.orgs.services import active_values, org_teams
from webapp.routing import MAX_ID, is_digits, posted_ids, query_id
from webapp.security import role_required, safe_next_url, scoped_get_or_404

bp = Blueprint("kudos", __name__)


# The service speaks of "receivers"; a moment-level conflict is about the people chosen too.
ALIASES = {"receivers": "receiver_ids", "moment_id": "receiver_ids"}
NAMES_SHOWN = 3


@bp.route("/kudos/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """The kudos form; `?moment=<id>` or `?to=<user id>` preselects who is thanked."""
    session = db.session()
    moment = _moment(request.values.get("moment_id") or request.args.get("moment"))
    posting = request.method == "POST"
    # The picker's search button (no JavaScript) posts the form to find colleagues: shown
    # again as typed, with the matches, nothing saved or refused.
    search = posted_search(request.form) if posting else None
    # A form is checked against the colleagues it names or preselects (a chain has
    # thousands); the picker loads only the people it shows.
    named = posted_ids(request.form.getlist("receiver_ids")) if posting else _wanted(moment)
    form = KudosForm(client_id=str(uuid.uuid4()), moment_id=str(moment.id) if moment else "")
    people = named_colleagues(session, current_user, form.receiver_ids, named)
    if request.method == "GET":
        form.receiver_ids.data = [str(p.id) for p in people]
        if moment is not None and moment.values:
            # Thanks for a moment usually name the value the moment showed.
            form.value_id.data = str(moment.values[0].id)
    form.team_id.choices = options(
        {t.id: t.name for t in org_teams(session, current_user.org_id)}, _("No team")
    )
    form.value_id.choices = options(
        {v.id: v.name for v in active_values(session, current_user.org_id)}, _("Choose a value")
    )
    if posting and search is None:
        data = load_form(KudosFormSchema(), form, posted(form), ALIASES)
        if data:
            joy.watch(session)
        result = data and run_service(
            form,
            lambda: kudos_services.give_kudos(
                session, current_user, kudos_services.KudosInput(**data)
            ),
            ALIASES,
        )
        if result:
            flash(_sent(result[0]), "success")
            found = joy.events(session, current_user.id)
            if result[1]:  # a replay (the same client id) earned nothing now
                joy.remember(found)
            if moment is not None:
                return redirect(url_for("moments.detail", moment_id=moment.id))
            return redirect(url_for("moments.feed"))
        renew_client_id(form)
    return render_form(
        "kudos/new.html",
        form,
        moment=moment,
        picker=page_picker(
            session, current_user, chosen=posted_ids(form.receiver_ids.data), search=search
        ),
        left=kudos_services.allowance_left(session, current_user),
        renews_on=kudos_services.renews_on(current_user.organisation),
        given_to=kudos_services.given_this_week(session, current_user),
        same_receiver_cap=current_user.organisation.kudos_same_receiver_weekly_cap,
    )


def _moment(raw: str | None) -> Moment | None:
    if not raw:
        return None
    if not is_digits(raw):
        abort(404)
    moment_id = query_id("moment", raw)
    if moment_id is None:
        return None
    moment = scoped_get_or_404(Moment, moment_id)
    if moment.deleted_at is not None or moment.reversed_at is not None:
        abort(404)
    return moment


def _wanted(moment: Moment | None) -> list[int]:
    """Who is ticked when the form opens (if they are colleagues): the moment's people, or
    `?to=`."""
    if moment is not None:
        return [moment.author_id, *(c.id for c in moment.colleagues)]
    to = request.args.get("to", "")
    return [int(to)] if is_digits(to) and len(to) <= len(str(MAX_ID)) else []


def _sent(made: list[Kudos]) -> str:
    names = [k.receiver.name for k in made]
    shown = ", ".join(names[:NAMES_SHOWN])
    others = len(names) - NAMES_SHOWN
    if others > 0:
        return ngettext(
            "Kudos sent to %(names)s and %(num)d other. Thank you for noticing.",
            "Kudos sent to %(names)s and %(num)d others. Thank you for noticing.",
            others,
            names=shown,
        )
    return _("Kudos sent to %(names)s. Thank you for noticing.", names=shown)


@bp.route("/kudos/<int:kudos_id>/reverse", methods=["GET", "POST"])
@role_required("manager")
def reverse_kudos(kudos_id: int) -> Any:
    """A manager reverses abusive kudos, with a reason."""
    kudos = scoped_get_or_404(Kudos, kudos_id)
    form = ReversalForm()
    if request.method == "POST":
        data = load_form(ReversalSchema(), form, posted(form))
        done = data and run_service(
            form,
            lambda: kudos_services.reverse_kudos(db.session(), current_user, kudos, data["reason"]),
        )
        if done:
            flash(_("The kudos were reversed and hidden."), "success")
            return redirect(_next_or("moments.feed"))
    return render_form("game/reverse.html", form, moment=None, kudos=kudos)


def _next_or(endpoint: str, **values: Any) -> str:
    return safe_next_url(request.form.get("next")) or url_for(endpoint, **values)
