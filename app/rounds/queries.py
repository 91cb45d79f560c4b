"""Read-only queries of the round pages, as ``select()`` statements."""

from __future__ import annotations

import sqlalchemy as sa

from app.phases.models import Phase, Round
from app.proposals.models import Proposal, Status

PHASE_ORDER = (Phase.DRAFT, Phase.SUBMISSION, Phase.REVIEW, Phase.VOTING, Phase.CLOSED, Phase.ARCHIVED)
# Proposals a round page lists before its ballot is set: those sent in and not turned down.
LISTED = (Status.SUBMITTED, Status.ACCEPTED, Status.SELECTED, Status.NOT_SELECTED, Status.SCHEDULED,
          Status.IMPLEMENTED)


def rounds(phase: str = "", include_drafts: bool = False) -> sa.Select:
    """Rounds, the ones in progress first (voting, submission, review…), newest first within a phase."""
    query = sa.select(Round)
    if phase in PHASE_ORDER:
        query = query.where(Round.phase == phase)
    if not include_drafts:
        query = query.where(Round.phase != Phase.DRAFT)
    order = sa.case(
        {Phase.VOTING: 0, Phase.SUBMISSION: 1, Phase.REVIEW: 2, Phase.DRAFT: 3, Phase.CLOSED: 4},
        value=Round.phase, else_=5,
    )
    return query.order_by(order, Round.created_at.desc(), Round.id.desc())


def round_proposals(round_id: int) -> sa.Select:
    """The proposals sent in to a round (hidden ones left out), in the order they came."""
    return (
        sa.select(Proposal)
        .where(Proposal.round_id == round_id, Proposal.status.in_(LISTED), Proposal.hidden_at.is_(None))
        .order_by(Proposal.id)
    )
