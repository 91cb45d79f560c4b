"""The heart of the platform in a real browser: write and publish a proposal, discuss it, moderate the
discussion, pledge help. Each journey runs with JavaScript (HTMX swaps in place, focus and the live region)
and without it (plain forms, post/redirect/get), and asserts what the person sees."""

from __future__ import annotations

import re
import uuid

from flask_babel import force_locale
from playwright.sync_api import expect

from app.auth.models import User
from app.db import db
from app.i18n import money
from app.text import fold
from tests.discussion.factories import make_comment, make_proposal
from tests.e2e.conftest import login, press_and_confirm

NOT_RELOADED = "window.__mamNotReloaded === true"


def _assert_clean(log) -> None:
    assert not log.csp_violations(), "CSP violations in the console:\n" + "\n".join(log.csp_violations())
    assert not log.uncaught(), "Uncaught JavaScript errors:\n" + "\n".join(log.uncaught())


def _tag() -> str:
    return uuid.uuid4().hex[:10]


def _record_dialogs(page) -> list[str]:
    """Accept every confirmation dialog and remember its question."""
    dialogs: list[str] = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return dialogs


def _mark_page(page) -> None:
    """A marker that survives HTMX swaps but not a page load; and an empty live region, so that what it
    says next is the answer to the next action (not an earlier message). Waits for the page to have
    loaded: after a click on a link the URL changes before the deferred scripts have bound HTMX."""
    page.wait_for_load_state("load")
    page.evaluate(
        "window.__mamNotReloaded = true; document.getElementById('flash-messages').textContent = ''"
    )


def _proposal_in_db(live, author_id: int, title: str) -> int:
    with live.app.app_context():
        proposal = make_proposal(db.session, db.session.get(User, author_id), title=title)
        proposal.search_text = fold(f"{proposal.title}\n{proposal.body}")  # as the service would
        db.session.commit()
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id


def _money(live, grosze: int) -> str:
    with live.app.test_request_context(), force_locale("pl"):
        return money(grosze)


def _summary(scope, label: str):
    """The <summary> of a <details> block whose whole text is ``label``."""
    return scope.locator("summary").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def _action(comment, label: str):
    """The link under a comment that opens its reply, edit, report or hide form."""
    return comment.locator(".comment-actions").get_by_role("link", name=label, exact=True)


def _permalink(live, proposal_id: int, comment_id: str) -> str:
    """Where a comment is shown without JavaScript: the part of the thread that holds it."""
    return f"{live.url}/proposals/{proposal_id}?comment={comment_id.removeprefix('comment-')}#{comment_id}"


def _comment(page, marker: str):
    """The <article> of the comment whose text contains ``marker``."""
    return page.locator("#discussion article").filter(has=page.locator(".comment-body", has_text=marker))


# --- 1. write, save as a draft, publish, find it ---------------------------------------------------


