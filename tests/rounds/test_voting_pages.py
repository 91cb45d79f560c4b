"""Voting over HTTP: each ballot kind, refusals that store nothing, receipts, the counter, paper ballots."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.phases.models import Phase
from app.proposals.models import Status
from app.rounds import services as rounds
from app.votes.models import Ballot, Participation
from tests.rounds.factories import ballot_round, make_proposal, make_round

CHOOSE_VOTER = "Najpierw znajdź głosującą osobę i wybierz ją z listy."
RECEIPT = re.compile(r'<p class="receipt-code"><code>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})</code></p>')


def html(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")


def stored(session) -> tuple[int, int]:
    """(ballots, participations) in the database."""
    return (session.scalar(sa.select(sa.func.count()).select_from(Ballot)),
            session.scalar(sa.select(sa.func.count()).select_from(Participation)))


def ids(*proposals) -> list[str]:
    return [str(p.id) for p in proposals]


# --- each ballot kind, valid ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "settings", "form", "expected"),
    [
        ("approval", {"max_choices": 2}, lambda p: {"choice": ids(p[0], p[2])}, lambda p: ids(p[0], p[2])),
        ("choose-1", {}, lambda p: {"choice": ids(p[1])}, lambda p: ids(p[1])),
        ("ordinal", {"max_choices": 3},
         lambda p: {"rank-1": str(p[2].id), "rank-2": str(p[0].id), "rank-3": ""},
         lambda p: ids(p[2], p[0])),
        ("cumulative", {"points_total": 10, "points_per_proposal": 6},
         lambda p: {f"points-{p[0].id}": "6", f"points-{p[1].id}": "4", f"points-{p[2].id}": ""},
         lambda p: {str(p[0].id): 6, str(p[1].id): 4}),
        ("yes_no", {}, lambda p: {f"answer-{p[0].id}": "yes", f"answer-{p[1].id}": "no"},
         lambda p: {str(p[0].id): "yes", str(p[1].id): "no", str(p[2].id): "abstain"}),
    ],
)
def test_each_ballot_kind_is_shown_and_stored(client, users, session, kind, settings, form, expected):
    round_, proposals = ballot_round(session, kind, 3, **settings)
    client.login(users.resident())
    page = html(client.get(f"/rounds/{round_.id}/vote"))
    for p in proposals:
        assert p.title.replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;") in page
        assert f'href="/proposals/{p.id}"' in page
    assert "1 000,00 zł" in page  # costs
    response = client.post(f"/rounds/{round_.id}/vote", form(proposals), confirm=True)
    assert response.status_code == 200, html(response)[:3000]
    assert response.headers["Cache-Control"] == "no-store"
    assert stored(session) == (1, 1)
    assert session.scalar(sa.select(Ballot.choices)) == expected(proposals)


def test_voting_page_controls_per_kind(client, users, session):
    client.login(users.resident())
    approval, _ = ballot_round(session, "approval")
    assert html(client.get(f"/rounds/{approval.id}/vote")).count('type="checkbox"') == 3
    one, _ = ballot_round(session, "choose-1")
    assert html(client.get(f"/rounds/{one.id}/vote")).count('type="radio" id="choice-') == 3
    ordinal, _ = ballot_round(session, "ordinal", max_choices=2)
    page = html(client.get(f"/rounds/{ordinal.id}/vote"))
    assert '<label for="rank-1">1. wybór</label>' in page and '<label for="rank-2">2. wybór</label>' in page
    assert 'name="rank-3"' not in page
    cumulative, _ = ballot_round(session, "cumulative", points_total=5)
    assert html(client.get(f"/rounds/{cumulative.id}/vote")).count('type="number"') == 3
    yes_no, _ = ballot_round(session, "yes_no")
    page = html(client.get(f"/rounds/{yes_no.id}/vote"))
    assert page.count('<fieldset class="ballot-question">') == 3
    assert page.count('value="abstain" checked') == 3


# --- invalid ballots: refused whole, nothing stored ----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "settings", "form", "message"),
    [
        ("approval", {"max_choices": 2}, lambda p: {"choice": ids(*p)}, "Wybierz najwyżej 2 propozycje."),
        ("approval", {"min_choices": 2, "max_choices": 3}, lambda p: {"choice": ids(p[0])},
         "Wybierz co najmniej 2 propozycje."),
        ("approval", {}, lambda p: {"choice": ["987654"]}, "Propozycji „987654” nie ma na tej karcie."),
        ("approval", {"max_ballot_cost_grosze": 250_000}, lambda p: {"choice": ids(p[1], p[2])},
         "Wybrane propozycje kosztują łącznie 5 000,00 zł; limit to 2 500,00 zł."),
        ("choose-1", {}, lambda p: {"choice": ids(p[0], p[1])}, "Wybierz dokładnie jedną propozycję."),
        ("ordinal", {"max_choices": 3}, lambda p: {"rank-1": str(p[0].id), "rank-2": str(p[0].id)},
         "pojawia się więcej niż raz."),
        ("ordinal", {"max_choices": 3}, lambda p: {}, "Uszereguj co najmniej 1 propozycję."),
        ("ordinal", {"max_choices": 3}, lambda p: {"rank-1": "", "rank-2": str(p[0].id)},
         "Wypełniaj miejsca po kolei, zaczynając od pierwszego wyboru."),
        ("cumulative", {"points_total": 10}, lambda p: {f"points-{p[0].id}": "8", f"points-{p[1].id}": "3"},
         "Rozdaj łącznie najwyżej 10 punktów."),
        ("cumulative", {"points_total": 10, "points_per_proposal": 5}, lambda p: {f"points-{p[0].id}": "6"},
         "Daj jednej propozycji najwyżej 5 punktów."),
        ("cumulative", {"points_total": 10}, lambda p: {f"points-{p[0].id}": "-2"},
         "Punkty muszą być liczbami całkowitymi większymi od zera."),
        ("yes_no", {}, lambda p: {f"answer-{p[0].id}": "maybe"}, "Odpowiedz tak, nie lub wstrzymuję się"),
    ],
)
def test_invalid_ballot_is_refused_whole_and_keeps_the_choices(client, users, session, kind, settings, form,
                                                              message):
    round_, proposals = ballot_round(session, kind, 3, **settings)
    client.login(users.resident())
    data = form(proposals)
    response = client.post(f"/rounds/{round_.id}/vote", data, confirm=True)
    page = html(response)
    assert response.status_code == 422
    assert message in page and "Nic nie zostało zapisane." in page
    assert stored(session) == (0, 0)
    # What the voter chose is still in the form.
    for pid in data.get("choice", []):
        if pid != "987654":
            assert f'value="{pid}" checked' in page
    for name, value in data.items():
        if name.startswith("points-") and value != "-2":
            assert f'name="{name}"' in page and f'value="{value}"' in page
        if name.startswith("rank-") and value:
            select = rf'<select id="{name}" name="{name}">.*?<option value="{value}" selected>'
            assert re.search(select, page, re.S)


@pytest.mark.parametrize("kind", ["approval", "choose-1"])
@pytest.mark.parametrize("choice", ["other round", "rejected", "9999999999", "abc", "0", "012", "\u0661"])
def test_a_choice_not_on_the_ballot_is_refused_by_what_was_sent(client, users, session, kind, choice):
    """A ballot listing its choices is checked against those proposals only (read by id): whatever else
    comes in the field is not on the ballot, without a database error for a number beyond its range."""
    round_, proposals = ballot_round(session, kind, 2)
    elsewhere = {"other round": lambda: make_proposal(session, make_round(session, Phase.VOTING)),
                 "rejected": lambda: make_proposal(session, round_, status=Status.REJECTED)}
    sent = str(elsewhere[choice]().id) if choice in elsewhere else choice
    client.login(users.resident())
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": [sent]}, confirm=True)
    assert response.status_code == 422
    assert f"Propozycji „{sent}” nie ma na tej karcie." in html(response)
    assert stored(session) == (0, 0)


def test_a_listed_choice_is_checked_with_its_cost(client, users, session):
    """The cost limit counts the chosen proposals' costs, read with them."""
    round_, proposals = ballot_round(session, "approval", 3, costs=[100_000, 200_000, 300_000],
                                     max_ballot_cost_grosze=300_000)
    client.login(users.resident())
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[0], proposals[1])},
                           confirm=True)
    assert response.status_code == 200 and stored(session) == (1, 1)


