"""The add1 completion of the Method of Equal Shares gives exactly the outcome of its step-by-step
definition (raise every voter's share by one step, keep the last outcome that fits, stop when the next
overspends or everything supported is bought), but without running every step: an estate round with
one project far dearer than the budget used to take 166,594 runs of MES."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

import pytest

from app.votes.tally import EQUAL_SHARES, ApprovalBallot, Election, Project, Rule, tally
from app.votes.tally.equal_shares import (
    CompletionTooLong,
    MesSetup,
    run_mes,
    run_mes_add1,
    share_bound,
    stable_until,
)


def by_definition(setup: MesSetup, budget: int, step: int, tie_key):
    """The completion as Pabulib's add1 defines it: one run of MES per step, the budget raised at most
    to budget × (voters + 1) in all, as pabutools bounds it."""
    start = Fraction(budget, setup.voters)
    best, k = run_mes(setup, start, tie_key), 0
    supported = sum(1 for s in setup.support if s > 0)
    while len(best.selected) < supported:
        if start + (k + 1) * step > share_bound(budget, setup.voters):
            return best, k, k + 1, "bound"
        nxt = run_mes(setup, start + (k + 1) * step, tie_key)
        if nxt.cost(setup) > budget:
            return best, k, k + 2, "next_overspends"
        best, k = nxt, k + 1
    return best, k, k + 1, "all_selected"


def random_setup(rng: random.Random):
    ids = [str(i) for i in range(rng.randint(1, 7))]
    costs = [rng.choice([0, rng.randint(1, 50), rng.randint(1, 400), rng.randint(1, 3000)]) for _ in ids]
    groups: Counter = Counter()
    for _ in range(rng.randint(1, 25)):
        chosen = frozenset(p for p in ids if rng.random() < 0.4)
        if chosen:
            groups[chosen] += 1
    return (MesSetup.build(ids, costs, groups) if groups else None), costs


@pytest.mark.parametrize("seed", range(4))
def test_same_outcome_payments_and_trace_as_the_definition(seed):
    rng = random.Random(seed)
    compared = 0
    while compared < 150:
        setup, costs = random_setup(rng)
        if setup is None:
            continue
        budget, step = rng.randint(1, 2000), rng.choice([1, 3, 7, 20])

        def tie_key(j, costs=costs):
            return (costs[j], j)

        run, trace = run_mes_add1(setup, budget, step, tie_key)
        expected, k, runs, stop = by_definition(setup, budget, step, tie_key)
        assert run.selected == expected.selected and run.share == expected.share
        assert [(r.project, r.price, r.rho, r.tied, r.payments) for r in run.rounds] == [
            (r.project, r.price, r.rho, r.tied, r.payments) for r in expected.rounds]
        assert (trace.increments, trace.runs, trace.stop) == (k, runs, stop)
        assert trace.computed <= runs
        compared += 1


def estate_round() -> Election:
    """50 voters, four 1 000 zł proposals, one 500 000 zł proposal backed by 3 of them; 10 000 zł."""
    rng = random.Random(5)
    small = ["bench", "garden", "library", "repair"]
    ballots = []
    for voter in range(50):
        chosen = rng.sample(small, rng.randint(1, 3)) + (["hall"] if voter < 3 else [])
        ballots.append(ApprovalBallot(tuple(chosen)))
    projects = tuple(Project(p, 100_000) for p in small) + (Project("hall", 50_000_000),)
    return Election(projects, tuple(ballots), "approval", budget=1_000_000,
                    rule=Rule(EQUAL_SHARES, completion="add1"))


def test_an_estate_round_with_a_far_too_dear_project_takes_a_handful_of_runs():
    result = tally(estate_round())
    completion = result.details["completion"]
    assert set(result.winners) == {"bench", "garden", "library", "repair"}
    # Unbounded, the definition would go on for 166,594 steps of 1 zł, until the 500,000 zł hall is bought
    # and overspends; pabutools' bound (the budget raised to 10,000 zł × 51 in all: 10,200 zł a voter)
    # ends it at step 10,000, with the same winners and the same payments.
    assert completion["stop"] == "bound"
    assert completion["increments"] == 10_000
    assert completion["final_share"] == 1_020_000

    election = estate_round()
    ids = [p.id for p in election.projects]
    costs = [p.cost for p in election.projects]
    setup = MesSetup.build(ids, costs, Counter(frozenset(b.projects) for b in election.ballots))

    def tie_key(j):
        return (costs[j], ids[j])

    unbounded = run_mes(setup, Fraction(1_000_000, 50) + 166_594 * 100, tie_key)
    assert run_mes(setup, Fraction(1_000_000, 50) + 166_595 * 100, tie_key).cost(setup) > 1_000_000
    run, trace = run_mes_add1(setup, 1_000_000, 100, tie_key)
    assert [(r.project, r.price, r.paid) for r in run.rounds] == [
        (r.project, r.price, r.paid) for r in unbounded.rounds]
    assert trace.computed <= 5


def test_the_completion_refuses_to_compute_more_runs_than_allowed():
    """Wieliczka's outcome changes almost every step: capped at 10 runs, the count stops with an error
    rather than running on (a web request that closes a round passes a cap)."""
    from app.votes.tally import parse_pabulib
    from tests.tally.test_real_files import DATA

    election = parse_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb").election
    ids = [p.id for p in election.projects]
    costs = [p.cost for p in election.projects]
    from app.votes.tally.scoring import supporter_sets

    setup = MesSetup.build(ids, costs, supporter_sets(election))
    with pytest.raises(CompletionTooLong):
        run_mes_add1(setup, election.budget, 100, lambda j: (costs[j], ids[j]), max_runs=10)
    _run, trace = run_mes_add1(setup, election.budget, 100, lambda j: (costs[j], ids[j]))
    assert trace.computed > 10


def test_stable_until_is_where_the_outcome_can_first_change():
    """Two voters, one project each: the 30 zł one is bought from the start; the 100 zł one only once a
    voter's share reaches 100 zł, exactly where stable_until says."""
    setup = MesSetup.build(["a", "b"], [3000, 10000], Counter({frozenset({"a"}): 1, frozenset({"b"}): 1}))

    def tie_key(j):
        return (j,)

    assert stable_until(setup, Fraction(4000), tie_key) == 10000
    assert run_mes(setup, Fraction(9999), tie_key).selected == [0]
    assert sorted(run_mes(setup, Fraction(10000), tie_key).selected) == [0, 1]
