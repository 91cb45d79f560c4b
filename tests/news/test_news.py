"""News posts: who publishes, what visitors see, the home page section and the Atom feed."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.news.models import NewsPost
from tests.discussion.factories import make_proposal, make_round

ROLES = ("anonymous", "unverified", "resident", "moderator", "steering", "admin")
STAFF = {"moderator", "admin"}
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def snapshot(session):
    session.expire_all()
    return {
        table.name: session.execute(sa.select(table).order_by(table.c.id)).all()
        for table in (NewsPost.__table__, AuditEvent.__table__)
    }


def make_post(session, title="Nowe godziny otwarcia", body="Od marca **dłużej**.", age=timedelta(0),
              author=None) -> NewsPost:
    moment = utcnow() - age
    post = NewsPost(title=title, body=body, body_html=f"<p>{body}</p>", published_at=moment,
                    updated_at=moment, author_id=author.id if author else None)
    session.add(post)
    session.commit()
    return post


@pytest.fixture
def post(session, users):
    return make_post(session, author=users.moderator())


ACTIONS = {
    "publish": ("/news/new", {"title": "Festyn na podwórku", "body": "W sobotę o *15:00*.",
                              "round_id": "", "proposal_id": "", "activity_id": ""}),
    "edit": ("/news/{id}/edit", {"title": "Nowy tytuł", "body": "Zmieniona treść", "round_id": "",
                                 "proposal_id": "", "activity_id": ""}),
    "delete": ("/news/{id}/delete", {}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_staff_publish_edit_and_delete(action, role, client, users, session, post):
    actor = users.for_role(role)
    if actor:
        client.login(actor)
    path, data = ACTIONS[action]
    before = snapshot(session)

    response = client.post(path.format(id=post.id), data, confirm=True)

    after = snapshot(session)
    if role in STAFF:
        assert response.status_code == 303
        done = {"publish": "published", "edit": "edited", "delete": "deleted"}[action]
        assert after["audit_events"][-1].action == f"news.{done}"
        assert after["audit_events"][-1].actor_id == actor.id
        titles = [row.title for row in after["news_posts"]]
        assert titles == {"publish": ["Nowe godziny otwarcia", "Festyn na podwórku"],
                          "edit": ["Nowy tytuł"], "delete": []}[action]
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        if role != "anonymous":
            assert "Tylko moderatorzy mogą publikować aktualności." in response.get_data(as_text=True)
        assert after == before


@pytest.mark.parametrize("role", ROLES)
def test_forms_open_only_for_staff(role, client, users, post):
    actor = users.for_role(role)
    if actor:
        client.login(actor)
    for url in ("/news/new", f"/news/{post.id}/edit"):
        expected = 200 if role in STAFF else (302 if role == "anonymous" else 403)
        assert client.get(url).status_code == expected


def test_published_post_is_sanitised_and_linked(client, users, session):
    moderator = users.moderator()
    proposal = make_proposal(session, users.resident(), title="Ogród na dachu")
    round_ = make_round(session, "voting")
    client.login(moderator)
    response = client.post("/news/new", {
        "title": "<script>alert(1)</script> Zebranie",
        "body": "Zapraszamy! <script>alert(2)</script> [x](javascript:alert(3))\n\n# Plan",
        "round_id": str(round_.id), "proposal_id": str(proposal.id),
    })
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aktualność została opublikowana." in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Zebranie" in page
    assert 'href="javascript' not in page and "<h3>Plan</h3>" in page
    assert f'href="/proposals/{proposal.id}"' in page and "Ogród na dachu" in page
    assert round_.title in page
    assert 'data-confirm="Usunąć tę aktualność? Tego nie można cofnąć."' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Treść"}, "To pole jest wymagane."),
        ({"title": "Tytuł", "body": "x" * 100_000}, "najwyżej 20000 znaków"),
        ({"title": "Tytuł\x00", "body": "Treść"}, "niedozwolone znaki"),
        ({"title": "Tytuł", "body": "Treść", "proposal_id": "987654"}, "Wybierz jedną z opublikowanych"),
    ],
    ids=["no title", "100 000 characters", "NUL byte", "unknown proposal"],
)
def test_invalid_posts_are_refused_with_422(client, users, session, data, message):
    client.login(users.moderator())
    before = snapshot(session)
    response = client.post("/news/new", {"round_id": "", "proposal_id": "", **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_draft_proposals_cannot_be_linked(client, users, session):
    draft = make_proposal(session, users.resident(), status="draft")
    client.login(users.moderator())
    response = client.post("/news/new", {"title": "T", "body": "B", "round_id": "",
                                         "proposal_id": str(draft.id)})
    assert response.status_code == 422


def test_markdown_bomb_in_news_is_fast(client, users, session):
    client.login(users.moderator())
    started = time.process_time()
    response = client.post("/news/new", {"title": "Bomba", "body": "> " * 9000 + "x", "round_id": "",
                                         "proposal_id": ""})
    assert response.status_code == 303 and time.process_time() - started < 2
    assert session.scalar(sa.select(NewsPost.body_html)).count("<blockquote>") <= 12


def test_home_page_shows_the_latest_three(client, session):
    for n in range(4):
        make_post(session, title=f"Wiadomość numer {n}", age=timedelta(days=n))
    html = client.get("/").get_data(as_text=True)
    assert all(f"Wiadomość numer {n}" in html for n in range(3))
    assert "Wiadomość numer 3" not in html
    assert html.index("Wiadomość numer 0") < html.index("Wiadomość numer 1")


def test_home_page_without_news_says_so(client):
    assert "Nie ma jeszcze aktualności." in client.get("/").get_data(as_text=True)


def test_news_list_paginates_newest_first(client, session):
    for n in range(12):
        make_post(session, title=f"Post {n:02d}", age=timedelta(hours=n))
    first = client.get("/news").get_data(as_text=True)
    second = client.get("/news?page=2").get_data(as_text=True)
    assert "Post 00" in first and "Post 09" in first and "Post 10" not in first
    assert "Post 10" in second and "Post 11" in second and "Post 00" not in second
    assert first.index("Post 00") < first.index("Post 01")


def test_missing_post_is_404(client):
    assert client.get("/news/987654").status_code == 404


def test_atom_feed_is_valid_and_has_the_posts(client, users, session):
    author = users.resident(name="Tomasz <b>Kędzior</b>")
    old = make_post(session, title="Stara & dobra", age=timedelta(days=2), author=author)
    new = make_post(session, title="Świeża <wiadomość>", body="Zapraszamy **wszystkich**")

    response = client.get("/news.atom")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # noqa: S314 (our own feed)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/news"
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": "http://localhost/news.atom", "alternate": "http://localhost/news"}
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Świeża <wiadomość>", "Stara & dobra"]
    for entry, post in zip(entries, (new, old), strict=True):
        assert entry.findtext(f"{ATOM}id") == f"http://localhost/news/{post.id}"
        assert entry.find(f"{ATOM}link").get("href") == f"http://localhost/news/{post.id}"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert RFC3339.match(entry.findtext(f"{ATOM}published"))
    content = entries[0].find(f"{ATOM}content")
    assert content.get("type") == "html" and content.text == "<p>Zapraszamy **wszystkich**</p>"
    assert entries[1].findtext(f"{ATOM}author/{ATOM}name") == "Tomasz <b>Kędzior</b>"


def test_empty_feed_is_still_valid(client):
    feed = ET.fromstring(client.get("/news.atom").data)  # noqa: S314
    assert feed.findall(f"{ATOM}entry") == [] and RFC3339.match(feed.findtext(f"{ATOM}updated"))


def test_demo_news(session, users):
    from app.demo.seed import PEOPLE
    from app.news import demo

    people = {email: users.make(role=role, email=email, name=name) for email, name, role, *_ in PEOPLE}
    list(demo.seed(people))
    titles = list(session.scalars(sa.select(NewsPost.title)))
    assert len(titles) == 6 and "Nowe godziny otwarcia świetlicy" in titles
    assert list(demo.seed(people)) == ["news: posts already there"]
    assert session.scalar(sa.select(sa.func.count()).select_from(NewsPost)) == 6


def test_demo_news_links_the_board_game_evening(session, users):
    from app.demo.seed import PEOPLE
    from app.news import demo
    from tests.activities.factories import make_activity

    people = {email: users.make(role=role, email=email, name=name) for email, name, role, *_ in PEOPLE}
    evening = make_activity(session, title=demo.ACTIVITY_TITLE)
    list(demo.seed(people))
    linked = session.scalars(sa.select(NewsPost).where(NewsPost.activity_id.is_not(None))).all()
    assert [(post.title, post.activity_id) for post in linked] == [
        ("Wieczór planszówek — zapraszamy całe rodziny", evening.id)
    ]
