"""Notifications in the personal-data export, and gone with a deleted account."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.notifications import choices, services
from app.notifications.models import EmailChoice, Follow, Notification
from tests.factories import PASSWORD
from tests.proposals.factories import make_proposal


def test_my_notifications_follows_and_choices_are_in_my_data_and_go_with_my_account(client, session, users):
    me, neighbour = users.resident(), users.resident(name="Halina Nowak")
    proposal = make_proposal(session, neighbour, title="Ławki")
    services.follow(me, "proposal", proposal.id)
    choices.set_choices(me, {"discussion": "never"})
    services.notify([me], "comment.followed", category="following", subject_kind="proposal",
                    subject_id=proposal.id, title="Ławki", link=f"/proposals/{proposal.id}", actor=neighbour)
    # Someone else's notification names me: the name goes when my account does.
    services.notify([neighbour], "comment.on_my_proposal", category="discussion", subject_kind="proposal",
                    subject_id=proposal.id, title="Ławki", link=f"/proposals/{proposal.id}", actor=me)
    session.commit()
    client.login(me)
    data = json.loads(client.get("/account/data").get_data(as_text=True))
    assert [n["event"] for n in data["notifications"]] == ["comment.followed"]
    assert data["follows"] == [f"proposal:{proposal.id}"]
    assert data["email_choices"]["discussion"] == "never"

    response = client.post("/account/delete", {"password": PASSWORD}, confirm=True)
    assert response.status_code == 303
    for model in (Notification, Follow, EmailChoice):
        left = session.scalar(sa.select(sa.func.count()).select_from(model).where(model.user_id == me.id))
        assert left == 0, model
    [theirs] = session.scalars(sa.select(Notification).where(Notification.user_id == neighbour.id))
    assert theirs.actor_name is None
