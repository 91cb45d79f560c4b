"""The proposal pages read right in Polish: buttons say what they do, dates in one format."""

from __future__ import annotations

import re

from app.proposals.models import Status
from tests.proposals.factories import make_proposal, make_round


def test_the_author_withdraws_with_wycofaj_propozycje(client, session, users):
    author = users.resident()
    proposal = make_proposal(session, author, status=Status.SUBMITTED, round_=make_round(session))
    client.login(author)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert ">Wycofaj propozycję</button>" in page
    assert "Cofnij" not in page


def test_dates_read_as_polish_words_and_time_elements_are_iso(client, session, users):
    proposal = make_proposal(session, users.resident(), status=Status.SUBMITTED)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True).replace("\xa0", " ")
    months = ("stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|"
              "grudnia")
    assert re.search(rf"<dd>\d{{1,2}} ({months}) \d{{4}}, \d{{2}}:\d{{2}}</dd>", page)  # Published
    stamps = re.findall(r'<time datetime="([^"]+)"', page)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s) for s in stamps)
    assert "CET" not in page and "CEST" not in page
