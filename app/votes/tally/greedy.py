"""Greedy by score: walk projects from the highest score, fund each that still fits."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from .model import Election, Project
from .result import DID_NOT_FIT, FUNDED, NO_SUPPORT, ProjectOutcome, TieReport
from .scoring import Scores
from .ties import TieBreaker


def score_order(ids: Sequence[str], scores: Scores, tb: TieBreaker) -> list[str]:
    """Projects by descending score; equal scores in tie-break order."""
    return sorted(ids, key=lambda i: (-scores.score[i], tb.key(i)))


def greedy_selection(order: Sequence[str], costs: dict[str, int], budget: int) -> list[str]:
    """Fund, in ``order``, every project whose cost fits what is left (skip, don't stop)."""
    chosen = []
    remaining = budget
    for pid in order:
        if costs[pid] <= remaining:
            chosen.append(pid)
            remaining -= costs[pid]
    return chosen


def run_greedy(
    election: Election, scores: Scores, tb: TieBreaker
) -> tuple[list[str], list[ProjectOutcome], list[TieReport]]:
    """Greedy tally: winners in selection order, outcomes in rank order, ties met."""
    projects: dict[str, Project] = {p.id: p for p in election.projects}
    order = score_order(list(projects), scores, tb)
    assert election.budget is not None
    remaining = election.budget
    winners: list[str] = []
    outcomes: list[ProjectOutcome] = []
    remaining_at: dict[str, int] = {}
    for rank, pid in enumerate(order, start=1):
        p = projects[pid]
        remaining_at[pid] = remaining
        if scores.score[pid] <= 0:
            reason, selected = NO_SUPPORT, False
        elif p.cost <= remaining:
            reason, selected = FUNDED, True
            winners.append(pid)
            remaining -= p.cost
        else:
            reason, selected = DID_NOT_FIT, False
        outcomes.append(
            ProjectOutcome(
                id=pid,
                name=p.name,
                cost=p.cost,
                score=scores.score[pid],
                votes=scores.votes[pid],
                rank=rank,
                selected=selected,
                reason=reason,
                remaining_budget=remaining_at[pid],
            )
        )
    chosen = set(winners)
    ties = []
    for score, group in groupby(order, key=lambda i: scores.score[i]):
        members = list(group)
        if score <= 0 or len(members) < 2:
            continue
        start = remaining_at[members[0]]
        # Another order changes the winners iff a rejected member would fit if it went first.
        affects = any(m not in chosen and projects[m].cost <= start for m in members)
        ties.append(tb.report(members, str(score), "order", affects))
    return winners, outcomes, ties
