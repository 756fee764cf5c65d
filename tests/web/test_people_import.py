"""Importing people from a CSV file: upload, preview with per-row problems, all-or-nothing
import (large files in the background with stored progress), template and example file."""

from __future__ import annotations

import time
from datetime import time as clock_time
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import func, select

from tests.conftest import Auth
from tests.factories import World
from webapp import jobs
from webapp.admin import jobs as import_jobs
from webapp.admin import people_import
from webapp.extensions import db
from webapp.models import AuditEntry, Invite, PeopleImport, Team

ROOT = Path(__file__).resolve().parents[2]
HEADER = "name;email;team;role;team_role;language;work_start;work_end"


def _csv(*lines: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\r\n".join([header, *lines]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _upload(client: FlaskClient, raw: bytes, name: str = "people.csv") -> Any:
    return client.post(
        "/admin/people/import",
        data={"file": (BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def _invites() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Invite)) or 0)


def _latest() -> PeopleImport:
    found = db.session.scalar(select(PeopleImport).order_by(PeopleImport.id.desc()))
    assert found is not None
    return found


@pytest.fixture
def admin(client: FlaskClient, auth: Auth, world: World) -> World:
    auth.login(world.admin.email)
    return world


def test_a_clean_file_is_previewed_then_imported_with_every_detail(
    client: FlaskClient, admin: World
) -> None:
    team = admin.team.name
    raw = _csv(
        f"Noor Visser;Noor@Example.com;{team};staff;member;nl;07:00;15:30",
        f"Bram Smit;;{team.upper()};manager;lead;;;",
        bom=True,
    )
    response = _upload(client, raw)
    assert response.status_code == 303
    assert _invites() == 0  # nothing saved before the preview
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 people are ready to import" in page
    assert "Noor Visser" in page and "Bram Smit" in page
    upload = _latest()
    done = client.post(f"/admin/people/import/{upload.id}/run")
    assert done.status_code == 303
    db.session.expire_all()
    assert _latest().status == "done"
    noor = db.session.scalar(select(Invite).where(Invite.name == "Noor Visser"))
    assert noor is not None
    assert (noor.email, noor.team_id, noor.role, noor.locale) == (
        "noor@example.com",
        admin.team.id,
        "staff",
        "nl",
    )
    assert (noor.work_start, noor.work_end) == (clock_time(7, 0), clock_time(15, 30))
    bram = db.session.scalar(select(Invite).where(Invite.name == "Bram Smit"))
    assert bram is not None
    assert (bram.role, bram.team_role, bram.email, bram.work_start) == (
        "manager",
        "lead",
        None,
        None,
    )
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "people.imported"))
    assert audit is not None and "2 people" in audit.detail
    assert "Noor Visser" in client.get("/admin/invites").get_data(as_text=True)
    # The same file cannot be imported twice.
    client.post(f"/admin/people/import/{upload.id}/run")
    assert _invites() == 2


def test_comma_separated_without_a_byte_order_mark_is_read_too(
    client: FlaskClient, admin: World
) -> None:
    raw = _csv(f"Noor Visser,,{admin.team.name},,,,,", header=HEADER.replace(";", ","))
    _upload(client, raw)
    assert people_import.problems_of(_latest()) == []
    assert _latest().total == 1


MISTAKES = [
    ("Ann;ann@x.test;Nowhere;staff;member;en;;", "team"),
    ("Bob;dup@x.test;{team};staff;member;en;;", None),  # fine on its own
    ("Bea;DUP@x.test;{team};staff;member;en;;", "email"),  # the same address as Bob's
    ("Cas;{taken};{team};staff;member;en;;", "email"),  # someone in the organisation
    ("Dirk;;{team};boss;member;en;;", "role"),
    ("Eva;;{team};staff;captain;en;;", "team_role"),
    ("Fay;;{team};staff;member;fr;;", "language"),
    ("Gus;;{team};staff;member;en;25:00;17:00", "work_start"),
    ("Hal;;{team};staff;member;en;09:00;", "work_end"),
    ("Ivo;;{team};staff;member;en;09:00;09:00", "work_end"),
    (";;{team};staff;member;en;;", "name"),
    ("Jan;not-an-address;{team};staff;member;en;;", "email"),
]


