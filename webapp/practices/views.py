"""Practices pages: a team's practices (for everyone), one practice and how it spread,
adopting a moment (managers), and linking a moment that repeats a practice."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from webapp.channels.delivery import send_staged
from webapp.extensions import db
from webapp.forms import load_form, options, render_form, run_service
from webapp.insights.charts import column_chart
from webapp.insights.figures import week_label
from webapp.insights.periods import boundaries, complete_weeks
from webapp.models import Moment
from webapp.moments.access import visible_moment
from webapp.orgs.services import org_teams, teams_of
from webapp.practices import services as practices
from webapp.practices.access import can_adopt, can_link
from webapp.practices.forms import AdoptForm, LinkForm
from webapp.practices.schemas import AdoptSchema, LinkSchema, TeamArgsSchema
from webapp.security import role_required

bp = Blueprint("practices", __name__)


@bp.get("/practices")
@login_required
def index() -> Any:
    """A team's practices ("how we do it here") and how far each spread."""
    session = db.session()
    try:
        args = TeamArgsSchema().load(request.args.to_dict())
    except ValidationError:
        abort(400)
    teams = org_teams(session, current_user.org_id)
    if not teams:
        return render_template("practices/index.html", team=None, teams=[], spreads=[])
    mine = teams_of(session, current_user)
    team = practices.team_of(session, current_user, args["team_id"], mine or teams)
    spreads = practices.team_practices(session, current_user.org_id, team.id)
    return render_template("practices/index.html", team=team, teams=teams, spreads=spreads)


@bp.get("/practices/<int:practice_id>")
@login_required
def detail(practice_id: int) -> Any:
    """One practice: the story it came from, and the moments that repeat it."""
    view = practices.practice_view(db.session(), current_user, practice_id)
    org = current_user.organisation
    mondays = complete_weeks(org)
    counts = practices.repeats_by_week(
        db.session(), view.practice, mondays, boundaries(mondays, org.timezone)
    )
    labels = [week_label(m) for m in mondays]
    return render_template(
        "practices/detail.html",
        view=view,
        chart=column_chart(counts, labels),
        weekly=list(zip(labels, counts, strict=True)),
    )


@bp.route("/moments/<int:moment_id>/adopt", methods=["GET", "POST"])
@role_required("manager")
def adopt(moment_id: int) -> Any:
    """Adopt a moment as a team practice: give it a short title."""
    moment = visible_moment(db.session(), current_user, moment_id)
    if not can_adopt(current_user, moment):
        abort(404)
    form = AdoptForm()
    if request.method == "POST":
        data = load_form(AdoptSchema(), form, request.form)
        practice = data and run_service(
            form,
            lambda: practices.adopt_practice(db.session(), current_user, moment.id, data["title"]),
        )
        if practice:
            send_staged(db.session())
            flash(
                _(
                    "%(title)s is now a practice of %(team)s.",
                    title=practice.title,
                    team=practice.team.name,
                ),
                "success",
            )
            return redirect(url_for("practices.detail", practice_id=practice.id))
    return render_form("practices/adopt.html", form, moment=moment)


@bp.post("/moments/<int:moment_id>/practices")
@login_required
def link(moment_id: int) -> Any:
    """Say that this moment repeats one of its team's practices (its author or a manager)."""
    moment = visible_moment(db.session(), current_user, moment_id)
    if not can_link(current_user, moment):
        abort(403)
    form = LinkForm()
    form.practice_id.choices = options(
        {p.id: p.title for p in practices.linkable_practices(db.session(), moment)}
    )
    data = load_form(LinkSchema(), form, request.form)
    done = data and run_service(
        form,
        lambda: practices.link_moment(db.session(), current_user, moment.id, data["practice_id"]),
    )
    if done:
        flash(_("Linked: this moment repeats %(title)s.", title=done.title), "success")
        return redirect(url_for("moments.detail", moment_id=moment.id))
    return render_form("practices/link.html", form, moment=moment)


@bp.post("/moments/<int:moment_id>/practices/<int:practice_id>/remove")
@login_required
def unlink(moment_id: int, practice_id: int) -> Any:
    """Take back that this moment repeats a practice."""
    practices.unlink_moment(db.session(), current_user, moment_id, practice_id)
    db.session.commit()
    flash(_("The link to the practice is removed."), "success")
    return redirect(url_for("moments.detail", moment_id=moment_id))


def moment_practices(moment: Moment) -> dict[str, Any]:
    """What a moment's page shows about practices (a template global, so the moment pages
    need not know this feature): adopted from it, repeated by it, and the forms for those
    who may adopt it or link it."""
    adopted, repeats = practices.practices_of_moment(db.session(), moment)
    linking = can_link(current_user, moment)
    form = None
    if linking:
        choices = practices.linkable_practices(db.session(), moment)
        if choices:
            form = LinkForm()
            form.practice_id.choices = options({p.id: p.title for p in choices})
    return {
        "adopted": adopted,
        "repeats": repeats,
        "can_adopt": can_adopt(current_user, moment) and not adopted,
        "can_link": linking,
        "form": form,
    }
