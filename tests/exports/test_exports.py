"""Export contents against a round counted by the real services: every number exact."""

from __future__ import annotations

import csv
import io

import openpyxl
import sqlalchemy as sa

from app.activities.times import WARSAW
from app.audit.models import AuditEvent
from app.exports.protocol import pdf_available
from app.rounds import services as rounds
from app.votes import counting
from tests.conftest import require_system
from tests.exports.factories import INJECTED_TITLE, known_round


def _csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _sections(rows: list[list[str]]) -> list[list[list[str]]]:
    sections, current = [], []
    for row in rows:
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    return sections + [current]


def test_results_csv_has_every_number(client, session, users):
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    # The file is named after the day of closing in Warsaw (not in UTC: late in the evening the two differ,
    # at the end of a month even in the month).
    day = known.round.closed_at.astimezone(WARSAW).date().isoformat()
    disposition = response.headers["Content-Disposition"]
    assert f'filename="mam-round-{known.round.id}-results-{day}.csv"' in disposition
    facts, table, ties = _sections(_csv(response))
    facts = dict(facts[1:])
    assert facts["Runda"] == known.round.title
    assert facts["Reguła"] == "greedy"
    assert facts["Budżet (zł)"] == "10000.00"
    assert facts["Wykorzystany budżet (zł)"] == "9000.00"
    assert facts["Policzone karty"] == "6"
    assert facts["Głosowało przez internet"] == "5"
    assert facts["Głosowało na papierze"] == "1"
    assert facts["Uprawnieni do głosowania"] == str(known.eligible)
    assert facts["SHA-256 kart"] == known.round.ballots_sha256
    assert facts["SHA-256 kart"] == counting.canonical_ballots_sha256(
        "approval", counting.stored_ballots(known.round.id)
    )
    header, *rows = table
    by_id = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    expected = {
        "A": (1, "4000.00", 4, "tak"),
        "B": (3, "5000.00", 3, "nie"),
        "C": (2, "3000.00", 3, "tak"),
        "D": (4, "2000.00", 1, "tak"),
    }
    for key, (rank, cost, score, selected) in expected.items():
        row = by_id[known.pid(key)]
        assert (
            int(row["Miejsce"]),
            row["Koszt (zł)"],
            int(row["Wynik"]),
            int(row["Głosujący"]),
            row["Wybrana"],
        ) == (rank, cost, score, score, selected)
    assert by_id[known.pid("B")]["Powód"] == "did_not_fit"
    assert f"{known.pid('C')} > {known.pid('B')} (lower_cost)" in by_id[known.pid("B")]["Remisy"]
    assert ties[1][1] == f"{known.pid('C')}, {known.pid('B')}"
    assert ties[1][3] == "lower_cost" and ties[1][5] == "tak"
    # A title typed as a formula is neutralised, not run.
    assert by_id[known.pid("D")]["Propozycja"] == "'" + INJECTED_TITLE


def test_results_xlsx_matches_the_csv(client, session, users):
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/results.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    assert book.sheetnames == ["Runda", "Wyniki", "Remisy"]
    facts = {row[0]: row[1] for row in book["Runda"].iter_rows(min_row=2, values_only=True)}
    assert facts["Budżet (zł)"] == 10000 and facts["Policzone karty"] == 6
    assert facts["SHA-256 kart"] == known.round.ballots_sha256
    rows = list(book["Wyniki"].iter_rows(values_only=True))
    by_id = {str(row[1]): row for row in rows[1:]}
    assert by_id[known.pid("A")][:6] == (1, known.proposals["A"].id, known.proposals["A"].title, 4000, 4, 4)
    assert by_id[known.pid("D")][2] == "'" + INJECTED_TITLE
    assert all(not str(cell).startswith(("=", "+", "-", "@")) for row in rows for cell in row if cell)


def test_results_json_is_the_stored_result(client, session, users):
    known = known_round(session, users)
    data = client.get(f"/data/rounds/{known.round.id}/results.json").get_json(force=True)
    assert data["result"] == known.round.result
    assert data["ballots_sha256"] == known.round.ballots_sha256
    assert data["result_sha256"] == known.round.result_sha256
    assert data["winners"] == [known.proposals[k].id for k in ("A", "C", "D")]
    assert data["turnout"] == {"online": 5, "paper": 1}
    tie = data["ties"][0]
    assert tie["projects"] == [known.pid("C"), known.pid("B")] and tie["affects_selection"] is True
    same, _stored, _recomputed = rounds.recount(known.round.id)
    assert same


def test_protocol_pdf(client, session, users):
    require_system(pdf_available(), "Pango (for PDF protocols)",
                   "`apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core`")
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/protocol.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF-")
    assert f"mam-round-{known.round.id}-protocol-" in response.headers["Content-Disposition"]


def test_protocol_html_says_what_is_signed(app, session, users):
    from flask import render_template

    from app.exports import results

    known = known_round(session, users)
    with app.test_request_context("/"):
        html = render_template("exports/protocol.html", **results.protocol_context(known.round))
    assert "Protokół z głosowania" in html
    assert known.round.ballots_sha256 in html and known.round.result_sha256 in html
    assert "&lt;script&gt;" in html or "<script>" not in html
    for key in ("A", "C", "D"):
        assert known.proposals[key].title.replace('"', "&#34;") in html
    assert "remis" in html.lower()


def test_exports_by_people_are_audited_and_anonymous_ones_not(client, session, users):
    known = known_round(session, users)
    count = sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("export.%"))
    before = session.scalar(count)
    client.get(f"/data/rounds/{known.round.id}/results.csv")
    assert session.scalar(count) == before
    steering = users.steering()
    client.login(steering)
    client.get(f"/data/rounds/{known.round.id}/ballots.pb")
    client.get("/data/proposals.xlsx")
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.like("export.%")).order_by(AuditEvent.id)
    ).all()[before:]
    assert [(e.action, e.actor_id, e.subject_id, e.data) for e in events] == [
        ("export.ballots", steering.id, known.round.id, {"format": "pb"}),
        ("export.proposals", steering.id, None, {"format": "xlsx"}),
    ]


def test_protocol_without_pdf_libraries_is_a_clear_503(client, session, users, monkeypatch):
    from app.exports import protocol

    monkeypatch.setattr(protocol, "pdf_available", lambda: False)
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/protocol.pdf")
    assert response.status_code == 503
    assert "CSV, XLSX i JSON" in response.get_data(as_text=True)
