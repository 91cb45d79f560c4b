"""A resident's own data: the download holds theirs and nobody else's; deletion leaves nothing personal
and changes no result."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from app.activities.models import Activity, Place, Signup
from app.auth.models import User
from app.db import db, utcnow
from app.discussion.models import Comment
from app.outbox.models import OutboxMessage
from app.proposals.models import Pledge, Proposal, Status
from app.rounds import services as rounds
from app.votes.models import Ballot, Participation
from tests.exports.factories import known_round
from tests.factories import PASSWORD
from tests.votes.helpers import make_proposal


def _footprint(session, user, other):
    """A resident (``user``) and a neighbour (``other``) who both propose, comment, pledge and sign up."""
    place = Place(name=f"Świetlica {user.id}")
    session.add(place)
    session.flush()
    activity = Activity(
        title="Warsztaty",
        starts_at=utcnow() + timedelta(days=2),
        ends_at=utcnow() + timedelta(days=2, hours=1),
        place_id=place.id,
    )
    session.add(activity)
    session.flush()
    rows = {}
    for person, tag in ((user, "MOJE"), (other, "SĄSIADA")):
        published = make_proposal(session, None, author=person, status=Status.SUBMITTED, title=f"Ławki {tag}")
        draft = make_proposal(session, None, author=person, status=Status.DRAFT, title=f"Szkic {tag}")
        comment = Comment(
            proposal_id=published.id,
            author_id=person.id,
            body=f"Komentarz {tag}",
            body_html=f"<p>Komentarz {tag}</p>",
        )
        session.add_all(
            [
                comment,
                Pledge(proposal_id=published.id, user_id=person.id, kind="volunteer", note=f"Pomogę {tag}"),
                Signup(activity_id=activity.id, user_id=person.id),
            ]
        )
        session.commit()
        published.pledge_count = 1
        rows[tag] = {"published": published, "draft": draft, "comment": comment}
    session.add(OutboxMessage(recipient=user.email, subject="Witaj", body=f"Cześć {user.display_name}"))
    session.commit()
    return rows


def test_download_holds_my_data_and_nobody_elses(client, session, users):
    user, other = users.resident(), users.resident()
    known = known_round(session, users, secrecy="public")
    voter = known.voters[0]
    _footprint(session, voter, other)
    client.login(voter)
    response = client.get("/account/data")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="mam-my-data-')
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == voter.email and data["profile"]["display_name"] == voter.display_name
    assert {p["title"] for p in data["proposals"]} == {"Ławki MOJE", "Szkic MOJE"}
    assert [c["body"] for c in data["comments"]] == ["Komentarz MOJE"]
    assert [p["note"] for p in data["pledges"]] == ["Pomogę MOJE"]
    assert [s["activity"] for s in data["signups"]] == ["Warsztaty"]
    assert data["participation"] == [
        {"round_id": known.round.id, "channel": "online", "voted_at": data["participation"][0]["voted_at"]}
    ]
    assert data["public_ballots"] == [
        {"round_id": known.round.id, "choices": [known.pid("A"), known.pid("B")]}
    ]
    text = response.get_data(as_text=True)
    for stranger in [other, user, *known.voters[1:]]:
        assert stranger.email not in text and stranger.display_name not in text
    assert "SĄSIADA" not in text


def test_download_and_delete_need_a_signed_in_person(client):
    assert client.get("/account/data").status_code == 302
    assert client.get("/account/delete").status_code == 302


def test_wrong_password_deletes_nothing(client, session, users):
    user = users.resident()
    client.login(user)
    response = client.post("/account/delete", {"password": "nie-to-haslo-123"}, confirm=True)
    assert response.status_code == 422
    assert "Hasło jest nieprawidłowe." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).email == user.email


def _text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.String | sa.Text) or column.type.__class__.__name__ == "JSON":
                yield table, column


def test_delete_account_leaves_nothing_personal_and_no_result_changes(client, make_client, session, users):
    other = users.resident()
    known = known_round(session, users, secrecy="public")
    voter = known.voters[0]
    email, name, uid = voter.email, voter.display_name, voter.id
    rows = _footprint(session, voter, other)
    ids = {tag: {key: row.id for key, row in found.items()} for tag, found in rows.items()}
    stored = (known.round.result_sha256, known.round.ballots_sha256)
    elsewhere = make_client()
    elsewhere.login(voter)
    client.login(voter)

    page = client.get("/account/delete")
    assert page.status_code == 200 and "data-confirm" in page.get_data(as_text=True)
    assert "podpisane jako „konto usunięte”" in page.get_data(as_text=True)
    response = client.post("/account/delete", {"password": PASSWORD}, confirm=True)
    assert response.status_code == 303
    session.expire_all()

    # Nothing personal in any table.
    for table, column in _text_columns():
        hits = session.execute(sa.select(table).where(sa.cast(column, sa.Text).contains(email))).all()
        assert not hits, (table.name, column.name)
        if len(name) >= 4:
            hits = session.execute(sa.select(table).where(sa.cast(column, sa.Text).contains(name))).all()
            assert not hits, (table.name, column.name)
    account = session.get(User, uid)
    assert account.password_hash == "" and account.display_name == "" and account.calendar_token is None
    assert account.resident_verified_at is None and account.email_verified_at is None
    # Pledges and sign-ups removed, drafts gone, public contributions kept without an author.
    assert not session.scalars(sa.select(Pledge).where(Pledge.user_id == uid)).all()
    assert not session.scalars(sa.select(Signup).where(Signup.user_id == uid)).all()
    assert session.get(Proposal, ids["MOJE"]["draft"]) is None
    published = session.get(Proposal, ids["MOJE"]["published"])
    assert published.author_id is None and published.pledge_count == 0
    assert session.get(Comment, ids["MOJE"]["comment"]).author_id is None
    assert session.get(Proposal, ids["SĄSIADA"]["published"]).author_id == other.id
    assert (
        session.scalar(sa.select(sa.func.count()).select_from(Pledge).where(Pledge.user_id == other.id)) == 1
    )
    # Votes stay, unlinked; the round recounts to the same result.
    assert not session.scalars(sa.select(Participation).where(Participation.user_id == uid)).all()
    assert not session.scalars(sa.select(Ballot).where(Ballot.user_id == uid)).all()
    assert (
        session.scalar(
            sa.select(sa.func.count()).select_from(Ballot).where(Ballot.round_id == known.round.id)
        )
        == 6
    )
    same, _, recomputed = rounds.recount(known.round.id)
    assert same and (recomputed["result_sha256"], recomputed["ballots_sha256"]) == stored
    # The proposal page and its comments show the term the deletion page promised; sessions are gone; the
    # old password no longer works.
    html = client.get(f"/proposals/{published.id}").get_data(as_text=True)
    assert name not in html
    assert "<dd>konto usunięte</dd>" in html and 'id="comment-' in html
    assert html.count("konto usunięte") >= 2 and "były mieszkaniec" not in html
    assert elsewhere.get("/account").status_code == 302
    assert client.get("/account").status_code == 302
    assert client.post("/login", {"email": email, "password": PASSWORD}).status_code == 422


def test_the_only_admin_cannot_delete_their_account(client, session, users):
    session.execute(sa.update(User).where(User.role == "admin").values(role="resident"))
    session.commit()
    admin = users.admin()
    client.login(admin)
    response = client.post("/account/delete", {"password": PASSWORD}, confirm=True)
    assert response.status_code == 409
    session.expire_all()
    assert session.get(User, admin.id).email == admin.email


def test_deleting_an_account_gives_its_places_to_the_waiting_list(client, session, users, mail):
    from tests.activities.factories import in_days, make_activity, sign

    leaver, first, second, volunteer_waiting = (users.resident() for _ in range(4))
    full = make_activity(session, capacity=1, starts_at=in_days(5), roles=[("herbata", 1)])
    sign(session, full, leaver)
    sign(session, full, leaver, role=full.roles[0])
    sign(session, full, first, status="waitlisted", created_at=utcnow() - timedelta(hours=2))
    sign(session, full, second, status="waitlisted", created_at=utcnow() - timedelta(hours=1))
    started = make_activity(session, capacity=1, starts_at=utcnow() - timedelta(minutes=20))
    sign(session, started, leaver)
    sign(session, started, volunteer_waiting, status="waitlisted")

    client.login(leaver)
    assert client.post("/account/delete", {"password": PASSWORD}, confirm=True).status_code == 303

    session.expire_all()
    statuses = dict(session.execute(sa.select(Signup.user_id, Signup.status)).all())
    # The first in the queue takes the place and is told; after the start nobody is promoted.
    assert statuses == {first.id: "registered", second.id: "waitlisted", volunteer_waiting.id: "waitlisted"}
    assert [m["to"] for m in mail] == [first.email]
    assert full.title in mail[0]["subject"]
