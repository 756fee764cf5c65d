"""The feed, logging a moment, and one moment's page (edit and delete for its author)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from marshmallow import Schema, ValidationError, fields, validate, validates

from webapp.extensions import db
from webapp.forms import load_form, options, posted, render_form, renew_client_id, run_service
from webapp.game import joy
from webapp.game.forms import ReversalForm
from webapp.game.schemas import ReversalSchema
from webapp.kudos.services import allowance_left, kudos_for_moment, renews_on
from webapp.models import Moment
from webapp.moments import feed
from webapp.moments import services as moments
from webapp.moments.access import own_moment, visible_moment
from webapp.moments.forms import MomentForm
from webapp.moments.schemas import MomentFormSchema
from webapp.orgs.pages import named_colleagues, page_picker
from webapp.orgs.picker import Search, posted_search
from webapp.orgs.services import active_values, org_teams, teams_of
from webapp.routing import MAX_ID, bad_parameter, posted_ids
from webapp.security import has_role, role_required, safe_next_url, scoped_get_or_404

bp = Blueprint("moments", __name__)


class FeedArgsSchema(Schema):
    """The feed's query string: filters and where the page starts."""

    team = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    value = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    before = fields.String(load_default=None)

    @validates("before")
    def _cursor(self, value: str | None, **kwargs: Any) -> None:
        try:
            if value is not None:
                feed.parse_cursor(value)
        except ValueError:
            raise ValidationError(_("This page link is not valid.")) from None


@bp.get("/", endpoint="feed")
@login_required
def feed_page() -> Any:
    """The organisation's moments and recognitions, newest first."""
    try:
        args = FeedArgsSchema().load(request.args.to_dict())
    except ValidationError as error:
        raise bad_parameter(next(iter(error.messages_dict), "before")) from None
    before = feed.parse_cursor(args["before"]) if args["before"] else None
    page = feed.feed(
        db.session(), current_user, team_id=args["team"], value_id=args["value"], before=before
    )
    return render_template(
        "moments/feed.html",
        page=page,
        team_id=args["team"],
        value_id=args["value"],
        my_teams=teams_of(db.session(), current_user),
        values=active_values(db.session(), current_user.org_id),
        kudos_renew_on=_kudos_renew_on(),
    )


