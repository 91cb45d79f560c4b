"""Ranking without a budget: the top N projects, or all with a score at or above a threshold."""

from __future__ import annotations

from itertools import groupby

from .greedy import score_order
from .model import Election
from .result import (
    ABOVE_THRESHOLD,
    BELOW_THRESHOLD,
    IN_TOP,
    NO_SUPPORT,
    OUTSIDE_TOP,
    ProjectOutcome,
    TieReport,
)
from .scoring import Scores
from .ties import TieBreaker


def run_ranking(
    election: Election, scores: Scores, tb: TieBreaker
) -> tuple[list[str], list[ProjectOutcome], list[TieReport]]:
    """Select by ``rule.top_n`` (supported projects only) or ``rule.min_score``."""
    top_n, min_score = election.rule.top_n, election.rule.min_score
    if (top_n is None) == (min_score is None):
        raise ValueError("the ranking rule needs exactly one of top_n and min_score")
    projects = {p.id: p for p in election.projects}
    order = score_order(list(projects), scores, tb)
    winners: list[str] = []
    outcomes: list[ProjectOutcome] = []
    for rank, pid in enumerate(order, start=1):
        score = scores.score[pid]
        if min_score is not None:
            selected = score >= min_score
            reason = ABOVE_THRESHOLD if selected else BELOW_THRESHOLD
        elif score <= 0:
            selected, reason = False, NO_SUPPORT
        else:
            assert top_n is not None  # exactly one of top_n and min_score is set
            selected = len(winners) < top_n
            reason = IN_TOP if selected else OUTSIDE_TOP
        if selected:
            winners.append(pid)
        p = projects[pid]
        outcomes.append(
            ProjectOutcome(
                id=pid,
                name=p.name,
                cost=p.cost,
                score=score,
                votes=scores.votes[pid],
                rank=rank,
                selected=selected,
                reason=reason,
            )
        )
    chosen = set(winners)
    ties: list[TieReport] = []
    for score, group in groupby(order, key=lambda i: scores.score[i]):
        members = list(group)
        if score <= 0 or len(members) < 2:
            continue
        fates = {m in chosen for m in members}
        ties.append(tb.report(members, str(score), "order", len(fates) > 1, chosen))
    return winners, outcomes, ties
