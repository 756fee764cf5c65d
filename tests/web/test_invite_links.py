"""Invites people can receive: the link with Copy and Share and its QR code (server-rendered
SVG), a new link for an open invite, and a team's printable invite sheet."""

from __future__ import annotations

import re
from datetime import time as clock_time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import select

from tests.conftest import Auth
from tests.factories import World
from webapp.admin.invite_links import qr_svg
from webapp.auth.services import hash_token
from webapp.extensions import db
from webapp.models import AuditEntry, Invite, Membership, User
from webapp.timeutil import utcnow

LINK = re.compile(r'id="invite-link" type="text" value="([^"]+)"')


@pytest.fixture
def admin(client: FlaskClient, auth: Auth, world: World) -> World:
    auth.login(world.admin.email)
    return world


def _invite(world: World, team_id: int | None = None, **fields: object) -> Invite:
    invite = Invite(
        org_id=world.org.id,
        token_hash=hash_token(f"old-{len(fields)}-{team_id}-{fields.get('name')}"),
        created_by_id=world.admin.id,
        expires_at=utcnow() + timedelta(days=7),
        team_id=team_id,
        **fields,
    )
    db.session.add(invite)
    db.session.commit()
    return invite


def test_a_new_invite_shows_its_link_on_the_public_url_with_copy_share_and_qr(
    app: Flask, client: FlaskClient, admin: World
) -> None:
    app.config["PUBLIC_URL"] = "https://kizuki.example.com"
    page = client.post("/admin/invites", data={"role": "staff"}).get_data(as_text=True)
    url = LINK.search(page).group(1)  # type: ignore[union-attr]
    assert url.startswith("https://kizuki.example.com/invite/")
    assert 'data-copy="invite-link"' in page
    assert f'data-share="{url}"' in page
    # Both buttons wait for invite-share.js to find what the browser can do.
    assert re.search(r"<button[^>]*data-copy=[^>]*hidden>", page)
    assert re.search(r"<button[^>]*data-share=[^>]*hidden>", page)
    assert "/static/pwa/js/invite-share.js" in page
    # The QR code is the link's, rendered on the server as inline SVG (no script, no style).
    svg = str(qr_svg(url, "QR code of the invite link"))
    assert svg.startswith('<svg role="img" ') and "style=" not in svg
    assert svg in page


def test_without_a_public_url_the_link_uses_this_site(client: FlaskClient, admin: World) -> None:
    page = client.post("/admin/invites", data={"role": "staff"}).get_data(as_text=True)
    assert LINK.search(page).group(1).startswith("http://localhost/invite/")  # type: ignore[union-attr]


def test_a_new_link_replaces_the_old_one(client: FlaskClient, admin: World) -> None:
    invite = _invite(admin, admin.team.id, name="Noor Visser")
    old = invite.token_hash
    response = client.post(f"/admin/invites/{invite.id}/link")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "New invite link for Noor Visser" in page
    url = LINK.search(page).group(1)  # type: ignore[union-attr]
    token = url.rsplit("/", 1)[1]
    db.session.expire_all()
    assert invite.token_hash == hash_token(token) != old
    assert client.post("/logout").status_code == 302
    assert client.get(f"/invite/{token}").status_code == 200
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "invite.link_renewed"))


def test_no_new_link_for_a_used_or_revoked_invite(client: FlaskClient, admin: World) -> None:
    used = _invite(admin, name="Used", used_at=utcnow())
    revoked = _invite(admin, name="Revoked", revoked_at=utcnow())
    for invite in (used, revoked):
        before = invite.token_hash
        page = client.post(f"/admin/invites/{invite.id}/link", follow_redirects=True)
        assert "already been used or revoked" in page.get_data(as_text=True)
        db.session.refresh(invite)
        assert invite.token_hash == before


def test_an_imported_person_finds_their_details_and_keeps_them(
    client: FlaskClient, admin: World
) -> None:
    invite = _invite(
        admin,
        admin.team.id,
        name="Noor Visser",
        email="noor@example.com",
        locale="nl",
        work_start=clock_time(7, 0),
        work_end=clock_time(15, 30),
    )
    page = client.post(f"/admin/invites/{invite.id}/link").get_data(as_text=True)
    token = LINK.search(page).group(1).rsplit("/", 1)[1]  # type: ignore[union-attr]
    client.post("/logout")
    form = client.get(f"/invite/{token}").get_data(as_text=True)
    assert 'value="Noor Visser"' in form and 'value="noor@example.com"' in form
    password = "four words belong together"
    data = {"name": "Noor Visser", "email": "noor@example.com"}
    response = client.post(
        f"/invite/{token}", data={**data, "password": password, "confirm": password}
    )
    assert response.status_code == 302
    noor = db.session.scalar(select(User).where(User.email == "noor@example.com"))
    assert noor is not None
    assert (noor.locale, noor.work_start, noor.work_end) == (
        "nl",
        clock_time(7, 0),
        clock_time(15, 30),
    )
    assert db.session.scalar(
        select(Membership).where(Membership.user_id == noor.id, Membership.team_id == admin.team.id)
    )


