"""Issue 17's look on a 320 px phone, with the demo's data and JavaScript on (sizes are measured by scripts
in the page; the server sends the same markup and style sheet without it):
- the results chart: labels and numbers are page text (at least 16 px, like every text), not SVG text that
  shrinks with the picture; the bars stay in proportion; nothing reaches past the screen's edge;
- badges are at least 16 px, and consecutive cards never touch (a visible gap between them);
- the header's brand name never runs under the bell or the menu button."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import db
from app.demo.seed import DEMO_PASSWORD, seed
from app.phases.models import Round
from tests.e2e.conftest import ConsoleLog, SimpleUser, login, serve
from tests.e2e.test_round_form import NARROW, TOO_WIDE_IN_MAIN

SIZES = """() => [...document.querySelectorAll('.score-chart li')].map(li => ({
  label: parseFloat(getComputedStyle(li.querySelector('.chart-label')).fontSize),
  value: parseFloat(getComputedStyle(li.querySelector('.chart-value')).fontSize),
  bar: li.querySelector('.chart-bar').getBoundingClientRect().width,
  filled: [...li.querySelectorAll('.chart-bar rect')].reduce(
    (sum, r) => sum + r.getBoundingClientRect().width, 0),
  svgText: li.querySelectorAll('text').length,
}))"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    def prepare(app):
        with app.test_request_context():
            list(seed())

    yield from serve(tmp_path_factory, "phone_look", prepare)


def test_chart_labels_keep_their_size_on_a_320_px_screen(new_context, demo_server):
    with demo_server.app.app_context():
        closed = db.session.execute(
            sa.select(Round.id, Round.ballot_kind)
            .where(Round.phase == "closed", Round.result.is_not(None)).order_by(Round.id)).all()
        db.session.remove()
    assert closed
    _, page, log = new_context(js=True, viewport=NARROW)
    problems = []
    for round_id, kind in closed:
        page.goto(f"{demo_server.url}/rounds/{round_id}/results")
        rows = page.evaluate(SIZES)
        assert rows, f"round {round_id} ({kind}) has no chart rows"
        for row in rows:
            if min(row["label"], row["value"]) < 16 or row["svgText"]:
                problems.append(f"round {round_id} ({kind}): {row}")
            if row["bar"] < 200 or row["filled"] > row["bar"] + 0.5:
                problems.append(f"round {round_id} ({kind}): bar {row}")
        too_wide = page.evaluate(TOO_WIDE_IN_MAIN)
        if too_wide:
            problems.append(f"round {round_id} ({kind}) wider than 320 px: {too_wide}")
    assert not problems, "\n".join(problems)
    assert not log.csp_violations() and not log.uncaught(), log.errors


# Badges' sizes, and the gap between each card and the next card beside or below it in the same parent.
BADGES_AND_GAPS = """() => {
  const badges = [...document.querySelectorAll('main .badge, main [class*="badge"]')]
    .filter(e => e.getClientRects().length && e.textContent.trim())
    .map(e => ({size: parseFloat(getComputedStyle(e).fontSize), text: e.textContent.trim().slice(0, 30)}));
  const touching = [];
  for (const card of document.querySelectorAll('main .card')) {
    let next = card.nextElementSibling;
    while (next && !next.getClientRects().length) next = next.nextElementSibling;
    if (!next || !next.classList.contains('card')) continue;
    const a = card.getBoundingClientRect(), b = next.getBoundingClientRect();
    const gap = Math.max(b.top - a.bottom, b.left - a.right);
    if (gap < 8) touching.push((card.textContent || '').trim().slice(0, 30) + ' | gap ' + gap);
  }
  return {badges, touching, cards: document.querySelectorAll('main .card').length};
}"""


# Buttons next to each other that wrap onto the next line: the gap between the two rows (px).
STACKED_BUTTONS = """() => {
  const out = [];
  for (const a of document.querySelectorAll('main .button')) {
    const b = a.nextElementSibling;
    if (!b || !b.classList.contains('button')) continue;
    const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
    const overlap = Math.min(r.right, s.right) - Math.max(r.left, s.left);
    if (s.top >= r.top + r.height / 2 && overlap > 0 && s.top - r.bottom < 4)
      out.push((a.textContent || '').trim().slice(0, 30) + ' / ' + (b.textContent || '').trim().slice(0, 30));
  }
  return out; }"""


def test_badges_are_16_px_and_cards_keep_apart_on_a_320_px_screen(browser, demo_server):
    context = browser.new_context(base_url=demo_server.url, viewport=NARROW, locale="pl-PL")
    context.set_default_timeout(30_000)
    log = ConsoleLog()
    context.on("page", log.attach)
    page = context.new_page()
    steering = demo_server.user_by_email("rada@mam.example")
    login(page, demo_server, SimpleUser(steering.id, steering.email, steering.display_name, DEMO_PASSWORD))
    problems, badges = [], 0
    for path in ("/data", "/account", "/account/data/readable", "/proposals", "/me", "/rounds"):
        page.goto(path)
        found = page.evaluate(BADGES_AND_GAPS)
        badges += len(found["badges"])
        problems += [f"{path}: badge {b}" for b in found["badges"] if b["size"] < 16]
        problems += [f"{path}: cards touch: {t}" for t in found["touching"]]
        problems += [f"{path}: buttons touch: {t}" for t in page.evaluate(STACKED_BUTTONS)]
        if path in ("/data", "/account"):
            assert found["cards"] >= 2, path
    context.close()
    assert badges >= 5 and not problems, "\n".join(problems)
    assert not log.csp_violations() and not log.uncaught(), log.errors


# How far right the brand name's text reaches (0 when it is read by screen readers only), and where the next
# item of the header row (the bell, else the menu button) begins.
BRAND_AND_NEXT = """() => {
  const name = document.querySelector('.brand-name');
  let right = 0;
  if (name.getBoundingClientRect().width > 2) {
    const range = document.createRange();
    range.selectNodeContents(name);
    for (const r of range.getClientRects()) right = Math.max(right, r.right);
  }
  const next = document.querySelector('.notifications-link')
    || document.querySelector('.site-menu > summary');
  return {right, next: next.getBoundingClientRect().left}; }"""


def test_the_brand_name_never_runs_under_the_bell_or_the_menu(browser, demo_server):
    problems = []
    # A visitor in each language; then two residents, each in the language of their account.
    people = (("pl", None), ("uk", None), ("pl", "jadwiga@mam.example"), ("uk", "oksana@mam.example"))
    for lang, email in people:
        context = browser.new_context(base_url=demo_server.url, viewport=NARROW)
        context.set_default_timeout(30_000)
        context.add_cookies([{"name": "lang", "value": lang, "url": demo_server.url}])
        page = context.new_page()
        if email:
            user = demo_server.user_by_email(email)
            login(page, demo_server, SimpleUser(user.id, user.email, user.display_name, DEMO_PASSWORD), lang)
            assert page.locator(".notifications-link").count() == 1
        for width in (320, 360, 375, 414, 480):
            page.set_viewport_size({"width": width, "height": 700})
            page.goto("/proposals")
            found = page.evaluate(BRAND_AND_NEXT)
            if found["right"] > found["next"]:
                problems.append(f"{lang}, {email or 'a visitor'}, {width} px: the name reaches "
                                f"{found['right']:.0f} px, the next item starts at {found['next']:.0f} px")
        context.close()
    assert not problems, "\n".join(problems)
