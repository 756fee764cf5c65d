"""Admin pages for importing people from a CSV file: upload, preview with every row's
problems, the import (large files in the background) and its progress."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import jobs
from webapp.admin import people_import
from webapp.admin.forms import ImportForm, ImportRunForm
from webapp.admin.jobs import run_people_import
from webapp.admin.views import bp
from webapp.domain import DomainError, Invalid
from webapp.extensions import db
from webapp.forms import attach_errors, render_form
from webapp.models import PeopleImport
from webapp.orgs.services import org_teams
from webapp.security import role_required, scoped_get_or_404


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
        form=ImportRunForm(),
    )


@bp.post("/admin/people/import/<int:import_id>/run", endpoint="run_people_import")
@role_required("admin")
def run_people_import_page(import_id: int) -> Any:
    """Import a checked file: now when small, in the background when large."""
    upload = scoped_get_or_404(PeopleImport, import_id)
    form = ImportRunForm()
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