def test_a_file_full_of_mistakes_shows_every_problem_and_saves_nothing(
    client: FlaskClient, admin: World
) -> None:
    lines = [
        line.format(team=admin.team.name, taken=admin.staff.email.upper()) for line, _c in MISTAKES
    ]
    response = _upload(client, _csv(*lines))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    upload = _latest()
    found = {(p["line"], p["column"]) for p in people_import.problems_of(upload)}
    expected = {(n, column) for n, (_l, column) in enumerate(MISTAKES, start=2) if column}
    assert expected <= found, found
    assert all(line != 3 for line, _column in found)  # Bob's row is fine
    assert "11 rows need correcting" in page
    assert "There is no team called “Nowhere”." in page
    assert "Import them" not in page
    assert client.post(f"/admin/people/import/{upload.id}/run").status_code == 303
    assert _invites() == 0
    assert _latest().status == "preview"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"name;team\n" + b"x" * 2000, "larger than 2 MB"),
        ("name;team\nRené;Desk\n".encode("latin-1"), "UTF-8"),
        (b"naam;ploeg\nAnn;Desk\n", "missing: name, team"),
        (b"name;team\n", "no people"),
        (b"", "Choose a CSV file"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    client: FlaskClient, admin: World, raw: bytes, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit, made small: a test client spools a real 2 MB body to a file it leaves open.
    monkeypatch.setattr(people_import, "MAX_BYTES", 1000)
    response = _upload(client, raw)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PeopleImport)) == 0


def test_the_import_is_all_or_nothing_when_the_organisation_changed_meanwhile(
    client: FlaskClient, admin: World
) -> None:
    raw = _csv(
        f"Noor;noor@x.test;{admin.team.name};;;;;", f"Bram;bram@x.test;{admin.team.name};;;;;"
    )
    _upload(client, raw)
    upload = _latest()
    # Bram is invited by hand between the preview and the import.
    client.post("/admin/invites", data={"role": "staff"})
    invite = db.session.scalar(select(Invite))
    assert invite is not None
    invite.email = "bram@x.test"
    db.session.commit()
    page = client.post(f"/admin/people/import/{upload.id}/run", follow_redirects=True)
    assert "bram@x.test was invited meanwhile" in page.get_data(as_text=True)
    assert _invites() == 1


