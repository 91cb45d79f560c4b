"""List queries for the residents pages: each returns a select() with what the page shows."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEvent
from app.auth.models import User
from app.privacy.services import DELETED_DOMAIN


def active_accounts() -> sa.ColumnElement[bool]:
    """Accounts their owners have not deleted (deletion anonymises the row in place)."""
    return User.email.not_like(f"%@{DELETED_DOMAIN}")


def residents(search: str = "", status: str = "", role: str = "") -> sa.Select:
    query = sa.select(User).options(selectinload(User.resident_verified_by)).where(active_accounts())
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            sa.or_(User.email.like(pattern), sa.func.lower(User.display_name).like(pattern))
        )
    if status == "unverified":
        query = query.where(User.resident_verified_at.is_(None))
    elif status == "verified":
        query = query.where(User.resident_verified_at.is_not(None))
    if role:
        query = query.where(User.role == role)
    return query.order_by(User.resident_verified_at.is_not(None), User.created_at.desc(), User.id)


def audit_events(action: str = "") -> sa.Select:
    query = sa.select(AuditEvent).options(selectinload(AuditEvent.actor))
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    return query.order_by(AuditEvent.id.desc())
