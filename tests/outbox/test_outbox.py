"""The outbox: e-mails are written with the change that causes them and sent once, after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth import services as auth_services
from app.auth.models import User
from app.db import utcnow
from app.outbox.models import OutboxMessage
from app.outbox.services import queue_email, send_pending
from tests.factories import HOSTILE_NAME, PASSWORD


def messages(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def queue_one(session, users, **kw) -> OutboxMessage:
    """A real e-mail, queued by a service (the confirmation link) and committed."""
    user = users.make(verified=False, email_verified=False, **kw)
    auth_services.resend_verification(user)
    [message] = messages(session)
    return message


@pytest.fixture
def smtp_down(app, monkeypatch):
    """An SMTP server that cannot be reached (nothing listens on port 1)."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)


# --- written in the caller's transaction ---------------------------------------------------------


def test_a_queued_email_is_stored_with_the_change_that_caused_it(session, mail):
    user = auth_services.register("nowa@kozlowka.example", "Nowa", PASSWORD)

    [message] = messages(session)
    assert message.recipient == user.email == "nowa@kozlowka.example"
    assert message.sent_at is None
    assert message.attempts == 0
    assert "/verify-email/" in message.body
    assert mail == []  # outside a request nothing is sent until the outbox is processed


def test_a_rolled_back_change_leaves_no_email(session, mail):
    user = User(email="wycofana@kozlowka.example", display_name="Wycofana", password_hash="x")
    session.add(user)
    session.flush()
    queue_email(user.email, "Temat", "auth/email/verify_email.txt", user=user, link="http://x/")

    session.rollback()

    assert messages(session) == []
    assert session.scalar(sa.select(User).where(User.email == "wycofana@kozlowka.example")) is None
    assert send_pending() == (0, 0)
    assert mail == []


def test_a_commit_after_a_rollback_does_not_send_the_forgotten_email(session, users, mail):
    user = users.unverified()
    queue_email(user.email, "Temat", "auth/email/verify_email.txt", user=user, link="http://x/")
    session.rollback()

    auth_services.update_profile(user, "Inna nazwa", "pl")

    assert messages(session) == []
    assert send_pending() == (0, 0)
    assert mail == []


# --- sent right after a request's commit -------------------------------------------------------------


def test_registering_sends_the_confirmation_right_after_commit(session, client, mail):
    response = client.post(
        "/register",
        {"email": "Halina@Kozlowka.example", "display_name": HOSTILE_NAME, "password": PASSWORD,
         "confirm": PASSWORD},
    )

    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    [sent] = mail
    assert sent["to"] == "halina@kozlowka.example"
    assert sent["subject"] == "Potwierdź swój adres e-mail"
    assert "/verify-email/" in sent["body"]
    # A plain-text e-mail shows the name as typed, not HTML-escaped.
    assert f"Dzień dobry, {HOSTILE_NAME}!" in sent["body"]
    [message] = messages(session)
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.last_error is None


def test_the_link_in_the_sent_email_confirms_the_address(session, client, mail):
    client.post(
        "/register",
        {"email": "link@kozlowka.example", "display_name": "Link", "password": PASSWORD,
         "confirm": PASSWORD},
    )
    link = next(line for line in mail[0]["body"].splitlines() if "/verify-email/" in line).strip()
    assert link.startswith("http://localhost/verify-email/")

    response = client.get(link.removeprefix("http://localhost"))

    assert response.status_code == 303
    session.expire_all()
    user = session.scalar(sa.select(User).where(User.email == "link@kozlowka.example"))
    assert user.is_email_verified


def test_registration_succeeds_while_mail_is_down_and_the_email_waits(session, client, mail, smtp_down):
    response = client.post(
        "/register",
        {"email": "cierpliwa@kozlowka.example", "display_name": "Cierpliwa", "password": PASSWORD,
         "confirm": PASSWORD},
    )

    assert response.status_code == 303
    [message] = messages(session)
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error


# --- sending exactly once ------------------------------------------------------------------------


