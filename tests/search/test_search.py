"""Search everything (issue 17): proposals, activities, news and rounds, grouped by kind, diacritic-blind and
with Polish word forms, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.db import utcnow
from app.news.models import NewsPost
from app.proposals.models import Status
from app.search.stemming import query_terms, stem
from tests.activities.factories import make_activity
from tests.proposals.factories import make_proposal, make_round


@pytest.mark.parametrize(("word", "expected"), [
    ("seniorzy", "senior"), ("seniorami", "senior"), ("gotowanie", "gotow"), ("gotowania", "gotow"),
    ("rowery", "rower"), ("kawiarnia", "kawiarni"), ("dzieci", "dziec"), ("ogród", "ogrod"), ("kot", "kot"),
    ("sala", "sala"),
])
def test_a_query_word_is_cut_to_its_stem_and_short_words_stay_whole(word, expected):
    assert query_terms(word) == [expected]
    assert stem("abc") == "abc"


def test_gotowanie_seniorzy_finds_cooking_with_seniors(client, users, session):
    author = users.resident()
    make_proposal(session, author, title="Wspólne gotowanie z seniorami", body="Co tydzień w kuchni MAM.")
    make_proposal(session, author, title="Naprawa rowerów", body="Warsztat dla dzieci.")

    page = client.get("/search?q=gotowanie+seniorzy").get_data(as_text=True)

    assert "Wspólne gotowanie z seniorami" in page
    assert "Naprawa rowerów" not in page
    assert "1 wynik dla „gotowanie seniorzy”" in page


def test_search_ignores_letter_case_and_polish_letters(client, users, session):
    make_proposal(session, users.resident(), title="Żółw w ogrodzie społecznym", body="Opieka nad żółwiem.")

    for query in ("zolw", "ŻÓŁW", "ogrod spoleczny"):
        page = client.get(f"/search?q={query}").get_data(as_text=True)
        assert "Żółw w ogrodzie społecznym" in page, query


def test_results_are_grouped_by_kind(client, users, session):
    author = users.resident()
    make_proposal(session, author, title="Kącik szachowy", body="Szachy dla każdego.")
    make_activity(session, title="Turniej szachowy")
    session.add(NewsPost(title="Szachy wracają", body="Od grudnia grają szachiści.", body_html="<p>x</p>",
                         author_id=users.moderator().id))
    make_round(session, "submission", title="Szachowa runda pomysłów")
    session.commit()

    page = client.get("/search?q=szachy").get_data(as_text=True)

    headings = re.findall(r'<h2 id="search-(\w+)">', page)
    assert headings == ["proposal", "activity", "news", "round"]
    for title in ("Kącik szachowy", "Turniej szachowy", "Szachy wracają", "Szachowa runda pomysłów"):
        assert title in page
    assert "4 wyniki dla „szachy”" in page


def test_what_lists_do_not_show_is_not_found(client, users, session):
    author = users.resident()
    make_proposal(session, author, status=Status.DRAFT, title="Tajny szkic o pszczołach")
    make_proposal(session, author, title="Ukryte pszczoły", hidden_at=utcnow(), hidden_reason="Spam")
    make_round(session, "draft", title="Szkic rundy o pszczołach")
    tomorrow = utcnow() + timedelta(days=1)
    session.add(NewsPost(title="Pszczoły jutro", body="x", body_html="x", published_at=tomorrow))
    session.commit()

    page = client.get("/search?q=pszczoly").get_data(as_text=True)

    assert "0 wyników dla „pszczoly”" in page
    assert "Nic nie pasuje" in page
    for title in ("Tajny szkic", "Ukryte pszczoły", "Szkic rundy", "Pszczoły jutro"):
        assert title not in page


def test_an_edited_title_is_found_by_its_new_words_and_a_deleted_record_disappears(client, users, session):
    proposal = make_proposal(session, users.resident(), title="Kino plenerowe")
    assert "Kino plenerowe" in client.get("/search?q=kino").get_data(as_text=True)

    proposal.title = "Teatr podwórkowy"
    session.commit()
    assert "Teatr podwórkowy" in client.get("/search?q=teatr").get_data(as_text=True)
    assert "0 wyników" in client.get("/search?q=kino").get_data(as_text=True)

    activity = make_activity(session, title="Potańcówka sąsiedzka")
    session.delete(activity)
    session.commit()
    assert "0 wyników" in client.get("/search?q=potancowka").get_data(as_text=True)


def test_one_kind_pages_through_all_its_results(client, users, session):
    author = users.resident()
    for number in range(23):
        make_proposal(session, author, title=f"Ławka numer {number}")

    overview = client.get("/search?q=lawki").get_data(as_text=True)
    assert "Zobacz wszystkie 23 wyniki" in overview
    assert overview.count("Ławka numer") == 5

    first = client.get("/search?q=lawki&kind=proposal").get_data(as_text=True)
    second = client.get("/search?q=lawki&kind=proposal&page=2").get_data(as_text=True)
    assert first.count("Ławka numer") == 20 and second.count("Ławka numer") == 3
    assert "Strona 2 z 2" in second


@pytest.mark.parametrize("query", ["%", "_", "100%", "<script>alert(1)</script>", "a" * 500, "'; DROP x; --",
                                   "\u0000", "&&&", ":*", "!", "senior:* | x"])
def test_odd_queries_get_an_answer_never_an_error(client, users, session, query):
    make_proposal(session, users.resident(), title="Plac zabaw")

    response = client.get("/search", query_string={"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_an_empty_search_says_what_to_do(client):
    page = client.get("/search").get_data(as_text=True)
    assert "Wpisz słowo lub dwa" in page


def test_the_header_has_a_search_box_that_works_without_javascript(client):
    page = client.get("/").get_data(as_text=True)
    form = re.search(r'<form class="header-search" method="get" action="/search" role="search">(.*?)</form>',
                     page, re.S)
    assert form, "no search form in the header"
    assert 'name="q"' in form.group(1)
    assert "Szukaj" in form.group(1)


def test_flask_search_reindex_rebuilds_the_entries(app, client, users, session):
    import sqlalchemy as sa

    from app.search.models import SearchEntry

    make_proposal(session, users.resident(), title="Warsztaty ceramiczne")
    session.execute(sa.delete(SearchEntry))
    session.commit()
    assert "0 wyników" in client.get("/search?q=ceramika").get_data(as_text=True)

    result = app.test_cli_runner().invoke(args=["search", "reindex"])

    assert "records indexed" in result.output
    assert "Warsztaty ceramiczne" in client.get("/search?q=ceramiczne").get_data(as_text=True)
