"""Each event a person is told about, from the feature service where it happens (issue 12 §3)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.activities.services.reports import cancel_activity
from app.activities.services.scheduling import schedule_activity, update_activity
from app.activities.services.signups import cancel_signup, sign_up
from app.db import utcnow
from app.notifications.models import Follow, Notification
from app.notifications.services import follow
from app.notifications.signals import reminders_due
from app.outbox.models import OutboxMessage
from app.phases.models import Phase
from app.proposals import services as proposals
from app.proposals.models import Status
from app.residents import services as residents
from app.rounds import services as rounds
from app.votes import services as votes
from app.votes import tally as engine
from tests.activities.factories import make_activity, make_place, sign
from tests.activities.test_services import data, next_week
from tests.proposals.factories import make_proposal
from tests.proposals.factories import make_round as proposal_round
from tests.rounds.factories import ballot_round, make_round
from tests.rounds.factories import make_proposal as ballot_proposal


def told(session, user, kind: str | None = None) -> list[tuple[str, str]]:
    query = sa.select(Notification.event, Notification.category).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.subject_kind == kind)
    return [tuple(row) for row in session.execute(query.order_by(Notification.id))]


def emails_to(session, user) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient_id == user.id)
                                .order_by(OutboxMessage.id)))


# --- proposals ------------------------------------------------------------------------------------


def test_a_rejected_proposal_tells_its_author_with_the_answer_and_its_followers(session, users):
    author, follower, moderator = users.resident(), users.resident(), users.moderator()
    proposal = make_proposal(session, author, round_=proposal_round(session, "review"))
    follow(follower, "proposal", proposal.id)
    session.commit()
    proposals.review_proposal(moderator, proposal, "reject", "Teren należy do miasta.")
    [notification] = session.scalars(sa.select(Notification).where(Notification.user_id == author.id))
    assert (notification.event, notification.category) == ("proposal.rejected", "my_proposals")
    assert notification.detail == "Teren należy do miasta."
    assert notification.link == f"/proposals/{proposal.id}"
    # The author's decision comes at once, by e-mail, with the answer and the one-click unsubscribe.
    [mail] = emails_to(session, author)
    assert "Teren należy do miasta." in mail.body and "/unsubscribe/" in mail.body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    # The follower hears of it in the app; the e-mail waits for the digest.
    assert told(session, follower) == [("proposal.rejected", "following")]
    assert emails_to(session, follower) == []
    assert told(session, moderator) == []  # never the person who acted


def test_accepted_selected_and_scheduled_are_told_to_the_author(session, users):
    author, moderator = users.resident(), users.moderator()
    proposal = make_proposal(session, author, round_=proposal_round(session, "review"))
    proposals.review_proposal(moderator, proposal, "accept")
    proposals.set_status(moderator, proposal, Status.SELECTED)
    schedule_activity(moderator, data(make_place(session), next_week()), proposal)
    assert [event for event, _ in told(session, author)] == [
        "proposal.accepted", "proposal.selected", "proposal.scheduled"]
    assert len(emails_to(session, author)) == 3


def test_writing_and_pledging_follow_the_proposal(session, users):
    author, helper = users.resident(), users.resident()
    proposal = proposals.create_proposal(author, proposals.ProposalInput(
        title="Ławki przy placu zabaw", body="Dwie ławki i kosz."), submit=True)
    proposals.add_pledge(helper, proposal, "volunteer")
    followers = set(session.scalars(sa.select(Follow.user_id).where(
        Follow.subject_kind == "proposal", Follow.subject_id == proposal.id)))
    assert followers == {author.id, helper.id}


# --- activities -----------------------------------------------------------------------------------


def test_a_moved_activity_tells_everyone_signed_up_and_followers(session, users):
    moderator, attendee, follower = users.moderator(), users.resident(), users.resident()
    place = make_place(session)
    [activity] = schedule_activity(moderator, data(place, next_week()))
    sign_up(attendee, activity)
    follow(follower, "activity", activity.id)
    session.commit()
    update_activity(moderator, activity, data(place, next_week(), "17:00", "19:00"))
    assert told(session, attendee) == [("activity.changed", "activities")]
    [mail] = emails_to(session, attendee)
    assert mail.subject.startswith("Nowy termin lub miejsce") and "/unsubscribe/" in mail.body
    assert told(session, follower) == [("activity.changed", "following")]


def test_a_cancelled_activity_tells_participants_with_the_reason(session, users):
    moderator, attendee = users.moderator(), users.resident()
    activity = make_activity(session)
    sign(session, activity, attendee)
    cancel_activity(moderator, activity, "Awaria ogrzewania")
    [notification] = session.scalars(sa.select(Notification).where(Notification.user_id == attendee.id))
    assert (notification.event, notification.detail) == ("activity.cancelled", "Awaria ogrzewania")
    assert "Awaria ogrzewania" in emails_to(session, attendee)[0].body


def test_moving_up_from_the_waiting_list_is_told(session, users):
    first, waiting = users.resident(), users.resident()
    activity = make_activity(session, capacity=1)
    sign_up(first, activity)
    sign_up(waiting, activity)
    assert told(session, waiting) == []
    cancel_signup(first, activity)
    assert told(session, waiting) == [("activity.promoted", "activities")]
    assert session.scalar(sa.select(sa.func.count()).select_from(Follow).where(
        Follow.user_id == waiting.id, Follow.subject_kind == "activity")) == 1  # sign-ups follow


# --- rounds ---------------------------------------------------------------------------------------


def test_voting_opening_tells_everyone_who_may_vote_and_holds_the_emails_back(session, users):
    voter, unverified = users.resident(), users.unverified()
    round_ = make_round(session, Phase.REVIEW)
    ballot_proposal(session, round_)
    rounds.advance_phase(users.moderator(), round_.id, Phase.REVIEW)
    assert told(session, voter, "round") == [("round.voting_opened", "rounds")]
    assert told(session, unverified, "round") == []  # this round is for verified residents
    # Many recipients: the e-mails wait for `flask notifications send`, not the moderator's request.
    assert emails_to(session, voter) == []
    pending = session.scalar(sa.select(Notification.email_pending).where(Notification.user_id == voter.id))
    assert pending == "soon"


def test_closing_within_24_hours_reminds_those_who_have_not_voted_once(session, users):
    voted, not_yet = users.resident(), users.resident()
    round_, proposals_ = ballot_round(session, voting_ends_at=utcnow() + timedelta(hours=10))
    votes.cast_ballot(voted, round_, engine.ApprovalBallot((str(proposals_[0].id),)))
    later = make_round(session, Phase.VOTING, voting_ends_at=utcnow() + timedelta(days=3))

    def remind():
        result = sum(r or 0 for _, r in reminders_due.send(None, now=utcnow()))
        session.commit()
        return result

    assert remind() >= 1
    assert told(session, not_yet, "round") == [("round.closing", "rounds")]
    assert told(session, voted, "round") == []
    assert remind() == 0  # idempotent: cron may run every hour
    assert told(session, not_yet, "round") == [("round.closing", "rounds")]
    assert session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.subject_kind == "round", Notification.subject_id == later.id)) == 0


def test_published_results_are_told_to_voters_and_the_outcome_to_authors(session, users):
    author, voter = users.resident(), users.resident()
    round_, [proposal, _, _] = ballot_round(session)
    proposal.author_id = author.id
    session.commit()
    votes.cast_ballot(voter, round_, engine.ApprovalBallot((str(proposal.id),)))
    rounds.advance_phase(users.moderator(), round_.id, Phase.VOTING)
    assert ("round.results", "rounds") in told(session, voter)
    assert told(session, author, "proposal") == [("proposal.selected", "my_proposals")]
    [mail] = emails_to(session, author)
    assert f"/rounds/{round_.id}/results" in mail.body


# --- residency ------------------------------------------------------------------------------------


def test_verification_in_person_is_told_and_without_an_address_nothing_is_emailed(session, users):
    person = users.unverified()
    residents.verify_in_person(users.moderator(), person)
    assert told(session, person) == [("residency.verified", "account")]
    assert len(emails_to(session, person)) == 1

    no_address = users.unverified()
    no_address.email = None
    session.commit()
    residents.verify_in_person(users.moderator(), no_address)
    assert told(session, no_address) == [("residency.verified", "account")]
    # Kept for their account page and the front desk, never sent (there is nowhere to send it).
    assert [m.recipient for m in emails_to(session, no_address)] == [None]
