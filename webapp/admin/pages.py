"""Admin pages for finding people and changes (the people list and the audit log, searched
and filtered, a page at a time) and for bringing people in: importing a CSV file (upload,
preview with every row's problems, the import, large files in the background, and its
progress), new invite links with their QR codes, and a team's printable invite sheet."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import jobs
from webapp.admin import invite_links, listings, people_import
from webapp.admin.forms import AuditFilterForm, ConfirmForm, ImportForm, PeopleFilterForm
from webapp.admin.jobs import run_people_import
from webapp.admin.listings import PeopleFilter
from webapp.admin.schemas import AuditQuerySchema, PeopleQuerySchema
from webapp.admin.views import (
    bp,
    invite_form,
    invite_link,
    invites_page,
    known_choice,
    page_links,
    team_names,
)
from webapp.audit import services as audit
from webapp.audit.wording import human_detail
from webapp.domain import DomainError, Invalid
from webapp.extensions import db
from webapp.forms import attach_errors, form_status, load_filters, render_form
from webapp.labels import ORG_ROLE_LABELS
from webapp.models import Invite, PeopleImport, Team
from webapp.orgs.services import org_teams, organisation
from webapp.routing import links_reach_phones
from webapp.security import role_required, scoped_get_or_404
from webapp.timeutil import local_midnight_utc


@bp.route("/admin/people/import", methods=["GET", "POST"])
@role_required("admin")
def import_people() -> Any:
    """Upload a file; it is read and checked, and nothing is saved before the preview."""
    form = ImportForm()
    if request.method == "POST" and form.validate_on_submit():
        upload = request.files.get("file")
        raw, name = b"", ""
        if upload is not None:
            try:
                raw, name = upload.read(people_import.MAX_BYTES + 1), upload.filename or ""
            finally:
                upload.close()  # a large upload is spooled to a temporary file
        try:
            if not raw:
                raise Invalid(_("Choose a CSV file."), "file")
            made = people_import.preview(db.session(), current_user, name, raw)
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, {error.field or "file": [error.message]})
        else:
            db.session.commit()
            return redirect(url_for("admin.people_import", import_id=made.id), code=303)
    teams = org_teams(db.session(), current_user.org_id)
    return render_form("admin/import.html", form, teams=teams, columns=people_import.COLUMNS)


@bp.get("/admin/people/import/template.csv")
@role_required("admin")
def import_template() -> Response:
    """A file to fill in: the header row and three example people."""
    return Response(
        people_import.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=kizuki-people.csv"},
    )


@bp.get("/admin/people/import/<int:import_id>", endpoint="people_import")
@role_required("admin")
def people_import_page(import_id: int) -> Any:
    """The preview (rows and problems) or, once started, the import's progress."""
    upload = scoped_get_or_404(PeopleImport, import_id)
    rows = people_import.rows_of(upload) if upload.status == "preview" else []
    teams = {t.id: t.name for t in org_teams(db.session(), current_user.org_id)}
    problems = people_import.problems_of(upload)
    return render_template(
        "admin/import_status.html",
        upload=upload,
        rows=rows[:20],
        more=max(len(rows) - 20, 0),
        problems=problems[: people_import.MAX_SHOWN_PROBLEMS],
        problem_lines=len({p["line"] for p in problems}),
        teams=teams,
        role_labels=ORG_ROLE_LABELS,
        form=ConfirmForm(),
    )


@bp.post("/admin/people/import/<int:import_id>/run", endpoint="run_people_import")
@role_required("admin")
def run_people_import_page(import_id: int) -> Any:
    """Import a checked file: now when small, in the background when large."""
    upload = scoped_get_or_404(PeopleImport, import_id)
    form = ConfirmForm()
    target = redirect(url_for("admin.people_import", import_id=upload.id), code=303)
    if not form.validate_on_submit():
        return target
    try:
        background = people_import.start(db.session(), current_user, upload)
        if not background:
            people_import.run_now(db.session(), current_user, upload)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return target
    db.session.commit()
    if background:
        jobs.enqueue(run_people_import, upload.id, org_id=upload.org_id)
    else:
        flash(_("%(count)d people imported.", count=upload.total), "success")
    return target


