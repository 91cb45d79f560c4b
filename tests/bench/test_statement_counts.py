"""The benchmark's data set (bench/seed.py, tiny sizes) seeds on both engines, and the main pages run the
same number of SQL statements on it as on one twice its size: no page costs a query per row."""

from __future__ import annotations

import dataclasses

import pytest

from bench import seed as seeding
from tests.queries import count_queries

DOUBLE = dataclasses.replace(
    seeding.TINY, residents=24, proposals=60, comments=150, hot=(6, 10, 16), quiet=4, pledges=40,
    activities=12, signups_per_activity=6, news=6, closed_ballots=40,
)


def _pages(ids: seeding.Seeded) -> dict[str, str]:
    hot = max(ids.hot)
    return {
        "home": "/",
        "proposals": "/proposals",
        "proposals, page 2": "/proposals?page=2",
        "proposals, searched": "/proposals?q=propozycja&sort=discussed",
        "proposal with the most comments": f"/proposals/{ids.hot[hot]}",
        "proposal with few comments": f"/proposals/{ids.quiet}",
        "round": f"/rounds/{ids.voting_round}",
        "results": f"/rounds/{ids.closed_round}/results",
        "activities": "/activities",
        "activity": f"/activities/{ids.activity}",
        "news": "/news",
        "news post": f"/news/{ids.news}",
        "feed": "/activities.ics",
        "API proposals": "/api/v1/proposals",
    }


def _statements(app, client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # warm up: counts and feeds kept per change
        with count_queries(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(statements)
    return counts


@pytest.mark.parametrize("signed_in", [False, True])
def test_main_pages_run_as_many_statements_on_twice_the_data(signed_in, app, session, users, make_client):
    small = seeding.seed(seeding.TINY)
    client = make_client()
    if signed_in:
        # Someone with nothing of their own on the pages: a page that shows the viewer's own proposal or
        # activity finds them loaded already, one statement fewer (the same on any data size).
        client.login(users.resident())
    before = _statements(app, client, _pages(small))
    assert small.hot == dict(zip(seeding.TINY.hot, small.hot.values(), strict=True))

    large = seeding.seed(DOUBLE)
    after = _statements(app, client, _pages(large))

    assert after == before
    # The figures themselves stay small (what bench/http.py's SQL column shows at 100,000 comments). For a
    # signed-in person the largest are the home page (what is on now, their vote) and a proposal's page
    # (its pictures, whether they follow it), each with the header's unread count.
    assert max(before.values()) <= 15, before


def test_my_page_runs_as_many_statements_for_someone_with_twice_as_much(app, session, make_client):
    """/me of a seeded resident (proposals, pledges, sign-ups, a vote, comments), then of one in a data set
    twice the size, who has about twice as much of each."""
    from app.auth.models import User

    counts = []
    for sizes in (seeding.TINY, DOUBLE):
        ids = seeding.seed(sizes)
        client = make_client()
        client.login(session.get(User, ids.resident_ids[0]), password=seeding.PASSWORD)
        counts.append(_statements(app, client, {"me": "/me", "home": "/"}))
    assert counts[0] == counts[1]


def test_a_repeat_of_an_unchanged_api_list_runs_no_count(app, session, client):
    seeding.seed(seeding.TINY)
    client.get("/api/v1/proposals")
    with count_queries(app) as statements:
        first = client.get("/api/v1/proposals").get_json()
    assert not [s for s in statements if "count(" in s.lower()], statements

    from app.proposals.models import Proposal

    hidden = session.get(Proposal, first["items"][0]["id"])
    hidden.hidden_at = hidden.created_at
    session.commit()
    again = client.get("/api/v1/proposals").get_json()
    assert again["total"] == first["total"] - 1  # a change of the table counts again
    assert hidden.id not in {item["id"] for item in again["items"]}
