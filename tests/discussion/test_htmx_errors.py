"""HTMX requests that fail: refusals the thread can show are swapped in place; anything else comes back
as a one-line message (X-MAM-Error) that mam.js puts next to the control, never a whole page inside
the thread."""

from __future__ import annotations

from tests.discussion.factories import make_comment, make_proposal
from tests.discussion.test_routes import snapshot

HTMX = {"HX-Request": "true"}


def test_a_blank_reason_from_the_thread_comes_back_in_the_thread(client, users, session):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident(), body="Komentarz do oceny")
    client.login(users.moderator())
    before = snapshot(session)
    for headers in (HTMX, {}):
        response = client.post(f"/moderation/comments/{comment.id}/hide", {"reason": "   ", "from": "thread"},
                               headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Podaj powód." in page and "Komentarz do oceny" in page  # the thread, not the queue
        assert f'id="reason-hide-comment-{comment.id}"' in page and 'aria-invalid="true"' in page
        assert ("<html" in page) == (headers == {})
    assert snapshot(session) == before


def test_a_refusal_the_thread_cannot_show_is_a_one_line_message(client, users, session):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident())
    client.login(users.resident())  # not the author
    response = client.post(f"/comments/{comment.id}/delete", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 403 and response.headers["X-MAM-Error"] == "1"
    assert "<html" not in fragment and 'id="discussion"' not in fragment
    assert "Możesz usuwać tylko własne komentarze." in fragment
    assert "HX-Request" in response.headers["Vary"]


def test_without_htmx_the_refusal_is_a_whole_page(client, users, session):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident())
    client.login(users.resident())
    response = client.post(f"/comments/{comment.id}/delete")
    assert response.status_code == 403 and "X-MAM-Error" not in response.headers
    assert "<html" in response.get_data(as_text=True)


def test_an_expired_form_over_htmx_says_so(client, users, session):
    proposal = make_proposal(session, users.resident())
    client.login(users.resident())
    response = client.post(f"/proposals/{proposal.id}/comments", {"body": "Hej", "csrf_token": "stary"},
                           headers=HTMX)
    assert response.status_code == 400 and response.headers["X-MAM-Error"] == "1"
    assert "Formularz wygasł" in response.get_data(as_text=True)
