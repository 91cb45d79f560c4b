"""Casting ballots: eligibility, validation, secrecy, receipts, public changes, paper ballots."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.audit.models import AuditEvent
from app.errors import Conflict, InvalidInput, NotAllowed
from app.phases.models import BallotKind, Eligibility, Round, Secrecy
from app.votes import services
from app.votes import tally as engine
from app.votes.models import Ballot, Participation
from tests.votes.helpers import make_proposal, make_round


def counts(session):
    return (
        session.scalar(sa.select(sa.func.count()).select_from(Ballot)),
        session.scalar(sa.select(sa.func.count()).select_from(Participation)),
        session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
    )


@pytest.fixture
def approval_round(session):
    round_ = make_round(session, ballot_kind=BallotKind.APPROVAL, min_choices=1, max_choices=2)
    proposals = [make_proposal(session, round_) for _ in range(3)]
    return round_, [str(p.id) for p in proposals]


def test_secret_ballot_is_stored_apart_from_the_voter_with_a_receipt(session, users, approval_round):
    round_, ids = approval_round
    voter = users.resident()
    cast = services.cast_ballot(voter, round_, engine.ApprovalBallot((ids[0], ids[2])))
    assert cast.receipt and len(cast.receipt) == 19
    ballot = session.scalar(sa.select(Ballot).where(Ballot.round_id == round_.id))
    assert ballot.user_id is None and ballot.choices == [ids[0], ids[2]]
    assert ballot.receipt_hash != cast.receipt and len(ballot.receipt_hash) == 64
    assert not hasattr(Ballot, "created_at")  # nothing time-stamps a ballot
    participation = session.scalar(sa.select(Participation))
    assert (participation.user_id, participation.channel) == (voter.id, "online")
    assert services.check_receipt(round_, cast.receipt.lower().replace("-", " "))
    assert not services.check_receipt(round_, "AAAA-BBBB-CCCC-DDDD")


def test_a_secret_ballot_is_final(session, users, approval_round):
    round_, ids = approval_round
    voter = users.resident()
    services.cast_ballot(voter, round_, engine.ApprovalBallot((ids[0],)))
    before = counts(session)
    with pytest.raises(Conflict):
        services.cast_ballot(voter, round_, engine.ApprovalBallot((ids[1],)))
    assert counts(session) == before


def test_a_public_ballot_can_change_until_voting_closes(session, users):
    round_ = make_round(session, ballot_kind=BallotKind.CHOOSE_ONE, secrecy=Secrecy.PUBLIC)
    a, b = make_proposal(session, round_), make_proposal(session, round_)
    voter = users.resident()
    first = services.cast_ballot(voter, round_, engine.ApprovalBallot((str(a.id),)))
    assert first.receipt is None and not first.changed
    second = services.cast_ballot(voter, round_, engine.ApprovalBallot((str(b.id),)))
    assert second.changed
    assert session.scalars(sa.select(Ballot.choices)).all() == [[str(b.id)]]
    assert services.own_public_ballot(voter, round_) == [str(b.id)]


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        (lambda ids: engine.ApprovalBallot(()), "Wybierz co najmniej 1 propozycję."),
        (lambda ids: engine.ApprovalBallot(tuple(ids)), "Wybierz najwyżej 2 propozycje."),
        (lambda ids: engine.ApprovalBallot(("999999",)), "nie ma na tej karcie"),
        (lambda ids: engine.ApprovalBallot((ids[0], ids[0])), "więcej niż raz"),
    ],
)
def test_an_invalid_ballot_is_refused_whole_and_nothing_is_stored(
    app, session, users, approval_round, ballot, message
):
    round_, ids = approval_round
    voter = users.resident()
    before = counts(session)
    with app.test_request_context(), pytest.raises(InvalidInput) as refused:
        services.cast_ballot(voter, round_, ballot(ids))
    with app.test_request_context():
        assert message in str(refused.value.message)
    assert counts(session) == before


@pytest.mark.parametrize("phase", ["draft", "submission", "review", "closed", "archived"])
def test_nobody_votes_outside_the_voting_phase(session, users, approval_round, phase):
    round_, ids = approval_round
    round_.phase = phase
    session.commit()
    before = counts(session)
    with pytest.raises(NotAllowed):
        services.cast_ballot(users.resident(), round_, engine.ApprovalBallot((ids[0],)))
    assert counts(session) == before


def test_eligibility(session, users):
    verified_only = make_round(session, eligibility=Eligibility.VERIFIED_RESIDENTS, ballot_kind="choose-1")
    everyone = make_round(session, eligibility=Eligibility.REGISTERED, ballot_kind="choose-1")
    p1, p2 = make_proposal(session, verified_only), make_proposal(session, everyone)
    unverified = users.unverified()
    with pytest.raises(NotAllowed):
        services.cast_ballot(unverified, verified_only, engine.ApprovalBallot((str(p1.id),)))
    services.cast_ballot(unverified, everyone, engine.ApprovalBallot((str(p2.id),)))
    with pytest.raises(NotAllowed):  # an unconfirmed e-mail cannot vote anywhere
        services.cast_ballot(users.resident(email_verified=False), everyone,
                             engine.ApprovalBallot((str(p2.id),)))


def test_paper_ballot_by_a_moderator(session, users, approval_round):
    round_, ids = approval_round
    moderator, voter = users.moderator(), users.resident()
    cast = services.enter_paper_ballot(moderator, round_, voter, engine.ApprovalBallot((ids[1],)))
    assert cast.receipt
    participation = session.scalar(sa.select(Participation))
    assert (participation.channel, participation.entered_by_id) == ("paper", moderator.id)
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "ballot.paper_entered"))
    assert event.actor_id == moderator.id and event.data == {"voter_id": voter.id}  # no choices: secret
    # The same one-per-round rule covers online and paper.
    with pytest.raises(Conflict):
        services.cast_ballot(voter, round_, engine.ApprovalBallot((ids[0],)))


def test_paper_ballot_refusals_write_nothing(session, users, approval_round):
    round_, ids = approval_round
    voter = users.resident()
    before = counts(session)
    with pytest.raises(NotAllowed):
        services.enter_paper_ballot(users.resident(), round_, voter, engine.ApprovalBallot((ids[0],)))
    with pytest.raises(NotAllowed):
        services.enter_paper_ballot(users.moderator(), round_, users.unverified(),
                                    engine.ApprovalBallot((ids[0],)))
    assert counts(session) == before


@pytest.mark.parametrize(
    ("kind", "settings", "ballot"),
    [
        ("ordinal", {"max_choices": 3, "min_choices": 3}, lambda ids: engine.OrdinalBallot(tuple(ids[:3]))),
        ("cumulative", {"points_total": 10, "points_per_proposal": 6},
         lambda ids: engine.CumulativeBallot(((ids[0], 6), (ids[1], 4)))),
        ("yes_no", {"rule": "ranking", "ranking_top_n": 1},
         lambda ids: engine.YesNoBallot(((ids[0], "yes"), (ids[1], "no")))),
    ],
)
def test_every_ballot_kind_is_stored_as_cast(session, users, kind, settings, ballot):
    round_ = make_round(session, ballot_kind=kind, **settings)
    ids = [str(make_proposal(session, round_).id) for _ in range(4)]
    services.cast_ballot(users.resident(), round_, ballot(ids))
    [stored] = session.scalars(sa.select(Ballot.choices)).all()
    expected = ballot(ids)
    if kind == "ordinal":
        assert stored == list(expected.ranking)
    elif kind == "cumulative":
        assert stored == dict(expected.points)
    else:
        assert stored == dict(expected.answers)


def test_a_vote_arriving_just_after_voting_closed_is_refused(app, session, users, approval_round):
    """The request loaded the round while voting was open; closing committed before it took the round's
    lock. The check made under the lock refuses it."""
    round_, ids = approval_round
    voter = users.resident()
    session.execute(sa.update(Round).where(Round.id == round_.id).values(phase="closed"),
                    execution_options={"synchronize_session": False})
    session.commit()
    session.refresh(round_)
    set_committed_value(round_, "phase", "voting")  # what the request read before closing
    before = counts(session)

    with app.test_request_context():
        with pytest.raises(Conflict) as refused:
            services.cast_ballot(voter, round_, engine.ApprovalBallot((ids[0],)))
        assert str(refused.value.message) == "Głosowanie w tej rundzie nie jest otwarte."

    assert counts(session) == before
    assert session.get(Round, round_.id).phase == "closed"


def test_an_online_vote_never_replaces_a_paper_ballot_in_a_public_round(app, session, users):
    round_ = make_round(session, ballot_kind=BallotKind.CHOOSE_ONE, secrecy=Secrecy.PUBLIC)
    on_paper, online = make_proposal(session, round_), make_proposal(session, round_)
    moderator, voter = users.moderator(), users.resident()
    services.enter_paper_ballot(moderator, round_, voter, engine.ApprovalBallot((str(on_paper.id),)))
    before = counts(session)

    with app.test_request_context():
        with pytest.raises(Conflict) as refused:
            services.cast_ballot(voter, round_, engine.ApprovalBallot((str(online.id),)))
        assert str(refused.value.message) == "Twój głos w tej rundzie został już oddany."

    assert counts(session) == before
    ballot = session.scalar(sa.select(Ballot).where(Ballot.round_id == round_.id))
    assert (ballot.user_id, ballot.choices) == (voter.id, [str(on_paper.id)])
    participation = session.scalar(sa.select(Participation).where(Participation.round_id == round_.id))
    assert (participation.channel, participation.entered_by_id) == ("paper", moderator.id)
    assert services.own_public_ballot(voter, round_) == [str(on_paper.id)]
