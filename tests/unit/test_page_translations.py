"""Templates look the request's translations up once per request and language, and still follow
every change of language within it (`force_locale`, `refresh()`); the PWA strings every page
carries are made once per language."""

from __future__ import annotations

import json

from flask import Flask, render_template_string
from flask_babel import force_locale, refresh

from webapp.pwa.strings import pwa_strings, pwa_strings_json

MESSAGES = "{{ _('Log a moment') }} | {{ ngettext('%(num)d kudos', '%(num)d kudos', 2) }}"


def in_language(app: Flask, language: str):  # type: ignore[no-untyped-def]
    return app.test_request_context("/", headers={"Cookie": f"lang={language}"})


def test_templates_follow_force_locale_and_return_to_the_page_language(app: Flask) -> None:
    with in_language(app, "en"):
        refresh()
        assert render_template_string(MESSAGES) == "Log a moment | 2 kudos"
        with force_locale("nl"):
            assert render_template_string(MESSAGES).startswith("Noteer een moment | ")
        assert render_template_string(MESSAGES) == "Log a moment | 2 kudos"


def test_templates_follow_a_refreshed_language(app: Flask) -> None:
    with in_language(app, "en"):
        refresh()
        assert render_template_string(MESSAGES).startswith("Log a moment")
    with in_language(app, "nl"):
        refresh()
        assert render_template_string(MESSAGES).startswith("Noteer een moment")


def test_pwa_strings_are_the_page_languages_and_safe_in_a_script(app: Flask) -> None:
    for language in ("en", "nl", "en"):
        with in_language(app, language):
            refresh()
            shown = str(pwa_strings_json())
            assert json.loads(shown) == pwa_strings()
            assert "<" not in shown and ">" not in shown
    with in_language(app, "nl"):
        refresh()
        dutch = json.loads(str(pwa_strings_json()))
    with in_language(app, "en"):
        refresh()
        assert json.loads(str(pwa_strings_json())) != dutch
