"""Every lifecycle action × role × round phase × ownership, at the service level: allowed ones change
the proposal, refused ones raise and write nothing.

The statuses after acceptance (selected, not selected, scheduled, implemented) are set by the voting and
activities features through ``services.set_status``; that function is what is tested for them here."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.errors import DomainError
from app.outbox.models import OutboxMessage
from app.phases.models import Phase
from app.proposals import services
from app.proposals.models import Pledge, Proposal, ProposalEvent, ProposalRevision, Status
from tests.proposals.factories import make_proposal, make_round

ROLES = ("anonymous", "unverified", "resident", "author", "moderator", "steering", "admin")
PHASES = (None, *Phase)  # None: the idea box
STAFF = ("moderator", "admin")
VERIFIED = ("resident", "author", "moderator", "steering", "admin")
OPEN_FOR_PROPOSALS = (None, Phase.SUBMISSION)  # the idea box, or a round taking proposals
WITHDRAWAL_PHASES = (Phase.SUBMISSION, Phase.REVIEW)  # Action.WITHDRAW_PROPOSAL


def _later(status):
    return lambda actor, p: services.set_status(actor, p, status)


def _edit(actor, proposal):
    services.update_proposal(actor, proposal, services.ProposalInput(
        title="Nowy tytuł propozycji", body="Zmieniony opis: **więcej** zieleni.", cost="900"))


# action: (status the proposal starts in, the call, the status it ends in, who may, in which phases)
ACTIONS = {
    "submit": (Status.DRAFT, services.submit_proposal, Status.SUBMITTED,
               lambda role, phase: role == "author" and phase in (None, Phase.SUBMISSION)),
    "edit": (Status.SUBMITTED, _edit, Status.SUBMITTED,
             lambda role, phase: role == "author" and phase in (None, Phase.SUBMISSION)),
    "withdraw": (Status.SUBMITTED, services.withdraw_proposal, Status.WITHDRAWN,
                 lambda role, phase: role == "author" and phase in (None, *WITHDRAWAL_PHASES)),
    # A draft is deleted (discard_draft), never withdrawn: a withdrawn proposal is public.
    "withdraw draft": (Status.DRAFT, services.withdraw_proposal, Status.WITHDRAWN,
                       lambda role, phase: False),
    # Accepted for voting: the author may still withdraw while the round is in review (or, oddly,
    # back in submission), never once voting starts, nor in the idea box.
    "withdraw accepted": (Status.ACCEPTED, services.withdraw_proposal, Status.WITHDRAWN,
                          lambda role, phase: role == "author" and phase in WITHDRAWAL_PHASES),
    "accept": (Status.SUBMITTED,
               lambda actor, p: services.review_proposal(actor, p, "accept", "", "2 000"),
               Status.ACCEPTED, lambda role, phase: role in STAFF and phase == Phase.REVIEW),
    "reject": (Status.SUBMITTED,
               lambda actor, p: services.review_proposal(actor, p, "reject", "Nie mieści się w budżecie."),
               Status.REJECTED, lambda role, phase: role in STAFF and phase == Phase.REVIEW),
    "select": (Status.ACCEPTED, _later(Status.SELECTED), Status.SELECTED,
               lambda role, phase: role in STAFF),
    "not select": (Status.ACCEPTED, _later(Status.NOT_SELECTED), Status.NOT_SELECTED,
                   lambda role, phase: role in STAFF),
    "schedule": (Status.SELECTED, _later(Status.SCHEDULED), Status.SCHEDULED,
                 lambda role, phase: role in STAFF),
    "implement": (Status.SCHEDULED, _later(Status.IMPLEMENTED), Status.IMPLEMENTED,
                  lambda role, phase: role in STAFF),
    "pledge": (Status.SUBMITTED,
               lambda actor, p: services.add_pledge(actor, p, "volunteer"),
               Status.SUBMITTED, lambda role, phase: role in VERIFIED and phase != Phase.ARCHIVED),
}


def state(session) -> dict:
    return {
        model.__tablename__: session.execute(sa.select(model.__table__).order_by(model.id)).all()
        for model in (Proposal, ProposalEvent, ProposalRevision, Pledge, OutboxMessage, AuditEvent)
    }


@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p or "idea-box")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_lifecycle_action(action, role, phase, session, users):
    start, call, end, allowed = ACTIONS[action]
    author = users.resident(locale="en")
    actor = author if role == "author" else users.for_role(role if role != "author" else "resident")
    round_ = make_round(session, phase) if phase else None
    proposal = make_proposal(session, author, status=start, round_=round_)
    before = state(session)

    if allowed(role, phase):
        call(actor, proposal)
        session.expire_all()
        row = session.get(Proposal, proposal.id)
        assert row.status == end
        after = state(session)
        if action == "pledge":
            assert row.pledge_count == 1
        elif action == "edit":
            assert row.title == "Nowy tytuł propozycji" and row.cost_grosze == 90_000
            assert len(after["proposal_revisions"]) == 1
        else:
            events = after["proposal_events"][len(before["proposal_events"]):]
            if action == "accept":  # the final cost of 2 000 zł replaces the author's 1 500 zł
                assert [(e.kind, e.note, e.actor_id) for e in events[:1]] == [("cost", "200000", actor.id)]
                assert row.cost_grosze == 200_000
                events = events[1:]
            assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [(start, end, actor.id)]
            new_mail = after["outbox_messages"][len(before["outbox_messages"]):]
            assert [m.recipient for m in new_mail] == [author.email]
    else:
        with pytest.raises(DomainError) as refused:
            call(actor, proposal)
        assert refused.value.status in (403, 409)
        assert state(session) == before, "a refused action wrote to the database"


@pytest.mark.parametrize("publish", [False, True], ids=["draft", "published"])
@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p or "idea-box")
@pytest.mark.parametrize("role", ROLES)
def test_creating_a_proposal(role, phase, publish, session, users):
    """Any verified resident (staff included) writes a draft, or publishes at once, into the idea box or
    a round that takes proposals; nobody else, and no other round."""
    actor = users.for_role("resident" if role == "author" else role)
    round_ = make_round(session, phase) if phase else None
    before = state(session)
    data = services.ProposalInput(title="Kawiarenka naprawcza", body="Naprawiamy **razem**.", cost="300",
                                  round_id=round_.id if round_ else None)

    if role in VERIFIED and phase in OPEN_FOR_PROPOSALS:
        proposal = services.create_proposal(actor, data, submit=publish)
        session.expire_all()
        row = session.get(Proposal, proposal.id)
        assert (row.author_id, row.round_id, row.cost_grosze) == (actor.id, data.round_id, 30_000)
        after = state(session)
        events = after["proposal_events"][len(before["proposal_events"]):]
        if publish:
            assert row.status == Status.SUBMITTED and row.submitted_at is not None
            assert [(e.kind, e.to_status) for e in events] == [("created", None),
                                                               ("status", Status.SUBMITTED)]
            assert len(after["outbox_messages"]) == len(before["outbox_messages"]) + 1
        else:  # a private draft: nobody is told
            assert row.status == Status.DRAFT and row.submitted_at is None
            assert [(e.kind, e.actor_id) for e in events] == [("created", actor.id)]
            assert after["outbox_messages"] == before["outbox_messages"]
    else:
        with pytest.raises(DomainError) as refused:
            services.create_proposal(actor, data, submit=publish)
        # Not a verified resident: 403; a round that takes no proposals: 422 on the round field.
        if role in VERIFIED:
            assert (refused.value.status, refused.value.field) == (422, "round_id")
        else:
            assert refused.value.status == 403
        assert state(session) == before, "a refused action wrote to the database"


@pytest.mark.parametrize("new_status", [Status.SELECTED, Status.NOT_SELECTED, Status.SCHEDULED,
                                        Status.IMPLEMENTED])
def test_later_statuses_by_the_system_only_when_it_says_so(new_status, session, users):
    """The voting and activities features may move a proposal along without a person (a CLI command)."""
    start = {Status.SCHEDULED: Status.SELECTED, Status.IMPLEMENTED: Status.SCHEDULED}.get(
        new_status, Status.ACCEPTED)
    proposal = make_proposal(session, users.resident(), status=start)
    before = state(session)
    with pytest.raises(DomainError):
        services.set_status(None, proposal, new_status)
    assert state(session) == before
    services.set_status(None, proposal, new_status, by_system=True)
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == new_status
