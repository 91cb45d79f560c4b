"""The demo content: idempotent, and every page reachable from it answers without a server error."""

from __future__ import annotations

import html
import re
from collections import deque

import pytest
import sqlalchemy as sa

from app.demo.seed import DEMO_PASSWORD, seed
from app.models import Activity, Comment, NewsPost, Proposal, Round, User


@pytest.fixture(scope="session")
def app(demo_app):
    """These tests read the demo data, seeded once per worker."""
    return demo_app

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = re.compile(r"^/(static/|logout|language)|\.(ics|atom|csv|xlsx|pdf|pb|json)$|/export")


def counts(session):
    return [session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Proposal, Round, Comment, Activity, NewsPost)]


@pytest.fixture
def demo(session):
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
            queue.extend(html.unescape(link) for link in LINK.findall(response.get_data(as_text=True)))
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


# --- the story the demo tells (issue 12 §7) ---------------------------------------------------------


def _by_title(session, model, title):
    return session.scalar(sa.select(model).where(model.title == title))


def test_the_imported_round_is_a_historical_example_outside_the_estates_lists(demo, client):
    from app.rounds.demo import PODGORZE_TITLE

    imported = _by_title(demo, Round, PODGORZE_TITLE)
    assert imported.imported_from and imported.phase == "closed"
    projects = demo.scalars(sa.select(Proposal).where(Proposal.round_id == imported.id)).all()
    assert len(projects) == 38 and all(p.imported for p in projects)

    listing = client.get("/proposals").get_data(as_text=True)
    assert "Pabulib project" not in listing and projects[0].title not in listing
    assert "Ogród społeczny za blokiem nr 7" in listing
    client.login(demo.scalar(sa.select(User).where(User.email == "moderator@mam.example")), DEMO_PASSWORD)
    desk = client.get("/desk").get_data(as_text=True)
    assert "Pabulib project" not in desk and not any(p.title in desk for p in projects)
    assert "Otwarte w niedziele do 18:00" in desk  # the estate's own proposal waiting for review
    # Nobody reports or comments on the imported projects: the discussion is about the estate's ideas.
    assert all(p.comment_count == 0 for p in projects)
    assert f'href="/proposals/{projects[0].id}' not in client.get("/moderation").get_data(as_text=True)


def test_activities_link_to_the_ideas_they_came_from(demo, client):
    from app.activities.demo import HOMEWORK_IDEA, REPAIR_IDEA

    repair, homework = _by_title(demo, Proposal, REPAIR_IDEA), _by_title(demo, Proposal, HOMEWORK_IDEA)
    cafes = demo.scalars(sa.select(Activity).where(Activity.title == "Kawiarenka naprawcza")).all()
    assert cafes and {a.proposal_id for a in cafes} == {repair.id} and repair.status == "scheduled"
    lessons = demo.scalars(sa.select(Activity).where(Activity.title.startswith("Lekcje z sąsiadami"))).all()
    assert {a.proposal_id for a in lessons} == {homework.id}
    # Held once (the idea is implemented), and it goes on: more afternoons are planned.
    assert homework.status == "implemented"
    assert sorted({a.status for a in lessons}) == ["held", "planned"]
    page = client.get(f"/activities/{cafes[0].id}").get_data(as_text=True)
    assert f'href="/proposals/{repair.id}"' in page and REPAIR_IDEA in page
    idea_page = client.get(f"/proposals/{homework.id}").get_data(as_text=True)
    assert "Odbyło się 1 spotkanie; jeszcze 3 zaplanowane." in idea_page


def test_the_statistics_count_only_the_votes_cast_here(demo, client):
    import csv
    import io

    from app.votes.models import Channel, Participation

    cast_here = demo.scalar(sa.select(sa.func.count()).select_from(Participation).join(
        Round, Round.id == Participation.round_id).where(
        Round.imported_from.is_(None), Participation.channel == Channel.ONLINE))
    client.login(demo.scalar(sa.select(User).where(User.email == "admin@mam.example")), DEMO_PASSWORD)
    text = client.get("/data/statistics/months.csv").get_data().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    online = sum(int(row[header.index("Głosowało przez internet")]) for row in rows)
    assert 0 < online == cast_here < 100  # the district's 3605 imported ballots are not December's votes


def test_every_date_is_relative_to_the_day_of_seeding(demo):
    from datetime import timedelta

    from app.db import utcnow
    from app.i18n import WARSAW
    from app.proposals.demo import OPEN_ROUND
    from app.rounds.demo import VOTING

    now = utcnow()
    this_week = demo.scalars(sa.select(Activity).where(
        Activity.status == "planned", Activity.starts_at > now, Activity.starts_at < now + timedelta(days=7),
    )).all()
    assert len(this_week) >= 2
    vote = _by_title(demo, Round, VOTING[0])
    closes = vote.voting_ends_at.astimezone(WARSAW)
    assert vote.phase == "voting" and closes.date() == (now.astimezone(WARSAW) + timedelta(days=7)).date()
    assert (closes.hour, closes.minute) == (20, 0)
    ideas = _by_title(demo, Round, OPEN_ROUND)
    assert ideas.phase == "submission" and ideas.review_starts_at > now + timedelta(days=7)
    # Something for the moderator's desk: a round past its date, an activity waiting for its report.
    assert demo.scalar(sa.select(sa.func.count()).select_from(Round).where(
        Round.phase == "review", Round.voting_starts_at < now)) == 1
    assert demo.scalar(sa.select(sa.func.count()).select_from(Activity).where(
        Activity.status == "planned", Activity.ends_at < now)) == 1