# --- secret rounds: the receipt ------------------------------------------------------------------


def test_secret_vote_shows_the_receipt_once_and_it_can_be_checked(client, make_client, users, session):
    round_, proposals = ballot_round(session, "approval")
    client.login(users.resident())
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[0])}, confirm=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    code = RECEIPT.search(html(response)).group(1)
    assert session.scalar(sa.select(Ballot.user_id)) is None  # the ballot does not name the voter
    # Nowhere else: not on the round page, not in the session cookie.
    assert code not in html(client.get(f"/rounds/{round_.id}"))
    assert code not in html(client.get(f"/rounds/{round_.id}/vote", follow_redirects=True))
    # Anyone can check it, signed in or not, with or without dashes and in lower case.
    stranger = make_client()
    assert stranger.get(f"/rounds/{round_.id}/receipt").status_code == 200
    found = stranger.post(f"/rounds/{round_.id}/receipt", {"code": code.replace("-", "").lower()})
    assert found.status_code == 200 and "Karta z tym kodem potwierdzenia jest w urnie." in html(found)
    missing = stranger.post(f"/rounds/{round_.id}/receipt", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "Nie ma karty z tym kodem potwierdzenia." in html(missing)
    empty = stranger.post(f"/rounds/{round_.id}/receipt", {"code": ""})
    assert empty.status_code == 422 and "Wpisz kod potwierdzenia." in html(empty)
    # HTMX gets the result fragment only.
    fragment = stranger.post(f"/rounds/{round_.id}/receipt", {"code": code}, headers={"HX-Request": "true"})
    assert "<html" not in html(fragment) and "jest w urnie" in html(fragment)
    # Once voting has closed, the same code is confirmed as counted.
    rounds.advance_phase(users.moderator(), round_.id, "voting")
    counted = stranger.post(f"/rounds/{round_.id}/receipt", {"code": code})
    assert "Karta z tym kodem potwierdzenia jest policzona." in html(counted)


def test_second_secret_vote_is_refused_and_stores_nothing(client, users, session):
    round_, proposals = ballot_round(session, "approval")
    client.login(users.resident())
    client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[0])}, confirm=True)
    page = html(client.get(f"/rounds/{round_.id}"))
    assert "Zagłosowano" in page and f'href="/rounds/{round_.id}/receipt"' in page
    again = client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[1])}, confirm=True)
    assert again.status_code == 409 and "Twój głos w tej rundzie został już oddany." in html(again)
    assert stored(session) == (1, 1)
    assert session.scalar(sa.select(Ballot.choices)) == ids(proposals[0])
    assert client.get(f"/rounds/{round_.id}/vote").status_code == 303


