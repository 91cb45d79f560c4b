"""The plain-language page "Jak głosujemy", its links from ballots and results, and the results page's
"Sprawdź samodzielnie" section that keeps hashes and command lines out of the main view."""

from __future__ import annotations

import re

import pytest

from app.phases.models import Phase
from tests.exports.factories import known_round
from tests.rounds.factories import ballot_round


def html(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def test_the_page_explains_every_ballot_kind_and_counting_rule_in_plain_polish(client):
    response = client.get("/how-we-vote")

    assert response.status_code == 200
    page = html(response)
    assert "<h1>Jak głosujemy</h1>" in page
    for heading in ("Zaznacz pomysły, które Ci się podobają", "Wybierz jeden pomysł", "Ułóż pomysły po kolei",
                    "Rozdziel punkty", "Tak albo nie", "Najwięcej głosów, dopóki starczy pieniędzy",
                    "Równe części budżetu", "Najlepsze pomysły", "Gdy dwa pomysły mają tyle samo głosów"):
        assert f"{heading}</h3>" in page, heading
    assert "Każdy ma równą część budżetu." in page
    assert "Wtedy losujemy." in page
    assert "ul. Kozłówka 14, 30-664 Kraków" in page  # where to vote on paper
    text = re.sub(r"<[^>]+>", " ", page[page.index("<main"):page.index("</main>")])
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 25  # short sentences
    for jargon in ("SHA-256", "flask ", "add1", "greedy", "Pabulib"):
        assert jargon not in text


def test_the_page_is_in_english_too(client):
    client.http.set_cookie("lang", "en")

    page = html(client.get("/how-we-vote"))

    assert "<h1>How we vote</h1>" in page and "Most votes, while the money lasts" in page


@pytest.mark.parametrize("kind", ["approval", "choose-1", "ordinal", "cumulative", "yes_no"])
def test_every_ballot_page_links_to_it(client, users, session, kind):
    round_, _ = ballot_round(session, kind)
    client.login(users.resident())

    ballot = html(client.get(f"/rounds/{round_.id}/vote"))
    client.login(users.moderator())
    paper = html(client.get(f"/rounds/{round_.id}/paper"))

    for page in (ballot, paper):
        assert '<a href="/how-we-vote">Jak głosujemy – wyjaśnienie prostymi słowami</a>' in page


def test_the_results_page_links_to_it_and_keeps_hashes_below_the_main_view(client, users, session):
    known = known_round(session, users)
    round_ = known.round
    assert round_.phase == Phase.CLOSED

    page = html(client.get(f"/rounds/{round_.id}/results"))

    assert '<a href="/how-we-vote#counting">Jak liczymy głosy</a>' in page
    check = page.index('<details class="card audit-trail check-yourself">')
    assert "Sprawdź samodzielnie" in page[check:]
    main_view = page[:check]
    for technical in (round_.ballots_sha256, round_.result_sha256, round_.lot_seed, "SHA-256"):
        assert technical not in main_view, technical
        assert technical in page[check:], technical
    assert page.index("Zwycięskie propozycje") < check and page.index("Pobierz wyniki") < check
    # No command lines anywhere on the page: anyone can recount with the published files, linked here.
    assert "flask " not in page and "recount" not in page
    below = page[check:]
    assert "Każdy może policzyć głosy jeszcze raz." in below
    assert f'href="/data/rounds/{round_.id}/ballots.csv"' in below
    assert f'href="/data/rounds/{round_.id}/results.json"' in below


@pytest.mark.parametrize(("kind", "rule", "kind_words", "rule_words"), [
    ("approval", "greedy", "Zaznacz pomysły, które Ci się podobają",
     "Najwięcej głosów, dopóki starczy pieniędzy"),
    ("approval", "equal_shares", "Zaznacz pomysły, które Ci się podobają", "Równe części budżetu"),
    ("ordinal", "ranking", "Ułóż pomysły po kolei", "Najlepsze pomysły"),
])
def test_the_results_page_names_the_ballot_and_the_count_in_the_words_of_how_we_vote(
        client, users, session, kind, rule, kind_words, rule_words):
    known = known_round(session, users)
    round_ = known.round
    round_.ballot_kind, round_.rule = kind, rule
    session.commit()
    how = html(client.get("/how-we-vote"))

    page = html(client.get(f"/rounds/{round_.id}/results"))

    rules = page[page.index('<dl class="facts plain-rules">'):]
    rules = rules[:rules.index("</dl>")]
    for words in (kind_words, rule_words):
        assert f">{words}</a>." in rules and f">{words}</h3>" in how
    # The paragraph after each heading on /how-we-vote is the one the results page repeats.
    for heading in (kind_words, rule_words):
        paragraph = re.search(rf">{heading}</h3>\s*<p>(.*?)</p>", how).group(1)
        assert paragraph in rules
    text = re.sub(r"<[^>]+>", " ", rules)
    assert "greedy" not in text and "add1" not in text.lower()


def test_every_page_links_to_it_in_the_footer(client):
    page = html(client.get("/proposals"))

    assert '<a href="/how-we-vote">Jak głosujemy</a>' in page[page.index("<footer"):]
