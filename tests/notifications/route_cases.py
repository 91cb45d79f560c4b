"""What the shared route × role table (tests/test_permissions.py) needs for the notification routes."""

from __future__ import annotations

from app.notifications.models import Follow, Notification
from app.notifications.services import followed_by, notify
from tests.activities.factories import make_activity
from tests.proposals.factories import make_proposal
from tests.rounds.factories import make_round

TABLES = {"notifications": Notification.__table__, "follows": Follow.__table__}
BAD_LINK = "Ten link do wypisania się jest nieprawidłowy."
CHOICES = {"my_proposals": "immediate", "activities": "immediate", "rounds": "never", "account": "immediate",
           "discussion": "never", "following": "digest"}


def own_notification(session, users, actor):
    """An unread notification of the person making the request (none for a visitor)."""
    if actor is None:
        return {}
    proposal = make_proposal(session, actor)
    notify([actor], "proposal.accepted", category="my_proposals", subject_kind="proposal",
           subject_id=proposal.id, title=proposal.title, link=f"/proposals/{proposal.id}")
    session.commit()
    [notification] = [n for n in session.query(Notification).filter_by(user_id=actor.id)]
    return {"notification_id": notification.id}


def others_notification(session, users, actor):
    other = users.resident()
    proposal = make_proposal(session, other)
    notify([other], "proposal.accepted", category="my_proposals", subject_kind="proposal",
           subject_id=proposal.id, title=proposal.title, link=f"/proposals/{proposal.id}")
    session.commit()
    return {"notification_id": session.query(Notification).filter_by(user_id=other.id).one().id}


def read(ctx, before, after):
    [row] = [n for n in after["notifications"] if n.id == ctx.values["notification_id"]]
    assert row.read_at is not None and len(after["notifications"]) == len(before["notifications"])
    assert after["follows"] == before["follows"]


def all_read(ctx, before, after):
    assert all(n.read_at is not None for n in after["notifications"] if n.user_id == ctx.actor.id)
    assert after["follows"] == before["follows"]


SUBJECTS = {
    "proposal": lambda session, users: make_proposal(session, users.resident()).id,
    "activity": lambda session, users: make_activity(session).id,
    "round": lambda session, users: make_round(session).id,
}


def followable(kind: str, already: bool = False):
    def build(session, users, actor):
        subject_id = SUBJECTS[kind](session, users)
        if already and actor is not None:
            session.add(Follow(user_id=actor.id, subject_kind=kind, subject_id=subject_id))
            session.commit()
        return {"subject_id": subject_id}
    return build


def followed(ctx, before, after):
    [new] = [f for f in after["follows"] if f not in before["follows"]]
    assert (new.user_id, new.subject_id) == (ctx.actor.id, ctx.values["subject_id"])
    assert [item.id for item in followed_by(ctx.actor)] == [ctx.values["subject_id"]]


def unfollowed(ctx, before, after):
    assert len(after["follows"]) == len(before["follows"]) - 1
    assert followed_by(ctx.actor) == []


def choices_saved(ctx, before, after):
    from app.notifications.choices import choices_for

    assert choices_for([ctx.actor.id])[ctx.actor.id] == CHOICES
    assert after == before  # the choices live in their own table