def test_resident_writes_a_draft_publishes_it_and_finds_it(new_context, live_server, js):
    live = live_server
    tag = _tag()
    author = live.make_user("resident", name=f"Autorka Żółwia {tag}")
    title = f"Żółw w oczku wodnym {tag}"
    _, page, log = new_context(js=js)
    dialogs = _record_dialogs(page)
    login(page, live, author)

    page.goto("/proposals")
    page.locator("main").get_by_role("link", name=live.t("pl", "Write a proposal"), exact=True).click()
    expect(page).to_have_url(f"{live.url}/proposals/new")
    expect(page.locator("h1")).to_have_text(live.t("pl", "Write a proposal"))
    page.fill("#title", title)
    page.fill("#body", "Zbudujmy **bezpieczne** schronienie dla żółwia.\n\n- kamienie\n- rampa")
    categories = page.locator("#category_id option")
    if categories.count() > 1:  # required once moderators have made categories
        page.select_option("#category_id", index=1)
    page.fill("#cost", "1 234,50")
    page.get_by_role("button", name=live.t("pl", "Save as a private draft"), exact=True).click()

    expect(page).to_have_url(re.compile(rf"{re.escape(live.url)}/proposals/\d+$"))
    proposal_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#flash-messages")).to_contain_text(
        live.t("pl", "Your draft is saved. Only you and the moderators can see it.")
    )
    draft_notice = live.t(
        "pl", "This is a private draft: only you and the moderators can see it. Publish it when it is ready."
    )
    expect(page.locator("main .notice", has_text=draft_notice)).to_be_visible()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".page-head .badge")).to_have_text(live.t("pl", "Draft"))
    expect(page.locator(".user-text strong")).to_have_text("bezpieczne")  # Markdown rendered
    expect(page.locator(".user-text li")).to_have_count(2)
    expect(page.locator(".facts")).to_contain_text(_money(live, 123_450))
    public_list = page.request.get(f"/proposals?q={tag}")
    assert public_list.ok and title not in public_list.text(), "a draft must not be in the public list"

    # Publish it: with JavaScript the button asks first.
    button = page.get_by_role("button", name=live.t("pl", "Publish the proposal"), exact=True)
    press_and_confirm(page, live, js, button, "Yes, publish the proposal")
    expect(page.locator("#flash-messages")).to_contain_text(
        live.t("pl", "Your proposal is published. Thank you!")
    )
    expect(page).to_have_url(f"{live.url}/proposals/{proposal_id}")
    expect(page.locator(".page-head .badge")).to_have_text(live.t("pl", "Submitted"))
    expect(page.locator("main .notice", has_text=draft_notice)).to_have_count(0)
    if js:
        assert dialogs == [live.t("pl", "Publish this proposal? Everyone will be able to read it.")]
    else:
        assert dialogs == []

    # It is in the public list.
    page.locator("header").get_by_role("link", name=live.t("pl", "Proposals"), exact=True).click()
    expect(page).to_have_url(f"{live.url}/proposals")
    expect(page.locator("#proposals-list").get_by_role("link", name=title, exact=True)).to_be_visible()

    # Searching without diacritics finds it.
    cards = page.locator("#proposals-list .proposal-card")
    query = f"zolw {tag}"
    if js:
        _mark_page(page)
        with page.expect_response(lambda r: "/proposals?" in r.url and tag in r.url) as info:
            page.fill("#q", query)
        assert info.value.request.headers.get("hx-request") == "true"
        assert info.value.ok
        assert "<html" not in info.value.text(), "HTMX should get the list fragment, not the whole page"
        expect(cards).to_have_count(1)
        assert page.evaluate(NOT_RELOADED), "the page was reloaded"
        expect(page).to_have_url(re.compile(r"/proposals\?.*q=zolw"))  # hx-push-url
    else:
        page.fill("#q", query)
        page.locator("main form[role=search]").get_by_role("button", name=live.t("pl", "Filter")).click()
        expect(page).to_have_url(re.compile(r"/proposals\?.*q=zolw"))
        expect(cards).to_have_count(1)
    expect(cards.first.get_by_role("link")).to_have_text(title)
    expect(cards.first).to_contain_text(_money(live, 123_450))
    one_proposal = live.tn("pl", "%(num)d proposal", "%(num)d proposals", 1)
    expect(page.locator("#proposals-list .count")).to_have_text(one_proposal)
    if js:
        expect(page.locator("#flash-messages")).to_have_text(one_proposal)  # the live region announces it
    _assert_clean(log)


# --- 2. comment, reply, edit, report -------------------------------------------------------------