def test_receipt_checks_are_rate_limited_per_ip(client, app, session, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_RECEIPT", "2 per minute")
    round_, _ = ballot_round(session, "approval")
    for _ in range(2):
        assert client.post(f"/rounds/{round_.id}/receipt", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 200
    assert client.post(f"/rounds/{round_.id}/receipt", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 429


# --- public rounds: change the vote ------------------------------------------------------------


def test_public_vote_can_be_changed_until_voting_closes(client, users, session):
    round_, proposals = ballot_round(session, "approval", secrecy="public")
    voter = users.resident()
    client.login(voter)
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[0])}, confirm=True)
    assert response.status_code == 303 and response.headers["Location"] == f"/rounds/{round_.id}"
    page = html(client.get(f"/rounds/{round_.id}"))
    assert "Twój głos został zapisany; możesz go zmieniać do końca głosowania." in page
    assert "Zmień mój głos" in page
    form = html(client.get(f"/rounds/{round_.id}/vote"))
    assert f'value="{proposals[0].id}" checked' in form and "Zapisz mój nowy głos" in form
    changed = client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[1], proposals[2])},
                          confirm=True)
    assert changed.status_code == 303
    assert stored(session) == (1, 1)
    assert session.execute(sa.select(Ballot.user_id, Ballot.choices)).one() == (voter.id, ids(proposals[1],
                                                                                            proposals[2]))


