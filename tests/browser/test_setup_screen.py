"""The first-run /setup in a real browser on an empty server: every page leads there, the
time zone starts at the browser's own, and finishing it signs the admin in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import BROWSER
from tests.browser.live import PHONE, build_app, serve

pytestmark = BROWSER


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[str]:
    app = build_app(tmp_path / "empty.db")
    with serve(app) as url:
        yield url


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Chicago"])
def test_setup_starts_at_the_browsers_time_zone(browser: Any, empty_server: str, zone: str) -> None:
    context = browser.new_context(base_url=empty_server, timezone_id=zone, **PHONE)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.url.endswith("/setup")
        assert page.locator("#timezone").input_value() == zone
        page.fill("#name", "Tram Company")
        page.select_option("#currency", "GBP")
        page.fill("#admin_name", "Ada Jansen")
        page.fill("#admin_email", "ada@tram.test")
        page.fill("#password", "four words belong together")
        page.fill("#confirm", "four words belong together")
        page.get_by_role("button", name="Start").click()
        page.wait_for_url("**/setup/start")
        assert page.get_by_role("heading", name="Getting started").is_visible()
        assert page.goto("/setup").status == 404  # gone for good
    finally:
        context.close()
