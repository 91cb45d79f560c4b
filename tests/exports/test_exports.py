"""Export contents against a round counted by the real services: every number exact."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import openpyxl
import pytest
import sqlalchemy as sa

from app.activities.times import WARSAW
from app.audit.models import AuditEvent
from app.pdf import pdf_available
from app.rounds import services as rounds
from app.votes import counting
from tests.conftest import require_system
from tests.exports.factories import INJECTED_TITLE, known_round


def _csv(response, delimiter: str = ";") -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


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
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset once
    # The file is named after the day of closing in Warsaw (not in UTC: late in the evening the two differ,
    # at the end of a month even in the month).
    day = known.round.closed_at.astimezone(WARSAW).date().isoformat()
    disposition = response.headers["Content-Disposition"]
    assert f'filename="mam-round-{known.round.id}-results-{day}.csv"' in disposition
    facts, table, ties = _sections(_csv(response))
    facts = dict(facts[1:])
    assert facts["Runda"] == known.round.title
    assert facts["Reguła"] == "Najwyższy wynik najpierw, dopóki starcza budżetu"
    assert facts["Budżet (zł)"] == "10000,00"
    assert facts["Wykorzystany budżet (zł)"] == "9000,00"
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
        "A": (1, "4000,00", 4, "tak"),
        "B": (3, "5000,00", 3, "nie"),
        "C": (2, "3000,00", 3, "tak"),
        "D": (4, "2000,00", 1, "tak"),
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
    # Reasons and tie-breaks in words; the machine code stays in its own column.
    assert by_id[known.pid("B")]["Powód"].startswith("Niewybrana: kosztuje 5")
    assert by_id[known.pid("B")]["Kod powodu"] == "did_not_fit"
    assert f"{known.pid('C')} > {known.pid('B')} (niższy koszt)" in by_id[known.pid("B")]["Remisy"]
    assert ties[1][1] == f"{known.pid('C')}, {known.pid('B')}"
    assert ties[1][3] == "niższy koszt" and ties[1][4] == "kolejność według wyniku" and ties[1][5] == "tak"
    assert not {row["Powód"] for row in by_id.values()} & {"funded", "did_not_fit"}
    assert {row["Kod powodu"] for row in by_id.values()} == {"funded", "did_not_fit"}
    # A title typed as a formula is neutralised, not run.
    assert by_id[known.pid("D")]["Propozycja"] == "'" + INJECTED_TITLE


def test_results_xlsx_matches_the_csv(client, session, users):
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/results.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    assert book.sheetnames == ["Runda", "Wyniki", "Remisy"]
    facts = {row[0]: row[1:2] for row in book["Runda"].iter_rows(min_row=2, values_only=True)}
    facts = {key: value[0] if value else None for key, value in facts.items()}  # an empty cell ends a row
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


def _protocol_html(app, round_, locale: str = "pl") -> str:
    from flask import render_template
    from flask_babel import force_locale

    from app.exports import results

    with app.test_request_context("/"), force_locale(locale):
        return render_template("exports/protocol.html", **results.protocol_context(round_))


def _terms(html: str) -> dict[str, str]:
    """The protocol's <dt>term</dt><dd>value</dd> pairs, as text."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", html, re.S)
    return {term: unescape(value).replace("\xa0", " ").strip() for term, value in pairs}


def _section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2>", start + 1)
    return html[start:end]