def test_the_ballot_kept_for_every_voter_shows_no_one_elses_choices(client, make_client, users, session):
    """The fields of a ballot with nothing chosen are rendered once per round and language and kept; a
    voter's stored choices are never part of them, and a proposal's new title shows at once."""
    round_, proposals = ballot_round(session, "approval", secrecy="public")
    first = users.resident()
    client.login(first)
    blank = html(client.get(f"/rounds/{round_.id}/vote"))
    assert " checked" not in blank and "O propozycji" in blank
    client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[0])}, confirm=True)
    assert f'value="{proposals[0].id}" checked' in html(client.get(f"/rounds/{round_.id}/vote"))

    other = make_client()
    other.login(users.resident())
    assert " checked" not in html(other.get(f"/rounds/{round_.id}/vote"))
    english = make_client()
    english.login(users.resident(locale="en"))
    page = html(english.get(f"/rounds/{round_.id}/vote"))
    assert "About this proposal" in page and "O propozycji" not in page

    proposals[1].title = "Ławki przy placu zabaw, nowa nazwa"
    session.commit()
    assert "Ławki przy placu zabaw, nowa nazwa" in html(other.get(f"/rounds/{round_.id}/vote"))


# --- the counter --------------------------------------------------------------------------------


def test_htmx_summary_returns_the_counter_fragment(client, users, session):
    round_, proposals = ballot_round(session, "approval", max_choices=3, max_ballot_cost_grosze=500_000)
    client.login(users.resident())
    page = html(client.get(f"/rounds/{round_.id}/vote"))
    assert f'data-hx-post="/rounds/{round_.id}/vote/summary"' in page and 'data-hx-trigger="change"' in page
    assert '<div id="ballot-summary" class="card ballot-summary" aria-live="polite">' in page
    response = client.post(f"/rounds/{round_.id}/vote/summary", {"choice": ids(proposals[0], proposals[1])},
                           headers={"HX-Request": "true", "HX-Target": "ballot-summary"})
    fragment = html(response)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in fragment
    assert "Wybrano 2 propozycje" in fragment and "można wybrać jeszcze 1" in fragment
    assert "Koszt twoich wyborów: 3 000,00 zł" in fragment
    assert "do limitu 5 000,00 zł zostało: 2 000,00 zł" in fragment
    assert "Ta karta jest ważna." in fragment
    assert stored(session) == (0, 0)
    over = html(client.post(f"/rounds/{round_.id}/vote/summary", {"choice": ids(*proposals)},
                            headers={"HX-Request": "true"}))
    assert "przekroczono limit 5 000,00 zł o 1 000,00 zł" in over and "zostało: -" not in over


def test_check_my_ballot_without_javascript_rerenders_the_page(client, users, session):
    round_, proposals = ballot_round(session, "cumulative", points_total=10)
    client.login(users.resident())
    response = client.post(f"/rounds/{round_.id}/vote/summary", {f"points-{proposals[0].id}": "12"})
    page = html(response)
    assert response.status_code == 200 and "<html" in page
    assert "Przyznano 12 punktów" in page and "2 punkty ponad limit" in page and "zostało -2" not in page
    assert "Jeszcze nie gotowe: Rozdaj łącznie najwyżej 10 punktów." in page
    assert 'value="12"' in page
    assert stored(session) == (0, 0)


# --- refusals to vote --------------------------------------------------------------------------


def test_ineligible_users_see_why_and_nothing_is_stored(client, users, session):
    round_, proposals = ballot_round(session, "approval")
    client.login(users.unverified())
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[0])}, confirm=True)
    assert response.status_code == 403
    assert "W tej rundzie mogą głosować tylko zweryfikowani mieszkańcy." in html(response)
    assert client.get(f"/rounds/{round_.id}/vote").status_code == 403
    assert stored(session) == (0, 0)


