"""lock_round holds the round's write lock until the caller's commit, on both engines: another connection
can neither take the lock nor (on SQLite) start writing meanwhile. Casting and closing rely on it for their
phase checks; the unique constraint alone would not stop a vote counted after closing."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.db import db
from app.phases.locking import get_round_shared, lock_round, lock_round_phase
from app.phases.models import Round
from tests.live_server import scratch_database
from tests.queries import count_queries
from tests.votes.helpers import make_round


def try_to_lock(url: str, round_id: int) -> None:
    """What another app server does to take the round's lock, without waiting for it; raises when it is
    taken."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sa.make_url(url).database, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    other = sa.create_engine(url)
    try:
        with other.connect() as conn:
            conn.execute(sa.text("SELECT id FROM rounds WHERE id = :id FOR UPDATE NOWAIT"), {"id": round_id})
            conn.rollback()
    finally:
        other.dispose()


@pytest.fixture
def fresh_app(tmp_path):
    """An app on an empty database of the engine under test, outside the tests' rolled-back transaction
    (which would itself hold SQLite's write lock)."""
    with scratch_database(tmp_path) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            yield app, url
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_the_round_stays_locked_until_the_transaction_ends(fresh_app, end):
    app, url = fresh_app
    round_id = make_round(db.session).id
    db.session.close()
    try_to_lock(url, round_id)  # free before

    locked = lock_round(round_id)
    assert (locked.id, locked.phase) == (round_id, "voting")
    with pytest.raises((sqlite3.OperationalError, sa.exc.OperationalError), match="locked|lock"):
        try_to_lock(url, round_id)

    getattr(db.session, end)()
    try_to_lock(url, round_id)  # free again


def try_to_share(url: str, round_id: int) -> None:
    """What another ballot of the round does on PostgreSQL, without waiting; raises when it has to wait."""
    other = sa.create_engine(url)
    try:
        with other.connect() as conn:
            conn.execute(sa.text("SELECT phase FROM rounds WHERE id = :id FOR SHARE NOWAIT"),
                         {"id": round_id})
            conn.rollback()
    finally:
        other.dispose()


def test_a_ballot_lets_other_ballots_of_the_round_in_and_keeps_a_phase_change_out(fresh_app):
    """Voters of one round are not queued behind each other's commits (PostgreSQL; SQLite has one writer at a
    time anyway), while closing the round waits until every ballot being cast is in, and none comes after."""
    app, url = fresh_app
    round_id = make_round(db.session).id
    db.session.commit()
    with app.test_request_context(f"/rounds/{round_id}/vote", method="POST"):
        locked = lock_round_phase(db.session.get_one(Round, round_id), shared=True)
        assert locked.phase == "voting"
        if not url.startswith("sqlite"):
            try_to_share(url, round_id)
        with pytest.raises((sqlite3.OperationalError, sa.exc.OperationalError), match="locked|lock"):
            try_to_lock(url, round_id)
        db.session.rollback()
    try_to_lock(url, round_id)


def test_a_round_read_for_a_ballot_holds_its_lock_shared_for_that_transaction_only(fresh_app):
    """get_round_shared reads the round under the lock a ballot takes, so the ballot's own
    lock_round_phase reads nothing more; after the commit, or within a savepoint begun since, it reads
    under the lock again."""
    app, url = fresh_app
    round_id = make_round(db.session).id
    db.session.commit()
    with app.test_request_context(f"/rounds/{round_id}/vote", method="POST"):
        round_ = get_round_shared(round_id)
        assert round_ is not None and round_.phase == "voting"
        if not url.startswith("sqlite"):
            try_to_share(url, round_id)
        with pytest.raises((sqlite3.OperationalError, sa.exc.OperationalError), match="locked|lock"):
            try_to_lock(url, round_id)
        with count_queries(app) as statements:
            assert lock_round_phase(round_, shared=True) is round_
        assert statements == []

        savepoint = db.session.begin_nested()
        with count_queries(app) as statements:
            lock_round_phase(round_, shared=True)
        assert len(_phase_reads(statements)) == 1
        savepoint.rollback()  # the lock taken before it stays
        with count_queries(app) as statements:
            lock_round_phase(round_, shared=True)
        assert statements == []

        db.session.commit()
        try_to_lock(url, round_id)  # free once the transaction is over
        with count_queries(app) as statements:
            lock_round_phase(round_, shared=True)
        assert len(_phase_reads(statements)) == 1
        db.session.rollback()
    assert get_round_shared(987654) is None


def _phase_reads(statements: list[str]) -> list[str]:
    """lock_round_phase's reads under the lock."""
    return [s for s in statements if s.startswith("SELECT rounds.phase")]
