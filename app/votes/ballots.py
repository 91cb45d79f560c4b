"""Reading a ballot from a submitted form (the same fields with or without JavaScript).

Field names: approval ``choice`` (checkboxes), choose-1 ``choice`` (radio), ordinal ``rank-1`` …
``rank-k`` (selects holding proposal ids), cumulative ``points-<id>`` (numbers), yes/no
``answer-<id>`` (``yes``/``no``/``abstain``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app.errors import InvalidInput
from app.numbers import parse_whole
from app.phases.models import BallotKind, Round
from app.votes import tally as engine


def listed_choices(round_: Round, form: MultiDict[str, str]) -> list[str] | None:
    """The proposals a ballot lists as its choices (approval, choose-1), which is all of the round's ballot
    that reading and checking it needs; None for the kinds read proposal by proposal, or up to the
    ballot's length (ordinal without a limit), which need the whole ballot."""
    if round_.ballot_kind in (BallotKind.APPROVAL, BallotKind.CHOOSE_ONE):
        return form.getlist("choice")
    return None


def parse_ballot(round_: Round, form: MultiDict[str, str], project_ids: list[str]) -> engine.Ballot:
    """``form`` is a MultiDict-like mapping (``get`` and ``getlist``)."""
    kind = round_.ballot_kind
    if kind == BallotKind.APPROVAL:
        return engine.ApprovalBallot(tuple(v for v in form.getlist("choice") if v))
    if kind == BallotKind.CHOOSE_ONE:
        return engine.ApprovalBallot(tuple(v for v in form.getlist("choice") if v))
    if kind == BallotKind.ORDINAL:
        depth = round_.max_choices or len(project_ids)
        ranking = [form.get(f"rank-{rank}", "") for rank in range(1, depth + 1)]
        filled = [pid for pid in ranking if pid]
        if ranking[: len(filled)] != filled:
            # "2nd choice" without a first would silently become the first, worth more points.
            raise InvalidInput(_l("Fill the places in order, starting with your first choice."),
                               field="ballot")
        return engine.OrdinalBallot(tuple(filled))
    if kind == BallotKind.CUMULATIVE:
        points = []
        for pid in project_ids:
            raw = (form.get(f"points-{pid}") or "").strip()
            if not raw:
                continue
            value = parse_whole(raw) if len(raw) <= 6 else None
            if value is None:
                raise InvalidInput(_l("Points must be whole numbers greater than zero."), field="ballot")
            if value:
                points.append((pid, value))
        return engine.CumulativeBallot(tuple(points))
    answers = []
    for pid in project_ids:
        answer = form.get(f"answer-{pid}") or engine.ABSTAIN
        answers.append((pid, answer))
    return engine.YesNoBallot(tuple(answers))


def ballot_summary(round_: Round, ballot: engine.Ballot, projects: list[engine.Project]) -> dict[str, Any]:
    """What the voting page shows as you go: choices, points and cost used and left."""
    cost = {p.id: p.cost for p in projects}
    kind = round_.ballot_kind
    if isinstance(ballot, engine.ApprovalBallot):
        chosen = list(ballot.projects)
    elif isinstance(ballot, engine.OrdinalBallot):
        chosen = list(dict.fromkeys(ballot.ranking))  # ranked twice is still one proposal (and refused)
    elif isinstance(ballot, engine.CumulativeBallot):
        chosen = [pid for pid, _ in ballot.points]
    else:
        chosen = [pid for pid, answer in ballot.answers if answer != engine.ABSTAIN]
    points_used = sum(p for _, p in ballot.points) if isinstance(ballot, engine.CumulativeBallot) else None
    max_choices = 1 if kind == BallotKind.CHOOSE_ONE else round_.max_choices
    cost_used = sum(cost.get(pid, 0) for pid in chosen)
    return {
        "chosen": len(chosen),
        "max_choices": max_choices,
        "choices_left": None if max_choices is None else max_choices - len(chosen),
        "points_used": points_used,
        "points_left": None if points_used is None else (round_.points_total or 0) - points_used,
        "cost_used": cost_used,
        "cost_limit": round_.max_ballot_cost_grosze,
        "cost_left": None if round_.max_ballot_cost_grosze is None
        else round_.max_ballot_cost_grosze - cost_used,
    }
