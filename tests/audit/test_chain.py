"""The audit log is a hash chain: append-only, tamper-evident and unable to fork."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.audit.services import GENESIS, record, verify_chain


def chain(session) -> list[AuditEvent]:
    return list(session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


@pytest.fixture
def three_events(session, users):
    moderator, resident = users.moderator(), users.unverified()
    record(moderator, "resident.verified_in_person", resident)
    record(moderator, "residency_codes.generated", None, batch="20260101-000000-abcd", count=12)
    record(None, "user.role_changed_from_cli", resident, old="resident", new="steering")
    session.commit()
    session.expire_all()
    return chain(session)


def tamper(session, sql: str, **params) -> None:
    """Change rows behind the ORM's back, the way someone with database access could."""
    session.execute(sa.text(sql), params)
    session.commit()
    session.expire_all()


def test_events_are_chained_by_hash(session, three_events):
    first, second, third = three_events

    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash, GENESIS}) == 4
    assert all(len(event.hash) == 64 for event in three_events)


def test_record_keeps_actor_subject_and_data(session, three_events):
    first, second, third = three_events

    assert first.subject_type == "users"
    assert first.subject_id == third.subject_id is not None
    assert first.actor_id == second.actor_id is not None
    assert first.actor_id != first.subject_id
    assert second.subject_type is None and second.subject_id is None
    assert second.data == {"batch": "20260101-000000-abcd", "count": 12}
    assert third.actor_id is None
    assert third.data == {"old": "resident", "new": "steering"}


def test_an_intact_chain_verifies(session, three_events):
    assert verify_chain() is None


def test_an_empty_log_verifies(session):
    assert verify_chain() is None


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_events SET action = 'resident.verification_revoked' WHERE id = :id",
        "UPDATE audit_events SET actor_id = NULL WHERE id = :id",
        """UPDATE audit_events SET data = '{"batch": "20260101-000000-abcd", "count": 13}' WHERE id = :id""",
        "UPDATE audit_events SET created_at = created_at - INTERVAL '1 day' WHERE id = :id",
    ],
    ids=["action", "actor", "data", "time"],
)
def test_a_changed_event_is_found(session, three_events, sql):
    target = three_events[1]
    if "INTERVAL" in sql and session.get_bind().dialect.name == "sqlite":
        sql = "UPDATE audit_events SET created_at = '2020-01-01 00:00:00.000000' WHERE id = :id"

    tamper(session, sql, id=target.id)

    assert verify_chain() == target.id


def test_rewriting_an_event_and_its_hash_is_found_at_the_next_event(session, three_events):
    first, second, third = three_events
    tamper(
        session,
        "UPDATE audit_events SET action = 'x', hash = :fake WHERE id = :id",
        fake="f" * 64,
        id=second.id,
    )

    # Its own hash no longer covers its content.
    assert verify_chain() == second.id


def test_a_deleted_event_is_found(session, three_events):
    first, second, third = three_events

    tamper(session, "DELETE FROM audit_events WHERE id = :id", id=second.id)

    assert verify_chain() == third.id


def test_the_orm_refuses_to_update_an_event(session, three_events):
    event = three_events[0]
    event.action = "nothing.happened"

    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()

    session.rollback()
    assert chain(session)[0].action == "resident.verified_in_person"
    assert verify_chain() is None


def test_the_orm_refuses_to_delete_an_event(session, three_events):
    session.delete(three_events[2])

    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()

    session.rollback()
    assert len(chain(session)) == 3


def test_the_chain_cannot_fork(session, three_events):
    """Two servers appending after the same event: the second insert is refused by UNIQUE(prev_hash)."""
    last = three_events[-1]
    fork = AuditEvent(
        created_at=last.created_at,
        actor_id=None,
        action="user.role_changed_from_cli",
        subject_type=None,
        subject_id=None,
        data={},
        prev_hash=last.prev_hash,
        hash="e" * 64,
    )
    session.add(fork)

    with pytest.raises(IntegrityError):
        session.flush()

    session.rollback()
    assert len(chain(session)) == 3
    assert verify_chain() is None


def test_appending_after_a_refused_fork_continues_the_chain(session, three_events):
    session.add(AuditEvent(created_at=three_events[0].created_at, action="x", data={},
                           prev_hash=GENESIS, hash="d" * 64))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()

    event = record(None, "admin.created_from_cli", None)
    session.commit()

    assert event.prev_hash == three_events[-1].hash
    assert verify_chain() is None
