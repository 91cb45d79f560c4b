"""The greedy variants Pabulib files record (https://pabulib.org/format, META ``rule``), computed by hand,
and the files whose rule is unknown or not supported, counted with a documented default that the result
names."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from app.votes.tally import (
    APPROVAL,
    CUMULATIVE,
    GREEDY,
    ApprovalBallot,
    Election,
    PabulibError,
    Project,
    Rule,
    parse_pabulib,
    tally,
    write_pabulib,
)
from app.votes.tally.pabulib import ASSUMED_RULES, COMPLETION_STEPS
from app.votes.tally.result import BELOW_THRESHOLD, DID_NOT_FIT, EXCLUDED, FUNDED, STOPPED, WITHDRAWN
from app.votes.tally.scoring import compute_scores
from tests.tally.test_against_pabutools import pabutools_outcome, random_election, to_pabutools


def election(scores: dict[str, int], costs: dict[str, int], budget: int, rule: Rule) -> Election:
    """Approval ballots giving each project exactly ``scores[p]`` votes (ids sort by score, highest first)."""
    ballots = [ApprovalBallot((p,)) for p, n in scores.items() for _ in range(n)]
    return Election(tuple(Project(p, costs[p]) for p in scores), tuple(ballots), APPROVAL, budget=budget,
                    rule=rule, tie_break=("id",))


def reasons(result) -> dict[str, str]:
    return {p.id: p.reason for p in result.projects}


def test_no_skip_stops_at_the_first_project_that_does_not_fit():
    # Budget 10: A (5 votes, 6) fits, 4 left; B (4 votes, 5) does not; C (3 votes, 2) would fit, but the
    # count stopped.
    scores, costs = {"A": 5, "B": 4, "C": 3}, {"A": 6, "B": 5, "C": 2}
    plain = tally(election(scores, costs, 10, Rule(GREEDY)))
    assert plain.winners == ("A", "C")
    result = tally(election(scores, costs, 10, Rule(GREEDY, no_skip=True)))
    assert result.winners == ("A",) and result.budget_used == 6
    assert reasons(result) == {"A": FUNDED, "B": DID_NOT_FIT, "C": STOPPED}


def test_a_threshold_makes_projects_below_it_ineligible():
    # Budget 10: A (5, cost 6), C (3, cost 5), B (2, cost 1). Greedy: A, then C does not fit (4 left), B fits.
    # With a threshold of 3 votes B is not eligible, though it fits.
    scores, costs = {"A": 5, "C": 3, "B": 2}, {"A": 6, "C": 5, "B": 1}
    assert tally(election(scores, costs, 10, Rule(GREEDY))).winners == ("A", "B")
    result = tally(election(scores, costs, 10, Rule(GREEDY, min_score=3)))
    assert result.winners == ("A",)
    assert reasons(result) == {"A": FUNDED, "C": DID_NOT_FIT, "B": BELOW_THRESHOLD}
    # A project exactly at the threshold is eligible.
    assert tally(election(scores, costs, 10, Rule(GREEDY, min_score=2))).winners == ("A", "B")


def test_no_skip_passes_over_projects_below_the_threshold_without_stopping():
    # B (4 votes) is below the threshold of 5 and does not stop the count; C (3) is below it too.
    scores, costs = {"A": 6, "B": 4, "C": 5}, {"A": 3, "B": 100, "C": 3}
    result = tally(election(scores, costs, 10, Rule(GREEDY, min_score=5, no_skip=True)))
    assert result.winners == ("A", "C")
    assert reasons(result)["B"] == BELOW_THRESHOLD


def test_exclusive_groups_fund_one_project_of_a_group():
    # Budget 9, costs 3 each: greedy funds A, B and C; A and B exclude each other, so B is passed over
    # and D (2 votes) is funded with the money left.
    scores, costs = {"A": 5, "B": 4, "C": 3, "D": 2}, {"A": 3, "B": 3, "C": 3, "D": 3}
    assert tally(election(scores, costs, 9, Rule(GREEDY))).winners == ("A", "B", "C")
    result = tally(election(scores, costs, 9, Rule(GREEDY, exclusive_groups=(("A", "B"),))))
    assert result.winners == ("A", "C", "D")
    assert reasons(result) == {"A": FUNDED, "B": EXCLUDED, "C": FUNDED, "D": FUNDED}
    # A group member that did not fit does not exclude the others.
    costs = {"A": 20, "B": 3, "C": 3, "D": 3}
    result = tally(election(scores, costs, 9, Rule(GREEDY, exclusive_groups=(("A", "B"),))))
    assert result.winners == ("B", "C", "D")


def test_a_withdrawn_project_is_passed_over_and_does_not_stop_no_skip():
    """Pabulib marks a project withdrawn after the vote with the cost 999999999 (Wrocław 2017, Rejon 11):
    greedy-no-skip passes over it instead of stopping there."""
    text = pb("greedy-no-skip").replace("A;6;1\nB;5;0\nC;2;1", "A;6;0\nB;999999999;0\nC;2;1")
    parsed = parse_pabulib(text)
    assert parsed.election.rule.withdrawn == ("B",)
    result = tally(parsed.election)
    # B (3 votes) is withdrawn; A (3 votes, 6) fits; C (2 votes, 2) fits too: the count did not stop at B.
    assert result.winners == ("A", "C")
    assert reasons(result)["B"] == WITHDRAWN


def test_variants_belong_to_the_greedy_rule():
    with pytest.raises(ValueError, match="variants of the greedy rule"):
        Rule("equal_shares", no_skip=True)
    with pytest.raises(ValueError, match="one exclusive group"):
        Rule(GREEDY, exclusive_groups=(("A", "B"), ("B", "C")))


@pytest.mark.parametrize("kind", [APPROVAL, CUMULATIVE])
def test_a_threshold_agrees_with_pabutools_greedy_on_the_eligible_projects(kind):
    """pabutools has no threshold: its greedy on the projects at or above it must give our outcome."""
    rng = random.Random(f"threshold/{kind}")
    for _ in range(100):
        base = random_election(rng, kind, Rule(GREEDY), ("lower_cost", "more_voters", "lot"))
        scores = compute_scores(base).score
        threshold = sorted(scores.values())[len(scores) // 2]
        ours = tally(replace(base, rule=Rule(GREEDY, min_score=threshold)))
        eligible = {p for p, s in scores.items() if s >= threshold}
        instance, profile = to_pabutools(base)
        instance = type(instance)([p for p in instance if p.name in eligible],
                                  budget_limit=instance.budget_limit)
        assert set(ours.winners) == pabutools_outcome(base, instance, profile)


# --- read from files ----------------------------------------------------------------------------------


def pb(rule: str, extra_meta: str = "", currency: str = "PLN") -> str:
    return (
        "META\nkey;value\nnum_projects;3\nnum_votes;6\nbudget;10\nvote_type;approval\n"
        f"rule;{rule}\ncurrency;{currency}\n{extra_meta}"
        "PROJECTS\nproject_id;cost;selected\nA;6;1\nB;5;0\nC;2;1\n"
        "VOTES\nvoter_id;vote\n1;A\n2;A\n3;A,B\n4;B\n5;B,C\n6;C\n"
    )


def test_a_file_names_its_greedy_variant():
    # Votes: A 3, B 3, C 2; tie A-B broken by the lower cost: B (5) first, then A (6) does not fit.
    assert tally(parse_pabulib(pb("greedy")).election).winners == ("B", "C")
    assert tally(parse_pabulib(pb("greedy-no-skip")).election).winners == ("B",)
    threshold = parse_pabulib(pb("greedy-threshold", "min_project_score_threshold;3\n")).election
    assert threshold.rule.min_score == 3 and tally(threshold).winners == ("B",)
    # The format makes the threshold a condition of greedy as such, whatever the variant's name.
    assert tally(parse_pabulib(pb("greedy", "min_project_score_threshold;3\n")).election).winners == ("B",)


def test_greedy_threshold_without_its_threshold_is_refused_naming_the_line():
    with pytest.raises(PabulibError) as error:
        parse_pabulib(pb("greedy-threshold"))
    assert str(error.value) == (
        'META, line 7, column "value": rule greedy-threshold needs min_project_score_threshold in META')


@pytest.mark.parametrize("rule", sorted(ASSUMED_RULES))
def test_unknown_and_unsupported_rules_are_counted_with_greedy_and_the_result_says_so(rule):
    parsed = parse_pabulib(pb(rule))
    result = tally(parsed.election)
    assert result.winners == ("B", "C")  # greedy, the documented default
    assert result.details["rule_assumed"] == ASSUMED_RULES[rule]
    assert result.to_dict()["details"]["rule_assumed"] == ASSUMED_RULES[rule]
    if rule == "greedy-custom":
        assert ASSUMED_RULES[rule].startswith("not supported: greedy-custom")


def test_own_rules_carry_no_assumption():
    assert "rule_assumed" not in tally(parse_pabulib(pb("greedy-no-skip")).election).details


def test_the_add1_step_follows_the_currency():
    forints = parse_pabulib(pb("equalshares/add1", currency="HUF")).election
    zloty = parse_pabulib(pb("equalshares/add1")).election
    assert forints.rule.completion_step == COMPLETION_STEPS["HUF"] == 10_000  # 100 Ft
    assert zloty.rule.completion_step == 100  # 1 zł


@pytest.mark.parametrize(("rule", "text"), [
    (Rule(GREEDY, no_skip=True), "greedy-no-skip"),
    (Rule(GREEDY, min_score=3), "greedy-threshold"),
])
def test_variants_are_written_back_as_they_were_read(rule, text):
    original = replace(parse_pabulib(pb("greedy")).election, rule=rule)
    written = write_pabulib(original)
    assert f"rule;{text}" in written
    again = parse_pabulib(written).election
    assert again.rule.no_skip == rule.no_skip and again.rule.min_score == rule.min_score
    assert tally(again).winners == tally(original).winners
