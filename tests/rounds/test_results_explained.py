"""Result pages, the protocol and the ballot counter say what the count did (issue 14 §4)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from app.phases.models import Phase, Round
from app.rounds import services as rounds
from app.votes import services as votes
from app.votes import tally as engine
from tests.exports.test_printouts import pdf, pdf_text  # noqa: F401  (pdf is a fixture)
from tests.rounds.factories import ballot_round, make_proposal, make_round

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"


def text(response) -> str:
    """The page as a person reads it: tags dropped, spaces normalised."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<[^>]+>", " ", page).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", page)


def ids(*proposals) -> list[str]:
    return [str(p.id) for p in proposals]


def close(users, round_) -> None:
    rounds.advance_phase(users.moderator(), round_.id, Phase.VOTING)


# --- turnout ----------------------------------------------------------------------------------------


def test_an_imported_round_gives_no_turnout_of_the_platforms_residents(app, client, session, users):
    users.resident()  # the platform's electorate is not the file's
    result = app.test_cli_runner().invoke(
        args=["votes", "import-pabulib", str(DATA / "Poland_Czestochowa_2024_Mirow.pb")])
    assert result.exit_code == 0, result.output
    round_ = session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
    page = text(client.get(f"/rounds/{round_.id}/results"))
    ballots = round_.result["ballots"]
    assert f"{ballots} kart" in page
    assert "Frekwencja" not in page.split("Policzone karty")[1].split("Zwycięskie")[0]
    assert "Uprawnieni do głosowania" not in page
    assert "Karty zaimportowano z pliku, który nie podaje, ile osób mogło głosować" in page
    assert round_.result["eligible_voters"] is None and round_.result["imported"] is True
    same, _stored, _recomputed = rounds.recount(round_.id)
    assert same


def test_a_round_of_the_platform_still_gives_its_turnout(client, session, users):
    round_, proposals = ballot_round(session, "approval")
    for _ in range(2):
        votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposals[0].id),)))
    users.resident()
    close(users, round_)
    page = text(client.get(f"/rounds/{round_.id}/results"))
    eligible = round_.result["eligible_voters"]
    assert f"Uprawnieni do głosowania {eligible} os" in page
    assert "Frekwencja" in page and "Karty zaimportowano" not in page


# --- yes/no, costs, badges --------------------------------------------------------------------------


def test_yes_no_results_show_yes_no_and_abstaining_and_the_badge_says_passed(client, session, users):
    round_, (park, fence) = ballot_round(session, "yes_no", n=2)
    answers = [("yes", "no"), ("yes", "abstain"), ("no", "no"), ("yes", "abstain"), ("abstain", "yes")]
    for a, b in answers:
        votes.cast_ballot(users.resident(), round_,
                          engine.YesNoBallot(((str(park.id), a), (str(fence.id), b))))
    close(users, round_)
    response = client.get(f"/rounds/{round_.id}/results")
    page = text(response)
    raw = response.get_data(as_text=True)
    # park: 3 yes, 1 no, 1 abstaining; fence: 1 yes, 2 no, 2 abstaining
    assert "3 za, 1 przeciw, 1 wstrzymujących się" in page
    assert "1 za, 2 przeciw, 2 wstrzymujących się" in page
    assert raw.count('class="bar-no"') == 2 and raw.count('class="bar-abstain"') == 2
    rows = re.findall(r"<tr>(.*?)</tr>", raw, re.S)[1:]
    cells = [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
              for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows]
    # place, proposal, cost, yes, no, abstaining, outcome
    assert [c[3:6] for c in cells] == [["3", "1", "1"], ["1", "2", "2"]]
    assert cells[0][6].startswith("Przyjęta Przyjęta: 3 za, 1 przeciw")
    assert cells[1][6].startswith("Nieprzyjęta Nieprzyjęta:")
    assert "Wybrana" not in page and "Niewybrana" not in page
    assert "Wstrzymujący się" in page  # the column


def test_a_round_without_costs_has_no_cost_column(client, session, users):
    round_, proposals = ballot_round(session, "approval", costs=[0, 0, 0], rule="ranking", ranking_top_n=1,
                                     budget_grosze=None)
    votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot(tuple(ids(proposals[0]))))
    close(users, round_)
    page = text(client.get(f"/rounds/{round_.id}/results"))
    assert "0,00 zł" not in page and " Koszt " not in page
    assert "Wybrana" in page


# --- places and ties --------------------------------------------------------------------------------


def test_equal_scores_share_a_place_and_the_tie_names_the_deciding_step(client, session, users):
    """Three proposals with 2 points each: A (2 000 zł) and B (2 000 zł) fit the 5 000 zł budget, C
    (4 000 zł) no longer does. A before B is the lot; B before C is the lower cost, which decided who won."""
    round_ = make_round(session, Phase.VOTING, "approval", budget_grosze=500_000)
    a, b, c = (make_proposal(session, round_, cost_grosze=cost) for cost in (200_000, 200_000, 400_000))
    for choice in ((a, b), (b, c), (c, a)):
        votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot(tuple(ids(*choice))))
    close(users, round_)
    tie = round_.result["tally"]["ties"][0]
    assert tie["projects"][2] == str(c.id) and tie["criterion"] == "lower_cost"
    assert [s["criterion"] for s in tie["steps"]] == ["lot", "lower_cost"]
    page = text(client.get(f"/rounds/{round_.id}/results"))
    places = [row.split()[0] for row in re.findall(r"<tr>\s*<td>(\d+)</td>", client.get(
        f"/rounds/{round_.id}/results").get_data(as_text=True))]
    assert places == ["1", "1", "1"]
    assert "Propozycje z tym samym wynikiem zajmują to samo miejsce" in page
    assert "Kolejność zdecydowała o tym, kto wygrał, a rozstrzygnęło kryterium: niższy koszt." in page


