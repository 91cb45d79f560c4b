"""Immutable, self-explaining tally results with a canonical ``to_dict()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# Why a project ended where it did.
FUNDED = "funded"  # greedy: fitted the remaining budget
DID_NOT_FIT = "did_not_fit"  # greedy: cost above the remaining budget at its turn
STOPPED = "stopped"  # greedy-no-skip: counting stopped at an earlier project that did not fit
EXCLUDED = "excluded"  # greedy-exclusive: another project of its exclusive group was funded
WITHDRAWN = "withdrawn"  # greedy: on the ballot, but it can no longer be funded
NO_SUPPORT = "no_support"  # nobody gave it a positive score
BOUGHT = "bought"  # equal shares: its supporters paid for it
UNAFFORDABLE = "unaffordable"  # equal shares: its supporters could not afford it any more
IN_TOP = "in_top"  # ranking: within the top N
OUTSIDE_TOP = "outside_top"
ABOVE_THRESHOLD = "above_threshold"  # ranking: score >= threshold
BELOW_THRESHOLD = "below_threshold"  # ranking, greedy with a threshold: score below it
PASSED = "passed"  # yes/no
NO_QUORUM = "no_quorum"
NO_MAJORITY = "no_majority"


def frac_str(value: Fraction | int) -> str:
    """Exact rational as ``"n"`` or ``"n/d"``."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def round_grosze(value: Fraction | int) -> int:
    """Nearest whole grosz (halves round up) -- for display only; exact values are kept."""
    value = Fraction(value)
    return int((value * 2 + 1) // 2)


def _money(value: Fraction | int | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"exact": frac_str(value), "grosze": round_grosze(value)}


@dataclass(frozen=True, slots=True)
class TieReport:
    """A tie met by the rule.

    Greedy and ranking report every group of two or more supported projects with equal score
    (the policy decides their order); ``affects_selection`` says whether another order could
    have changed the set of winners.  Equal shares reports every round where two or more
    projects had the same best price per unit; ``affects_selection`` is then always true (the
    winner of the round was decided by the policy).
    """

    projects: tuple[str, ...]  # in the order the policy put them
    score: str
    criterion: str  # the step that decided who won (see TieBreaker.report); else projects[0] first
    steps: tuple[tuple[str, str, str], ...]  # (first, second, criterion) for neighbours
    stage: str
    affects_selection: bool
    policy: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "projects": list(self.projects),
            "score": self.score,
            "criterion": self.criterion,
            "first": self.projects[0],
            "steps": [{"first": a, "second": b, "criterion": c} for a, b, c in self.steps],
            "stage": self.stage,
            "affects_selection": self.affects_selection,
            "policy": list(self.policy),
        }


@dataclass(frozen=True, slots=True)
class Payment:
    """``voters`` supporters each paid ``amount`` grosze (exact)."""

    voters: int
    amount: Fraction

    def to_dict(self) -> dict[str, Any]:
        return {"voters": self.voters, "amount": _money(self.amount)}


@dataclass(frozen=True, slots=True)
class MesRound:
    """One purchase of the Method of Equal Shares.

    ``price``: what each supporter who could afford it paid (grosze); ``rho`` = price / cost,
    the price per unit of utility that is minimised; ``effective_votes`` = cost / price.
    """

    number: int
    project: str
    price: Fraction
    rho: Fraction
    effective_votes: Fraction
    supporters: int
    payments: tuple[Payment, ...]
    tied_with: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.number,
            "project": self.project,
            "price": _money(self.price),
            "rho": frac_str(self.rho),
            "effective_votes": frac_str(self.effective_votes),
            "effective_votes_float": float(self.effective_votes),
            "supporters": self.supporters,
            "payments": [p.to_dict() for p in self.payments],
            "tied_with": list(self.tied_with),
        }


@dataclass(frozen=True, slots=True)
class ProjectOutcome:
    """What happened to one project, and why."""

    id: str
    name: str
    cost: int
    score: int
    votes: int
    rank: int  # 1 = highest score; equal scores ordered by the tie-break policy
    selected: bool
    reason: str
    remaining_budget: int | None = None  # greedy: budget left when its turn came
    round: int | None = None  # equal shares: round bought or found unaffordable
    available: Fraction | None = None  # equal shares: supporters' money when unaffordable
    payments: tuple[Payment, ...] = ()
    no: int | None = None  # yes/no: number of "no" answers

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "cost": self.cost,
            "score": self.score,
            "votes": self.votes,
            "rank": self.rank,
            "selected": self.selected,
            "reason": self.reason,
        }
        if self.remaining_budget is not None:
            d["remaining_budget"] = self.remaining_budget
        if self.round is not None:
            d["round"] = self.round
        if self.available is not None:
            d["available"] = _money(self.available)
        if self.payments:
            d["payments"] = [p.to_dict() for p in self.payments]
        if self.no is not None:
            d["no"] = self.no
        return d


@dataclass(frozen=True)
class TallyResult:
    """The outcome of a tally.  ``winners`` in selection order; money in grosze."""

    rule: str
    kind: str
    budget: int | None
    budget_used: int
    winners: tuple[str, ...]
    projects: tuple[ProjectOutcome, ...]  # in rank order
    ties: tuple[TieReport, ...]
    tie_break: tuple[str, ...]
    seed: str
    rounds: tuple[MesRound, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def project(self, pid: str) -> ProjectOutcome:
        """The outcome of one project."""
        for p in self.projects:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable; dump with ``sort_keys=True`` for a canonical text."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "budget": self.budget,
            "budget_used": self.budget_used,
            "winners": list(self.winners),
            "projects": [p.to_dict() for p in self.projects],
            "ties": [t.to_dict() for t in self.ties],
            "tie_break": list(self.tie_break),
            "seed": self.seed,
            "rounds": [r.to_dict() for r in self.rounds],
            "details": _plain(self.details),
        }


def _plain(value: Any) -> Any:
    """Make nested details JSON-friendly (Fractions as exact strings, tuples as lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Fraction):
        return frac_str(value)
    return value
