"""The single entry point: :func:`tally` dispatches on the rule and assembles the result."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from .equal_shares import MesRun, MesSetup, run_mes, run_mes_add1
from .greedy import greedy_selection, run_greedy, score_order
from .model import EQUAL_SHARES, GREEDY, RANKING, YES_NO_RULE, Election
from .ranking import run_ranking
from .result import (
    BOUGHT,
    NO_SUPPORT,
    UNAFFORDABLE,
    MesRound,
    Payment,
    ProjectOutcome,
    TallyResult,
    TieReport,
)
from .scoring import Scores, compute_scores, supporter_sets
from .ties import TieBreaker, TieKey
from .yes_no import run_yes_no


def tally(election: Election) -> TallyResult:
    """Count ``election`` under its rule; deterministic and exact."""
    scores = compute_scores(election)
    projects = {p.id: p for p in election.projects}
    tb = TieBreaker(election.tie_break, projects, scores, election.seed)
    rule = election.rule.name
    rounds: tuple[MesRound, ...] = ()
    details: dict[str, Any] = {}
    ties: list[TieReport] = []
    if rule == GREEDY:
        winners, outcomes, ties = run_greedy(election, scores, tb)
    elif rule == RANKING:
        winners, outcomes, ties = run_ranking(election, scores, tb)
    elif rule == YES_NO_RULE:
        winners, outcomes = run_yes_no(election, scores, tb)
    elif rule == EQUAL_SHARES:
        winners, outcomes, ties, rounds, details = _equal_shares(election, scores, tb)
    else:  # pragma: no cover - Rule validates its name
        raise ValueError(rule)
    if scores.depth:
        details["score_depth"] = scores.depth
    if election.rule.assumed:
        details["rule_assumed"] = election.rule.assumed
    return TallyResult(
        rule=rule,
        kind=election.kind,
        budget=election.budget,
        budget_used=sum(projects[w].cost for w in winners),
        winners=tuple(winners),
        projects=tuple(outcomes),
        ties=tuple(ties),
        tie_break=tb.policy,
        seed=election.seed,
        rounds=rounds,
        details=details,
    )


def _equal_shares(
    election: Election, scores: Scores, tb: TieBreaker
) -> tuple[list[str], list[ProjectOutcome], list[TieReport], tuple[MesRound, ...], dict[str, Any]]:
    ids = [p.id for p in election.projects]
    costs = [p.cost for p in election.projects]
    groups = supporter_sets(election)
    setup = MesSetup.build(ids, costs, groups)
    keys = [tb.key(pid) for pid in ids]

    def tie_key(j: int) -> TieKey:
        return keys[j]

    budget = election.budget
    assert budget is not None
    details: dict[str, Any] = {"voters": setup.voters}
    if setup.voters == 0:
        run = MesRun(share=Fraction(0))
    elif election.rule.completion == "add1":
        run, trace = run_mes_add1(
            setup, budget, election.rule.completion_step, tie_key, election.rule.completion_max_runs
        )
        details["completion"] = {
            "method": "add1",
            "step": election.rule.completion_step,
            "increments": trace.increments,
            "start_share": trace.start_share,
            "final_share": trace.final_share,
            "runs": trace.runs,
            "stop": trace.stop,
        }
    else:
        run = run_mes(setup, Fraction(budget, setup.voters), tie_key)
    details["share"] = run.share
    winners = [ids[j] for j in run.selected]
    rounds, ties = _rounds(run, setup, scores, tb)
    outcomes = _mes_outcomes(election, scores, tb, run, rounds)
    if election.rule.compare_with_greedy:
        greedy = greedy_selection(
            score_order(ids, scores, tb), dict(zip(ids, costs, strict=True)), budget
        )
        greedy = [g for g in greedy if scores.score[g] > 0]
        mes_fans, greedy_fans = _compare(groups, set(winners), set(greedy))
        keep = "greedy" if greedy_fans > mes_fans else "equal_shares"
        details["comparison"] = {
            "with": "greedy",
            "equal_shares_preferred_by": mes_fans,
            "greedy_preferred_by": greedy_fans,
            "kept": keep,
            "greedy_winners": greedy,
            "equal_shares_winners": winners,
        }
        if keep == "greedy":
            winners, outcomes, ties = run_greedy(election, scores, tb)
            rounds = ()
    return winners, outcomes, ties, rounds, details


def _compare(groups: Counter[frozenset[str]], mes: set[str], greedy: set[str]) -> tuple[int, int]:
    """Voters with strictly more supported winners under MES, and under greedy."""
    mes_fans = greedy_fans = 0
    for members, mult in groups.items():
        a, b = len(members & mes), len(members & greedy)
        if a > b:
            mes_fans += mult
        elif b > a:
            greedy_fans += mult
    return mes_fans, greedy_fans


def _rounds(
    run: MesRun, setup: MesSetup, scores: Scores, tb: TieBreaker
) -> tuple[tuple[MesRound, ...], list[TieReport]]:
    ids = setup.ids
    rounds: list[MesRound] = []
    ties: list[TieReport] = []
    for number, raw in enumerate(run.rounds, start=1):
        pid = ids[raw.project]
        payments = tuple(
            Payment(voters=n, amount=amount)
            for amount, n in sorted(raw.payments.items(), key=lambda kv: -kv[0])
        )
        price = raw.price
        cost = setup.costs[raw.project]
        rounds.append(
            MesRound(
                number=number,
                project=pid,
                price=price,
                rho=raw.rho if raw.rho is not None else Fraction(0),
                effective_votes=Fraction(cost) / price if price else Fraction(0),
                supporters=setup.support[raw.project],
                payments=payments,
                tied_with=tuple(ids[j] for j in raw.tied if j != raw.project),
            )
        )
        if len(raw.tied) > 1:
            ordered = [ids[j] for j in raw.tied]
            ties.append(tb.report(ordered, f"rho={raw.rho}", f"round {number}", True))
    return tuple(rounds), ties


def _mes_outcomes(
    election: Election, scores: Scores, tb: TieBreaker, run: MesRun, rounds: tuple[MesRound, ...]
) -> list[ProjectOutcome]:
    ids = [p.id for p in election.projects]
    projects = {p.id: p for p in election.projects}
    bought = {r.project: r for r in rounds}
    index = {pid: j for j, pid in enumerate(ids)}
    outcomes: list[ProjectOutcome] = []
    for rank, pid in enumerate(score_order(ids, scores, tb), start=1):
        p = projects[pid]
        number: int | None = None
        available: Fraction | None = None
        payments: tuple[Payment, ...] = ()
        if pid in bought:
            r = bought[pid]
            selected, reason, number, payments = True, BOUGHT, r.number, r.payments
        elif index[pid] in run.unaffordable:
            selected, reason = False, UNAFFORDABLE
            number, available = run.unaffordable[index[pid]]
        else:
            selected, reason = False, NO_SUPPORT
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
                round=number,
                available=available,
                payments=payments,
            )
        )
    return outcomes
