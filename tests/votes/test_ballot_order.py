"""Stored ballots are read in the order of their random keys, never in the order they were cast, so the
list handed to the count (and anything built from it) cannot be matched against the order of voters."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.rounds import services
from app.votes.counting import stored_ballots
from app.votes.models import Ballot
from tests.votes.helpers import make_proposal, make_round


def test_ballots_come_back_in_key_order_not_in_casting_order(session):
    round_ = make_round(session, secrecy="secret")
    keys = ["f" * 32, "0" * 32, "8" * 32, "3" * 32]  # cast in this order
    for n, key in enumerate(keys):
        session.add(Ballot(id=key, round_id=round_.id, choices=[str(n)]))
        session.flush()
    session.commit()
    by_key = [[str(keys.index(key))] for key in sorted(keys)]
    assert stored_ballots(round_.id) == by_key
    assert stored_ballots(round_.id) != [[str(n)] for n in range(len(keys))]


def test_sqlite_keeps_no_insertion_counter_for_ballots(session):
    """SQLite's hidden rowid grows with each insert; the ballots table has none (WITHOUT ROWID)."""
    if session.get_bind().dialect.name != "sqlite":
        assert session.get_bind().dialect.name == "postgresql"  # PostgreSQL has no rowid to hide
        return
    with pytest.raises(sa.exc.OperationalError, match="rowid"):
        session.execute(sa.text("SELECT rowid FROM ballots"))


def test_closing_leaves_the_ballots_stored_in_key_order(session, users):
    """PostgreSQL's heap keeps rows in insertion order: closing rewrites it in the order of the random
    keys, so the database files no longer follow the order of voting (SQLite stores by key anyway)."""
    round_ = make_round(session, secrecy="secret", ballot_kind="approval", max_choices=2)
    first, second = make_proposal(session, round_), make_proposal(session, round_)
    keys = ["f" * 32, "0" * 32, "8" * 32, "3" * 32, "c" * 32]  # cast in this order
    for key in keys:
        session.add(Ballot(id=key, round_id=round_.id, choices=[str(first.id), str(second.id)]))
        session.flush()
    session.commit()
    dialect = session.get_bind().dialect.name

    services.advance_phase(users.moderator(), round_.id, "voting")

    stored = session.scalars(sa.text("SELECT id FROM ballots")).all()  # storage order on both engines
    assert stored == sorted(keys)
    if dialect == "postgresql":
        assert session.scalars(sa.text("SELECT id FROM ballots ORDER BY ctid")).all() == sorted(keys)
