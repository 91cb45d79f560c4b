"""Round pages over HTTP: the list, the round page, the settings form, the phases and the results."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.phases.models import Phase, Round
from app.proposals.models import Proposal
from app.votes.models import Ballot, Participation
from tests.rounds.factories import ballot_round, make_proposal, make_round

VALID_ROUND = {
    "title": "Budżet sąsiedzki 2025",
    "description": "Pomysły na **lato**",
    "ballot_kind": "approval",
    "rule": "greedy",
    "budget": "1 234,50",
    "min_choices": "1",
    "max_choices": "3",
    "max_ballot_cost": "",
    "points_total": "",
    "points_per_proposal": "",
    "ranking_top_n": "",
    "ranking_threshold": "",
    "yes_no_quorum": "",
    "yes_no_majority_percent": "",
    "equal_shares_completion": "",
    "tie_break": "voters",
    "secrecy": "secret",
    "eligibility": "verified_residents",
    "submission_starts_at": "2025-01-15T18:00",  # winter: UTC+1
    "review_starts_at": "2025-03-30T12:00",  # the day clocks go forward: UTC+2 from 03:00
    "voting_starts_at": "2025-07-01T08:30",  # summer: UTC+2
    "voting_ends_at": "2025-10-26T12:00",  # the day clocks go back: UTC+1 from 03:00
}


def html(response) -> str:
    """The page, with the no-break spaces of formatted numbers as plain spaces."""
    return response.get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


# --- the list ----------------------------------------------------------------------------------------


def test_list_shows_public_rounds_with_phase_and_dates_and_hides_drafts(client, session):
    voting = make_round(session, Phase.VOTING, title="Głosujemy teraz",
                        voting_ends_at=datetime(2025, 6, 1, 16, 0, tzinfo=UTC))
    make_round(session, Phase.DRAFT, title="Szkic tajny")
    page = html(client.get("/rounds"))
    assert "Głosujemy teraz" in page and f'href="/rounds/{voting.id}"' in page
    assert "Szkic tajny" not in page
    assert '<span class="badge phase-badge phase-voting">Głosowanie</span>' in page
    assert "1 czerwca 2025, 18:00" in page  # the date in Warsaw time (UTC+2 in June), in words
    assert "10 000,00" in page  # the budget in zł


def test_staff_see_drafts_in_the_list_and_a_new_round_button(client, users, session):
    make_round(session, Phase.DRAFT, title="Szkic tajny")
    client.login(users.moderator())
    page = html(client.get("/rounds"))
    assert "Szkic tajny" in page and 'href="/rounds/new"' in page


def test_list_filters_by_phase_and_has_an_empty_state(client, session):
    make_round(session, Phase.VOTING, title="Głosujemy teraz")
    make_round(session, Phase.CLOSED, title="Już po wszystkim")
    page = html(client.get("/rounds?phase=closed"))
    assert "Już po wszystkim" in page and "Głosujemy teraz" not in page
    assert "Żadna runda nie jest w tej fazie." in html(client.get("/rounds?phase=review"))


def test_empty_list(client, session):
    assert "Nie ma jeszcze rund konsultacji." in html(client.get("/rounds"))


def test_list_is_paginated_and_the_htmx_request_gets_the_fragment(client, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(3):
        make_round(session, Phase.SUBMISSION, title=f"Runda numer {n}")
    first = html(client.get("/rounds"))
    assert first.count('class="card round-card"') == 2 and 'rel="next"' in first
    second = client.get("/rounds?page=2", headers={"HX-Request": "true"})
    assert html(second).count('class="card round-card"') == 1
    assert "<html" not in html(second) and "HX-Request" in second.headers["Vary"]


# --- the round page ----------------------------------------------------------------------------------


def test_round_page_shows_phase_steps_rules_and_ballot(client, users, session):
    round_, proposals = ballot_round(session, "approval", 2, max_choices=2, max_ballot_cost_grosze=250_000)
    make_proposal(session, round_, status="rejected", title="Odrzucona propozycja")
    page = html(client.get(f"/rounds/{round_.id}"))
    current = re.search(r'<li class="step-current" aria-current="step">\s*([^<]+)', page)
    assert current.group(1).strip() == "Głosowanie"
    assert page.count('aria-current="step"') == 1
    assert "Zaznacz propozycje, które popierasz: od 1 do 2 propozycji." in page
    assert "Zaznaczone propozycje mogą łącznie kosztować najwyżej 2 500,00" in page
    assert "dopóki starcza budżetu 10 000,00" in page
    assert "niższy koszt, potem więcej głosujących, potem losowanie" in page
    assert "Głosowanie jest tajne" in page
    assert "Propozycje na karcie do głosowania" in page
    for p in proposals:
        assert f'href="/proposals/{p.id}"' in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "Odrzucona propozycja" not in page
    assert "Zaloguj się, aby głosować." in page  # the anonymous visitor is told why they cannot vote


def test_round_page_in_submission_lists_proposals_sent_in(client, session):
    round_ = make_round(session, Phase.SUBMISSION)
    sent = make_proposal(session, round_, status="submitted", title="Ławki przy placu")
    make_proposal(session, round_, status="draft", title="Prywatny szkic")
    page = html(client.get(f"/rounds/{round_.id}"))
    assert "Dotychczas zgłoszone propozycje" in page and "Ławki przy placu" in page
    assert f'href="/proposals/{sent.id}"' in page and "Prywatny szkic" not in page


def test_round_page_actions_for_a_voter_and_a_moderator(client, users, session):
    round_, _ = ballot_round(session)
    client.login(users.resident())
    page = html(client.get(f"/rounds/{round_.id}"))
    assert f'href="/rounds/{round_.id}/vote"' in page and f"/rounds/{round_.id}/edit" not in page
    client.logout()
    client.login(users.moderator())
    page = html(client.get(f"/rounds/{round_.id}"))
    for path in ("edit", "paper", "advance"):
        assert f'href="/rounds/{round_.id}/{path}"' in page


def test_draft_round_page_is_refused_to_residents(client, users, session):
    round_ = make_round(session, Phase.DRAFT)
    client.login(users.resident())
    response = client.get(f"/rounds/{round_.id}")
    assert response.status_code == 403 and "Ta runda nie jest jeszcze publiczna." in html(response)
    assert client.get("/rounds/987654").status_code == 404


# --- settings ----------------------------------------------------------------------------------------


def test_moderator_creates_a_round_with_money_and_warsaw_dates(client, users, session):
    moderator = users.moderator()
    client.login(moderator)
    assert client.get("/rounds/new").status_code == 200
    response = client.post("/rounds/new", VALID_ROUND)
    assert response.status_code == 303, html(response)[:3000]
    round_ = session.scalar(sa.select(Round).where(Round.title == "Budżet sąsiedzki 2025"))
    assert response.headers["Location"] == f"/rounds/{round_.id}"
    assert round_.phase == Phase.DRAFT and round_.created_by_id == moderator.id
    assert round_.budget_grosze == 123_450
    assert round_.max_choices == 3 and round_.min_choices == 1
    assert round_.tie_break == ["more_voters", "lower_cost", "lot"]
    assert round_.description_html.strip() == "<p>Pomysły na <strong>lato</strong></p>"
    assert round_.submission_starts_at == datetime(2025, 1, 15, 17, 0, tzinfo=UTC)
    assert round_.review_starts_at == datetime(2025, 3, 30, 10, 0, tzinfo=UTC)
    assert round_.voting_starts_at == datetime(2025, 7, 1, 6, 30, tzinfo=UTC)
    assert round_.voting_ends_at == datetime(2025, 10, 26, 11, 0, tzinfo=UTC)
    # The edit form shows the values back in zł and Warsaw time.
    page = html(client.get(f"/rounds/{round_.id}/edit"))
    assert 'value="1234,50"' in page
    for field in ("submission_starts_at", "review_starts_at", "voting_starts_at", "voting_ends_at"):
        assert f'value="{VALID_ROUND[field]}"' in page
    last = session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1))
    assert last == "round.created"


@pytest.mark.parametrize(("budget", "grosze"), [("1234.50", 123_450), ("50 000", 5_000_000), ("7,5 zł", 750)])
def test_budget_formats(client, users, session, budget, grosze):
    client.login(users.moderator())
    assert client.post("/rounds/new", {**VALID_ROUND, "budget": budget}).status_code == 303
    assert session.scalar(sa.select(Round.budget_grosze)) == grosze


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"budget": "dużo"}, "Wpisz kwotę w złotych, np. 1 234,50 albo 1234.50."),
        ({"budget": "12,345"}, "Wpisz kwotę w złotych"),
        ({"budget": ""}, "Ta reguła wyboru wymaga budżetu."),
        ({"min_choices": "4", "max_choices": "2"}, "Minimum nie może być większe niż maksimum."),
        ({"max_choices": "trzy"}, "Wpisz liczbę całkowitą, np. 3."),
        ({"ballot_kind": "cumulative"}, "Podaj, ile punktów może rozdać głosująca osoba."),
        ({"voting_ends_at": "2025-06-01T10:00"}, "Daty muszą następować po sobie w kolejności."),
        ({"voting_starts_at": "jutro"}, "Wpisz datę i godzinę"),
        ({"title": ""}, "To pole jest wymagane."),
        ({"tie_break": "current"}, "Remisy rozstrzyga: Nieprawidłowy wybór"),
        ({"yes_no_quorum": "150", "ballot_kind": "yes_no"}, "Wpisz wartość procentową od 0 do 100."),
    ],
)
def test_invalid_settings_are_refused_with_a_message_at_the_field(client, users, session, change, message):
    client.login(users.moderator())
    response = client.post("/rounds/new", {**VALID_ROUND, **change})
    assert response.status_code == 422
    page = html(response)
    assert 'class="error-summary"' in page and message in page
    assert "has-error" in page
    assert 'value="Budżet sąsiedzki 2025"' in page or change.get("title") == ""
    assert count(session, Round) == 0


def test_vote_meaning_settings_are_locked_once_voting_has_started(client, users, session):
    round_, _ = ballot_round(session, "approval", 2, max_choices=2)
    client.login(users.moderator())
    page = html(client.get(f"/rounds/{round_.id}/edit"))
    assert "Głosowanie już trwa" in page
    assert re.search(r'<input[^>]*disabled[^>]*name="budget"|<input[^>]*name="budget"[^>]*disabled', page)
    assert not re.search(r'<input[^>]*name="title"[^>]*disabled', page)
    # Disabled fields are not sent; a forged request changing them changes nothing either.
    response = client.post(f"/rounds/{round_.id}/edit", {
        "title": "Nowy tytuł", "description": "", "budget": "1", "max_choices": "9", "ballot_kind": "yes_no",
        "submission_starts_at": "", "review_starts_at": "", "voting_starts_at": "",
        "voting_ends_at": "2099-03-14T20:00",
    })
    assert response.status_code == 303, html(response)[:3000]
    session.refresh(round_)
    assert round_.title == "Nowy tytuł"
    assert (round_.budget_grosze, round_.max_choices, round_.ballot_kind) == (1_000_000, 2, "approval")


def test_edit_keeps_a_tie_break_policy_that_is_no_preset(client, users, session):
    round_ = make_round(session, Phase.REVIEW, tie_break=["higher_cost", "id"])
    client.login(users.moderator())
    page = html(client.get(f"/rounds/{round_.id}/edit"))
    assert "Jak dotąd: wyższy koszt, potem niższy numer propozycji" in page
    data = {**VALID_ROUND, "tie_break": "current"}
    assert client.post(f"/rounds/{round_.id}/edit", data).status_code == 303
    session.refresh(round_)
    assert round_.tie_break == ["higher_cost", "id"]


# --- phases ------------------------------------------------------------------------------------------


def test_advance_confirmation_page_says_what_will_happen(client, users, session):
    round_, _ = ballot_round(session)
    client.login(users.moderator())
    page = html(client.get(f"/rounds/{round_.id}/advance"))
    assert "Zamknięcie głosowania liczy głosy i publikuje wyniki" in page
    assert 'name="expected_phase" type="hidden" value="voting"' in page or 'value="voting"' in page
    assert "data-confirm=" in page


def test_moderator_takes_a_round_through_every_phase_to_the_results(client, make_client, users, session,
                                                                   mail):
    moderator = users.moderator()
    client.login(moderator)
    client.post("/rounds/new", {**VALID_ROUND, "submission_starts_at": "", "voting_starts_at": "",
                                "review_starts_at": "2099-03-01T18:00", "voting_ends_at": "2099-03-14T20:00",
                                "max_choices": "2"})
    round_ = session.scalar(sa.select(Round))
    author = users.resident()
    cheap = make_proposal(session, round_, status="accepted", cost_grosze=50_000, title="Tani festyn",
                          author=author)
    dear = make_proposal(session, round_, status="accepted", cost_grosze=100_000, title="Drogi plac")
    costly = make_proposal(session, round_, status="accepted", cost_grosze=70_000, title="Średnia ławka")

    for phase in ("draft", "submission", "review"):
        response = client.post(f"/rounds/{round_.id}/advance", {"expected_phase": phase}, confirm=True)
        assert response.status_code == 303, html(response)[:2000]
    session.refresh(round_)
    assert round_.phase == Phase.VOTING

    # Three voters: the cheap and the dear one tie on two votes each; the third proposal has one.
    for choices in ([cheap.id, dear.id], [cheap.id, dear.id], [costly.id]):
        voter = make_client()
        voter.login(users.resident())
        response = voter.post(f"/rounds/{round_.id}/vote", {"choice": [str(c) for c in choices]},
                              confirm=True)
        assert response.status_code == 200

    # A double submit of "close" (same expected phase twice) closes once and refuses the second.
    assert client.post(f"/rounds/{round_.id}/advance", {"expected_phase": "voting"},
                       confirm=True).status_code == 303
    again = client.post(f"/rounds/{round_.id}/advance", {"expected_phase": "voting"}, confirm=True)
    assert again.status_code == 409 and "Runda już przeszła dalej." in html(again)
    session.refresh(round_)
    assert round_.phase == Phase.CLOSED and round_.result_sha256

    page = html(client.get(f"/rounds/{round_.id}/results"))
    winners = page.split('<ol class="winners">')[1].split("</ol>")[0]
    assert "Tani festyn" in winners and "Średnia ławka" in winners and "Drogi plac" not in winners
    assert "Wykorzystany budżet: 1 200,00" in page and "z 1 234,50" in page
    assert re.search(r"Niewybrana: kosztuje 1 000,00 zł, a gdy przyszła jej kolej, w budżecie zostało tylko "
                     r"734,50 zł\.", page)
    # The chart and the table give the same numbers.
    assert '<ul class="score-chart" aria-describedby="chart-desc">' in page
    assert re.findall(r'<td class="score">(\d+)</td>', page) == ["2", "2", "1"]
    assert re.findall(r'<span class="chart-value">(\d+)', page) == ["2", "2", "1"]
    bars = re.findall(r'<rect x="0" y="0" width="([\d.]+)"', page)
    assert [float(b) for b in bars] == [470.0, 470.0, 235.0]
    # The tie (two votes each) was broken by the lower cost, and that decided a winner.
    assert "„Tani festyn” przed „Drogi plac”: niższy koszt" in page
    assert round_.ballots_sha256 in page and round_.result_sha256 in page and round_.lot_seed in page
    assert "flask rounds recount" not in page  # commands live in docs/recount.md, not on the page
    assert "Głosowało przez internet" in page and "3 osoby" in page
    # Authors hear about the outcome, with a link to these results.
    [notice] = [m for m in mail if m["to"] == author.email]
    assert "Tani festyn" in notice["body"] and f"/rounds/{round_.id}/results" in notice["body"]


def test_opening_voting_with_proposals_waiting_for_review_is_refused_with_the_reason(client, users, session):
    round_ = make_round(session, Phase.REVIEW)
    make_proposal(session, round_, status="submitted")
    client.login(users.moderator())
    response = client.post(f"/rounds/{round_.id}/advance", {"expected_phase": "review"}, confirm=True)
    assert response.status_code == 409
    assert "Najpierw je przyjmij lub odrzuć." in html(response)
    session.refresh(round_)
    assert round_.phase == Phase.REVIEW


# --- results -----------------------------------------------------------------------------------------


def test_results_before_closing_are_refused_with_the_reason(client, session):
    round_, _ = ballot_round(session)
    response = client.get(f"/rounds/{round_.id}/results")
    assert response.status_code == 409
    assert "Wyniki zostaną opublikowane po zamknięciu głosowania." in html(response)


def _close(client, users, session, round_):
    moderator = users.moderator()
    client.login(moderator)
    assert client.post(f"/rounds/{round_.id}/advance", {"expected_phase": "voting"},
                       confirm=True).status_code == 303
    client.logout()


def test_results_of_a_yes_no_round_say_why_a_proposal_failed(client, make_client, users, session):
    round_, (a, b) = ballot_round(session, "yes_no", 2, yes_no_majority_percent=60)
    voter = make_client()
    voter.login(users.resident())
    voter.post(f"/rounds/{round_.id}/vote", {f"answer-{a.id}": "yes", f"answer-{b.id}": "no"}, confirm=True)
    _close(client, users, session, round_)
    page = html(client.get(f"/rounds/{round_.id}/results"))
    assert "Przyjęta: 1 za, 0 przeciw." in page
    assert "Nieprzyjęta: za mało głosów za (0 za, 1 przeciw)." in page
    assert "Przyjęte propozycje" in page


def test_results_of_equal_shares_say_what_supporters_paid(client, make_client, users, session):
    round_, (a, b) = ballot_round(session, "approval", 2, costs=[60_000, 90_000], rule="equal_shares",
                                  budget_grosze=100_000)
    for choices in ([a.id], [a.id, b.id]):
        voter = make_client()
        voter.login(users.resident())
        voter.post(f"/rounds/{round_.id}/vote", {"choice": [str(c) for c in choices]}, confirm=True)
    _close(client, users, session, round_)
    page = html(client.get(f"/rounds/{round_.id}/results"))
    assert re.search(r"Wybrana: jej zwolennicy wspólnie pokryli koszt 600,00 zł \(2 zwolenników zapłaciło po "
                     r"300,00 zł\)", page)
    assert "Niewybrana: jej zwolennikom zostało łącznie tylko" in page


def test_closed_round_page_links_to_the_results(client, users, session):
    round_, _ = ballot_round(session)
    _close(client, users, session, round_)
    page = html(client.get(f"/rounds/{round_.id}"))
    assert f'href="/rounds/{round_.id}/results"' in page
    assert count(session, Proposal) == 3 and count(session, Ballot) == 0 == count(session, Participation)


def test_residents_do_not_see_the_draft_step_moderators_do(client, users, session):
    round_, _ = ballot_round(session)

    def steps() -> list[str]:
        page = html(client.get(f"/rounds/{round_.id}"))
        nav = page[page.index('<ol class="round-steps">'):]
        return [re.sub(r"<[^>]+>|\s+", " ", item).split("(")[0].strip()
                for item in re.findall(r"<li[^>]*>(.*?)</li>", nav[:nav.index("</ol>")], re.S)]

    assert steps() == ["Zgłaszanie propozycji", "Ocena", "Głosowanie", "Wyniki"]  # a visitor
    client.login(users.resident())
    assert "Szkic" not in steps()
    client.login(users.moderator())
    assert steps()[0] == "Szkic"
