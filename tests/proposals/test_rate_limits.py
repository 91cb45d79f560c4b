"""New proposals, pledges and room requests are rate-limited per person (RATELIMIT_CONTRIBUTIONS):
past the limit the answer is 429 and nothing more is written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.proposals.models import Pledge, Proposal
from tests.proposals.factories import make_proposal


@pytest.fixture
def two_per_hour(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_CONTRIBUTIONS", "2 per hour")


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def proposal_form(n: int) -> dict:
    return {"title": f"Warsztaty szachowe nr {n}", "body": "Co wtorek w świetlicy.", "category_id": "",
            "cost": "", "needs": "", "round_id": "", "action": "save"}


def test_new_proposals_are_limited_per_person(client, users, session, two_per_hour):
    author = users.resident()
    client.login(author)
    assert [client.post("/proposals/new", proposal_form(n)).status_code for n in range(2)] == [303, 303]
    before = count(session, Proposal)
    assert client.post("/proposals/new", proposal_form(3)).status_code == 429
    assert count(session, Proposal) == before
    assert client.get("/proposals/new").status_code == 200  # reading the form is not limited
    client.logout()
    client.login(users.resident())  # another person has their own allowance
    assert client.post("/proposals/new", proposal_form(4)).status_code == 303


def test_pledges_are_limited_per_person(client, users, session, two_per_hour):
    proposals = [make_proposal(session, users.resident()) for _ in range(3)]
    client.login(users.resident())
    for proposal in proposals[:2]:
        assert client.post(f"/proposals/{proposal.id}/pledges", {"kind": "volunteer"}).status_code == 303
    assert client.post(f"/proposals/{proposals[2].id}/pledges", {"kind": "volunteer"}).status_code == 429
    assert count(session, Pledge) == 2


TOO_MANY_PROPOSALS = "Dodajesz propozycje szybciej, niż pozwala platforma. Spróbuj ponownie później."
TOO_MANY_PLEDGES = "Deklarujesz pomoc szybciej, niż pozwala platforma. Spróbuj ponownie później."


def test_too_many_proposals_says_why_and_keeps_what_was_typed(client, users, session, two_per_hour):
    client.login(users.resident())
    for n in range(2):
        client.post("/proposals/new", proposal_form(n))
    response = client.post("/proposals/new", {**proposal_form(3), "body": "Mój długi <opis> pomysłu."})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert TOO_MANY_PROPOSALS in html and 'class="error-summary"' in html
    assert 'value="Warsztaty szachowe nr 3"' in html and "Mój długi &lt;opis&gt; pomysłu." in html
    assert count(session, Proposal) == 2


@pytest.fixture
def pledged_twice(client, users, session, two_per_hour):
    """Signed in as a resident who has used up their pledges; returns a third proposal."""
    proposals = [make_proposal(session, users.resident()) for _ in range(3)]
    client.login(users.resident())
    for proposal in proposals[:2]:
        client.post(f"/proposals/{proposal.id}/pledges", {"kind": "volunteer"})
    return proposals[2]


def test_too_many_pledges_without_javascript(client, session, pledged_twice):
    response = client.post(f"/proposals/{pledged_twice.id}/pledges", {"kind": "resources", "note": "Drabina"})
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "<html" in html
    pledges = html.split('<section id="pledges"', 1)[1].split("</section>", 1)[0]
    assert TOO_MANY_PLEDGES in pledges and 'value="Drabina"' in pledges
    assert count(session, Pledge) == 2


def test_too_many_pledges_over_htmx_is_shown_in_place(client, session, pledged_twice):
    headers = {"HX-Request": "true", "HX-Target": "pledges"}
    response = client.post(f"/proposals/{pledged_twice.id}/pledges", {"kind": "volunteer"}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "<html" not in html
    assert html.lstrip().startswith('<section id="pledges"') and "data-swap-errors" in html.split(">", 1)[0]
    assert f'<p class="notice" role="alert" tabindex="-1" data-autofocus>{TOO_MANY_PLEDGES}</p>' in html
    assert count(session, Pledge) == 2
