"""The moderator's desk over HTTP: who may see it, the count of each kind of work and its first items,
and each direct action (review in place with and without HTMX, verify a resident, dismiss reports,
approve a room request, the links to report, advance and schedule), in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.activities.models import RoomRequest
from app.db import utcnow
from app.discussion.models import Flag
from app.proposals.models import Status
from tests.activities.factories import in_days, make_activity, make_place
from tests.proposals.factories import make_proposal, make_round
from tests.queries import count_queries

REVIEW_FIELDS = re.compile(r'name="(review-\d+-decision)"')


def html(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def overview_count(page: str, anchor: str) -> int:
    """The number next to one kind of work in the overview at the top of the desk."""
    match = re.search(rf'<a href="#{anchor}"><span class="desk-count[^"]*"[^>]*>(\d+)</span>', page)
    assert match, anchor
    return int(match.group(1))


def room_request(session, requester, place, title="Próba chóru sąsiedzkiego", status="pending"):
    starts = in_days(9, 11)
    item = RoomRequest(requester_id=requester.id, title=title, description="Śpiewamy.", place_id=place.id,
                       starts_at=starts, ends_at=starts + timedelta(hours=2), status=status)
    session.add(item)
    session.commit()
    return item


def fill(session, users, n: int):
    """``n`` of every kind of work the desk shows."""
    author = users.resident()
    review = make_round(session, "review", title="Runda w ocenie")
    place = make_place(session)
    made = {kind: [] for kind in ("review", "flags", "unverified", "rooms", "reports", "rounds", "winners")}
    for i in range(n):
        made["review"].append(make_proposal(session, author, round_=review, title=f"Do oceny {i}"))
        target = make_proposal(session, author, title=f"Zgłoszona {i}")
        session.add(Flag(proposal_id=target.id, reporter_id=author.id, reason=f"Powód {i}"))
        made["flags"].append(target)
        made["unverified"].append(users.unverified(name=f"Nowa Osoba {i}"))
        made["rooms"].append(room_request(session, author, place, title=f"Prośba {i}"))
        made["reports"].append(make_activity(session, place=place, title=f"Bez sprawozdania {i}",
                                             starts_at=in_days(-2 - i, 10)))
        late = make_round(session, "submission", title=f"Runda po terminie {i}")
        late.review_starts_at = utcnow() - timedelta(hours=1 + i)
        made["rounds"].append(late)
        made["winners"].append(make_proposal(session, author, status=Status.SELECTED, title=f"Wygrana {i}"))
    session.commit()
    return made


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("unverified", 403), ("resident", 403),
                                          ("steering", 403), ("moderator", 200), ("admin", 200)])
def test_only_moderators_and_admins_see_the_desk_and_its_menu_link(client, users, role, status):
    actor = users.for_role(role)
    if actor is not None:
        client.login(actor)
    response = client.get("/desk")
    assert response.status_code == status
    home = html(client.get("/"))
    assert ('href="/desk"' in home) == (status == 200)
    if status == 403:
        assert "Z pulpitu moderacji korzystają tylko moderatorzy i administratorzy." in html(response)


def test_an_empty_desk_says_nothing_is_waiting(client, users):
    client.login(users.moderator())
    page = html(client.get("/desk"))
    assert "Pulpit moderacji" in page and "Nic nie czeka. Dziękujemy!" in page
    assert "Żadna propozycja nie czeka na ocenę." in page
    assert "Każda wybrana propozycja ma już wydarzenie." in page


def test_the_desk_counts_each_kind_of_work_and_lists_the_first_ones(client, users, session):
    made = fill(session, users, 7)  # more than the desk shows of each kind
    client.login(users.moderator())
    page = html(client.get("/desk"))

    assert "Czeka na Ciebie 49 spraw." in page
    for anchor in ("desk-review", "desk-flags", "desk-reports", "desk-rounds", "desk-schedule", "desk-rooms"):
        assert overview_count(page, anchor) == 7
    assert overview_count(page, "desk-residents") == 7  # the moderator and the author are verified
    # Five of each, oldest work first; the rest behind a "see all" link.
    assert "Do oceny 0" in page and "Do oceny 4" in page and "Do oceny 5" not in page
    assert 'href="/proposals?status=submitted">Czekają jeszcze 2</a>' in page
    assert "Powód 0" in page and 'href="/moderation"' in page
    assert "Nowa Osoba 6" in page and 'href="/residents?status=unverified">Zobacz wszystkie osoby: 7' in page
    assert "Prośba 0" in page and 'href="/activities/rooms"' in page
    assert f'href="/activities/{made["reports"][6].id}/report"' in page  # the one that ended longest ago
    assert f'href="/rounds/{made["rounds"][0].id}/advance"' in page and "Ten etap miał się skończyć" in page
    assert f'href="/activities/new?proposal={made["winners"][0].id}"' in page
    assert "Zaplanuj działanie" in page


def test_work_that_is_not_waiting_stays_off_the_desk(client, users, session):
    author = users.resident()
    make_proposal(session, author, round_=make_round(session, "submission"), title="Jeszcze zbieramy")
    imported = make_proposal(session, None, status=Status.SELECTED, title="Pabulib project 12", imported=True)
    scheduled = make_proposal(session, author, status=Status.SCHEDULED, title="Już zaplanowana")
    make_activity(session, title="Odbyło się", starts_at=in_days(-3), status="held")
    make_activity(session, title="Dopiero będzie", starts_at=in_days(3))
    room_request(session, author, make_place(session), title="Już zatwierdzona", status="approved")
    on_time = make_round(session, "submission", title="Runda na czas")
    on_time.review_starts_at = utcnow() + timedelta(days=3)
    session.commit()
    client.login(users.moderator())
    page = html(client.get("/desk"))
    assert "Nic nie czeka. Dziękujemy!" in page
    for title in ("Jeszcze zbieramy", imported.title, scheduled.title, "Odbyło się", "Dopiero będzie",
                  "Już zatwierdzona", "Runda na czas"):
        assert title not in page


def test_the_desk_runs_the_same_number_of_queries_however_much_waits(app, client, users, session):
    moderator = users.moderator()
    client.login(moderator)

    def desk_queries() -> int:
        with count_queries(app) as statements:
            assert client.get("/desk").status_code == 200
        return len(statements)

    fill(session, users, 1)
    few = desk_queries()
    fill(session, users, 6)
    assert desk_queries() == few


def review_form_data(page: str, proposal_id: int, **values) -> dict:
    prefix = f"review-{proposal_id}-"
    assert f'name="{prefix}decision"' in page
    return {prefix + key: value for key, value in values.items()}


def test_accepting_a_proposal_in_place_without_javascript(client, users, session, mail):
    author = users.resident()
    proposal = make_proposal(session, author, round_=make_round(session, "review"), title="Ławki pod blokiem")
    client.login(users.moderator())
    page = html(client.get("/desk"))

    response = client.post(f"/desk/proposals/{proposal.id}/review",
                           review_form_data(page, proposal.id, decision="accept", answer="Dobry pomysł.",
                                            final_cost="1200"))

    assert response.status_code == 303 and response.headers["Location"].endswith("/desk#desk-review")
    session.refresh(proposal)
    assert (proposal.status, proposal.moderator_answer, proposal.cost_grosze) == (
        Status.ACCEPTED, "Dobry pomysł.", 120_000)
    after = html(client.get("/desk"))
    assert "Decyzja w sprawie „Ławki pod blokiem” jest zapisana" in after
    assert "Żadna propozycja nie czeka na ocenę." in after and overview_count(after, "desk-review") == 0


def test_rejecting_without_an_answer_is_refused_in_place(client, users, session):
    proposal = make_proposal(session, users.resident(), round_=make_round(session, "review"))
    client.login(users.moderator())
    page = html(client.get("/desk"))

    response = client.post(f"/desk/proposals/{proposal.id}/review",
                           review_form_data(page, proposal.id, decision="reject", answer=""))

    assert response.status_code == 422
    text = html(response)
    assert "Napisz publiczną odpowiedź z uzasadnieniem odrzucenia." in text and "Pulpit moderacji" in text
    assert f'id="review-{proposal.id}-answer"' in text and 'aria-invalid="true"' in text
    session.refresh(proposal)
    assert proposal.status == Status.SUBMITTED


def test_rejecting_with_htmx_swaps_the_review_section(client, users, session):
    first = make_proposal(session, users.resident(), round_=make_round(session, "review"), title="Pierwsza")
    make_proposal(session, users.resident(), round_=first.round, title="Druga")
    client.login(users.moderator())
    page = html(client.get("/desk"))

    data = review_form_data(page, first.id, decision="reject", answer="Poza zakresem centrum.")
    response = client.post(f"/desk/proposals/{first.id}/review", data,
                           headers={"HX-Request": "true", "HX-Target": "desk-review"})

    assert response.status_code == 200
    fragment = html(response)
    assert "<html" not in fragment and fragment.lstrip().startswith('<section id="desk-review"')
    assert 'data-announce="Decyzja w sprawie „Pierwsza” jest zapisana' in fragment
    assert "Druga" in fragment and f"review-{first.id}-decision" not in fragment
    assert 'id="desk-count-review" data-hx-swap-oob="true">1</span>' in fragment
    session.refresh(first)
    assert (first.status, first.moderator_answer) == (Status.REJECTED, "Poza zakresem centrum.")


def test_a_proposal_decided_meanwhile_is_not_decided_twice(client, users, session):
    proposal = make_proposal(session, users.resident(), round_=make_round(session, "review"),
                             status=Status.ACCEPTED)
    client.login(users.moderator())
    data = {f"review-{proposal.id}-decision": "reject", f"review-{proposal.id}-answer": "Nie"}

    plain = client.post(f"/desk/proposals/{proposal.id}/review", data)
    assert plain.status_code == 303
    assert "Ocenić można tylko zgłoszone propozycje." in html(client.get("/desk"))
    swapped = client.post(f"/desk/proposals/{proposal.id}/review", data, headers={"HX-Request": "true"})
    assert swapped.status_code == 409 and "Ocenić można tylko zgłoszone propozycje." in html(swapped)
    session.refresh(proposal)
    assert proposal.status == Status.ACCEPTED


def test_verifying_a_resident_from_the_desk_comes_back_to_the_desk(client, users, session):
    newcomer = users.unverified(name="Irena Sąsiadka")
    client.login(users.moderator())
    page = html(client.get("/desk"))
    assert "Irena Sąsiadka" in page and f'action="/residents/{newcomer.id}/verify"' in page

    asked = client.post(f"/residents/{newcomer.id}/verify", {"next": "/desk"})
    assert asked.status_code == 200 and "Tak, potwierdzam weryfikację" in html(asked)  # the confirmation
    done = client.post(f"/residents/{newcomer.id}/verify", {"next": "/desk"}, confirm=True)

    assert done.status_code == 303 and done.headers["Location"] == "/desk"
    session.refresh(newcomer)
    assert newcomer.resident_verified_at is not None
    assert "Irena Sąsiadka" not in html(client.get("/desk")).split('id="desk-residents"')[1]


def test_dismissing_reports_from_the_desk_comes_back_to_the_desk(client, users, session):
    target = make_proposal(session, users.resident(), title="Kwestionowana")
    session.add(Flag(proposal_id=target.id, reporter_id=users.resident().id, reason="Duplikat"))
    session.commit()
    client.login(users.moderator())
    assert "Duplikat" in html(client.get("/desk"))

    done = client.post(f"/moderation/proposals/{target.id}/dismiss", {"next": "/desk"}, confirm=True)

    assert done.status_code == 303 and done.headers["Location"] == "/desk"
    assert session.scalar(sa.select(Flag.resolution)) == "dismissed"
    assert "Brak otwartych zgłoszeń." in html(client.get("/desk"))


def test_approving_a_room_request_from_the_desk(client, users, session):
    item = room_request(session, users.resident(), make_place(session), title="Koło szachowe")
    client.login(users.moderator())
    page = html(client.get("/desk"))
    assert f'action="/activities/rooms/{item.id}/approve"' in page

    done = client.post(f"/activities/rooms/{item.id}/approve")

    assert done.status_code == 303
    session.refresh(item)
    assert item.status == "approved"
    assert "Koło szachowe" not in html(client.get("/desk")).split('id="desk-rooms"')[1].split("</section>")[0]


def test_the_links_lead_to_pages_the_moderator_can_act_on(client, users, session):
    made = fill(session, users, 1)
    client.login(users.moderator())
    page = html(client.get("/desk"))
    for link in (f'/activities/{made["reports"][0].id}/report', f'/rounds/{made["rounds"][0].id}/advance',
                 f'/activities/new?proposal={made["winners"][0].id}'):
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200, link
