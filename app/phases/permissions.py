"""Who may run rounds, vote, enter paper ballots and see results; composed with the phase table."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, is_staff, signed_in
from app.phases.models import Eligibility, Phase, Round
from app.phases.table import Action, phase_allows


def can_manage_rounds(actor) -> Decision:
    if not is_staff(actor):
        return deny(_l("Only moderators can run consultation rounds."))
    return ALLOW


def can_see_round(actor, round_: Round) -> Decision:
    if round_.phase == Phase.DRAFT and not is_staff(actor):
        return deny(_l("This round is not public yet."))
    return ALLOW


def can_edit_settings(actor, round_: Round) -> Decision:
    decision = can_manage_rounds(actor)
    if not decision:
        return decision
    if not phase_allows(round_.phase, Action.EDIT_ROUND_SETTINGS):
        return deny(_l("The voting rules cannot change once voting has started."))
    return ALLOW


def is_eligible(user, round_: Round) -> Decision:
    if not signed_in(user):
        return deny(_l("Sign in to vote."))
    if round_.eligibility == Eligibility.VERIFIED_RESIDENTS and not user.is_verified_resident:
        return deny(_l("Only verified residents can vote in this round. Confirm your residency on your "
                       "account page or at the centre."))
    if not user.has_no_unconfirmed_email:
        return deny(_l("Confirm your e-mail address before voting."))
    return ALLOW


def can_vote(actor, round_: Round) -> Decision:
    if not phase_allows(round_.phase, Action.CAST_BALLOT):
        return deny(_l("Voting in this round is not open."))
    return is_eligible(actor, round_)


def can_enter_paper_ballot(actor, round_: Round, voter) -> Decision:
    if not is_staff(actor):
        return deny(_l("Only moderators can enter paper ballots."))
    if not phase_allows(round_.phase, Action.ENTER_PAPER_BALLOT):
        return deny(_l("Voting in this round is not open."))
    if voter is None or not voter.is_verified_resident:
        return deny(_l("Paper ballots can be entered only for verified residents."))
    return ALLOW


def can_close_voting(actor, round_: Round) -> Decision:
    decision = can_manage_rounds(actor)
    if decision and not phase_allows(round_.phase, Action.CLOSE_VOTING):
        return deny(_l("Only a round in the voting phase can be closed."))
    return decision


def can_see_results(actor, round_: Round) -> Decision:
    if not phase_allows(round_.phase, Action.SEE_RESULTS):
        return deny(_l("The results are published when voting closes."))
    return ALLOW