def test_protocol_html_states_turnout_budget_and_winners(app, session, users):
    known = known_round(session, users)
    assert known.eligible == 7  # the six voters and the moderator: verified residents

    html = _protocol_html(app, known.round)

    terms = _terms(html)
    assert terms["Budżet"] == "10 000,00 zł"
    assert terms["Wykorzystany budżet"] == "9 000,00 zł"  # A 4 000 + C 3 000 + D 2 000
    assert terms["Policzone karty"] == "6"
    assert terms["Głosowało przez internet"] == "5"
    assert terms["Głosowało na papierze"] == "1"
    assert terms["Uprawnieni do głosowania"] == "7"
    assert terms["Frekwencja"] == "85,7%"  # 6 of 7
    winners = re.findall(r"<li>(.*?)</li>", _section(html, "Zwycięskie propozycje"))
    title = {key: proposal.title for key, proposal in known.proposals.items()}
    assert [unescape(w).replace("\xa0", " ") for w in winners] == [
        f"{title['A']} — 4 000,00 zł",
        f"{title['C']} — 3 000,00 zł",
        f"{title['D']} — 2 000,00 zł",
    ]
    table = _section(html, "Wyniki")
    rows = [
        [unescape(re.sub(r"<[^>]+>", "", cell)).replace("\xa0", " ").strip() for cell in cells]
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>",
                                                                                          table, re.S))
        if cells
    ]
    pid = {key: proposal.id for key, proposal in known.proposals.items()}
    assert [row[:6] for row in rows] == [
        ["1", f"{title['A']} (#{pid['A']})", "4 000,00 zł", "4", "4", "tak"],
        ["2", f"{title['C']} (#{pid['C']})", "3 000,00 zł", "3", "3", "tak"],
        ["2", f"{title['B']} (#{pid['B']})", "5 000,00 zł", "3", "3", "nie"],  # equal scores, equal places
        ["4", f"{title['D']} (#{pid['D']})", "2 000,00 zł", "1", "1", "tak"],
    ]
    # The reason, in words (never the tally's code).
    assert [row[6].split(":")[0] for row in rows] == ["Wybrana", "Wybrana", "Niewybrana", "Wybrana"]
    assert "did_not_fit" not in html and "funded" not in html


def test_protocol_html_in_english_has_the_same_numbers(app, session, users):
    known = known_round(session, users)

    terms = _terms(_protocol_html(app, known.round, "en"))

    # Babel writes "PLN10,000.00" (no space after the code): the amount is what is checked here.
    assert terms["Budget"].startswith("PLN") and terms["Budget"].endswith("10,000.00")
    assert terms["Budget used"].startswith("PLN") and terms["Budget used"].endswith("9,000.00")
    assert (terms["Ballots counted"], terms["Voted online"], terms["Voted on paper"]) == ("6", "5", "1")
    assert terms["Eligible voters"] == "7" and terms["Turnout"] == "85.7%"


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
    from app import pdf as protocol

    monkeypatch.setattr(protocol, "pdf_available", lambda: False)
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/protocol.pdf")
    assert response.status_code == 503
    assert "CSV, XLSX i JSON" in response.get_data(as_text=True)


# --- anonymous downloads of a closed round: ETag, public caching, 304, rate-limited PDF builds --------


@pytest.fixture
def pdf_builds(monkeypatch):
    """Count PDF builds (and make them without Pango): the protocol's HTML is still rendered."""
    from app import pdf as protocol

    built = []

    def fake_pdf(html: str) -> bytes:
        assert "Protokół z głosowania" in html or "Voting protocol" in html
        built.append(html)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(protocol, "html_to_pdf", fake_pdf)
    return built


@pytest.mark.parametrize(
    "export", ["protocol.pdf", "results.xlsx", "results.csv", "results.json", "ballots.pb"]
)
def test_anonymous_downloads_of_a_closed_round_are_cacheable_and_revalidated(
    export, client, session, users, pdf_builds, monkeypatch
):
    from app.exports import results

    known = known_round(session, users)
    url = f"/data/rounds/{known.round.id}/{export}"

    first = client.get(url)

    assert first.status_code == 200 and first.get_data()
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)  # strong: no W/
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in first.headers["Vary"]
    assert client.get(url).headers["ETag"] == etag  # the same bytes, the same tag
    builds = len(pdf_builds)
    monkeypatch.setattr(results, "sheets", lambda round_: pytest.fail("rebuilt for a 304"))
    monkeypatch.setattr(results, "document", lambda round_: pytest.fail("rebuilt for a 304"))

    again = client.get(url, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "public, max-age=300"
    assert len(pdf_builds) == builds  # no PDF was made for the 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code != 304


def test_etags_differ_by_file_format_language_and_round(client, session, users, pdf_builds):
    known, other = known_round(session, users), known_round(session, users)

    def tag(round_id, export, browser=client):
        return browser.get(f"/data/rounds/{round_id}/{export}").headers["ETag"]

    tags = {tag(known.round.id, e) for e in ("protocol.pdf", "results.xlsx", "results.csv", "ballots.csv")}
    assert len(tags) == 4
    assert tag(other.round.id, "results.xlsx") != tag(known.round.id, "results.xlsx")
    polish = tag(known.round.id, "results.xlsx")
    client.http.set_cookie("lang", "en")  # English headings: another file
    english = client.get(f"/data/rounds/{known.round.id}/results.xlsx", headers={"If-None-Match": polish})
    assert english.status_code == 200 and english.headers["ETag"] != polish


def test_signed_in_downloads_are_not_cached_and_always_audited(client, session, users, pdf_builds):
    known = known_round(session, users)
    url = f"/data/rounds/{known.round.id}/protocol.pdf"
    etag = client.get(url).headers["ETag"]
    steering = users.steering()
    client.login(steering)
    audited = sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "export.protocol")

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 200 and response.get_data().startswith(b"%PDF-")
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert session.scalar(audited) == 1


