"""Yes/no voting: each proposal is decided on its own by a turnout quorum and a majority."""

from __future__ import annotations

from .greedy import score_order
from .model import Election
from .result import NO_MAJORITY, NO_QUORUM, PASSED, ProjectOutcome
from .scoring import Scores
from .ties import TieBreaker


def passes_quorum(election: Election, turnout: int) -> bool:
    """Whether ``turnout`` meets the rule's quorum (no quorum configured = always)."""
    rule = election.rule
    if rule.quorum_ballots is not None and turnout < rule.quorum_ballots:
        return False
    if rule.quorum_fraction is not None:
        if rule.eligible_voters is None:
            raise ValueError("quorum_fraction needs eligible_voters")
        if turnout < rule.quorum_fraction * rule.eligible_voters:
            return False
    return True


def passes_majority(election: Election, yes: int, no: int) -> bool:
    """More yes than no, or yes >= yes_fraction * (yes + no) when a fraction is set."""
    fraction = election.rule.yes_fraction
    if fraction is None:
        return yes > no
    return yes > 0 and yes >= fraction * (yes + no)


def run_yes_no(
    election: Election, scores: Scores, tb: TieBreaker
) -> tuple[list[str], list[ProjectOutcome]]:
    """Winners (in rank order by yes answers) and the outcome of every proposal."""
    projects = {p.id: p for p in election.projects}
    ballots = len(election.ballots)
    winners = []
    outcomes = []
    for rank, pid in enumerate(score_order(list(projects), scores, tb), start=1):
        yes, no = scores.score[pid], scores.no[pid]
        turnout = yes + no if election.rule.quorum_counts_answers else ballots
        if not passes_quorum(election, turnout):
            reason = NO_QUORUM
        elif not passes_majority(election, yes, no):
            reason = NO_MAJORITY
        else:
            reason = PASSED
            winners.append(pid)
        p = projects[pid]
        outcomes.append(
            ProjectOutcome(
                id=pid,
                name=p.name,
                cost=p.cost,
                score=yes,
                votes=yes,
                rank=rank,
                selected=reason == PASSED,
                reason=reason,
                no=no,
            )
        )
    return winners, outcomes