def test_send_pending_never_sends_a_message_twice(session, users, mail):
    message = queue_one(session, users)

    assert send_pending() == (1, 0)
    assert send_pending() == (0, 0)

    assert len(mail) == 1
    assert mail[0]["to"] == message.recipient
    [stored] = messages(session)
    assert stored.sent_at is not None
    assert stored.attempts == 1


def test_a_message_claimed_by_another_server_recently_is_left_alone(session, users, mail):
    message = queue_one(session, users)
    message.claimed_at = utcnow() - timedelta(minutes=5)
    session.commit()

    assert send_pending() == (0, 0)

    assert mail == []
    assert messages(session)[0].sent_at is None


def test_a_message_claimed_long_ago_is_sent_by_someone_else(session, users, mail):
    """The server that claimed it died before sending: after 10 minutes another one takes over."""
    message = queue_one(session, users)
    message.claimed_at = utcnow() - timedelta(minutes=11)
    session.commit()

    assert send_pending() == (1, 0)

    assert [sent["to"] for sent in mail] == [message.recipient]
    assert messages(session)[0].sent_at is not None


def test_send_pending_respects_the_limit_and_sends_the_rest_later(session, users, mail):
    for _ in range(3):
        user = users.make(verified=False, email_verified=False)
        auth_services.resend_verification(user)

    assert send_pending(limit=2) == (2, 0)
    assert send_pending(limit=2) == (1, 0)
    assert len({sent["to"] for sent in mail}) == 3


# --- failures are kept for a retry -----------------------------------------------------------------


def test_an_smtp_failure_is_recorded_and_retried(session, users, mail, smtp_down, app, monkeypatch):
    queue_one(session, users)

    assert send_pending() == (0, 1)

    [message] = messages(session)
    assert message.sent_at is None
    assert message.claimed_at is None  # free to be retried at once
    assert message.attempts == 1
    assert message.last_error

    assert send_pending() == (0, 1)
    assert messages(session)[0].attempts == 2

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")
    assert send_pending() == (1, 0)
    [message] = messages(session)
    assert message.sent_at is not None
    assert message.attempts == 3
    assert len(mail) == 1


def test_a_failure_on_one_message_does_not_stop_the_others(session, users, mail, monkeypatch):
    from app.outbox import services as outbox_services

    for _ in range(3):
        auth_services.resend_verification(users.make(verified=False, email_verified=False))
    broken = messages(session)[1].recipient
    deliver = outbox_services._deliver

    def flaky(message):
        if message.recipient == broken:
            raise OSError("Connection reset by peer")
        deliver(message)

    monkeypatch.setattr(outbox_services, "_deliver", flaky)

    assert send_pending() == (2, 1)

    assert broken not in {sent["to"] for sent in mail}
    failed = [m for m in messages(session) if m.sent_at is None]
    assert [m.recipient for m in failed] == [broken]
    assert failed[0].last_error == "Connection reset by peer"


# --- in the recipient's language -------------------------------------------------------------------


def test_emails_are_written_in_the_recipients_language(session, users, mail):
    polish = users.make(verified=False, email_verified=False, locale="pl")
    english = users.make(verified=False, email_verified=False, locale="en")

    auth_services.resend_verification(polish)
    auth_services.resend_verification(english)
    send_pending()

    by_recipient = {sent["to"]: sent for sent in mail}
    assert by_recipient[polish.email]["subject"] == "Potwierdź swój adres e-mail"
    assert "Dziękujemy za dołączenie" in by_recipient[polish.email]["body"]
    assert by_recipient[english.email]["subject"] == "Confirm your e-mail address"
    assert "Thank you for joining" in by_recipient[english.email]["body"]
    assert "Dziękujemy" not in by_recipient[english.email]["body"]


def test_a_polish_visitor_asking_for_an_english_users_reset_link_sends_english(session, users, client, mail):
    english = users.make(locale="en")

    response = client.post("/reset-password", {"email": english.email})

    assert response.status_code == 303
    [sent] = mail
    assert sent["subject"] == "Set a new password"
    assert "Someone (probably you) asked to set a new password" in sent["body"]
    # The page itself stays in the visitor's language.
    page = client.get("/login").get_data(as_text=True)
    assert "Jeśli konto z tym adresem istnieje" in page


