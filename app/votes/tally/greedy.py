"""Greedy by score: walk projects from the highest score, fund each that still fits."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from .model import Election, Project
from .result import (
    BELOW_THRESHOLD,
    DID_NOT_FIT,
    EXCLUDED,
    FUNDED,
    NO_SUPPORT,
    STOPPED,
    WITHDRAWN,
    ProjectOutcome,
    TieReport,
)
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
    """Greedy tally: winners in selection order, outcomes in rank order, ties met.

    With the rule's variants (see :class:`~.model.Rule`): a withdrawn project, or one below
    ``min_score``, is not eligible; with ``no_skip`` the count stops at the first eligible project
    that does not fit; a project whose ``exclusive_groups`` partner was funded is passed over.
    """
    rule = election.rule
    projects: dict[str, Project] = {p.id: p for p in election.projects}
    group_of = {pid: n for n, group in enumerate(rule.exclusive_groups) for pid in group}
    funded_groups: set[int] = set()
    withdrawn = set(rule.withdrawn)
    order = score_order(list(projects), scores, tb)
    assert election.budget is not None
    remaining = election.budget
    stopped = False
    winners: list[str] = []
    outcomes: list[ProjectOutcome] = []
    remaining_at: dict[str, int] = {}
    eligible: set[str] = set()
    for rank, pid in enumerate(order, start=1):
        p = projects[pid]
        remaining_at[pid] = remaining
        selected = False
        group = group_of.get(pid)
        if scores.score[pid] <= 0:
            reason = NO_SUPPORT
        elif pid in withdrawn:
            reason = WITHDRAWN
        elif rule.min_score is not None and scores.score[pid] < rule.min_score:
            reason = BELOW_THRESHOLD
        elif stopped:
            reason = STOPPED
        elif group is not None and group in funded_groups:
            reason = EXCLUDED
        elif p.cost <= remaining:
            reason, selected = FUNDED, True
            eligible.add(pid)
            winners.append(pid)
            remaining -= p.cost
            if group is not None:
                funded_groups.add(group)
        else:
            reason = DID_NOT_FIT
            eligible.add(pid)
            stopped = rule.no_skip
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
    for score, group_members in groupby(order, key=lambda i: scores.score[i]):
        members = list(group_members)
        if score <= 0 or len(members) < 2:
            continue
        start = remaining_at[members[0]]
        # Another order changes the winners iff a rejected member would fit if it went first (or, with
        # no_skip or exclusive groups, iff the members did not all end alike).
        if rule.no_skip or rule.exclusive_groups:
            affects = len({m in chosen for m in members}) > 1 or any(
                m in eligible and m not in chosen and projects[m].cost <= start for m in members)
        else:
            affects = any(m not in chosen and projects[m].cost <= start for m in members)
        if rule.min_score is not None and score < rule.min_score:
            affects = False
        members = [m for m in members if m not in withdrawn]
        if len(members) < 2:
            continue
        ties.append(tb.report(members, str(score), "order", affects, chosen))
    return winners, outcomes, ties
