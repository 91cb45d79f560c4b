"""axe-core on every kind of page of the platform, with the realistic demo data (`flask demo seed`):
proposals, discussion, rounds (voting forms of each ballot kind, results), activities, news, open data,
moderation and the moderators' forms; as a visitor in Polish and as a moderator in English, on a desktop
and a phone-sized screen. Pages are found by following links from the home page, one page per route."""

from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException

from app.demo.seed import DEMO_PASSWORD, seed
from tests.e2e.conftest import PHONE, serve
from tests.e2e.test_accessibility import Audit

LINK = re.compile(r'href="(/[^"#]*)"')
# Files, feeds, machine-readable data and sign-out are not pages to audit.
NOT_PAGES = re.compile(r"^/(static/|api/|logout)|\.(ics|csv|xlsx|pdf|pb|atom|json|jpe?g|png|webp)(\?|$)")
# Routes that answer with a file to download rather than a page.
DOWNLOADS = {"privacy.download", "exports.protocol", "exports.report", "exports.round_ballots",
             "exports.round_results", "activities.feed", "activities.feed_one", "activities.feed_personal",
             "news.feed", "media.file"}
# Routes whose pages differ by more than their data: every round (each ballot kind has its own form).
PER_ROUTE = {"rounds.detail": 8, "rounds.vote": 8, "rounds.results": 4}
MAX_PAGES = 100


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    def prepare(app):
        with app.test_request_context():
            list(seed())

    yield from serve(tmp_path_factory, "demo", prepare)


def _endpoint(app, url: str) -> str | None:
    try:
        endpoint, _ = app.url_map.bind("localhost").match(urlsplit(url).path, method="GET")
    except HTTPException:
        return None
    return endpoint


def crawl(audit: Audit, app, start: str = "/") -> list[str]:
    """Visit and check one page per route (two if a query string varies it, every round's pages),
    breadth first; returns the routes seen."""
    seen_endpoints: dict[str, int] = {}
    visited, queue = set(), deque([start])
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        if url in visited or NOT_PAGES.search(url):
            continue
        endpoint = _endpoint(app, url)
        # one page per route, two for routes whose query changes the page (filters, month view)
        if endpoint is None or endpoint in DOWNLOADS or endpoint.startswith("api."):
            continue
        if seen_endpoints.get(endpoint, 0) >= PER_ROUTE.get(endpoint, 2 if "?" in url else 1):
            continue
        visited.add(url)
        seen_endpoints[endpoint] = seen_endpoints.get(endpoint, 0) + 1
        response = audit.goto(url)
        if response.status >= 500:
            audit.problems.append(f"{url} answered {response.status}")
        if "text/html" in (response.headers.get("content-type") or ""):
            queue.extend(html.unescape(link) for link in LINK.findall(audit.page.content()))  # &amp; → &
    return sorted(seen_endpoints)


def test_every_page_a_visitor_sees_is_accessible(new_context, demo_server):
    audit = Audit(new_context, demo_server, "pl")
    audit.open()
    endpoints = crawl(audit, demo_server.app)
    for needed in ("proposals.index", "proposals.show", "rounds.index", "rounds.detail", "activities.index",
                   "activities.show", "news.index", "news.show"):
        assert needed in endpoints, endpoints
    audit.assert_clean()


def test_every_page_a_moderator_sees_is_accessible(new_context, demo_server):
    audit = Audit(new_context, demo_server, "en")
    page = audit.open()
    page.goto(demo_server.url + "/login")
    page.fill("#email", "moderator@mam.example")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("#flash-messages")).to_contain_text("Zalogowano.")  # the account's language
    page.locator(".language-menu > summary").click()
    page.locator(".language-switch").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    endpoints = crawl(audit, demo_server.app)
    for needed in ("discussion.moderation", "discussion.hidden", "rounds.new", "rounds.vote", "rounds.paper",
                   "proposals.new", "activities.new", "news.new", "residents.index"):
        assert needed in endpoints, endpoints
    audit.assert_clean()


def test_every_page_a_ukrainian_resident_sees_is_accessible(new_context, demo_server):
    """Oksana uses the platform in Ukrainian on her phone: longer words must still fit it, and every page
    says lang="uk". (The desktop layout is audited in Polish and English above: the same templates.)"""
    audit = Audit(new_context, demo_server, "uk", viewports={"phone": PHONE})
    page = audit.open()
    page.goto(demo_server.url + "/login")
    page.fill("#email", "oksana@mam.example")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form").get_by_role("button", name="Увійти", exact=True).click()
    expect(page.locator("#flash-messages")).to_contain_text("Вхід виконано.")
    endpoints = crawl(audit, demo_server.app)
    for needed in ("proposals.index", "proposals.show", "rounds.detail", "rounds.vote", "activities.show",
                   "auth.profile"):
        assert needed in endpoints, endpoints
    audit.assert_clean()