def test_an_english_visitor_asking_for_a_polish_users_reset_link_sends_polish(session, users, client, mail):
    polish = users.make(locale="pl")
    client.http.set_cookie("lang", "en")

    response = client.post("/reset-password", {"email": polish.email})

    assert response.status_code == 303
    [sent] = mail
    assert sent["subject"] == "Ustaw nowe hasło"
    page = client.get("/login").get_data(as_text=True)
    assert "If an account with this address exists" in page


# --- a request sends only its own messages; failing messages are given up after N attempts ---------


def test_a_request_sends_only_the_messages_it_queued(session, users, client, mail):
    """The backlog (older or failed messages) is left to `flask outbox send`: a request never waits on it."""
    older = queue_one(session, users)

    response = client.post(
        "/register",
        {"email": "swieza@kozlowka.example", "display_name": "Świeża", "password": PASSWORD,
         "confirm": PASSWORD},
    )

    assert response.status_code == 303
    assert [sent["to"] for sent in mail] == ["swieza@kozlowka.example"]
    stored = {m.recipient: m for m in messages(session)}
    assert stored[older.recipient].sent_at is None and stored[older.recipient].attempts == 0
    assert stored["swieza@kozlowka.example"].sent_at is not None


def test_a_request_while_mail_is_down_tries_its_own_message_once(session, users, client, mail, smtp_down):
    backlog = queue_one(session, users)

    client.post(
        "/register",
        {"email": "jedna@kozlowka.example", "display_name": "Jedna", "password": PASSWORD,
         "confirm": PASSWORD},
    )

    stored = {m.recipient: m for m in messages(session)}
    assert stored["jedna@kozlowka.example"].attempts == 1
    assert stored[backlog.recipient].attempts == 0  # the backlog is the cron's job


def test_send_pending_can_stop_at_the_first_failure(session, users, mail, smtp_down):
    for _ in range(3):
        auth_services.resend_verification(users.make(verified=False, email_verified=False))

    assert send_pending(stop_on_failure=True) == (0, 1)

    assert [m.attempts for m in messages(session)] == [1, 0, 0]


def test_a_failing_message_is_given_up_after_the_maximum_attempts_and_kept(
    app, session, users, mail, smtp_down, monkeypatch
):
    from app.outbox.services import failed_messages

    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    queue_one(session, users)

    assert [send_pending() for _ in range(3)] == [(0, 1)] * 3
    assert send_pending() == (0, 0)  # not tried a fourth time

    [message] = messages(session)
    assert message.attempts == 3
    assert message.sent_at is None
    assert message.last_error  # kept for inspection
    assert [m.id for m in session.scalars(failed_messages())] == [message.id]
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")
    assert send_pending() == (0, 0)  # even once mail works again: an operator decides
    assert mail == []


def test_flask_outbox_failed_lists_the_given_up_messages(app, session, users, smtp_down, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 1)
    message = queue_one(session, users)
    send_pending()

    result = app.test_cli_runner().invoke(args=["outbox", "failed"])

    assert result.exit_code == 0, result.output
    assert message.recipient in result.output and "1 attempts" in result.output
    assert "1 e-mail(s) given up on" in result.output
    assert app.test_cli_runner().invoke(args=["outbox", "send"]).exit_code == 0


def test_an_unexpected_error_counts_as_an_attempt_too(session, users, mail, monkeypatch):
    """Not only SMTP and network errors: anything that stops a delivery is recorded and counted, so
    OUTBOX_MAX_ATTEMPTS ends the retries."""
    from app.outbox import services as outbox_services

    auth_services.resend_verification(users.make(verified=False, email_verified=False))

    def broken(message):
        raise UnicodeEncodeError("ascii", "ż", 0, 1, "the server took only ASCII")

    monkeypatch.setattr(outbox_services, "_deliver", broken)
    assert send_pending() == (0, 1)
    [message] = [m for m in messages(session) if m.sent_at is None]
    assert message.attempts == 1 and "ASCII" in message.last_error and message.claimed_at is None
