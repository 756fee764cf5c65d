"""The web app manifest, built per request so its names follow the person's language."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

THEME_COLOUR = "#2e2a6b"
BACKGROUND_COLOUR = "#fbf7f1"
ICON_SIZES = (192, 512)
# (file, size, form factor, label) of the store-style screenshots made by
# scripts/make_screenshots.py.
SCREENSHOTS = (
    ("narrow.png", "390x844", "narrow"),
    ("wide.png", "1280x800", "wide"),
)


def _static(filename: str) -> str:
    return url_for("static", filename=f"pwa/{filename}")


def _icons() -> list[dict[str, str]]:
    icons = []
    for size in ICON_SIZES:
        for purpose, name in (("any", "icon"), ("maskable", "maskable")):
            icons.append(
                {
                    "src": _static(f"icons/{name}-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": purpose,
                }
            )
    return icons


def _screenshots() -> list[dict[str, str]]:
    labels = {
        "narrow": _("The feed of moments on a phone"),
        "wide": _("The feed of moments on a larger screen"),
    }
    return [
        {
            "src": _static(f"screenshots/{name}"),
            "sizes": sizes,
            "type": "image/png",
            "form_factor": form_factor,
            "label": labels[form_factor],
        }
        for name, sizes, form_factor in SCREENSHOTS
    ]


def _shortcuts() -> list[dict[str, Any]]:
    icon = [{"src": _static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"}]
    return [
        {
            "name": _("Log a moment"),
            "short_name": _("Log"),
            "description": _("Write down a moment you noticed what a customer needed."),
            "url": "/moments/new",
            "icons": icon,
        },
        {
            "name": _("Give kudos"),
            "short_name": _("Kudos"),
            "description": _("Thank a colleague for what they did."),
            "url": "/kudos/new",
            "icons": icon,
        },
    ]


def build_manifest(locale: str) -> dict[str, Any]:
    """The manifest in the current request's language."""
    return {
        "id": "/",
        "name": _("Kizuki: recognition for noticing"),
        "short_name": _("Kizuki"),
        "description": _(
            "Log the moments you noticed what a customer needed, give kudos and see how "
            "your team is doing."
        ),
        "lang": locale,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["business", "productivity"],
        "icons": _icons(),
        "screenshots": _screenshots(),
        "shortcuts": _shortcuts(),
    }
