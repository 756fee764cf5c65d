"""The core loop's rules through the services, with no HTTP."""

from __future__ import annotations

import pytest

from tests.factories import client_id, make_user
from webapp.domain import Conflict, Invalid, NotFound
from webapp.extensions import db
from webapp.kudos.services import KudosInput, allowance_left, give_kudos
from webapp.moments.services import MomentInput, log_moment
from webapp.orgs.services import members_of, memberships_of
from webapp.points import ledger
from webapp.recognition.services import RecognitionInput, recognize
from webapp.timeutil import utcnow


def moment_input(world, **kw):
    data = dict(
        client_id=client_id(),
        team_id=world.team.id,
        cue="Guest squinted at the menu",
        action="Brought reading glasses",
        reaction="Big smile",
        value_ids=[world.values[0].id],
    )
    data.update(kw)
    return MomentInput(**data)


def test_logging_a_moment_grants_points_once_per_client_id(app, world):
    data = moment_input(world)
    moment, created = log_moment(db.session, world.staff, data)
    again, created_again = log_moment(db.session, world.staff, data)
    assert created and not created_again and again.id == moment.id
    assert ledger.total_points(db.session, world.staff.id) == world.org.points_moment


def test_moment_points_are_capped_per_day(app, world):
    cap = world.org.moment_points_daily_cap
    for _ in range(cap + 2):
        log_moment(db.session, world.staff, moment_input(world))
    assert ledger.total_points(db.session, world.staff.id) == cap * world.org.points_moment


def test_moment_in_another_orgs_team_is_rejected(app, world):
    with pytest.raises(NotFound):
        log_moment(
            db.session, world.staff, moment_input(world, team_id=world.other_team_foreign.id)
        )


def test_moment_with_foreign_value_is_rejected(app, world):
    with pytest.raises(Invalid) as caught:
        log_moment(db.session, world.staff, moment_input(world, value_ids=[world.other_value.id]))
    assert caught.value.field == "value_ids"


def test_kudos_to_self_is_refused(app, world):
    with pytest.raises(Invalid):
        give_kudos(db.session, world.staff, KudosInput(client_id(), "thanks", [world.staff.id]))


def test_kudos_to_other_org_is_not_found(app, world):
    with pytest.raises(NotFound):
        give_kudos(db.session, world.staff, KudosInput(client_id(), "thanks", [world.outsider.id]))


def test_kudos_points_and_allowance(app, world):
    made, created = give_kudos(
        db.session, world.staff2, KudosInput(client_id(), "Great catch", [world.staff.id])
    )
    assert created and len(made) == 1
    assert ledger.total_points(db.session, world.staff.id) == world.org.points_kudos_received
    assert ledger.total_points(db.session, world.staff2.id) == world.org.points_kudos_given
    assert allowance_left(db.session, world.staff2) == world.org.kudos_weekly_allowance - 1


def test_weekly_allowance_is_enforced(app, world):
    people = [make_user(db.session, world.org, team=world.team) for _ in range(6)]
    db.session.commit()
    for person in people[:5]:
        give_kudos(db.session, world.staff, KudosInput(client_id(), "thanks", [person.id]))
    with pytest.raises(Conflict):
        give_kudos(db.session, world.staff, KudosInput(client_id(), "thanks", [people[5].id]))
    assert allowance_left(db.session, world.staff) == 0


def test_team_kudos_is_one_action(app, world):
    made, _ = give_kudos(
        db.session, world.staff, KudosInput(client_id(), "Team!", team_id=world.team.id)
    )
    receivers = {k.receiver_id for k in made}
    assert world.staff.id not in receivers
    assert receivers == {world.staff2.id, world.manager.id, world.admin.id}


def test_one_kudos_per_giver_moment_and_receiver(app, world):
    moment, _ = log_moment(db.session, world.staff, moment_input(world))
    give_kudos(db.session, world.staff2, KudosInput(client_id(), "Nice", moment_id=moment.id))
    with pytest.raises(Conflict):
        give_kudos(db.session, world.staff2, KudosInput(client_id(), "Again", moment_id=moment.id))


def test_recognition_grants_points(app, world):
    moment, _ = log_moment(db.session, world.staff, moment_input(world))
    before = ledger.total_points(db.session, world.staff.id)
    recognize(
        db.session,
        world.manager,
        RecognitionInput(world.staff.id, "You saw it first", [moment.id], "Eagle Eye"),
    )
    assert ledger.total_points(db.session, world.staff.id) == before + world.org.points_recognition


def test_members_of_teams_live_or_with_former_members(app, world):
    # The one rule for "the members of these teams": former people (inactive or deleted)
    # count for history (trends, exports), not for a page about today (live=True).
    world.staff2.active = False
    world.staff3.deleted_at = utcnow()
    db.session.flush()
    teams = [world.team.id, world.other_team.id]
    everyone = {world.staff.id, world.staff2.id, world.staff3.id, world.manager.id, world.admin.id}
    assert set(db.session.scalars(members_of(teams))) == everyone
    live = everyone - {world.staff2.id, world.staff3.id}
    assert set(db.session.scalars(members_of(teams, live=True))) == live
    pairs = {tuple(row) for row in db.session.execute(memberships_of(teams, live=True))}
    assert pairs == {(world.team.id, u) for u in live}
    assert set(db.session.scalars(members_of([world.other_team.id]))) == {world.staff3.id}
    assert list(db.session.scalars(members_of([]))) == []