def test_the_invite_sheet_asks_first_then_prints_a_card_per_person_with_fresh_links(
    client: FlaskClient, admin: World
) -> None:
    zara = _invite(admin, admin.team.id, name="Zara Bos")
    anna = _invite(admin, admin.team.id, name="Anna de Wit")
    elsewhere = _invite(admin, admin.other_team.id, name="Someone Else")
    before = {i.id: i.token_hash for i in (zara, anna, elsewhere)}
    ask = client.get(f"/admin/teams/{admin.team.id}/invite-sheet")
    assert ask.status_code == 200
    assert "2 people invited to this team" in ask.get_data(as_text=True)
    db.session.expire_all()
    assert {i.id: i.token_hash for i in (zara, anna, elsewhere)} == before  # GET changes nothing
    sheet = client.post(f"/admin/teams/{admin.team.id}/invite-sheet").get_data(as_text=True)
    names = re.findall(r'<h2 class="invite-card__name">([^<]+)</h2>', sheet)
    assert names == ["Anna de Wit", "Zara Bos"]
    assert "Someone Else" not in sheet
    assert sheet.count('<svg role="img" ') == 2
    urls = re.findall(r'<p class="invite-card__url">([^<]+)</p>', sheet)
    db.session.expire_all()
    assert zara.token_hash != before[zara.id] and anna.token_hash != before[anna.id]
    assert elsewhere.token_hash == before[elsewhere.id]
    client.post("/logout")
    for url in urls:
        assert client.get(url.replace("http://localhost", "")).status_code == 200
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "invite.sheet_printed"))


def test_the_sheet_is_a4_with_cards_that_never_break_across_pages(client: FlaskClient) -> None:
    response = client.get("/static/pwa/css/app.css")
    css = response.get_data(as_text=True)
    response.close()
    print_rules = css.split("@media print", 1)[1]
    assert "size: A4" in print_rules
    assert ".no-print" in print_rules and ".topbar" in print_rules
    assert "break-inside: avoid" in css


def test_the_invites_page_links_each_teams_sheet(client: FlaskClient, admin: World) -> None:
    _invite(admin, admin.team.id, name="Anna de Wit")
    page = client.get("/admin/invites").get_data(as_text=True)
    assert f'href="/admin/teams/{admin.team.id}/invite-sheet"' in page
    assert f'href="/admin/teams/{admin.team.id}/invite-sheet"' in client.get(
        f"/admin/teams/{admin.team.id}"
    ).get_data(as_text=True)


def test_the_new_scripts_work_offline(client: FlaskClient) -> None:
    source = client.get("/sw.js").get_data(as_text=True)
    for script in ("invite-share.js", "timezone.js"):
        assert f"/static/pwa/js/{script}" in source


def test_the_sheet_speaks_dutch(client: FlaskClient, admin: World) -> None:
    admin.admin.locale = "nl"
    db.session.commit()
    refresh()  # the test's app context outlives requests: forget the language chosen before
    _invite(admin, admin.team.id, name="Anna de Wit")
    ask = client.get(f"/admin/teams/{admin.team.id}/invite-sheet").get_data(as_text=True)
    assert "Uitnodigingsvel voor" in ask
    sheet = client.post(f"/admin/teams/{admin.team.id}/invite-sheet").get_data(as_text=True)
    assert "Scan met de camera van je telefoon" in sheet


@pytest.mark.parametrize(
    ("environment", "public_url", "warned"),
    [
        ("production", None, True),
        ("production", "https://kizuki.example.com", False),
        ("development", None, False),  # links then carry this site's own address
    ],
)
def test_admins_are_told_when_links_cannot_open_on_a_phone(
    app: Flask,
    client: FlaskClient,
    admin: World,
    environment: str,
    public_url: str | None,
    warned: bool,
) -> None:
    """A production server without PUBLIC_URL hands out bare paths: the invites page, the
    sheet's question and the sheet itself say so (the warning is not printed)."""
    app.config.update(KIZUKI_ENV=environment, PUBLIC_URL=public_url)
    _invite(admin, admin.team.id, name="Noor Visser")
    sheet = f"/admin/teams/{admin.team.id}/invite-sheet"
    pages = [
        client.post("/admin/invites", data={"role": "staff"}),
        client.get(sheet),
        client.post(sheet),
    ]
    for response in pages:
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert ("data-public-url-missing" in page) is warned
        assert ("PUBLIC_URL is not set" in page) is warned
    if warned:
        assert 'value="/invite/' in pages[0].get_data(as_text=True)