# The lists: people and the audit log (the invites are in views.py, beside their form) --------


@bp.get("/admin/people")
@role_required("admin")
def people() -> Any:
    """Everyone in the organisation with their role and teams: searched, filtered, paged."""
    teams = team_names()
    form = PeopleFilterForm(teams, formdata=request.args)
    args = load_filters(PeopleQuerySchema(), form, request.args.to_dict())
    known_choice(form, "team_id", teams, args)
    status = args["status"]
    narrow = PeopleFilter(
        words=args["q"],
        team_id=args["team_id"],
        role=args["role"],
        active=None if status is None else status == "active",
    )
    found = listings.people_page(db.session(), current_user.org_id, narrow, args["page"])
    return render_template(
        "admin/people.html",
        form=form,
        found=found,
        pages=page_links("admin.people", found, args),
        role_labels=ORG_ROLE_LABELS,
    ), form_status(form)


@bp.get("/admin/audit", endpoint="audit")
@role_required("admin")
def audit_log() -> Any:
    """The audit log, newest first: searched, filtered by who, what and when, paged."""
    org = organisation(db.session(), current_user.org_id)
    actions = dict(sorted(audit.LABELS.items(), key=lambda item: str(item[1])))
    actors = audit.actors(db.session(), org.id)
    form = AuditFilterForm(actors, actions, formdata=request.args)
    args = load_filters(AuditQuerySchema(), form, request.args.to_dict())
    known_choice(form, "actor_id", actors, args)
    first, last = args["first_day"], args["last_day"]
    narrow = audit.AuditFilter(
        words=args["q"],
        actor_id=args["actor_id"],
        action=args["action"],
        since=local_midnight_utc(first, org.timezone) if first else None,
        until=local_midnight_utc(last + timedelta(days=1), org.timezone) if last else None,
    )
    log = audit.entries_page(db.session(), org.id, args["page"], narrow=narrow)
    teams = team_names()
    details = {entry.id: human_detail(entry, teams) for entry in log.rows}
    return render_template(
        "admin/audit.html",
        form=form,
        log=log,
        actors=audit.actor_names(db.session(), log.rows),
        pages=page_links("admin.audit", log, args),
        labels=audit.LABELS,
        details=details,
    ), form_status(form)


# Invite links people can receive ------------------------------------------------------------------


@bp.post("/admin/invites/<int:invite_id>/link")
@role_required("admin")
def renew_invite_link(invite_id: int) -> Any:
    """Make a new link for an open invite and show it once, with its QR code."""
    invite = scoped_get_or_404(Invite, invite_id)
    teams = {t.id: t.name for t in org_teams(db.session(), current_user.org_id)}
    form = invite_form(teams, formdata=None)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.invites"), code=303)
    try:
        raw = invite_links.renew_link(db.session(), current_user, invite)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.invites"), code=303)
    db.session.commit()
    who = invite.name or invite.note or _("Invite #%(num)d", num=invite.id)
    flash(_("New link for %(who)s. The previous link no longer works.", who=who), "success")
    return invites_page(form, teams, invite_link(raw), link_for=who)


@bp.route("/admin/teams/<int:team_id>/invite-sheet", methods=["GET", "POST"])
@role_required("admin")
def invite_sheet(team_id: int) -> Any:
    """A team's printable invite sheet (A4): a card with name and QR code per open invite.
    Making it gives everyone on it a new link, so GET only asks."""
    team = scoped_get_or_404(Team, team_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        sheet = invite_links.team_sheet(db.session(), current_user, team)
        db.session.commit()
        cards = [(invite, invite_link(raw)) for invite, raw in sheet]
        org = organisation(db.session(), current_user.org_id)
        return render_template(
            "admin/invite_sheet.html",
            team=team,
            cards=cards,
            org=org,
            links_work=links_reach_phones(),
        )
    count = invite_links.open_invites_in(db.session(), team)
    return render_template(
        "admin/invite_sheet_confirm.html",
        team=team,
        count=count,
        form=form,
        links_work=links_reach_phones(),
    )
