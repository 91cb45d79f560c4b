"""The moderator's desk in a real browser, with JavaScript (HTMX swaps the review in place, the count at
the top follows, the live region speaks) and without it (plain forms, back to the desk): open it from the
"Manage" menu, accept one proposal, be told off for rejecting without an answer, reject with one, verify
a resident. And a repeating idea: a second activity of a proposal whose first activity was held. axe runs
on every page the journeys stop at."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from app.auth.models import User
from app.db import db, utcnow
from app.proposals.models import Status
from tests.activities.factories import in_days, make_activity, make_place
from tests.e2e.conftest import login, press_and_confirm
from tests.e2e.test_accessibility import axe_violations, describe
from tests.proposals.factories import make_proposal, make_round

NOT_RELOADED = "window.__mamNotReloaded === true"


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _clean(page, log, label: str, js: bool) -> None:
    """axe on the page as it is (it needs JavaScript: the journeys without it check the same pages with
    it), and no CSP violation or uncaught error."""
    page.wait_for_load_state("load")
    if js:
        violations = axe_violations(page)
        assert not violations, describe(label, violations)
    assert not log.csp_violations() and not log.uncaught(), log.errors


def _accept_dialogs(page) -> list[str]:
    seen: list[str] = []

    def accept(dialog):
        seen.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return seen


def _mark(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("window.__mamNotReloaded = true; "
                  "document.getElementById('flash-messages').textContent = ''")


def test_moderator_works_through_the_desk(new_context, live_server, js):
    live, tag = live_server, _tag()
    moderator = live.make_user("moderator", name=f"Moderatorka {tag}")
    newcomer = live.make_user("unverified", name=f"Nowy Sąsiad {tag}")
    with live.app.app_context():
        author = db.session.get(User, live.make_user("resident").id)
        review = make_round(db.session, "review", title=f"Runda w ocenie {tag}")
        long_ago = utcnow() - timedelta(days=400)  # the oldest waiting: first on the desk
        good = make_proposal(db.session, author, round_=review, title=f"Ławki {tag}", submitted_at=long_ago)
        bad = make_proposal(db.session, author, round_=review, title=f"Parking {tag}", submitted_at=long_ago)
        good_id, bad_id = good.id, bad.id
        db.session.remove()

    _, page, log = new_context(js=js)
    dialogs = _accept_dialogs(page)
    login(page, live, moderator)
    page.locator(".staff-menu > summary").click()
    page.get_by_role("link", name=live.t("pl", "Moderator's desk"), exact=True).click()
    expect(page.locator("h1")).to_have_text(live.t("pl", "Moderator's desk"))
    _clean(page, log, "desk", js)
    count = page.locator("#desk-count-review")
    waiting = int(count.inner_text())

    # Accept the first in place.
    item = page.locator(".desk-review-item", has_text=f"Ławki {tag}")
    if js:
        _mark(page)
    item.get_by_label(live.t("pl", "Accept for voting")).check()
    item.get_by_label(live.t("pl", "Public answer")).fill("Dobry pomysł, dopuszczony.")
    item.get_by_role("button", name=re.compile(re.escape(live.t("pl", "Save the decision")))).click()
    saved = live.t("pl", "The decision on “%(title)s” is saved and the author has been notified.",
                   title=f"Ławki {tag}")
    expect(page.locator("#flash-messages")).to_contain_text(saved)
    expect(page.locator(".desk-review-item", has_text=f"Ławki {tag}")).to_have_count(0)
    expect(count).to_have_text(str(waiting - 1))
    if js:
        assert page.evaluate(NOT_RELOADED), "the review should be swapped in place"
    else:
        expect(page).to_have_url(f"{live.url}/desk#desk-review")

    # Reject without an answer: refused, with the message next to the field; then with one.
    item = page.locator(".desk-review-item", has_text=f"Parking {tag}")
    item.get_by_label(live.t("pl", "Reject")).check()
    item.get_by_role("button", name=re.compile(re.escape(live.t("pl", "Save the decision")))).click()
    needed = live.t("pl", "Write a public answer explaining the rejection.")
    item = page.locator(".desk-review-item", has_text=f"Parking {tag}")
    expect(item.locator(".field-error")).to_contain_text(needed)
    _clean(page, log, "desk with an error", js)
    item.get_by_label(live.t("pl", "Reject")).check()
    item.get_by_label(live.t("pl", "Public answer")).fill("Trawnik należy do spółdzielni.")
    item.get_by_role("button", name=re.compile(re.escape(live.t("pl", "Save the decision")))).click()
    expect(page.locator(".desk-review-item", has_text=f"Parking {tag}")).to_have_count(0)
    expect(count).to_have_text(str(waiting - 2))

    # Verify the newcomer, and come back to the desk.
    button = page.locator("#desk-residents li", has_text=newcomer.display_name).get_by_role("button")
    press_and_confirm(page, live, js, button, "Yes, verify in person")
    expect(page).to_have_url(f"{live.url}/desk")
    expect(page.locator("#flash-messages")).to_contain_text(newcomer.display_name)
    expect(page.locator("#desk-residents")).not_to_contain_text(newcomer.display_name)
    assert live.user_state(newcomer.id)["verified_resident"]
    assert len(dialogs) == (1 if js else 0)
    _clean(page, log, "desk after the work", js)

    with live.app.app_context():
        from app.proposals.models import Proposal

        statuses = {db.session.get(Proposal, i).status for i in (good_id, bad_id)}
        db.session.remove()
    assert statuses == {Status.ACCEPTED, Status.REJECTED}


def test_moderator_schedules_a_second_activity_of_a_held_proposal(new_context, live_server, js):
    live, tag = live_server, _tag()
    moderator = live.make_user("moderator")
    with live.app.app_context():
        author = db.session.get(User, live.make_user("resident").id)
        idea = make_proposal(db.session, author, status=Status.IMPLEMENTED, title=f"Gotujemy razem {tag}")
        kitchen = make_place(db.session, name=f"Kuchnia {tag}")
        make_activity(db.session, place=kitchen, proposal=idea, title=f"Pierwsze gotowanie {tag}",
                      starts_at=in_days(-7), status="held")
        idea_id, kitchen_id = idea.id, kitchen.id
        db.session.remove()

    _, page, log = new_context(js=js)
    login(page, live, moderator)
    page.goto(f"/proposals/{idea_id}")
    held_once = "Odbyło się 1 spotkanie"
    expect(page.locator(".activity-tally")).to_contain_text(held_once)
    _clean(page, log, "implemented proposal", js)
    page.locator(".proposal-activities").get_by_role("link", name="Zaplanuj działanie", exact=True).click()
    expect(page).to_have_url(f"{live.url}/activities/new?proposal={idea_id}")
    _clean(page, log, "schedule form", js)
    page.fill("#title", f"Gotujemy razem — pierogi {tag}")
    page.fill("#day", (utcnow() + timedelta(days=20)).date().isoformat())
    page.fill("#starts", "17:00")
    page.fill("#ends", "19:00")
    page.select_option("#place_id", str(kitchen_id))
    page.get_by_role("button", name=live.t("pl", "Put it in the calendar")).click()
    expect(page.locator("h1")).to_have_text(f"Gotujemy razem — pierogi {tag}")

    page.goto(f"/proposals/{idea_id}")
    expect(page.locator(".activity-tally")).to_contain_text(held_once)
    expect(page.locator(".proposal-activities")).to_contain_text(f"Gotujemy razem — pierogi {tag}")
    _clean(page, log, "proposal with two activities", js)
