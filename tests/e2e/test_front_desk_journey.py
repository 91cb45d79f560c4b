"""The front desk in a real browser, with JavaScript on and off: register a resident without e-mail, print
their sign-in slip, enter their paper ballot found by name, close the round and see the results count it,
and the resident signs in with the slip's code and sees that they voted. axe-core checks every new page."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from app.db import db
from tests.e2e.conftest import login, press_and_confirm
from tests.e2e.test_accessibility import axe_violations, describe
from tests.rounds.factories import ballot_round


def _voting_round(live) -> tuple[int, list[int], str]:
    with live.app.app_context():
        round_, proposals = ballot_round(db.session, secrecy="secret")
        ids = round_.id, [p.id for p in proposals], proposals[0].title
        db.session.remove()
    return ids


def _axe(page, label: str, problems: list[str] | None) -> None:
    """axe-core runs as a script in the page: only in the JavaScript-enabled run."""
    if problems is None:
        return
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    if violations:
        problems.append(describe(label, violations))


def test_front_desk_resident_votes_on_paper_and_signs_in_with_the_slip(new_context, live_server, js):
    live = live_server
    t = lambda message, **kw: live.t("pl", message, **kw)  # noqa: E731
    round_id, proposal_ids, proposal_title = _voting_round(live)
    moderator = live.make_user("moderator")
    name = f"Stanisława Kowalczyk {uuid.uuid4().hex[:6]}"
    problems: list[str] | None = [] if js else None
    _, page, log = new_context(js=js)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm question, with JavaScript
    login(page, live, moderator)

    # Register the resident at the front desk, without an e-mail address.
    page.goto("/residents")
    page.get_by_role("link", name=t("Register a resident"), exact=True).click()
    expect(page.locator("h1")).to_have_text(t("Register a resident at the front desk"))
    _axe(page, "new resident", problems)
    page.fill("#display_name", name)
    page.fill("#building", "27")
    page.fill("#flat", "14")
    page.get_by_role("button", name=t("Register the resident")).click()
    expect(page.locator("#flash-messages")).to_contain_text(
        t("%(name)s is registered and verified as a resident.", name=name))
    expect(page.locator("h1")).to_have_text(name)
    _axe(page, "resident page", problems)

    # Print the slip: the code is on this page only.
    page.get_by_role("button", name=t("Print a sign-in slip")).click()
    expect(page.locator(".sign-in-slip h2")).to_have_text(t("Sign-in slip for %(name)s", name=name))
    code = page.locator(".slip-code code").inner_text()
    _axe(page, "slip", problems)

    # Enter the paper ballot, finding the resident by name.
    page.goto(f"/rounds/{round_id}/paper")
    page.fill("#voter-q", name.split()[0].lower() + " " + name.split()[1])
    if not js:
        page.get_by_role("button", name=t("Search"), exact=True).click()
    person = page.locator("#voter-matches li", has_text=name)
    expect(person).to_have_count(1)
    _axe(page, "paper search", problems)
    person.get_by_role("link", name=t("Choose")).click()
    expect(page.locator("#ballot-heading")).to_have_text(t("2. The ballot of %(name)s", name=name))
    page.locator(f"#choice-{proposal_ids[0]}").check()
    page.get_by_role("button", name=t("Save the paper ballot of %(name)s", name=name)).click()
    expect(page.locator("main")).to_contain_text(name)  # the receipt page of a secret round names the voter
    receipt = page.locator(".receipt-slip")
    expect(receipt.locator("h2")).to_have_text(t("Receipt for %(name)s", name=name))
    print_button = page.get_by_role("button", name=t("Print the receipt"))
    if js:  # the print button works only with JavaScript; without it the page says "Ctrl+P"
        expect(print_button).to_be_visible()
    else:
        expect(print_button).to_be_hidden()
        expect(page.locator("[data-print-hint]")).to_be_visible()
    _axe(page, "paper receipt", problems)
    page.goto(f"/rounds/{round_id}")
    expect(page.locator("main")).to_contain_text(
        t("Ballots so far: %(online)d online, %(paper)d on paper.", online=0, paper=1))

    # Close voting: the results count the paper ballot.
    page.get_by_role("link", name=t("Close voting and count") + "…").click()
    button = page.get_by_role("button", name=t("Close voting and count"))
    press_and_confirm(page, live, js, button, "Yes, close voting and count")
    expect(page.locator("#flash-messages")).to_contain_text(
        t("The round is now in the phase: %(phase)s.", phase=t("Results")))
    page.get_by_role("link", name=t("See the results")).click()
    expect(page.locator("ol.winners")).to_contain_text(proposal_title)
    expect(page.locator("main")).to_contain_text(t("Voted on paper"))
    turnout = page.locator("main").inner_text()
    assert re.search(re.escape(t("Voted on paper")) + r"\s+1\b", turnout), turnout
    _axe(page, "results", problems)

    # The resident signs in with the code, typed in small letters with spaces.
    _, resident, resident_log = new_context(js=js)
    resident.goto("/sign-in/code")
    _axe(resident, "sign in with code", problems)
    resident.fill("#code", code.lower().replace("-", " "))
    resident.fill("#password", "zielona-lawka-pod-blokiem")
    resident.fill("#password_confirm", "zielona-lawka-pod-blokiem")
    resident.get_by_role("button", name=t("Set my password and sign in")).click()
    expect(resident.locator("#flash-messages")).to_contain_text(
        t("Your password is set and you are signed in. Welcome!"))
    resident.goto(f"/rounds/{round_id}")
    expect(resident.locator(".voted .badge-ok")).to_have_text(t("You voted"))
    expect(resident.locator(".voted")).to_contain_text(t("Your ballot is counted in the results."))

    assert not problems, "\n".join(problems or [])
    for console in (log, resident_log):
        assert not console.csp_violations() and not console.uncaught(), console.errors