def test_resident_comments_replies_edits_and_reports(new_context, live_server, js):
    live = live_server
    tag = _tag()
    author = live.make_user("resident", name=f"Autor Ławek {tag}")
    neighbour = live.make_user("resident", name=f"Sąsiadka Komentująca {tag}")
    proposal_id = _proposal_in_db(live, author.id, f"Ławki przy stawie {tag}")
    _, page, log = new_context(js=js)
    login(page, live, neighbour)
    page.goto(f"/proposals/{proposal_id}")
    region = page.locator("#flash-messages")

    # A comment.
    first_text = f"Pomogę z **farbą** — {tag}"
    if js:
        _mark_page(page)
    page.fill("#body-new", first_text)
    page.get_by_role("button", name=live.t("pl", "Publish the comment"), exact=True).click()
    comment = _comment(page, f"— {tag}")
    expect(comment).to_have_count(1)
    comment_id = comment.get_attribute("id")
    comment = page.locator(f"#{comment_id}")
    expect(comment.locator(".comment-body strong")).to_have_text("farbą")
    expect(comment.locator(".comment-meta")).to_contain_text(neighbour.display_name)
    published = live.t("pl", "Your comment is published.")
    expect(region).to_contain_text(published)
    expect(page.locator("#discussion-heading .count")).to_have_text(
        "(" + live.tn("pl", "%(num)d comment", "%(num)d comments", 1) + ")"
    )
    if js:
        expect(comment).to_be_focused()
        assert page.evaluate(NOT_RELOADED), "the thread should update without a page load"
        expect(page).to_have_url(f"{live.url}/proposals/{proposal_id}")
    else:
        expect(page).to_have_url(_permalink(live, proposal_id, comment_id))

    # A reply to it: the thread is nested.
    reply_text = f"A ja przyniosę pędzle — {tag}-reply"
    if js:
        _mark_page(page)
    _action(comment, live.t("pl", "Reply")).click()
    number = comment_id.removeprefix("comment-")
    page.fill(f"#body-reply-{number}", reply_text)
    comment.get_by_role("button", name=live.t("pl", "Publish the reply"), exact=True).click()
    reply = page.locator(f"#{comment_id} + ol.replies > li > article")
    expect(reply).to_have_count(1)
    expect(reply.locator(".comment-body")).to_have_text(reply_text)
    reply_id = reply.get_attribute("id")
    expect(region).to_contain_text(published)
    if js:
        expect(reply).to_be_focused()
        assert page.evaluate(NOT_RELOADED)
    else:
        expect(page).to_have_url(_permalink(live, proposal_id, reply_id))

    # Edit the first comment: it is marked as edited.
    edited_text = f"Pomogę z farbą i wałkami — {tag}"
    expect(comment.locator(".comment-meta .badge", has_text=live.t("pl", "edited"))).to_have_count(0)
    if js:
        _mark_page(page)
    _action(comment, live.t("pl", "Edit")).click()
    page.fill(f"#body-edit-{number}", edited_text)
    comment.get_by_role("button", name=live.t("pl", "Save"), exact=True).click()
    expect(comment.locator(".comment-body")).to_have_text(edited_text)
    expect(comment.locator(".comment-meta .badge", has_text=live.t("pl", "edited"))).to_be_visible()
    expect(region).to_contain_text(live.t("pl", "Your comment is saved."))
    expect(reply).to_have_count(1)  # the reply stays under it
    if js:
        expect(comment).to_be_focused()
        assert page.evaluate(NOT_RELOADED)
    else:
        expect(page).to_have_url(_permalink(live, proposal_id, comment_id))

    # Report the proposal: afterwards the form gives way to a note.
    report = page.locator("details.report-proposal")
    if js:
        _mark_page(page)
    _summary(report, live.t("pl", "Report this proposal to the moderators")).click()
    page.fill("#reason-flag-proposal", f"To chyba duplikat — {tag}")
    report.get_by_role("button", name=live.t("pl", "Send the report"), exact=True).click()
    expect(page.locator(".report-proposal.hint")).to_have_text(
        live.t("pl", "You have reported this proposal. A moderator will look at it.")
    )
    expect(page.locator("details.report-proposal")).to_have_count(0)
    expect(region).to_contain_text(live.t("pl", "Thank you. A moderator will look at your report."))
    if js:
        assert page.evaluate(NOT_RELOADED)
    expect(page.locator("#discussion-heading .count")).to_have_text(
        "(" + live.tn("pl", "%(num)d comment", "%(num)d comments", 2) + ")"
    )
    _assert_clean(log)


# --- 3. a moderator hides a comment and restores it ------------------------------------------------


def test_moderator_hides_a_comment_and_restores_it(new_context, live_server, js):
    live = live_server
    tag = _tag()
    author = live.make_user("resident", name=f"Autorka Grilla {tag}")
    writer = live.make_user("resident", name=f"Niegrzeczny Sąsiad {tag}")
    reader = live.make_user("resident", name=f"Czytelniczka {tag}")
    moderator = live.make_user("moderator", name=f"Moderatorka {tag}")
    body = f"Niemiły komentarz {tag}"
    with live.app.app_context():
        proposal = make_proposal(
            db.session, db.session.get(User, author.id), title=f"Grill na podwórku {tag}"
        )
        comment_id = make_comment(db.session, proposal, db.session.get(User, writer.id), body=body).id
        proposal_id = proposal.id
        db.session.remove()
    reason = f"Obraźliwy ton — {tag}"
    shown_reason = live.t("pl", "Hidden by a moderator. Reason: %(reason)s", reason=reason)

    _, page, log = new_context(js=js)
    dialogs = _record_dialogs(page)
    login(page, live, moderator)
    page.goto(f"/proposals/{proposal_id}")
    comment = page.locator(f"#comment-{comment_id}")
    expect(comment.locator(".comment-body")).to_have_text(body)
    if js:
        _mark_page(page)
    _action(comment, live.t("pl", "Hide")).click()
    page.fill(f"#reason-hide-comment-{comment_id}", reason)
    comment.get_by_role("button", name=live.t("pl", "Hide the comment"), exact=True).click()
    hidden_message = live.t("pl", "The comment is hidden.")
    expect(page.locator("#flash-messages")).to_contain_text(hidden_message)
    expect(comment.locator(".comment-removed")).to_have_text(shown_reason)
    expect(comment.locator(".comment-body").first).not_to_be_visible()  # only in the moderators' <details>
    if js:
        assert page.evaluate(NOT_RELOADED), "hiding from the thread should update it in place"
        expect(page.locator("#discussion .notice[role=alert]")).to_have_text(hidden_message)
        expect(page).to_have_url(f"{live.url}/proposals/{proposal_id}")
    else:
        expect(page).to_have_url(_permalink(live, proposal_id, f"comment-{comment_id}"))

    # A resident sees the reason in place of the text.
    _, resident_page, resident_log = new_context(js=js)
    login(resident_page, live, reader)
    resident_page.goto(f"/proposals/{proposal_id}")
    seen = resident_page.locator(f"#comment-{comment_id}")
    expect(seen.locator(".comment-removed")).to_have_text(shown_reason)
    expect(resident_page.locator("#discussion")).not_to_contain_text(body)
    expect(seen.locator("details.hidden-original")).to_have_count(0)

    # The moderator shows it again from the list of hidden comments.
    page.goto("/moderation/hidden")
    item = page.locator("li.queue-item", has_text=reason)
    expect(item).to_have_count(1)
    expect(item.locator("blockquote")).to_have_text(body)
    button = item.get_by_role("button", name=live.t("pl", "Show the comment again"), exact=True)
    press_and_confirm(page, live, js, button, "Yes, show the comment again")
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "The comment is visible again."))
    expect(page).to_have_url(re.compile(rf"{re.escape(live.url)}/moderation/hidden"))
    expect(page.locator("li.queue-item", has_text=reason)).to_have_count(0)
    assert dialogs == ([live.t("pl", "Show this comment to everyone again?")] if js else [])

    resident_page.reload()
    expect(seen.locator(".comment-body")).to_have_text(body)
    expect(resident_page.locator("#discussion")).not_to_contain_text(reason)
    _assert_clean(log)
    _assert_clean(resident_log)


