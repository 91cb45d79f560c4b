"""Journeys through a real browser, each with JavaScript enabled and disabled (progressive enhancement)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import login, press_and_confirm

VERIFY_LINK = re.compile(r"https?://\S+/verify-email/\S+")


def _header_button(page, name: str):
    return page.locator("header").get_by_role("button", name=name, exact=True)


def _assert_clean(log) -> None:
    assert not log.csp_violations(), "CSP violations in the console:\n" + "\n".join(log.csp_violations())
    assert not log.uncaught(), "Uncaught JavaScript errors:\n" + "\n".join(log.uncaught())


def test_register_verify_login_switch_language(new_context, live_server, js):
    live = live_server
    _, page, log = new_context(js=js)
    email = f"nowa-{uuid.uuid4().hex[:10]}@kozlowka.example"
    name = "Zażółć Gęślą <b>Jaźń</b>"

    # Register on the Polish page.
    page.goto("/register")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    heading = live.t("pl", "Join the residents' platform")
    assert heading != "Join the residents' platform", "the Polish translation is missing"
    expect(page.locator("h1")).to_have_text(heading)
    page.fill("#email", email)
    page.fill("#display_name", name)
    page.fill("#password", "spokojny-kot-na-kozlowce")
    page.fill("#confirm", "spokojny-kot-na-kozlowce")
    page.locator("main form").get_by_role("button", name=live.t("pl", "Create my account")).click()
    # Not signed in yet: a taken address gets exactly this answer too (its owner is e-mailed instead).
    expect(page).to_have_url(f"{live.url}/login")
    expect(page.locator("#flash-messages")).to_contain_text(
        live.t("pl", "Thank you! We have sent an e-mail to the address you gave: follow the link in it to "
                     "confirm your address, then sign in.")
    )

    # Open the link from the e-mail.
    mails = live.mail_to(email)
    assert len(mails) == 1, f"expected one e-mail to {email}, got {mails!r}"
    link = VERIFY_LINK.search(mails[0]["body"])
    assert link, f"no verification link in the e-mail:\n{mails[0]['body']}"
    assert link.group(0).startswith(live.url + "/"), "the link must be built from BASE_URL"
    page.goto(link.group(0))
    expect(page).to_have_url(f"{live.url}/login")
    expect(page.locator("#flash-messages")).to_contain_text(
        live.t("pl", "Thank you, your e-mail address is confirmed.")
    )
    user = live.user_by_email(email)
    assert live.user_state(user.id)["email_verified"]

    def sign_in():
        page.fill("#email", email)
        page.fill("#password", "spokojny-kot-na-kozlowce")
        page.locator("main form").get_by_role("button", name=live.t("pl", "Sign in"), exact=True).click()
        expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "You are signed in."))
        expect(page.locator("header")).to_contain_text(live.t("pl", "My account"))

    # Sign in: the account shows the confirmed address.
    sign_in()
    page.locator("header").get_by_role("link", name=live.t("pl", "My account")).click()
    expect(page.locator(".badge-ok")).to_have_text(live.t("pl", "confirmed"))
    expect(page.locator("#display_name")).to_have_value(name)

    # Sign out, then sign in again.
    _header_button(page, live.t("pl", "Sign out")).click()
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "You are signed out. See you soon!"))
    page.locator("header").get_by_role("link", name=live.t("pl", "Sign in"), exact=True).click()
    expect(page).to_have_url(f"{live.url}/login")
    sign_in()

    # Switch the language with the header switch: the same page comes back in English.
    page.locator("header").get_by_role("link", name=live.t("pl", "My account")).click()
    expect(page).to_have_url(f"{live.url}/account")
    page.locator("header .language-menu > summary").click()  # the current language opens the others
    page.locator('header button[name="lang"][value="en"]').click()
    expect(page).to_have_url(f"{live.url}/account")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My account")
    expect(page.locator('header button[name="lang"][value="en"]')).to_have_attribute("aria-current", "true")
    expect(_header_button(page, "Sign out")).to_be_visible()
    assert live.user_state(user.id)["locale"] == "en"

    # Sign out: the visitor keeps English (the language cookie).
    _header_button(page, "Sign out").click()
    expect(page).to_have_url(f"{live.url}/")
    expect(page.locator("#flash-messages")).to_contain_text("You are signed out. See you soon!")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header").get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    _assert_clean(log)


def test_moderator_verifies_a_resident_in_person(new_context, live_server, js):
    live = live_server
    moderator = live.make_user("moderator")
    tag = uuid.uuid4().hex[:8]
    resident = live.make_user("unverified", name=f"Jadwiga <i>Kłos</i> {tag}")
    _, page, log = new_context(js=js)
    dialogs: list[str] = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)

    login(page, live, moderator)
    page.locator("header .staff-menu > summary").click()  # the moderators' pages sit under "Zarządzanie"
    page.locator("header").get_by_role("link", name=live.t("pl", "Residents"), exact=True).click()
    expect(page).to_have_url(f"{live.url}/residents")
    expect(page.locator("h1")).to_have_text(live.t("pl", "Residents"))

    row = page.locator("#residents-list tr", has_text=resident.display_name)
    expect(row).to_have_count(1)
    verify_name = live.t("pl", "Verify in person")
    button = row.get_by_role("button", name=re.compile(re.escape(verify_name)))
    press_and_confirm(page, live, js, button, "Yes, verify in person")

    expect(page.locator("#flash-messages")).to_contain_text(
        live.t("pl", "%(name)s is now a verified resident.", name=resident.display_name)
    )
    if js:
        question = live.t(
            "pl", "Have you checked in person that %(name)s lives on the estate?", name=resident.display_name
        )
        assert dialogs == [question], "the data-confirm dialog should ask before verifying"
    else:
        assert dialogs == []
    expect(row.locator(".badge-ok")).to_have_text(live.t("pl", "verified"))
    assert live.user_state(resident.id)["verified_resident"]
    _assert_clean(log)


def test_residents_filter(new_context, live_server, js):
    """With JS the search updates the list through HTMX without reloading; without JS the form works."""
    live = live_server
    moderator = live.make_user("moderator")
    tag = uuid.uuid4().hex[:8]
    wanted = live.make_user("unverified", name=f"Szukana Osoba {tag}")
    live.make_user("unverified", name=f"Ktoś Inny {uuid.uuid4().hex[:8]}")
    _, page, log = new_context(js=js)
    login(page, live, moderator)
    page.goto("/residents")
    rows = page.locator("#residents-list tbody tr")
    assert rows.count() >= 3

    if js:
        page.evaluate("window.__notReloaded = true")
        with page.expect_response(lambda r: "/residents?" in r.url and f"q={tag}" in r.url) as info:
            page.fill("#q", tag)
        response = info.value
        assert response.request.headers.get("hx-request") == "true"
        assert response.ok
        assert "<html" not in response.text(), "HTMX should get the list fragment, not the whole page"
        expect(rows).to_have_count(1)
        assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
        expect(page).to_have_url(re.compile(rf"/residents\?.*q={tag}"))  # hx-push-url
    else:
        page.fill("#q", tag)
        page.locator("main form[role=search]").get_by_role("button", name=live.t("pl", "Filter")).click()
        expect(page).to_have_url(re.compile(rf"/residents\?.*q={tag}"))
        expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(wanted.display_name)
    expect(page.locator("#residents-list .count")).to_have_text(
        live.tn("pl", "%(num)d person", "%(num)d people", 1)
    )
    _assert_clean(log)


def test_htmx_posts_carry_the_csrf_token(new_context, live_server):
    """mam.js adds X-CSRFToken to every HTMX request, so an HTMX POST without a form token succeeds."""
    live = live_server
    moderator = live.make_user("moderator")
    resident = live.make_user("unverified", name=f"Przez HTMX {uuid.uuid4().hex[:8]}")
    _, page, log = new_context(js=True)
    login(page, live, moderator)
    page.goto("/residents")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    url = f"/residents/{resident.id}/verify"

    # Without the token, the same POST is refused: the header is what makes the HTMX request pass.
    status = page.evaluate("url => fetch(url, {method: 'POST'}).then(r => r.status)", url)
    assert status == 400
    assert not live.user_state(resident.id)["verified_resident"]

    with page.expect_response(lambda r: r.url.endswith(url)) as info:
        # Not awaiting htmx.ajax's promise: HX-Redirect navigates away, which may end the evaluation.
        # (confirm=yes: the answer the data-confirm dialog adds to a final action's form.)
        page.evaluate(
            "url => { htmx.ajax('POST', url, "
            "{target: '#residents-list', swap: 'none', values: {confirm: 'yes'}}); }",
            url,
        )
    response = info.value
    request_headers = response.request.all_headers()
    assert request_headers.get("hx-request") == "true"
    assert request_headers.get("x-csrftoken") == token
    assert "csrf_token" not in (response.request.post_data or "")
    assert response.status == 204, response.text()
    assert response.headers.get("hx-redirect")
    # HTMX follows HX-Redirect: the list comes back with the success message.
    expect(page.locator("#flash-messages")).to_contain_text(
        live.t("pl", "%(name)s is now a verified resident.", name=resident.display_name)
    )
    assert live.user_state(resident.id)["verified_resident"]
    _assert_clean(log)
