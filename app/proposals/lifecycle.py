"""The proposal lifecycle: which status may follow which, and where a proposal stands in the chain
idea → proposal in a round → review → voting → results → activity."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.phases.models import Phase
from app.proposals.models import Proposal, Status

# The one table of allowed status changes. Other features (votes, activities) move proposals along it
# with ``services.set_status``; anything not listed here is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),  # a draft nobody saw is deleted, not withdrawn
    Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN}),
    Status.SELECTED: frozenset({Status.SCHEDULED}),
    Status.NOT_SELECTED: frozenset(),
    Status.SCHEDULED: frozenset({Status.IMPLEMENTED}),
    Status.IMPLEMENTED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# Statuses set by the features that run voting and activities (staff, or the system).
LATER_STATUSES = frozenset({Status.SELECTED, Status.NOT_SELECTED, Status.SCHEDULED, Status.IMPLEMENTED})

STATUS_LABELS: dict[str, Any] = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.ACCEPTED: _l("Accepted for voting"),
    Status.REJECTED: _l("Rejected"),
    Status.WITHDRAWN: _l("Withdrawn"),
    Status.SELECTED: _l("Selected in the vote"),
    Status.NOT_SELECTED: _l("Not selected"),
    Status.SCHEDULED: _l("Activity scheduled"),
    Status.IMPLEMENTED: _l("Implemented"),
}

# What the public list may be filtered by (drafts are private).
PUBLIC_STATUSES = tuple(status for status in Status if status != Status.DRAFT)


def can_transition(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


STAGES = (
    ("idea", _l("Idea")),
    ("round", _l("Proposal in a round")),
    ("review", _l("Review")),
    ("voting", _l("Voting")),
    ("results", _l("Results")),
    ("activity", _l("Activity")),
)


def stage_of(proposal: Proposal) -> str:
    """The step of the chain the proposal has reached."""
    status = proposal.status
    if status in (Status.SCHEDULED, Status.IMPLEMENTED):
        return "activity"
    if status in (Status.SELECTED, Status.NOT_SELECTED):
        return "results"
    phase = proposal.round.phase if proposal.round is not None else None
    if phase is None:
        return "idea"
    if status == Status.REJECTED:
        return "review"
    if status == Status.ACCEPTED:
        stages: dict[str, str] = {Phase.VOTING: "voting", Phase.CLOSED: "results", Phase.ARCHIVED: "results"}
        return stages.get(phase, "review")
    if phase in (Phase.REVIEW,):
        return "review"
    return "round"


def stopped(proposal: Proposal) -> bool:
    """Rejected and withdrawn proposals stop where they are."""
    return proposal.status in (Status.REJECTED, Status.WITHDRAWN, Status.NOT_SELECTED)
