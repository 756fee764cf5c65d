"""Connecting a team to a channel (admins), and staging what the channels are told.

Announcements are staged as `ChannelPost` rows in the caller's transaction (an outbox): a
recognition rolled back is never announced, and one committed is announced even if the
process stops right after. The entry point, after committing, calls
`delivery.send_staged` to hand the new posts to the background jobs; the periodic
`delivery.send_due_posts` picks up anything missed and the retries.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from webapp.audit import services as audit
from webapp.channels.payloads import Message, body_for
from webapp.domain import Invalid, NotAllowed, NotFound
from webapp.models import (
    ChannelPost,
    Digest,
    Membership,
    Practice,
    Recognition,
    Team,
    TeamChannel,
    User,
)
from webapp.outbound import UnsafeAddress, check_url
from webapp.recognition.schemas import award_label
from webapp.security import has_role
from webapp.timeutil import utcnow

STAGED = "channel_posts_staged"
EVENTS = ("recognition", "practice", "digest")
WANTS = {"recognition": "post_recognitions", "practice": "post_practices", "digest": "post_digest"}


@dataclass
class ChannelInput:
    """A channel as an admin connects it (already validated by the schema)."""

    kind: str
    name: str
    url: str
    post_recognitions: bool = True
    post_practices: bool = True
    post_digest: bool = True


def _admin(actor: User, team: Team) -> None:
    if not has_role(actor, "admin"):
        raise NotAllowed(_("Only admins connect team channels."))
    if team.org_id != actor.org_id:
        raise NotFound(_("That team was not found."))


def connect_channel(session: Session, admin: User, team: Team, data: ChannelInput) -> TeamChannel:
    """Connect `team` to an incoming-webhook address (https, public addresses only)."""
    _admin(admin, team)
    try:
        check_url(data.url)
    except UnsafeAddress:
        raise Invalid(
            _("Use the https address the service gave you: one on the public internet."),
            field="url",
        ) from None
    channel = TeamChannel(
        org_id=admin.org_id,
        team_id=team.id,
        kind=data.kind,
        name=data.name,
        url=data.url,
        secret=secrets.token_hex(32) if data.kind == "json" else None,
        post_recognitions=data.post_recognitions,
        post_practices=data.post_practices,
        post_digest=data.post_digest,
        created_by_id=admin.id,
    )
    session.add(channel)
    session.flush()
    audit.record(
        session, admin, audit.CHANNEL_CONNECTED, "team", team.id, f"{data.kind}: {data.name}"
    )
    return channel


def remove_channel(session: Session, admin: User, channel: TeamChannel) -> None:
    """Disconnect a channel (its delivery log goes with it)."""
    _admin(admin, channel.team)
    audit.record(
        session,
        admin,
        audit.CHANNEL_REMOVED,
        "team",
        channel.team_id,
        f"{channel.kind}: {channel.name}",
    )
    session.delete(channel)


def channel_in_org(session: Session, viewer: User, channel_id: int) -> TeamChannel:
    """A channel of the viewer's organisation (admins only)."""
    channel = session.get(TeamChannel, channel_id)
    if channel is None or channel.org_id != viewer.org_id:
        raise NotFound(_("That channel was not found."))
    _admin(viewer, channel.team)
    return channel


def channels_of(session: Session, team_id: int) -> list[TeamChannel]:
    """A team's channels, oldest first."""
    return list(
        session.scalars(
            select(TeamChannel).where(TeamChannel.team_id == team_id).order_by(TeamChannel.id)
        )
    )


def delivery_log(session: Session, channel: TeamChannel, limit: int = 50) -> list[ChannelPost]:
    """The channel's latest posts and how their delivery went."""
    return list(
        session.scalars(
            select(ChannelPost)
            .where(ChannelPost.channel_id == channel.id)
            .order_by(ChannelPost.created_at.desc(), ChannelPost.id.desc())
            .limit(limit)
        )
    )


# Staging posts --------------------------------------------------------------------------


def stage(
    session: Session, team_ids: Iterable[int], message_for: Any, wanted: str | None
) -> list[ChannelPost]:
    """Stage a post for every channel of `team_ids` that wants this event. `message_for`
    makes the message for a team, in the organisation's language."""
    channels = list(
        session.scalars(
            select(TeamChannel)
            .where(TeamChannel.team_id.in_(set(team_ids)))
            .order_by(TeamChannel.id)
        )
    )
    posts = []
    now = utcnow()
    for channel in channels:
        if wanted is not None and not getattr(channel, WANTS[wanted]):
            continue
        team = channel.team
        with force_locale(team.organisation.default_locale):
            message: Message = message_for(team)
        body = body_for(channel.kind, message, {"id": team.id, "name": team.name}, now)
        post = ChannelPost(
            org_id=channel.org_id, channel_id=channel.id, event=message.event, body=body
        )
        post.next_attempt_at = now
        session.add(post)
        posts.append(post)
    if posts:
        session.flush()
        session.info.setdefault(STAGED, []).extend(p.id for p in posts)
    return posts


