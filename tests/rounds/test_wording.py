"""The round and ballot pages read right in Polish: whole-sentence plurals, "Harmonogram" as a heading."""

from __future__ import annotations

import pytest

from tests.rounds.factories import ballot_round, make_round


def html(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")


def ids(*proposals) -> list[str]:
    return [str(p.id) for p in proposals]


@pytest.mark.parametrize(
    ("settings", "sentence"),
    [
        ({"min_choices": 1, "max_choices": 2}, "od 1 do 2 propozycji."),
        ({"min_choices": 2, "max_choices": 5}, "od 2 do 5 propozycji."),
        ({"min_choices": 1, "max_choices": 22}, "od 1 do 22 propozycji."),
        ({"min_choices": 2}, "co najmniej 2, dowolnie wiele."),
    ],
)
def test_approval_limits_are_one_sentence(client, session, settings, sentence):
    round_ = make_round(session, ballot_kind="approval", **settings)
    page = html(client.get(f"/rounds/{round_.id}"))
    assert "Zaznacz propozycje, które popierasz: " + sentence in page
    assert "propozycja do" not in page and "propozycje do" not in page


def test_ranking_minimum_is_one_sentence(client, session):
    round_ = make_round(session, ballot_kind="ordinal", min_choices=2, max_choices=3)
    page = html(client.get(f"/rounds/{round_.id}"))
    assert "Uszereguj co najmniej 2 propozycje." in page


def test_the_timetable_heading_stays_harmonogram(client, session):
    round_ = make_round(session)
    page = html(client.get(f"/rounds/{round_.id}"))
    assert '<h2 id="schedule-heading">Harmonogram</h2>' in page


@pytest.mark.parametrize(
    ("chosen", "text"),
    [(1, "Wybrano 1 propozycję"), (2, "Wybrano 2 propozycje"), (5, "Wybrano 5 propozycji"),
     (22, "Wybrano 22 propozycje")],
)
def test_the_ballot_counter_counts_in_polish(client, users, session, chosen, text):
    round_, proposals = ballot_round(session, "approval", n=chosen, costs=[100] * chosen)
    client.login(users.resident())
    response = client.post(f"/rounds/{round_.id}/vote/summary", {"choice": ids(*proposals)},
                           headers={"HX-Request": "true", "HX-Target": "ballot-summary"})
    assert response.status_code == 200
    assert text in html(response)
