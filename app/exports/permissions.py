"""Who may take what out: a closed round's results and anonymous ballots are public; the reports on
proposals, activities and participation are for the steering group and administrators."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, signed_in
from app.rounds.models import Round
from app.rounds.permissions import can_see_results, can_see_round

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
