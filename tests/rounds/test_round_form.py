"""The round form in two steps: first the ballot kind and the counting rule (a GET form, in the words of
"Jak głosujemy"), then only the settings that kind and rule need, each explained in plain words."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.phases.models import Phase, Round
from tests.rounds.factories import make_round

ALL_SETTINGS = ("min_choices", "max_choices", "max_ballot_cost", "points_total", "points_per_proposal",
                "budget", "equal_shares_completion", "ranking_top_n", "ranking_threshold", "yes_no_quorum",
                "yes_no_majority_percent", "tie_break")


def html(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def shown(page: str) -> set[str]:
    """The names of the visible settings fields on a page."""
    names = set(re.findall(r'<input(?![^>]*type="hidden")[^>]*name="([a-z_]+)"', page))
    return names & set(ALL_SETTINGS)


def how_we_vote_headings(client) -> list[str]:
    return re.findall(r"<h3 id=\"[a-z-]+\">([^<]+)</h3>", html(client.get("/how-we-vote")))


def test_step_one_asks_for_the_ballot_and_the_count_in_the_words_of_how_we_vote(client, users):
    client.login(users.moderator())

    page = html(client.get("/rounds/new"))

    form = page[page.index('<form method="get" action="/rounds/new"'):]
    form = form[:form.index("</form>")]
    headings = how_we_vote_headings(client)
    labels = re.findall(r'<label for="(?:ballot_kind|rule)-\d">([^<]+)</label>', form)
    assert labels == [h for h in headings if h != "Gdy dwa pomysły mają tyle samo głosów"]
    assert "Każdy ma równą część budżetu." in form  # the paragraphs too, not just the headings
    assert "Krok 1 z 2" in page and ">Dalej: ustawienia</button>" in form
    assert not shown(page) and 'name="title"' not in page  # nothing else yet


@pytest.mark.parametrize(("kind", "rule", "expected"), [
    ("approval", "greedy", {"min_choices", "max_choices", "max_ballot_cost", "budget", "tie_break"}),
    ("choose-1", "equal_shares", {"budget", "equal_shares_completion", "tie_break"}),
    ("ordinal", "ranking", {"min_choices", "max_choices", "ranking_top_n", "ranking_threshold", "tie_break"}),
    ("cumulative", "greedy", {"points_total", "points_per_proposal", "budget", "tie_break"}),
    ("yes_no", "", {"yes_no_quorum", "yes_no_majority_percent"}),
])
def test_step_two_shows_only_the_settings_of_the_chosen_kind_and_rule(client, users, kind, rule, expected):
    client.login(users.moderator())

    response = client.get("/rounds/new", query_string={"ballot_kind": kind, "rule": rule})

    page = html(response)
    assert response.status_code == 200
    assert shown(page) == expected
    assert f'<input type="hidden" name="ballot_kind" value="{kind}">' in page
    assert "Krok 2 z 2" in page and 'name="title"' in page


def test_step_two_is_much_shorter_than_the_old_form_and_explains_its_terms(client, users):
    client.login(users.moderator())

    equal = html(client.get("/rounds/new", query_string={"ballot_kind": "approval", "rule": "equal_shares"}))
    yes_no = html(client.get("/rounds/new", query_string={"ballot_kind": "yes_no"}))

    # "Add1" only ever appears inside a sentence that says what it does.
    assert "Podnieś po trochu część każdej osoby i spróbuj jeszcze raz" in equal
    assert re.findall(r"[^.>]*Add1[^<]*", equal) == [
        "Podnieś po trochu część każdej osoby i spróbuj jeszcze raz, żeby wykorzystać więcej pieniędzy "
        "(zalecane; fachowo nazywa się to „Add1”)"]
    assert "Równe części budżetu." in equal and "Każdy ma równą część budżetu." in equal
    # The turnout quorum is said in words: who must take part, with an example.
    assert "Potrzebna frekwencja (%)" in yes_no
    assert "co najmniej tyle procent osób uprawnionych (tak zwane kworum frekwencji)" in yes_no
    assert "30 oznacza 30 osób na każde 100" in yes_no
    assert "Każda propozycja przechodzi albo odpada sama, niezależnie od innych." in yes_no
    for page in (equal, yes_no):
        assert len(re.findall(r"<input", page)) < 40


def test_date_inputs_carry_no_maxlength(client, users):
    client.login(users.moderator())

    page = html(client.get("/rounds/new", query_string={"ballot_kind": "approval", "rule": "greedy"}))

    dates = re.findall(r'<input[^>]*type="datetime-local"[^>]*>', page)
    assert len(dates) == 4 and not any("maxlength" in tag for tag in dates)


def test_a_missing_rule_brings_back_step_one_with_a_message(client, users):
    client.login(users.moderator())

    response = client.get("/rounds/new", query_string={"ballot_kind": "approval"})

    page = html(response)
    assert response.status_code == 422
    assert 'class="error-summary"' in page and "Wybierz jedną z reguł wyboru." in page
    assert re.search(r'name="ballot_kind" id="ballot_kind-0" value="approval"[^>]*checked', page)


def test_without_javascript_two_steps_create_the_round(client, users, session):
    client.login(users.moderator())
    step_two = client.get("/rounds/new", query_string={"ballot_kind": "cumulative", "rule": "ranking"})
    assert step_two.status_code == 200

    response = client.post("/rounds/new", {
        "ballot_kind": "cumulative", "rule": "ranking", "title": "Podwórko 2026", "description": "",
        "points_total": "10", "points_per_proposal": "4", "ranking_top_n": "2", "tie_break": "cost",
        "secrecy": "secret", "eligibility": "verified_residents", "submission_starts_at": "",
        "review_starts_at": "", "voting_starts_at": "", "voting_ends_at": "",
    })

    assert response.status_code == 303, html(response)[:2000]
    round_ = session.scalar(sa.select(Round).where(Round.title == "Podwórko 2026"))
    assert (round_.ballot_kind, round_.rule, round_.points_total, round_.ranking_top_n) == (
        "cumulative", "ranking", 10, 2)


def test_a_post_without_a_ballot_kind_shows_the_choice_inside_the_form(client, users, session):
    client.login(users.moderator())

    response = client.post("/rounds/new", {"title": ""})

    page = html(response)
    assert response.status_code == 422
    assert "To pole jest wymagane." in page
    post_form = page[page.index('<form method="post" class="round-form"'):]
    assert 'name="ballot_kind"' in post_form and 'name="rule"' in post_form
    assert not shown(page) - {"tie_break"}
    assert session.scalar(sa.select(sa.func.count()).select_from(Round)) == 0


def test_editing_changes_the_ballot_kind_in_two_steps_and_keeps_the_rest(client, users, session):
    round_ = make_round(session, Phase.DRAFT, "approval", max_choices=3)
    client.login(users.moderator())
    edit = html(client.get(f"/rounds/{round_.id}/edit"))
    assert f'href="/rounds/{round_.id}/edit?step=kind"' in edit
    assert shown(edit) == {"min_choices", "max_choices", "max_ballot_cost", "budget", "tie_break"}

    choose = html(client.get(f"/rounds/{round_.id}/edit", query_string={"step": "kind"}))
    assert f'<form method="get" action="/rounds/{round_.id}/edit"' in choose
    assert re.search(r'name="ballot_kind" id="ballot_kind-0" value="approval"[^>]*checked', choose)

    step_two = html(client.get(f"/rounds/{round_.id}/edit",
                               query_string={"ballot_kind": "cumulative", "rule": "greedy"}))
    assert shown(step_two) == {"points_total", "points_per_proposal", "budget", "tie_break"}
    assert round_.title in step_two.replace("&lt;", "<").replace("&gt;", ">")  # the title is kept
    response = client.post(f"/rounds/{round_.id}/edit", {
        "ballot_kind": "cumulative", "rule": "greedy", "title": "Nowa nazwa", "description": "",
        "points_total": "12", "budget": "10 000", "tie_break": "cost", "secrecy": "secret",
        "eligibility": "verified_residents", "submission_starts_at": "", "review_starts_at": "",
        "voting_starts_at": "", "voting_ends_at": "",
    })
    assert response.status_code == 303, html(response)[:2000]
    session.refresh(round_)
    assert (round_.ballot_kind, round_.points_total, round_.max_choices) == ("cumulative", 12, None)


def test_once_voting_has_started_there_is_no_way_to_change_the_kind(client, users, session):
    round_ = make_round(session, Phase.VOTING, "yes_no", yes_no_quorum=30)
    client.login(users.moderator())

    page = html(client.get(f"/rounds/{round_.id}/edit", query_string={"ballot_kind": "approval",
                                                                      "rule": "greedy"}))

    assert "step=kind" not in page
    assert shown(page) == {"yes_no_quorum", "yes_no_majority_percent"}
    assert re.search(r'<input[^>]*disabled[^>]*name="yes_no_quorum"[^>]*value="30"', page)
