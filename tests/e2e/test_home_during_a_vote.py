"""The home page during a vote, in a real browser (issue 12 §1, §2, DESIGN §9), with JavaScript on and
off, at 375 px and 1280 px, axe at 0 on every page: a visitor sees the vote, its deadline and "Dołącz";
a resident taps "Zagłosuj", votes, and the home page then says "Twój głos jest oddany"; on "Moja strona"
the resident pastes the receipt code and learns that the ballot is in the ballot box. Text is 18 px,
nothing is smaller than 16 px, and the call to action is a big tap target in the warm accent."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from app.db import db
from tests.e2e.conftest import login, press_and_confirm
from tests.e2e.test_accessibility import Audit
from tests.rounds.factories import ballot_round

SMALL_PHONE = {"width": 375, "height": 667}
DESKTOP_1280 = {"width": 1280, "height": 800}

# The smallest computed font size of any visible element that holds text of its own (screen only).
SMALLEST_TEXT = """() => {
  let smallest = 1000, where = '';
  for (const e of document.querySelectorAll('body *')) {
    if (!e.getClientRects().length) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const r = e.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // visually hidden text for screen readers
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < smallest) {
      smallest = size; where = e.tagName + '.' + e.className + ' «' + e.textContent.trim().slice(0, 30) + '»';
    }
  }
  return {smallest, where, body: parseFloat(getComputedStyle(document.body).fontSize)};
}"""


def _voting_round(live, title: str) -> tuple[int, str]:
    with live.app.app_context():
        round_, proposals = ballot_round(db.session, "approval", 3, max_choices=2, secrecy="secret",
                                         title=title)
        ids = (round_.id, proposals[0].title)
        db.session.remove()
    return ids


def _check_look(page, audit: Audit, label: str, js: bool) -> None:
    """Sizes and axe are measured by scripts in the page: only where the page runs JavaScript (the
    server sends the same markup and style sheet without it)."""
    if not js:
        return
    page.wait_for_load_state("load")  # a click's navigation may still be fetching the style sheet
    for size in (SMALL_PHONE, DESKTOP_1280):
        page.set_viewport_size(size)
        text = page.evaluate(SMALLEST_TEXT)
        assert text["body"] == 18, f"{label}: body text is {text['body']}px"
        assert text["smallest"] >= 16, f"{label} at {size['width']}px: {text}"
    audit.check(label)


def test_the_home_page_during_a_vote(new_context, live_server, js):
    live = live_server
    tag = uuid.uuid4().hex[:8]
    round_id, proposal_title = _voting_round(live, f"Budżet Zima {tag}")
    resident = live.make_user("resident")
    audit = Audit(new_context, live, "pl")

    # A visitor on a phone: the vote, its deadline and "Dołącz" first.
    _context, page, log = new_context(js=js, viewport=SMALL_PHONE)
    audit.page, audit.logs = page, [log]
    page.goto("/")
    card = page.locator(".now-voting", has_text=f"Budżet Zima {tag}")
    expect(card).to_be_visible()
    deadline = re.compile(r"Głosowanie trwa do .+, \d\d:\d\d \(zostało 14 dni\)")
    expect(card.locator(".deadline")).to_have_text(deadline)
    join = card.get_by_role("link", name=live.t("pl", "Join"), exact=True)
    expect(join).to_be_visible()
    if js:
        box = join.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 280, box  # a big, thumb-wide tap target on a phone
        assert join.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(166, 63, 23)"  # warm accent
    _check_look(page, audit, "home page, a visitor during a vote", js)

    # A resident votes from the home page.
    page.set_viewport_size(DESKTOP_1280)
    login(page, live, resident)
    page.goto("/")
    card = page.locator(".now-voting", has_text=f"Budżet Zima {tag}")
    expect(card.get_by_role("link", name=live.t("pl", "Join"), exact=True)).to_have_count(0)
    _check_look(page, audit, "home page, a resident during a vote", js)
    page.on("dialog", lambda dialog: dialog.accept())
    card.get_by_role("link", name=re.compile("^Zagłosuj")).click()
    expect(page).to_have_url(f"{live.url}/rounds/{round_id}/vote")
    page.get_by_label(proposal_title).check()
    button = page.get_by_role("button", name=live.t("pl", "Cast my vote"), exact=True)
    press_and_confirm(page, live, js, button, "Yes, cast my vote")
    receipt = page.locator(".receipt-code code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", receipt)

    page.goto("/")
    card = page.locator(".now-voting", has_text=f"Budżet Zima {tag}")
    expect(card.locator(".your-state")).to_have_text("Twój głos jest oddany")
    expect(card.get_by_role("link", name=re.compile("^Zagłosuj"))).to_have_count(0)
    _check_look(page, audit, "home page, after voting", js)

    # "Moja strona" from the header; the receipt check from there.
    page.set_viewport_size(SMALL_PHONE)
    page.locator(".site-menu > summary").click()
    page.locator("header").get_by_role("link", name="Moja strona", exact=True).click()
    expect(page).to_have_url(f"{live.url}/me")
    _check_look(page, audit, "my page, after voting", js)
    votes = page.locator("#votes li", has_text=f"Budżet Zima {tag}")
    votes.get_by_label("Twój kod potwierdzenia").fill(receipt)
    votes.get_by_role("button", name=re.compile("^Sprawdź")).click()
    expect(page.locator(".receipt-found")).to_be_visible()
    if js:
        audit.check("receipt check from my page")
        audit.assert_clean()
