"""Writing and checking the hash-chained audit log. Helpers only flush; the caller commits."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import Model, db, utcnow
from app.permissions import Actor

GENESIS = "0" * 64


def _digest(prev_hash: str, event: AuditEvent) -> str:
    payload = {
        "prev": prev_hash,
        "at": event.created_at.isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "subject": [event.subject_type, event.subject_id],
        "data": event.data,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(actor: Actor | None, action: str, subject: Model | None = None, **data: Any) -> AuditEvent:
    """Append an event by ``actor`` (a user, or None for the system). ``subject`` is any model with ``id``
    (its table name is recorded)."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appends across app servers; released at commit or rollback.
        session.execute(sa.text("SELECT pg_advisory_xact_lock(7212001)"))
    last = session.scalar(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=getattr(subject, "__tablename__", None),
        subject_id=getattr(subject, "id", None),
        data=data,
        prev_hash=last or GENESIS,
    )
    event.hash = _digest(event.prev_hash, event)
    session.add(event)
    session.flush()
    return event


def verify_chain() -> int | None:
    """Return the id of the first event whose hash does not match, or None when the chain holds."""
    prev = GENESIS
    for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).yield_per(500):
        if event.prev_hash != prev or event.hash != _digest(prev, event):
            return event.id
        prev = event.hash
    return None
