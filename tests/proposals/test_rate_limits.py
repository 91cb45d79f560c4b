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
