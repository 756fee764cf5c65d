"""The background half of a large people import: chunks with their progress committed,
and on any failure every invite of the file removed again (all or nothing)."""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from webapp.admin import people_import
from webapp.extensions import db
from webapp.models import PeopleImport

log = logging.getLogger(__name__)


def run_people_import(import_id: int) -> None:
    """Import a queued file (idempotent: a retried or re-queued run starts clean)."""
    session = db.session()
    upload = session.get(PeopleImport, import_id)
    if upload is None or upload.status not in ("queued", "running"):
        return
    people_import.undo(session, upload)
    upload.status, upload.done = "running", 0
    session.commit()
    problems = people_import.recheck(session, upload)
    if problems:
        people_import.fail(session, import_id, problems[0])
        session.commit()
        return
    rows = people_import.rows_of(upload)
    try:
        for first in range(0, len(rows), people_import.CHUNK):
            people_import.import_chunk(session, upload, rows[first : first + people_import.CHUNK])
            upload.done = min(first + people_import.CHUNK, len(rows))
            session.commit()  # the progress page reads this; `undo` removes it on failure
        people_import.finish(session, upload, upload.created_by_id)
        session.commit()
    except Exception:
        log.exception("people import %s failed", import_id)
        session.rollback()
        people_import.undo(session, upload)
        people_import.fail(session, import_id, _("The import stopped; nothing was added."))
        session.commit()
        raise
