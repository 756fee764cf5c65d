"""The manager's insight pages: trends, what works, gesture budgets as a conversation,
calibrated patterns, and the export. Managers and admins only; every figure is limited to the
teams they look after (`insights/access.py`)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from webapp.domain import NotFound
from webapp.extensions import db
from webapp.forms import attach_errors, form_status, load_form, options
from webapp.insights import access, budget, patterns, trends, works
from webapp.insights.export import ExportScope, csv_lines
from webapp.insights.figures import trend_charts
from webapp.insights.forms import DismissForm, ExportForm, TeamFilterForm, WorksFilterForm
from webapp.insights.periods import since_days
from webapp.insights.schemas import (
    DismissSchema,
    ExportQuerySchema,
    TeamQuerySchema,
    WorksQuerySchema,
)
from webapp.models import Team
from webapp.orgs.services import active_values
from webapp.security import role_required
from webapp.timeutil import local_date, utcnow

bp = Blueprint("insights", __name__)

EXPORT_DEFAULT_DAYS = 90


def _teams() -> tuple[list[Team], bool]:
    return access.teams_in_view(db.session(), current_user)


def _team_choice(
    form: TeamFilterForm, teams: list[Team], data: dict[str, Any] | None
) -> list[Team]:
    """The teams the filter chose (all of mine by default); a team that is not mine is a
    field error and shows all of mine."""
    form.team_id.choices = options({t.id: t.name for t in teams}, _("All your teams"))
    chosen = access.chosen_teams(teams, (data or {}).get("team_id"))
    if chosen is None:
        attach_errors(form, {"team_id": [_("Choose one of your teams.")]})
        return teams
    return chosen


@bp.get("/manage/trends")
@role_required("manager")
def trends_page() -> Any:
    """Moments, kudos and recognitions week by week, by value, and how widely they reach."""
    teams, _all = _teams()
    form = TeamFilterForm(formdata=request.args)
    data = load_form(TeamQuerySchema(), form, request.args)
    chosen = _team_choice(form, teams, data)
    found = trends.trends(db.session(), current_user.organisation, [t.id for t in chosen])
    return render_template(
        "insights/trends.html",
        form=form,
        teams=chosen,
        trends=found,
        charts=trend_charts(found),
    ), form_status(form)


@bp.get("/manage/what-works")
@role_required("manager")
def what_works() -> Any:
    """The cues and actions that most often delighted, the values behind them, the stories."""
    teams, _all = _teams()
    form = WorksFilterForm(formdata=request.args)
    form.period.choices = options(_period_labels())
    form.value_id.choices = options(
        {v.id: v.name for v in active_values(db.session(), current_user.org_id)}, _("Any value")
    )
    data = load_form(WorksQuerySchema(), form, request.args) or {}
    chosen = _team_choice(form, teams, data)
    period = data.get("period") or works.DEFAULT_PERIOD
    form.period.data = period
    scope = works.Scope(
        team_ids=[t.id for t in chosen],
        since=since_days(works.PERIODS[period]),
        value_id=data.get("value_id"),
        query=data.get("q") or "",
    )
    found = works.what_works(db.session(), current_user.org_id, scope)
    return render_template(
        "insights/what_works.html", form=form, found=found, scope=scope, period=period
    ), form_status(form)


def _period_labels() -> dict[str, str]:
    return {
        "4w": _("Last 4 weeks"),
        "12w": _("Last 12 weeks"),
        "12m": _("Last 12 months"),
    }


@bp.get("/manage/budget")
@role_required("manager")
def budget_page() -> Any:
    """Per person: budget, this month's gestures and their reactions, last month beside it."""
    teams, _all = _teams()
    form = TeamFilterForm(formdata=request.args)
    data = load_form(TeamQuerySchema(), form, request.args)
    chosen = _team_choice(form, teams, data)
    conversation = budget.budget_conversation(
        db.session(), current_user.organisation, [t.id for t in chosen]
    )
    return render_template(
        "insights/budget.html", form=form, conversation=conversation
    ), form_status(form)


@bp.get("/manage/patterns")
@role_required("manager")
def patterns_page() -> str:
    """Calibrated kudos pairs and rings, and care signals: conversations, not penalties."""
    return _patterns(DismissForm())


@bp.post("/manage/patterns/dismiss")
@role_required("manager")
def dismiss_pattern() -> Any:
    """Set a pattern aside after the conversation (for this manager, for four weeks)."""
    form = DismissForm()
    data = load_form(DismissSchema(), form, request.form)
    if data is None:
        return _patterns(form), 422
    people = [int(i) for i in data["people"].split("-")]
    try:
        patterns.dismiss(db.session(), current_user, data["kind"], data["team_id"], people)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("Set aside. It comes back only if it still stands out later."), "success")
    return redirect(url_for("insights.patterns_page"))


def _patterns(form: DismissForm) -> str:
    return render_template(
        "insights/patterns.html",
        found=patterns.patterns_for(db.session(), current_user),
        form=form,
        pattern_days=patterns.PATTERN_DAYS,
        care_days=patterns.CARE_DAYS,
        care_min=patterns.CARE_MIN_MOMENTS,
    )


@bp.get("/manage/export")
@role_required("manager")
def export_page() -> Any:
    """Choose what to export: moments, kudos or recognitions, a team, a period."""
    form = _export_form()
    return render_template("insights/export.html", form=form)


@bp.get("/manage/export.csv")
@role_required("manager")
def export_csv() -> Any:
    """The chosen export as CSV, streamed; with a mistake in the choices, the form again."""
    teams, _all = _teams()
    form = _export_form(formdata=True)
    data = load_form(ExportQuerySchema(), form, request.args)
    chosen = _team_choice(form, teams, data)
    if data is None or form.errors:
        return render_template("insights/export.html", form=form), 422
    scope = ExportScope(
        kind=data["kind"],
        team_ids=[t.id for t in chosen],
        first=data["first_day"],
        last=data["last_day"],
        tz=current_user.organisation.timezone,
    )
    name = _file_name(scope, chosen if data.get("team_id") else [])
    lines = csv_lines(db.session(), current_user, scope)
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


def _export_form(formdata: bool = False) -> ExportForm:
    today = local_date(utcnow(), current_user.organisation.timezone)
    defaults = {"first_day": today - timedelta(days=EXPORT_DEFAULT_DAYS - 1), "last_day": today}
    form = ExportForm(formdata=request.args if formdata else None, **defaults)
    teams, _all = _teams()
    form.team_id.choices = options({t.id: t.name for t in teams}, _("All your teams"))
    form.kind.choices = options(
        {"moments": _("Moments"), "kudos": _("Kudos"), "recognitions": _("Recognitions")}
    )
    return form


def _file_name(scope: ExportScope, teams: list[Team]) -> str:
    team = re.sub(r"[^a-z0-9]+", "-", teams[0].name.lower()).strip("-") if teams else "teams"
    return f"kizuki-{scope.kind}-{team or 'team'}-{scope.first}-{scope.last}.csv"
