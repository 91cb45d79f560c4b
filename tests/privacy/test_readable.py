"""The readable copy of my data: the same content as the JSON download, in plain words, on a page to read
and print; only for the person themself."""

from __future__ import annotations

import html
import json
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.pdf import pdf_available
from app.privacy.readable import ACCOUNTED_FOR, LABELS, PROFILE_LABELS, SECTIONS
from tests.conftest import require_system
from tests.exports.factories import known_round
from tests.privacy.test_privacy import _footprint


def text(page: str) -> str:
    main = page.split('<main', 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def test_the_page_holds_my_data_in_words_and_nobody_elses(client, session, users):
    known = known_round(session, users, secrecy="public")
    voter, other = known.voters[0], users.resident()
    _footprint(session, voter, other)
    client.login(voter)
    account = client.get("/account").text
    assert '<a class="button button-secondary" href="/account/data/readable">Przeczytaj moje dane' in account
    assert ('<a class="button button-secondary" href="/account/data.pdf" download>Pobierz kopię do wydruku'
            in account)
    response = client.get("/account/data/readable")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = text(response.text)
    for words in (voter.email, voter.display_name, "Ławki MOJE", "Szkic MOJE", "Komentarz MOJE",
                  "Pomogę MOJE", "Warsztaty", "Moje propozycje", "Moje komentarze", "Pomoc, którą deklaruję",
                  "Mieszkaniec", "Zgłoszona", "Szkic", "Rodzaj pomocy Pomogę", "Masz miejsce",
                  "Przez internet", f"Runda nr {known.round.id}", "Moje wybory dotyczące e-maili",
                  "Od razu"):
        assert words in page, words
    for theirs in ("SĄSIADA", other.email, other.display_name):
        assert theirs not in page
    # Plain words, not codes: no ISO instants, no raw statuses, no grosze.
    assert not re.search(r"\d{4}-\d\d-\d\dT", page)
    assert " submitted " not in page and "cost_grosze" not in page and " registered " not in page
    assert '<button type="button" class="button print-button" data-print hidden>Wydrukuj tę stronę</button>' \
        in response.text


def test_every_part_of_the_download_is_on_the_page(client, session, users):
    known = known_round(session, users, secrecy="public")
    voter = known.voters[0]
    _footprint(session, voter, users.resident())
    client.login(voter)
    data = json.loads(client.get("/account/data").text)
    assert set(data) == ACCOUNTED_FOR
    assert set(data["profile"]) == set(PROFILE_LABELS)
    for key, _heading in SECTIONS:
        for item in data[key]:
            assert set(item) <= set(LABELS), (key, set(item) - set(LABELS))


def test_the_pdf_holds_the_same_words(client, session, users):
    require_system(pdf_available(), "Pango (for PDFs)", "apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    known = known_round(session, users, secrecy="public")
    voter = known.voters[0]
    _footprint(session, voter, users.resident())
    client.login(voter)
    response = client.get("/account/data.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="mam-my-data-')
    assert response.headers["Cache-Control"] == "no-store"
    pages = PdfReader(BytesIO(response.data)).pages
    words = " ".join(" ".join(page.extract_text().split()) for page in pages)
    for expected in ("Moje dane", "O mnie", voter.email, "Ławki MOJE", "Komentarz MOJE", "Pomogę MOJE",
                     "Masz miejsce", "Przez internet", "Moje wybory dotyczące e-maili"):
        assert expected in words, expected
    assert "SĄSIADA" not in words


@pytest.mark.parametrize("path", ["/account/data/readable", "/account/data.pdf"])
def test_only_the_person_themself_can_read_it(client, session, users, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("locale, heading", [("uk", "Мої дані"), ("en", "My data")])
def test_the_page_speaks_the_persons_language(client, users, locale, heading):
    client.login(users.resident(locale=locale))
    page = client.get("/account/data/readable").text
    assert f"<h1>{heading}</h1>" in page

