"""The schema: every model, one module per area, imported here so Alembic and the app see
the whole of it. Models hold data and small derived properties; they never commit."""

from webapp.models.audit import AuditEntry
from webapp.models.auth import ApiToken, Invite, PasswordReset, User, UserSession
from webapp.models.channels import CHANNEL_KINDS, ChannelPost, TeamChannel
from webapp.models.digests import Digest, DigestDelivery
from webapp.models.game import BadgeAward, Challenge, Season, SeasonResult, SeasonStory
from webapp.models.imports import IMPORT_STATES, PeopleImport
from webapp.models.insights import PatternDismissal
from webapp.models.kiosk import KioskDevice, KioskPin
from webapp.models.kudos import Kudos, KudosAllowanceUse
from webapp.models.locks import SerialLock
from webapp.models.moments import Moment, moment_colleagues, moment_values
from webapp.models.notifications import Notification, PushSubscription
from webapp.models.orgs import ORG_ROLES, TEAM_ROLES, Membership, Organisation, Team, Value
from webapp.models.points import LedgerEntry, PointsDaily, TeamPoints, UserPoints
from webapp.models.practices import Practice, PracticeMoment
from webapp.models.recognition import Recognition, recognition_moments
from webapp.models.setup import FIRST_RUN_ID, FirstRun

__all__ = [
    "ApiToken",
    "AuditEntry",
    "BadgeAward",
    "CHANNEL_KINDS",
    "Challenge",
    "ChannelPost",
    "Digest",
    "FIRST_RUN_ID",
    "FirstRun",
    "DigestDelivery",
    "IMPORT_STATES",
    "Invite",
    "KioskDevice",
    "KioskPin",
    "Kudos",
    "KudosAllowanceUse",
    "LedgerEntry",
    "Membership",
    "Moment",
    "Notification",
    "ORG_ROLES",
    "Organisation",
    "PatternDismissal",
    "PasswordReset",
    "PeopleImport",
    "PointsDaily",
    "Practice",
    "PracticeMoment",
    "PushSubscription",
    "Recognition",
    "Season",
    "SerialLock",
    "SeasonResult",
    "SeasonStory",
    "TEAM_ROLES",
    "Team",
    "TeamPoints",
    "TeamChannel",
    "User",
    "UserPoints",
    "UserSession",
    "Value",
    "moment_colleagues",
    "moment_values",
    "recognition_moments",
]
