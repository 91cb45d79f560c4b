"""`flask votes import-pabulib`: a real file becomes a closed round whose result is the official one."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from app.phases.models import Round
from app.proposals.models import Proposal
from app.rounds.services import recount
from app.votes import tally as engine
from app.votes.models import Ballot

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"


@pytest.mark.parametrize(
    "name", ["Poland_Czestochowa_2024_Mirow.pb", "Poland_Krakow_2022_Czyzyny.pb", "Poland_Swiecie_2023.pb"]
)
def test_imported_round_selects_the_official_projects(app, session, name):
    parsed = engine.parse_pabulib(DATA / name)
    result = app.test_cli_runner().invoke(args=["votes", "import-pabulib", str(DATA / name)])
    assert result.exit_code == 0, result.output
    round_ = session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
    assert round_.phase == "closed" and round_.ballot_kind == parsed.election.kind
    assert session.scalar(sa.select(sa.func.count()).where(Ballot.round_id == round_.id)) == len(
        parsed.election.ballots)
    assert session.scalar(sa.select(sa.func.count()).where(Ballot.user_id.is_not(None))) == 0
    # Map the file's project ids to the new proposals by the "Pabulib project <id>." body.
    proposals = session.scalars(sa.select(Proposal).where(Proposal.round_id == round_.id)).all()
    by_file_id = {p.body.removeprefix("Pabulib project ").removesuffix("."): p for p in proposals}
    selected = {pid for pid, p in by_file_id.items() if p.status == "selected"}
    assert selected == set(parsed.selected)
    assert f"{len(parsed.selected)} selected proposals" in result.output
    same, _, _ = recount(round_.id)
    assert same


def broken_copy(tmp_path: Path) -> tuple[Path, int]:
    """Czyżyny with one vote naming a project the file does not list; and that vote's line number."""
    lines = (DATA / "Poland_Krakow_2022_Czyzyny.pb").read_text(encoding="utf-8").splitlines()
    at = lines.index("VOTES") + 5
    voter, _vote, *rest = lines[at].split(";")
    lines[at] = ";".join([voter, "999", *rest])
    broken = tmp_path / "broken.pb"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return broken, at + 1


def test_a_malformed_file_is_refused_in_one_translated_line_and_nothing_is_imported(app, session, tmp_path):
    broken, line = broken_copy(tmp_path)
    rounds_before = session.scalar(sa.select(sa.func.count()).select_from(Round))
    result = app.test_cli_runner().invoke(args=["votes", "import-pabulib", str(broken)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"broken.pb: VOTES, wiersz {line}, kolumna „vote”: projektu „999” nie ma w PROJECTS")
    assert "Traceback" not in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Round)) == rounds_before


def test_a_file_whose_rule_is_unknown_says_how_it_was_counted(app, session, tmp_path):
    text = (DATA / "Poland_Czestochowa_2024_Mirow.pb").read_text(encoding="utf-8")
    rule_line = next(line for line in text.splitlines() if line.startswith("rule;"))
    unknown = tmp_path / "unknown.pb"
    unknown.write_text(text.replace(rule_line, "rule;unknown"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["votes", "import-pabulib", str(unknown)])
    assert result.exit_code == 0, result.output
    round_ = session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
    said = "The file's rule: the file's rule is unknown: counted with greedy, the default."
    assert said in round_.description
    assert round_.rule == "greedy"


def test_asked_to_dedupe_votes_the_import_counts_a_repeated_approval_once_and_says_so(app, session, tmp_path):
    lines = (DATA / "Poland_Swiecie_2023.pb").read_text(encoding="utf-8").splitlines()
    at = lines.index("VOTES") + 2
    voter, vote, *rest = lines[at].split(";")
    lines[at] = ";".join([voter, f"{vote},{vote.split(',')[0]}", *rest])
    twice = tmp_path / "twice.pb"
    twice.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = app.test_cli_runner().invoke(args=["votes", "import-pabulib", str(twice)])
    assert refused.exit_code == 2 and "występuje dwa razy w jednym głosie" in refused.output
    result = app.test_cli_runner().invoke(args=["votes", "import-pabulib", "--dedupe-votes", str(twice)])
    assert result.exit_code == 0, result.output
    assert "approval votes naming a project twice, counted once: 1" in result.output
    round_ = session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
    said = "1 approval vote(s) named a project twice: it was counted once (--dedupe-votes)."
    assert said in round_.description
    proposals = session.scalars(sa.select(Proposal).where(Proposal.round_id == round_.id)).all()
    by_file_id = {p.body.removeprefix("Pabulib project ").removesuffix("."): p for p in proposals}
    assert {pid for pid, p in by_file_id.items() if p.status == "selected"} == set(
        engine.parse_pabulib(DATA / "Poland_Swiecie_2023.pb").selected)


def small_greedy_file(tmp_path: Path, rule: str, extra_meta: str = "") -> Path:
    """Budget 100: A (60 zł, 3 votes), B (50 zł, 2 votes), C (30 zł, 1 vote).
    Plain greedy funds A, passes over B (40 left) and funds C."""
    text = (
        "META\nkey;value\ndescription;Greedy variants\ncountry;Poland\nunit;Test\ninstance;2024\n"
        f"num_projects;3\nnum_votes;3\nbudget;100\nvote_type;approval\nrule;{rule}\n{extra_meta}"
        "PROJECTS\nproject_id;cost;votes;name;selected\nA;60;3;A;1\nB;50;2;B;0\nC;30;1;C;0\n"
        "VOTES\nvoter_id;vote\n1;A,B,C\n2;A,B\n3;A\n"
    )
    path = tmp_path / f"{rule}.pb"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("rule", "extra_meta", "winners"), [
    ("greedy", "", {"A", "C"}),
    ("greedy-no-skip", "", {"A"}),  # counting stops at B, which does not fit
    ("greedy-threshold", "min_project_score_threshold;2\n", {"A"}),  # C has 1 vote, below the threshold
])
def test_an_imported_round_is_counted_by_the_files_own_greedy_variant(
        app, session, tmp_path, rule, extra_meta, winners):
    result = app.test_cli_runner().invoke(
        args=["votes", "import-pabulib", str(small_greedy_file(tmp_path, rule, extra_meta))])
    assert result.exit_code == 0, result.output
    round_ = session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
    assert "plain greedy" not in round_.description
    proposals = session.scalars(sa.select(Proposal).where(Proposal.round_id == round_.id)).all()
    assert {p.title for p in proposals if p.status == "selected"} == winners
    same, _, _ = recount(round_.id)
    assert same


def test_the_results_page_says_why_counting_stopped_in_a_no_skip_round(app, session, client, tmp_path):
    app.test_cli_runner().invoke(
        args=["votes", "import-pabulib", str(small_greedy_file(tmp_path, "greedy-no-skip"))])
    round_ = session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
    page = client.get(f"/rounds/{round_.id}/results", headers={"Accept-Language": "pl"})
    assert page.status_code == 200
    assert "liczenie zatrzymało się na wcześniejszej propozycji" in page.get_data(as_text=True)