# --- the protocol -----------------------------------------------------------------------------------


def test_the_protocol_of_a_round_opened_by_hand(client, session, users, pdf):  # noqa: F811
    moderator = users.moderator()
    round_ = make_round(session, Phase.REVIEW, "approval", budget_grosze=500_000)
    a, b, c = (make_proposal(session, round_, cost_grosze=cost) for cost in (200_000, 200_000, 400_000))
    rounds.advance_phase(moderator, round_.id, Phase.REVIEW)  # opened by hand: no date was planned
    assert round_.voting_starts_at is None
    for choice in ((a, b), (b, c), (c, a)):
        votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot(tuple(ids(*choice))))
    close(users, round_)
    pdf_page = re.sub(r"\s+", " ", pdf_text(client.get(f"/data/rounds/{round_.id}/protocol.pdf")))
    opened = re.search(r"Początek głosowania (\S+)", pdf_page).group(1)
    assert re.match(r"\d", opened), opened  # a date, not "—"
    assert pdf_page.count("O równych wynikach rozstrzyga") == 1
    assert "Propozycje z tym samym wynikiem zajmują to samo miejsce" in pdf_page
    assert "rozstrzygnęło kryterium: niższy koszt" in pdf_page


# --- the ballot counter -----------------------------------------------------------------------------


def test_the_counter_counts_a_proposal_ranked_twice_once(client, session, users):
    round_, proposals = ballot_round(session, "ordinal")
    client.login(users.resident())
    pid = str(proposals[0].id)
    fragment = text(client.post(f"/rounds/{round_.id}/vote/summary", {"rank-1": pid, "rank-2": pid},
                                headers={"HX-Request": "true"}))
    assert "Wybrano 1 propozycję" in fragment and "Wybrano 2" not in fragment
    assert "Koszt twoich wyborów: 1 000,00 zł" in fragment
    assert "Jeszcze nie gotowe:" in fragment and "Ta karta jest ważna" not in fragment


def test_the_counter_shows_points_over_the_per_proposal_limit(client, session, users):
    round_, proposals = ballot_round(session, "cumulative", points_total=10, points_per_proposal=3)
    client.login(users.resident())
    page = client.get(f"/rounds/{round_.id}/vote").get_data(as_text=True)
    form = re.search(r'<form method="post"[^>]*class="ballot-form"[^>]*>', page).group(0)
    assert "novalidate" in form  # htmx sends the ballot to the counter instead of blocking it
    fragment = text(client.post(f"/rounds/{round_.id}/vote/summary", {f"points-{proposals[0].id}": "5"},
                                headers={"HX-Request": "true"}))
    assert "Przyznano 5 punktów" in fragment
    assert "Jeszcze nie gotowe:" in fragment and "3" in fragment.split("Jeszcze nie gotowe:")[1]


def test_the_refusal_banner_goes_once_the_counter_finds_the_ballot_valid(client, session, users):
    round_, proposals = ballot_round(session, "approval", max_choices=1)
    client.login(users.resident())
    refused = client.post(f"/rounds/{round_.id}/vote", {"choice": ids(*proposals)}, confirm=True)
    assert refused.status_code == 422
    assert "Twoja karta nie została przyjęta" in text(refused)
    fixed = client.post(f"/rounds/{round_.id}/vote/summary", {"choice": ids(proposals[0])},
                        headers={"HX-Request": "true"})
    raw = fixed.get_data(as_text=True)
    assert "Ta karta jest ważna." in text(fixed)
    banner = re.search(r'<div id="ballot-refusal" data-hx-swap-oob="true">(.*?)</div>\s*$', raw, re.S)
    assert banner is not None and banner.group(1).strip() == ""
    still_wrong = client.post(f"/rounds/{round_.id}/vote/summary", {"choice": ids(*proposals)},
                              headers={"HX-Request": "true"})
    assert "Twoja karta nie została przyjęta" not in text(still_wrong)  # a check is not a refusal
    assert "Jeszcze nie gotowe:" in text(still_wrong)


def test_results_kept_between_requests_follow_each_language(app, client, session, users):
    """The results of a closed round are made once per language and fingerprint, then read from memory."""
    from app.rounds import display

    round_, proposals = ballot_round(session, "approval")
    votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposals[0].id),)))
    close(users, round_)
    polish = text(client.get(f"/rounds/{round_.id}/results"))
    english = text(client.get(f"/rounds/{round_.id}/results", headers={"Accept-Language": "en"}))
    assert "Zwycięskie" in polish and "Zwycięskie" not in english
    assert text(client.get(f"/rounds/{round_.id}/results")) == polish
    assert text(client.get(f"/rounds/{round_.id}/results", headers={"Accept-Language": "en"})) == english
    with app.test_request_context():
        assert display.results(round_) is display.results(round_)
