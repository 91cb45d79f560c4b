"""In the browser, with JavaScript: a long discussion loads its next part in place, a reply form opens
under its comment, and after a deletion the focus lands on the next comment (or the heading), never on
<body>, with the deletion announced."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.auth.models import User
from app.db import db
from tests.discussion.factories import make_comment, make_proposal
from tests.e2e.conftest import login


def _thread(live, author_id: int, size: int) -> tuple[int, list[int]]:
    with live.app.app_context():
        person = db.session.get(User, author_id)
        proposal = make_proposal(db.session, person, title="Ławki przy stawie")
        ids = [make_comment(db.session, proposal, person, body=f"Głos numer {n}",
                            age=timedelta(minutes=size - n)).id for n in range(size)]
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id, ids


def test_the_next_part_loads_in_place_and_takes_the_focus(new_context, live_server):
    live = live_server
    author = live.make_user("resident")
    part = live.app.config["COMMENTS_PER_PART"]
    proposal_id, ids = _thread(live, author.id, part + 3)
    _, page, log = new_context(js=True)
    page.goto(f"/proposals/{proposal_id}")
    expect(page.locator("#discussion article")).to_have_count(part)
    page.get_by_role("link", name=live.t("pl", "Show more comments")).click()
    expect(page.locator("#discussion article")).to_have_count(part + 3)
    expect(page.locator(f"#comment-{ids[part]}")).to_be_focused()
    expect(page.get_by_role("link", name=live.t("pl", "Show more comments"))).to_have_count(0)
    assert page.url.endswith(f"/proposals/{proposal_id}")  # the page stayed where it was
    assert not log.uncaught()


def test_a_reply_form_opens_under_its_comment(new_context, live_server):
    live = live_server
    author, reader = live.make_user("resident"), live.make_user("resident")
    proposal_id, ids = _thread(live, author.id, 3)
    _, page, log = new_context(js=True)
    login(page, live, reader)
    page.goto(f"/proposals/{proposal_id}")
    expect(page.locator("#discussion textarea")).to_have_count(2)  # a new comment, a report
    page.locator(f"#comment-{ids[1]}").get_by_role("link", name=live.t("pl", "Reply")).click()
    reply = page.locator(f"#body-reply-{ids[1]}")
    expect(reply).to_be_focused()
    assert page.url.endswith(f"/proposals/{proposal_id}")  # in place, not the form's own page
    reply.fill("Zgadzam się z przedmówcą")
    page.get_by_role("button", name=live.t("pl", "Publish the reply")).click()
    answer = page.locator(f"#comment-{ids[1]} + ol.replies article")
    expect(answer).to_contain_text("Zgadzam się z przedmówcą")
    expect(answer).to_be_focused()
    assert not log.uncaught()


def test_after_a_deletion_the_focus_goes_to_the_next_comment_then_to_the_heading(new_context, live_server):
    live = live_server
    author = live.make_user("resident")
    proposal_id, ids = _thread(live, author.id, 2)
    _, page, log = new_context(js=True)
    login(page, live, author)
    page.goto(f"/proposals/{proposal_id}")
    page.on("dialog", lambda dialog: dialog.accept())
    deleted = live.t("pl", "Your comment is deleted.")

    page.locator(f"#comment-{ids[0]}").get_by_role("button", name=live.t("pl", "Delete")).click()
    expect(page.locator(f"#comment-{ids[0]}")).to_have_count(0)
    expect(page.locator(f"#comment-{ids[1]}")).to_be_focused()
    expect(page.locator("#flash-messages")).to_have_text(deleted)

    page.locator(f"#comment-{ids[1]}").get_by_role("button", name=live.t("pl", "Delete")).click()
    expect(page.locator("#discussion article")).to_have_count(0)
    expect(page.locator("#discussion-heading")).to_be_focused()
    expect(page.locator("#flash-messages")).to_have_text(deleted)
    assert page.evaluate("document.activeElement.tagName") == "H2"
    assert not log.uncaught()
