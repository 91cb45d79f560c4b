"""The header on a phone and on a desktop (issue 10 §5), the favicon, and axe on the centre's new pages.

At 1280 px the whole header is one row for every role; at 375×667 it takes at most a sixth of the screen
and its menu button (a <details>) opens the menu with or without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import Audit, axe_violations

SMALL_PHONE = {"width": 375, "height": 667}
DESKTOP_1280 = {"width": 1280, "height": 800}
ROLES = ["visitor", "resident", "admin"]

# The boxes of the header's visible parts: the brand, each menu item and the language buttons.
HEADER_BOXES = """() => {
  const header = document.querySelector('.site-header');
  const selector = '.brand, .site-menu > summary, .site-nav > ul > li, .language-menu > summary';
  const parts = [...header.querySelectorAll(selector)]
    .filter(e => e.getClientRects().length > 0)
    .map(e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; });
  return {height: header.getBoundingClientRect().height, parts};
}"""


@pytest.fixture
def open_page(new_context, signed_in, live_server):
    def open_(role: str, js: bool, viewport: dict, path: str = "/"):
        state = None if role == "visitor" else signed_in(role)[1]
        _context, page, _log = new_context(js=js, viewport=viewport, storage_state=state)
        page.goto(live_server.url + path)
        return page

    return open_


@pytest.mark.parametrize("role", ROLES)
def test_on_a_desktop_the_header_is_one_row(open_page, live_server, js, role):
    page = open_page(role, js, DESKTOP_1280)

    boxes = page.evaluate(HEADER_BOXES)

    assert len(boxes["parts"]) >= 7  # the brand, the menu's links, the language switch
    lowest_top = max(part["top"] for part in boxes["parts"])
    highest_bottom = min(part["bottom"] for part in boxes["parts"])
    assert lowest_top < highest_bottom, f"the header wraps onto a second row: {boxes}"
    assert boxes["height"] <= 100
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    if role == "admin":  # the moderators' pages open from one button, also without JavaScript
        page.locator(".staff-menu > summary").click()
        page.get_by_role("link", name=live_server.t("pl", "The centre's details")).click()
        expect(page).to_have_url(f"{live_server.url}/admin/centre")


@pytest.mark.parametrize("role", ROLES)
def test_on_a_phone_the_header_is_small_and_its_menu_button_opens_the_menu(open_page, live_server, js, role):
    page = open_page(role, js, SMALL_PHONE)

    height = page.evaluate(HEADER_BOXES)["height"]
    assert height <= SMALL_PHONE["height"] / 6, f"the header is {height}px tall"
    rounds = page.locator("header").get_by_role("link", name=live_server.t("pl", "Rounds"), exact=True)
    expect(rounds).to_be_hidden()

    page.locator(".site-menu > summary").click()

    expect(rounds).to_be_visible()
    rounds.click()
    expect(page).to_have_url(f"{live_server.url}/rounds")


def test_join_keeps_its_padding_and_the_page_has_a_favicon(open_page, live_server):
    for viewport in (DESKTOP_1280, SMALL_PHONE):
        page = open_page("visitor", True, viewport)
        if viewport is SMALL_PHONE:
            page.locator(".site-menu > summary").click()
        join = page.locator("header").get_by_role("link", name=live_server.t("pl", "Join"))
        padding = join.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)")
        assert padding >= 8, viewport

    icon = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(live_server.url + icon)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize("locale", ["pl", "en"])
def test_the_centre_pages_are_accessible(new_context, live_server, signed_in, locale):
    audit = Audit(new_context, live_server, locale)
    audit.open()
    audit.goto("/how-we-vote", "how we vote")
    audit.goto("/accessibility", "accessibility statement")
    page = audit.page
    page.set_viewport_size(SMALL_PHONE)
    page.locator(".site-menu > summary").click()
    audit.check("the phone menu, open")
    audit.open(storage_state=signed_in("admin", locale)[1])
    audit.goto("/admin/centre", "the centre's details")
    audit.page.get_by_label(live_server.t(locale, "Postcode")).fill("30664")
    audit.page.get_by_role("button", name=live_server.t(locale, "Save the details")).click()
    expect(audit.page.locator(".error-summary")).to_be_visible()
    audit.check("the centre's details with an error")
    audit.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP_1280, SMALL_PHONE], ids=["desktop", "phone"])
def test_the_search_box_in_the_header_finds_things_with_or_without_javascript(open_page, live_server, js,
                                                                              viewport):
    page = open_page("visitor", js, viewport)
    if viewport is SMALL_PHONE:
        page.locator(".site-menu > summary").click()
    else:
        page.locator(".search-menu > summary").click()

    box = page.get_by_role("searchbox", name=live_server.t("pl", "Search the platform"))
    box.fill("zupełnie nieznane słowo")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q=zupe"))
    nothing = live_server.t("pl", "Nothing matches. Try fewer words, or another form of the word.")
    expect(page.get_by_text(nothing)).to_be_visible()
    if js:  # axe is a script: with JavaScript off the page cannot run it (the markup is the same)
        assert axe_violations(page) == []