def test_anonymous_pdf_builds_are_rate_limited_per_ip(app, client, session, users, pdf_builds, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_EXPORTS", "2 per minute")
    known = known_round(session, users)
    url = f"/data/rounds/{known.round.id}/protocol.pdf"

    etag = client.get(url).headers["ETag"]
    for _ in range(3):  # answering "not modified" builds nothing and costs nothing
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url).status_code == 200
    refused = client.get(url)

    assert refused.status_code == 429
    assert "Zbyt wiele prób" in refused.get_data(as_text=True)
    assert len(pdf_builds) == 2
    other_ip = client.get(url, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_ip.status_code == 200
    client.login(users.steering())  # signed-in people are audited, not limited
    assert all(client.get(url).status_code == 200 for _ in range(3))


def test_protocol_html_in_ukrainian_has_the_same_numbers(app, session, users):
    known = known_round(session, users)

    html = _protocol_html(app, known.round, "uk")
    terms = _terms(html)

    assert '<html lang="uk">' in html
    assert terms["Бюджет"].replace("\u202f", " ") == "10 000,00 PLN"
    assert terms["Використаний бюджет"].replace("\u202f", " ") == "9 000,00 PLN"
    counted = ("Пораховані бюлетені", "Проголосували онлайн", "Проголосували на папері")
    assert [terms[term] for term in counted] == ["6", "5", "1"]


def test_results_csv_separated_by_commas_on_request(client, session, users):
    """The comma-separated file stays available, labelled as such, with decimal points for programs."""
    known = known_round(session, users)
    page = client.get(f"/rounds/{known.round.id}/results").get_data(as_text=True)
    url = f"/data/rounds/{known.round.id}/results.csv"
    assert f'href="{url}?sep=comma" download>CSV rozdzielany przecinkami' in page
    assert f'href="{url}" download>CSV do arkusza (Excel)' in page
    response = client.get(f"/data/rounds/{known.round.id}/results.csv?sep=comma")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.comma.csv"')
    facts, _table, _ties = _sections(_csv(response, delimiter=","))
    facts = dict(facts[1:])
    assert facts["Budżet (zł)"] == "10000.00" and facts["Policzone karty"] == "6"


def test_english_csv_is_separated_by_commas(client, session, users):
    known = known_round(session, users)
    client.http.set_cookie("lang", "en")
    facts, _table, _ties = _sections(_csv(client.get(f"/data/rounds/{known.round.id}/results.csv"), ","))
    assert dict(facts[1:])["Budget (zł)"] == "10000.00"


def test_results_xlsx_has_typed_times_and_money(client, session, users):
    known = known_round(session, users)
    response = client.get(f"/data/rounds/{known.round.id}/results.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    facts = {row[0].value: row[1] for row in book["Runda"].iter_rows(min_row=2)}
    closed = facts["Koniec głosowania"]
    expected = known.round.closed_at.astimezone(WARSAW).replace(tzinfo=None, second=0, microsecond=0)
    assert closed.value == expected
    assert closed.number_format == "dd.mm.yyyy hh:mm"
    assert facts["Budżet (zł)"].number_format == '#,##0.00 "zł"'
    results = book["Wyniki"]
    assert results.freeze_panes == "A2" and results.auto_filter.ref.startswith("A1:")
    assert all(cell.font.bold for cell in results[1])
