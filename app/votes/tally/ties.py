"""Tie-break policies: ordered lists of criteria, always ending with the project id.

Criteria: ``lower_cost``, ``higher_cost``, ``more_voters``, ``fewer_voters``,
``more_top_ranks`` (ordinal: more first places, then more second places, ...), ``id``
(lexicographic on the id string, pabutools' default) and ``lot`` (sha256 of seed and id: a
deterministic draw from the round's seed, drawn when voting opens and published with the result).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .model import Project
from .result import TieReport
from .scoring import Scores

#: What projects are sorted by to break a tie: one entry per criterion of the policy, then the id.
TieKey = tuple[Any, ...]

CRITERIA = (
    "lower_cost",
    "higher_cost",
    "more_voters",
    "fewer_voters",
    "more_top_ranks",
    "id",
    "lot",
)


def lot_key(seed: str, project_id: str) -> str:
    """The lot: sha256 over the seed and the project id (hex digest; smaller goes first)."""
    return hashlib.sha256(f"{seed}\x1f{project_id}".encode()).hexdigest()


class TieBreaker:
    """Orders tied projects by a policy and explains which criterion decided."""

    def __init__(
        self,
        policy: Sequence[str],
        projects: dict[str, Project],
        scores: Scores,
        seed: str = "",
    ) -> None:
        unknown = [c for c in policy if c not in CRITERIA]
        if unknown:
            raise ValueError(f"unknown tie-break criteria {unknown}; expected some of {CRITERIA}")
        self.policy = tuple(policy) if "id" in policy else (*policy, "id")
        self._key_funcs: list[Callable[[str], object]] = [
            self._criterion(c, projects, scores, seed) for c in self.policy
        ]
        self._cache: dict[str, TieKey] = {}

    @staticmethod
    def _criterion(
        name: str, projects: dict[str, Project], scores: Scores, seed: str
    ) -> Callable[[str], object]:
        if name == "lower_cost":
            return lambda pid: projects[pid].cost
        if name == "higher_cost":
            return lambda pid: -projects[pid].cost
        if name == "more_voters":
            return lambda pid: -scores.votes[pid]
        if name == "fewer_voters":
            return lambda pid: scores.votes[pid]
        if name == "more_top_ranks":
            return lambda pid: tuple(-n for n in scores.rank_counts.get(pid, ()))
        if name == "lot":
            return lambda pid: lot_key(seed, pid)
        return lambda pid: pid

    def key(self, pid: str) -> TieKey:
        """Sort key of a project under the policy (smaller goes first)."""
        key = self._cache.get(pid)
        if key is None:
            key = self._cache[pid] = tuple(f(pid) for f in self._key_funcs)
        return key

    def order(self, pids: Iterable[str]) -> list[str]:
        """The projects in tie-break order."""
        return sorted(pids, key=self.key)

    def deciding_criterion(self, first: str, second: str) -> str:
        """The first criterion of the policy on which ``first`` and ``second`` differ."""
        for name, a, b in zip(self.policy, self.key(first), self.key(second), strict=True):
            if a != b:
                return name
        return "id"

    def report(
        self, ordered: Sequence[str], score: str, stage: str, affects_selection: bool,
        chosen: Iterable[str] = (),
    ) -> TieReport:
        """Describe a tie among ``ordered`` (already in tie-break order).

        The summary ``criterion`` is the step that decided who won: the first neighbours of which the
        first is in ``chosen`` (the winners) and the second is not.  Without such a pair (all won, or
        none) it is the step that put ``ordered[0]`` first.
        """
        pairs = zip(ordered, ordered[1:], strict=False)
        steps = tuple((a, b, self.deciding_criterion(a, b)) for a, b in pairs)
        winners = set(chosen)
        deciding = next((c for a, b, c in steps if a in winners and b not in winners), steps[0][2])
        return TieReport(
            projects=tuple(ordered),
            score=score,
            criterion=deciding,
            steps=steps,
            stage=stage,
            affects_selection=affects_selection,
            policy=self.policy,
        )
