"""Reading pages for anonymous visitors: no cookie, cacheable by shared caches, 304 on a repeat; for a
signed-in person: private. The CSRF token still reaches every form and HTMX request that needs it."""

from __future__ import annotations

import re

import pytest

from bench import seed as seeding
from tests.conftest import CSRF_META


@pytest.fixture
def pages(session) -> dict[str, str]:
    ids = seeding.seed(seeding.TINY)
    return {
        "home": "/",
        "proposals": "/proposals",
        "proposal": f"/proposals/{ids.quiet}",
        "round": f"/rounds/{ids.voting_round}",
        "results": f"/rounds/{ids.closed_round}/results",
        "activities": "/activities",
        "activity": f"/activities/{ids.activity}",
        "news": "/news",
        "news post": f"/news/{ids.news}",
    }


def test_anonymous_reading_pages_set_no_cookie_and_are_public_with_an_etag(pages, client):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response.headers.getlist("Set-Cookie") == [], name
        assert response.headers["Cache-Control"] == "public, max-age=60", name
        assert {"Cookie", "Accept-Language"} <= set(response.vary), name
        html = response.get_data(as_text=True)
        assert CSRF_META.search(html) is None, name
        assert 'name="csrf_token"' not in html, name

        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304, name
        assert again.get_data() == b""


def test_signed_in_pages_are_private_and_carry_the_token(pages, client, users):
    client.login(users.resident())
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        cache = response.headers["Cache-Control"]
        assert "private" in cache and "no-cache" in cache and "public" not in cache, name
        assert CSRF_META.search(response.get_data(as_text=True)), name


def test_a_page_with_a_form_gives_the_visitor_a_token_and_stays_private(client):
    response = client.get("/login")
    assert any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie"))
    assert "public" not in response.headers.get("Cache-Control", "")
    token = CSRF_META.search(response.get_data(as_text=True)).group(1)
    assert re.search(rf'name="csrf_token" type="hidden" value="{re.escape(token)}"',
                     response.get_data(as_text=True))


def test_a_page_showing_a_flash_message_is_not_public(pages, client, users):
    """The message lives in the session until shown: that page belongs to the visitor."""
    user = users.resident()
    client.login(user)
    client.logout()  # leaves "you are signed out" for the next page
    response = client.get("/")
    assert response.status_code == 200
    assert "public" not in response.headers["Cache-Control"]


def test_a_visitor_switches_language_without_a_token(pages, client):
    response = client.post("/language", {"lang": "en", "next": pages["news"]}, csrf=False)
    assert response.status_code == 303
    assert any(c.startswith("lang=en") for c in response.headers.getlist("Set-Cookie"))
    english = client.get(pages["news"])
    assert '<html lang="en"' in english.get_data(as_text=True)
    assert english.headers["Cache-Control"] == "public, max-age=60"  # kept apart by Vary: Cookie


def test_a_signed_in_person_needs_the_token_to_switch_language(client, users, session):
    user = users.resident()
    client.login(user)
    refused = client.post("/language", {"lang": "en"}, csrf=False)
    assert refused.status_code == 400
    session.refresh(user)
    assert user.locale == "pl"
    assert client.post("/language", {"lang": "en"}).status_code == 303
    session.refresh(user)
    assert user.locale == "en"