@bp.route("/moments/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Log a moment: what you noticed, what you did, how the customer reacted."""
    form = MomentForm(client_id=str(uuid.uuid4()))
    _fill_choices(form)
    # The picker's search button (no JavaScript) posts the form to find colleagues: shown
    # again as typed, with the matches, nothing saved or refused.
    search = posted_search(request.form) if request.method == "POST" else None
    if request.method == "POST" and search is None:
        data = load_form(MomentFormSchema(), form, posted(form), ALIASES)
        if data:
            joy.watch(db.session())
        result = data and run_service(
            form,
            lambda: moments.log_moment(db.session(), current_user, moments.MomentInput(**data)),
            ALIASES,
        )
        if result:
            flash(_thanks(result[0]), "success")
            found = joy.events(db.session(), current_user.id)
            if result[1]:  # a replay (the same client id) earned nothing now
                joy.remember(found)
            return redirect(url_for("moments.feed"))
        renew_client_id(form)
    return _render_form(form, None, search)


@bp.get("/moments/<int:moment_id>")
@login_required
def detail(moment_id: int) -> Any:
    """One moment with the kudos the viewer may see."""
    moment = visible_moment(db.session(), current_user, moment_id)
    kudos = kudos_for_moment(db.session(), current_user, moment.id)
    return render_template(
        "moments/detail.html", moment=moment, kudos=kudos, kudos_renew_on=_kudos_renew_on()
    )


def _kudos_renew_on() -> date | None:
    """When the viewer's kudos are used up: the day new ones arrive (cards say so instead of
    offering "Give kudos"); None while some are left."""
    if allowance_left(db.session(), current_user) > 0:
        return None
    return renews_on(current_user.organisation)


@bp.route("/moments/<int:moment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(moment_id: int) -> Any:
    """The author corrects their own moment."""
    moment = own_moment(db.session(), current_user, moment_id)
    form = MomentForm(obj=moment, formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.value_ids.data = [str(v.id) for v in moment.values]
        form.colleague_ids.data = [str(c.id) for c in moment.colleagues]
        form.team_id.data = str(moment.team_id)
        cost = moment.gesture_cost_cents
        form.gesture_cost.data = f"{cost / 100:.2f}".replace(".", ",") if cost else ""
    form.client_id.data = moment.client_id
    _fill_choices(form, moment)
    search = posted_search(request.form) if request.method == "POST" else None
    if request.method == "POST" and search is None:
        data = load_form(MomentFormSchema(), form, {**posted(form), "client_id": moment.client_id})
        done = data and run_service(
            form,
            lambda: moments.edit_moment(
                db.session(), current_user, moment, moments.MomentInput(**data)
            ),
            ALIASES,
        )
        if done:
            flash(_("Your moment was updated."), "success")
            return redirect(url_for("moments.detail", moment_id=moment.id))
    return _render_form(form, moment, search)


@bp.post("/moments/<int:moment_id>/delete")
@login_required
def delete(moment_id: int) -> Any:
    """The author deletes their own moment (its points are reversed)."""
    moment = own_moment(db.session(), current_user, moment_id)
    moments.delete_moment(db.session(), current_user, moment)
    db.session.commit()
    flash(_("Your moment was deleted."), "info")
    return redirect(url_for("moments.feed"))


# Service errors name the euro field the page shows, not the cents the API takes.
ALIASES = {"gesture_cost_cents": "gesture_cost"}


def _fill_choices(form: MomentForm, moment: Moment | None = None) -> None:
    session = db.session()
    teams = teams_of(session, current_user)
    if not teams and has_role(current_user, "manager"):
        teams = org_teams(session, current_user.org_id)
    if moment is not None and moment.team_id not in {t.id for t in teams}:
        teams = [moment.team, *teams]
    form.team_id.choices = options({t.id: t.name for t in teams})
    if len(teams) == 1 and not form.team_id.data:
        form.team_id.data = str(teams[0].id)
    values = active_values(session, current_user.org_id)
    form.value_ids.choices = options({v.id: v.name for v in values})
    # A posted form is checked against the colleagues it names, an edited moment against its
    # own; the picker loads only the people it shows (`_render_form`).
    named_colleagues(session, current_user, form.colleague_ids, posted_ids(form.colleague_ids.data))


def _render_form(form: MomentForm, moment: Moment | None, search: Search | None = None) -> Any:
    session = db.session()
    # Only the people shown: the team, recent colleagues, those chosen, the search's matches.
    picker = page_picker(
        session, current_user, chosen=posted_ids(form.colleague_ids.data), search=search
    )
    budget = current_user.organisation.gesture_budget_cents
    spent = moments.gesture_spent_this_month(db.session(), current_user)
    return render_form(
        "moments/form.html",
        form,
        moment=moment,
        budget_left=max(budget - spent, 0),
        single_team=len(form.team_id.choices or []) == 1,
        colleague_picker=picker,
    )


def _thanks(moment: Moment) -> str:
    points, note = feed.moment_points(db.session(), moment.id)
    thanks = _("Moment logged — thank you for noticing.")
    if points:
        earned = ngettext("You earned %(num)d point.", "You earned %(num)d points.", points)
        return f"{thanks} {earned}"
    if note == "outside_hours":
        return f"{thanks} " + _(
            "It was logged outside your working hours, so it earns no points: "
            "rest is part of good work."
        )
    if note == "daily_cap":
        return f"{thanks} " + _(
            "You have reached today's points for moments; this one still counts for your team's "
            "story."
        )
    return thanks


# A manager's reversal, and a colleague's "guest delighted" ---------------------------


@bp.route("/moments/<int:moment_id>/reverse", methods=["GET", "POST"])
@role_required("manager")
def reverse_moment(moment_id: int) -> Any:
    """A manager reverses an abusive moment, with a reason."""
    moment = scoped_get_or_404(Moment, moment_id)
    form = ReversalForm()
    if request.method == "POST":
        data = load_form(ReversalSchema(), form, posted(form))
        done = data and run_service(
            form,
            lambda: moments.reverse_moment(db.session(), current_user, moment, data["reason"]),
        )
        if done:
            flash(_("The moment was reversed and hidden from the feed."), "success")
            return redirect(_next_or("moments.feed"))
    return render_form("game/reverse.html", form, moment=moment, kudos=None)


@bp.post("/moments/<int:moment_id>/delighted")
@login_required
def mark_delighted(moment_id: int) -> Any:
    """A colleague or manager marks the guest's reaction as delighted."""
    moment = scoped_get_or_404(Moment, moment_id)
    moments.mark_delighted(db.session(), current_user, moment)
    db.session.commit()
    flash(_("Marked as delighted. Thank you for noticing."), "success")
    return redirect(_next_or("moments.detail", moment_id=moment.id))


def _next_or(endpoint: str, **values: Any) -> str:
    return safe_next_url(request.form.get("next")) or url_for(endpoint, **values)
