"""Badges: each criterion, awarded by the ledger's before-commit hook, exactly once."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import client_id, make_team, make_user
from tests.game_support import badge_keys, log, recognise, thank
from webapp.extensions import db
from webapp.game import badges
from webapp.kudos.services import KudosInput, give_kudos, reverse_kudos
from webapp.models import BadgeAward, Notification
from webapp.moments.services import mark_delighted, reverse_moment
from webapp.points import ledger
from webapp.practices.services import adopt_practice, link_moment


def test_catalogue_has_every_badge_with_icon_and_description(app):
    keys = {b.key for b in badges.BADGES}
    assert keys == {
        "first_moment",
        "first_kudos",
        "five_colleagues",
        "delighted",
        "across_teams",
        "recognized",
        "practice_source",
        "season_goal",
        "colleague_first_kudos",
        "practice_repeated",
    }
    for badge in badges.BADGES:
        assert str(badge.name) and str(badge.description)
        with open(f"{app.static_folder}/{badge.icon}") as icon:
            assert icon.read().startswith("<svg")


def test_first_moment_is_awarded_when_the_ledger_changes(app, world):
    assert badge_keys(world.staff.id) == set()
    log(world.staff, world.team)
    assert "first_moment" in badge_keys(world.staff.id)
    note = db.session.scalar(select(Notification).where(Notification.kind == "badge"))
    assert note is not None and note.url == "/badges"


def test_first_kudos_and_not_for_the_receiver(app, world):
    thank(world.staff, world.staff2)
    assert "first_kudos" in badge_keys(world.staff.id)
    assert "first_kudos" not in badge_keys(world.staff2.id)


def test_kudos_to_five_different_colleagues(app, world):
    people = [world.staff2, world.manager, world.admin, world.staff3]
    for person in people:
        thank(world.staff, person)
    assert "five_colleagues" not in badge_keys(world.staff.id)
    thank(world.staff, make_user(db.session, world.org, team=world.team))
    assert "five_colleagues" in badge_keys(world.staff.id)


def test_kudos_across_teams_only_for_someone_outside_my_teams(app, world):
    thank(world.staff, world.staff2)  # same team
    assert "across_teams" not in badge_keys(world.staff.id)
    thank(world.staff, world.staff3)  # Restaurant, not in Front desk
    assert "across_teams" in badge_keys(world.staff.id)


def test_recognition_received(app, world):
    recognise(world.manager, world.staff)
    assert "recognized" in badge_keys(world.staff.id)
    assert "recognized" not in badge_keys(world.manager.id)


def test_delighted_moment_marked_by_a_peer(app, world):
    moment = log(world.staff, world.team)
    assert "delighted" not in badge_keys(world.staff.id)
    mark_delighted(db.session, world.staff2, moment)
    assert "delighted" in badge_keys(world.staff.id)


def test_badges_survive_reversal_and_a_rebuild(app, world):
    moment = log(world.staff, world.team)
    reverse_moment(db.session, world.manager, moment, "Testing the reversal")
    ledger.rebuild_daily(db.session, world.org.id)
    db.session.commit()
    assert "first_moment" in badge_keys(world.staff.id)


def test_repeated_evaluation_never_awards_twice(app, world):
    log(world.staff, world.team)
    log(world.staff, world.team)
    for _ in range(3):
        assert badges.evaluate(db.session, [world.staff.id, world.staff.id]) == {}
        db.session.commit()
    count = db.session.scalar(
        select(func.count(BadgeAward.id)).where(
            BadgeAward.user_id == world.staff.id, BadgeAward.badge == "first_moment"
        )
    )
    assert count == 1


def test_direct_insert_of_a_duplicate_is_skipped_not_an_error(app, world):
    log(world.staff, world.team)
    # Another transaction already awarded it: the ON CONFLICT insert quietly skips.
    assert badges._award(db.session, world.staff, badges.BY_KEY["first_moment"]) is False


def test_rollback_forgets_touched_people(app, world):
    ledger.touch(db.session, world.staff.id)
    db.session.rollback()
    assert ledger.TOUCHED not in db.session.info


def test_badges_for_lists_catalogue_and_earned(app, world):
    log(world.staff, world.team)
    statuses = badges.badges_for(db.session, world.staff.id)
    assert len(statuses) == len(badges.BADGES)
    earned = badges.badges_for(db.session, world.staff.id, earned_only=True)
    assert [s.badge.key for s in earned] == ["first_moment"]
    assert earned[0].awarded_at is not None


def test_listen_is_idempotent(app):
    ledger.forget_touched_on_rollback()
    ledger.forget_touched_on_rollback()
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    assert event.contains(Session, "after_soft_rollback", ledger._after_rollback)


def test_a_new_team_member_elsewhere_does_not_count_as_across(app, world):
    bar = make_team(db.session, world.org, "Bar")
    barista = make_user(db.session, world.org, team=bar)
    db.session.commit()
    thank(world.staff3, barista)
    assert "across_teams" in badge_keys(world.staff3.id)


def test_practice_maker_when_the_team_adopts_your_moment(app, world):
    moment = log(world.staff, world.team)
    other = log(world.staff2, world.team)
    assert "practice_source" not in badge_keys(world.staff.id)
    adopt_practice(db.session, world.manager, moment.id, "Walk them there")
    db.session.commit()
    assert "practice_source" in badge_keys(world.staff.id)
    assert "practice_source" not in badge_keys(world.staff2.id)
    assert other.id != moment.id


def test_a_colleagues_first_kudos_ever_goes_to_whom_they_thanked(app, world):
    thank(world.staff2, world.staff)  # Tom's first kudos ever
    assert "colleague_first_kudos" in badge_keys(world.staff.id)
    assert "colleague_first_kudos" not in badge_keys(world.staff2.id)  # the giver
    thank(world.staff2, world.staff3)  # Tom's second: not a first any more
    assert "colleague_first_kudos" not in badge_keys(world.staff3.id)


def test_a_first_kudos_to_several_at_once_counts_for_each(app, world):
    give_kudos(
        db.session,
        world.manager,
        KudosInput(client_id(), "Thank you both!", [world.staff.id, world.staff2.id]),
    )
    db.session.commit()
    assert "colleague_first_kudos" in badge_keys(world.staff.id)
    assert "colleague_first_kudos" in badge_keys(world.staff2.id)


def test_no_first_kudos_badge_from_a_reversed_kudos(app, world):
    made = thank(world.staff2, world.staff3)
    assert "colleague_first_kudos" in badge_keys(world.staff3.id)
    # A reversed first kudos stays the first: a later one earns no one the badge (and the
    # badge already awarded stays, as every award does).
    reverse_kudos(db.session, world.manager, made, "A mistake")
    db.session.commit()
    thank(world.staff2, world.staff)
    assert "colleague_first_kudos" not in badge_keys(world.staff.id)
    assert "colleague_first_kudos" in badge_keys(world.staff3.id)


def test_passed_on_when_your_moment_repeats_a_practice(app, world):
    source = log(world.staff2, world.team)
    practice = adopt_practice(db.session, world.manager, source.id, "Walk them there")
    db.session.commit()
    mine = log(world.staff, world.team)
    assert "practice_repeated" not in badge_keys(world.staff.id)
    link_moment(db.session, world.staff, mine.id, practice.id)
    db.session.commit()
    assert "practice_repeated" in badge_keys(world.staff.id)
    assert "practice_repeated" not in badge_keys(world.staff2.id)  # the source's author


def test_passed_on_goes_to_the_author_when_a_manager_links_the_moment(app, world):
    source = log(world.staff2, world.team)
    practice = adopt_practice(db.session, world.manager, source.id, "Walk them there")
    mine = log(world.staff, world.team)
    db.session.commit()
    link_moment(db.session, world.manager, mine.id, practice.id)
    db.session.commit()
    assert "practice_repeated" in badge_keys(world.staff.id)
    assert "practice_repeated" not in badge_keys(world.manager.id)
