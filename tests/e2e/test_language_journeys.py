"""A resident's whole journey in Ukrainian and in English, in a real browser: the browser's language picks
the UI, then register, confirm the address, sign in, write a proposal, comment, vote and sign up for an
activity. axe-core checks every page on the way (with JavaScript; without it the same forms are used)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from app.auth.models import User
from app.db import db
from tests.activities.factories import in_days, make_activity
from tests.discussion.factories import make_proposal
from tests.e2e.test_accessibility import axe_violations, describe
from tests.rounds.factories import ballot_round

VERIFY_LINK = re.compile(r"https?://\S+/verify-email/\S+")
BROWSER_LANGUAGE = {"uk": "uk-UA", "en": "en-GB"}
WRITTEN = {
    "uk": ("Розмовний клуб для сусідів", "Зустрічаємося щочетверга, щоб говорити польською.",
           "Я прийду з дітьми!"),
    "en": ("Conversation club for neighbours", "We meet on Thursdays to practise Polish together.",
           "I will bring the tea."),
}


def _prepared(live) -> dict:
    """A Polish proposal to comment on, a public round in voting and an activity, in the live database."""
    author = live.make_user("resident", name="Jadwiga Łukasik")
    with live.app.app_context():
        proposal = make_proposal(db.session, db.session.get(User, author.id), title="Ogród za blokiem nr 7")
        round_, choices = ballot_round(db.session, secrecy="public")
        activity = make_activity(db.session, starts_at=in_days(5), title="Sprzątanie skweru")
        ids = {"proposal": proposal.id, "round": round_.id, "choice": choices[0].id, "activity": activity.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize(("locale", "js"), [("uk", True), ("uk", False), ("en", True)],
                         ids=["uk-js", "uk-nojs", "en-js"])
def test_a_resident_takes_part_in_their_own_language(new_context, live_server, locale, js):
    live = live_server
    t = lambda message, **kw: live.t(locale, message, **kw)  # noqa: E731
    title, body, comment = WRITTEN[locale]
    ids = _prepared(live)
    moderator = live.make_user("moderator")
    problems: list[str] = []
    _, page, log = new_context(js=js, locale=BROWSER_LANGUAGE[locale])

    def check(label: str) -> None:
        page.wait_for_load_state("load")
        expect(page.locator("html")).to_have_attribute("lang", locale)
        if js:  # axe-core runs as a script in the page
            violations = axe_violations(page)
            if violations:
                problems.append(describe(f"{label} [{locale}]", violations))

    def flash(message: str, **kw) -> None:
        expect(page.locator("#flash-messages")).to_contain_text(t(message, **kw))

    # The browser's language picks the UI: the registration page is in it, with nothing to choose.
    page.goto("/register")
    expect(page.locator("h1")).to_have_text(t("Join the residents' platform"))
    assert t("Join the residents' platform") != "Join the residents' platform" or locale == "en"
    check("register")
    email = f"{locale}-{uuid.uuid4().hex[:10]}@kozlowka.example"
    page.fill("#email", email)
    page.fill("#display_name", "Оксана Мельник" if locale == "uk" else "Olivia Green")
    page.fill("#password", "spokojny-kot-na-kozlowce")
    page.fill("#confirm", "spokojny-kot-na-kozlowce")
    page.locator("main form").get_by_role("button", name=t("Create my account")).click()
    flash("Thank you! We have sent an e-mail to the address you gave: follow the link in it to confirm "
          "your address, then sign in.")
    check("login after registering")

    # The e-mail is in the resident's language; its link confirms the address.
    mails = live.mail_to(email)
    assert len(mails) == 1
    user = live.user_by_email(email)
    assert live.user_state(user.id)["locale"] == locale
    page.goto(VERIFY_LINK.search(mails[0]["body"]).group(0))
    flash("Thank you, your e-mail address is confirmed.")
    page.fill("#email", email)
    page.fill("#password", "spokojny-kot-na-kozlowce")
    page.locator("main form").get_by_role("button", name=t("Sign in"), exact=True).click()
    flash("You are signed in.")
    check("home, signed in")

    # Residency verified at the centre, then a proposal: the form presumes the resident's language.
    live.verify_in_person(moderator.id, user.id)
    page.goto("/proposals/new")
    expect(page.locator("h1")).to_have_text(t("Write a proposal"))
    expect(page.locator("#language")).to_have_value(locale)
    check("new proposal")
    page.fill("#title", title)
    page.fill("#body", body)
    page.get_by_role("button", name=t("Publish the proposal")).click()
    flash("Your proposal is published. Thank you!")
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("h1")).not_to_have_attribute("lang", re.compile(".+"))  # the page's own language
    check("own proposal")

    # A comment under a neighbour's Polish proposal: its text is marked Polish for the screen reader.
    page.goto(f"/proposals/{ids['proposal']}")
    expect(page.locator("#proposal-title")).to_have_attribute("lang", "pl")
    expect(page.locator(".prose.user-text")).to_have_attribute("lang", "pl")
    check("a Polish proposal")
    page.fill("#body-new", comment)
    expect(page.locator("#language-new")).to_have_value(locale)
    page.get_by_role("button", name=t("Publish the comment")).click()
    new_comment = page.locator("#discussion .comment-body", has_text=comment)
    expect(new_comment).to_be_visible()
    expect(new_comment).not_to_have_attribute("lang", re.compile(".+"))
    check("after commenting")

    # Vote.
    page.goto(f"/rounds/{ids['round']}/vote")
    check("ballot")
    page.locator(f"#choice-{ids['choice']}").check()
    page.get_by_role("button", name=t("Cast my vote")).click()
    flash("Your vote is saved; you can change it until voting closes.")
    check("after voting")

    # Sign up for an activity.
    page.goto(f"/activities/{ids['activity']}")
    check("activity")
    page.get_by_role("button", name=t("I'll come")).click()
    flash("You are registered. See you there!")
    check("after signing up")

    assert not log.csp_violations() and not log.uncaught(), log.errors
    assert not problems, f"{len(problems)} accessibility problem(s):\n\n" + "\n\n".join(problems)
