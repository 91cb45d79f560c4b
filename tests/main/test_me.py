"""My page, /me (issue 12 §2): my proposals with their state, my pledges, my sign-ups with waiting-list
places, my volunteer roles, the rounds I voted in with the receipt check for secret ballots, my comments
and, for a resident without e-mail, the messages the platform kept. Each section has an empty state that
says what to do next; the page is for signed-in people only and linked from the header."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.outbox.services import queue_email_to
from app.phases.models import Phase
from app.proposals.models import Pledge, Status
from app.votes import services as votes
from app.votes import tally as engine
from app.votes.models import Ballot, Participation
from tests.activities.factories import in_days, make_activity, sign
from tests.discussion.factories import make_comment, make_proposal
from tests.factories import PASSWORD, password_hash
from tests.queries import assert_fixed_query_count
from tests.rounds.factories import ballot_round, make_round


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True).replace("\u00a0", " ")


def section(page: str, name: str) -> str:
    return page.split(f'<section id="{name}"')[1].split("</section>")[0]


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/me")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2Fme")


@pytest.mark.parametrize("role", ["unverified", "resident", "moderator", "admin"])
def test_every_signed_in_person_has_the_link_in_the_header(client, users, role):
    assert ">Moja strona</a>" not in html(client.get("/"))
    client.login(users.for_role(role))

    page = html(client.get("/"))

    header = page.split("</header>")[0]
    assert '<a href="/me" >Moja strona</a>' in header
    assert html(client.get("/me")).count("<h1>Moja strona</h1>") == 1


def test_every_section_of_a_new_resident_says_what_to_do_next(client, users):
    client.login(users.resident())

    page = html(client.get("/me"))

    expected = {
        "proposals": ("Nie masz jeszcze propozycji. Masz pomysł dla centrum?", "/proposals/new"),
        "pledges": ("Nie oferujesz jeszcze pomocy.", "/proposals"),
        "signups": ("Nie masz zapisów na najbliższe działania.", "/activities"),
        "roles": ("Nie masz jeszcze zadania wolontariackiego.", "/#help-heading"),
        "votes": ("Nie masz jeszcze oddanych głosów.", "/rounds"),
        "comments": ("Nie masz jeszcze komentarzy.", "/proposals"),
    }
    for name, (sentence, link) in expected.items():
        part = section(page, name)
        assert sentence in part, name
        assert f'href="{link}"' in part, name
        assert 'class="empty-state' in part and "<svg" in part, name
    assert 'id="messages"' not in page  # only for people the platform keeps messages for


def test_an_unverified_account_is_told_how_to_be_able_to_propose(client, users):
    client.login(users.unverified())

    part = section(html(client.get("/me")), "proposals")

    assert "Aby ją napisać, potwierdź, że mieszkasz na osiedlu" in part and 'href="/account"' in part


def test_my_things_are_listed_with_their_state(client, users, session):
    me = users.resident()
    other = users.resident()
    make_proposal(session, author=me, status=Status.ACCEPTED, title="Mój ogród na dachu")
    liked = make_proposal(session, author=other, status=Status.SUBMITTED, title="Sąsiedzka biblioteczka")
    session.add(Pledge(proposal_id=liked.id, user_id=me.id, kind="coordinate", note="mam regał"))
    full = make_activity(session, title="Szachy z sąsiadami", starts_at=in_days(3), capacity=1)
    sign(session, full, other)
    sign(session, full, users.resident(), status="waitlisted", created_at=utcnow() - timedelta(hours=2))
    sign(session, full, me, status="waitlisted", created_at=utcnow() - timedelta(hours=1))
    sign(session, full, users.resident(), status="waitlisted")
    cafe = make_activity(session, title="Kawiarenka naprawcza", starts_at=in_days(2),
                         roles=[("Obsługa kawy", 2)])
    sign(session, cafe, me)
    sign(session, cafe, me, role=cafe.roles[0])
    make_activity(session, title="Spotkanie, które prowadzę", starts_at=in_days(4), coordinator=me)
    make_comment(session, liked, me, body="Chętnie pomogę przy półkach!")
    session.commit()
    client.login(me)

    page = html(client.get("/me"))

    proposals = section(page, "proposals")
    assert "Mój ogród na dachu" in proposals and "Przyjęta do głosowania" in proposals
    pledges = section(page, "pledges")
    assert "Sąsiedzka biblioteczka" in pledges and "mam regał" in pledges
    signups = section(page, "signups")
    assert "Szachy z sąsiadami" in signups and "Miejsce 2 w kolejce." in signups
    assert "Kawiarenka naprawcza" in signups
    roles = section(page, "roles")
    assert "Obsługa kawy" in roles and "Kawiarenka naprawcza" in roles
    assert "Spotkanie, które prowadzę" in roles
    comments = section(page, "comments")
    assert "Chętnie pomogę przy półkach!" in comments and f"/proposals/{liked.id}?comment=" in comments


def test_rounds_i_voted_in_with_the_receipt_check_for_a_secret_ballot(client, users, session):
    me = users.resident()
    secret, proposals = ballot_round(session, "approval", 2, max_choices=2, secrecy="secret",
                                     title="Tajny budżet")
    public, public_proposals = ballot_round(session, "approval", 2, max_choices=2, secrecy="public",
                                            title="Jawna konsultacja")
    cast = votes.cast_ballot(me, secret, engine.ApprovalBallot((str(proposals[0].id),)))
    votes.cast_ballot(me, public, engine.ApprovalBallot((str(public_proposals[1].id),)))
    make_round(session, Phase.VOTING, title="Runda bez mojego głosu")
    client.login(me)

    page = html(client.get("/me"))
    part = section(page, "votes")

    assert "Tajny budżet" in part and "Jawna konsultacja" in part and "Runda bez mojego głosu" not in part
    assert "Głos oddany przez internet" in part
    form = re.search(rf'<form method="post" action="/rounds/{secret.id}/receipt".*?</form>', part, re.S)
    assert form and 'name="code"' in form.group(0)
    assert f'action="/rounds/{public.id}/receipt"' not in part  # a public vote has no receipt
    assert f'href="/rounds/{public.id}/vote">Zmień mój głos' in part

    # The form of /me checks the pasted code against the ballot box; nothing is stored about it.
    ballots_before = session.scalars(sa.select(Ballot).where(Ballot.round_id == secret.id)).all()
    found = client.post(f"/rounds/{secret.id}/receipt", {"code": cast.receipt})
    assert "Karta z tym kodem potwierdzenia jest w urnie." in html(found)
    wrong = client.post(f"/rounds/{secret.id}/receipt", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "receipt-missing" in html(wrong)
    session.expire_all()
    ballots = session.scalars(sa.select(Ballot).where(Ballot.round_id == secret.id)).all()
    assert [b.user_id for b in ballots] == [None]
    assert [(b.id, b.choices) for b in ballots] == [(b.id, b.choices) for b in ballots_before]
    participation = session.scalar(sa.select(Participation).where(Participation.round_id == secret.id))
    assert participation.user_id == me.id  # who voted is known; what they voted is not


def test_a_resident_without_email_finds_the_messages_kept_for_them(client, users, session):
    person = users.front_desk(name="Stanisława Kowalczyk")
    person.password_hash = password_hash()
    queue_email_to(person, "Twoja propozycja została przyjęta", "auth/email/verify_email.txt", user=person,
                   link="http://x/")
    session.commit()
    assert client.post("/login", {"email": f"MAM-{person.id}", "password": PASSWORD}).status_code == 303

    page = html(client.get("/me"))

    part = section(page, "messages")
    assert "Nie masz u nas adresu e-mail" in part and "Twoja propozycja została przyjęta" in part
    assert 'href="#messages"' in page


def test_my_page_runs_a_fixed_number_of_queries(app, client, users, session):
    me = users.resident()
    client.login(me)

    def fill(n: int) -> None:
        for _ in range(n):
            proposal = make_proposal(session, author=me)
            session.add(Pledge(proposal_id=proposal.id, user_id=me.id, kind="volunteer"))
            make_comment(session, proposal, me)
            activity = make_activity(session, starts_at=in_days(2), capacity=1, roles=[("Pomoc", 2)])
            sign(session, activity, users.resident())
            sign(session, activity, me, status="waitlisted")
            sign(session, activity, me, role=activity.roles[0])
            round_, _ = ballot_round(session, "approval", 1)
            session.add(Participation(round_id=round_.id, user_id=me.id, channel="online"))
        session.commit()

    assert_fixed_query_count(app, lambda: html(client.get("/me")), fill)
