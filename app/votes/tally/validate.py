"""Check one ballot against the round's limits, with plain English messages.

All messages are constant ``%``-style format strings in :data:`MESSAGES` so that the application
can translate them (``gettext(MESSAGES[code]) % params``) before filling in the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .model import (
    ABSTAIN,
    APPROVAL,
    CHOOSE_ONE,
    CUMULATIVE,
    NO,
    ORDINAL,
    YES,
    YES_NO,
    ApprovalBallot,
    Ballot,
    BallotLimits,
    CumulativeBallot,
    OrdinalBallot,
    Project,
    YesNoBallot,
)

MESSAGES: dict[str, str] = {
    "wrong_kind": "This ballot does not match the way this vote is held.",
    "unknown_project": "Proposal %(project)s is not on this ballot.",
    "duplicate": "Proposal %(project)s appears more than once.",
    "choose_one": "Choose exactly one proposal.",
    "too_few": "Choose at least %(min)d proposals.",
    "too_many": "Choose at most %(max)d proposals.",
    "too_expensive": "The proposals you chose cost %(total)s in total; the limit is %(limit)s.",
    "rank_too_few": "Rank at least %(min)d proposals.",
    "rank_too_many": "Rank at most %(max)d proposals.",
    "bad_points": "Points must be whole numbers greater than zero.",
    "points_per_project": "Give at most %(max)d points to one proposal.",
    "points_too_many": "Give at most %(max)d points in total.",
    "points_too_few": "Give at least %(min)d points in total.",
    "bad_answer": "Answer yes, no or abstain for proposal %(project)s.",
}


@dataclass(frozen=True, slots=True)
class BallotProblem:
    """What is wrong with a ballot: a message code and its parameters."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def template(self) -> str:
        """The untranslated format string."""
        return MESSAGES[self.code]

    @property
    def message(self) -> str:
        """The English message with the parameters filled in."""
        return self.template % dict(self.params)

    def __str__(self) -> str:
        return self.message


def _problem(code: str, **params: Any) -> BallotProblem:
    return BallotProblem(code, tuple(sorted(params.items())))


def _money(grosze: int) -> str:
    whole, cents = divmod(grosze, 100)
    return f"{whole:,}".replace(",", " ") + f",{cents:02d} zł"


def validate_ballot(
    ballot: Ballot,
    kind: str,
    limits: BallotLimits,
    projects: Iterable[Project],
) -> BallotProblem | None:
    """The first problem found with ``ballot``, or ``None`` if it is valid."""
    catalogue = {p.id: p for p in projects}
    if kind in (APPROVAL, CHOOSE_ONE):
        if not isinstance(ballot, ApprovalBallot):
            return _problem("wrong_kind")
        return _check_ids(ballot.projects, catalogue) or _check_approval(
            ballot.projects, kind, limits, catalogue
        )
    if kind == ORDINAL:
        if not isinstance(ballot, OrdinalBallot):
            return _problem("wrong_kind")
        return _check_ids(ballot.ranking, catalogue) or _check_count(
            len(ballot.ranking), limits, "rank_too_few", "rank_too_many"
        )
    if kind == CUMULATIVE:
        if not isinstance(ballot, CumulativeBallot):
            return _problem("wrong_kind")
        ids = tuple(p for p, _ in ballot.points)
        return _check_ids(ids, catalogue) or _check_points(ballot, limits)
    if kind == YES_NO:
        if not isinstance(ballot, YesNoBallot):
            return _problem("wrong_kind")
        ids = tuple(p for p, _ in ballot.answers)
        problem = _check_ids(ids, catalogue)
        if problem:
            return problem
        for pid, answer in ballot.answers:
            if answer not in (YES, NO, ABSTAIN):
                return _problem("bad_answer", project=pid)
        return None
    raise ValueError(f"unknown ballot kind {kind!r}")


def _check_ids(ids: tuple[str, ...], catalogue: dict[str, Project]) -> BallotProblem | None:
    seen: set[str] = set()
    for pid in ids:
        if pid not in catalogue:
            return _problem("unknown_project", project=pid)
        if pid in seen:
            return _problem("duplicate", project=pid)
        seen.add(pid)
    return None


def _check_count(n: int, limits: BallotLimits, too_few: str, too_many: str) -> BallotProblem | None:
    if n < limits.min_choices:
        return _problem(too_few, min=limits.min_choices)
    if limits.max_choices is not None and n > limits.max_choices:
        return _problem(too_many, max=limits.max_choices)
    return None


def _check_approval(
    ids: tuple[str, ...], kind: str, limits: BallotLimits, catalogue: dict[str, Project]
) -> BallotProblem | None:
    if kind == CHOOSE_ONE:
        return None if len(ids) == 1 else _problem("choose_one")
    problem = _check_count(len(ids), limits, "too_few", "too_many")
    if problem:
        return problem
    if limits.max_total_cost is not None:
        total = sum(catalogue[p].cost for p in ids)
        if total > limits.max_total_cost:
            return _problem(
                "too_expensive", total=_money(total), limit=_money(limits.max_total_cost)
            )
    return None


def _check_points(ballot: CumulativeBallot, limits: BallotLimits) -> BallotProblem | None:
    total = 0
    for _, pts in ballot.points:
        if not isinstance(pts, int) or isinstance(pts, bool) or pts <= 0:
            return _problem("bad_points")
        if limits.max_points_per_project is not None and pts > limits.max_points_per_project:
            return _problem("points_per_project", max=limits.max_points_per_project)
        total += pts
    if limits.max_points is not None and total > limits.max_points:
        return _problem("points_too_many", max=limits.max_points)
    if total < limits.min_points:
        return _problem("points_too_few", min=limits.min_points)
    return None
