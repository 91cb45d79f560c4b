"""``flask votes tally FILE.pb`` via click's CliRunner (no app, no database)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from app.votes.cli import votes_cli

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"


def run(*args: str) -> dict:
    result = CliRunner().invoke(votes_cli, ["tally", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_czyzyny_default_reproduces_official_and_reports_tie():
    out = run(str(DATA / "Poland_Krakow_2022_Czyzyny.pb"))
    assert out["rule"] == "greedy"
    assert out["matches_official"] is True
    assert "26" in out["selected"] and "24" not in out["selected"]
    assert out["budget_used"] == 1545080
    tie = next(t for t in out["ties"] if set(t["projects"]) == {"24", "26"})
    assert tie["first"] == "26" and tie["criterion"] == "more_top_ranks" and tie["score"] == "40"
    assert out["tie_break"][0] == "more_top_ranks"


def test_tie_break_option():
    out = run(str(DATA / "Poland_Krakow_2022_Czyzyny.pb"), "--tie-break", "id")
    assert "24" in out["selected"] and out["matches_official"] is False


def test_budget_used_in_currency_units_with_grosze():
    out = run(str(DATA / "Poland_Krakow_2024_Podgorze_Duchackie.pb"))
    assert out["budget"] == 1925834.77
    assert out["budget_used"] == 1916200
    assert out["matches_official"] is True


def test_rule_option_and_explain():
    out = run(str(DATA / "Poland_Swiecie_2023.pb"), "--rule", "equal-shares", "--explain")
    assert out["rule"] == "equal-shares"
    assert len(out["selected"]) == 13 and out["matches_official"] is False
    assert out["rounds"][0]["project"] == out["selected"][0]
    first = next(p for p in out["projects"] if p["id"] == out["selected"][0])
    assert first["reason"] == "bought" and first["payments"]
    assert any(p["reason"] == "unaffordable" for p in out["projects"])


def test_default_equal_shares_add1_file():
    out = run(str(DATA / "Poland_Swiecie_2023.pb"))
    assert out["rule"] == "equalshares/add1"
    assert len(out["selected"]) == 17 and out["budget_used"] == 1040337
    assert out["matches_official"] is True


def test_bad_tie_break_is_a_usage_error():
    result = CliRunner().invoke(
        votes_cli, ["tally", str(DATA / "Poland_Gdansk_2020.pb"), "--tie-break", "coin"]
    )
    assert result.exit_code == 2
    assert "comma-separated" in result.output


def test_gdansk():
    out = run(str(DATA / "Poland_Gdansk_2020.pb"))
    assert out["selected"] == ["1", "18", "7", "27", "13"]
    assert out["budget_used"] == 3596300
    assert "matches_official" not in out


def test_a_malformed_file_is_one_line_and_exit_status_2(tmp_path):
    broken = tmp_path / "broken.pb"
    text = (DATA / "Poland_Krakow_2022_Czyzyny.pb").read_text(encoding="utf-8")
    lines = text.splitlines()
    votes_at = lines.index("VOTES")
    voter, _vote, *rest = lines[votes_at + 5].split(";")
    lines[votes_at + 5] = ";".join([voter, "999", *rest])
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(votes_cli, ["tally", str(broken)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f'broken.pb: VOTES, line {votes_at + 6}, column "vote": project "999" is not in PROJECTS'
    )
    assert "Traceback" not in result.output


def test_dedupe_votes_counts_a_repeated_approval_once_and_reports_how_many(tmp_path):
    text = (DATA / "Poland_Warszawa_2023_Srodmiescie.pb").read_text(encoding="utf-8-sig")
    head, _, votes = text.partition("\nVOTES\n")
    lines = votes.splitlines()
    voter, vote, *rest = lines[1].split(";")
    lines[1] = ";".join([voter, f"{vote},{vote.split(',')[0]}", *rest])
    twice = tmp_path / "twice.pb"
    twice.write_text(f"{head}\nVOTES\n" + "\n".join(lines) + "\n", encoding="utf-8")
    refused = CliRunner().invoke(votes_cli, ["tally", str(twice)])
    assert refused.exit_code == 2 and "appears twice in one vote" in refused.output
    out = run(str(twice), "--dedupe-votes")
    assert out["votes_deduplicated"] == 1
    assert out["selected"] == run(str(DATA / "Poland_Warszawa_2023_Srodmiescie.pb"))["selected"]
