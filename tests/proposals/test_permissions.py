"""Every lifecycle action × role × round phase × ownership, at the service level: allowed ones change
the proposal, refused ones raise and write nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.errors import DomainError
from app.outbox.models import OutboxMessage
from app.proposals import services
from app.proposals.models import Pledge, Proposal, ProposalEvent, ProposalRevision, Status
from app.rounds.models import Phase
from tests.proposals.factories import make_proposal, make_round

ROLES = ("anonymous", "unverified", "resident", "author", "moderator", "steering", "admin")
PHASES = (None, *Phase)  # None: the idea box
STAFF = ("moderator", "admin")
VERIFIED = ("resident", "author", "moderator", "steering", "admin")


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
                 lambda role, phase: role == "author" and phase in (None, Phase.SUBMISSION, Phase.REVIEW)),
    "accept": (Status.SUBMITTED,
               lambda actor, p: services.review_proposal(actor, p, "accept", "", "2 000"),
               Status.ACCEPTED, lambda role, phase: role in STAFF and phase == Phase.REVIEW),
    "reject": (Status.SUBMITTED,
               lambda actor, p: services.review_proposal(actor, p, "reject", "Nie mieści się w budżecie."),
               Status.REJECTED, lambda role, phase: role in STAFF and phase == Phase.REVIEW),
    "select": (Status.ACCEPTED,
               lambda actor, p: services.set_status(actor, p, Status.SELECTED),
               Status.SELECTED, lambda role, phase: role in STAFF),
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
            assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [(start, end, actor.id)]
            new_mail = after["outbox_messages"][len(before["outbox_messages"]):]
            assert [m.recipient for m in new_mail] == [author.email]
    else:
        with pytest.raises(DomainError) as refused:
            call(actor, proposal)
        assert refused.value.status in (403, 409)
        assert state(session) == before, "a refused action wrote to the database"
