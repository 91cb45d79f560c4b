"""Voting opens only when a valid, meaningful ballot is possible; the schedule moves one phase at a
time; the lot's seed is committed to before voting; closing leaves nothing that pairs a secret ballot
with its voter."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.errors import Conflict, InvalidInput
from app.rounds import services
from app.rounds.settings import RoundSettings
from app.votes import services as votes
from app.votes import tally as engine
from app.votes.models import Ballot, Participation
from tests.votes.helpers import make_proposal, make_round


def _open(session, users, round_):
    services.advance_phase(users.moderator(), round_.id, "review")
    session.refresh(round_)
    return round_


def test_a_ranking_round_takes_a_number_of_winners_or_a_score_not_both():
    settings = RoundSettings(title="Ranking", rule="ranking", budget_grosze=None, ranking_top_n=3,
                             ranking_threshold=10)
    with pytest.raises(InvalidInput) as refused:
        settings.validate()
    assert refused.value.field == "ranking_threshold"
    assert "nie oba naraz" in str(refused.value.message) or "not both" in str(refused.value.message)


def test_voting_does_not_open_while_a_proposal_has_no_cost_in_a_budget_round(session, users):
    round_ = make_round(session, phase="review", ballot_kind="approval", max_choices=2)
    make_proposal(session, round_, title="Ławki")
    make_proposal(session, round_, title="Mural bez wyceny", cost_grosze=None)
    with pytest.raises(Conflict) as refused:
        services.advance_phase(users.moderator(), round_.id, "review")
    assert "Mural bez wyceny" in str(refused.value.message)
    session.refresh(round_)
    assert round_.phase == "review" and round_.lot_seed is None


def test_a_ranking_round_needs_no_costs(session, users):
    round_ = make_round(session, phase="review", ballot_kind="approval", max_choices=2, rule="ranking",
                        budget_grosze=None, ranking_top_n=1)
    make_proposal(session, round_, cost_grosze=None)
    assert _open(session, users, round_).phase == "voting"


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"ballot_kind": "approval", "min_choices": 3, "max_choices": 3}, "co najmniej 3"),
        ({"ballot_kind": "approval", "min_choices": 2, "max_choices": 2, "max_ballot_cost_grosze": 150_000},
         "limicie kosztów"),
        ({"ballot_kind": "ordinal", "min_choices": 3, "max_choices": 3}, "co najmniej 3"),
    ],
    ids=["too few proposals", "cost limit", "ordinal ranks more than there are"],
)
def test_voting_does_not_open_when_no_valid_ballot_is_possible(session, users, settings, words):
    round_ = make_round(session, phase="review", **settings)
    make_proposal(session, round_, cost_grosze=100_000)
    make_proposal(session, round_, cost_grosze=100_000)
    with pytest.raises(Conflict) as refused:
        services.advance_phase(users.moderator(), round_.id, "review")
    assert words in str(refused.value.message)


def test_voting_does_not_open_after_its_end_date(session, users):
    round_ = make_round(session, phase="review", ballot_kind="approval", max_choices=2,
                        voting_ends_at=utcnow() - timedelta(minutes=5))
    make_proposal(session, round_)
    with pytest.raises(Conflict) as refused:
        services.advance_phase(users.moderator(), round_.id, "review")
    assert "już minął" in str(refused.value.message)


def test_the_schedule_moves_a_round_one_phase_per_run(session):
    now = utcnow()
    round_ = make_round(session, phase="draft", ballot_kind="approval", max_choices=2,
                        submission_starts_at=now - timedelta(days=3),
                        review_starts_at=now - timedelta(days=2))
    assert services.apply_schedule(now) == [(round_.id, "draft", "submission")]
    assert services.apply_schedule(now) == [(round_.id, "submission", "review")]


def test_one_failing_round_does_not_stop_the_schedule(session, monkeypatch):
    now = utcnow()
    broken = make_round(session, phase="draft", submission_starts_at=now - timedelta(minutes=2))
    fine = make_round(session, phase="draft", submission_starts_at=now - timedelta(minutes=1))
    real = services.advance_phase

    def advance(actor, round_id, phase, seed=None):
        if round_id == broken.id:
            raise ValueError("a bug in one round")
        return real(actor, round_id, phase, seed)

    monkeypatch.setattr(services, "advance_phase", advance)
    moves = services.apply_schedule(now)
    assert (broken.id, "draft", "failed: a bug in one round") in moves
    assert (fine.id, "draft", "submission") in moves


def test_the_lot_seed_is_committed_when_voting_opens_and_used_at_closing(client, session, users):
    round_ = make_round(session, phase="review", ballot_kind="approval", max_choices=2)
    make_proposal(session, round_)
    _open(session, users, round_)
    seed = round_.lot_seed
    assert seed and round_.seed_commitment == hashlib.sha256(seed.encode()).hexdigest()
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert round_.seed_commitment in page and seed not in page

    services.advance_phase(users.moderator(), round_.id, "voting")
    session.refresh(round_)
    assert round_.lot_seed == seed and round_.result["seed"] == seed
    results = client.get(f"/rounds/{round_.id}/results").get_data(as_text=True)
    assert seed in results and round_.seed_commitment in results


def test_closing_leaves_no_row_metadata_pairing_a_secret_ballot_with_its_voter(session, users):
    """PostgreSQL stamps each row with the transaction that wrote it (xmin): a ballot and its
    participation row are written together. Closing rewrites the ballots in one transaction."""
    round_ = make_round(session, ballot_kind="approval", max_choices=2, secrecy="secret")
    proposal = make_proposal(session, round_)
    for _ in range(3):
        votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposal.id),)))
    dialect = session.get_bind().dialect.name

    def stamps(model):
        return set(session.scalars(sa.select(sa.literal_column("xmin::text")).select_from(model)
                                   .where(model.round_id == round_.id)))

    if dialect == "postgresql":
        assert stamps(Ballot) == stamps(Participation)  # while voting: pairable (see app/votes/services.py)
    services.advance_phase(users.moderator(), round_.id, "voting")
    assert session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 3
    if dialect == "postgresql":
        # One stamp for all the ballots. Closing also clears the participations' identity hashes, so
        # they may all carry that same stamp too: a stamp shared by every row pairs nobody.
        assert len(stamps(Ballot)) == 1
        assert not stamps(Ballot) & stamps(Participation) or stamps(Participation) == stamps(Ballot)
    else:
        assert dialect == "sqlite"  # no per-row transaction stamps, no rowid (test_ballot_order.py)


def test_settings_stored_before_a_check_existed_are_caught_before_voting_not_at_closing(session, users):
    round_ = make_round(session, phase="review", ballot_kind="approval", max_choices=2, rule="ranking",
                        budget_grosze=None, ranking_top_n=1)
    make_proposal(session, round_)
    round_.ranking_threshold = 5  # as an older version of the platform could store it
    session.commit()
    with pytest.raises(Conflict) as refused:
        services.advance_phase(users.moderator(), round_.id, "review")
    assert "nie oba naraz" in str(refused.value.message)
