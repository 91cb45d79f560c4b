# ruff: noqa: E402
"""Benchmark the tally engine against pabutools (run: ``python bench/tally.py [CORPUS_DIR]``).

Prints, for Kraków 2022 (42 965 ordinal ballots, greedy) and Wieliczka 2023 (equal shares with
add1 completion): parse and tally times of ours (best of several runs) and of pabutools (one run)
in the same process (CPU time), the ratios, and whether the winners are identical.  Needs pabutools==1.2.3.

Then the add1 completion as a ratio to plain MES on the same election in the same run: the estate
round of issue 14 and Wieliczka 2023, and, given the public collection's directory (github
pabulib/pabulib_files), Warszawa 2026 (61 668 ballots) and Budapest 2024 (counted in forints, with
the forint's step of 100 Ft), both counted with equalshares/add1 instead of their own rule.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path: bench/http.py would hide the standard library's http.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from pabutools.election import (
    AdditiveSatisfaction,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
)
from pabutools.election import (
    parse_pabulib as pabu_parse,
)
from pabutools.rules import (
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)
from pabutools.tiebreaking import TieBreakingRule

from app.votes.tally import parse_pabulib, tally
from app.votes.tally.scoring import compute_scores
from app.votes.tally.ties import TieBreaker

DATA = ROOT / "tests" / "data" / "pabulib"


def _points_times_cost(instance, profile, ballot, project, precomputed):
    return ballot.get(project, 0) * project.cost


class PointsCostSat(AdditiveSatisfaction):
    def __init__(self, instance, profile, ballot):
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _points_times_cost)


def clock(fn):
    start = time.process_time()
    value = fn()
    return value, time.process_time() - start


REPEATS = 5  # ours is fast enough to time several runs and keep the best, as timeit does


def ours(path: Path):
    parse_times, tally_times = [], []
    for _ in range(REPEATS):
        parsed, t_parse = clock(lambda: parse_pabulib(path))
        result, t_tally = clock(lambda p=parsed: tally(p.election))
        parse_times.append(t_parse)
        tally_times.append(t_tally)
    return parsed, result, min(parse_times), min(tally_times)


def theirs(path: Path, parsed):
    election = parsed.election
    tb = TieBreaker(
        election.tie_break,
        {p.id: p for p in election.projects},
        compute_scores(election),
        election.seed,
    )
    tie = TieBreakingRule(lambda inst, prof, proj: tb.key(proj.name))

    def parse():
        instance, profile = pabu_parse(str(path))
        if election.kind == "ordinal":
            k = int(instance.meta["max_length"])
            profile = CumulativeProfile(
                [CumulativeBallot({p: k - r for r, p in enumerate(b)}) for b in profile],
                instance=instance,
            )
        return instance, profile

    (instance, profile), t_parse = clock(parse)
    if election.rule.name == "greedy":
        run = lambda: greedy_utilitarian_welfare(  # noqa: E731
            instance, profile, sat_class=PointsCostSat, tie_breaking=tie
        )
    else:
        run = lambda: exhaustion_by_budget_increase(  # noqa: E731
            instance,
            profile,
            method_of_equal_shares,
            {"sat_class": Cost_Sat, "tie_breaking": tie},
            exhaustive_stop=False,
            budget_step=profile.num_ballots(),  # 1 zł per voter
        )
    out, t_tally = clock(run)
    return {p.name for p in out}, t_parse, t_tally


def bench(name: str) -> bool:
    path = DATA / name
    parsed, result, p1, t1 = ours(path)
    winners, p2, t2 = theirs(path, parsed)
    same = set(result.winners) == winners
    official = parsed.selected is not None and set(result.winners) == set(parsed.selected)
    print(f"{name}: {len(parsed.election.ballots)} ballots, rule {parsed.rule_text}")
    print(f"  ours:      parse {p1:8.3f} s   tally {t1:8.3f} s   total {p1 + t1:8.3f} s")
    print(f"  pabutools: parse {p2:8.3f} s   tally {t2:8.3f} s   total {p2 + t2:8.3f} s")
    ratio_parse, ratio_tally, ratio_total = p2 / p1, t2 / t1, (p2 + t2) / (p1 + t1)
    print(
        f"  speed-up:  parse {ratio_parse:8.1f} x   tally {ratio_tally:8.1f} x   total {ratio_total:8.1f} x"
    )
    print(f"  winners identical to pabutools: {same}; equal to the official outcome: {official}")
    print(f"  target tally >= 100x: {ratio_tally >= 100}; total >= 100x: {ratio_total >= 100}")
    return same and official and (p2 + t2) >= 100 * (p1 + t1) and t2 >= 100 * t1


def estate_round():
    """Issue 14's estate round: 50 voters, four 1 000 zł proposals, one of 500 000 zł backed by 3 voters,
    a budget of 10 000 zł (step by step, add1 needs 166 594 runs of MES)."""
    import random

    from app.votes.tally import EQUAL_SHARES, ApprovalBallot, Election, Project, Rule

    rng = random.Random(5)
    small = ["bench", "garden", "library", "repair"]
    ballots = tuple(
        ApprovalBallot(tuple(rng.sample(small, rng.randint(1, 3)) + (["hall"] if voter < 3 else [])))
        for voter in range(50)
    )
    projects = tuple(Project(p, 100_000) for p in small) + (Project("hall", 50_000_000),)
    return Election(projects, ballots, "approval", budget=1_000_000, rule=Rule(EQUAL_SHARES))


def add1_ratio(name: str, election, goal: float, repeats: int = REPEATS, step: int = 100) -> bool:
    """add1 completion against plain MES on the same election, best of several runs each."""
    from dataclasses import replace

    from app.votes.tally import EQUAL_SHARES, Rule

    plain = replace(election, rule=Rule(EQUAL_SHARES))
    add1 = replace(election, rule=Rule(EQUAL_SHARES, completion="add1", completion_step=step))
    t_plain = min(clock(lambda: tally(plain))[1] for _ in range(repeats))
    t_add1 = min(clock(lambda: tally(add1))[1] for _ in range(repeats))
    completion = tally(add1).details["completion"]
    ratio = t_add1 / t_plain
    print(f"  {name}: add1 {t_add1:.4f} s, plain MES {t_plain:.4f} s: {ratio:.1f}x plain "
          f"({completion['increments']} steps of {step / 100:g} units, stop: {completion['stop']}), "
          f"goal <= {goal:g}x: {ratio <= goal}")
    return ratio <= goal


def main() -> int:
    print("CPU time of this process (time.process_time); both engines in the same run;")
    print(f"ours: the best of {REPEATS} runs, pabutools: one run.\n")
    ok = bench("Poland_Krakow_2022.pb")
    parsed, result, p1, t1 = ours(DATA / "Poland_Krakow_2022.pb")
    print(f"  Kraków 2022 parse + tally under 1 s: {p1 + t1 < 1} ({p1 + t1:.3f} s)\n")
    ok = ok and p1 + t1 < 1
    ok = bench("Poland_Wieliczka_2023_Green_Budget.pb") and ok
    print("\nadd1 completion, as a ratio to plain MES on the same election:")
    ok = add1_ratio("estate round", estate_round(), 5) and ok
    wieliczka = parse_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb").election
    add1_ratio("Wieliczka 2023 (no goal: the outcome changes almost every step)", wieliczka, float("inf"))
    if len(sys.argv) > 1:
        from app.votes.tally import EQUAL_SHARES, Rule
        from app.votes.tally.pabulib import COMPLETION_STEPS

        corpus = Path(sys.argv[1])
        warszawa = parse_pabulib(corpus / "Poland_Warszawa_2026.pb", rule=Rule(EQUAL_SHARES)).election
        ok = add1_ratio("Warszawa 2026", warszawa, 20, repeats=1) and ok
        budapest = parse_pabulib(corpus / "Hungary_Budapest_2024.pb", rule=Rule(EQUAL_SHARES)).election
        add1_ratio("Budapest 2024 (goal: it finishes)", budapest, float("inf"), repeats=1,
                   step=COMPLETION_STEPS["HUF"])
    print("\nall targets met" if ok else "\nSOME TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
