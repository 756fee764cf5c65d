"""Sending e-mail over SMTP (smtplib), only when it is configured.

Kizuki works without e-mail: many frontline staff have no company address. With
MAIL_SERVER and MAIL_FROM set, people can ask for a password reset link by e-mail.
Delivery runs in a background thread by default, so a known address does not answer
measurably slower than an unknown one.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from email.message import EmailMessage
from typing import Any

from flask import current_app

from webapp.routing import links_reach_phones, public_url

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 15


def mail_enabled() -> bool:
    """True when e-mail can be sent (in production links also need PUBLIC_URL)."""
    config = current_app.config
    if not (config.get("MAIL_SERVER") and config.get("MAIL_FROM")):
        return False
    # Without a fixed public address a link would be built from the request's Host header,
    # which whoever asks for the e-mail chooses.
    return links_reach_phones()


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail, on PUBLIC_URL when it is set."""
    return public_url(endpoint, **values)


def send_mail(to: str, subject: str, body: str, html: str | None = None) -> None:
    """Send an e-mail (plain text, and an HTML alternative when given); failures are logged,
    never shown to the person asking."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    settings = {
        key: config.get(key)
        for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SECURITY")
    }
    if config.get("MAIL_BACKGROUND", True):
        threading.Thread(target=deliver, args=(settings, message), daemon=True).start()
    else:
        deliver(settings, message)


def deliver(settings: dict[str, Any], message: EmailMessage) -> bool:
    """Hand `message` to the SMTP server; True when it was accepted."""
    try:
        with _connect(settings) as smtp:
            if settings.get("MAIL_SECURITY") == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.get("MAIL_USERNAME"):
                smtp.login(settings["MAIL_USERNAME"], settings.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send e-mail via %s", settings.get("MAIL_SERVER"))
        return False


def _connect(settings: dict[str, Any]) -> smtplib.SMTP:
    host, port = str(settings["MAIL_SERVER"]), int(settings.get("MAIL_PORT") or 587)
    if settings.get("MAIL_SECURITY") == "ssl":
        return smtplib.SMTP_SSL(
            host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    return smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
