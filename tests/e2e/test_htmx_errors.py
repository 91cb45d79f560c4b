"""In the browser: when an HTMX action is refused (here: deleting a comment already deleted from another
tab), the reason appears next to the button and takes the focus; the thread stays as it was."""

from __future__ import annotations

from playwright.sync_api import expect

from app.auth.models import User
from app.db import db
from tests.discussion.factories import make_comment, make_proposal
from tests.e2e.conftest import login


def test_a_refused_htmx_action_is_explained_next_to_its_button(new_context, live_server):
    live = live_server
    author = live.make_user("resident")
    with live.app.app_context():
        person = db.session.get(User, author.id)
        proposal = make_proposal(db.session, person, title="Ławki przy stawie")
        make_comment(db.session, proposal, person, body="Mój komentarz do usunięcia")
        proposal_id = proposal.id
        db.session.remove()
    context, first, log = new_context(js=True)
    login(first, live, author)
    second = context.new_page()
    for page in (first, second):
        page.goto(f"/proposals/{proposal_id}")
        page.on("dialog", lambda dialog: dialog.accept())
    delete = live.t("pl", "Delete")

    first.locator(".comment-actions").get_by_role("button", name=delete).click()
    expect(first.locator("#discussion")).not_to_contain_text("Mój komentarz do usunięcia")

    second.locator(".comment-actions").get_by_role("button", name=delete).click()
    error = second.locator(".htmx-error")
    expect(error).to_contain_text(live.t("pl", "This comment has already been removed."))
    expect(error).to_be_focused()
    expect(second.locator("#discussion")).to_contain_text("Mój komentarz do usunięcia")  # left as it was
    assert not log.uncaught()
