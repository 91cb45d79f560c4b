"""Imports every model, so metadata (and Alembic's autogenerate) sees the whole schema."""

from app.activities.models import Activity, Place, RoomRequest, Signup, VolunteerRole
from app.audit.models import AuditEvent
from app.auth.models import ResidencyCode, User
from app.centre.models import CentreSettings
from app.discussion.models import Comment, Flag
from app.media.models import Image
from app.news.models import NewsPost
from app.notifications.models import DigestSent, EmailChoice, Follow, Notification
from app.outbox.models import OutboxMessage
from app.phases.models import Round
from app.proposals.models import Category, Pledge, Proposal, ProposalEvent, ProposalRevision
from app.residents.models import SignInCode
from app.search.models import SearchEntry
from app.votes.models import Ballot, Participation

__all__ = [
    "Activity",
    "Place",
    "RoomRequest",
    "Signup",
    "VolunteerRole",
    "AuditEvent",
    "Ballot",
    "Category",
    "CentreSettings",
    "Comment",
    "DigestSent",
    "EmailChoice",
    "Flag",
    "Follow",
    "Image",
    "NewsPost",
    "Notification",
    "OutboxMessage",
    "Participation",
    "Pledge",
    "Proposal",
    "ProposalEvent",
    "ProposalRevision",
    "ResidencyCode",
    "Round",
    "SearchEntry",
    "SignInCode",
    "User",
]
