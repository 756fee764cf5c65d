"""Templates look the request's translations up once per request and language, and still follow
every change of language within it (`force_locale`, `refresh()`); the PWA strings every page
carries are made once per language, and so are WTForms' own messages."""

from __future__ import annotations

import json

from babel import support
from flask import Flask, render_template_string
from flask_babel import force_locale, get_translations, refresh
from flask_wtf.i18n import translations as wtforms_translations
from jinja2 import ext as jinja_i18n

from webapp.forms import share_form_translations
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


def test_wtforms_messages_are_the_page_languages_read_once(
    app: Flask,
    client,
    world,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    with in_language(app, "nl"):
        refresh()
        share_form_translations()
        assert wtforms_translations.gettext("Not a valid choice.") == "Ongeldige keuze."
    with in_language(app, "en"):
        refresh()
        share_form_translations()
        assert wtforms_translations.gettext("Not a valid choice.") == "Not a valid choice."
    read = []
    real_load = support.Translations.load

    def load(*args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(args)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(support.Translations, "load", load)
    for _ in range(3):
        refresh()
        assert client.get("/login").status_code == 200
    assert read == []  # both languages were read above, once


# Messages as pages use them: variables to escape in a message that holds markup, names a
# wrapper might claim for itself, a literal percent sign, a plural.
GETTEXT_CASES = (
    "{{ _('to %(name)s', name=who) }}|{{ gettext('Log a moment') }}|{{ _('100%% sure') }}"
    "|{{ _('<em>%(name)s</em>', name=who) }}"
    "|{{ _('%(string)s and %(num)s', string=who, num=3) }}"
    "|{{ ngettext('%(num)d kudos', '%(num)d kudos', 2) }}"
    "|{{ ngettext('%(num)d of %(name)s', '%(num)d of %(name)s', 1, name=who, num=7) }}"
)


def test_page_messages_read_as_jinjas_own_newstyle_gettext_does(app: Flask) -> None:
    """Kizuki's per-render `_`, `gettext` and `ngettext` call the translations directly;
    they must answer exactly as Jinja's wrappers, escaped or not."""
    templates = (GETTEXT_CASES, "{% autoescape false %}" + GETTEXT_CASES + "{% endautoescape %}")
    for language in ("en", "nl"):
        with in_language(app, language):
            refresh()
            translations = get_translations()
            jinjas = {
                "_": jinja_i18n._make_new_gettext(translations.ugettext),
                "gettext": jinja_i18n._make_new_gettext(translations.ugettext),
                "ngettext": jinja_i18n._make_new_ngettext(translations.ungettext),
            }
            for template in templates:
                ours = render_template_string(template, who="<b>Zoë</b>")
                theirs = render_template_string(template, who="<b>Zoë</b>", **jinjas)
                assert ours == theirs
    with in_language(app, "en"):
        refresh()
        assert render_template_string(GETTEXT_CASES, who="<b>") == (
            "to &lt;b&gt;|Log a moment|100% sure|<em>&lt;b&gt;</em>|&lt;b&gt; and 3|2 kudos"
            "|7 of &lt;b&gt;"
        )
