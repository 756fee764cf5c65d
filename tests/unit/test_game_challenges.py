"""Team challenges: progress from the team's moments and kudos; reaching it is shared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.clock import FEW, edges
from tests.game_support import log, thank
from webapp.domain import Invalid, NotAllowed, NotFound
from webapp.extensions import db
from webapp.game import challenges
from webapp.game.challenges import ChallengeInput, create_challenge
from webapp.game.schemas import ChallengeCreateSchema
from webapp.game.seasons import today_for
from webapp.models import AuditEntry, Notification
from webapp.moments.services import reverse_moment


def make(world, **kw):
    today = today_for(world.org)
    data = dict(
        team_id=world.team.id,
        title="Notice returning guests",
        starts_on=today,
        last_day=today + timedelta(days=13),
        goal=3,
    )
    data.update(kw)
    return create_challenge(db.session, world.manager, ChallengeInput(**data))


def progress(world, challenge):
    return challenges.progress_of(db.session, world.org, challenge)


@pytest.mark.parametrize("clock", edges(*FEW, "new-year"), indirect=True)
def test_progress_counts_team_moments_and_kudos_to_members(clock, app, world):
    challenge = make(world, goal=10)
    log(world.staff, world.team)
    log(world.staff3, world.other_team)  # other team: not counted
    thank(world.staff3, world.staff2)  # to a member: counted
    thank(world.staff, world.staff3)  # to someone outside the team: not counted
    p = progress(world, challenge)
    assert (p.moments, p.kudos, p.count, p.state) == (1, 1, 2, "running")


def test_progress_with_a_value_counts_only_tagged(app, world):
    tagged, other = world.values
    challenge = make(world, value_id=tagged.id, goal=10)
    log(world.staff, world.team, [tagged.id])
    log(world.staff, world.team, [other.id])
    thank(world.staff3, world.staff2, value_id=tagged.id)
    thank(world.staff3, world.staff, value_id=other.id)
    p = progress(world, challenge)
    assert (p.moments, p.kudos) == (1, 1)


def test_reversed_and_deleted_do_not_count(app, world):
    challenge = make(world, goal=10)
    moment = log(world.staff, world.team)
    reverse_moment(db.session, world.manager, moment, "Not a real moment")
    assert progress(world, challenge).count == 0


@pytest.mark.parametrize("clock", edges(*FEW, "new-year"), indirect=True)
def test_moments_outside_the_period_do_not_count(clock, app, world):
    today = today_for(world.org)
    challenge = make(world, starts_on=today + timedelta(days=1), last_day=today + timedelta(days=3))
    log(world.staff, world.team)
    p = progress(world, challenge)
    assert p.count == 0 and p.state == "upcoming"


@pytest.mark.parametrize("clock", edges(*FEW, "new-year"), indirect=True)
def test_reaching_the_goal_notifies_the_whole_team_once(clock, app, world):
    challenge = make(world, goal=2)
    log(world.staff, world.team)
    assert challenge.reached_at is None
    log(world.staff2, world.team)
    db.session.refresh(challenge)
    assert challenge.reached_at is not None
    notes = db.session.scalars(select(Notification).where(Notification.kind == "challenge")).all()
    members = {world.staff.id, world.staff2.id, world.manager.id, world.admin.id}
    assert {n.user_id for n in notes} == members
    assert len(notes) == len(members)
    assert all("Your team reached" in n.title for n in notes)
    log(world.staff, world.team)  # more progress: no second celebration
    assert (
        len(db.session.scalars(select(Notification).where(Notification.kind == "challenge")).all())
        == 4
    )


def test_only_managers_create_and_creation_is_audited(app, world):
    with pytest.raises(NotAllowed):
        create_challenge(
            db.session,
            world.staff,
            ChallengeInput(world.team.id, "Focus", today_for(world.org), today_for(world.org)),
        )
    challenge = make(world)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "challenge.created"))
    assert entry is not None and entry.target_id == challenge.id


def test_another_orgs_team_or_value_is_refused(app, world):
    with pytest.raises(NotFound):
        make(world, team_id=world.other_team_foreign.id)
    with pytest.raises(Invalid):
        make(world, value_id=world.other_value.id)


def test_period_rules(app, world):
    today = today_for(world.org)
    with pytest.raises(Invalid) as caught:
        make(world, last_day=today - timedelta(days=1))
    assert caught.value.field == "last_day"
    with pytest.raises(Invalid):
        make(world, last_day=today + timedelta(days=400))


def test_schema_validates_input(app):
    schema = ChallengeCreateSchema()
    errors = schema.validate(
        {"team_id": "", "title_nl": "x" * 121, "starts_on": "nope", "goal": "0"}
    )
    assert {"team_id", "title_nl", "starts_on", "last_day", "goal"} <= set(errors)
    errors = schema.validate(
        {
            "team_id": "1",
            "title_en": "Focus",
            "starts_on": "2025-05-10",
            "last_day": "2025-05-01",
            "goal": "5",
        }
    )
    assert set(errors) == {"last_day"}
    data = schema.load(
        {
            "team_id": "1",
            "title_en": " Focus ",
            "starts_on": "2025-05-01",
            "last_day": "2025-05-10",
            "goal": "5",
            "value_id": "",
        }
    )
    assert data["value_id"] is None and data["title_en"] == "Focus" and data["title_nl"] == ""


@pytest.mark.parametrize("clock", edges(*FEW, "new-year"), indirect=True)
def test_running_for_user_and_listing(clock, app, world):
    make(world)
    mine = challenges.running_for_user(db.session, world.staff)
    assert [p.team.id for p in mine] == [world.team.id]
    assert challenges.running_for_user(db.session, world.staff3) == []
    assert len(challenges.challenges_for(db.session, world.staff3)) == 1
