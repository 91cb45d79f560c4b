"""Real Pabulib files: our tally reproduces every official outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.votes.tally import GREEDY, ORDINAL, Rule, parse_pabulib, tally

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb"))
WITH_OUTCOME = [f for f in FILES if parse_pabulib(f).selected is not None]


def test_data_is_there():
    assert len(FILES) == 8
    assert len(WITH_OUTCOME) == 7


@pytest.mark.parametrize("path", WITH_OUTCOME, ids=lambda p: p.stem)
def test_official_outcome_is_reproduced(path):
    parsed = parse_pabulib(path)
    result = tally(parsed.election)
    assert set(result.winners) == set(parsed.selected)
    assert len(result.winners) == len(parsed.selected)
    assert result.budget_used <= parsed.election.budget


EXPECTED = {
    "Poland_Krakow_2024_Podgorze_Duchackie": (16, 1_916_200_00),
    "Poland_Wieliczka_2023_Green_Budget": (30, 995_079_00),
    "Poland_Swiecie_2023": (17, 1_040_337_00),
    "Poland_Warszawa_2023_Srodmiescie": (23, 4_650_087_00),
    "Poland_Czestochowa_2024_Mirow": (4, 270_079_00),
    "Poland_Gdansk_2020": (5, 3_596_300_00),
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_counts_and_money_match_the_readme(stem):
    result = tally(parse_pabulib(DATA / f"{stem}.pb").election)
    assert (len(result.winners), result.budget_used) == EXPECTED[stem]


def test_budget_with_grosze_is_exact():
    parsed = parse_pabulib(DATA / "Poland_Krakow_2024_Podgorze_Duchackie.pb")
    assert parsed.election.budget == 192583477
    assert parsed.election.kind == ORDINAL


def test_gdansk_choose_one_greedy():
    parsed = parse_pabulib(DATA / "Poland_Gdansk_2020.pb")
    assert parsed.selected is None
    assert parsed.election.kind == "choose-1"
    assert len(parsed.election.ballots) == 30237
    result = tally(parsed.election)
    assert sorted(result.winners, key=int) == ["1", "7", "13", "18", "27"]
    assert result.winners == ("1", "18", "7", "27", "13")  # selection order: by votes


def test_ordinal_scores_match_the_score_column():
    parsed = parse_pabulib(DATA / "Poland_Krakow_2024_Podgorze_Duchackie.pb")
    result = tally(parsed.election)
    for outcome in result.projects:
        cols = parsed.project_columns[outcome.id]
        assert outcome.score == int(cols["score"])
        assert outcome.votes == int(cols["votes"])


def test_czyzyny_tie_is_reported_and_broken_by_first_places():
    parsed = parse_pabulib(DATA / "Poland_Krakow_2022_Czyzyny.pb")
    result = tally(parsed.election)
    assert "26" in result.winners and "24" not in result.winners
    assert set(result.winners) == set(parsed.selected)
    tie = next(t for t in result.ties if set(t.projects) == {"24", "26"})
    assert tie.score == "40"
    assert tie.projects == ("26", "24")
    assert tie.criterion == "more_top_ranks"
    assert tie.affects_selection is True
    # The evidence: 26 has 7 first places, 24 only 5 (24: 5/3/19 ranks, 26: 7/5/9).
    ranks = {}
    for ballot in parsed.election.ballots:
        for r, pid in enumerate(ballot.ranking):
            if pid in ("24", "26"):
                ranks.setdefault(pid, [0, 0, 0])[r] += 1
    assert ranks == {"24": [5, 3, 19], "26": [7, 5, 9]}


@pytest.mark.parametrize(
    ("policy", "winner"),
    [
        (("lower_cost",), "24"),
        (("more_voters",), "24"),
        (("id",), "24"),
        (("more_top_ranks",), "26"),
    ],
)
def test_czyzyny_other_policies(policy, winner):
    parsed = parse_pabulib(DATA / "Poland_Krakow_2022_Czyzyny.pb", tie_break=policy)
    result = tally(parsed.election)
    assert winner in result.winners and ({"24", "26"} - {winner}).isdisjoint(result.winners)
    tie = next(t for t in result.ties if set(t.projects) == {"24", "26"})
    assert tie.projects[0] == winner and tie.criterion == policy[0]


def test_wieliczka_comparison_with_greedy():
    result = tally(parse_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb").election)
    comparison = result.details["comparison"]
    assert comparison["equal_shares_preferred_by"] == 1615
    assert comparison["greedy_preferred_by"] == 873
    assert comparison["kept"] == "equal_shares"
    assert result.details["completion"]["stop"] == "next_overspends"


def test_greedy_on_an_equal_shares_file_differs():
    parsed = parse_pabulib(DATA / "Poland_Wieliczka_2023_Green_Budget.pb", rule=Rule(GREEDY))
    result = tally(parsed.election)
    assert set(result.winners) != set(parsed.selected)
    assert result.budget_used <= parsed.election.budget


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_export_round_trips(path):
    from app.votes.tally import write_pabulib

    parsed = parse_pabulib(path)
    text = write_pabulib(
        parsed.election, meta=parsed.meta, voter_ids=parsed.voter_ids, selected=parsed.selected
    )
    again = parse_pabulib(text)
    assert again.election == parsed.election
    assert again.voter_ids == parsed.voter_ids
    assert again.selected == parsed.selected