def test_the_template_downloads_and_imports_cleanly(client: FlaskClient, admin: World) -> None:
    response = client.get("/admin/people/import/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.decode().splitlines()[0] == HEADER
    have = {t.name for t in admin.org.teams}
    for name in {"Front desk", "Housekeeping"} - have:
        db.session.add(Team(org_id=admin.org.id, name=name))
    db.session.commit()
    _upload(client, raw)
    assert people_import.problems_of(_latest()) == []
    assert _latest().total == 3


def test_the_example_file_in_the_repository_reads_without_problems(
    app: Flask, world: World
) -> None:
    raw = (ROOT / "docs" / "people-example.csv").read_bytes()
    rows = people_import.read_file(raw)
    teams = {row["team"] for row in rows}
    for name in teams - {t.name for t in world.org.teams}:
        db.session.add(Team(org_id=world.org.id, name=name))
    db.session.flush()
    checked = people_import.check_rows(db.session, world.org.id, rows)
    assert checked.problems == []
    assert len(checked.rows) == len(rows) >= 9


def _big_file(team: str, count: int) -> bytes:
    lines = [
        f"Person {n};person{n}@big.test;{team};staff;member;en;09:00;17:00" for n in range(count)
    ]
    return _csv(*lines)


def test_five_thousand_people_import_in_the_background_quickly(
    client: FlaskClient, admin: World
) -> None:
    started = time.perf_counter()
    _upload(client, _big_file(admin.team.name, 5000))
    upload = _latest()
    assert upload.total == 5000 and people_import.problems_of(upload) == []
    response = client.post(f"/admin/people/import/{upload.id}/run")
    assert response.status_code == 303
    elapsed = time.perf_counter() - started
    db.session.expire_all()
    assert _latest().status == "done" and _latest().done == 5000
    assert _invites() == 5000
    assert elapsed < 60, elapsed
    page = client.get(f"/admin/people/import/{upload.id}").get_data(as_text=True)
    assert "5000 people imported" in page


def test_the_progress_page_survives_a_reload_while_the_job_waits(
    client: FlaskClient, admin: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(jobs, "enqueue", lambda func, *args, **kw: queued.append((func, args)))
    _upload(client, _big_file(admin.team.name, 600))
    upload = _latest()
    client.post(f"/admin/people/import/{upload.id}/run")
    assert queued == [(import_jobs.run_people_import, (upload.id,))]
    for _reload in range(2):
        page = client.get(f"/admin/people/import/{upload.id}").get_data(as_text=True)
        assert '<meta http-equiv="refresh" content="2">' in page
        assert 'max="600" value="0"' in page
    import_jobs.run_people_import(upload.id)
    page = client.get(f"/admin/people/import/{upload.id}").get_data(as_text=True)
    assert "600 people imported" in page
    assert "http-equiv" not in page
    # Run again (a retried job): nothing is added twice.
    import_jobs.run_people_import(upload.id)
    assert _invites() == 600


def test_a_job_that_fails_half_way_leaves_nothing_behind(
    client: FlaskClient, admin: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kw: None)
    _upload(client, _big_file(admin.team.name, 1200))
    upload = _latest()
    client.post(f"/admin/people/import/{upload.id}/run")
    real = people_import.import_chunk
    calls: list[int] = []

    def flaky(session: Any, upload: Any, rows: Any) -> None:
        calls.append(len(rows))
        if len(calls) == 2:
            assert _invites() == 500  # the first chunk was committed, with its progress
            raise RuntimeError("disk full")
        real(session, upload, rows)

    monkeypatch.setattr(people_import, "import_chunk", flaky)
    with pytest.raises(RuntimeError):
        import_jobs.run_people_import(upload.id)
    db.session.expire_all()
    assert _invites() == 0
    assert _latest().status == "failed"
    page = client.get(f"/admin/people/import/{upload.id}").get_data(as_text=True)
    assert "nothing was added" in page


def test_invites_of_an_unfinished_import_are_not_listed(
    client: FlaskClient, admin: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kw: None)
    _upload(client, _big_file(admin.team.name, 501))
    upload = _latest()
    client.post(f"/admin/people/import/{upload.id}/run")
    people_import.import_chunk(db.session, upload, people_import.rows_of(upload)[:10])
    db.session.commit()
    assert "Person 1" not in client.get("/admin/invites").get_data(as_text=True)


def test_only_admins_import_and_only_their_own_organisations_files(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    auth.login(world.admin.email)
    _upload(client, _csv(f"Noor;;{world.team.name};;;;;"))
    upload = _latest()
    auth.login(world.manager.email)
    assert client.get("/admin/people/import").status_code == 403
    assert client.get(f"/admin/people/import/{upload.id}").status_code == 403
    world.outsider_manager.role = "admin"
    db.session.commit()
    auth.login(world.outsider_manager.email)
    assert client.get(f"/admin/people/import/{upload.id}").status_code == 404
    assert client.post(f"/admin/people/import/{upload.id}/run").status_code == 404
    assert _invites() == 0


def test_the_preview_speaks_dutch(client: FlaskClient, admin: World) -> None:
    admin.admin.locale = "nl"
    db.session.commit()
    refresh()  # the test's app context outlives requests: forget the language chosen before
    response = _upload(client, _csv("Ann;;Nergens;;;;;"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 regel moet verbeterd worden" in page
    assert "Er is geen team dat “Nergens” heet." in page


def test_the_preview_names_roles_and_labels_every_cell_in_dutch(
    client: FlaskClient, admin: World
) -> None:
    """On a phone each row is a small card: every cell carries its column's name, and the
    role reads in the admin's language, not as the file's key."""
    admin.admin.locale = "nl"
    db.session.commit()
    refresh()
    response = _upload(client, _csv(f"Ann;;{admin.team.name};staff;;;;"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<td data-label="Rol">Medewerker</td>' in page
    assert 'data-label="Naam">Ann</td>' in page
    response = _upload(client, _csv("Ann;;Nergens;;;;;"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<td data-label="Regel">2</td>' in page
