"""The reports' contents, cell by cell, against a small known data set (tests/exports/factories.py), in CSV
and XLSX: proposals, activities, participation by round and by month."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from tests.exports.factories import report_data

URLS = {
    "proposals": "/data/proposals",
    "activities": "/data/activities",
    "rounds": "/data/statistics/rounds",
    "months": "/data/statistics/months",
}
HEADERS = {
    "proposals": ["Numer propozycji", "Numer rundy", "Runda", "Tytuł", "Kategoria", "Koszt (zł)", "Status",
                  "Ukryta przez moderatora", "Deklaracje pomocy", "Komentarze", "Utworzono", "Zgłoszona",
                  "Ostatnia zmiana", "Język tekstu", "Kod statusu"],
    "activities": ["Numer działania", "Tytuł", "Początek (czas warszawski)", "Koniec (czas warszawski)",
                   "Miejsce", "Status", "Liczba miejsc", "Zapisani uczestnicy", "Na liście rezerwowej",
                   "Zapisani wolontariusze", "Obecnych (osób)", "Z propozycji numer", "Kod statusu"],
    "rounds": ["Numer rundy", "Runda", "Faza", "Koniec głosowania", "Propozycje", "Na karcie do głosowania",
               "Wybrana", "Uprawnieni do głosowania", "Policzone karty", "Głosowało przez internet",
               "Głosowało na papierze", "Frekwencja (%)", "Kod etapu"],
    "months": ["Miesiąc", "Nowe konta", "Głosowało przez internet", "Głosowało na papierze",
               "Zgłoszone propozycje", "Komentarze", "Deklaracje pomocy", "Zapisy na działania",
               "Odbyte działania"],
}


def at(text: str) -> datetime:
    """A Warsaw wall-clock time, as an XLSX cell holds it."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def expected_rows(data) -> dict[str, list[list]]:
    """Every data row of every report, typed as the XLSX cell (times in Warsaw; "" is empty); the CSV shows
    them as ``_as_csv`` writes them. Statuses are in Polish words, their codes in the last column."""
    p = {key: proposal.id for key, proposal in data.proposals.items()}
    march, april = data.march, data.april
    made, changed = at("2024-02-10 10:00"), at("2024-04-30 11:00")
    return {
        "proposals": [  # the draft is in no report; the hidden idea is, marked
            [p["A"], march.id, march.title, "A: Ławki przy skwerze", "", Decimal("4000.00"), "Wybrana",
             "nie", 2, 2, made, at("2024-02-20 13:00"), changed, "Polski", "selected"],
            [p["B"], march.id, march.title, "'=B: Plac zabaw", "", Decimal("5000.00"), "Wybrana", "nie",
             0, 0, made, at("2024-02-20 13:00"), changed, "Polski", "selected"],
            [p["C"], april.id, april.title, "C: Rowerownia", "", Decimal("3000.00"), "Wybrana", "nie",
             0, 0, made, at("2024-03-05 13:00"), changed, "Polski", "selected"],
            [p["E"], april.id, april.title, "E: Fontanna", "", Decimal("9000.00"), "Odrzucona", "nie",
             0, 0, made, at("2024-03-05 13:00"), changed, "Polski", "rejected"],
            [p["idea"], "", "", "Pomysł: Kino", "", "", "Zgłoszona", "tak", 1, 0, made,
             at("2024-03-05 13:00"), changed, "Polski", "submitted"],
        ],
        "activities": [
            [data.held.id, "Sadzenie drzew", at("2024-04-20 10:00"), at("2024-04-20 12:00"),
             "Sala główna — Kozłówka",
             "Odbyło się", 10, 3, 1, 1, 7, p["A"], "held"],
            [data.planned.id, "'+Piknik", at("2030-06-01 12:00"), at("2030-06-01 14:00"),
             "Sala główna — Kozłówka",
             "Zaplanowane", "", 0, 0, 0, "", "", "planned"],
        ],
        "rounds": [  # 11 eligible when each round closed; 3 of them voted in each
            [march.id, march.title, "Wyniki", at("2024-03-31 20:00"), 2, 2, 2, 11, 3, 2, 1, 27.3, "closed"],
            [april.id, "Runda kwietniowa", "Wyniki", at("2024-04-30 20:00"), 2, 1, 1, 11, 3, 1, 2, 27.3,
             "closed"],
        ],
        "months": [
            # new accounts, online, paper, proposals submitted, comments (readable), pledges, sign-ups, held
            ["2024-02", data.people, 0, 0, 2, 0, 0, 0, 0],
            ["2024-03", 0, 2, 0, 3, 2, 3, 0, 0],
            ["2024-04", 0, 1, 3, 0, 0, 0, 5, 1],
        ],
    }


