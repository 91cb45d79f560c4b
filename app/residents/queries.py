"""List queries for the residents pages: each returns a select() with what the page shows."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEvent
from app.auth.former import DELETED_DOMAIN
from app.auth.models import User
from app.residents.codes import CODE_LENGTH, hash_code, normalise_code
from app.residents.models import SignInCode


def active_accounts() -> sa.ColumnElement[bool]:
    """Accounts their owners have not deleted (deletion anonymises the row in place)."""
    return sa.or_(User.email.is_(None), User.email.not_like(f"%@{DELETED_DOMAIN}"))


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


SEARCH_LIMIT = 20


def people_matching(text: str) -> sa.Select:
    """Accounts found by part of the name or e-mail, by the flat ("12", "27/12"), by the number of a
    sign-in slip, or by a slip's whole code: for the front desk (paper ballots)."""
    text = text.strip().lower()
    code = normalise_code(text)
    building, _, flat = text.rpartition("/")
    matches = [
        sa.func.lower(User.display_name).contains(text, autoescape=True),
        User.email.contains(text, autoescape=True),
        sa.func.lower(User.flat) == text,
    ]
    if building and flat:
        matches.append(sa.and_(sa.func.lower(User.building) == building.strip(),
                               sa.func.lower(User.flat) == flat.strip()))
    slips = []
    if len(code) >= 4:
        slips.append(SignInCode.reference.contains(code, autoescape=True))
    if len(code) == CODE_LENGTH:
        slips.append(SignInCode.code_hash == hash_code(code))
    if slips:
        matches.append(User.id.in_(sa.select(SignInCode.user_id).where(sa.or_(*slips))))
    return (
        sa.select(User)
        .where(active_accounts(), sa.or_(*matches))
        .order_by(sa.func.lower(User.display_name), User.id)
        .limit(SEARCH_LIMIT)
    )