def staged(session: Session) -> list[int]:
    """Take the ids of the posts staged since the last call."""
    return list(session.info.pop(STAGED, None) or ())


def forget_staged_on_rollback() -> None:
    """Posts staged in a rolled-back transaction were never made. Registered once by the
    app factory (idempotent)."""
    if not event.contains(Session, "after_soft_rollback", _after_rollback):
        event.listen(Session, "after_soft_rollback", _after_rollback)


def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(STAGED, None)


def _link(endpoint: str, **values: Any) -> str | None:
    """An absolute link into Kizuki for a channel post (PUBLIC_URL when set)."""
    base = current_app.config.get("PUBLIC_URL")
    try:
        path = url_for(endpoint, **values)
    except RuntimeError:
        return None
    if base:
        return str(base).rstrip("/") + path
    return url_for(endpoint, _external=True, **values) if has_request_context() else None


def teams_of_person(session: Session, user_id: int) -> list[int]:
    """The teams a person is in."""
    return list(session.scalars(select(Membership.team_id).where(Membership.user_id == user_id)))


def announce_recognition(session: Session, recognition: Recognition) -> list[ChannelPost]:
    """Tell the recipient's teams' channels about a recognition."""

    def message(team: Team) -> Message:
        facts = [(_("Award"), award_label(recognition.award))] if recognition.award else []
        return Message(
            event="recognition",
            title=_(
                "%(manager)s recognized %(name)s",
                manager=recognition.manager.name,
                name=recognition.recipient.name,
            ),
            text=recognition.message,
            link=_link("profile.show", user_id=recognition.recipient_id),
            link_label=_("Open in Kizuki"),
            facts=facts,
            data={"recognition_id": recognition.id, "recipient": recognition.recipient.name},
        )

    return stage(
        session, teams_of_person(session, recognition.recipient_id), message, "recognition"
    )


def announce_practice(session: Session, practice: Practice) -> list[ChannelPost]:
    """Tell the team's channels about a practice it adopted."""

    def message(team: Team) -> Message:
        source = practice.source_moment
        return Message(
            event="practice",
            title=_("New practice for %(team)s: %(title)s", team=team.name, title=practice.title),
            text=_("Noticed: %(cue)s\nDid: %(action)s", cue=source.cue, action=source.action),
            link=_link("practices.detail", practice_id=practice.id),
            link_label=_("Open in Kizuki"),
            data={"practice_id": practice.id, "title": practice.title},
        )

    return stage(session, [practice.team_id], message, "practice")


def announce_digest(session: Session, digest: Digest, figures: dict[str, Any]) -> list[ChannelPost]:
    """Tell the team's channels about its weekly digest (`figures`: the digest's numbers
    and its best story, already looked up by the caller)."""

    def message(team: Team) -> Message:
        facts = [
            (_("Moments"), str(figures["moments"])),
            (_("Kudos"), str(figures["kudos"])),
        ]
        story = figures.get("story")
        text = (
            _("The best story: %(name)s. %(cue)s", name=story["author"], cue=story["cue"])
            if story
            else _("Here is how the week went.")
        )
        return Message(
            event="digest",
            title=_("The week of %(team)s", team=team.name),
            text=text,
            link=_link("digest.show", digest_id=digest.id),
            link_label=_("Read the digest"),
            facts=facts,
            data={"digest_id": digest.id, "week_start": digest.week_start.isoformat(), **figures},
        )

    return stage(session, [digest.team_id], message, "digest")


def test_message(session: Session, admin: User, channel: TeamChannel) -> ChannelPost:
    """Stage a test post for one channel (admins), whatever events it wants."""
    _admin(admin, channel.team)
    team = channel.team
    with force_locale(team.organisation.default_locale):
        message = Message(
            event="test",
            title=_("Kizuki is connected to %(team)s", team=team.name),
            text=_("Recognitions, adopted practices and the weekly digest will appear here."),
        )
    body = body_for(channel.kind, message, {"id": team.id, "name": team.name}, utcnow())
    post = ChannelPost(org_id=channel.org_id, channel_id=channel.id, event="test", body=body)
    post.next_attempt_at = utcnow()
    session.add(post)
    session.flush()
    session.info.setdefault(STAGED, []).append(post.id)
    return post
