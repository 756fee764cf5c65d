"""What every template may use, registered once for the whole app: money in the
organisation's currency, times in its time zone, "5 minutes ago", award names, and the
few settings pages need (offline banner stamp, whether password e-mail works)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from webapp.account.mail import mail_enabled
from webapp.account.resets import VALID_HOURS
from webapp.extensions import db
from webapp.forms import error_summary, page_has_form
from webapp.game import joy
from webapp.i18n import (
    format_calendar_day,
    format_instant,
    format_money,
    formatting_tag,
    install_page_gettext,
    render_gettext,
)
from webapp.labels import LOCALE_LABELS
from webapp.moments.access import sees_gesture
from webapp.notifications.services import unread_count
from webapp.notifications.titles import shown_title
from webapp.practices.views import moment_practices
from webapp.pwa.strings import pwa_strings_json
from webapp.recognition.schemas import award_label
from webapp.timeutil import as_utc, utcnow

DEFAULT_CURRENCY = "EUR"


def money(cents: int | None) -> str:
    """An amount in cents, in the signed-in person's organisation's currency."""
    currency = DEFAULT_CURRENCY
    if current_user and current_user.is_authenticated:
        currency = current_user.organisation.currency or DEFAULT_CURRENCY
    return format_money((cents or 0) / 100, currency)


def local_time(moment: datetime | None, format: str = "medium") -> str:
    """A stored UTC instant in the organisation's time zone, in the reader's locale (their
    language in their browser's region: en-GB 30/11/2026, 14:05)."""
    if moment is None:
        return ""
    zone = ZoneInfo(current_user.organisation.timezone)
    return format_instant(as_utc(moment), format, zone)


def format_day(day: date) -> str:
    """A calendar day in the reader's language ("7 September")."""
    return format_calendar_day(day, "d MMMM")


def ago(moment: datetime) -> str:
    """How long ago, in days ("3 days ago")."""
    return str(format_timedelta(as_utc(moment) - utcnow(), granularity="day", add_direction=True))


def time_ago(moment: datetime) -> str:
    """How long ago, to the minute ("just now", "5 minutes ago")."""
    delta = as_utc(moment) - utcnow()
    if abs(delta) < timedelta(minutes=1):
        return _("just now")
    return str(format_timedelta(delta, add_direction=True))


def inbox_unread() -> int:
    """How many notifications the signed-in person has not read (the top bar's count; the
    base template asks once per page)."""
    if not (current_user and current_user.is_authenticated):
        return 0
    return unread_count(db.session(), current_user.id)


def page_context() -> dict[str, Any]:
    """Per-render values: the language, the app version (cache names), the render time."""
    return {
        "current_locale": str(get_locale() or "en"),
        # The region dates are written in (en-GB, en-US, nl-NL), for the scripts' Intl formats.
        "format_locale": formatting_tag(),
        "app_version": current_app.config.get("APP_VERSION", "dev"),
        # Stamps each page for the offline banner ("last updated at …").
        "rendered_at": utcnow().isoformat(timespec="seconds"),
        **render_gettext(),
    }


class ProcessBytecodeCache(BytecodeCache):
    """Templates compiled once per process, not once per app: each app has its own Jinja
    environment (and template cache), and a test makes an app for each test, where compiling
    the templates a page needs cost more than rendering it. Every app `create_app` makes sets
    up Jinja alike; a template whose source changed is compiled again (Jinja checks the
    source's checksum), so development's reloading is unchanged."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = ProcessBytecodeCache()


def init_templating(app: Flask) -> None:
    """Register the helpers once, app-wide, so any template (and macro) can use them."""
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    app.jinja_env.globals.update(
        money=money,
        local_time=local_time,
        ago=ago,
        format_day=format_day,
        time_ago=time_ago,
        award_label=award_label,
        language_labels=LOCALE_LABELS,  # each language named in itself
        sees_gesture=sees_gesture,  # the one rule for who sees what a gesture cost
        notification_title=shown_title,  # a colleague who left is a "Former colleague"
        pwa_strings_json=pwa_strings_json,  # the same on every page of a language
        password_mail_enabled=mail_enabled,
        reset_link_hours=VALID_HOURS,
        zip=zip,  # rows for the tables behind the charts
        moment_practices=moment_practices,  # the practices part of a moment's page
        error_summary=error_summary,  # the summary of a re-rendered form's messages
        inbox_unread=inbox_unread,  # the top bar's unread count
        page_has_form=page_has_form,  # no install offer on a form page
        joy_events=joy.take,  # what the last action earned, shown once (joy.js animates)
    )
    app.context_processor(page_context)
    install_page_gettext(app.jinja_env)
