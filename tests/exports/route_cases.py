"""What the shared route × role table (tests/test_permissions.py) needs for the exports, open-data API and
personal-data routes: the rows a route acts on and the checks of the requests carried out."""

from __future__ import annotations

from app.rounds import services as rounds
from app.votes import services as votes
from app.votes import tally as engine
from tests.votes.helpers import make_proposal, make_round

ONLY_REPORTERS = "Te raporty mogą pobierać tylko grupa sterująca i administratorzy."


def closed_round(session, users, actor):
    """A closed round with two proposals and one ballot."""
    round_ = make_round(session)
    first = make_proposal(session, round_, cost_grosze=200_000)
    make_proposal(session, round_, cost_grosze=300_000)
    votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(first.id),)))
    rounds.advance_phase(users.moderator(), round_.id, "voting")
    return {"round_id": round_.id}


def public_proposal(session, users, actor):
    round_ = make_round(session, phase="review")
    return {"proposal_id": make_proposal(session, round_, status="submitted").id}


def exported(ctx, before, after):
    """A signed-in person's export is in the audit log (an anonymous download leaves no trace)."""
    if ctx.actor is None:
        assert after == before
        return
    assert len(after["audit_events"]) == len(before["audit_events"]) + 1
    event = after["audit_events"][-1]
    assert event.action.startswith("export.") and event.actor_id == ctx.actor.id
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


def voting_round(session, users, actor):
    """A round still in voting: nothing to export yet."""
    round_ = make_round(session)
    make_proposal(session, round_)
    return {"round_id": round_.id}


NOT_YET = "Wyniki zostaną opublikowane po zamknięciu głosowania."
