"""Display names of the fixed choices (roles, languages), translated when shown."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORG_ROLE_LABELS = {"staff": _l("Staff"), "manager": _l("Manager"), "admin": _l("Admin")}
TEAM_ROLE_LABELS = {"member": _l("Member"), "lead": _l("Lead")}
# Each language is named in itself, so a person always finds their own.
LOCALE_LABELS = {"en": "English", "nl": "Nederlands"}
