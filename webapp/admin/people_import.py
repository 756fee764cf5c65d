"""Bringing people in from a CSV file: read and check every row (nothing saved), then add
them all as invites carrying their details, or none.

A file is UTF-8 (with or without a byte-order mark), separated by `;` or `,`, with a header
row naming the columns in `COLUMNS` (only `name` and `team` are required). Each person
becomes an invite in their team and role with their name, e-mail, language and working
hours; they receive it as a link or a QR code (the invite sheet), and choose their password.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from webapp.admin.schemas import PersonRowSchema
from webapp.admin.services import admin_only
from webapp.audit import services as audit
from webapp.auth.services import hash_token
from webapp.domain import Invalid, NotFound
from webapp.models import Invite, PeopleImport, Team, User
from webapp.timeutil import utcnow

COLUMNS = ("name", "email", "team", "role", "team_role", "language", "work_start", "work_end")
REQUIRED_COLUMNS = ("name", "team")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
# Files with more rows than this are imported in the background, with a progress page.
BACKGROUND_ROWS = 500
CHUNK = 500
# Imported people have a month to take their invite (a new link can be made at any time).
VALID_DAYS = 30
MAX_SHOWN_PROBLEMS = 200


@dataclass
class Checked:
    """A file read and checked: the rows to import and the problems, by line."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def read_file(raw: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by lower-case column name; Invalid when it cannot be
    read (too large, not UTF-8, no header with name and team, too many rows)."""
    if len(raw) > MAX_BYTES:
        raise Invalid(_("The file is larger than 2 MB. Split it into smaller files."), "file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("Save the file as UTF-8 (CSV UTF-8 in Excel) and try again.")
        raise Invalid(message, "file") from None
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=separator)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        names = ", ".join(missing)
        message = _("The first row must name the columns; missing: %(names)s.", names=names)
        raise Invalid(message, "file")
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise Invalid(_("Import at most %(n)d people per file.", n=MAX_ROWS), "file")
            rows.append({key: (value or "").strip() for key, value in row.items() if key})
    except csv.Error:
        raise Invalid(_("The file could not be read as CSV."), "file") from None
    if not rows:
        raise Invalid(_("The file has no people in it."), "file")
    return rows


def check_rows(session: Session, org_id: int, rows: list[dict[str, str]]) -> Checked:
    """Check every row (its schema) and against the organisation (teams, e-mail addresses
    in use)."""
    schema = PersonRowSchema()  # one instance, its messages in this request's language
    teams = {
        name.lower(): team_id
        for team_id, name in session.execute(
            select(Team.id, Team.name).where(Team.org_id == org_id)
        )
    }
    taken = _emails_in_use(session, org_id)
    seen: dict[str, int] = {}
    checked = Checked()
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        person, problems = _check_row(schema, row, teams, taken, seen, line)
        if problems:
            checked.problems.extend({"line": line, **p} for p in problems)
        else:
            checked.rows.append(person)
    return checked


def _emails_in_use(session: Session, org_id: int) -> set[str]:
    # Accounts anywhere (an address signs in to one account) and this organisation's open
    # invites: the same person must not be brought in twice.
    accounts = session.scalars(select(func.lower(User.email)))
    invited = session.scalars(
        select(func.lower(Invite.email)).where(
            Invite.org_id == org_id,
            Invite.email.is_not(None),
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > utcnow(),
        )
    )
    return set(accounts) | set(invited)


def _check_row(
    schema: PersonRowSchema,
    row: dict[str, str],
    teams: dict[str, int],
    taken: set[str],
    seen: dict[str, int],
    line: int,
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    problems: list[dict[str, str]] = []
    try:
        data = schema.load(row)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {}
        for column, texts in messages.items():
            for message in texts if isinstance(texts, list) else [texts]:
                problems.append({"column": column, "message": str(message)})
        data = {}
    team_id = teams.get(str(row.get("team", "")).strip().lower())
    if row.get("team") and team_id is None:
        problems.append(
            {
                "column": "team",
                "message": _("There is no team called “%(team)s”.", team=row["team"]),
            }
        )
    email = data.get("email")
    if email:
        email = email.strip().lower()
        if email in seen:
            message = _("This e-mail address is on line %(line)d too.", line=seen[email])
            problems.append({"column": "email", "message": message})
        elif email in taken:
            message = _("Someone with this e-mail address is already in or invited.")
            problems.append({"column": "email", "message": message})
        else:
            seen[email] = line
    start, end = data.get("work_start"), data.get("work_end")
    person = {
        "name": data.get("name"),
        "email": email or None,
        "team_id": team_id,
        "role": data.get("role") or "staff",
        "team_role": data.get("team_role") or "member",
        "locale": data.get("language"),
        "work_start": start.strftime("%H:%M") if start else None,
        "work_end": end.strftime("%H:%M") if end else None,
    }
    return person, problems


# The preview and the import ---------------------------------------------------------------------


def preview(session: Session, actor: User, filename: str, raw: bytes) -> PeopleImport:
    """Read and check a file; stage an import in preview (nothing of the people is saved)."""
    admin_only(actor)
    checked = check_rows(session, actor.org_id, read_file(raw))
    upload = PeopleImport(
        org_id=actor.org_id,
        created_by_id=actor.id,
        filename=filename[:200],
        status="preview",
        rows=json.dumps(checked.rows),
        problems=json.dumps(checked.problems),
        total=len(checked.rows) + len({p["line"] for p in checked.problems}),
    )
    session.add(upload)
    session.flush()
    return upload


def problems_of(upload: PeopleImport) -> list[dict[str, Any]]:
    """The per-row problems found when the file was read."""
    return list(json.loads(upload.problems or "[]"))


def rows_of(upload: PeopleImport) -> list[dict[str, Any]]:
    """The checked rows of an import."""
    return list(json.loads(upload.rows or "[]"))


def start(session: Session, actor: User, upload: PeopleImport) -> bool:
    """Begin an import that has no problems; True when it should run in the background
    (large files), False when the caller runs it now."""
    admin_only(actor)
    if upload.org_id != actor.org_id:
        raise NotFound(_("That import was not found."))
    if upload.status != "preview":
        raise Invalid(_("This file has been imported already."))
    if problems_of(upload):
        raise Invalid(_("Correct the problems in the file first, then upload it again."))
    background = upload.total > BACKGROUND_ROWS
    upload.status = "queued" if background else "running"
    return background


def import_chunk(session: Session, upload: PeopleImport, rows: list[dict[str, Any]]) -> None:
    """Add one chunk of an import's people as invites (one multi-row INSERT)."""
    expires = utcnow() + timedelta(days=VALID_DAYS)
    values = [
        {
            "org_id": upload.org_id,
            # The raw token is not kept: each person's link is made when it is handed out
            # (a new link, or the team's invite sheet).
            "token_hash": hash_token(secrets.token_urlsafe(32)),
            "role": row["role"],
            "team_id": row["team_id"],
            "team_role": row["team_role"],
            "email": row["email"],
            "name": row["name"],
            "locale": row["locale"],
            "work_start": _time(row["work_start"]),
            "work_end": _time(row["work_end"]),
            "created_by_id": upload.created_by_id,
            "expires_at": expires,
            "import_id": upload.id,
        }
        for row in rows
    ]
    session.execute(insert(Invite), values)


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def recheck(session: Session, upload: PeopleImport) -> list[str]:
    """Check an import's rows again just before they are added (a team may be gone, an
    address taken since the preview); the problems, if any."""
    teams = set(session.scalars(select(Team.id).where(Team.org_id == upload.org_id)))
    taken = _emails_in_use(session, upload.org_id)
    problems = []
    for row in rows_of(upload):
        if row["team_id"] not in teams:
            problems.append(_("A team of this file was removed. Upload the file again."))
        elif row["email"] and row["email"] in taken:
            problems.append(_("%(email)s was invited meanwhile.", email=row["email"]))
    return problems


