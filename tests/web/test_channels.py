"""Team channels against a local listener that checks what each service expects: Slack's
text and blocks, a Microsoft Teams Adaptive Card, a signed JSON event. Delivery runs as a
job, retries with back-off, keeps a log, and never calls an address it should not."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.channel_listener import ChannelListener, make_certificate
from tests.game_support import MESSAGE, log
from webapp.channels import delivery, payloads
from webapp.channels import services as channels
from webapp.digest import sending
from webapp.extensions import db
from webapp.manage.services import give_recognition
from webapp.models import AuditEntry, ChannelPost, TeamChannel
from webapp.practices.services import adopt_practice
from webapp.recognition.services import RecognitionInput
from webapp.timeutil import frozen_time, utcnow


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def hook(certificate):
    with ChannelListener(*certificate) as listener:
        yield listener


@pytest.fixture
def app_config(app_config, hook, certificate):
    app_config.update(
        {"OUTBOUND_TEST_TARGETS": {hook.target}, "OUTBOUND_TEST_CA_FILE": str(certificate[0])}
    )
    return app_config


def connect(world, hook, kind, **wants):
    channel = channels.connect_channel(
        db.session,
        world.admin,
        world.team,
        channels.ChannelInput(kind=kind, name=f"#{kind}", url=hook.url(f"/{kind}"), **wants),
    )
    db.session.commit()
    return channel


def posts(**where) -> list[ChannelPost]:
    db.session.expire_all()
    return list(db.session.scalars(select(ChannelPost).filter_by(**where).order_by(ChannelPost.id)))


# What each service is sent ----------------------------------------------------------------


def test_a_recognition_reaches_slack_as_text_and_blocks(client, auth, world, hook):
    connect(world, hook, "slack")
    auth.login(world.manager.email)
    message = "You saw the <guest> & her kids were cold, before anyone else did."
    response = client.post(
        "/manage/recognize",
        data={"recipient_id": world.staff.id, "message": message, "award": "golden_key"},
    )
    assert response.status_code == 302
    got = hook.next()
    assert got.path == "/slack" and got.headers["Content-Type"].startswith("application/json")
    body = got.json
    assert body["text"].startswith(f"{world.manager.name} recognized {world.staff.name}")
    header, section, fields, context = body["blocks"]
    assert header == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": f"{world.manager.name} recognized {world.staff.name}",
        },
    }
    assert section["text"]["type"] == "mrkdwn"
    assert section["text"]["text"] == message.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    )
    assert fields["fields"] == [{"type": "mrkdwn", "text": "*Award*\nGolden key"}]
    link = context["elements"][0]["text"]
    assert link == f"<http://localhost/people/{world.staff.id}|Open in Kizuki>"
    assert [p.status for p in posts()] == ["sent"]


def test_microsoft_teams_gets_an_adaptive_card(app, world, hook):
    connect(world, hook, "teams")
    moment = log(world.staff, world.team)
    with app.test_request_context():
        adopt_practice(db.session, world.manager, moment.id, "Walk them there")
        db.session.commit()
        delivery.send_staged(db.session)
    body = hook.next().json
    assert body["type"] == "message" and len(body["attachments"]) == 1
    attachment = body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    title, text = card["body"][:2]
    assert title["type"] == "TextBlock" and title["weight"] == "Bolder"
    assert title["text"] == "New practice for Front desk: Walk them there"
    assert "Noticed: Guest looked lost near the lifts" in text["text"]
    (action,) = card["actions"]
    assert action["type"] == "Action.OpenUrl" and action["url"].startswith(
        "http://localhost/practices/"
    )


def test_a_json_webhook_is_signed_with_the_channels_secret(app, world, hook):
    channel = connect(world, hook, "json")
    assert channel.secret and len(channel.secret) == 64
    with app.test_request_context():
        give_recognition(
            db.session,
            world.manager,
            RecognitionInput(recipient_id=world.staff.id, message=MESSAGE),
        )
        db.session.commit()
        delivery.send_staged(db.session)
    got = hook.next()
    timestamp, signed = (
        part.split("=", 1)[1] for part in got.headers["X-Kizuki-Signature"].split(",")
    )
    expected = hmac.new(
        channel.secret.encode(), timestamp.encode() + b"." + got.raw, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(signed, expected)
    assert abs(int(timestamp) - int(utcnow().timestamp())) < 60
    assert got.headers["X-Kizuki-Event"] == "recognition"
    body = got.json
    assert body["event"] == "recognition" and body["team"] == {
        "id": world.team.id,
        "name": "Front desk",
    }
    assert body["text"] == MESSAGE and body["data"]["recipient"] == world.staff.name
    tampered = hmac.new(
        channel.secret.encode(), timestamp.encode() + b"." + got.raw + b" ", hashlib.sha256
    )
    assert tampered.hexdigest() != signed


def test_the_weekly_digest_is_posted_once(app, world, hook):
    connect(world, hook, "slack", post_recognitions=False)
    monday = utcnow() - timedelta(days=utcnow().weekday())
    with frozen_time(monday - timedelta(days=3)):
        log(world.staff, world.team)
    due = monday.replace(hour=9)
    with frozen_time(due):
        sending.send_weekly_digests(db.session)
        sending.send_weekly_digests(db.session)
    body = hook.next().json
    assert body["blocks"][0]["text"]["text"] == "The week of Front desk"
    assert hook.count() == 0 and len(posts(event="digest")) == 1


def test_a_channel_hears_only_what_it_wants(app, world, hook):
    connect(world, hook, "slack", post_recognitions=False, post_practices=True)
    with app.test_request_context():
        give_recognition(
            db.session,
            world.manager,
            RecognitionInput(recipient_id=world.staff.id, message=MESSAGE),
        )
        db.session.commit()
        delivery.send_staged(db.session)
    assert posts() == []


def test_a_refused_recognition_announces_nothing(client, auth, world, hook):
    connect(world, hook, "slack")
    auth.login(world.manager.email)
    response = client.post(
        "/manage/recognize", data={"recipient_id": world.staff.id, "message": "Too short"}
    )
    assert response.status_code == 422 and posts() == []
    assert db.session.info.get(channels.STAGED) is None


# Retries, failures and the log --------------------------------------------------------------


def _recognize(app, world):
    with app.test_request_context():
        give_recognition(
            db.session,
            world.manager,
            RecognitionInput(recipient_id=world.staff.id, message=MESSAGE),
        )
        db.session.commit()
        delivery.send_staged(db.session)


def test_a_failing_service_is_retried_with_back_off(app, world, hook):
    connect(world, hook, "slack")
    hook.answer(503, 500)
    _recognize(app, world)
    (post,) = posts()
    assert (post.status, post.attempts, post.last_status) == ("pending", 1, 503)
    assert "HTTP 503: no_service" in post.last_error
    # Not due yet: the periodic sweep leaves it alone.
    delivery.send_due_posts()
    assert posts()[0].attempts == 1
    with frozen_time(utcnow() + timedelta(seconds=delivery.RETRY_AFTER[0] + 1)):
        delivery.send_due_posts()
    assert (posts()[0].attempts, posts()[0].status) == (2, "pending")
    with frozen_time(utcnow() + timedelta(seconds=delivery.RETRY_AFTER[1] + 120)):
        delivery.send_due_posts()
    post = posts()[0]
    assert (post.status, post.attempts, post.last_status, post.last_error) == ("sent", 3, 200, None)
    assert hook.count() == 3


def test_a_gone_webhook_fails_at_once_and_an_endless_outage_gives_up(app, world, hook):
    connect(world, hook, "slack")
    hook.answer(404)
    _recognize(app, world)
    assert (posts()[0].status, posts()[0].attempts) == ("failed", 1)
    hook.answer(*[500] * (len(delivery.RETRY_AFTER) + 1))
    _recognize(app, world)
    when = utcnow()
    for pause in delivery.RETRY_AFTER:
        when += timedelta(seconds=pause + 1)
        with frozen_time(when):
            delivery.send_due_posts()
    last = posts()[-1]
    assert (last.status, last.attempts) == ("failed", len(delivery.RETRY_AFTER) + 1)


def test_an_unreachable_service_is_retried(app, world, hook, certificate):
    channel = connect(world, hook, "slack")
    with ChannelListener(*certificate) as gone:
        closed_url = gone.url("/slack")
        app.config["OUTBOUND_TEST_TARGETS"] = {hook.target, gone.target}
    channel.url = closed_url
    db.session.commit()
    _recognize(app, world)
    post = posts()[0]
    assert post.status == "pending" and post.attempts == 1 and post.last_status is None
    assert post.last_error


def test_a_post_is_sent_once_even_if_handed_out_twice(app, world, hook):
    connect(world, hook, "slack")
    _recognize(app, world)
    (post,) = posts()
    assert delivery.send_post(post.id) == "skipped"
    assert hook.count() == 1


def test_the_admin_page_connects_tests_and_shows_the_log(client, auth, world, hook):
    auth.login(world.admin.email)
    page = client.get(f"/admin/teams/{world.team.id}/channels").get_data(as_text=True)
    assert "Connect a channel" in page and 'style="' not in page
    response = client.post(
        f"/admin/teams/{world.team.id}/channels",
        data={"kind": "json", "name": "Our bot", "url": hook.url("/json"), "post_digest": "y"},
    )
    channel = db.session.scalars(select(TeamChannel)).one()
    assert response.status_code == 302
    assert (channel.post_digest, channel.post_recognitions) == (True, False)
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "channel.connected"
    assert client.post(f"/admin/channels/{channel.id}/test").status_code == 302
    assert hook.next().json["event"] == "test"
    detail = client.get(f"/admin/channels/{channel.id}").get_data(as_text=True)
    assert channel.secret in detail and "X-Kizuki-Signature" in detail and "delivered" in detail
    assert client.post(f"/admin/channels/{channel.id}/remove").status_code == 302
    assert db.session.scalar(select(func.count(TeamChannel.id))) == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.slack.com/services/x", "Use the https address"),
        ("https://10.1.2.3/hook", "Use the https address"),
        ("https://localhost/hook", "Use the https address"),
        ("https://169.254.169.254/latest", "Use the https address"),
        ("not a url", "Use the https address"),
        ("", "Enter between 9 and 2048 characters."),
    ],
)
def test_unsafe_addresses_are_refused_when_saved(client, auth, world, url, message):
    auth.login(world.admin.email)
    response = client.post(
        f"/admin/teams/{world.team.id}/channels", data={"kind": "slack", "name": "x", "url": url}
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TeamChannel.id))) == 0


def test_payload_pieces():
    message = payloads.Message(
        "test", "A <b>", "x & y", link="https://k.example/x", link_label="Open"
    )
    assert (
        payloads.slack(message)["blocks"][-1]["elements"][0]["text"] == "<https://k.example/x|Open>"
    )
    assert payloads.slack_escape("<a> & b") == "&lt;a&gt; &amp; b"
    teams = payloads.teams(message)
    assert teams["attachments"][0]["content"]["body"][0]["text"] == "A <b>"
    generic = payloads.generic(message, {"id": 1, "name": "T"}, utcnow())
    assert generic["event"] == "test" and generic["url"] == "https://k.example/x"
    assert date.fromisoformat(generic["created_at"][:10]) == utcnow().date()
