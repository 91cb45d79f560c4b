"""The home page leads with what can be done today (issue 12 §1): a running vote with its deadline and
"Zagłosuj" (or "Twój głos jest oddany"), a round open for proposals with "Napisz propozycję", this
week's activities with free places, roles that need people, results; open proposals before decided
ones. Visitors see "Dołącz" where a resident sees their own state. A fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from app.db import utcnow
from app.i18n import WARSAW
from app.phases.models import Phase
from app.proposals.models import Pledge, Status
from app.votes.models import Participation
from tests.activities.factories import in_days, make_activity, sign
from tests.discussion.factories import make_proposal
from tests.queries import assert_fixed_query_count
from tests.rounds.factories import make_round


def html(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("\u00a0", " ")


def evening_in(days: int) -> datetime:
    """20:00 Warsaw time, ``days`` calendar days from today."""
    day = utcnow().astimezone(WARSAW).date() + timedelta(days=days)
    return datetime.combine(day, time(20, 0), WARSAW).astimezone(UTC)


def now_cards(page: str) -> str:
    """The part of the page before this week's activities: the "now" cards."""
    return page.split('id="week-heading"')[0]


@pytest.fixture
def vote(session):
    return make_round(session, Phase.VOTING, title="Budżet sąsiedzki „Zima”", voting_ends_at=evening_in(3))


def test_a_visitor_sees_the_running_vote_its_deadline_and_join(client, vote):
    page = now_cards(html(client.get("/")))

    assert "Trwa głosowanie" in page
    assert "Budżet sąsiedzki „Zima”" in page
    assert re.search(r"Głosowanie trwa do <time datetime=\"[^\"]+\">\d{1,2} [^<,]+, 20:00</time> "
                     r"\(zostały 3 dni\)", page), page
    assert ">Dołącz</a>" in page
    assert f"/login?next=/rounds/{vote.id}/vote" in page
    assert "Zagłosuj" not in page and "Twój głos jest oddany" not in page


def test_a_resident_who_has_not_voted_sees_zaglosuj(client, users, vote):
    client.login(users.resident())

    page = now_cards(html(client.get("/")))

    cta = f'<a class="button button-cta button-large" href="/rounds/{vote.id}/vote">Zagłosuj'
    assert cta in page
    assert "Twój głos jest oddany" not in page and ">Dołącz</a>" not in page


def test_a_resident_who_voted_sees_their_vote_is_cast_from_the_participation_record(client, users, session,
                                                                                    vote):
    voter = users.resident()
    # Only the participation record: the secret ballot has no voter, and the page must not need it.
    session.add(Participation(round_id=vote.id, user_id=voter.id, channel="online"))
    session.commit()
    client.login(voter)

    page = now_cards(html(client.get("/")))

    assert "Twój głos jest oddany" in page
    assert f'href="/rounds/{vote.id}/vote">Zagłosuj' not in page
    assert "/me#votes" in page  # where the receipt code can be checked


def test_an_unverified_account_is_told_why_it_cannot_vote(client, users, vote):
    client.login(users.unverified())

    page = now_cards(html(client.get("/")))

    assert "W tej rundzie mogą głosować tylko zweryfikowani mieszkańcy." in page
    assert "Zagłosuj" not in page


def test_a_round_open_for_proposals_shows_its_deadline_and_napisz_propozycje(client, users, session):
    make_round(session, Phase.SUBMISSION, title="Pomysły na wiosnę", review_starts_at=evening_in(5))

    visitor = now_cards(html(client.get("/")))
    assert "Trwa zgłaszanie propozycji" in visitor and "Pomysły na wiosnę" in visitor
    assert re.search(r"Propozycje można zgłaszać do <time[^>]*>[^<]+, 20:00</time> \(zostało 5 dni\)",
                     visitor)
    assert ">Dołącz</a>" in visitor and "Napisz propozycję" not in visitor

    client.login(users.resident())
    resident = now_cards(html(client.get("/")))
    assert '<a class="button button-cta button-large" href="/proposals/new">Napisz propozycję</a>' in resident
    assert ">Dołącz</a>" not in resident