def test_registered_round_lets_unverified_accounts_vote(client, users, session):
    round_, proposals = ballot_round(session, "approval", eligibility="registered")
    client.login(users.unverified())
    assert client.post(f"/rounds/{round_.id}/vote", {"choice": ids(proposals[0])},
                       confirm=True).status_code == 200
    assert stored(session) == (1, 1)


def test_voting_when_it_is_not_open_is_refused_with_the_reason(client, users, session):
    round_ = make_round(session, Phase.REVIEW)
    client.login(users.resident())
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": ["1"]}, confirm=True)
    assert response.status_code == 409 and "Głosowanie w tej rundzie nie jest otwarte." in html(response)
    assert stored(session) == (0, 0)


# --- paper ballots -----------------------------------------------------------------------------


def test_paper_ballot_in_a_secret_round(client, users, session):
    round_, proposals = ballot_round(session, "approval")
    moderator, voter = users.moderator(), users.resident()
    client.login(moderator)
    assert "Wprowadź kartę papierową" in html(client.get(f"/rounds/{round_.id}/paper"))
    response = client.post(f"/rounds/{round_.id}/paper", {"voter": str(voter.id),
                                                          "choice": ids(proposals[1])})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert RECEIPT.search(html(response))
    participation = session.scalar(sa.select(Participation))
    assert (participation.user_id, participation.channel, participation.entered_by_id) == (
        voter.id, "paper", moderator.id)
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "ballot.paper_entered"))
    assert event.actor_id == moderator.id and event.data["voter_id"] == voter.id
    assert "choices" not in event.data  # a secret ballot's choices never reach the log
    # The voter cannot vote again online; a second paper ballot is refused with the reason.
    again = client.post(f"/rounds/{round_.id}/paper", {"voter": str(voter.id), "choice": ids(proposals[0])})
    assert again.status_code == 409 and "Ta osoba już głosowała w tej rundzie." in html(again)
    assert stored(session) == (1, 1)
    # Closing shows it as a paper vote in the turnout.
    client.post(f"/rounds/{round_.id}/advance", {"expected_phase": "voting"}, confirm=True)
    page = html(client.get(f"/rounds/{round_.id}/results"))
    assert re.search(r"<dt>Głosowało na papierze</dt><dd>1 osoba</dd>", page)
    assert re.search(r"<dt>Głosowało przez internet</dt><dd>0 osób</dd>", page)


def test_paper_ballot_in_a_public_round_is_logged_with_its_choices(client, users, session):
    round_, proposals = ballot_round(session, "approval", secrecy="public")
    client.login(users.moderator())
    voter = users.resident()
    response = client.post(f"/rounds/{round_.id}/paper",
                           {"voter": str(voter.id), "choice": ids(proposals[0])})
    assert response.status_code == 303
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "ballot.paper_entered"))
    assert event.data["choices"] == ids(proposals[0])


@pytest.mark.parametrize(
    ("who", "form", "status", "message"),
    [
        ("nobody", lambda p: {"choice": ids(p[0])}, 422, CHOOSE_VOTER),
        ("unverified", lambda p: {"choice": ids(p[0])}, 403,
         "Karty papierowe można wprowadzać tylko za zweryfikowanych mieszkańców."),
        ("resident", lambda p: {"choice": ["987654"]}, 422, "nie ma na tej karcie"),
        ("empty", lambda p: {"choice": ids(p[0])}, 422, CHOOSE_VOTER),
    ],
)
def test_paper_ballot_refusals_store_nothing(client, users, session, who, form, status, message):
    round_, proposals = ballot_round(session, "approval")
    client.login(users.moderator())
    fixed = {"nobody": "987654321", "empty": ""}
    voter = fixed[who] if who in fixed else str(users.for_role(who).id)
    response = client.post(f"/rounds/{round_.id}/paper", {"voter": voter, **form(proposals)})
    assert response.status_code == status and message in html(response)
    assert stored(session) == (0, 0)
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "ballot.paper_entered")) == 0
