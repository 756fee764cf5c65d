"""Manager reversal (ledger appends, every number follows, kept but hidden, audited) and
marking a guest delighted (a peer or manager, never the author)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.game_support import daily_sum, ledger_sum, log, thank
from webapp.domain import Conflict, NotAllowed, NotFound
from webapp.extensions import db
from webapp.kudos.services import reverse_kudos
from webapp.models import AuditEntry, Kudos, LedgerEntry, Moment
from webapp.moments.services import feed_page, mark_delighted, reverse_moment
from webapp.points import ledger


def test_reversing_a_moment_appends_opposite_entries_and_hides_it(app, world):
    moment = log(world.staff, world.team)
    entries_before = db.session.scalars(select(LedgerEntry)).all()
    assert ledger_sum(world.staff.id) == world.org.points_moment
    reverse_moment(db.session, world.manager, moment, "Made up to get points")
    assert ledger_sum(world.staff.id) == 0 == daily_sum(world.staff.id)
    # History is appended to, never edited.
    after = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
    assert [e.id for e in after[: len(entries_before)]] == [e.id for e in entries_before]
    assert after[-1].reason == ledger.REVERSAL and after[-1].note == "Made up to get points"
    # Kept, but not in the feed.
    kept = db.session.get(Moment, moment.id)
    assert kept is not None and kept.reversed_by_id == world.manager.id
    assert moment.id not in [m.id for m in feed_page(db.session, world.org.id)]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "moment.reversed"))
    assert entry is not None and entry.target_id == moment.id and "Made up" in entry.detail


def test_reversing_kudos_reverses_both_sides(app, world):
    kudos = thank(world.staff, world.staff2)
    reverse_kudos(db.session, world.manager, kudos, "Trading points")
    assert ledger_sum(world.staff.id) == 0 == ledger_sum(world.staff2.id)
    assert db.session.get(Kudos, kudos.id).reversed_at is not None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "kudos.reversed"))


def test_staff_cannot_reverse(app, world):
    moment = log(world.staff2, world.team)
    kudos = thank(world.staff2, world.staff3)
    with pytest.raises(NotAllowed):
        reverse_moment(db.session, world.staff, moment, "I do not like it")
    with pytest.raises(NotAllowed):
        reverse_kudos(db.session, world.staff, kudos, "I do not like it")


def test_reversing_twice_is_a_conflict_and_changes_nothing(app, world):
    moment = log(world.staff, world.team)
    reverse_moment(db.session, world.manager, moment, "Made up to get points")
    db.session.commit()
    with pytest.raises(Conflict):
        reverse_moment(db.session, world.manager, moment, "Again")
    db.session.rollback()
    assert ledger_sum(world.staff.id) == 0


def test_another_orgs_manager_cannot_reverse(app, world):
    moment = log(world.staff, world.team)
    kudos = thank(world.staff, world.staff2)
    with pytest.raises(NotFound):
        reverse_moment(db.session, world.outsider_manager, moment, "Not my org")
    with pytest.raises(NotFound):
        reverse_kudos(db.session, world.outsider_manager, kudos, "Not my org")


def test_delighted_by_peer_or_manager_not_author(app, world):
    moment = log(world.staff, world.team)
    with pytest.raises(NotAllowed):
        mark_delighted(db.session, world.staff, moment)
    mark_delighted(db.session, world.staff2, moment)
    assert db.session.get(Moment, moment.id).delighted
    mark_delighted(db.session, world.manager, moment)  # idempotent
    other = log(world.staff2, world.team)
    mark_delighted(db.session, world.manager, other)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "moment.delighted"))


def test_delighted_refused_for_other_org_and_reversed(app, world):
    moment = log(world.staff, world.team)
    with pytest.raises(NotFound):
        mark_delighted(db.session, world.outsider, moment)
    reverse_moment(db.session, world.manager, moment, "Made up to get points")
    with pytest.raises(NotFound):
        mark_delighted(db.session, world.staff2, moment)
