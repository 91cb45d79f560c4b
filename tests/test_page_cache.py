"""The anonymous page cache (app/page_cache.py, PAGE_CACHE_SECONDS): a visitor who is not signed in may get a
copy of the same reading page made a few seconds ago, never another language's, never a signed-in person's
page, never one older than the process's last commit."""

from __future__ import annotations

import pytest

from app.page_cache import PageCache
from tests.news.test_news import make_post
from tests.queries import count_queries


@pytest.fixture
def clock(app, monkeypatch):
    """The app with a 10-second page cache, on a clock the test moves."""
    now = [1000.0]
    cache = PageCache(app.wsgi_app, 10, app.config["SESSION_COOKIE_NAME"], "remember_token",
                      clock=lambda: now[0])
    monkeypatch.setattr(app, "wsgi_app", cache)
    return now


def _page(client, url="/news", **headers):
    response = client.get(url, headers={"Accept-Language": "pl", **headers})
    assert response.status_code == 200, response.status_code
    return response


def test_a_visitor_gets_the_copy_of_the_same_page_without_a_query(clock, app, client, make_client, session):
    make_post(session, title="Dyżur w świetlicy")
    first = _page(client)
    with count_queries(app) as statements:
        again = _page(make_client())
    assert statements == []
    assert again.get_data() == first.get_data()
    assert "Dyżur w świetlicy" in again.get_data(as_text=True)
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert "public" in again.headers["Cache-Control"]
    # The ETag of the copy answers a repeat with 304.
    repeat = client.get("/news", headers={"Accept-Language": "pl", "If-None-Match": first.headers["ETag"]})
    assert repeat.status_code == 304


def test_each_language_gets_its_own_page(clock, client, make_client):
    assert 'lang="pl"' in _page(client).get_data(as_text=True)
    assert 'lang="uk"' in _page(make_client(), **{"Accept-Language": "uk"}).get_data(as_text=True)
    chose_english = make_client()
    chose_english.http.set_cookie("lang", "en")
    assert 'lang="en"' in _page(chose_english).get_data(as_text=True)
    assert 'lang="pl"' in _page(make_client()).get_data(as_text=True)


def test_a_signed_in_person_never_gets_a_copy_and_is_never_copied(clock, app, client, make_client, users):
    visitor_page = _page(make_client()).get_data(as_text=True)
    client.login(users.resident())
    with count_queries(app) as statements:
        own = _page(client).get_data(as_text=True)
    assert statements  # rendered for her
    assert own != visitor_page and "/logout" in own and "/logout" not in visitor_page
    assert "/logout" not in _page(make_client()).get_data(as_text=True)


def test_a_visitor_with_a_session_is_never_served_a_copy(clock, app, client, make_client):
    """A session cookie (a form's token, a message to show once) makes the page the visitor's own."""
    _page(make_client())
    client.get("/login")  # a form: the session cookie with its token
    with count_queries(app) as statements:
        _page(client)
    assert statements


def test_a_commit_drops_every_copy(clock, client, make_client, session):
    assert "Dyżur w świetlicy" not in _page(client).get_data(as_text=True)
    make_post(session, title="Dyżur w świetlicy")  # committed (in this process)
    assert "Dyżur w świetlicy" in _page(make_client()).get_data(as_text=True)


def test_a_copy_is_kept_at_most_the_configured_seconds(clock, app, client):
    _page(client)
    clock[0] += 9
    with count_queries(app) as statements:
        _page(client)
    assert statements == []
    clock[0] += 2
    with count_queries(app) as statements:
        _page(client)
    assert statements


def test_an_htmx_request_gets_its_fragment_not_the_copy_of_the_page(clock, client, make_client):
    whole = _page(client, "/proposals").get_data(as_text=True)
    fragment = _page(make_client(), "/proposals", **{"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in whole and "<html" not in fragment


def test_off_when_zero(app):
    from app import create_app

    plain = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "PAGE_CACHE_SECONDS": 0})
    assert not isinstance(plain.wsgi_app, PageCache)
    cached = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "PAGE_CACHE_SECONDS": 10})
    assert isinstance(cached.wsgi_app, PageCache)


def test_made_up_queries_cannot_fill_the_memory_of_a_worker(app, client, monkeypatch):
    """Each query string is a copy of its own: past the byte budget the worker starts afresh."""
    cache = PageCache(app.wsgi_app, 10, app.config["SESSION_COOKIE_NAME"], "remember_token",
                      max_bytes=200_000)
    monkeypatch.setattr(app, "wsgi_app", cache)
    for n in range(40):
        _page(client, f"/news?x={n}")
        assert cache.size <= 200_000
        assert cache.size == sum(len(copy.body) for copy in cache.copies.values())
    assert 0 < len(cache.copies) < 40
