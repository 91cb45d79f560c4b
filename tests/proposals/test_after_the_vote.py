"""A proposal's page once the vote is over: the timeline credits the vote, not the moderator who closed
the round; an implemented proposal says what helping means now instead of offering the pledge form."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.proposals.models import Pledge, Status
from tests.activities.factories import make_activity
from tests.exports.factories import known_round
from tests.proposals.factories import make_proposal


def timeline(page: str) -> list[str]:
    section = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


def test_the_timeline_credits_the_vote_not_the_moderator(client, session, users):
    known = known_round(session, users)
    session.expire_all()
    outcomes = {}
    for proposal in known.proposals.values():
        session.refresh(proposal)
        outcomes[proposal.status] = proposal
    assert {Status.SELECTED, Status.NOT_SELECTED} <= set(outcomes)
    for status, words in ((Status.SELECTED, "Wybrana"), (Status.NOT_SELECTED, "Niewybrana")):
        steps = timeline(client.get(f"/proposals/{outcomes[status].id}").text)
        # The step alone, with no person in brackets after it (it used to name who closed the round).
        assert [s.split(" — ", 1)[1] for s in steps if s.split(" — ", 1)[1].startswith(words)] == [words]


def test_an_implemented_proposal_links_its_activities_instead_of_the_pledge_form(client, session, users):
    proposal = make_proposal(session, users.resident(), status=Status.IMPLEMENTED)
    make_activity(session, proposal=proposal, title="Sadzenie ziół — druga tura")
    client.login(users.resident())
    page = client.get(f"/proposals/{proposal.id}").text
    pledges = page.split('<section id="pledges"')[1].split("</section>")[0]
    assert "Ta propozycja jest już zrealizowana, więc deklaracje pomocy są zamknięte." in pledges
    assert ('Jeśli chcesz pomóc teraz, zapisz się na <a href="#proposal-activities-heading">jej '
            "wydarzenia</a>: przyjdź albo pomóż je poprowadzić.") in pledges
    assert "<form" not in pledges and 'id="proposal-activities-heading"' in page
    assert "Sadzenie ziół — druga tura" in page
    # The service refuses too (a form kept open in another tab).
    response = client.post(f"/proposals/{proposal.id}/pledges", {"kind": "volunteer"})
    assert response.status_code == 403
    assert session.scalar(sa.select(sa.func.count()).select_from(Pledge)) == 0


def test_an_implemented_proposal_without_upcoming_activities_points_to_the_centre(client, session, users):
    proposal = make_proposal(session, users.resident(), status=Status.IMPLEMENTED)
    page = client.get(f"/proposals/{proposal.id}").text  # a visitor, not signed in
    pledges = page.split('<section id="pledges"')[1].split("</section>")[0]
    assert "deklaracje pomocy są zamknięte" in pledges and "Zaloguj się" not in pledges
    assert 'zobacz <a href="/activities">co dzieje się w centrum</a> albo ' in pledges
    assert '<a href="/proposals/new">zaproponuj coś nowego</a>' in pledges