def test_an_empty_platform_says_what_to_do_next(client):
    page = html(client.get("/"))

    assert 'class="now' not in page
    assert "W tym tygodniu nie ma wolnych miejsc." in page
    assert "Teraz żadne działanie nie szuka pomocników." in page
    assert "Nie ma jeszcze propozycji. Twoja może być pierwsza!" in page
    assert "Nie ma jeszcze aktualności." in page
    assert page.count('class="empty-state') == 4
    assert page.count("<svg viewBox=\"0 0 120 90\"") == 4  # each with its drawing


def test_this_weeks_activities_with_free_places_and_roles_that_need_people(client, users, session):
    open_ = make_activity(session, title="Kawiarenka naprawcza", starts_at=in_days(2), capacity=3,
                          roles=[("Obsługa kawy", 2)])
    full = make_activity(session, title="Pełne warsztaty", starts_at=in_days(3), capacity=1,
                         roles=[("Sprzątanie", 1)])
    make_activity(session, title="Za dwa tygodnie", starts_at=in_days(14))
    make_activity(session, title="Odwołane", starts_at=in_days(1), status="cancelled")
    sign(session, open_, users.resident())
    sign(session, full, users.resident())
    sign(session, open_, users.resident(), role=open_.roles[0])
    sign(session, full, users.resident(), role=full.roles[0])

    page = html(client.get("/"))
    week = page.split('id="week-heading"')[1].split('id="help-heading"')[0]
    help_ = page.split('id="help-heading"')[1].split('id="latest-heading"')[0]

    assert "Kawiarenka naprawcza" in week and "Zostały 2 miejsca" in week and "Zapisz się" in week
    assert "Pełne warsztaty" not in week and "Za dwa tygodnie" not in week and "Odwołane" not in week
    assert "Obsługa kawy" in help_ and "Potrzebna jeszcze 1 osoba" in help_
    assert "Sprzątanie" not in help_
    assert f'/activities/{open_.id}#roles' in help_


def test_latest_proposals_open_ones_before_those_that_lost(client, session):
    waiting = make_proposal(session, status=Status.SUBMITTED, title="Ławki przy placu")
    lost = make_proposal(session, status=Status.NOT_SELECTED, title="Przegrana fontanna")
    lost.submitted_at = waiting.submitted_at + timedelta(hours=1)  # newer, but decided
    session.commit()

    page = html(client.get("/"))
    latest = page.split('id="latest-heading"')[1]

    assert latest.index("Ławki przy placu") < latest.index("Przegrana fontanna")


def test_latest_results_are_listed(client, session):
    closed = make_round(session, Phase.CLOSED, title="Mały grant jesienny")
    closed.result = {"tally": {"winners": ["1", "2"]}}
    closed.closed_at = utcnow() - timedelta(days=1)
    session.commit()

    page = html(client.get("/"))

    assert "Najnowsze wyniki" in page and "Mały grant jesienny" in page
    assert "Wybrano 2 propozycje" in page and f"/rounds/{closed.id}/results" in page


def test_the_home_page_runs_a_fixed_number_of_queries(app, client, users, session):
    resident = users.resident()
    client.login(resident)

    def fill(n: int) -> None:
        for _ in range(n):
            round_ = make_round(session, Phase.VOTING, voting_ends_at=evening_in(4))
            session.add(Participation(round_id=round_.id, user_id=resident.id, channel="online"))
            make_round(session, Phase.SUBMISSION, review_starts_at=evening_in(6))
            activity = make_activity(session, starts_at=in_days(2), capacity=5, roles=[("Pomoc", 3)])
            sign(session, activity, users.resident())
            proposal = make_proposal(session, author=resident)
            session.add(Pledge(proposal_id=proposal.id, user_id=resident.id, kind="volunteer"))
        session.commit()

    assert_fixed_query_count(app, lambda: html(client.get("/")), fill)
