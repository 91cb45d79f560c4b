"""Translated messages for the tally engine's ballot problems (the engine itself speaks English)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.votes import tally as engine

MESSAGES = {
    "wrong_kind": _l("This ballot does not match the way this vote is held."),
    "unknown_project": _l("Proposal %(project)s is not on this ballot."),
    "duplicate": _l("Proposal %(project)s appears more than once."),
    "choose_one": _l("Choose exactly one proposal."),
    "too_few": _l("Choose at least %(min)d proposals."),
    "too_many": _l("Choose at most %(max)d proposals."),
    "too_expensive": _l("The proposals you chose cost %(total)s in total; the limit is %(limit)s."),
    "rank_too_few": _l("Rank at least %(min)d proposals."),
    "rank_too_many": _l("Rank at most %(max)d proposals."),
    "bad_points": _l("Points must be whole numbers greater than zero."),
    "points_per_project": _l("Give at most %(max)d points to one proposal."),
    "points_too_many": _l("Give at most %(max)d points in total."),
    "points_too_few": _l("Give at least %(min)d points in total."),
    "bad_answer": _l("Answer yes, no or abstain for proposal %(project)s."),
}


def ballot_problem_message(problem: engine.BallotProblem, names: dict[str, str]) -> str:
    params = dict(problem.params)
    if "project" in params:
        params["project"] = f"“{names.get(params['project'], params['project'])}”"
    template = MESSAGES.get(problem.code)
    return str(template) % params if template else _("This ballot is not valid.")

