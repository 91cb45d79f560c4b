"""In the browser: final actions confirm on a page of their own without JavaScript ("Tak, …" acts, "Nie,
wróć" goes back and changes nothing), and in one step through the dialog with JavaScript."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from app.activities.models import Signup
from app.auth.models import User
from app.db import db
from app.news.models import NewsPost
from app.proposals.models import Proposal
from tests.activities.factories import make_activity, sign
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_violations, describe
from tests.news.route_cases import news_post
from tests.proposals.factories import make_proposal


def _read(live, model, id_, column):
    with live.app.app_context():
        row = db.session.get(model, id_)
        value = None if row is None else getattr(row, column)
        db.session.remove()
    return value


def _confirmation_page(page, live, sentence: str) -> None:
    expect(page.locator("h1")).to_have_text(live.t("pl", "Are you sure?"))
    expect(page.locator("main .notice")).to_have_text(sentence)


def test_withdrawing_a_proposal_without_javascript(new_context, live_server):
    live = live_server
    author = live.make_user("resident")
    title = f"Ławki przy stawie {uuid.uuid4().hex[:6]}"
    with live.app.app_context():
        proposal_id = make_proposal(db.session, db.session.get(User, author.id), title=title).id
        db.session.remove()
    _, page, log = new_context(js=False)
    login(page, live, author)
    show = f"{live.url}/proposals/{proposal_id}"
    sentence = live.t("pl", "You will withdraw the proposal “%(title)s”. It cannot be restored.", title=title)
    withdraw = page.locator(f"form[action='/proposals/{proposal_id}/withdraw'] button")

    # "Nie, wróć": back on the proposal, still submitted.
    page.goto(show)
    withdraw.click()
    _confirmation_page(page, live, sentence)
    page.get_by_role("link", name=live.t("pl", "No, go back")).click()
    expect(page).to_have_url(show)
    assert _read(live, Proposal, proposal_id, "status") == "submitted"

    # "Tak, wycofaj propozycję": withdrawn.
    withdraw.click()
    _confirmation_page(page, live, sentence)
    page.get_by_role("button", name=live.t("pl", "Yes, withdraw the proposal"), exact=True).click()
    expect(page).to_have_url(show)
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "Your proposal is withdrawn."))
    assert _read(live, Proposal, proposal_id, "status") == "withdrawn"
    assert not log.uncaught()


def test_cancelling_a_sign_up_without_javascript(new_context, live_server):
    live = live_server
    person = live.make_user("resident")
    title = f"Sprzątanie podwórka {uuid.uuid4().hex[:6]}"
    with live.app.app_context():
        activity = make_activity(db.session, capacity=10, title=title)
        activity_id = activity.id
        signup_id = sign(db.session, activity, db.session.get(User, person.id)).id
        db.session.remove()
    _, page, log = new_context(js=False)
    login(page, live, person)
    show = f"{live.url}/activities/{activity_id}"
    sentence = live.t(
        "pl", "You will cancel your sign-up for “%(title)s”. Your place may go to someone else.", title=title
    )
    cancel = page.get_by_role("button", name=live.t("pl", "Cancel my sign-up"), exact=True)

    page.goto(show)
    cancel.click()
    _confirmation_page(page, live, sentence)
    page.get_by_role("link", name=live.t("pl", "No, go back")).click()
    expect(page).to_have_url(show)
    assert _read(live, Signup, signup_id, "status") == "registered"

    cancel.click()
    _confirmation_page(page, live, sentence)
    page.get_by_role("button", name=live.t("pl", "Yes, cancel my sign-up"), exact=True).click()
    expect(page).to_have_url(show)
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "Your sign-up is cancelled."))
    assert _read(live, Signup, signup_id, "status") == "cancelled"
    assert not log.uncaught()


def test_with_javascript_the_accepted_dialog_acts_in_one_step(new_context, live_server):
    live = live_server
    moderator = live.make_user("moderator")
    with live.app.app_context():
        post_id = news_post(db.session, None, None)["post_id"]
        db.session.remove()
    _, page, log = new_context(js=True)
    dialogs: list[str] = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    login(page, live, moderator)
    page.goto(f"/news/{post_id}")
    delete = page.get_by_role("button", name=live.t("pl", "Delete"), exact=True)

    # The server's own page (what a browser without JavaScript gets) passes axe; "Nie, wróć" goes back.
    delete.evaluate("button => button.removeAttribute('data-confirm')")
    delete.click()
    sentence = live.t("pl", "You will delete the news post “%(title)s”. It cannot be restored.",
                      title="Dyżur w świetlicy")
    _confirmation_page(page, live, sentence)
    violations = axe_violations(page)
    assert violations == [], describe("the confirmation page", violations)
    page.get_by_role("link", name=live.t("pl", "No, go back")).click()
    expect(page).to_have_url(f"{live.url}/news/{post_id}")
    assert dialogs == [] and _read(live, NewsPost, post_id, "id") == post_id

    # With the dialog: one request, carrying confirm=yes. (mam.js is deferred: the link's navigation
    # above may not have run it yet, and a click before it would take the path without JavaScript.)
    page.wait_for_load_state("domcontentloaded")
    with page.expect_request(lambda request: request.method == "POST") as sent:
        delete.click()
    assert "confirm=yes" in sent.value.post_data
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "The news post is deleted."))
    expect(page).to_have_url(f"{live.url}/news")
    assert dialogs == [live.t("pl", "Delete this news post? This cannot be undone.")]
    assert _read(live, NewsPost, post_id, "id") is None
    assert not log.uncaught() and not log.csp_violations()
