"""Residents registered at the front desk have no e-mail address: exports, the API and the personal-data
pages treat them like everybody else."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.auth.models import User
from app.outbox.models import OutboxMessage
from app.residents import front_desk
from app.residents.models import SignInCode
from app.rounds import services as rounds
from app.votes import services as votes
from app.votes import tally as engine
from tests.votes.helpers import make_proposal, make_round

PASSWORD = "zielona-lawka-pod-blokiem"


def closed_round_with_a_front_desk_voter(session, users):
    moderator = users.moderator()
    author = users.front_desk(name="Józef Wiśniewski", building="29", flat="3")
    voter = users.front_desk(name="Stanisława Kowalczyk", flat="14")
    round_ = make_round(session, secrecy="public")
    proposal = make_proposal(session, round_, author=author, title="Ławki przy placu zabaw")
    votes.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposal.id),)))
    votes.enter_paper_ballot(moderator, round_, voter, engine.ApprovalBallot((str(proposal.id),)))
    rounds.advance_phase(moderator, round_.id, "voting")
    return round_, proposal, author


def test_exports_and_api_count_a_paper_ballot_of_a_resident_without_email(client, users, session):
    round_, proposal, author = closed_round_with_a_front_desk_voter(session, users)
    client.login(users.steering())  # the reports are the steering group's
    results = client.get(f"/data/rounds/{round_.id}/results.json")
    assert results.status_code == 200
    assert json.loads(results.data)["turnout"] == {"online": 1, "paper": 1}
    for path in (f"/data/rounds/{round_.id}/results.csv", f"/data/rounds/{round_.id}/results.xlsx",
                 f"/data/rounds/{round_.id}/ballots.csv", "/data/proposals.csv",
                 "/data/statistics/rounds.csv", "/data/statistics/months.csv", "/data/activities.csv"):
        assert client.get(path).status_code == 200, path
    api = client.get(f"/api/v1/rounds/{round_.id}/results")
    assert api.status_code == 200 and api.get_json()["turnout"] == {"online": 1, "paper": 1}
    listed = client.get("/api/v1/proposals").get_json()
    assert proposal.id in [item["id"] for item in listed["items"]]
    # The author was e-mailed the outcome in other cases; here the message is kept for them, unsent.
    kept = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient_id == author.id)).all()
    assert kept and all(message.recipient is None and message.sent_at is None for message in kept)


def test_personal_data_and_deletion_of_a_resident_without_email(make_client, users, session):
    person = users.front_desk(name="Stanisława Kowalczyk", building="27", staircase="II", flat="14",
                              phone="600100200")
    slip = front_desk.issue_sign_in_slip(users.moderator(), person)
    client = make_client()
    client.post("/sign-in/code", {"code": slip.code, "password": PASSWORD, "password_confirm": PASSWORD})
    data = client.get("/account/data")
    assert data.status_code == 200
    profile = json.loads(data.data)["profile"]
    assert profile["email"] is None and (profile["flat"], profile["phone"]) == ("14", "600100200")
    assert client.post("/account/delete", {"password": PASSWORD}, confirm=True).status_code == 303
    session.expire_all()
    gone = session.get(User, person.id)
    assert (gone.display_name, gone.flat, gone.phone, gone.building) == ("", None, None, None)
    assert session.scalar(sa.select(sa.func.count()).select_from(SignInCode)) == 0
