"""A closed round's scores (a chart and a table of every proposal) are made once per result and language and
kept: each language still gets its own words, and the page of a round of 150 proposals does not render 150
rows again for every visitor."""

from __future__ import annotations

from markupsafe import escape

from app.votes import services as votes
from app.votes import tally as engine
from tests.rounds.factories import ballot_round
from tests.rounds.test_results_explained import close, text


def test_each_language_gets_the_scores_in_its_own_words(client, make_client, session, users):
    round_, proposals = ballot_round(session, "approval")
    votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposals[0].id),)))
    close(users, round_)
    url = f"/rounds/{round_.id}/results"

    for _ in range(2):  # made, then kept
        polish_page = client.get(url, headers={"Accept-Language": "pl"})
        english_page = make_client().get(url, headers={"Accept-Language": "en"})
        polish, english = text(polish_page), text(english_page)
        assert "Wyniki propozycji" in polish and "Scores of the proposals" not in polish
        assert "Scores of the proposals" in english and "Wyniki propozycji" not in english
        for page in (polish_page, english_page):
            raw = page.get_data(as_text=True)
            assert all(raw.count(str(escape(p.title))) >= 2 for p in proposals)  # the chart and the table
            assert "<script>" not in raw
        assert polish.count("Wybrana") + polish.count("Niewybrana") >= len(proposals)
