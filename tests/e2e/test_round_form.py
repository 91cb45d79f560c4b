"""The round form in a real browser on a 320 px screen, with JavaScript on and off: choose the ballot and
the count first, then fill in only their settings. Nothing reaches past the screen's edge (fieldsets
shrink), and axe-core finds nothing on either step."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_accessibility import TOO_WIDE, axe_violations, describe

NARROW = {"width": 320, "height": 720}
# The form's own content (the header is checked by tests/e2e/test_header.py).
TOO_WIDE_IN_MAIN = TOO_WIDE.replace("'body *'", "'main *'")
assert TOO_WIDE_IN_MAIN != TOO_WIDE


def test_moderator_creates_a_round_in_two_steps_on_a_narrow_screen(new_context, live_server, js):
    live = live_server
    t = lambda message, **kw: live.t("pl", message, **kw)  # noqa: E731
    _, page, log = new_context(js=js, viewport=NARROW)
    login(page, live, live.make_user("moderator"))
    problems: list[str] = []

    def check(label: str) -> None:
        too_wide = page.evaluate(TOO_WIDE_IN_MAIN) if js else []
        if too_wide:
            problems.append(f"[{label}] wider than 320 px: {too_wide}")
        if js:
            violations = axe_violations(page)
            if violations:
                problems.append(describe(label, violations))

    page.goto("/rounds/new")
    expect(page.locator(".form-step")).to_contain_text("Krok 1 z 2")
    check("step 1")
    page.get_by_label(t("Tick the ideas you like")).check()
    page.get_by_label(t("Equal shares")).check()
    page.get_by_role("button", name=t("Next: the settings")).click()

    expect(page.locator(".chosen-ballot")).to_contain_text(t("Equal shares"))
    expect(page.locator("#points_total")).to_have_count(0)
    expect(page.locator("#yes_no_quorum")).to_have_count(0)
    check("step 2")
    title = f"Podwórko dla wszystkich {uuid.uuid4().hex[:6]}"
    page.fill("#title", title)
    page.fill("#budget", "20 000")
    page.fill("#max_choices", "3")
    page.get_by_role("button", name=t("Create the round")).click()

    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#flash-messages")).to_contain_text(
        t("The round is created as a draft. Open it for proposals when it is ready."))
    assert not problems, "\n".join(problems)
    assert not log.csp_violations() and not log.uncaught(), log.errors
