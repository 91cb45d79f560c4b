"""An imported Pabulib round is a historical example: its projects stay out of the platform's own lists,
queues and the moderator's desk, its ballots out of the monthly statistics, and its round page says so;
choosing the round in the proposals list still shows its projects."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.i18n import WARSAW
from app.phases.models import Round
from app.proposals.models import Proposal
from app.rounds.importing import import_pabulib
from app.votes import services as votes
from app.votes import tally as engine
from tests.votes.helpers import make_proposal, make_round

FILE = Path(__file__).resolve().parents[1] / "data" / "pabulib" / "Poland_Czestochowa_2024_Mirow.pb"


@pytest.fixture
def imported(app, session):
    with app.test_request_context():
        round_ = import_pabulib(FILE, "Mirów 2024 (dane rzeczywiste)")
    return session.get(Round, round_.id)


def test_the_import_marks_the_round_and_its_projects(imported, session):
    projects = session.scalars(sa.select(Proposal).where(Proposal.round_id == imported.id)).all()
    assert imported.imported_from == FILE.name and len(projects) == 11
    assert all(p.imported for p in projects)
    assert any(p.status == "selected" for p in projects)


def test_its_projects_stay_out_of_the_lists_but_its_own_filter_shows_them(imported, client, session, users):
    own = make_proposal(session, make_round(session, "voting"), users.resident(), title="Ławka pod blokiem")
    first = session.scalars(sa.select(Proposal).where(Proposal.round_id == imported.id)).first()

    listing = client.get("/proposals").get_data(as_text=True)
    assert own.title in listing and "Pabulib" not in listing and first.title not in listing
    assert first.title not in client.get("/").get_data(as_text=True)
    chosen = client.get(f"/proposals?round={imported.id}").get_data(as_text=True)
    assert first.title in chosen and "11 propozycji" in chosen
    round_page = client.get(f"/rounds/{imported.id}").get_data(as_text=True)
    assert "Przykład historyczny: ta runda nie odbyła się na tej platformie." in round_page


def test_its_winners_wait_neither_on_the_desk_nor_for_scheduling(imported, client, session, users):
    client.login(users.moderator())
    winners = session.scalars(sa.select(Proposal.title).where(Proposal.round_id == imported.id,
                                                              Proposal.status == "selected")).all()
    desk = client.get("/desk").get_data(as_text=True)
    schedule = client.get("/activities/schedule").get_data(as_text=True)
    for title in winners:
        assert title not in desk and title not in schedule
    assert "Każda wybrana propozycja ma już wydarzenie." in desk


def test_imported_ballots_are_not_this_months_online_votes(imported, client, session, users):
    round_ = make_round(session, "voting", min_choices=1, max_choices=1)
    proposal = make_proposal(session, round_)
    votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposal.id),)))
    client.login(users.admin())

    response = client.get("/data/statistics/months.csv")

    assert response.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    month = datetime.now(WARSAW).strftime("%Y-%m")
    [row] = [row for row in rows if row[0] == month]
    assert row[header.index("Głosowało przez internet")] == "1"  # not 1 + the 379 imported ballots
