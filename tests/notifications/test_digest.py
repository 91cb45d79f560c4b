"""The weekly digest and the held-back e-mails, with time frozen (``now`` given): content, nothing sent
when there is nothing new, no second digest within the week, unsubscribe honoured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.notifications import choices, sending, services, unsubscribing
from app.notifications.models import Notification
from app.outbox.models import OutboxMessage
from tests.proposals.factories import make_proposal

MONDAY = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


def tell(person, proposal, event="comment.on_my_proposal", category="discussion", actor=None):
    return services.notify([person], event, category=category, subject_kind="proposal",
                           subject_id=proposal.id, title=proposal.title, link=f"/proposals/{proposal.id}",
                           actor=actor)


def mails(session, person) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient_id == person.id)
                                .order_by(OutboxMessage.id)))


@pytest.fixture
def news(session, users):
    """A resident with two comments on their proposal (discussion: digest by default)."""
    person, neighbour = users.resident(), users.resident(name="Halina Nowak")
    proposal = make_proposal(session, person, title="Ławki „pod lipą”")
    tell(person, proposal, actor=neighbour)
    tell(person, proposal, actor=neighbour)
    session.commit()
    return person, proposal


def test_the_digest_lists_what_is_new_once_a_week(session, users, news):
    person, proposal = news
    quiet = users.resident()
    assert sending.send_digests(MONDAY) == 1
    [digest] = mails(session, person)
    assert digest.subject == "Twoje cotygodniowe wiadomości z MAM Na Kozłówce"
    assert digest.body.startswith(f"Dzień dobry, {person.display_name}!")
    assert digest.body.count("Halina Nowak komentuje Twoją propozycję „Ławki „pod lipą””.") == 2
    assert digest.body.count(f"http://localhost/proposals/{proposal.id}") == 2
    assert "Halina Nowak" in digest.body and "Ławki „pod lipą”" in digest.body
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mails(session, quiet) == []  # nothing new: nothing sent
    # Run again the same week, even with something new: nothing more until a week has passed.
    tell(person, proposal)
    session.commit()
    assert sending.send_digests(MONDAY + timedelta(days=1)) == 0
    assert sending.send_digests(MONDAY + timedelta(days=7)) == 1
    second = mails(session, person)[-1]
    assert second.body.count(f"http://localhost/proposals/{proposal.id}") == 1  # only what is new
    assert sending.send_digests(MONDAY + timedelta(days=14)) == 0  # nothing new


def test_nothing_is_sent_when_nobody_has_news(session, users):
    users.resident()
    assert sending.send_digests(MONDAY) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_unsubscribing_from_the_digest_is_honoured(session, users, news):
    person, _ = news
    unsubscribing.unsubscribe(unsubscribing.unsubscribe_token(person, "digest"))
    assert sending.send_digests(MONDAY) == 0
    assert mails(session, person) == []
    assert choices.choices_for([person.id])[person.id]["discussion"] == "never"
    # The notifications stay in the app.
    assert session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == person.id)) == 2


def test_choosing_never_after_the_fact_keeps_it_out_of_the_digest(session, users, news):
    person, proposal = news
    tell(person, proposal, event="proposal.accepted", category="following")
    choices.set_choices(person, {"discussion": "never"})
    assert sending.send_digests(MONDAY) == 1
    [digest] = mails(session, person)
    assert "Halina Nowak" not in digest.body
    assert "Propozycja „Ławki „pod lipą”” została przyjęta do głosowania." in digest.body
    assert digest.body.count(f"http://localhost/proposals/{proposal.id}") == 1


def test_a_digest_is_in_the_persons_language(session, users):
    person = users.resident(locale="uk")
    proposal = make_proposal(session, person, title="Лавки")
    tell(person, proposal)
    session.commit()
    sending.send_digests(MONDAY)
    [digest] = mails(session, person)
    assert digest.body.startswith(f"Добрий день, {person.display_name}!")
    assert "коментує твою пропозицію «Лавки»" in digest.body


def test_held_back_emails_go_together_and_honour_a_changed_choice(session, users):
    person, other = users.resident(), users.resident()
    proposal = make_proposal(session, person)
    services.notify([person, other], "round.voting_opened", category="rounds", subject_kind="round",
                    subject_id=1, title="Budżet 2027", link="/rounds/1", bulk=True)
    services.notify([person], "round.closing", category="rounds", subject_kind="round", subject_id=1,
                    title="Budżet 2027", link="/rounds/1", bulk=True)
    choices.set_choices(other, {"rounds": "never"})
    assert sending.send_held(MONDAY) == 1
    [mail] = mails(session, person)
    assert "Budżet 2027" in mail.body and mail.body.count("http://localhost/rounds/1") == 2
    assert mails(session, other) == []
    assert sending.send_held(MONDAY) == 0
    assert proposal  # the person's own proposal plays no part: rounds are told to every voter
