"""Admins see their organisation's dead letters (jobs that failed every retry) and can send
one back to the queue; nobody sees another organisation's, and only admins see any."""

from __future__ import annotations

import time

import pytest

from tests import jobs_support
from webapp import jobs
from webapp.extensions import db
from webapp.models import AuditEntry


@pytest.fixture
def app_config(app_config):
    return {**app_config, "JOBS_PACKAGES": ("webapp", "tests"), "JOBS_MODE": "threads"}


def failed(app, org_id: int, detail: str) -> jobs.Failure:
    before = len(jobs.failures(app))
    jobs.enqueue(jobs_support.fail, detail, org_id=org_id)
    deadline = time.monotonic() + 10
    while len(jobs.failures(app)) == before:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return next(f for f in jobs.failures(app) if f.args == (detail,))


def test_admins_see_and_resend_their_own_dead_letters(app, client, auth, world, monkeypatch):
    monkeypatch.setattr(jobs, "THREAD_RETRY_DELAYS", ())
    mine = failed(app, world.org.id, "ours")
    failed(app, world.other_org.id, "theirs")
    db.session.rollback()
    auth.login(world.admin.email)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "no luck: ours" in page and "no luck: theirs" not in page
    theirs = next(f for f in jobs.failures(app) if f.args == ("theirs",))
    assert client.post(f"/admin/jobs/{theirs.id}/retry").status_code == 404
    answer = client.post(f"/admin/jobs/{mine.id}/retry")
    assert answer.status_code == 303
    assert db.session.query(AuditEntry).filter_by(action="job.retried").count() == 1
    assert all(f.id != mine.id for f in jobs.failures(app))  # back in the queue


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_only_admins_see_dead_letters(client, auth, world, role):
    person = {"staff": world.staff, "manager": world.manager}[role]
    auth.login(person.email)
    assert client.get("/admin/jobs").status_code == 403
