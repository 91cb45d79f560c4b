"""The discussion over HTTP: who may do what, HTMX and plain posts, limits, the moderation queue."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import db
from app.discussion.models import Comment, CommentState, Flag
from app.proposals.models import Proposal
from tests.discussion.factories import make_comment, make_flag, make_proposal

ROLES = ("anonymous", "unverified", "resident", "moderator", "steering", "admin")
STAFF = {"moderator", "admin"}
ACCESS_DENIED = "Brak dostępu"
TOO_FAST = "Publikujesz szybciej, niż pozwala dyskusja."


def snapshot(session) -> dict[str, list]:
    session.expire_all()
    return {
        table.name: session.execute(sa.select(table).order_by(table.c.id)).all()
        for table in (Comment.__table__, Flag.__table__, Proposal.__table__, AuditEvent.__table__)
    }


@pytest.fixture
def scene(session, users):
    """A public proposal by one resident, with a fresh comment by another, reported once."""
    proposal_author = users.resident()
    comment_author = users.resident()
    proposal = make_proposal(session, proposal_author)
    comment = make_comment(session, proposal, comment_author, body="Chętnie pomogę przy **sadzeniu**.")
    make_flag(session, users.resident(), comment=comment, reason="Nie na temat")
    make_flag(session, users.resident(), proposal=proposal, reason="Reklama firmy")
    return {"proposal": proposal, "comment": comment, "comment_author": comment_author}


# (action, method path, form data, who may) — "author" is the comment's author.
ACTIONS = {
    "comment": ("/proposals/{p}/comments", {"body": "Nowy *głos* sąsiada"}, "signed_in"),
    "reply": ("/proposals/{p}/comments", {"body": "Odpowiadam", "parent_id": "{c}"}, "signed_in"),
    "edit": ("/comments/{c}/edit", {"body": "Poprawka"}, "author"),
    "delete": ("/comments/{c}/delete", {}, "author"),
    "flag comment": ("/comments/{c}/flag", {"reason": "Obraźliwe"}, "not_author"),
    "flag proposal": ("/proposals/{p}/flag", {"reason": "Spam"}, "signed_in"),
    "hide comment": ("/moderation/comments/{c}/hide", {"reason": "Wulgaryzmy"}, "staff"),
    "dismiss comment flags": ("/moderation/comments/{c}/dismiss", {}, "staff"),
    "hide proposal": ("/moderation/proposals/{p}/hide", {"reason": "Reklama"}, "staff"),
    "dismiss proposal flags": ("/moderation/proposals/{p}/dismiss", {}, "staff"),
}


def allowed(rule: str, role: str) -> bool:
    return {
        "signed_in": role not in ("anonymous",),
        "author": role == "author",
        "not_author": role not in ("anonymous", "author"),
        "staff": role in STAFF,
    }[rule]


def changed(action: str, before: dict, after: dict, scene, actor) -> None:
    """What a carried-out action must have written."""
    comments_before, comments_after = before["comments"], after["comments"]
    by_id = {row.id: row for row in comments_after}
    comment = by_id[scene["comment"].id]
    if action in ("comment", "reply"):
        [new] = [row for row in comments_after if row.id not in {r.id for r in comments_before}]
        assert new.author_id == actor.id
        assert new.parent_id == (scene["comment"].id if action == "reply" else None)
        [proposal] = after["proposals"]
        assert proposal.comment_count == 2
    elif action == "edit":
        assert comment.body == "Poprawka" and comment.edited_at is not None
    elif action == "delete":
        # The scene's comment is reported: its text stays for the moderators (test_restore.py).
        assert comment.state == "deleted" and comment.body == "Chętnie pomogę przy **sadzeniu**."
        assert after["proposals"][0].comment_count == 0
    elif action == "flag comment":
        assert len(after["flags"]) == len(before["flags"]) + 1
        assert after["flags"][-1].reporter_id == actor.id and after["flags"][-1].comment_id == comment.id
    elif action == "flag proposal":
        assert len(after["flags"]) == len(before["flags"]) + 1
        assert after["flags"][-1].proposal_id == scene["proposal"].id
    elif action == "hide comment":
        assert comment.state == "hidden" and comment.hidden_reason == "Wulgaryzmy"
        assert after["audit_events"][-1].action == "comment.hidden"
    elif action == "hide proposal":
        assert after["proposals"][0].hidden_reason == "Reklama"
        assert after["audit_events"][-1].action == "proposal.hidden"
    else:
        assert after["audit_events"][-1].action.endswith("flags_dismissed")
        assert sum(1 for flag in after["flags"] if flag.resolution == "dismissed") == 1


@pytest.mark.parametrize("role", [*ROLES, "author"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(action, role, client, users, session, scene):
    path, data, rule = ACTIONS[action]
    actor = scene["comment_author"] if role == "author" else users.for_role(role)
    if actor is not None:
        client.login(actor)
    ids = {"p": scene["proposal"].id, "c": scene["comment"].id}
    url = path.format(**ids)
    form = {key: value.format(**ids) for key, value in data.items()}
    before = snapshot(session)

    response = client.post(url, form, confirm=True)

    after = snapshot(session)
    if allowed(rule, role):
        assert response.status_code == 303, response.get_data(as_text=True)[:1000]
        changed(action, before, after, scene, actor)
    else:
        expected = 302 if role == "anonymous" else 403
        if action == "flag comment" and role == "author":
            expected = 409  # "You cannot report your own comment. You can delete it."
        assert response.status_code == expected, response.get_data(as_text=True)[:1000]
        if expected in (403, 409):
            assert (ACCESS_DENIED in response.get_data(as_text=True)) == (expected == 403)
        assert after == before, "a refused request wrote to the database"


def test_edit_after_15_minutes_is_refused_over_http(client, session, scene):
    comment = scene["comment"]
    comment.created_at = comment.created_at - timedelta(minutes=15, seconds=5)
    session.commit()
    client.login(scene["comment_author"])
    before = snapshot(session)
    response = client.post(f"/comments/{comment.id}/edit", {"body": "Za późno"})
    assert response.status_code == 403
    assert "Komentarz można edytować tylko przez 15 minut" in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_unconfirmed_email_cannot_comment_over_http(client, users, session, scene):
    client.login(users.make(email_verified=False))
    before = snapshot(session)
    response = client.post(f"/proposals/{scene['proposal'].id}/comments", {"body": "Cześć"})
    assert response.status_code == 403
    assert "Potwierdź swój adres e-mail" in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_no_comments_on_drafts(client, users, session):
    author = users.resident()
    draft = make_proposal(session, author, status="draft")
    client.login(author)
    assert client.get(f"/proposals/{draft.id}/discussion").status_code == 404
    assert client.post(f"/proposals/{draft.id}/comments", {"body": "Hej"}).status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


# --- HTMX and plain posts --------------------------------------------------------------------------


def test_plain_post_redirects_to_the_new_comment(client, users, session, scene):
    client.login(users.resident())
    response = client.post(f"/proposals/{scene['proposal'].id}/comments", {"body": "Bez JS-a"})
    new_id = session.scalar(sa.select(sa.func.max(Comment.id)))
    assert response.status_code == 303
    assert response.headers["Location"] == (
        f"/proposals/{scene['proposal'].id}?comment={new_id}#comment-{new_id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Twój komentarz został opublikowany." in page
    assert f'id="comment-{new_id}"' in page and "Bez JS-a" in page


def test_htmx_post_returns_the_thread_focused_on_the_new_comment(client, users, session, scene):
    client.login(users.resident())
    response = client.post(f"/proposals/{scene['proposal'].id}/comments",
                           {"body": "Przez **HTMX**", "parent_id": str(scene["comment"].id)},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    new_id = session.scalar(sa.select(sa.func.max(Comment.id)))
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" not in html and "<strong>HTMX</strong>" in html
    assert re.search(rf'<article id="comment-{new_id}"[^>]*data-autofocus', html)
    assert 'data-announce="Twój komentarz został opublikowany."' in html
    assert "(2 komentarze)" in html


def test_htmx_validation_error_comes_back_in_the_fragment(client, users, session, scene):
    client.login(users.resident())
    before = snapshot(session)
    response = client.post(f"/proposals/{scene['proposal'].id}/comments", {"body": "x" * 100_000},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in html
    assert "To pole może mieć najwyżej 5000 znaków." in html
    assert 'aria-invalid="true" data-autofocus' in html
    assert snapshot(session) == before


def test_plain_validation_error_shows_the_discussion_page(client, users, session, scene):
    client.login(users.resident())
    response = client.post(f"/proposals/{scene['proposal'].id}/comments", {"body": "zero\x00bajt"})
    assert response.status_code == 422
    assert "To pole zawiera niedozwolone znaki." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_reporting_twice_is_explained_in_place(client, users, session, scene):
    client.login(users.resident())
    url = f"/comments/{scene['comment'].id}/flag"
    assert client.post(url, {"reason": "Spam"}, headers={"HX-Request": "true"}).status_code == 200
    response = client.post(url, {"reason": "Spam"}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "Już to zgłoszono." in response.get_data(as_text=True)


def test_rate_limit_has_a_clear_message_with_and_without_htmx(client, users, session, scene, app,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_COMMENTS", "2 per minute")
    client.login(users.resident())
    url = f"/proposals/{scene['proposal'].id}/comments"
    assert client.post(url, {"body": "Raz"}).status_code == 303
    assert client.post(url, {"body": "Dwa"}).status_code == 303
    before = snapshot(session)

    plain = client.post(url, {"body": "Trzy"})
    htmx = client.post(url, {"body": "Trzy"}, headers={"HX-Request": "true"})

    assert plain.status_code == 429 and TOO_FAST in plain.get_data(as_text=True)
    assert htmx.status_code == 429
    assert TOO_FAST in htmx.get_data(as_text=True) and "<html" not in htmx.get_data(as_text=True)
    assert snapshot(session) == before


# --- what the thread shows -------------------------------------------------------------------------


def test_thread_shows_placeholders_reasons_edits_and_escapes_names(client, users, session):
    proposal = make_proposal(session, users.resident())
    gone = make_comment(session, proposal, users.resident(), state=CommentState.DELETED, count=False)
    make_comment(session, proposal, users.resident(), body="Odpowiedź na usunięty", parent=gone)
    make_comment(session, proposal, users.resident(), state=CommentState.DELETED, count=False)
    make_comment(session, proposal, users.resident(), state=CommentState.HIDDEN, count=False,
                 body="Tajny obraźliwy tekst")
    edited = make_comment(session, proposal, users.resident(), body="Po poprawce")
    edited.edited_at = edited.created_at + timedelta(minutes=3)
    session.commit()

    html = client.get(f"/proposals/{proposal.id}/discussion").get_data(as_text=True)

    assert html.count("Komentarz usunięty") == 1  # the one with a reply; the other disappears
    assert "Odpowiedź na usunięty" in html
    assert "Ukryty przez moderatora. Powód: Obraźliwy język" in html
    assert "Tajny obraźliwy tekst" not in html
    assert "edytowany" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "(2 komentarze)" in html


def test_the_proposal_page_includes_the_discussion(client, users, session, scene):
    html = client.get(f"/proposals/{scene['proposal'].id}").get_data(as_text=True)
    assert 'id="discussion"' in html and "Chętnie pomogę przy <strong>sadzeniu</strong>." in html
    assert "aby wziąć udział w dyskusji." in html  # anonymous visitors are invited to sign in


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


@pytest.mark.parametrize("viewer", ["anonymous", "moderator"])
def test_thread_runs_a_fixed_number_of_queries(client, users, session, viewer):
    people = [users.resident() for _ in range(5)]
    small, large = make_proposal(session, people[0]), make_proposal(session, people[0])
    for proposal, size in ((small, 5), (large, 200)):
        parent = None
        for n in range(size):
            comment = Comment(proposal_id=proposal.id, author_id=people[n % 5].id, body=f"k{n}",
                              body_html=f"<p>k{n}</p>", parent_id=parent.id if parent and n % 3 else None)
            session.add(comment)
            session.flush()
            parent = comment if n % 3 == 0 else parent
        session.commit()
    if viewer != "anonymous":
        client.login(users.moderator())
    client.get("/")  # warm up

    counts = []
    for proposal in (small, large):
        with counted_queries() as statements:
            response = client.get(f"/proposals/{proposal.id}/discussion")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    # One part of the thread (the rest: "show more comments", tests/discussion/test_thread_parts.py).
    assert response.get_data(as_text=True).count('class="comment comment-visible"') == 25


# --- moderation queue ------------------------------------------------------------------------------


def test_queue_groups_flags_by_target_with_text_and_reasons(client, users, session, scene):
    make_flag(session, users.resident(), comment=scene["comment"], reason="Zaczepki")
    client.login(users.moderator())
    html = client.get("/moderation").get_data(as_text=True)
    assert "2 zgłoszone treści" in html
    assert "Chętnie pomogę przy <strong>sadzeniu</strong>." in html
    assert "Nie na temat" in html and "Zaczepki" in html and "Reklama firmy" in html
    assert html.count("2 zgłoszenia") == 1 and html.count("1 zgłoszenie") == 1


def test_queue_paginates_and_empties_after_decisions(client, users, session, scene, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 1)
    moderator = users.moderator()
    client.login(moderator)
    first = client.get("/moderation").get_data(as_text=True)
    second = client.get("/moderation?page=2").get_data(as_text=True)
    assert "page=2" in first and "Nie na temat" in first and "Reklama firmy" not in first
    assert "Reklama firmy" in second

    comment_id, proposal_id = scene["comment"].id, scene["proposal"].id
    hidden = client.post(f"/moderation/comments/{comment_id}/hide", {"reason": "Nie na temat"})
    dismissed = client.post(f"/moderation/proposals/{proposal_id}/dismiss", confirm=True)
    assert hidden.status_code == dismissed.status_code == 303
    assert hidden.headers["Location"] == "/moderation"
    html = client.get("/moderation").get_data(as_text=True)
    assert "Brak otwartych zgłoszeń." in html


def test_hide_without_reason_is_refused_with_422(client, users, session, scene):
    client.login(users.moderator())
    before = snapshot(session)
    response = client.post(f"/moderation/comments/{scene['comment'].id}/hide", {"reason": ""})
    assert response.status_code == 422
    assert "Podaj powód." in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_hiding_from_the_thread_with_htmx_updates_it_in_place(client, users, session, scene):
    client.login(users.moderator())
    response = client.post(f"/moderation/comments/{scene['comment'].id}/hide",
                           {"reason": "Nie na temat", "from": "thread"}, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Ukryty przez moderatora. Powód: Nie na temat" in html
