"""The audit log in human words: stored details (stable, for machines) said the way an admin
reads them: "Kudos each person can give per week: 5 → 7", "Sanne added to Front desk as
Member", "Staff → Admin". Anything this module does not know is shown as stored."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.labels import LOCALE_LABELS, ORG_ROLE_LABELS, TEAM_ROLE_LABELS
from webapp.models import AuditEntry

# The same words as the settings and value forms use.
FIELD_LABELS: dict[str, Any] = {
    "name": _l("Name"),
    "timezone": _l("Time zone"),
    "default_locale": _l("Default language"),
    "currency": _l("Currency"),
    "kudos_weekly_allowance": _l("Kudos each person can give per week"),
    "kudos_same_receiver_weekly_cap": _l("Kudos to the same colleague per week"),
    "gesture_budget_cents": _l("Monthly gesture budget per person (euros)"),
    "points_moment": _l("Points for a logged moment"),
    "moment_points_daily_cap": _l("Moments that earn points per day"),
    "points_kudos_received": _l("Points for kudos received"),
    "points_kudos_given": _l("Points for kudos given"),
    "points_recognition": _l("Points for a manager's recognition"),
    "quiet_hours_start": _l("Quiet hours start"),
    "quiet_hours_end": _l("Quiet hours end"),
    "season_length_months": _l("Season length (months)"),
    "min_team_size": _l("Minimum team size on the leaderboard"),
    "description": _l("Description"),
    "active": _l("People can choose this value"),
}
_CHANGE = re.compile(r"^(\w+): (.*) → (.*)$")
_PERSON = re.compile(r"^(.*) \((\d+)\)(?:: (.*))?$")
# "staff, team 3, member, For Noor" (role, team id or "-", role in the team, the note)
_INVITE = re.compile(r"^(\w+), team (\d+|-), (\w+)(?:, (.*))?$")


def human_detail(entry: AuditEntry, team_names: dict[int, str]) -> str:
    """The entry's detail in words; `team_names` names the teams entries point at."""
    action, detail = entry.action, entry.detail or ""
    if action in ("settings.changed", "value.changed"):
        return "; ".join(_field_change(part) for part in detail.split("; ") if part)
    if action == "person.role_changed":
        return _arrow(detail, ORG_ROLE_LABELS)
    if action.startswith("team.member_"):
        return _membership(action, detail, team_names.get(entry.target_id or 0, ""))
    if action == "invite.created":
        return _invite(detail, team_names)
    return detail


def _invite(detail: str, team_names: dict[int, str]) -> str:
    match = _INVITE.match(detail)
    if not match:
        return detail
    role, team_id, team_role, note = match.groups()
    said = str(ORG_ROLE_LABELS.get(role, role))
    if team_id != "-":
        said = _(
            "%(role)s, in %(team)s as %(team_role)s",
            role=said,
            team=team_names.get(int(team_id), "?"),
            team_role=TEAM_ROLE_LABELS.get(team_role, team_role),
        )
    return f"{said} · {note}" if note else said


def _field_change(part: str) -> str:
    match = _CHANGE.match(part)
    if not match or match.group(1) not in FIELD_LABELS:
        return part
    name, old, new = match.groups()
    if name == "gesture_budget_cents":
        old, new = _euros(old), _euros(new)
    elif name == "default_locale":
        old, new = LOCALE_LABELS.get(old, old), LOCALE_LABELS.get(new, new)
    elif name == "active":
        old, new = _yes_no(old), _yes_no(new)
    return f"{FIELD_LABELS[name]}: {_shown(old)} → {_shown(new)}"


def _euros(cents: str) -> str:
    return f"{int(cents) / 100:.2f}" if cents.isdigit() else cents


def _yes_no(value: str) -> str:
    return str(_("yes")) if value == "True" else str(_("no")) if value == "False" else value


def _shown(value: str) -> str:
    return str(_("none")) if value in ("None", "") else value


def _arrow(detail: str, labels: dict[str, Any]) -> str:
    old, sep, new = detail.partition(" → ")
    if not sep:
        return detail
    return f"{labels.get(old, old)} → {labels.get(new, new)}"


def _membership(action: str, detail: str, team: str) -> str:
    match = _PERSON.match(detail)
    if not match:
        return detail
    name, _person_id, rest = match.groups()
    rest = rest or ""
    if action == "team.member_added":
        role = str(TEAM_ROLE_LABELS.get(rest, rest))
        return _("%(name)s added to %(team)s as %(role)s", name=name, team=team, role=role)
    if action == "team.member_removed":
        return _("%(name)s removed from %(team)s", name=name, team=team)
    return _(
        "%(name)s in %(team)s: %(change)s",
        name=name,
        team=team,
        change=_arrow(rest, TEAM_ROLE_LABELS),
    )
