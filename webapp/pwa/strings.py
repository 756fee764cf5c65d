"""The words the PWA scripts show, translated on the server and handed over as JSON."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from webapp.rules import MAX_GESTURE_CENTS

# The strings as the page carries them, per language: every page embeds them, and they change
# only with the translations, which a process loads once (as Flask-Babel does).
_AS_JSON: dict[str, Markup] = {}


def pwa_strings_json() -> Markup:
    """`pwa_strings()` in the page's language as JSON that is safe inside a <script>."""
    language = str(get_locale() or "")
    found = _AS_JSON.get(language)
    if found is None:
        found = htmlsafe_json_dumps(pwa_strings(), dumps=current_app.json.dumps)
        _AS_JSON[language] = found
    return found


def pwa_strings() -> dict[str, str]:
    """UI strings for static/pwa/js; `{n}`, `{time}` and `{reason}` are filled in there."""
    return {
        "offline": _("You are offline. What you enter is kept on this device."),
        "cachedAt": _("Offline: this page was last updated at %(time)s.", time="{time}"),
        "waiting": _("Waiting to sync"),
        "sending": _("Sending…"),
        "rejected": _("Not accepted"),
        "moment": _("Moment"),
        "kudos": _("Kudos"),
        "queued": _("Saved on this device. It will be sent when the connection returns."),
        "synced": _("Your saved entries have been sent."),
        "rejectedToast": _("An entry was not accepted. See the reason on the feed."),
        "unknownReason": _("The server did not accept this entry."),
        "discardConfirm": _("Discard this entry? It has not been sent and cannot be recovered."),
        # What the server says when it refuses the same form (webapp/moments/schemas.py and
        # the id fields): the queue refuses it before sending, in the same words.
        "amountFormat": _("Enter an amount in euros, such as 2,50."),
        "amountRange": _(
            "Enter an amount from %(low)d to %(high)d euros.",
            low=0,
            high=MAX_GESTURE_CENTS // 100,
        ),
        "chooseOption": _("Choose one of the options."),
        "controlCharacters": _("Remove the invisible control characters from this text."),
        "summaryOne": ngettext(
            "%(count)s entry on this device is waiting to sync.",
            "%(count)s entries on this device are waiting to sync.",
            1,
            count="{n}",
        ),
        "summaryOther": ngettext(
            "%(count)s entry on this device is waiting to sync.",
            "%(count)s entries on this device are waiting to sync.",
            2,
            count="{n}",
        ),
    }
