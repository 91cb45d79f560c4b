"""The one table of what each round phase allows (DESIGN §5). Permissions consult it; nothing else does."""

from __future__ import annotations

from enum import StrEnum

from app.phases.models import Phase


class Action(StrEnum):
    EDIT_ROUND_SETTINGS = "edit_round_settings"  # ballot kind, rule, budget, limits, secrecy…
    SUBMIT_PROPOSAL = "submit_proposal"  # a proposal enters this round
    EDIT_PROPOSAL = "edit_proposal"  # the author edits a submitted proposal
    WITHDRAW_PROPOSAL = "withdraw_proposal"
    REVIEW_PROPOSAL = "review_proposal"  # accept / reject, set the final cost
    CAST_BALLOT = "cast_ballot"
    ENTER_PAPER_BALLOT = "enter_paper_ballot"
    CLOSE_VOTING = "close_voting"
    SEE_RESULTS = "see_results"
    COMMENT = "comment"
    PLEDGE = "pledge"


PHASE_ACTIONS: dict[str, frozenset[Action]] = {
    Phase.DRAFT: frozenset({Action.EDIT_ROUND_SETTINGS, Action.COMMENT, Action.PLEDGE}),
    Phase.SUBMISSION: frozenset(
        {Action.EDIT_ROUND_SETTINGS, Action.SUBMIT_PROPOSAL, Action.EDIT_PROPOSAL,
         Action.WITHDRAW_PROPOSAL, Action.COMMENT, Action.PLEDGE}
    ),
    Phase.REVIEW: frozenset(
        {Action.EDIT_ROUND_SETTINGS, Action.REVIEW_PROPOSAL, Action.WITHDRAW_PROPOSAL,
         Action.COMMENT, Action.PLEDGE}
    ),
    Phase.VOTING: frozenset(
        {Action.CAST_BALLOT, Action.ENTER_PAPER_BALLOT, Action.CLOSE_VOTING, Action.COMMENT, Action.PLEDGE}
    ),
    Phase.CLOSED: frozenset({Action.SEE_RESULTS, Action.COMMENT, Action.PLEDGE}),
    Phase.ARCHIVED: frozenset({Action.SEE_RESULTS}),
}


def phase_allows(phase: str, action: Action) -> bool:
    return action in PHASE_ACTIONS.get(phase, frozenset())
