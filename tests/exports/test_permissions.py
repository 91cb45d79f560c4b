"""Every export × role × round phase: who gets the file, who is refused, and that a refusal writes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from tests.exports.factories import known_round
from tests.votes.helpers import make_proposal, make_round

ROLES = ("anonymous", "unverified", "resident", "moderator", "steering", "admin")
ROUND_EXPORTS = ("results.csv", "results.xlsx", "results.json", "protocol.pdf", "ballots.csv", "ballots.pb")
REPORTS = (
    "/data/proposals.csv",
    "/data/proposals.xlsx",
    "/data/activities.csv",
    "/data/activities.xlsx",
    "/data/statistics/rounds.csv",
    "/data/statistics/rounds.xlsx",
    "/data/statistics/months.csv",
    "/data/statistics/months.xlsx",
)
STAFF = ("moderator", "admin")


def _audit_rows(session) -> list:
    return session.execute(
        sa.select(AuditEvent.id, AuditEvent.action, AuditEvent.actor_id).order_by(AuditEvent.id)
    ).all()


@pytest.mark.parametrize("role", ROLES)
def test_closed_round_exports_are_public(role, client, session, users):
    known = known_round(session, users)
    actor = users.for_role(role)
    if actor:
        client.login(actor)
    for export in ROUND_EXPORTS:
        before = _audit_rows(session)
        response = client.get(f"/data/rounds/{known.round.id}/{export}")
        assert response.status_code == 200, export
        assert response.get_data()
        after = _audit_rows(session)
        if actor is None:
            assert after == before
        else:
            assert after[:-1] == before and after[-1].actor_id == actor.id
            assert after[-1].action == "export." + export.split(".")[0]


@pytest.mark.parametrize("phase", ["draft", "submission", "review", "voting"])
@pytest.mark.parametrize("role", ROLES)
def test_round_exports_wait_for_the_close(phase, role, client, session, users):
    round_ = make_round(session, phase=phase)
    make_proposal(session, round_)
    actor = users.for_role(role)
    if actor:
        client.login(actor)
    before = _audit_rows(session)
    for export in ROUND_EXPORTS:
        response = client.get(f"/data/rounds/{round_.id}/{export}")
        hidden = phase == "draft" and role not in STAFF
        assert response.status_code == (404 if hidden else 409), export
        if not hidden:
            assert "Wyniki zostaną opublikowane" in response.get_data(
                as_text=True
            ) or "zamknięciu głosowania" in response.get_data(as_text=True)
    assert _audit_rows(session) == before


def test_archived_round_exports_stay_public(client, session, users):
    known = known_round(session, users)
    known.round.phase = "archived"
    session.commit()
    assert client.get(f"/data/rounds/{known.round.id}/results.csv").status_code == 200
    assert client.get(f"/data/rounds/{known.round.id}/ballots.pb").status_code == 200


def test_missing_round_is_404(client, session):
    assert client.get("/data/rounds/987654/results.csv").status_code == 404


@pytest.mark.parametrize("url", REPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_reports_are_for_the_steering_group_and_admins(url, role, client, session, users):
    actor = users.for_role(role)
    if actor:
        client.login(actor)
    before = _audit_rows(session)
    response = client.get(url)
    after = _audit_rows(session)
    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
        assert after == before
    elif role in ("steering", "admin"):
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith('attachment; filename="mam-')
        assert after[:-1] == before and after[-1].actor_id == actor.id
    else:
        assert response.status_code == 403
        assert "Te raporty mogą pobierać tylko grupa sterująca i administratorzy." in response.get_data(
            as_text=True
        )
        assert after == before


@pytest.mark.parametrize("role", ROLES)
def test_open_data_page_lists_closed_rounds_and_reports_for_those_allowed(role, client, session, users):
    known = known_round(session, users)
    voting = make_round(session, phase="voting", title="Runda w trakcie głosowania")
    actor = users.for_role(role)
    if actor:
        client.login(actor)
    html = client.get("/data").get_data(as_text=True)
    assert f"/data/rounds/{known.round.id}/ballots.pb" in html
    assert f"/data/rounds/{voting.id}/" not in html
    assert ("/data/proposals.csv" in html) == (role in ("steering", "admin"))
