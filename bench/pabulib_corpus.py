# ruff: noqa: E402
"""Count every Pabulib file in a directory (run: ``python bench/pabulib_corpus.py DIR``).

Prints how many files parse, how many are counted under their own rule (not an assumed default, see
``app.votes.tally.pabulib.ASSUMED_RULES``), how many reproduce the official ``selected`` column, and
every miss with its reason:

* ``refused: duplicate project in a vote``: a vote names the same project twice, which the reader
  refuses for every vote type (issue 14 §1).  The line then says what the explicit leniency
  ``dedupe_votes`` (``flask votes tally --dedupe-votes``: an approval vote's repeated project counted
  once) would give: how many votes it changes and whether the official outcome is reproduced;
* ``parse``: any other error of the parser (section, line, column, reason);
* ``assumed rule``: the file's rule is unknown or not supported, it was counted with greedy;
* ``non-standard official outcome``: PROJECTS marks some project ``selected`` 2 or 3 (selected for
  another reason, explained in the file's comment), or the official list breaks the file's own rule
  (it overspends, funds a project with no votes, or, under greedy, passes over an eligible project
  that fitted the money left when its turn came, or that fits the money the official winners leave);
* ``tie``: a tie that could change the winners was met (reported by the tally);
* ``unexplained``: none of these.

The collection is public (github pabulib/pabulib_files); fetch it rather than vendoring it.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path: bench/http.py would hide the standard library's http.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from app.votes.tally import PabulibError, parse_pabulib, tally
from app.votes.tally.equal_shares import CompletionTooLong


def reason_for_miss(parsed, result) -> str:
    official, ours = set(parsed.selected), set(result.winners)
    diff = f"official only {sorted(official - ours)}, ours only {sorted(ours - official)}"
    marks = Counter(cols.get("selected", "").strip() for cols in parsed.project_columns.values())
    if marks["2"] or marks["3"]:
        return f"non-standard official outcome (selected=2/3 on {marks['2'] + marks['3']} projects); {diff}"
    election = parsed.election
    costs = {p.id: p.cost for p in election.projects}
    if election.budget is not None and sum(costs[p] for p in official) > election.budget:
        return f"non-standard official outcome (the official list overspends the budget); {diff}"
    rule = election.rule
    if rule.name == "greedy" and not rule.no_skip and election.budget is not None:
        left = election.budget - sum(costs[p] for p in official)
        scores = {p.id: p.score for p in result.projects}
        fits = [p for p in costs if p not in official and p not in rule.withdrawn and 0 < costs[p] <= left
                and scores[p] > 0 and (rule.min_score is None or scores[p] >= rule.min_score)]
        if fits and "rule_assumed" not in result.details:
            return (f"non-standard official outcome (not greedy: {sorted(fits)} would fit the money the "
                    f"official list leaves); {diff}")
    if "rule_assumed" in result.details:
        return f"assumed rule ({result.details['rule_assumed']}); {diff}"
    if any(t.affects_selection for t in result.ties):
        return f"tie (a tie that changes the winners was met); {diff}"
    scored = {p.id: p.score for p in result.projects}
    if any(scored[p] <= 0 for p in official):
        return f"non-standard official outcome (a project without votes is selected); {diff}"
    passed = passed_over(parsed, result, official) if rule.name == "greedy" else None
    if passed:
        return f"non-standard official outcome (not greedy: {passed}); {diff}"
    return f"unexplained; {diff}"


def passed_over(parsed, result, official: set[str]) -> str | None:
    """The first eligible project that greedy reaches with enough money left, given the official winners
    above it, but that the official list leaves out while it selects projects below it."""
    rule = parsed.election.rule
    costs = {p.id: p.cost for p in parsed.election.projects}
    left = parsed.election.budget
    order = list(result.projects)  # in rank order
    for place, outcome in enumerate(order):
        pid = outcome.id
        if pid in official:
            left -= costs[pid]
            continue
        eligible = (outcome.score > 0 and pid not in rule.withdrawn
                    and (rule.min_score is None or outcome.score >= rule.min_score))
        below = [o.id for o in order[place + 1:] if o.id in official]
        if eligible and costs[pid] <= left and below:
            return (f"{pid!r} ({outcome.score} votes) fitted the {left / 100:.2f} left at its turn but was "
                    f"passed over, while {len(below)} lower-scored project(s) were selected")
    return None


def deduplicated(path: Path, lenient: Counter[str]) -> str:
    """What reading the file with ``dedupe_votes`` gives (counted in ``lenient``)."""
    try:
        parsed = parse_pabulib(path, dedupe_votes=True)
    except PabulibError as error:
        lenient["still refused"] += 1
        return f"still refused ({error})"
    lenient["parsed"] += 1
    changed = f"{parsed.votes_deduplicated} of {len(parsed.election.ballots)} votes changed"
    if not parsed.selected:
        return f"{changed}, no official outcome"
    same = set(parsed.selected) == set(tally(parsed.election).winners)
    lenient["with an official outcome"] += 1
    lenient["official outcome reproduced"] += same
    return f"{changed}, official outcome {'reproduced' if same else 'not reproduced'}"


def main(directory: str) -> int:
    files = sorted(Path(directory).glob("*.pb"))
    parsed_n = own_rule = with_official = reproduced = 0
    misses: list[tuple[str, str]] = []
    kinds: Counter[str] = Counter()
    lenient: Counter[str] = Counter()
    start = time.process_time()
    for path in files:
        try:
            parsed = parse_pabulib(path)
        except PabulibError as error:
            if error.code == "project_twice_in_vote":
                reason = (f"refused: duplicate project in a vote (line {error.line}): {error}; "
                          f"with --dedupe-votes: {deduplicated(path, lenient)}")
                misses.append((path.name, reason))
                kinds["refused: duplicate project in a vote"] += 1
            else:
                misses.append((path.name, f"parse: {error}"))
                kinds["parse"] += 1
            continue
        parsed_n += 1
        try:
            result = tally(parsed.election)
        except CompletionTooLong as error:
            misses.append((path.name, f"count: {error}"))
            kinds["count"] += 1
            continue
        if "rule_assumed" not in result.details:
            own_rule += 1
        if not parsed.selected:
            continue  # no official outcome to compare with
        with_official += 1
        if set(parsed.selected) == set(result.winners):
            reproduced += 1
            continue
        reason = reason_for_miss(parsed, result)
        misses.append((path.name, reason))
        kinds[reason.split(" (")[0].split(";")[0]] += 1
    misses.sort(key=lambda miss: (miss[1].split(" (")[0].split(":")[0], miss[0]))
    elapsed = time.process_time() - start
    print(f"{len(files)} files in {directory} ({elapsed:.0f} s of CPU)")
    print(f"  parsed:                          {parsed_n}")
    print(f"  counted under their own rule:    {own_rule}")
    print(f"  with an official outcome:        {with_official}")
    print(f"  official outcome reproduced:     {reproduced}")
    print(f"  misses by reason: {dict(sorted(kinds.items()))}")
    print(f"  the refused duplicates, read with --dedupe-votes: {dict(sorted(lenient.items()))}")
    for name, reason in misses:
        print(f"  MISS {name}: {reason}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python bench/pabulib_corpus.py DIR")
    raise SystemExit(main(sys.argv[1]))
