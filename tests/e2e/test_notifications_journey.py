"""Notifications in a real browser, with JavaScript and without: follow a proposal, get a reply notification
and read it; change the e-mail choices and unsubscribe with the link in an e-mail. axe-core checks every
page visited (issue 12 §3)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from app.auth.models import User
from app.db import db
from app.discussion import services as discussion
from app.outbox.services import send_pending
from tests.discussion.factories import make_proposal
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_violations, describe


def _clean(page, log, label: str, js: bool) -> None:
    """axe-core on the page as it is now. axe is JavaScript: without it the page cannot run it, and the
    server sends the same HTML, so the run with JavaScript checks it."""
    page.wait_for_load_state("load")
    if js:
        violations = axe_violations(page)
        assert not violations, describe(label, violations)
    assert not log.csp_violations() and not log.uncaught(), log.errors


def _proposal(live, author_id: int, title: str) -> int:
    with live.app.app_context():
        proposal = make_proposal(db.session, db.session.get(User, author_id), title=title)
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id


def _comment(live, author_id: int, proposal_id: int, body: str, parent_id: int | None = None) -> int:
    """A neighbour comments through the service (as the page would), and the outbox is sent."""
    from app.proposals.models import Proposal

    with live.app.test_request_context():
        proposal = db.session.get(Proposal, proposal_id)
        comment = discussion.post_comment(db.session.get(User, author_id), proposal, body, parent_id)
        comment_id = comment.id
        send_pending()
        db.session.remove()
    return comment_id


def test_follow_a_proposal_get_a_reply_and_read_it(new_context, live_server, js):
    live, tag = live_server, uuid.uuid4().hex[:8]
    me = live.make_user("resident", name=f"Obserwująca {tag}")
    neighbour = live.make_user("resident", name=f"Sąsiad {tag}")
    proposal_id = _proposal(live, live.make_user("resident").id, f"Ławki przy stawie {tag}")
    _, page, log = new_context(js=js)
    login(page, live, me)

    # Follow the proposal from its page.
    page.goto(f"/proposals/{proposal_id}")
    page.get_by_role("button", name=live.t("pl", "Follow"), exact=True).click()
    expect(page.get_by_role("button", name=re.compile(live.t("pl", "Stop following")))).to_be_visible()
    _clean(page, log, "proposal followed", js)
    page.goto("/notifications/following")
    expect(page.locator("main")).to_contain_text(f"Ławki przy stawie {tag}")
    _clean(page, log, "what I follow", js)

    # A neighbour comments, I answer, the neighbour replies to my comment.
    _comment(live, neighbour.id, proposal_id, f"Pierwszy głos {tag}")
    mine = _comment(live, me.id, proposal_id, f"Mój komentarz {tag}")
    _comment(live, neighbour.id, proposal_id, f"Odpowiedź dla Ciebie {tag}", parent_id=mine)

    page.goto("/")
    link = page.locator("#notifications-link")
    expect(link).to_contain_text("2")
    expect(link).to_have_accessible_name(re.compile(r"^Powiadomienia\s+\(2 nieprzeczytane\)$"))
    link.click()
    expect(page.locator("h1")).to_have_text(live.t("pl", "Notifications"))
    title = f"Ławki przy stawie {tag}"
    reply = page.get_by_role("link", name=f"Sąsiad {tag} odpowiada na Twój komentarz do „{title}”.")
    expect(reply).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"Sąsiad {tag} komentuje „Ławki przy stawie {tag}”.")
    _clean(page, log, "notifications", js)
    reply.click()
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal_id}\?comment=(\d+)#comment-\1$"))
    page.goto("/notifications")
    expect(page.locator("#notifications-link")).to_contain_text("1")
    page.get_by_role("button", name=live.t("pl", "Mark all as read")).click()
    done = live.t("pl", "All notifications are marked as read.")
    expect(page.locator("#flash-messages")).to_contain_text(done)
    expect(page.locator("#notifications-link .count-badge")).to_have_count(0)
    _clean(page, log, "notifications read", js)


def test_change_email_choices_and_unsubscribe_from_an_email(new_context, live_server, js):
    live, tag = live_server, uuid.uuid4().hex[:8]
    me = live.make_user("resident", name=f"Autorka {tag}")
    neighbour = live.make_user("resident", name=f"Sąsiadka {tag}")
    proposal_id = _proposal(live, me.id, f"Ogród deszczowy {tag}")
    _, page, log = new_context(js=js)
    login(page, live, me)

    # Discussion comes in the weekly digest by default; I want it at once.
    page.goto("/account/notifications")
    group = page.get_by_role("group", name=live.t("pl", "Discussion"))
    expect(group.get_by_role("radio", name=live.t("pl", "In the weekly digest"))).to_be_checked()
    _clean(page, log, "e-mail choices", js)
    group.get_by_role("radio", name=live.t("pl", "Immediately")).check()
    page.get_by_role("button", name=live.t("pl", "Save e-mail choices")).click()
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "Your e-mail choices are saved."))
    expect(page.get_by_role("group", name=live.t("pl", "Discussion"))
           .get_by_role("radio", name=live.t("pl", "Immediately"))).to_be_checked()

    _comment(live, neighbour.id, proposal_id, f"Świetny pomysł {tag}")
    [mail] = live.mail_to(me.email)
    assert f"Sąsiadka {tag}" in mail["body"]
    assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"http://\S+/unsubscribe/\S+", mail["body"]).group(0)
    assert mail["headers"]["List-Unsubscribe"] == f"<{unsubscribe}>"

    # The link works in a browser that is not signed in.
    _, stranger, stranger_log = new_context(js=js)
    stranger.goto(unsubscribe)
    expect(stranger.locator("main")).to_contain_text(live.t("pl", "Discussion"))
    _clean(stranger, stranger_log, "unsubscribe", js)
    stranger.get_by_role("button", name=live.t("pl", "Yes, stop these e-mails")).click()
    expect(stranger.locator("main [role=status]")).to_contain_text("Gotowe")
    _clean(stranger, stranger_log, "unsubscribed", js)

    page.goto("/account/notifications")
    expect(page.get_by_role("group", name=live.t("pl", "Discussion"))
           .get_by_role("radio", name=live.t("pl", "Never"))).to_be_checked()
    _comment(live, neighbour.id, proposal_id, f"Jeszcze jedno {tag}")
    assert len(live.mail_to(me.email, timeout=0.5)) == 1  # no more e-mails about the discussion
