"""Casting a vote online reads the round once, under its lock, and only the chosen proposals of its ballot,
and repeats no statement; the one ballot per voter guarantees stay (tests/concurrency/test_parallel_votes.py
fires parallel requests)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.votes.models import Ballot, Participation
from tests.queries import count_queries
from tests.votes.helpers import make_proposal, make_round


def _normalised(statement: str) -> str:
    return re.sub(r"\s+", " ", statement).strip()


@pytest.mark.parametrize("secrecy", ["secret", "public"])
def test_a_cast_reads_the_round_once_and_repeats_nothing(secrecy, app, session, users, client):
    round_ = make_round(session, secrecy=secrecy, max_choices=2)
    proposals = [make_proposal(session, round_) for _ in range(3)]
    voter = users.resident()
    client.login(voter)
    client.csrf_token()

    url, choice = f"/rounds/{round_.id}/vote", str(proposals[0].id)  # read before counting

    with count_queries(app) as statements:
        response = client.post(url, {"choice": [choice]}, confirm=True)
    assert response.status_code in (200, 303)

    queries = [_normalised(s) for s in statements if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK",
                                                                          "BEGIN"))]
    full_round_reads = [s for s in queries if s.startswith("SELECT rounds.id, rounds.title")]
    ballot_reads = [s for s in queries if "FROM proposals" in s]
    assert len(full_round_reads) == 1, "\n".join(q[:90] for q in queries)
    assert len(ballot_reads) == 1, ballot_reads
    assert len(queries) == len(set(queries)), queries
    # The signed-in voter; the round, read under its lock (no second look at its phase); the chosen
    # proposals; for the receipt page, the header's unread count; participation and ballot, in one INSERT on
    # PostgreSQL (two on SQLite). The footer's centre details are read once per process.
    postgres = session.get_bind().dialect.name == "postgresql"
    assert not any(s.startswith("SELECT rounds.phase") for s in queries), queries
    if postgres:
        assert full_round_reads[0].endswith("FOR SHARE"), full_round_reads
    assert "proposals.id IN" in ballot_reads[0], ballot_reads
    work = [s for s in queries if not s.startswith("SELECT centre_settings")]
    assert len(work) == 3 + (secrecy == "secret") + (1 if postgres else 2), work

    stored = session.scalars(sa.select(Ballot.choices).where(Ballot.round_id == round_.id)).all()
    assert stored == [[choice]]
    assert session.scalar(sa.select(sa.func.count()).select_from(Participation)
                          .where(Participation.round_id == round_.id, Participation.user_id == voter.id)) == 1
