"""A long discussion in parts: "show more" links (HTMX loads the next part in place), permalinks that open
the part holding a comment, forms opened on demand, focus after a deletion, and a fixed number of
statements whatever the thread's length."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.discussion.models import Comment, CommentState
from tests.discussion.factories import make_comment, make_proposal
from tests.queries import count_queries

HX = {"HX-Request": "true"}
MORE = "Pokaż więcej komentarzy"
EARLIER = "Pokaż wcześniejsze komentarze"
DELETED = "Twój komentarz został usunięty."


@pytest.fixture
def part_size(app, monkeypatch):
    monkeypatch.setitem(app.config, "COMMENTS_PER_PART", 5)
    return 5


def thread_of(session, author, people, size: int):
    """A proposal with ``size`` comments, one a minute, oldest first, each by one of ``people``."""
    proposal = make_proposal(session, author)
    comments = [make_comment(session, proposal, people[n % len(people)], body=f"Głos numer {n}",
                             age=timedelta(minutes=size - n)) for n in range(size)]
    return proposal, comments


def shown(html: str) -> list[int]:
    """The ids of the comments on the page, in order."""
    return [int(n) for n in re.findall(r'<article id="comment-(\d+)"', html)]


def link(html: str, text: str) -> str | None:
    match = re.search(r'<a href="([^"]+)"[^>]*>\s*' + re.escape(text), html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_thread_is_shown_in_parts_with_links_to_the_next_and_the_earlier(client, users, session,
                                                                             part_size):
    proposal, comments = thread_of(session, users.resident(), [users.resident()], 12)
    ids = [c.id for c in comments]

    first = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert shown(first) == ids[:5]
    assert "(12 komentarzy)" in first  # the heading counts the whole discussion
    assert EARLIER not in first
    more = link(first, MORE)
    assert more == f"/proposals/{proposal.id}?comment={ids[5]}#comment-{ids[5]}"

    second = client.get(more).get_data(as_text=True)
    assert shown(second) == ids[5:10]
    assert link(second, EARLIER) == f"/proposals/{proposal.id}?comment={ids[4]}#comment-{ids[4]}"
    third = client.get(link(second, MORE)).get_data(as_text=True)
    assert shown(third) == ids[10:]
    assert MORE not in third
    assert shown(client.get(link(third, EARLIER)).get_data(as_text=True)) == ids[5:10]


def test_with_htmx_the_next_part_loads_in_place_of_the_link(client, users, session, part_size):
    proposal, comments = thread_of(session, users.resident(), [users.resident()], 8)
    ids = [c.id for c in comments]
    first = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    [hx_get] = re.findall(
        r'data-hx-get="([^"]+)"\s+data-hx-target="closest \.thread-more" data-hx-swap="outerHTML"', first)
    assert hx_get == f"/proposals/{proposal.id}/discussion/part?start={ids[5]}"

    response = client.get(hx_get, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<div class="thread-part">')
    assert shown(html) == ids[5:]
    # Focus goes to the first comment loaded; there is nothing more to load.
    assert re.search(rf'<article id="comment-{ids[5]}"[^>]*data-autofocus', html)
    assert MORE not in html

    # Without JavaScript the same address shows the discussion page at that part.
    page = client.get(hx_get).get_data(as_text=True)
    assert "<html" in page and shown(page) == ids[5:]


def test_a_permalink_opens_the_part_that_holds_the_comment(client, users, session, part_size):
    author, neighbour = users.resident(), users.resident()
    proposal, comments = thread_of(session, author, [author], 9)
    # A late reply to the first comment is shown right below it: on the first part.
    reply = make_comment(session, proposal, neighbour, body="Późna odpowiedź", parent=comments[0])
    later = comments[7]

    html = client.get(f"/proposals/{proposal.id}?comment={later.id}").get_data(as_text=True)
    assert later.id in shown(html) and comments[0].id not in shown(html)
    permalink = f"/proposals/{proposal.id}?comment={later.id}#comment-{later.id}"
    assert f'href="{permalink}" class="comment-time"' in html

    first = client.get(f"/proposals/{proposal.id}?comment={reply.id}").get_data(as_text=True)
    assert shown(first)[:2] == [comments[0].id, reply.id]
    # An unknown or malformed comment in the address shows the first part.
    for wrong in ("987654", "abc", "-1"):
        assert shown(client.get(f"/proposals/{proposal.id}?comment={wrong}").get_data(as_text=True)) == \
            shown(client.get(f"/proposals/{proposal.id}").get_data(as_text=True))


def test_notifications_and_the_moderation_queue_link_to_the_part(app, client, users, session, part_size):
    from app.discussion.links import comment_url

    proposal, comments = thread_of(session, users.resident(), [users.resident()], 11)
    with app.test_request_context():
        url = comment_url(comments[10])
        external = comment_url(comments[10], external=True)
    assert url == f"/proposals/{proposal.id}?comment={comments[10].id}#comment-{comments[10].id}"
    assert external.endswith(url)
    assert shown(client.get(url).get_data(as_text=True)) == [comments[10].id]


def test_a_reply_whose_parent_is_on_an_earlier_part_says_what_it_answers(client, users, session, part_size):
    first_author, second_author = users.resident(name="Halina Nowak"), users.resident()
    proposal = make_proposal(session, first_author)
    root = make_comment(session, proposal, first_author, body="Pierwszy", age=timedelta(hours=2))
    replies = [make_comment(session, proposal, second_author, body=f"Odpowiedź {n}", parent=root,
                            age=timedelta(minutes=60 - n)) for n in range(7)]
    html = client.get(f"/proposals/{proposal.id}?comment={replies[6].id}").get_data(as_text=True)
    assert shown(html) == [replies[4].id, replies[5].id, replies[6].id]
    context = f'<a href="/proposals/{proposal.id}?comment={root.id}#comment-{root.id}">' \
              "W odpowiedzi na wcześniejszy komentarz (Halina Nowak)</a>"
    assert html.count(context) == 3


def test_a_deleted_comment_left_out_of_the_thread_still_has_a_part(client, users, session, part_size):
    author = users.resident()
    proposal, comments = thread_of(session, author, [author], 7)
    gone = make_comment(session, proposal, author, state=CommentState.DELETED)
    html = client.get(f"/proposals/{proposal.id}?comment={gone.id}").get_data(as_text=True)
    assert shown(html) == [c.id for c in comments[5:]]  # the last part, where it was


# --- forms on demand ---------------------------------------------------------------------------


def test_the_page_links_to_forms_instead_of_rendering_one_per_comment(client, users, session):
    author, reader = users.resident(), users.resident()
    proposal, comments = thread_of(session, author, [author], 6)
    mine = make_comment(session, proposal, reader, body="Mój głos")
    client.login(reader)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert html.count("<textarea") == 2  # a new comment, a report on the proposal; nothing per comment
    for c in comments:
        assert f'href="/comments/{c.id}/reply#comment-{c.id}" data-hx-get="/comments/{c.id}/reply" ' \
               f'data-hx-target="#comment-{c.id}-form"' in html
        assert f'href="/comments/{c.id}/flag#comment-{c.id}"' in html
        assert f"/comments/{c.id}/edit" not in html
        assert f'id="comment-{c.id}-form"' in html
    assert f'href="/comments/{mine.id}/edit#comment-{mine.id}"' in html
    assert f"/comments/{mine.id}/flag" not in html
    assert "/moderation/comments/" not in html

    client.login(users.moderator())
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/moderation/comments/{comments[0].id}/hide#comment-{comments[0].id}"' in html


def test_without_javascript_a_form_link_opens_the_discussion_at_the_comment(client, users, session,
                                                                            part_size):
    author, reader = users.resident(), users.resident()
    proposal, comments = thread_of(session, author, [author], 12)
    target = comments[11]
    client.login(reader)
    response = client.get(f"/comments/{target.id}/reply")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert target.id in shown(html)  # the part holding it, not the first
    assert html.count("<textarea") == 3  # the reply, besides the page's two
    form = html[html.index(f'id="comment-{target.id}-form"'):]
    assert f'<input type="hidden" name="parent_id" value="{target.id}">' in form
    assert 'name="csrf_token"' in form
    assert re.search(rf'<textarea id="body-reply-{target.id}"[^>]*autofocus', form)
    assert f'href="/proposals/{proposal.id}?comment={target.id}#comment-{target.id}">Anuluj</a>' in form

    # Sending it works without JavaScript: back to the reply, on the part holding it.
    response = client.post(f"/proposals/{proposal.id}/comments",
                           {"body": "Zgadzam się", "parent_id": target.id})
    assert response.status_code == 303
    reply = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zgadzam się" in reply and target.id in shown(reply)


def test_with_htmx_a_form_link_gets_the_form_alone(client, users, session):
    author, reader = users.resident(), users.resident()
    proposal, comments = thread_of(session, author, [author], 3)
    mine = make_comment(session, proposal, reader, body="Mój głos")
    client.login(reader)
    cases = {
        f"/comments/{comments[0].id}/reply": f'data-hx-post="/proposals/{proposal.id}/comments"',
        f"/comments/{comments[0].id}/flag": f'data-hx-post="/comments/{comments[0].id}/flag"',
        f"/comments/{mine.id}/edit": f'data-hx-post="/comments/{mine.id}/edit"',
    }
    for url, action in cases.items():
        response = client.get(url, headers=HX)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "<html" not in html and "<article" not in html
        assert action in html and 'data-hx-target="#discussion-body"' in html
        assert 'name="csrf_token"' in html and " autofocus" in html
    assert "Mój głos</textarea>" in client.get(f"/comments/{mine.id}/edit", headers=HX).get_data(as_text=True)


def test_forms_on_demand_keep_the_permission_rules(client, users, session):
    author, reader = users.resident(), users.resident()
    proposal, comments = thread_of(session, author, [author], 1)
    [comment] = comments
    assert client.get(f"/comments/{comment.id}/reply").status_code == 302  # to sign in
    client.login(reader)
    assert client.get(f"/comments/{comment.id}/edit", headers=HX).status_code == 403
    assert client.get(f"/moderation/comments/{comment.id}/hide", headers=HX).status_code == 403
    client.login(author)
    response = client.get(f"/comments/{comment.id}/flag")
    assert response.status_code == 403
    assert "Nie możesz zgłosić własnego komentarza." in response.get_data(as_text=True)
    client.login(users.moderator())
    html = client.get(f"/moderation/comments/{comment.id}/hide", headers=HX).get_data(as_text=True)
    assert f'data-hx-post="/moderation/comments/{comment.id}/hide"' in html
    assert '<input type="hidden" name="from" value="thread">' in html


def test_a_refused_reply_on_a_later_part_comes_back_under_its_comment(client, users, session, part_size):
    author, reader = users.resident(), users.resident()
    proposal, comments = thread_of(session, author, [author], 12)
    target = comments[11]
    client.login(reader)
    response = client.post(f"/proposals/{proposal.id}/comments", {"body": "", "parent_id": target.id},
                           headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert target.id in shown(html)
    form = html[html.index(f'id="comment-{target.id}-form"'):]
    assert re.search(rf'<textarea id="body-reply-{target.id}"[^>]*aria-invalid="true" data-autofocus', form)


# --- focus after a deletion (issue 17) ---------------------------------------------------------


def test_after_deleting_a_comment_focus_goes_to_the_next_one_and_the_deletion_is_announced(client, users,
                                                                                          session):
    author = users.resident()
    proposal, comments = thread_of(session, author, [author], 3)
    client.login(author)
    response = client.post(f"/comments/{comments[1].id}/delete", confirm=True, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert shown(html) == [comments[0].id, comments[2].id]
    assert re.findall(r'<[^>]*data-autofocus[^>]*>', html) == [
        f'<article id="comment-{comments[2].id}" aria-labelledby="comment-{comments[2].id}-by" '
        'data-autofocus tabindex="-1">']
    assert f'data-announce="{DELETED}"' in html


def test_after_deleting_the_last_comment_focus_goes_to_the_heading(client, users, session):
    author = users.resident()
    proposal, comments = thread_of(session, author, [author], 2)
    client.login(author)
    html = client.post(f"/comments/{comments[1].id}/delete", confirm=True, headers=HX).get_data(as_text=True)
    assert re.findall(r'<[^>]*data-autofocus[^>]*>', html) == [
        '<h2 id="discussion-heading" tabindex="-1" data-autofocus>']
    assert f'data-announce="{DELETED}"' in html

    # A deleted comment with replies stays as a placeholder, and takes the focus.
    reply = make_comment(session, proposal, users.resident(), parent=comments[0])
    html = client.post(f"/comments/{comments[0].id}/delete", confirm=True, headers=HX).get_data(as_text=True)
    assert shown(html) == [comments[0].id, reply.id]
    [focused] = re.findall(r'<[^>]*data-autofocus[^>]*>', html)
    assert focused.startswith(f'<article id="comment-{comments[0].id}"')


def test_without_javascript_a_deletion_returns_to_the_same_part(client, users, session, part_size):
    author = users.resident()
    proposal, comments = thread_of(session, author, [author], 12)
    client.login(author)
    response = client.post(f"/comments/{comments[8].id}/delete", confirm=True)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/proposals/{proposal.id}?comment={comments[8].id}#discussion"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert DELETED in html and shown(html) == [comments[n].id for n in (5, 6, 7, 9, 10)]


# --- statements --------------------------------------------------------------------------------


def _bulk_comments(session, proposal, people, size: int) -> None:
    """``size`` threaded comments (a third start a thread, the rest answer an earlier one)."""
    parent = None
    for n in range(size):
        comment = Comment(proposal_id=proposal.id, author_id=people[n % len(people)].id, body=f"k{n}",
                          body_html=f"<p>k{n}</p>", parent_id=parent.id if parent and n % 3 else None)
        session.add(comment)
        session.flush()
        parent = comment if n % 3 == 0 else parent
    proposal.comment_count = size
    session.commit()


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "moderator"])
def test_the_proposal_page_runs_the_same_statements_for_5_or_400_comments(app, client, users, session,
                                                                           viewer):
    people = [users.resident() for _ in range(5)]
    small, large = make_proposal(session, people[0]), make_proposal(session, people[0])
    _bulk_comments(session, small, people, 5)
    _bulk_comments(session, large, people, 400)
    if viewer != "anonymous":
        client.login(users.moderator() if viewer == "moderator" else users.resident())
    client.get("/")  # warm up

    for url in ("/proposals/{id}", "/proposals/{id}/discussion", "/proposals/{id}?comment={last}"):
        counts = []
        for proposal in (small, large):
            last = max(c.id for c in session.query(Comment).filter_by(proposal_id=proposal.id))
            with count_queries(app) as statements:
                response = client.get(url.format(id=proposal.id, last=last))
            assert response.status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], (url, counts)
        assert len(shown(response.get_data(as_text=True))) == app.config["COMMENTS_PER_PART"]
