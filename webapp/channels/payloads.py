"""What each kind of channel is sent: a Slack incoming-webhook message (text and Block Kit
blocks), a Microsoft Teams message with an Adaptive Card (what Teams workflows and incoming
webhooks accept), or Kizuki's own JSON event. Pure functions over a `Message`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
ADAPTIVE_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


@dataclass(frozen=True)
class Message:
    """One thing to tell a team, already in the organisation's language."""

    event: str  # "recognition", "practice", "digest" or "test"
    title: str
    text: str
    link: str | None = None
    link_label: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def slack_escape(text: str) -> str:
    """Slack's mrkdwn treats &, < and > as markup: escape them, as Slack asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(message: Message) -> dict[str, Any]:
    """A Slack incoming-webhook body: `text` for notifications, blocks for the channel."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(message.text)[:3000]}},
    ]
    if message.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{slack_escape(k)}*\n{slack_escape(v)}"}
                    for k, v in message.facts[:10]
                ],
            }
        )
    if message.link:
        label = slack_escape(message.link_label or message.link)
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"<{message.link}|{label}>"}],
            }
        )
    return {"text": f"{message.title}: {message.text}"[:3000], "blocks": blocks}


def teams(message: Message) -> dict[str, Any]:
    """A Microsoft Teams message carrying one Adaptive Card."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        },
        {"type": "TextBlock", "text": message.text, "wrap": True},
    ]
    if message.facts:
        body.append(
            {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in message.facts]}
        )
    card: dict[str, Any] = {
        "$schema": ADAPTIVE_SCHEMA,
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.link:
        card["actions"] = [
            {
                "type": "Action.OpenUrl",
                "title": message.link_label or message.link,
                "url": message.link,
            }
        ]
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": card}],
    }


def generic(message: Message, team: dict[str, Any], sent_at: datetime) -> dict[str, Any]:
    """Kizuki's own event for any JSON webhook (signed; see `delivery.signature`)."""
    return {
        "event": message.event,
        "team": team,
        "title": message.title,
        "text": message.text,
        "url": message.link,
        "facts": [{"name": k, "value": v} for k, v in message.facts],
        "data": message.data,
        "created_at": sent_at.isoformat(),
    }


def body_for(kind: str, message: Message, team: dict[str, Any], at: datetime) -> str:
    """The exact JSON text a channel of `kind` is sent."""
    if kind == "slack":
        document = slack(message)
    elif kind == "teams":
        document = teams(message)
    else:
        document = generic(message, team, at)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
