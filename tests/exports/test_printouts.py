"""The paper ballot and the noticeboard poster of a round in voting: PDFs whose text a person reads."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.audit.models import AuditEvent
from app.pdf import pdf_available
from app.phases.models import Phase
from tests.conftest import require_system
from tests.rounds.factories import ballot_round, make_proposal, make_round


def pdf_text(response) -> str:
    """The text of every page, as pypdf reads it (one table row a line)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


@pytest.fixture
def pdf():
    require_system(pdf_available(), "Pango (for PDFs)", "apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def numbered_titles(text: str) -> list[str]:
    return re.findall(r"^(\d+)\. (Plac zabaw \w+)", text, flags=re.MULTILINE)


@pytest.fixture
def voting(session):
    """A round in voting whose proposals' ids do not follow their titles' alphabetical order."""
    round_ = make_round(session, Phase.VOTING, "approval", min_choices=1, max_choices=2,
                        title="Budżet Na Kozłówce 2027")
    names = ["Plac zabaw Cypr", "Plac zabaw Alfa", "Plac zabaw Beta"]
    proposals = [make_proposal(session, round_, title=name, cost_grosze=(i + 1) * 150_000)
                 for i, name in enumerate(names)]
    return round_, proposals


def test_the_ballot_lists_the_proposals_in_the_order_of_the_paper_entry_form(client, users, voting, pdf):
    round_, proposals = voting
    client.login(users.moderator())
    voter = users.resident()
    entry_form = client.get(f"/rounds/{round_.id}/paper?voter={voter.id}").get_data(as_text=True)
    form_order = [entry_form.index(p.title) for p in proposals]

    text = pdf_text(client.get(f"/rounds/{round_.id}/ballot.pdf"))

    assert "Karta do głosowania: Budżet Na Kozłówce 2027" in text
    assert "Zaznacz propozycje, które popierasz: od 1 do 2 propozycji." in text
    assert "Postaw znak X w kratce obok swojego wyboru." in text
    assert "ul. Kozłówka 14, 30-664 Kraków" in text
    assert "1 500,00 zł" in text and "4 500,00 zł" in text
    assert sorted(form_order) == form_order  # the entry form lists them as created, not alphabetically …
    assert numbered_titles(text) == [("1", "Plac zabaw Cypr"), ("2", "Plac zabaw Alfa"),
                                     ("3", "Plac zabaw Beta")]  # … and so does the ballot


@pytest.mark.parametrize(
    ("kind", "settings", "instruction"),
    [
        ("choose-1", {}, "Wybierz jedną propozycję."),
        ("ordinal", {"max_choices": 3}, "Wpisz w kratkę miejsce: 1 przy pierwszym wyborze, 2 przy drugim"),
        ("cumulative", {"points_total": 10}, "Rozdziel 10 punktów między propozycje."),
        ("yes_no", {}, "Postaw znak X w jednej kratce przy każdej propozycji: tak, nie albo wstrzymuję się."),
    ],
)
def test_the_ballot_explains_each_ballot_kind_in_plain_words(client, users, session, pdf, kind, settings,
                                                             instruction):
    round_, _proposals = ballot_round(session, kind, **settings)
    client.login(users.moderator())

    text = pdf_text(client.get(f"/rounds/{round_.id}/ballot.pdf"))

    assert instruction in " ".join(text.split())


def test_printing_a_ballot_is_in_the_audit_log(client, users, session, voting):
    round_, _ = voting
    moderator = users.moderator()
    client.login(moderator)

    html = client.get(f"/rounds/{round_.id}/ballot.pdf")

    assert html.status_code in (200, 503)
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export.ballot")).one()
    assert (event.actor_id, event.subject_id) == (moderator.id, round_.id)


@pytest.mark.parametrize("role", ["anonymous", "unverified", "resident", "steering"])
def test_only_moderators_print_ballots(client, users, voting, role):
    round_, _ = voting
    user = users.for_role(role)
    if user is not None:
        client.login(user)

    response = client.get(f"/rounds/{round_.id}/ballot.pdf")

    assert response.status_code == (302 if user is None else 403)


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.SUBMISSION, Phase.REVIEW, Phase.CLOSED, Phase.ARCHIVED])
def test_ballots_and_posters_only_while_voting(client, users, session, phase):
    round_ = make_round(session, phase)
    client.login(users.admin())

    for printout in ("ballot.pdf", "poster.pdf"):
        response = client.get(f"/rounds/{round_.id}/{printout}")
        assert response.status_code == 409, printout
        assert "tylko w czasie głosowania" in response.get_data(as_text=True)


def test_an_unknown_round_has_no_printouts(client, users):
    client.login(users.moderator())

    assert client.get("/rounds/999999/ballot.pdf").status_code == 404
    assert client.get("/rounds/999999/poster.pdf").status_code == 404


def test_a_draft_round_has_no_public_poster(client, session):
    round_ = make_round(session, Phase.DRAFT)

    assert client.get(f"/rounds/{round_.id}/poster.pdf").status_code == 404


def test_the_poster_says_what_until_when_and_where_with_the_address_and_a_qr_code(client, session, voting,
                                                                                 pdf, app):
    from datetime import UTC, datetime

    round_, proposals = voting
    round_.voting_ends_at = datetime(2027, 3, 14, 17, 0, tzinfo=UTC)
    session.commit()

    response = client.get(f"/rounds/{round_.id}/poster.pdf")  # anyone may print it
    text = pdf_text(response)

    flat = " ".join(text.split())
    assert "Zagłosuj: Budżet Na Kozłówce 2027" in flat
    assert "Głosuj do 14 marca 2027, 18:00." in flat
    assert "Zagłosuj na papierze w centrum" in flat and "ul. Kozłówka 14, 30-664 Kraków" in flat
    assert "poniedziałek–piątek 10:00–20:00" in flat
    assert f"{app.config['BASE_URL']}/rounds/{round_.id}" in flat
    assert all(p.title in flat for p in proposals)
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=0.5)  # A4


def test_the_poster_qr_code_holds_the_round_address(app, session, voting):
    from app.exports.printouts import poster_context

    round_, _ = voting
    with app.test_request_context():
        context = poster_context(round_)

    assert context["round_url"] == f"{app.config['BASE_URL']}/rounds/{round_.id}"
    assert context["qr"].startswith("data:image/svg+xml")


def test_the_round_page_links_the_poster_for_everyone_and_the_ballot_for_moderators(client, users, voting):
    round_, _ = voting

    public = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    client.login(users.moderator())
    staff = client.get(f"/rounds/{round_.id}").get_data(as_text=True)

    assert f"/rounds/{round_.id}/poster.pdf" in public and "Wydrukuj plakat na tablicę ogłoszeń" in public
    assert f"/rounds/{round_.id}/ballot.pdf" not in public
    assert f"/rounds/{round_.id}/ballot.pdf" in staff and "Wydrukuj karty do głosowania" in staff
