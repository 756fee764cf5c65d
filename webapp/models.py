"""Every model, imported in one place so Alembic and the app see the whole schema."""

from webapp.audit.models import AuditEntry
from webapp.auth.models import ApiToken, Invite, PasswordReset, User
from webapp.game.models import BadgeAward, Challenge, LedgerEntry, PointsDaily, Season
from webapp.kudos.models import Kudos, KudosAllowanceUse
from webapp.moments.models import Moment, moment_colleagues, moment_values
from webapp.notifications.models import Notification, PushSubscription
from webapp.orgs.models import Membership, Organisation, Team, Value
from webapp.recognition.models import Recognition, recognition_moments

__all__ = [
    "ApiToken",
    "AuditEntry",
    "BadgeAward",
    "Challenge",
    "Invite",
    "Kudos",
    "KudosAllowanceUse",
    "LedgerEntry",
    "Membership",
    "Moment",
    "Notification",
    "Organisation",
    "PasswordReset",
    "PointsDaily",
    "PushSubscription",
    "Recognition",
    "Season",
    "Team",
    "User",
    "Value",
    "moment_colleagues",
    "moment_values",
    "recognition_moments",
]
