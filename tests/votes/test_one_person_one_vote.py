"""One ballot per person, not per account: deleting the account and registering again with the same
address does not give a second ballot while the round is open; the identity hashes go at closing."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.auth.identity import voter_hash
from app.auth.models import User
from app.errors import Conflict
from app.rounds import services as rounds
from app.votes import services
from app.votes import tally as engine
from app.votes.models import Ballot, Participation
from tests.factories import PASSWORD
from tests.rounds.factories import ballot_round

LINK = re.compile(r"http://localhost(/\S+)")
ALREADY_VOTED = "Twój głos w tej rundzie został już oddany."


def html(response) -> str:
    return response.get_data(as_text=True)


def stored(session, round_) -> tuple[int, int]:
    """(ballots, participations) of the round."""
    return tuple(
        session.scalar(sa.select(sa.func.count()).select_from(model).where(model.round_id == round_.id))
        for model in (Ballot, Participation)
    )


def come_back(client, make_client, session, mail, email: str) -> User:
    """Register again with ``email``, confirm it by the e-mailed link, and be verified at the centre."""
    mail.clear()
    response = client.post("/register", {"email": email.upper(), "display_name": "Znowu Ja",
                                         "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 303
    [message] = mail
    assert client.get(LINK.search(message["body"]).group(1)).status_code == 303
    user = session.scalar(sa.select(User).where(User.email == email))
    moderator = make_client()
    moderator.login(session.info["moderator"])
    assert moderator.post(f"/residents/{user.id}/verify", confirm=True).status_code == 303
    session.refresh(user)
    assert user.is_email_verified and user.is_verified_resident
    client.login(user)
    return user


@pytest.mark.parametrize("secrecy", ["secret", "public"])
def test_deleting_the_account_and_registering_again_gives_no_second_ballot(
    secrecy, client, make_client, session, users, mail
):
    session.info["moderator"] = users.moderator()
    round_, proposals = ballot_round(session, "approval", secrecy=secrecy)
    voter = users.resident(email="jadwiga@kozlowka.example")
    client.login(voter)
    first = client.post(f"/rounds/{round_.id}/vote", {"choice": [str(proposals[0].id)]}, confirm=True)
    assert first.status_code in (200, 303)
    assert client.post("/account/delete", {"password": PASSWORD}, confirm=True).status_code == 303
    client.signed_in = False
    assert session.scalar(sa.select(Participation.user_id).where(Participation.round_id == round_.id)) is None

    again = come_back(client, make_client, session, mail, "jadwiga@kozlowka.example")
    assert again.id != voter.id
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": [str(proposals[1].id)]}, confirm=True)

    assert response.status_code == 409
    assert ALREADY_VOTED in html(response)
    assert stored(session, round_) == (1, 1)
    assert session.scalars(sa.select(Ballot.choices).where(Ballot.round_id == round_.id)).all() == [
        [str(proposals[0].id)]
    ]


def test_a_paper_ballot_for_the_same_person_under_a_new_account_is_refused(session, users):
    round_, proposals = ballot_round(session, "approval")
    moderator = users.moderator()
    first = users.resident(email="halina@kozlowka.example")
    services.cast_ballot(first, round_, engine.ApprovalBallot((str(proposals[0].id),)))
    first.email = "deleted-1-abc@deleted.invalid"  # what deleting the account leaves
    session.commit()
    second = users.resident(email="halina@kozlowka.example")

    with pytest.raises(Conflict) as refused:
        services.enter_paper_ballot(moderator, round_, second, engine.ApprovalBallot((str(proposals[1].id),)))

    assert str(refused.value.message) == "Ta osoba już głosowała w tej rundzie."
    assert stored(session, round_) == (1, 1)


def test_the_database_refuses_a_second_participation_of_the_same_person(session, users):
    """What holds when two requests race past the check: the unique constraint."""
    round_, _ = ballot_round(session, "approval")
    first, second = users.resident(email="ala@kozlowka.example"), users.resident()
    identity = voter_hash(first, round_.id)
    session.add(Participation(round_id=round_.id, user_id=first.id, identity_hash=identity))
    session.commit()
    session.add(Participation(round_id=round_.id, user_id=second.id, identity_hash=identity))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_the_identity_hash_is_keyed_and_differs_between_rounds(app, session, users):
    one, proposals_one = ballot_round(session, "approval")
    two, proposals_two = ballot_round(session, "approval")
    voter = users.resident(email="ola@kozlowka.example")
    services.cast_ballot(voter, one, engine.ApprovalBallot((str(proposals_one[0].id),)))
    services.cast_ballot(voter, two, engine.ApprovalBallot((str(proposals_two[0].id),)))
    hashes = dict(session.execute(sa.select(Participation.round_id, Participation.identity_hash)).all())

    assert hashes[one.id] and hashes[two.id] and hashes[one.id] != hashes[two.id]
    assert hashlib.sha256(b"ola@kozlowka.example").hexdigest() not in hashes.values()
    other_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another-secret-key"
    try:
        assert voter_hash(voter, one.id) != hashes[one.id]  # without the key, nobody can recompute it
    finally:
        app.config["SECRET_KEY"] = other_key


def test_closing_the_round_drops_the_identity_hashes(session, users):
    round_, proposals = ballot_round(session, "approval")
    for _ in range(3):
        services.cast_ballot(users.resident(), round_, engine.ApprovalBallot((str(proposals[0].id),)))
    other_round, other_proposals = ballot_round(session, "approval")
    services.cast_ballot(users.resident(), other_round, engine.ApprovalBallot((str(other_proposals[0].id),)))

    rounds.advance_phase(users.moderator(), round_.id, "voting")

    closed = sa.select(Participation.identity_hash).where(Participation.round_id == round_.id)
    assert session.scalars(closed).all() == [None, None, None]
    still_open = session.scalar(
        sa.select(Participation.identity_hash).where(Participation.round_id == other_round.id))
    assert still_open is not None


def test_the_identity_hash_is_not_in_the_personal_data_export(client, session, users):
    round_, proposals = ballot_round(session, "approval")
    voter = users.resident()
    services.cast_ballot(voter, round_, engine.ApprovalBallot((str(proposals[0].id),)))
    identity = session.scalar(sa.select(Participation.identity_hash))
    client.login(voter)

    body = client.get("/account/data").get_data(as_text=True)

    assert json.loads(body)["participation"][0]["round_id"] == round_.id
    assert identity not in body
