"""axe-core (WCAG 2.0/2.1 A and AA) on every page the journeys visit, in Polish and English, on a desktop
and a phone-sized screen; no CSP violations in the console; no horizontal scrolling on a phone (reflow).

axe-core is the copy shipped inside the ``axe-playwright-python`` package: nothing is downloaded at run
time. It is evaluated through the DevTools protocol, which the page's CSP does not restrict.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# The innermost elements that reach past the right edge of the window (what to fix when a page reflows).
# An element's content (a long word, say) can overflow its box: its scrollWidth counts, not just its box.
TOO_WIDE = """() => {
  const W = window.innerWidth;
  const right = e => {
    const r = e.getBoundingClientRect(); return r.left + Math.max(e.scrollWidth, r.width) };
  return [...document.querySelectorAll('body *')]
  .filter(e => right(e) > W + 1 && getComputedStyle(e).overflowX === 'visible')
  .filter(e => ![...e.children].some(c => right(c) > W + 1))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase()
    + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
    + ' «' + (e.textContent || '').trim().slice(0, 40) + '»'); }"""


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def describe(label: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{label}] {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            lines.append(f"    - {json.dumps(node['target'])}: {node['html'][:200]}\n        {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


class Audit:
    """Checks each page as it is shown and gathers every problem, to report them all at once."""

    def __init__(self, new_context, live, locale: str, viewports: dict | None = None):
        self.new_context, self.live, self.locale = new_context, live, locale
        self.viewports = viewports or VIEWPORTS
        self.first_size = next(iter(self.viewports.values()))
        self.problems: list[str] = []
        self.pages: list[str] = []
        self.logs: list = []
        self.page = None

    def open(self, storage_state: dict | None = None):
        """A new browser context (signed in with ``storage_state``) in this test's language and size."""
        context, self.page, log = self.new_context(js=True, viewport=self.first_size,
                                                   storage_state=storage_state)
        context.add_cookies([{"name": "lang", "value": self.locale, "url": self.live.url}])
        self.logs.append(log)
        return self.page

    def check(self, label: str) -> None:
        """Check the page as it is now, on a desktop and then on a phone-sized screen (or the sizes given)."""
        # After a form submit the caller waits for an element of the new page, which can be there before
        # the page has finished loading (its style sheet, its script): check the finished page.
        self.page.wait_for_load_state("load")
        for name, size in self.viewports.items():
            self.page.set_viewport_size(size)
            self._check(f"{label} {self.page.url} [{self.locale}, {name} {size['width']}×{size['height']}]")
        self.page.set_viewport_size(self.first_size)

    def _check(self, label: str) -> None:
        page = self.page
        self.pages.append(label)
        lang = page.locator("html").get_attribute("lang")
        if lang != self.locale:
            self.problems.append(f"[{label}] <html lang={lang!r}>, expected {self.locale!r}")
        violations = axe_violations(page)
        if violations:
            self.problems.append(describe(label, violations))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.problems.append(f"[{label}] the page scrolls sideways by {overflow}px (WCAG 1.4.10 reflow); "
                                 f"too wide: {', '.join(page.evaluate(TOO_WIDE))}")

    def goto(self, url: str, label: str | None = None):
        response = self.page.goto(self.live.url + url if url.startswith("/") else url)
        # Only documents are audited: a picture opens in a sandboxed document where no script ever finishes.
        if response is None or "text/html" in (response.headers.get("content-type") or ""):
            self.check(label or url)
        return response

    def assert_clean(self) -> None:
        assert self.pages
        for log in self.logs:
            for title, errors in (("CSP violations in the console", log.csp_violations()),
                                  ("Uncaught JavaScript errors", log.uncaught())):
                if errors:
                    self.problems.append(f"{title}:\n    " + "\n    ".join(errors))
        assert not self.problems, (
            f"{len(self.problems)} accessibility problem(s):\n\n" + "\n\n".join(self.problems)
        )


@pytest.fixture(params=["pl", "en"])
def locale(request) -> str:
    return request.param


@pytest.fixture
def audit(new_context, live_server, locale):
    return Audit(new_context, live_server, locale)


def test_public_pages(audit, live_server):
    live, page = live_server, audit.open()
    audit.goto("/", "home")
    audit.goto("/register", "register")
    page.locator("main form").get_by_role("button", name=live.t(audit.locale, "Create my account")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("register with errors")
    audit.goto("/login", "login")
    page.fill("#email", "nikt@kozlowka.example")
    page.fill("#password", "zle-haslo-zle-haslo")
    page.locator("main form").get_by_role("button", name=live.t(audit.locale, "Sign in"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("login with errors")
    audit.goto("/reset-password", "reset request")
    audit.goto("/accessibility", "accessibility statement")
    response = audit.goto(f"/nie-ma-takiej-strony-{uuid.uuid4().hex[:6]}", "404 page")
    assert response.status == 404
    audit.assert_clean()


def test_resident_pages(audit, signed_in):
    _, unconfirmed = signed_in("unverified", audit.locale, email_verified=False)
    audit.open(unconfirmed)
    audit.goto("/", "home, signed in")
    audit.goto("/account", "account, e-mail not confirmed")

    _, confirmed = signed_in("unverified", audit.locale)
    audit.open(confirmed)
    audit.goto("/account", "account, residency code form")
    audit.goto("/account/sign-out-everywhere", "sign out of all devices, confirmation")
    response = audit.goto("/404-nie-ma", "404 page, signed in")
    assert response.status == 404
    audit.assert_clean()


def test_moderator_and_admin_pages(audit, live_server, signed_in):
    live = live_server
    admin, state = signed_in("admin", audit.locale)
    resident = live.make_user("unverified", locale=audit.locale)
    live.make_user("unverified", email_verified=False, locale=audit.locale)
    live.verify_in_person(admin.id, resident.id)  # gives the audit log an entry and the list a mix

    page = audit.open(state)
    audit.goto("/residents", "residents list")
    with page.expect_response(lambda r: "/residents?" in r.url and "status=unverified" in r.url):
        page.select_option("#status", "unverified")
    expect(page).to_have_url(re.compile(r"/residents\?.*status=unverified"))
    audit.check("residents list filtered through HTMX")
    audit.goto("/residents/codes", "codes page")
    page.fill("#count", "2")
    create = live.t(audit.locale, "Create and show the codes")
    page.locator("main form").get_by_role("button", name=create).click()
    expect(page.locator(".code-slip")).to_have_count(2)
    audit.check("printed codes")
    audit.goto("/admin/audit", "audit log")
    audit.goto("/account", "account, verified resident")
    audit.assert_clean()


def test_the_checks_can_fail(new_context):
    """The harness itself: a CSP violation reaches the console log, and axe reports a broken control."""
    _, page, log = new_context(js=True)
    page.goto("/")
    assert axe_violations(page) == []
    page.evaluate(
        """() => {
            document.querySelector("main").insertAdjacentHTML(
                "beforeend", '<input id="unlabelled"><img src="/static/none.png" onerror="void 0">');
        }"""
    )
    # The browser reports the blocked inline handler asynchronously, once the image request has failed:
    # allow a busy machine plenty of time (the loop ends as soon as the report is there).
    deadline = time.monotonic() + 15
    while not any("inline event handler" in error for error in log.csp_violations()):
        if time.monotonic() > deadline:
            raise AssertionError(f"no CSP violation was logged: {log.errors}")
        page.wait_for_timeout(50)
    rules = {violation["id"] for violation in axe_violations(page)}
    assert {"label", "image-alt"} <= rules, rules
