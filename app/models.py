"""Imports every model, so metadata (and Alembic's autogenerate) sees the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import ResidencyCode, User
from app.outbox.models import OutboxMessage

__all__ = ["AuditEvent", "OutboxMessage", "ResidencyCode", "User"]
