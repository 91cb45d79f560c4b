"""The demo content: idempotent, and every page reachable from it answers without a server error."""

from __future__ import annotations

import re
from collections import deque

import pytest
import sqlalchemy as sa

from app.demo.seed import DEMO_PASSWORD, seed
from app.models import Activity, Comment, NewsPost, Proposal, Round, User

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = re.compile(r"^/(static/|logout|language)|\.(ics|atom|csv|xlsx|pdf|pb|json)$|/export")


def counts(session):
    return [session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Proposal, Round, Comment, Activity, NewsPost)]


@pytest.fixture
def demo(session):
    list(seed())
    return session


def test_demo_seed_is_idempotent_and_covers_every_feature(demo):
    first = counts(demo)
    assert all(n > 0 for n in first), first
    lines = list(seed())
    assert counts(demo) == first
    assert lines[0].startswith("demo accounts: 0 created")
    phases = set(demo.scalars(sa.select(Round.phase)))
    assert {"draft", "submission", "review", "voting", "closed"} <= phases
    statuses = set(demo.scalars(sa.select(Proposal.status)))
    assert statuses >= {"draft", "submitted", "accepted", "rejected", "withdrawn", "selected",
                        "not_selected", "scheduled", "implemented"}
    assert {"planned", "held", "cancelled"} <= set(demo.scalars(sa.select(Activity.status)))


@pytest.mark.parametrize("email", [None, "michal@mam.example", "jadwiga@mam.example",
                                   "moderator@mam.example", "rada@mam.example", "admin@mam.example",
                                   "oksana@mam.example"])
def test_every_linked_page_answers_without_error(demo, client, email):
    if email:
        client.login(demo.scalar(sa.select(User).where(User.email == email)), DEMO_PASSWORD)
    seen, queue, failures = set(), deque(["/"]), []
    while queue and len(seen) < 250:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 500:
            failures.append((path, response.status_code))
            continue
        if response.status_code == 200 and response.mimetype == "text/html":
            queue.extend(LINK.findall(response.get_data(as_text=True)))
    assert len(seen) > 30
    assert failures == []


def test_the_demo_has_a_resident_who_uses_the_platform_in_ukrainian(demo, client):
    oksana = demo.scalar(sa.select(User).where(User.email == "oksana@mam.example"))
    assert oksana.locale == "uk"
    client.login(oksana, DEMO_PASSWORD)
    page = client.get("/proposals").get_data(as_text=True)
    assert '<html lang="uk">' in page and "Пропозиції" in page
    # She writes in Ukrainian too: a proposal and a comment, marked as such for Polish readers.
    proposal = demo.scalar(sa.select(Proposal).where(Proposal.author_id == oksana.id,
                                                     Proposal.language == "uk"))
    comment = demo.scalar(sa.select(Comment).where(Comment.author_id == oksana.id,
                                                   Comment.language == "uk"))
    assert proposal is not None and comment is not None
    assert f'<h2><a href="/proposals/{proposal.id}">' in page  # her own language: no mark for her
    client.logout()
    polish = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'<h1 id="proposal-title" lang="uk">{proposal.title}</h1>' in polish
    assert '<div class="comment-body prose" lang="uk">' in client.get(
        f"/proposals/{comment.proposal_id}").get_data(as_text=True)