# --- 4. pledge help and withdraw it ----------------------------------------------------------------


def test_resident_pledges_help_and_withdraws_it(new_context, live_server, js):
    live = live_server
    tag = _tag()
    author = live.make_user("resident", name=f"Autor Ogrodu {tag}")
    helper = live.make_user("resident", name=f"Pomocna Sąsiadka {tag}")
    title = f"Ogród społeczny {tag}"
    proposal_id = _proposal_in_db(live, author.id, title)
    _, page, log = new_context(js=js)
    dialogs = _record_dialogs(page)
    login(page, live, helper)

    def pledge_count_in_list(count: int) -> None:
        page.goto(f"/proposals?q={tag}")
        card = page.locator("#proposals-list .proposal-card", has_text=title)
        expect(card).to_contain_text(live.tn("pl", "%(num)d pledge", "%(num)d pledges", count))
        page.get_by_role("link", name=title, exact=True).click()
        expect(page).to_have_url(f"{live.url}/proposals/{proposal_id}")

    pledge_count_in_list(0)
    pledges = page.locator("#pledges")
    items = pledges.locator(".pledge-list li")
    nobody = live.t("pl", "Nobody has pledged help yet.")
    expect(pledges.locator(".empty")).to_have_text(nobody)
    help_label = live.t("pl", "I'll help")

    if js:
        _mark_page(page)
    pledges.get_by_label(help_label, exact=True).check()
    pledges.get_by_role("button", name=live.t("pl", "Pledge"), exact=True).click()
    recorded = live.t("pl", "Thank you! Your pledge is recorded.")
    expect(page.locator("#flash-messages")).to_contain_text(recorded)
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(help_label)
    expect(items.first).to_contain_text(helper.display_name)
    expect(pledges.locator(".empty")).to_have_count(0)
    if js:
        assert page.evaluate(NOT_RELOADED), "the pledges should update in place"
        expect(pledges).to_be_focused()
    else:
        expect(page).to_have_url(f"{live.url}/proposals/{proposal_id}#pledges")
    pledge_count_in_list(1)

    if js:
        _mark_page(page)
    withdraw = live.t("pl", "Withdraw my pledge")
    button = pledges.get_by_role("button", name=re.compile(rf"^{re.escape(withdraw)}"))
    press_and_confirm(page, live, js, button, "Yes, withdraw my pledge")
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "Your pledge is withdrawn."))
    expect(items).to_have_count(0)
    expect(pledges.locator(".empty")).to_have_text(nobody)
    if js:
        assert page.evaluate(NOT_RELOADED)
        assert dialogs == [live.t("pl", "Withdraw your pledge?")]
    else:
        assert dialogs == []
        expect(page).to_have_url(f"{live.url}/proposals/{proposal_id}#pledges")
    pledge_count_in_list(0)
    _assert_clean(log)
