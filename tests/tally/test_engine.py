"""Unit tests of the tally engine: every rule and ballot kind, ties, validation, money."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from app.votes.tally import (
    APPROVAL,
    CHOOSE_ONE,
    CUMULATIVE,
    EQUAL_SHARES,
    GREEDY,
    MESSAGES,
    NO,
    ORDINAL,
    RANKING,
    YES,
    YES_NO,
    YES_NO_RULE,
    ApprovalBallot,
    BallotLimits,
    CumulativeBallot,
    Election,
    OrdinalBallot,
    Project,
    Rule,
    YesNoBallot,
    format_money,
    lot_key,
    parse_pabulib,
    tally,
    to_grosze,
    validate_ballot,
    write_pabulib,
)


def projects(*specs: tuple[str, int]) -> tuple[Project, ...]:
    return tuple(Project(pid, cost, f"Project {pid}") for pid, cost in specs)


def approval(*sets: str, times: int = 1) -> tuple[ApprovalBallot, ...]:
    return tuple(ApprovalBallot(tuple(s)) for s in sets) * times


# --- money -------------------------------------------------------------------------------------


def test_money_is_parsed_exactly_to_grosze():
    assert to_grosze("1925834.77") == 192583477
    assert to_grosze("0.1") == 10
    assert to_grosze("1000000") == 100000000
    assert to_grosze("12,5") == 1250
    assert format_money(192583477) == "1925834.77"
    assert format_money(100) == "1"
    assert format_money(5) == "0.05"
    with pytest.raises(ValueError, match="fractions of a grosz"):
        to_grosze("0.001")


def test_project_cost_must_be_integer_grosze():
    with pytest.raises(ValueError):
        Project("a", 10.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Project("a", -1)


# --- greedy ------------------------------------------------------------------------------------


def test_greedy_skips_what_does_not_fit_and_continues():
    e = Election(
        projects=projects(("a", 600), ("b", 500), ("c", 300), ("d", 100)),
        ballots=approval("abcd", "abc", "ab", "a"),
        kind=APPROVAL,
        budget=1000,
        rule=Rule(GREEDY),
    )
    r = tally(e)
    assert r.winners == ("a", "c", "d")
    assert r.budget_used == 1000
    b = r.project("b")
    assert (b.selected, b.reason, b.remaining_budget, b.rank) == (False, "did_not_fit", 400, 2)
    assert r.project("a").reason == "funded"
    assert [p.id for p in r.projects] == ["a", "b", "c", "d"]
    assert r.ties == ()


def test_greedy_never_funds_unsupported_projects():
    e = Election(
        projects=projects(("a", 100), ("z", 1)),
        ballots=approval("a"),
        kind=APPROVAL,
        budget=1000,
    )
    r = tally(e)
    assert r.winners == ("a",)
    assert r.project("z").reason == "no_support"


def test_choose_one_counts_one_vote_per_ballot():
    e = Election(
        projects=projects(("a", 500), ("b", 500), ("c", 500)),
        ballots=approval("a", "b", "b", "c", "c", "c"),
        kind=CHOOSE_ONE,
        budget=1000,
    )
    r = tally(e)
    assert r.winners == ("c", "b")
    assert [(p.id, p.score, p.votes) for p in r.projects] == [
        ("c", 3, 3),
        ("b", 2, 2),
        ("a", 1, 1),
    ]


def test_ordinal_scores_k_to_1():
    e = Election(
        projects=projects(("a", 1), ("b", 1), ("c", 1), ("d", 1)),
        ballots=(OrdinalBallot(("a", "b", "c")), OrdinalBallot(("d", "a", "b"))),
        kind=ORDINAL,
        budget=2,
        limits=BallotLimits(min_choices=3, max_choices=3),
    )
    r = tally(e)
    assert {p.id: p.score for p in r.projects} == {"a": 5, "b": 3, "c": 1, "d": 3}
    assert r.winners == ("a", "b")  # b and d tie at 3 and cost the same; b has 2 voters
    (tie,) = r.ties
    assert tie.projects == ("b", "d")
    assert tie.criterion == "more_voters"
    assert tie.affects_selection


def test_cumulative_scores_are_point_sums():
    e = Election(
        projects=projects(("a", 700), ("b", 400), ("c", 300)),
        ballots=(
            CumulativeBallot((("a", 6), ("b", 4))),
            CumulativeBallot((("c", 10),)),
            CumulativeBallot((("b", 5), ("c", 5))),
        ),
        kind=CUMULATIVE,
        budget=1000,
    )
    r = tally(e)
    assert {p.id: (p.score, p.votes) for p in r.projects} == {
        "a": (6, 1),
        "b": (9, 2),
        "c": (15, 2),
    }
    assert r.winners == ("c", "b")


# --- ties --------------------------------------------------------------------------------------


def tied_election(policy: tuple[str, ...], seed: str = "") -> Election:
    return Election(
        projects=projects(("x", 800), ("y", 500)),
        ballots=approval("x", "y", "xy"),
        kind=APPROVAL,
        budget=900,
        tie_break=policy,
        seed=seed,
    )


@pytest.mark.parametrize(
    ("policy", "first", "criterion"),
    [
        (("lower_cost", "more_voters", "lot"), "y", "lower_cost"),
        (("higher_cost",), "x", "higher_cost"),
        (("id",), "x", "id"),
    ],
)
def test_tie_policies_decide_and_are_reported(policy, first, criterion):
    r = tally(tied_election(policy))
    assert r.winners == (first,)
    (tie,) = r.ties
    assert tie.projects[0] == first
    assert tie.criterion == criterion
    assert tie.score == "2"
    assert tie.affects_selection is True
    d = tie.to_dict()
    assert d["first"] == first and d["steps"][0]["criterion"] == criterion


def test_voters_criteria():
    e = Election(
        projects=projects(("a", 100), ("b", 100)),
        ballots=(CumulativeBallot((("a", 4),)), CumulativeBallot((("b", 2),))) * 1
        + (CumulativeBallot((("b", 2),)),),
        kind=CUMULATIVE,
        budget=100,
        tie_break=("more_voters",),
    )
    assert tally(e).winners == ("b",)
    assert tally(Election(**{**_fields(e), "tie_break": ("fewer_voters",)})).winners == ("a",)


def _fields(e: Election) -> dict:
    return {f: getattr(e, f) for f in e.__dataclass_fields__}


def test_more_top_ranks_breaks_ordinal_ties():
    # a: 3 + 1 + 1 + 1 = 6 (one first place); b: 2 + 2 + 2 = 6 (no first place)
    ballots = (
        OrdinalBallot(("a", "b", "c")),
        OrdinalBallot(("c", "b", "a")),
        OrdinalBallot(("c", "b", "a")),
        OrdinalBallot(("c", "d", "a")),
    )
    e = Election(
        projects=projects(("a", 100), ("b", 50), ("c", 100), ("d", 10)),
        ballots=ballots,
        kind=ORDINAL,
        budget=200,
        tie_break=("more_top_ranks", "lower_cost"),
    )
    r = tally(e)
    assert r.project("a").score == r.project("b").score == 6
    assert r.winners == ("c", "a")
    tie = next(t for t in r.ties if "a" in t.projects)
    assert tie.projects == ("a", "b") and tie.criterion == "more_top_ranks"
    # cheaper-first would pick b instead
    e2 = Election(**{**_fields(e), "tie_break": ("lower_cost",)})
    assert tally(e2).winners == ("c", "b", "d")


def test_lot_depends_on_seed_and_is_deterministic():
    winners = {tally(tied_election(("lot",), seed=str(s))).winners for s in range(20)}
    assert winners == {("x",), ("y",)}
    assert tally(tied_election(("lot",), "s1")) == tally(tied_election(("lot",), "s1"))


def test_tie_that_cannot_matter_is_reported_as_not_affecting():
    e = Election(
        projects=projects(("a", 100), ("b", 100)),
        ballots=approval("ab"),
        kind=APPROVAL,
        budget=1000,
    )
    (tie,) = tally(e).ties
    assert tie.affects_selection is False


def test_unknown_tie_criterion_is_rejected():
    with pytest.raises(ValueError, match="unknown tie-break"):
        tally(tied_election(("coin",)))


# --- ranking -----------------------------------------------------------------------------------


def test_ranking_top_n_and_threshold():
    base = dict(
        projects=projects(("a", 1), ("b", 1), ("c", 1), ("d", 1)),
        ballots=approval("abc", "ab", "a"),
        kind=APPROVAL,
    )
    r = tally(Election(**base, rule=Rule(RANKING, top_n=2)))
    assert r.winners == ("a", "b")
    assert r.project("c").reason == "outside_top"
    r = tally(Election(**base, rule=Rule(RANKING, min_score=1)))
    assert r.winners == ("a", "b", "c")
    assert r.project("d").reason == "below_threshold"
    r = tally(Election(**base, rule=Rule(RANKING, top_n=5)))
    assert r.winners == ("a", "b", "c")  # unsupported projects are never in the top


# --- yes / no ----------------------------------------------------------------------------------


def yes_no(*rows: dict[str, str]) -> tuple[YesNoBallot, ...]:
    return tuple(YesNoBallot(tuple(row.items())) for row in rows)


def test_yes_no_majority_and_quorum():
    ballots = yes_no(
        {"a": YES, "b": NO, "c": YES},
        {"a": YES, "b": YES, "c": NO},
        {"a": NO, "b": NO},
        {"a": YES},
    )
    ps = projects(("a", 1), ("b", 1), ("c", 1))
    r = tally(Election(ps, ballots, YES_NO, rule=Rule(YES_NO_RULE)))
    assert r.winners == ("a",)
    assert r.project("b").reason == "no_majority"
    assert r.project("c").reason == "no_majority"  # 1 yes, 1 no: not more yes than no
    assert r.project("a").no == 1
    r = tally(Election(ps, ballots, YES_NO, rule=Rule(YES_NO_RULE, quorum_ballots=5)))
    assert r.winners == () and r.project("a").reason == "no_quorum"
    r = tally(
        Election(
            ps,
            ballots,
            YES_NO,
            rule=Rule(YES_NO_RULE, quorum_fraction=Fraction(1, 2), eligible_voters=8),
        )
    )
    assert r.winners == ("a",)
    r = tally(
        Election(
            ps,
            ballots,
            YES_NO,
            rule=Rule(YES_NO_RULE, quorum_fraction=Fraction(1, 2), eligible_voters=9),
        )
    )
    assert r.winners == ()
    r = tally(Election(ps, ballots, YES_NO, rule=Rule(YES_NO_RULE, yes_fraction=Fraction(1, 2))))
    assert r.winners == ("a", "c")  # c: 1 yes of 2 answers >= 1/2
    r = tally(
        Election(
            ps,
            ballots,
            YES_NO,
            rule=Rule(YES_NO_RULE, quorum_ballots=3, quorum_counts_answers=True),
        )
    )
    assert r.winners == ("a",)
    assert r.project("c").reason == "no_quorum"  # only 2 answers on c


def test_yes_no_needs_its_rule():
    with pytest.raises(ValueError):
        Election(projects(("a", 1)), (), YES_NO, budget=1)


# --- equal shares ------------------------------------------------------------------------------


def test_equal_shares_prefers_broad_support_over_greedy():
    # 6 voters, budget 600: each has 100.  4 like a (cost 400), 2 like b (200) and c (200).
    e = Election(
        projects=projects(("a", 400), ("b", 300), ("c", 200)),
        ballots=approval("a", "a", "a", "a", "bc", "bc"),
        kind=APPROVAL,
        budget=600,
        rule=Rule(EQUAL_SHARES),
    )
    r = tally(e)
    assert r.winners == ("a", "c")
    assert r.budget_used == 600
    first, second = r.rounds
    assert (first.project, first.price, first.rho) == ("a", Fraction(100), Fraction(1, 4))
    assert first.effective_votes == 4
    assert second.project == "c" and second.price == 100
    b = r.project("b")
    assert (b.reason, b.round, b.available) == ("unaffordable", 2, 200)
    pay = r.project("a").payments
    assert [(p.voters, p.amount) for p in pay] == [(4, Fraction(100))]


def test_equal_shares_exact_fractional_payments():
    # 3 voters, budget 100 grosze: each 100/3.  All like a (cost 50): each pays 50/3.
    e = Election(
        projects=projects(("a", 50), ("b", 40)),
        ballots=approval("ab", "a", "a"),
        kind=APPROVAL,
        budget=100,
        rule=Rule(EQUAL_SHARES),
    )
    r = tally(e)
    assert r.rounds[0].price == Fraction(50, 3)
    d = r.to_dict()
    assert d["rounds"][0]["price"] == {"exact": "50/3", "grosze": 17}
    assert r.winners == ("a",)  # voter 1 has 50/3 left < 40
    b = r.project("b")
    assert b.reason == "unaffordable" and b.available == Fraction(50, 3)


def test_equal_shares_poor_voters_pay_what_they_have():
    # 5 voters, budget 500: 100 each.  x (360) is bought first by voters 1-4 (90 each).
    # Then y (110), liked by voter 1 (10 left) and voter 5: voter 1 pays 10, voter 5 pays 100.
    e = Election(
        projects=projects(("x", 360), ("y", 110)),
        ballots=approval("xy", "x", "x", "x", "y"),
        kind=APPROVAL,
        budget=500,
        rule=Rule(EQUAL_SHARES),
    )
    r = tally(e)
    assert r.winners == ("x", "y")
    assert r.budget_used == 470
    y_round = r.rounds[1]
    assert y_round.price == 100
    assert [(p.voters, p.amount) for p in y_round.payments] == [(1, 100), (1, 10)]
    assert y_round.effective_votes == Fraction(110, 100)


def test_equal_shares_add1_completion():
    # Without completion only "a" is bought; raising shares buys b too.
    e = Election(
        projects=projects(("a", 300), ("b", 300)),
        ballots=approval("a", "a", "a", "b"),
        kind=APPROVAL,
        budget=700,
        rule=Rule(EQUAL_SHARES),
    )
    assert tally(e).winners == ("a",)
    r = tally(Election(**{**_fields(e), "rule": Rule(EQUAL_SHARES, completion="add1")}))
    assert r.winners == ("a", "b")
    c = r.details["completion"]
    # b needs a share of 300: 175 + 125 steps of 1 grosz... in steps of 100 grosze: 175->375
    assert c["increments"] == 2 and c["stop"] == "all_selected"
    assert r.details["share"] == Fraction(700, 4) + 200


def test_add1_stops_before_overspending_not_at_first_exhaustive():
    e = Election(
        projects=projects(("a", 600), ("b", 500), ("c", 300)),
        ballots=approval("a", "a", "b", "c"),
        kind=APPROVAL,
        budget=1000,
        rule=Rule(EQUAL_SHARES, completion="add1", completion_step=50),
    )
    r = tally(e)
    assert r.budget_used <= 1000
    assert r.details["completion"]["stop"] == "next_overspends"


def test_equal_shares_tie_is_reported():
    e = Election(
        projects=projects(("a", 100), ("b", 100)),
        ballots=approval("a", "b"),
        kind=APPROVAL,
        budget=200,
        rule=Rule(EQUAL_SHARES),
    )
    r = tally(e)
    first = min("ab", key=lambda pid: lot_key("", pid))  # same cost, same voters: the lot
    assert r.winners[0] == first and set(r.winners) == {"a", "b"}
    (tie,) = r.ties
    assert tie.stage == "round 1" and tie.projects[0] == first
    assert tie.criterion == "lot"
    assert r.rounds[0].tied_with == tuple(set("ab") - {first})


def test_equal_shares_with_ordinal_ballots_uses_supporters():
    e = Election(
        projects=projects(("a", 200), ("b", 200), ("c", 200)),
        ballots=(OrdinalBallot(("a", "b")), OrdinalBallot(("b", "c")), OrdinalBallot(("c", "b"))),
        kind=ORDINAL,
        budget=300,
        rule=Rule(EQUAL_SHARES),
    )
    r = tally(e)
    assert r.winners[0] == "b"  # supported by all three


def test_comparison_with_greedy_keeps_mes_when_preferred():
    e = Election(
        projects=projects(("a", 400), ("b", 300), ("c", 200)),
        ballots=approval("a", "a", "a", "a", "bc", "bc"),
        kind=APPROVAL,
        budget=600,
        rule=Rule(EQUAL_SHARES, compare_with_greedy=True),
    )
    r = tally(e)
    comp = r.details["comparison"]
    assert comp["kept"] == "equal_shares"
    assert comp["greedy_winners"] == ["a", "c"]
    assert r.winners == ("a", "c")


def test_comparison_keeps_greedy_with_plain_greedy_reasons():
    """Budget 400, four voters (100 each).  Greedy: a (3 votes, 200), b (3 votes, 200), then c (100) no
    longer fits.  Equal shares: a costs its three supporters 66.67 each; b would need 200 from the 100
    they have left, c is paid by the fourth voter: {a, c}.  Voters 1-3 have two winners under greedy and
    one under equal shares, voter 4 one and none: greedy is preferred by 3 to 1 and kept, with greedy's
    reasons (funded, did not fit), no equal-shares rounds and no payments."""
    e = Election(
        projects=projects(("a", 200), ("b", 200), ("c", 100)),
        ballots=approval("ab", "ab", "ab", "c"),
        kind=APPROVAL,
        budget=400,
        rule=Rule(EQUAL_SHARES, compare_with_greedy=True),
    )
    r = tally(e)
    comp = r.details["comparison"]
    assert comp["equal_shares_winners"] == ["a", "c"] and comp["greedy_winners"] == ["a", "b"]
    assert (comp["greedy_preferred_by"], comp["equal_shares_preferred_by"], comp["kept"]) == (3, 1, "greedy")
    assert r.winners == ("a", "b")
    assert {o.id: o.reason for o in r.projects} == {"a": "funded", "b": "funded", "c": "did_not_fit"}
    assert r.rounds == () and all(not o.payments for o in r.projects)


# --- result serialisation ----------------------------------------------------------------------


def test_to_dict_is_json_and_canonical():
    e = Election(
        projects=projects(("a", 50), ("b", 40)),
        ballots=approval("ab", "a", "a"),
        kind=APPROVAL,
        budget=100,
        rule=Rule(EQUAL_SHARES, completion="add1"),
    )
    one = json.dumps(tally(e).to_dict(), sort_keys=True)
    two = json.dumps(tally(e).to_dict(), sort_keys=True)
    assert one == two
    back = json.loads(one)
    assert back["winners"] == ["a", "b"] or back["winners"] == ["a"]
    assert back["rule"] == "equal_shares"


def test_deterministic_regardless_of_ballot_order():
    ballots = approval("ab", "a", "bc", "c", "abc", "b")
    ps = projects(("a", 300), ("b", 250), ("c", 200))
    r1 = tally(Election(ps, ballots, APPROVAL, 500, Rule(EQUAL_SHARES, completion="add1")))
    r2 = tally(Election(ps, ballots[::-1], APPROVAL, 500, Rule(EQUAL_SHARES, completion="add1")))
    assert r1.to_dict() == r2.to_dict()


# --- validation --------------------------------------------------------------------------------

PS = projects(("a", 100_00), ("b", 250_00), ("c", 400_00), ("d", 50_00))


@pytest.mark.parametrize(
    ("ballot", "kind", "limits", "message"),
    [
        (
            ApprovalBallot(("a", "b", "c")),
            APPROVAL,
            BallotLimits(max_choices=2),
            "Choose at most 2 proposals.",
        ),
        (ApprovalBallot(()), APPROVAL, BallotLimits(min_choices=1), "Choose at least 1 proposals."),
        (ApprovalBallot(("a", "x")), APPROVAL, BallotLimits(), "Proposal x is not on this ballot."),
        (
            ApprovalBallot(("a", "a")),
            APPROVAL,
            BallotLimits(),
            "Proposal a appears more than once.",
        ),
        (
            ApprovalBallot(("b", "c")),
            APPROVAL,
            BallotLimits(max_total_cost=500_00),
            "The proposals you chose cost 650,00 zł in total; the limit is 500,00 zł.",
        ),
        (ApprovalBallot(("a", "b")), CHOOSE_ONE, BallotLimits(), "Choose exactly one proposal."),
        (
            OrdinalBallot(("a", "b")),
            ORDINAL,
            BallotLimits(min_choices=3, max_choices=3),
            "Rank at least 3 proposals.",
        ),
        (
            OrdinalBallot(("a", "b", "c", "d")),
            ORDINAL,
            BallotLimits(max_choices=3),
            "Rank at most 3 proposals.",
        ),
        (
            CumulativeBallot((("a", 0),)),
            CUMULATIVE,
            BallotLimits(),
            "Points must be whole numbers greater than zero.",
        ),
        (
            CumulativeBallot((("a", 6), ("b", 5))),
            CUMULATIVE,
            BallotLimits(max_points=10),
            "Give at most 10 points in total.",
        ),
        (
            CumulativeBallot((("a", 6),)),
            CUMULATIVE,
            BallotLimits(max_points_per_project=5),
            "Give at most 5 points to one proposal.",
        ),
        (
            CumulativeBallot((("a", 1),)),
            CUMULATIVE,
            BallotLimits(min_points=2),
            "Give at least 2 points in total.",
        ),
        (
            YesNoBallot((("a", "maybe"),)),
            YES_NO,
            BallotLimits(),
            "Answer yes, no or abstain for proposal a.",
        ),
        (
            OrdinalBallot(("a",)),
            APPROVAL,
            BallotLimits(),
            "This ballot does not match the way this vote is held.",
        ),
    ],
)
def test_validation_messages(ballot, kind, limits, message):
    problem = validate_ballot(ballot, kind, limits, PS)
    assert problem is not None
    assert problem.message == message
    assert str(problem) == message
    assert problem.template == MESSAGES[problem.code]


@pytest.mark.parametrize(
    ("ballot", "kind", "limits"),
    [
        (
            ApprovalBallot(("a", "b")),
            APPROVAL,
            BallotLimits(min_choices=1, max_choices=2, max_total_cost=350_00),
        ),
        (ApprovalBallot(("d",)), CHOOSE_ONE, BallotLimits()),
        (OrdinalBallot(("c", "a", "b")), ORDINAL, BallotLimits(min_choices=3, max_choices=3)),
        (
            CumulativeBallot((("a", 5), ("c", 5))),
            CUMULATIVE,
            BallotLimits(max_points=10, max_points_per_project=5),
        ),
        (YesNoBallot((("a", YES), ("b", NO), ("c", "abstain"))), YES_NO, BallotLimits()),
    ],
)
def test_valid_ballots_pass(ballot, kind, limits):
    assert validate_ballot(ballot, kind, limits, PS) is None


def test_messages_are_constant_format_strings():
    for template in MESSAGES.values():
        assert template.endswith(".")
        assert "{" not in template  # %-style, gettext-friendly


# --- pabulib round trip ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [APPROVAL, CHOOSE_ONE, ORDINAL, CUMULATIVE])
def test_write_then_parse_round_trips(kind):
    ps = (Project("1", 123456, 'Name; with "quotes"'), Project("2", 50, "Two"), Project("3", 7, ""))
    if kind == CUMULATIVE:
        ballots = (CumulativeBallot((("1", 3), ("3", 2))), CumulativeBallot((("2", 5),)))
    elif kind == ORDINAL:
        ballots = (OrdinalBallot(("3", "1", "2")), OrdinalBallot(("2", "3", "1")))
    elif kind == CHOOSE_ONE:
        ballots = approval("1", "3")
    else:
        ballots = (ApprovalBallot(("1", "3")), ApprovalBallot(()))
    e = Election(
        projects=ps,
        ballots=ballots,
        kind=kind,
        budget=1925834_77,
        rule=Rule(EQUAL_SHARES, completion="add1", compare_with_greedy=True),
        limits=BallotLimits(min_choices=0, max_choices=3, max_points=5),
        tie_break=("more_voters", "lot"),
        seed="2024-09-27T18:00",
    )
    text = write_pabulib(e, selected=["1"], meta={"description": "test"})
    parsed = parse_pabulib(text)
    assert parsed.election == e
    assert parsed.selected == ("1",)
    assert parsed.meta["budget"] == "1925834.77"
    # CRLF line endings parse the same
    assert parse_pabulib(text.replace("\n", "\r\n")).election == e


@pytest.mark.parametrize("kind", [APPROVAL, ORDINAL])
def test_messy_vote_cells_parse_like_clean_ones(kind):
    """Spaces, tabs, doubled or trailing commas and padded voter ids, even in one row of many, read as
    the clean file does (the fast path for clean files must not swallow them)."""
    head = (f"META\nkey;value\nnum_projects;3\nnum_votes;3\nbudget;100\nvote_type;{kind}\nrule;greedy\n"
            "PROJECTS\nproject_id;cost\n1;10\n2;20\n3;30\nVOTES\nvoter_id;vote\n")
    clean = parse_pabulib(head + "a;1,2\nb;3,1\nc;2\n")
    for rows in ("a;1,2\nb;3,1\nc;2,\n", "a;1, 2\nb;3,1\nc;2\n", "a;1,,2\nb;3,1\nc;2\n",
                 "a;1,2\n b ;3,1\nc;2\n", "a;1,2\nb;,3,1\nc;2\n", "a;1,2\nb;3,\t1\nc;2\n"):
        parsed = parse_pabulib(head + rows)
        assert parsed.election.ballots == clean.election.ballots, rows
        assert parsed.voter_ids == ("a", "b", "c"), rows
