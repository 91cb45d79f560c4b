"""Queries for the proposals pages: each returns a select() that loads what the page shows, so a page
runs the same number of SQL statements however many proposals there are."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.phases.models import Phase, Round
from app.phases.table import PHASE_ACTIONS, Action
from app.proposals.models import Category, Pledge, Proposal, ProposalEvent, ProposalRevision, Status
from app.text import fold

SORTS = ("newest", "supported", "discussed")

# Newest first by publication time, not by when the draft was started. Proposals that were never
# published on the platform (imported from Pabulib, say) have no publication time and come last on
# both engines. The index ix_proposals_submitted serves this order.
NEWEST = (Proposal.submitted_at.desc().nulls_last(), Proposal.id.desc())


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_public():
    """Public proposals: submitted (not drafts) and not hidden by a moderator. Hidden ones are left
    out of lists; their own page shows the moderator's reason instead of the text."""
    return sa.and_(Proposal.status != Status.DRAFT, Proposal.hidden_at.is_(None))


def public_proposals(search: str = "", round_id: int | None = None, category_id: int | None = None,
                     status: str = "", sort: str = "newest") -> sa.Select:
    query = (
        sa.select(Proposal)
        .options(joinedload(Proposal.author), joinedload(Proposal.category), joinedload(Proposal.round))
        .where(is_public())
    )
    for word in fold(search).split()[:8]:
        query = query.where(Proposal.search_text.like(f"%{_like_escape(word)}%", escape="\\"))
    if round_id == 0:
        query = query.where(Proposal.round_id.is_(None))
    elif round_id:
        query = query.where(Proposal.round_id == round_id)
    else:  # the projects of an imported round (a historical example) show only when that round is chosen
        query = query.where(Proposal.imported.is_(False))
    if category_id:
        query = query.where(Proposal.category_id == category_id)
    if status:
        query = query.where(Proposal.status == status)
    order = {
        "supported": (Proposal.pledge_count.desc(),),
        "discussed": (Proposal.comment_count.desc(),),
    }.get(sort, ())
    return query.order_by(*order, *NEWEST)


def latest_public(limit: int = 5) -> sa.Select:
    return (
        sa.select(Proposal)
        .options(joinedload(Proposal.author), joinedload(Proposal.category))
        .where(is_public(), Proposal.imported.is_(False))
        .order_by(*NEWEST)
        .limit(limit)
    )


def proposals_by(author_id: int) -> sa.Select:
    """The author's own proposals, drafts included: newest first, by publication time, or for
    drafts by when they were started."""
    return (
        sa.select(Proposal)
        .options(joinedload(Proposal.category), joinedload(Proposal.round))
        .where(Proposal.author_id == author_id)
        .order_by(sa.func.coalesce(Proposal.submitted_at, Proposal.created_at).desc(), Proposal.id.desc())
    )


def proposal(proposal_id: int) -> sa.Select:
    return (
        sa.select(Proposal)
        .options(joinedload(Proposal.author), joinedload(Proposal.category), joinedload(Proposal.round))
        .where(Proposal.id == proposal_id)
    )


def timeline(proposal_id: int) -> sa.Select:
    return (
        sa.select(ProposalEvent)
        .options(joinedload(ProposalEvent.actor))
        .where(ProposalEvent.proposal_id == proposal_id)
        .order_by(ProposalEvent.created_at, ProposalEvent.id)
    )


def revisions(proposal_id: int) -> sa.Select:
    return (
        sa.select(ProposalRevision)
        .options(joinedload(ProposalRevision.editor))
        .where(ProposalRevision.proposal_id == proposal_id)
        .order_by(ProposalRevision.number)
    )


def revision_count(proposal_id: int) -> sa.Select:
    return sa.select(sa.func.count()).where(ProposalRevision.proposal_id == proposal_id)


def pledges_for(proposal_id: int) -> sa.Select:
    """Who pledged what to a proposal, with their accounts: for its page and for scheduling activities."""
    return (
        sa.select(Pledge)
        .options(joinedload(Pledge.user))
        .where(Pledge.proposal_id == proposal_id)
        .order_by(Pledge.kind, Pledge.created_at, Pledge.id)
    )


def categories(active_only: bool = False) -> sa.Select:
    query = sa.select(Category).order_by(Category.position, Category.id)
    if active_only:
        query = query.where(Category.active.is_(True))
    return query


def rounds_open_for_proposals() -> sa.Select:
    phases = [phase for phase, actions in PHASE_ACTIONS.items() if Action.SUBMIT_PROPOSAL in actions]
    return sa.select(Round).where(Round.phase.in_(phases)).order_by(Round.created_at.desc(), Round.id)


def rounds_with_proposals() -> sa.Select:
    """Rounds to filter the list by (drafts of rounds are not public)."""
    return (
        sa.select(Round)
        .where(Round.phase.not_in([Phase.DRAFT]))
        .order_by(Round.created_at.desc(), Round.id.desc())
    )
