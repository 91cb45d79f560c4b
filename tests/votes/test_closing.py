"""Rounds through their phases: advancing, the schedule, closing atomically, recounting."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotAllowed
from app.notifications.models import Notification
from app.outbox.models import OutboxMessage
from app.phases.models import Phase, Round
from app.proposals.models import Pledge, Proposal, ProposalEvent, Status
from app.rounds import services
from app.rounds.settings import RoundSettings
from app.votes import counting
from app.votes import services as votes
from app.votes import tally as engine
from app.votes.models import Ballot
from tests.votes.helpers import make_proposal, make_round


def test_create_round_validates_settings_as_a_whole(session, users):
    moderator = users.moderator()
    with pytest.raises(InvalidInput) as refused:
        services.create_round(moderator, RoundSettings(title="Bez budżetu", budget_grosze=None))
    assert refused.value.field == "budget_grosze"
    with pytest.raises(InvalidInput) as refused:
        services.create_round(moderator, RoundSettings(title="R", ballot_kind="ordinal", budget_grosze=100))
    assert refused.value.field == "max_choices"
    with pytest.raises(InvalidInput) as refused:
        services.create_round(moderator, RoundSettings(
            title="Daty", budget_grosze=100, review_starts_at=utcnow(),
            submission_starts_at=utcnow() + timedelta(days=1)))
    assert refused.value.field == "review_starts_at"
    settings = RoundSettings(title="Zielony budżet <b>", budget_grosze=5_000_00,
                             description="**Ważne** <script>x</script>")
    round_ = services.create_round(moderator, settings)
    assert round_.phase == Phase.DRAFT
    assert "<script>" not in round_.description_html and "<strong>Ważne</strong>" in round_.description_html
    assert session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "round.created"


@pytest.mark.parametrize("role", ["resident", "steering", "unverified"])
def test_only_staff_run_rounds(session, users, role):
    round_ = make_round(session, phase="draft")
    actor = users.for_role(role)
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    with pytest.raises(NotAllowed):
        services.create_round(actor, RoundSettings(title="x", budget_grosze=100))
    with pytest.raises(NotAllowed):
        services.advance_phase(actor, round_.id, "draft")
    session.refresh(round_)
    assert round_.phase == "draft"
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(Round)) == 1


def test_vote_meaning_is_frozen_once_voting_starts(session, users):
    moderator = users.moderator()
    round_ = make_round(session, phase="voting")
    settings = RoundSettings.of(round_)
    settings.title = "Nowy tytuł"
    services.update_round(moderator, round_, settings)  # the title may change
    settings.budget_grosze = 1
    with pytest.raises(NotAllowed):
        services.update_round(moderator, round_, settings)
    session.refresh(round_)
    assert round_.budget_grosze == 1_000_000 and round_.title == "Nowy tytuł"


def test_advancing_one_phase_at_a_time(session, users):
    moderator = users.moderator()
    round_ = make_round(session, phase="draft")
    services.advance_phase(moderator, round_.id, "draft")
    assert round_.phase == "submission"
    with pytest.raises(Conflict):  # a double submit of the same button does not skip a phase
        services.advance_phase(moderator, round_.id, "draft")
    services.advance_phase(moderator, round_.id, "submission")
    waiting = make_proposal(session, round_, status=Status.SUBMITTED)
    with pytest.raises(Conflict):  # proposals wait for review
        services.advance_phase(moderator, round_.id, "review")
    waiting.status = Status.REJECTED
    session.commit()
    with pytest.raises(Conflict):  # nothing accepted to vote on
        services.advance_phase(moderator, round_.id, "review")
    make_proposal(session, round_)
    services.advance_phase(moderator, round_.id, "review")
    assert round_.phase == "voting"


def test_the_schedule_moves_rounds_when_their_dates_pass(session):
    now = utcnow()
    due = make_round(session, phase="draft", submission_starts_at=now - timedelta(minutes=1))
    later = make_round(session, phase="draft", submission_starts_at=now + timedelta(hours=1))
    blocked = make_round(session, phase="review", voting_starts_at=now - timedelta(minutes=1))
    moves = services.apply_schedule(now)
    assert (due.id, "draft", "submission") in moves
    assert any(m[0] == blocked.id and m[2].startswith("blocked") for m in moves)
    session.refresh(later)
    assert later.phase == "draft"
    assert services.apply_schedule(now) == [m for m in moves if m[0] == blocked.id]  # idempotent


@pytest.fixture
def closing_round(session, users):
    """Greedy, approval, budget 1 000 zł: A (600 zł, 3 votes), B (500 zł, 2 votes), C (300 zł, 1 vote)."""
    author = users.resident(locale="en")
    round_ = make_round(session, ballot_kind="approval", max_choices=3, budget_grosze=100_000)
    a = make_proposal(session, round_, author=author, cost_grosze=60_000, title="Ogród")
    b = make_proposal(session, round_, author=author, cost_grosze=50_000, title="Kawiarenka naprawcza")
    c = make_proposal(session, round_, cost_grosze=30_000, title="Szachy")
    helper = users.resident()
    session.add(Pledge(proposal_id=b.id, user_id=helper.id, kind="volunteer"))
    session.commit()
    ids = {"a": str(a.id), "b": str(b.id), "c": str(c.id)}
    for choice in (("a", "b"), ("a", "b"), ("a", "c")):
        votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot(tuple(ids[x] for x in choice)))
    return round_, {"a": a, "b": b, "c": c}, author, helper


def test_closing_counts_stores_the_result_and_marks_proposals(session, users, closing_round):
    round_, proposals, author, helper = closing_round
    services.advance_phase(users.moderator(), round_.id, "voting")
    assert round_.phase == "closed" and round_.closed_at is not None
    result = round_.result
    # Greedy: A (3 votes) fits; B (2 votes, 500 zł) no longer fits the 400 zł left; C (300 zł) does.
    assert result["tally"]["winners"] == [str(proposals["a"].id), str(proposals["c"].id)]
    assert result["ballots"] == 3 and result["turnout"] == {"online": 3, "paper": 0}
    assert result["tally"]["budget_used"] == 90_000
    outcome_b = next(p for p in result["tally"]["projects"] if p["id"] == str(proposals["b"].id))
    assert not outcome_b["selected"] and outcome_b["remaining_budget"] == 40_000
    statuses = {k: session.get(Proposal, p.id).status for k, p in proposals.items()}
    assert statuses == {"a": "selected", "b": "not_selected", "c": "selected"}
    assert session.scalar(sa.select(sa.func.count()).select_from(ProposalEvent)) == 3
    assert round_.ballots_sha256 == counting.canonical_ballots_sha256(
        "approval", session.scalars(sa.select(Ballot.choices)).all())
    assert round_.result_sha256 == counting.canonical_sha256(result)
    # The author (in English, for each of their proposals) is e-mailed at once: the e-mails are in the
    # outbox of the same transaction, sent after commit. The pledger follows the proposal: notified in
    # the app, e-mailed in the weekly digest (their default for what they follow).
    queued = session.execute(sa.select(OutboxMessage.recipient, OutboxMessage.subject)).all()
    assert sorted(to for to, _ in queued) == sorted([author.email, author.email])
    assert all(subject.startswith("Results of") for to, subject in queued)
    told = session.execute(sa.select(Notification.event, Notification.email_pending)
                           .where(Notification.user_id == helper.id,
                                  Notification.subject_kind == "proposal")).all()
    assert told == [("proposal.not_selected", "digest")]
    with pytest.raises(Conflict):
        services.advance_phase(users.moderator(), round_.id, "voting")  # closing twice


def test_after_closing_ballots_are_frozen(session, users, closing_round):
    round_, proposals, _, _ = closing_round
    services.advance_phase(users.moderator(), round_.id, "voting")
    before = session.scalar(sa.select(sa.func.count()).select_from(Ballot))
    with pytest.raises(NotAllowed):
        votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposals["a"].id),)))
    assert session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == before


def test_recount_agrees_and_detects_tampering(session, users, closing_round):
    round_, proposals, _, _ = closing_round
    services.advance_phase(users.moderator(), round_.id, "voting")
    same, stored, recomputed = services.recount(round_.id)
    assert same and stored["result_sha256"] == recomputed["result_sha256"]
    ballot = session.scalars(sa.select(Ballot)).first()
    ballot.choices = [str(proposals["b"].id)]
    session.commit()
    same, stored, recomputed = services.recount(round_.id)
    assert not same and stored["ballots_sha256"] != recomputed["ballots_sha256"]


def test_recount_cli(app, session, users, closing_round):
    round_, _, _, _ = closing_round
    services.advance_phase(users.moderator(), round_.id, "voting")
    result = app.test_cli_runner().invoke(args=["rounds", "recount", str(round_.id)])
    assert result.exit_code == 0, result.output
    assert "recount matches" in result.output and round_.ballots_sha256 in result.output
    missing = app.test_cli_runner().invoke(args=["rounds", "recount", "999999"])
    assert missing.exit_code != 0


def test_cli_advance_applies_the_schedule(app, session):
    round_ = make_round(session, phase="draft", submission_starts_at=utcnow() - timedelta(seconds=5))
    result = app.test_cli_runner().invoke(args=["rounds", "advance"])
    assert result.exit_code == 0 and f"round {round_.id}: draft -> submission" in result.output
