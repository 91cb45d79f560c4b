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
