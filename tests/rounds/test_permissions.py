"""Every round route × role × round phase: who gets in, who is sent to sign in, who is refused and why;
and no request of the matrix writes anything (its forms are empty or invalid on purpose)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.outbox.models import OutboxMessage
from app.phases.models import Phase, Round
from app.proposals.models import Proposal
from app.votes.models import Ballot, Participation
from tests.rounds.factories import make_proposal, make_round

ROLES = ("anonymous", "unverified", "resident", "moderator", "steering", "admin")
PHASES = tuple(Phase)
STAFF = ("moderator", "admin")
SIGN_IN = 302
TABLES = (Round, Proposal, Ballot, Participation, AuditEvent, OutboxMessage)

NOT_PUBLIC = "Ta runda nie jest jeszcze publiczna."
ONLY_MODERATORS = "Tylko moderatorzy mogą prowadzić rundy konsultacji."
NOT_OPEN = "Głosowanie w tej rundzie nie jest otwarte."
CHOOSE_VOTER = "Najpierw znajdź głosującą osobę i wybierz ją z listy."
ONLY_RESIDENTS = "W tej rundzie mogą głosować tylko zweryfikowani mieszkańcy."
NO_RESULTS = "Wyniki zostaną opublikowane po zamknięciu głosowania."


def public(role, phase):
    """Pages anyone may see once the round is out of draft."""
    if phase == Phase.DRAFT and role not in STAFF:
        return 403, NOT_PUBLIC
    return 200, ""


def staff_only(ok):
    def rule(role, phase):
        if role == "anonymous":
            return SIGN_IN, ""
        if role not in STAFF:
            return 403, ONLY_MODERATORS
        return ok(phase)
    return rule


def voting(ok: int):
    def rule(role, phase):
        if role == "anonymous":
            return SIGN_IN, ""
        if phase == Phase.DRAFT and role not in STAFF:
            return 403, NOT_PUBLIC
        if phase != Phase.VOTING:
            return 409, NOT_OPEN
        if role == "unverified":
            return 403, ONLY_RESIDENTS
        return ok, ""
    return rule


def results(role, phase):
    status, text = public(role, phase)
    if status == 200 and phase not in (Phase.CLOSED, Phase.ARCHIVED):
        return 409, NO_RESULTS
    return status, text


ROUTES = [
    ("GET", "/rounds/{id}", {}, public),
    ("GET", "/rounds/{id}/edit", {}, staff_only(lambda phase: (200, ""))),
    ("POST", "/rounds/{id}/edit", {"title": ""}, staff_only(lambda phase: (422, "To pole jest wymagane."))),
    ("GET", "/rounds/{id}/advance", {},
     staff_only(lambda phase: (409, "") if phase == Phase.ARCHIVED else (200, ""))),
    ("POST", "/rounds/{id}/advance", {"expected_phase": "nieznana"},
     staff_only(lambda phase: (409, "Runda już przeszła dalej."))),
    ("GET", "/rounds/{id}/vote", {}, voting(200)),
    ("POST", "/rounds/{id}/vote", {}, voting(422)),
    ("POST", "/rounds/{id}/vote/summary", {}, voting(200)),
    ("GET", "/rounds/{id}/receipt", {}, public),
    ("POST", "/rounds/{id}/receipt", {"code": "AAAA-BBBB-CCCC-DDDD"}, public),
    ("GET", "/rounds/{id}/paper", {},
     staff_only(lambda phase: (200, "") if phase == Phase.VOTING else (409, NOT_OPEN))),
    ("POST", "/rounds/{id}/paper", {"voter": ""},
     staff_only(lambda phase: (422, CHOOSE_VOTER) if phase == Phase.VOTING else (409, NOT_OPEN))),
    ("GET", "/rounds/{id}/results", {}, results),
]
GLOBAL_ROUTES = [
    ("GET", "/rounds", {}, lambda role: (200, "")),
    ("GET", "/rounds/new", {}, lambda role: staff_only(lambda phase: (200, ""))(role, None)),
    ("POST", "/rounds/new", {"title": ""},
     lambda role: staff_only(lambda phase: (422, "To pole jest wymagane."))(role, None)),
]


def snapshot(session) -> dict:
    """Every row of the tables, in a fixed order (without ORDER BY the database may return them in any)."""
    return {
        model.__tablename__: session.execute(sa.select(model.__table__).order_by(model.__table__.c.id)).all()
        for model in TABLES
    }


def check(response, status, text):
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[:2000]
    if status == SIGN_IN:
        assert response.headers["Location"].startswith("/login?next=")
    elif status == 403:
        assert "Brak dostępu" in page
    if text:
        assert text in page


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data", "rule"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_round_route_in_every_phase(client, users, session, role, method, path, data, rule):
    actor = users.for_role(role)
    if actor is not None:
        client.login(actor)
    for phase in PHASES:
        round_ = make_round(session, phase)
        make_proposal(session, round_)
        before = snapshot(session)
        url = path.format(id=round_.id)
        response = client.get(url) if method == "GET" else client.post(url, data, confirm=True)
        check(response, *rule(role, phase))
        assert snapshot(session) == before, f"{method} {url} in {phase} wrote to the database"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data", "rule"), GLOBAL_ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in GLOBAL_ROUTES])
def test_round_list_and_new_round(client, users, session, role, method, path, data, rule):
    actor = users.for_role(role)
    if actor is not None:
        client.login(actor)
    make_round(session, Phase.VOTING)
    before = snapshot(session)
    response = client.get(path) if method == "GET" else client.post(path, data, confirm=True)
    check(response, *rule(role))
    assert snapshot(session) == before


def test_missing_round_is_404_on_every_round_route(client, users, session):
    client.login(users.moderator())
    for method, path, data, _ in ROUTES:
        url = path.format(id=987_654)
        response = client.get(url) if method == "GET" else client.post(url, data, confirm=True)
        assert response.status_code == 404, url


@pytest.mark.parametrize("role", ("unverified", "resident", "steering"))
def test_refused_advance_and_paper_ballot_write_nothing_even_with_valid_data(client, users, session, role):
    round_ = make_round(session, Phase.VOTING)
    proposal = make_proposal(session, round_)
    voter = users.resident()
    client.login(users.for_role(role))
    before = snapshot(session)
    assert client.post(f"/rounds/{round_.id}/advance", {"expected_phase": "voting"},
                       confirm=True).status_code == 403
    response = client.post(f"/rounds/{round_.id}/paper",
                           {"voter": str(voter.id), "choice": [str(proposal.id)]})
    assert response.status_code == 403
    response = client.post("/rounds/new", {"title": "Runda", "ballot_kind": "approval", "rule": "greedy",
                                           "budget": "100", "tie_break": "cost", "secrecy": "secret",
                                           "eligibility": "registered"})
    assert response.status_code == 403
    assert snapshot(session) == before


def test_voting_refuses_an_unconfirmed_email(client, users, session):
    round_ = make_round(session, Phase.VOTING)
    proposal = make_proposal(session, round_)
    client.login(users.make(email_verified=False))
    before = snapshot(session)
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": [str(proposal.id)]}, confirm=True)
    assert response.status_code == 403 and "Przed głosowaniem potwierdź swój adres e-mail." in \
        response.get_data(as_text=True)
    assert snapshot(session) == before
