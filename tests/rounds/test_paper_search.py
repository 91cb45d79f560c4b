"""Paper ballots for everyone: the voter is found by name, flat, e-mail or sign-in slip, picked from a list,
and may have no e-mail address; the moderator sees how many ballots came online and on paper."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.residents import front_desk
from app.votes import services as votes
from app.votes import tally as engine
from app.votes.models import Participation
from tests.rounds.factories import ballot_round


def html(response) -> str:
    return response.get_data(as_text=True)


def pid(proposal) -> str:
    return str(proposal.id)


def paper_votes(session) -> list[tuple[int, str]]:
    return [tuple(row) for row in session.execute(sa.select(Participation.user_id, Participation.channel))]


@pytest.fixture
def people(users):
    return {
        "stanislawa": users.front_desk(name="Stanisława Kowalczyk", building="27", staircase="II",
                                       flat="14B"),
        "jozef": users.front_desk(name="Józef Wiśniewski", building="29", flat="3"),
        "anna": users.resident(name="Anna Kowalczyk", email="anna.k@kozlowka.example"),
        "nowy": users.unverified(name="Nowy Kowalczyk"),
    }


def pick_list(page: str) -> list[str]:
    return re.findall(r"<li class=\"card\">\s*<strong>([^<]+)</strong>", page)


@pytest.mark.parametrize(("query", "expected"), [
    ("kowalczyk", ["Anna Kowalczyk", "Nowy Kowalczyk", "Stanisława Kowalczyk"]),
    ("STANISŁAWA", ["Stanisława Kowalczyk"]),
    ("14b", ["Stanisława Kowalczyk"]),
    ("29/3", ["Józef Wiśniewski"]),
    ("anna.k@", ["Anna Kowalczyk"]),
    ("nikt-taki", []),
])
def test_search_finds_voters_by_name_flat_or_email(client, users, session, people, query, expected):
    round_, _proposals = ballot_round(session)
    client.login(users.moderator())
    response = client.get(f"/rounds/{round_.id}/paper", query_string={"q": query})
    assert response.status_code == 200
    page = html(response)
    assert pick_list(page) == expected
    if not expected:
        assert "Nikogo nie znaleziono." in page


def test_search_finds_a_voter_by_slip_number_or_whole_code(client, users, session, people):
    round_, _proposals = ballot_round(session)
    moderator = users.moderator()
    slip = front_desk.issue_sign_in_slip(moderator, people["jozef"])
    client.login(moderator)
    for query in (slip.reference.lower(), slip.code.lower().replace("-", " ")):
        page = html(client.get(f"/rounds/{round_.id}/paper", query_string={"q": query}))
        assert pick_list(page) == ["Józef Wiśniewski"]


def test_htmx_search_answers_with_the_pick_list_only(client, users, session, people):
    round_, _proposals = ballot_round(session)
    client.login(users.moderator())
    response = client.get(f"/rounds/{round_.id}/paper", query_string={"q": "józef"},
                          headers={"HX-Request": "true", "HX-Target": "voter-matches"})
    assert response.status_code == 200 and "<html" not in html(response)
    assert pick_list(html(response)) == ["Józef Wiśniewski"]


def test_paper_ballot_for_a_resident_without_email(client, users, session, people):
    round_, proposals = ballot_round(session, secrecy="public")
    moderator = users.moderator()
    client.login(moderator)
    voter = people["stanislawa"]
    page = html(client.get(f"/rounds/{round_.id}/paper", query_string={"q": "stanis", "voter": voter.id}))
    assert "2. Karta do głosowania: Stanisława Kowalczyk" in page
    assert f'name="voter" type="hidden" value="{voter.id}"' in page
    response = client.post(f"/rounds/{round_.id}/paper",
                           {"voter": str(voter.id), "choice": [pid(proposals[0])]})
    assert response.status_code == 303
    assert paper_votes(session) == [(voter.id, "paper")]
    # One ballot per person across channels: a second one is refused, and the page says so.
    again = client.post(f"/rounds/{round_.id}/paper", {"voter": str(voter.id), "choice": [pid(proposals[1])]})
    assert again.status_code == 409 and "Ta osoba już głosowała w tej rundzie." in html(again)
    page = html(client.get(f"/rounds/{round_.id}/paper", query_string={"q": "stanis", "voter": voter.id}))
    assert "już głosowała" in page and "Głos osoby Stanisława Kowalczyk jest już oddany" in page
    assert paper_votes(session) == [(voter.id, "paper")]


def test_an_unverified_person_is_refused_with_the_reason(client, users, session, people):
    round_, proposals = ballot_round(session)
    client.login(users.moderator())
    voter = people["nowy"]
    page = html(client.get(f"/rounds/{round_.id}/paper", query_string={"q": "nowy", "voter": voter.id}))
    assert "bez weryfikacji" in page
    assert "Karty papierowe można wprowadzać tylko za zweryfikowanych mieszkańców." in page
    assert 'class="ballot-form"' not in page
    response = client.post(f"/rounds/{round_.id}/paper",
                           {"voter": str(voter.id), "choice": [pid(proposals[0])]})
    assert response.status_code == 403 and paper_votes(session) == []


@pytest.mark.parametrize("role", ["resident", "steering"])
def test_only_staff_search_for_voters(client, users, session, people, role):
    round_, _proposals = ballot_round(session)
    client.login(users.for_role(role))
    response = client.get(f"/rounds/{round_.id}/paper", query_string={"q": "kowalczyk"})
    assert response.status_code == 403 and "Kowalczyk" not in html(response)


def test_moderator_sees_online_and_paper_counts(client, users, session, people):
    round_, proposals = ballot_round(session)
    moderator = users.moderator()
    for _ in range(2):
        votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposals[0].id),)))
    votes.enter_paper_ballot(moderator, round_, people["jozef"], engine.ApprovalBallot((pid(proposals[1]),)))
    client.login(moderator)
    expected = "Dotąd oddane głosy: przez internet 2, na papierze 1."
    assert expected in html(client.get(f"/rounds/{round_.id}"))
    assert expected in html(client.get(f"/rounds/{round_.id}/paper"))
    client.login(users.resident())
    assert "Dotąd oddane głosy" not in html(client.get(f"/rounds/{round_.id}"))


def test_the_paper_receipt_is_printed_for_the_voter_and_addresses_them(client, users, session, people):
    round_, proposals = ballot_round(session, secrecy="secret")
    client.login(users.moderator())
    voter = people["jozef"]

    response = client.post(f"/rounds/{round_.id}/paper",
                           {"voter": str(voter.id), "choice": [pid(proposals[0])]})

    page = html(response).replace("\u00a0", " ")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    slip_starts = page.index('<article class="card receipt-slip"')
    moderator_part = page[page.index('<div class="no-print">'):slip_starts]
    assert "Wydrukuj to potwierdzenie i daj je osobie Józef Wiśniewski." in moderator_part
    printed = page[slip_starts:page.index("</article>")]
    assert "Potwierdzenie dla: Józef Wiśniewski" in printed
    assert "Twój papierowy głos" in printed
    assert re.search(r'<p class="receipt-code"><code>[A-Z2-9-]{19}</code>', printed)
    assert f"http://localhost/rounds/{round_.id}/receipt" in printed  # paper: the address as text
    assert "(-aś)" not in page and "(-a)" not in page
    assert re.search(r'<button type="button" class="button print-button" data-print hidden>'
                     r'Wydrukuj potwierdzenie</button>', page)
    assert "Ctrl+P" in page  # without JavaScript the page says how to print
