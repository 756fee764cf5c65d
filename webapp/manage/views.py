"""The manager's pages: the shepherd overview and recognizing a colleague."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate

from webapp.channels.delivery import send_staged
from webapp.extensions import db
from webapp.forms import load_form, options, posted, render_form, run_service
from webapp.insights import trends
from webapp.insights.figures import week_label, weekly_chart
from webapp.manage import services as manage
from webapp.manage.forms import RecognizeForm
from webapp.models import User
from webapp.orgs.pages import named_colleagues, page_picker
from webapp.orgs.picker import posted_search
from webapp.orgs.services import colleagues
from webapp.recognition.schemas import AWARDS, RecognitionCreateSchema
from webapp.recognition.services import RecognitionInput
from webapp.routing import MAX_ID, bad_parameter, posted_ids
from webapp.security import role_required

bp = Blueprint("manage", __name__)


class FragmentArgsSchema(Schema):
    """The query string of the recognition form's moments fragment."""

    to = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))


@bp.get("/manage")
@role_required("manager")
def index() -> str:
    """The quiet corner, coverage, gesture budgets and recent gestures of my teams, a page
    of teams at a time (`?after=<team name>`)."""
    after = request.args.get("after", "").strip()[:80] or None
    overview = manage.overview(db.session(), current_user._get_current_object(), after)
    weekly = trends.glance(
        db.session(), current_user.organisation, [c.team.id for c in overview.teams]
    )
    return render_template(
        "manage/index.html",
        overview=overview,
        quiet_days=manage.QUIET_DAYS,
        after=after,
        weekly=weekly,
        weekly_chart=weekly_chart(weekly),
        week_labels=[week_label(w) for w in weekly.weeks],
    )


@bp.route("/manage/recognize", methods=["GET", "POST"])
@role_required("manager")
def recognize() -> Any:
    """Recognize a colleague, citing their moments."""
    form = RecognizeForm(recipient_id=request.args.get("to", ""))
    # Only the colleague chosen is needed to check the form (a chain has thousands); the
    # picker loads only the people it shows.
    named = posted_ids([form.recipient_id.data])
    people = named_colleagues(
        db.session(), current_user, form.recipient_id, named, _("Choose a colleague")
    )
    form.award.choices = options(AWARDS, _("No award"))
    recipient = _chosen(people, form.recipient_id.data)
    moments = manage.citable_moments(db.session(), recipient) if recipient else []
    form.moment_ids.choices = options({m.id: m.cue for m in moments})
    # The picker's search button (no JavaScript) shows the form again with the matches.
    search = posted_search(request.form) if request.method == "POST" else None
    if request.method == "POST" and "show_moments" not in request.form and search is None:
        data = load_form(RecognitionCreateSchema(), form, posted(form))
        recognition = data and run_service(
            form,
            lambda: manage.give_recognition(db.session(), current_user, RecognitionInput(**data)),
        )
        if recognition:
            send_staged(db.session())
            flash(
                _(
                    "%(name)s has been recognized. Thank you for noticing.",
                    name=recognition.recipient.name,
                ),
                "success",
            )
            return redirect(url_for("profile.show", user_id=recognition.recipient_id))
    return render_form(
        "manage/recognize.html",
        form,
        recipient=recipient,
        moments=moments,
        picker=page_picker(
            db.session(), current_user, chosen=[p.id for p in people], search=search
        ),
    )


@bp.get("/manage/recognize/moments")
@role_required("manager")
def recognize_moments() -> Any:
    """The moments part of the recognition form for `?to=<user id>`, as an HTML fragment the
    form's script swaps in when a colleague is chosen (without JavaScript the form's "Show
    their moments" button reloads the page instead). Only colleagues the manager may
    recognize: anyone else is a 404, a malformed id a 400; no `to` is the "choose" hint."""
    try:
        args = FragmentArgsSchema().load(request.args.to_dict())
    except ValidationError as error:
        raise bad_parameter(next(iter(error.messages_dict), "to")) from None
    recipient = None
    if args["to"] is not None:
        people = colleagues(db.session(), current_user, among=[args["to"]])
        recipient = _chosen(people, args["to"])
        if recipient is None:
            abort(404)
    return render_template(
        "manage/_recognize_moments.html",
        recipient=recipient,
        moments=manage.citable_moments(db.session(), recipient) if recipient else [],
        chosen=[],
        errors=[],
    )


def _chosen(people: list[User], raw: Any) -> User | None:
    """The chosen recipient among the organisation's colleagues (anyone else: nobody)."""
    wanted = str(raw or "")
    return next((p for p in people if str(p.id) == wanted), None)
