"""A round cannot enter submission without a deadline for proposals, nor voting without the end of
voting (issue 12 §1); the round form refuses to clear them in those phases; rounds already stored
without them stay readable; every page that names a phase shows its deadline, with the time left in
proper Polish and Ukrainian plurals."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.db import utcnow
from app.errors import Conflict
from app.i18n import deadline, time_left
from app.phases.models import Phase, Round
from app.rounds import services
from tests.rounds.factories import make_proposal, make_round
from tests.rounds.test_routes import VALID_ROUND


def html(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


NOW = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw


@pytest.mark.parametrize(("left", "pl", "uk"), [
    (timedelta(days=3, hours=10), "zostały 3 dni", "залишилося 3 дні"),
    (timedelta(days=1, hours=1), "został 1 dzień", "залишився 1 день"),
    (timedelta(days=5, hours=10), "zostało 5 dni", "залишилося 5 днів"),
    (timedelta(days=22, hours=10), "zostały 22 dni", "залишилося 22 дні"),
    (timedelta(hours=2), "zostały 2 godziny", "залишилося 2 години"),
    (timedelta(hours=5), "zostało 5 godzin", "залишилося 5 годин"),
    (timedelta(hours=1, minutes=5), "została 1 godzina", "залишилася 1 година"),
    (timedelta(minutes=30), "została niecała godzina", "залишилося менше години"),
    (timedelta(minutes=-1), "", ""),
])
def test_time_left_in_polish_and_ukrainian(app, left, pl, uk):
    with app.test_request_context():
        with force_locale("pl"):
            assert time_left(NOW + left, now=NOW) == pl
        with force_locale("uk"):
            assert time_left(NOW + left, now=NOW) == uk


def test_a_deadline_this_year_needs_no_year(app):
    with app.test_request_context(), force_locale("pl"):
        assert deadline(datetime(2026, 12, 14, 19, 0, tzinfo=UTC), now=NOW) == "14 grudnia, 20:00"
        assert deadline(datetime(2027, 1, 8, 19, 0, tzinfo=UTC), now=NOW) == "8 stycznia 2027, 20:00"


# --- the phase-advance service -------------------------------------------------------------------


def test_a_round_cannot_open_for_proposals_without_their_deadline(session, users):
    round_ = make_round(session, Phase.DRAFT, review_starts_at=None)

    with pytest.raises(Conflict) as refused:
        services.advance_phase(users.moderator(), round_.id, Phase.DRAFT)

    assert "Ustaw termin zgłaszania propozycji" in str(refused.value.message)
    session.refresh(round_)
    assert round_.phase == Phase.DRAFT


def test_a_round_with_a_deadline_for_proposals_opens(session, users):
    round_ = make_round(session, Phase.DRAFT, review_starts_at=utcnow() + timedelta(days=10))

    services.advance_phase(users.moderator(), round_.id, Phase.DRAFT)

    assert round_.phase == Phase.SUBMISSION


def test_voting_cannot_open_without_its_end(session, users):
    round_ = make_round(session, Phase.REVIEW, voting_ends_at=None)
    make_proposal(session, round_)

    with pytest.raises(Conflict) as refused:
        services.advance_phase(users.moderator(), round_.id, Phase.REVIEW)

    assert "Ustaw datę i godzinę końca głosowania" in str(refused.value.message)
    session.refresh(round_)
    assert round_.phase == Phase.REVIEW


def test_voting_with_an_end_opens(session, users):
    round_ = make_round(session, Phase.REVIEW, voting_ends_at=utcnow() + timedelta(days=7))
    make_proposal(session, round_)

    services.advance_phase(users.moderator(), round_.id, Phase.REVIEW)

    assert round_.phase == Phase.VOTING


def test_the_schedule_reports_a_round_without_a_deadline_and_leaves_it(session):
    round_ = make_round(session, Phase.DRAFT, submission_starts_at=utcnow() - timedelta(minutes=1),
                        review_starts_at=None)

    moves = services.apply_schedule()

    assert [(m[0], m[2].startswith("blocked")) for m in moves] == [(round_.id, True)]
    session.refresh(round_)
    assert round_.phase == Phase.DRAFT


def test_the_moderator_sees_why_the_round_did_not_move(client, users, session):
    round_ = make_round(session, Phase.REVIEW, voting_ends_at=None)
    make_proposal(session, round_)
    client.login(users.moderator())

    response = client.post(f"/rounds/{round_.id}/advance", {"expected_phase": "review"}, confirm=True)

    assert response.status_code == 409
    assert "Ustaw datę i godzinę końca głosowania" in html(response)


# --- the round form --------------------------------------------------------------------------------


def _form(**dates) -> dict:
    values = {**VALID_ROUND, "submission_starts_at": "", "review_starts_at": "", "voting_starts_at": "",
              "voting_ends_at": ""}
    values.update(dates)
    return values


@pytest.mark.parametrize(("phase", "field", "message"), [
    (Phase.SUBMISSION, "review_starts_at", "Ustaw termin zgłaszania propozycji"),
    (Phase.VOTING, "voting_ends_at", "Ustaw datę i godzinę końca głosowania"),
])
def test_the_form_refuses_to_clear_the_deadline_of_the_phase_the_round_is_in(client, users, session, phase,
                                                                             field, message):
    round_ = make_round(session, phase)
    before = getattr(round_, field)
    client.login(users.moderator())

    response = client.post(f"/rounds/{round_.id}/edit", _form())

    assert response.status_code == 422
    page = html(response)
    assert message in page and 'class="error-summary"' in page
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*id="{field}"|id="{field}"[^>]*aria-invalid="true"',
                     page), page
    session.refresh(round_)
    assert getattr(round_, field) == before


def test_a_draft_round_can_be_saved_without_dates(client, users, session):
    client.login(users.moderator())

    response = client.post("/rounds/new", _form())

    assert response.status_code == 303
    assert session.scalar(sa.select(Round.phase)) == Phase.DRAFT


def test_a_round_stored_in_voting_without_an_end_still_shows(client, session):
    round_ = make_round(session, Phase.VOTING, voting_ends_at=None)

    page = html(client.get(f"/rounds/{round_.id}"))

    assert "Głosowanie trwa, dopóki moderator go nie zamknie." in page


# --- every page that names a phase shows its deadline -----------------------------------------------


def test_the_rounds_list_and_the_round_page_show_the_deadline(client, session):
    voting = make_round(session, Phase.VOTING, voting_ends_at=utcnow() + timedelta(days=2, hours=1))
    make_round(session, Phase.SUBMISSION, review_starts_at=utcnow() + timedelta(days=9, hours=1))

    listing = html(client.get("/rounds"))
    assert re.search(r"Głosowanie trwa do <time[^>]*>[^<]+</time> \(zostały [23] dni\)", listing)
    assert re.search(r"Propozycje można zgłaszać do <time[^>]*>[^<]+</time> \(zostało (9|10) dni\)", listing)
    round_page = html(client.get(f"/rounds/{voting.id}"))
    assert re.search(r"Głosowanie trwa do <time[^>]*>[^<]+</time> \(zostały [23] dni\)", round_page)