@pytest.fixture
def data(session, users, client):
    known = report_data(session, users)
    assert known.eligible == {"march": 11, "april": 11} and known.people == 16
    client.login(known.steering)
    return known


def _csv_rows(response, delimiter: str = ";") -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=delimiter))


def _xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    [sheet] = book.worksheets
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def _as_xlsx(value):
    return float(value) if isinstance(value, Decimal) else value


def _as_csv(value, decimal: str = ",") -> str:
    """What a CSV cell holds: times without seconds, decimal commas in the semicolon form."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal | float):
        return str(value).replace(".", decimal)
    return str(value)


@pytest.mark.parametrize("kind", list(URLS))
def test_report_csv_cells(kind, client, data):
    header, *rows = _csv_rows(client.get(URLS[kind] + ".csv"))

    assert header == HEADERS[kind]
    assert rows == [[_as_csv(value) for value in row] for row in expected_rows(data)[kind]]


@pytest.mark.parametrize("kind", list(URLS))
def test_report_csv_separated_by_commas_on_request(kind, client, data):
    response = client.get(URLS[kind] + ".csv?sep=comma")
    assert response.headers["Content-Disposition"].endswith('.comma.csv"')
    header, *rows = _csv_rows(response, delimiter=",")

    assert header == HEADERS[kind]
    assert rows == [[_as_csv(value, ".") for value in row] for row in expected_rows(data)[kind]]


@pytest.mark.parametrize("kind", list(URLS))
def test_report_xlsx_cells(kind, client, data):
    header, *rows = _xlsx_rows(client.get(URLS[kind] + ".xlsx"))

    assert header == HEADERS[kind]
    assert rows == [[_as_xlsx(value) for value in row] for row in expected_rows(data)[kind]]


def test_reports_agree_with_each_other(client, data):
    """The monthly totals add up to what the other reports list (a cross-check independent of the layout)."""
    proposals = _csv_rows(client.get("/data/proposals.csv"))[1:]
    rounds = _csv_rows(client.get("/data/statistics/rounds.csv"))[1:]
    months = _csv_rows(client.get("/data/statistics/months.csv"))[1:]

    def total(rows, column):
        return sum(int(row[column]) for row in rows)

    assert total(months, 5) == total(proposals, 9)  # comments people can read
    assert total(months, 6) == total(proposals, 8)  # pledges
    assert total(months, 2) == total(rounds, 9) and total(months, 3) == total(rounds, 10)  # online, paper
    assert total(months, 4) == len(proposals)  # every listed proposal was submitted once


def test_report_xlsx_is_formatted_for_a_polish_spreadsheet(client, data):
    """Header bold and frozen, autofilter over the table, columns sized to content, typed money and times
    with Polish number formats (Excel shows them as "4 000,00 zł" and "20.02.2024 13:00")."""
    response = client.get("/data/proposals.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    header = [cell for cell in sheet[1]]
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == "A2"
    rows = len(expected_rows(data)["proposals"]) + 1
    assert sheet.auto_filter.ref == f"A1:O{rows}"
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["D"] >= len("A: Ławki przy skwerze") and widths["A"] >= len("Numer propozycji")
    assert widths["D"] != widths["B"]  # sized to each column's content, not one width for all
    cost, created = sheet["F2"], sheet["K2"]
    assert cost.value == 4000 and cost.number_format == '#,##0.00 "zł"'
    assert isinstance(created.value, datetime) and created.number_format == "dd.mm.yyyy hh:mm"
    assert created.value == at("2024-02-10 10:00")
    assert not sheet["B2"].font.bold
