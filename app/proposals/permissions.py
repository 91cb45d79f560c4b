"""Who may do what with a proposal: role × round phase × ownership. Pure predicates returning Decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, is_staff, is_verified_resident, signed_in
from app.phases.table import Action, phase_allows
from app.proposals.lifecycle import LATER_STATUSES, can_transition
from app.proposals.models import Proposal, Status

ONLY_VERIFIED = _l("Only verified residents can write proposals.")
ONLY_AUTHOR = _l("Only the author can change this proposal.")
ONLY_MODERATORS = _l("Only moderators can review proposals.")


def is_author(actor, proposal: Proposal) -> bool:
    return signed_in(actor) and proposal.author_id is not None and proposal.author_id == actor.id


def is_public(proposal: Proposal) -> bool:
    return proposal.status != Status.DRAFT


def _round_phase(proposal: Proposal) -> str | None:
    return proposal.round.phase if proposal.round is not None else None


def can_create(actor) -> Decision:
    if not is_verified_resident(actor):
        return deny(ONLY_VERIFIED)
    return ALLOW


def can_view(actor, proposal: Proposal) -> Decision:
    """Drafts are private to their author and staff (others get a 404, not a hint that it exists)."""
    if is_public(proposal) or is_author(actor, proposal) or is_staff(actor):
        return ALLOW
    return deny(_l("This proposal is a private draft."))


def can_edit(actor, proposal: Proposal) -> Decision:
    if not is_author(actor, proposal):
        return deny(ONLY_AUTHOR)
    if proposal.status == Status.DRAFT:
        return ALLOW
    if proposal.status != Status.SUBMITTED:
        return deny(_l("This proposal can no longer be edited."))
    phase = _round_phase(proposal)
    if phase is not None and not phase_allows(phase, Action.EDIT_PROPOSAL):
        return deny(_l("Editing has closed: the review of this round has started."))
    return ALLOW


def can_discard(actor, proposal: Proposal) -> Decision:
    """A draft is its author's private note: they may delete it (it was never public)."""
    if not is_author(actor, proposal):
        return deny(ONLY_AUTHOR)
    if proposal.status != Status.DRAFT:
        return deny(_l("Only a draft can be deleted; a published proposal can be withdrawn."))
    return ALLOW


def can_submit(actor, proposal: Proposal) -> Decision:
    if not is_author(actor, proposal):
        return deny(ONLY_AUTHOR)
    if not is_verified_resident(actor):
        return deny(ONLY_VERIFIED)
    if proposal.status != Status.DRAFT:
        return deny(_l("This proposal has already been submitted."))
    phase = _round_phase(proposal)
    if phase is not None and not phase_allows(phase, Action.SUBMIT_PROPOSAL):
        return deny(_l("This round no longer accepts proposals. Choose another round or the idea box."))
    return ALLOW


def can_withdraw(actor, proposal: Proposal) -> Decision:
    if not is_author(actor, proposal):
        return deny(ONLY_AUTHOR)
    if not can_transition(proposal.status, Status.WITHDRAWN):
        return deny(_l("This proposal can no longer be withdrawn."))
    phase = _round_phase(proposal)
    if phase is None:
        if proposal.status == Status.ACCEPTED:
            return deny(_l("This proposal can no longer be withdrawn."))
        return ALLOW
    if not phase_allows(phase, Action.WITHDRAW_PROPOSAL):
        return deny(_l("Proposals can no longer be withdrawn in this phase of the round."))
    return ALLOW


def can_review(actor, proposal: Proposal) -> Decision:
    if not is_staff(actor):
        return deny(ONLY_MODERATORS)
    if proposal.status != Status.SUBMITTED:
        return deny(_l("Only submitted proposals can be reviewed."))
    phase = _round_phase(proposal)
    if phase is None:
        return deny(_l("Ideas in the idea box are reviewed once they are in a round."))
    if not phase_allows(phase, Action.REVIEW_PROPOSAL):
        return deny(_l("Proposals are reviewed during the review phase of the round."))
    return ALLOW


def can_set_later_status(actor, proposal: Proposal, new_status: str, by_system: bool = False) -> Decision:
    """Selected / not selected / scheduled / implemented: set by staff, or by the system (a CLI command)."""
    if new_status not in LATER_STATUSES:
        return deny(_l("This status change is not possible."))
    if not (is_staff(actor) or (by_system and actor is None)):
        return deny(_l("Only moderators can change the status of a proposal."))
    if not can_transition(proposal.status, new_status):
        return deny(_l("This status change is not possible."))
    return ALLOW


def can_pledge(actor, proposal: Proposal) -> Decision:
    if not is_verified_resident(actor):
        return deny(_l("Only verified residents can pledge help."))
    if not is_public(proposal) or proposal.hidden_at is not None:
        return deny(_l("You cannot pledge help to this proposal."))
    if proposal.status in (Status.WITHDRAWN, Status.REJECTED):
        return deny(_l("This proposal was withdrawn or rejected; it does not need help any more."))
    if proposal.status == Status.IMPLEMENTED:
        return deny(_l("This proposal has been implemented, so pledges are closed."))
    phase = _round_phase(proposal)
    if phase is not None and not phase_allows(phase, Action.PLEDGE):
        return deny(_l("Pledges are closed for this round."))
    return ALLOW


def can_manage_categories(actor) -> Decision:
    if not is_staff(actor):
        return deny(_l("Only moderators can manage categories."))
    return ALLOW


def can_manage_pictures(actor, proposal: Proposal) -> Decision:
    """Adding, describing, choosing the cover and removing pictures: the author (until the proposal is
    withdrawn) and moderators."""
    if is_staff(actor):
        return ALLOW
    if not is_author(actor, proposal):
        return deny(_l("Only the author and moderators can change the pictures of this proposal."))
    if proposal.status == Status.WITHDRAWN:
        return deny(_l("This proposal was withdrawn; its pictures can no longer be changed."))
    return ALLOW
