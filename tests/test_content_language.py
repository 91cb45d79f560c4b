"""What residents write stays as written: proposals, comments and news carry the language they were
written in, and pages mark them with ``lang`` when it differs from the page's, so screen readers switch
voice."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app.db import db
from app.discussion.models import Comment
from app.news.models import NewsPost
from app.phases.models import Phase
from app.proposals import services as proposal_services
from app.proposals.models import Proposal, Status
from tests.discussion.factories import make_comment, make_flag, make_proposal
from tests.rounds.factories import make_proposal as make_round_proposal
from tests.rounds.factories import make_round
from tests.test_migrations import scratch_app, scratch_url  # noqa: F401 (fixtures)

UKRAINIAN_TITLE = "Курси польської мови для сусідів"
UKRAINIAN_BODY = "Пропоную **розмовний клуб** щочетверга."


def proposal_form(**fields) -> dict:
    return {"title": UKRAINIAN_TITLE, "body": UKRAINIAN_BODY, "category_id": "", "cost": "", "needs": "",
            "round_id": "", "action": "submit", **fields}


def tag(page: str, pattern: str) -> str:
    """The opening tag of the first element matching ``pattern`` (a regex inside the tag)."""
    match = re.search(r"<[a-z0-9]+[^>]*" + pattern + r"[^>]*>", page)
    assert match, pattern
    return match.group(0)


def ukrainian_proposal(session, author, **kw) -> Proposal:
    proposal = make_proposal(session, author, title=UKRAINIAN_TITLE, **kw)
    proposal.language = "uk"
    session.commit()
    return proposal


def selected_language(page: str, form_marker: str = 'name="language"') -> str:
    select = re.search(r"<select[^>]*" + form_marker + r".*?</select>", page, re.S).group(0)
    return re.search(r'<option[^>]*selected[^>]*value="(\w+)"|<option[^>]*value="(\w+)"[^>]*selected',
                     select).group(0).split('value="')[1].split('"')[0]


# --- proposals -------------------------------------------------------------------------------------

def test_the_proposal_form_offers_the_languages_named_in_themselves_and_defaults_to_the_writers(
        client, users):
    client.login(users.resident(locale="uk"))
    page = client.get("/proposals/new").get_data(as_text=True)
    assert "Мова тексту" in page
    assert '<option lang="uk" selected value="uk">Українська</option>' in page
    assert '<option lang="pl" value="pl">Polski</option>' in page
    assert '<option lang="en" value="en">English</option>' in page


def test_a_proposal_keeps_the_language_it_was_written_in(client, users, session):
    author = users.resident(locale="uk")
    client.login(author)
    response = client.post("/proposals/new", proposal_form(language="uk"))
    assert response.status_code == 303
    proposal = session.scalars(sa.select(Proposal).where(Proposal.author_id == author.id)).one()
    assert proposal.language == "uk"
    edit = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert '<option lang="uk" selected value="uk">' in edit
    client.post(f"/proposals/{proposal.id}/edit", proposal_form(language="pl"))
    session.refresh(proposal)
    assert proposal.language == "pl"


def test_a_proposal_in_ukrainian_is_marked_on_polish_pages(client, users, session):
    proposal = ukrainian_proposal(session, users.resident())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'lang="uk"' in tag(page, 'id="proposal-title"')
    assert 'lang="uk"' in tag(page, 'class="prose user-text"')
    listing = client.get("/proposals").get_data(as_text=True)
    heading = re.search(rf'<h2 lang="uk"><a href="/proposals/{proposal.id}">([^<]*)</a>', listing)
    assert heading and heading.group(1) == UKRAINIAN_TITLE
    home = client.get("/").get_data(as_text=True)
    assert re.search(rf'<h3 lang="uk"><a href="/proposals/{proposal.id}">', home)


def test_the_same_proposal_is_not_marked_on_ukrainian_pages_and_a_polish_one_is(client, users, session):
    ukrainian = ukrainian_proposal(session, users.resident())
    polish = make_proposal(session, users.resident())
    client.login(users.resident(locale="uk"))
    page = client.get(f"/proposals/{ukrainian.id}").get_data(as_text=True)
    assert "lang=" not in tag(page, 'id="proposal-title"')
    assert "lang=" not in tag(page, 'class="prose user-text"')
    page = client.get(f"/proposals/{polish.id}").get_data(as_text=True)
    assert 'lang="pl"' in tag(page, 'id="proposal-title"')
    assert 'lang="pl"' in tag(page, 'class="prose user-text"')


def test_a_ukrainian_proposal_is_marked_in_the_round_and_on_the_ballot(client, users, session):
    round_ = make_round(session, Phase.VOTING)
    proposal = make_round_proposal(session, round_, title=UKRAINIAN_TITLE)
    proposal.language = "uk"
    session.commit()
    client.login(users.resident())
    detail = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert re.search(rf'<a href="[^"]*{proposal.id}[^"]*" lang="uk">', detail)
    ballot = client.get(f"/rounds/{round_.id}/vote").get_data(as_text=True)
    assert f'<span class="ballot-title" lang="uk">{UKRAINIAN_TITLE}</span>' in ballot


def test_an_activity_names_its_ukrainian_proposal_in_ukrainian(client, users, session):
    from tests.activities.factories import make_activity

    proposal = ukrainian_proposal(session, users.resident())
    activity = make_activity(session, proposal=proposal)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert f'lang="uk">{UKRAINIAN_TITLE}</a>' in page
    calendar = client.get("/activities").get_data(as_text=True)
    assert f'lang="uk">{UKRAINIAN_TITLE}</a>' in calendar


def test_an_unknown_language_is_refused_with_a_message_and_nothing_is_stored(client, users, session):
    author = users.resident()
    client.login(author)
    response = client.post("/proposals/new", proposal_form(language="ru"))
    assert response.status_code == 422
    assert "Wybierz jeden z języków z listy." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)
                          .where(Proposal.author_id == author.id)) == 0


def test_a_proposal_written_without_saying_its_language_is_polish(session, users):
    proposal = proposal_services.create_proposal(
        users.resident(), proposal_services.ProposalInput(title="Ogród na dachu", body="Opis"))
    assert proposal.language == "pl"
    assert proposal.status == Status.DRAFT


# --- comments --------------------------------------------------------------------------------------

def test_a_comment_keeps_its_language_and_is_marked_for_readers_of_another(client, users, session):
    proposal = make_proposal(session, users.resident())
    writer = users.resident(locale="uk")
    client.login(writer)
    thread = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert selected_language(thread, 'id="language-new"') == "uk"
    response = client.post(f"/proposals/{proposal.id}/comments",
                           {"body": "Я допоможу з перекладом!", "language": "uk"})
    assert response.status_code == 303
    comment = session.scalars(sa.select(Comment).where(Comment.author_id == writer.id)).one()
    assert comment.language == "uk"
    # The writer reads it in Ukrainian: no mark; the edit form keeps its language.
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "lang=" not in tag(page, 'class="comment-body prose"')
    edit_form = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)  # opened on demand
    assert selected_language(edit_form, f'id="language-edit-{comment.id}"') == "uk"
    # A Polish reader's page marks it.
    client.logout()
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'lang="uk"' in tag(page, 'class="comment-body prose"')


def test_editing_a_comment_can_correct_its_language(client, users, session):
    proposal = make_proposal(session, users.resident())
    writer = users.resident()
    comment = make_comment(session, proposal, writer, body="Я допоможу!")
    client.login(writer)
    response = client.post(f"/comments/{comment.id}/edit", {"body": "Я допоможу!", "language": "uk"})
    assert response.status_code == 303
    session.refresh(comment)
    assert comment.language == "uk"
    response = client.post(f"/comments/{comment.id}/edit", {"body": "Я допоможу!", "language": "xx"})
    assert response.status_code == 422
    assert "Wybierz jeden z języków z listy." in response.get_data(as_text=True)
    session.refresh(comment)
    assert comment.language == "uk"


def test_moderators_read_a_reported_comment_in_its_language(client, users, session):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident(), body="Купуйте дешеві вікна!")
    comment.language = "uk"
    session.commit()
    make_flag(session, users.resident(), comment=comment)
    client.login(users.make(role="moderator"))
    queue = client.get("/moderation").get_data(as_text=True)
    assert '<blockquote class="prose" lang="uk"><p>Купуйте дешеві вікна!' in queue


# --- news ------------------------------------------------------------------------------------------

def test_news_in_english_is_marked_on_pages_and_in_the_feed(client, users, session):
    client.login(users.make(role="moderator"))
    form = {"title": "Board games night", "body": "On **Friday** at 6 pm.", "language": "en",
            "round_id": "", "proposal_id": "", "activity_id": ""}
    assert client.post("/news/new", form).status_code == 303
    post = session.scalars(sa.select(NewsPost).where(NewsPost.title == "Board games night")).one()
    assert post.language == "en"
    page = client.get(f"/news/{post.id}").get_data(as_text=True)
    assert 'lang="en"' in tag(page, 'id="news-title"')
    assert 'lang="en"' in tag(page, 'class="prose"')
    listing = client.get("/news").get_data(as_text=True)
    assert 'lang="en"' in tag(listing, f'id="news-{post.id}-title"')
    feed = client.get("/news.atom").get_data(as_text=True)
    assert '<entry xml:lang="en">' in feed
    assert 'feed xmlns="http://www.w3.org/2005/Atom" xml:lang="pl"' in feed


def test_the_news_form_defaults_to_the_writers_language_and_polish_news_is_not_marked(
        client, users, session):
    client.login(users.make(role="moderator"))
    page = client.get("/news/new").get_data(as_text=True)
    assert selected_language(page) == "pl"
    form = {"title": "Planszówki", "body": "W piątek.", "language": "pl",
            "round_id": "", "proposal_id": "", "activity_id": ""}
    client.post("/news/new", form)
    post = session.scalars(sa.select(NewsPost).where(NewsPost.title == "Planszówki")).one()
    page = client.get(f"/news/{post.id}").get_data(as_text=True)
    assert "lang=" not in tag(page, 'id="news-title"')
    assert "<entry>" in client.get("/news.atom").get_data(as_text=True)


# --- API, exports and the migration ------------------------------------------------------------------

def test_the_api_and_the_proposals_export_carry_the_language(client, users, session):
    proposal = ukrainian_proposal(session, users.resident())
    data = client.get(f"/api/v1/proposals/{proposal.id}").get_json()
    assert data["language"] == "uk"
    client.login(users.make(role="steering"))
    csv = client.get("/data/proposals.csv").get_data(as_text=True)
    header, *rows = csv.lstrip("\ufeff").splitlines()
    assert header.split(";")[-2:] == ["Język tekstu", "Kod statusu"]
    row = next(r for r in rows if UKRAINIAN_TITLE in r)
    assert row.split(";")[-2:] == ["Українська", "submitted"]


def test_0012_gives_existing_texts_polish_and_refuses_unknown_languages(scratch_app):  # noqa: F811
    upgrade(revision="0011")
    db.session.execute(sa.text(
        "INSERT INTO news_posts (title, body, body_html, published_at, updated_at) "
        "VALUES ('Stara', 'Treść', '<p>Treść</p>', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    db.session.commit()
    upgrade(revision="0012")
    assert db.session.scalar(sa.text("SELECT language FROM news_posts WHERE title = 'Stara'")) == "pl"
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.text("UPDATE news_posts SET language = 'ru'"))
    db.session.rollback()
