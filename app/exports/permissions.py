"""Who may take what out: a closed round's results and anonymous ballots are public; the reports on
proposals, activities and participation are for the steering group and administrators."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, is_staff, signed_in
from app.phases.models import Round
from app.phases.permissions import can_see_results, can_see_round
from app.phases.table import Action, phase_allows

REPORT_ROLES = ("steering", "admin")


def can_export_round(actor, round_: Round) -> Decision:
    """Results, protocol and anonymous ballots: for everyone once the round is closed."""
    decision = can_see_round(actor, round_)
    if not decision:
        return decision
    return can_see_results(actor, round_)


def can_export_reports(actor) -> Decision:
    if not signed_in(actor) or actor.role not in REPORT_ROLES:
        return deny(_l("Only the steering group and administrators can download these reports."))
    return ALLOW


def can_print_ballot(actor) -> Decision:
    """Blank paper ballots are printed and handed out by the centre's moderators."""
    if not is_staff(actor):
        return deny(_l("Only moderators can print paper ballots."))
    return ALLOW


def round_in_voting(round_: Round) -> Decision:
    """The ballot and the poster of a round are printed while its voting is open."""
    if not phase_allows(round_.phase, Action.CAST_BALLOT):
        return deny(_l("Ballots and posters can be printed only while voting is open."))
    return ALLOW
