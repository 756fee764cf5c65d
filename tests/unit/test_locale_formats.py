"""Dates, times and money in the reader's locale: the page's language (nl, en) decides the
words, the browser's region of that language decides the format (en-GB 30/11/2026 and a 24-hour
clock, en-US 11/30/2026 2:05 PM), and without one the European default (en-GB, nl-NL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_babel import force_locale

from webapp.i18n import (
    format_calendar_day,
    format_instant,
    format_money,
    formatting_locale,
    formatting_tag,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# 13:05 UTC is 14:05 in Amsterdam on 30 November.
INSTANT = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)
NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM/PM


def request_in(app: Flask, accept: str | None, language: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"Accept-Language": accept} if accept else {}
    if language:
        headers["Cookie"] = f"lang={language}"
    return app.test_request_context("/", headers=headers)


@pytest.mark.parametrize(
    ("accept", "language", "tag", "shown"),
    [
        ("en-GB,en;q=0.9", None, "en-GB", "30/11/2026, 14:05"),
        ("en-US,en;q=0.9", None, "en-US", f"11/30/2026, 2:05{NNBSP}PM"),
        # English with no region, or no header at all: the European default.
        ("en", None, "en-GB", "30/11/2026, 14:05"),
        (None, "en", "en-GB", "30/11/2026, 14:05"),
        ("nl-NL,nl;q=0.9,en;q=0.5", None, "nl-NL", "30-11-2026, 14:05"),
        ("nl", None, "nl-NL", "30-11-2026, 14:05"),
        ("nl-BE,nl;q=0.9", None, "nl-BE", "30/11/2026, 14:05"),
        # A Dutch page keeps Dutch dates although the browser's first region is American.
        ("en-US,en;q=0.9", "nl", "nl-NL", "30-11-2026, 14:05"),
        # The region follows the page's language: an English page for a Dutch browser that
        # also reads en-US is written the American way.
        ("nl-NL,en-US;q=0.8", "en", "en-US", f"11/30/2026, 2:05{NNBSP}PM"),
    ],
)
def test_a_short_date_and_time_follow_the_readers_locale(
    app: Flask, accept: str | None, language: str | None, tag: str, shown: str
) -> None:
    with request_in(app, accept, language):
        assert formatting_tag() == tag
        assert format_instant(INSTANT, "short", AMSTERDAM) == shown


@pytest.mark.parametrize(
    ("accept", "shown"),
    [
        ("en-GB", "30 Nov 2026, 14:05:00"),
        ("en-US", "Nov 30, 2026, 2:05:00\u202fPM"),
        ("nl", "30 nov 2026, 14:05:00"),
    ],
)
def test_other_formats_come_from_the_locale_too(app: Flask, accept: str, shown: str) -> None:
    with request_in(app, accept):
        assert format_instant(INSTANT, "medium", AMSTERDAM) == shown


@pytest.mark.parametrize(
    ("accept", "short", "named"),
    [
        ("en-GB", "30/11/2026", "30 November"),
        ("en-US", "11/30/2026", "30 November"),
        ("nl", "30-11-2026", "30 november"),
    ],
)
def test_calendar_days(app: Flask, accept: str, short: str, named: str) -> None:
    with request_in(app, accept):
        assert format_calendar_day(date(2026, 11, 30), "short") == short
        assert format_calendar_day(date(2026, 11, 30), "d MMMM") == named


@pytest.mark.parametrize(
    ("accept", "euros", "pounds"),
    [
        ("en-GB", "€25.50", "£25.50"),
        ("en-US", "€25.50", "£25.50"),
        ("nl", "€\xa025,50", "£\xa025,50"),
    ],
)
def test_money_is_written_the_locales_way_in_the_given_currency(
    app: Flask, accept: str, euros: str, pounds: str
) -> None:
    with request_in(app, accept):
        assert format_money(25.5, "EUR") == euros
        assert format_money(25.5, "GBP") == pounds


@pytest.mark.parametrize(
    "accept",
    ["xx-YY", "en-!!", "en-" + "A" * 200, "*", "en-GB-oxendict-x-private", ";;;,,,", "en_GB"],
)
def test_odd_accept_language_headers_fall_back_to_the_default(app: Flask, accept: str) -> None:
    with request_in(app, accept, "en"):
        assert formatting_locale().language == "en" and formatting_tag() == "en-GB"
        assert format_instant(INSTANT, "short", AMSTERDAM) == "30/11/2026, 14:05"


def test_outside_a_request_the_default_region_is_used(app: Flask) -> None:
    assert formatting_tag() == "en-GB"
    assert format_instant(INSTANT, "short", AMSTERDAM) == "30/11/2026, 14:05"


def test_a_forced_language_within_a_request_formats_in_that_language(app: Flask) -> None:
    # A page's request may write a notification in its recipient's language (`force_locale`):
    # the formatting locale remembered for the page's language must not leak into it.
    with request_in(app, "en-US,en;q=0.9,nl-BE;q=0.8"):
        assert formatting_tag() == "en-US"
        with force_locale("nl"):
            assert formatting_tag() == "nl-BE"
            assert format_calendar_day(date(2026, 11, 30), "short") == "30/11/2026"
        assert formatting_tag() == "en-US"


def test_each_request_chooses_its_own_formatting_locale(app: Flask) -> None:
    # The tests keep one app context (one `g`) across requests, as a server never does; the
    # language stays English (Flask-Babel keeps it on `g`), the region changes.
    for accept, tag in [("en-US", "en-US"), ("en-GB", "en-GB"), ("en", "en-GB")]:
        with request_in(app, accept):
            assert formatting_tag() == tag