def undo(session: Session, upload: PeopleImport) -> None:
    """Remove whatever an unfinished import added (a retried job starts clean)."""
    session.execute(delete(Invite).where(Invite.import_id == upload.id))


def finish(session: Session, upload: PeopleImport, actor_id: int) -> None:
    """Mark an import done, forget its rows, and note it in the audit log."""
    upload.status = "done"
    upload.done = upload.total
    upload.rows = "[]"
    upload.finished_at = utcnow()
    actor = session.get(User, actor_id)
    if actor is not None:
        detail = _("%(count)d people from %(file)s", count=upload.total, file=upload.filename)
        audit.record(session, actor, audit.PEOPLE_IMPORTED, "import", upload.id, detail)


def fail(session: Session, upload_id: int, message: str) -> None:
    """Mark an import failed (after its additions were rolled back or removed)."""
    session.execute(
        update(PeopleImport)
        .where(PeopleImport.id == upload_id)
        .values(status="failed", error=message[:500], finished_at=utcnow())
    )


def run_now(session: Session, actor: User, upload: PeopleImport) -> None:
    """Import a small file in the caller's transaction: all of it, or (on a problem) none."""
    problems = recheck(session, upload)
    if problems:
        raise Invalid(problems[0])
    rows = rows_of(upload)
    for first in range(0, len(rows), CHUNK):
        import_chunk(session, upload, rows[first : first + CHUNK])
    finish(session, upload, actor.id)


TEMPLATE_ROWS = (
    (
        "Sanne de Vries",
        "sanne@example.com",
        "Front desk",
        "staff",
        "member",
        "nl",
        "07:00",
        "15:30",
    ),
    ("Tom Baker", "", "Front desk", "manager", "lead", "en", "", ""),
    ("Aylin Demir", "aylin@example.com", "Housekeeping", "staff", "member", "en", "08:00", "16:00"),
)


def template_csv() -> str:
    """A ready-to-fill file: the header and three example people."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()
