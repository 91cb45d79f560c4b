"""Translated messages for the tally engine's ballot problems (the engine itself speaks English)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.i18n import quoted
from app.votes import tally as engine

MESSAGES = {
    "wrong_kind": _l("This ballot does not match the way this vote is held."),
    "unknown_project": _l("Proposal %(project)s is not on this ballot."),
    "duplicate": _l("Proposal %(project)s appears more than once."),
    "choose_one": _l("Choose exactly one proposal."),
    "too_expensive": _l("The proposals you chose cost %(total)s in total; the limit is %(limit)s."),
    "bad_points": _l("Points must be whole numbers greater than zero."),
    "bad_answer": _l("Answer yes, no or abstain for proposal %(project)s."),
}


def _counted(code: str, n: int) -> str:
    """Messages with a number, in the right plural form (Polish has three)."""
    if code == "too_few":
        return ngettext("Choose at least %(num)d proposal.", "Choose at least %(num)d proposals.", n)
    if code == "too_many":
        return ngettext("Choose at most %(num)d proposal.", "Choose at most %(num)d proposals.", n)
    if code == "rank_too_few":
        return ngettext("Rank at least %(num)d proposal.", "Rank at least %(num)d proposals.", n)
    if code == "rank_too_many":
        return ngettext("Rank at most %(num)d proposal.", "Rank at most %(num)d proposals.", n)
    if code == "points_per_project":
        return ngettext("Give at most %(num)d point to one proposal.",
                        "Give at most %(num)d points to one proposal.", n)
    if code == "points_too_many":
        return ngettext("Give at most %(num)d point in total.", "Give at most %(num)d points in total.", n)
    if code == "points_too_few":
        return ngettext("Give at least %(num)d point in total.", "Give at least %(num)d points in total.", n)
    return _("This ballot is not valid.")


def ballot_problem_message(problem: engine.BallotProblem, names: dict[str, str]) -> str:
    params = dict(problem.params)
    if "min" in params or "max" in params:
        return _counted(problem.code, params["min"] if "min" in params else params["max"])
    if "project" in params:
        params["project"] = quoted(names.get(params["project"], params["project"]))
    template = MESSAGES.get(problem.code)
    return str(template) % params if template else _("This ballot is not valid.")
