"""Queue e-mails in the caller's transaction; send them after commit.

Backends: ``smtp`` (MAIL_SERVER set), ``console`` (development: printed), ``memory`` (tests: kept in
``app.extensions["mail_sent"]``).
"""

from __future__ import annotations

import smtplib
import sys
from datetime import timedelta
from email.message import EmailMessage
from typing import Any, Protocol

import sqlalchemy as sa
from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app.db import db, rowcount, utcnow
from app.i18n import babel_locale
from app.outbox.models import OutboxMessage

CLAIM_TIMEOUT = timedelta(minutes=10)


class Account(Protocol):
    """Whom a message is for: a user account (the outbox needs nothing else of it)."""

    @property
    def id(self) -> int: ...

    @property
    def email(self) -> str | None: ...

    @property
    def locale(self) -> str: ...


def queue_email(recipient: str | None, subject: object, template: str, locale: str = "pl", *,
                recipient_id: int | None = None, headers: dict[str, str] | None = None,
                **context: Any) -> OutboxMessage:
    """Render ``template`` (plain text) in the recipient's language and add it to the outbox.

    Without an address the message is kept for the person (``recipient_id``) and never sent.
    ``headers`` are added to the e-mail (e.g. ``List-Unsubscribe``)."""
    with force_locale(babel_locale(locale)):
        message = OutboxMessage(
            recipient=recipient or None,
            recipient_id=recipient_id,
            subject=str(subject),
            body=render_template(template, **context),
            headers=headers or None,
        )
    db.session.add(message)
    if message.sendable:
        db.session.info.setdefault("outbox_pending", []).append(message)
    return message


def queue_email_to(account: Account, subject: object, template: str, /, *,
                   headers: dict[str, str] | None = None, **context: Any) -> OutboxMessage:
    """Queue a message for an account, in its language; kept unsent if the account has no address."""
    return queue_email(account.email, subject, template, locale=account.locale, recipient_id=account.id,
                       headers=headers, **context)


def messages_for(person: Account) -> sa.Select[OutboxMessage]:
    """What the platform wrote to a person, newest first (sent, waiting, or kept for lack of address)."""
    return (
        sa.select(OutboxMessage)
        .where(OutboxMessage.recipient_id == person.id)
        .order_by(OutboxMessage.id.desc())
    )


def kept_messages(person: Account) -> list[OutboxMessage]:
    """Messages for a person that could not be e-mailed (no address): their account page lists them."""
    return list(db.session.scalars(messages_for(person).where(OutboxMessage.recipient.is_(None))))


def max_attempts() -> int:
    """After this many failed attempts a message is given up: kept with its last error, not retried."""
    return int(current_app.config["OUTBOX_MAX_ATTEMPTS"])


def failed_messages() -> sa.Select[OutboxMessage]:
    """Messages given up on, for an operator to inspect."""
    return (
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= max_attempts())
        .order_by(OutboxMessage.id)
    )


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_sent", []).append(
            {"to": message.recipient, "subject": message.subject, "body": message.body,
             "headers": dict(message.headers or {})}
        )
        return
    if backend == "console":
        headers = "".join(f"{name}: {value}\n" for name, value in (message.headers or {}).items())
        print(
            f"\n----- e-mail to {message.recipient} -----\nSubject: {message.subject}\n{headers}\n"
            f"{message.body}\n----- end of e-mail -----\n",
            file=sys.stderr,
            flush=True,
        )
        return
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def send_pending(
    limit: int = 100, ids: list[int] | None = None, stop_on_failure: bool = False
) -> tuple[int, int]:
    """Send unsent messages (only those in ``ids`` when given); each is claimed first so several servers
    never send one twice. A message that has failed ``OUTBOX_MAX_ATTEMPTS`` times is no longer tried.
    With ``stop_on_failure``, the first failure ends the run (the mail server is likely down).

    Returns (sent, failed).
    """
    session = db.session
    stale = utcnow() - CLAIM_TIMEOUT
    limit_attempts = max_attempts()
    sendable = (
        OutboxMessage.recipient.is_not(None),
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.attempts < limit_attempts,
        sa.or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale),
    )
    query = sa.select(OutboxMessage.id).where(*sendable).order_by(OutboxMessage.id).limit(limit)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    sent = failed = 0
    for message_id in session.scalars(query).all():
        claimed = rowcount(session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, *sendable)
            .values(claimed_at=utcnow())
        ))
        session.commit()
        if claimed != 1:
            continue
        message = session.get_one(OutboxMessage, message_id)
        message.attempts += 1
        try:
            _deliver(message)
        except Exception as error:  # any failure counts as an attempt, or the message would loop forever
            message.last_error = str(error)[:2000] or type(error).__name__
            message.claimed_at = None
            failed += 1
            if message.attempts >= limit_attempts:
                current_app.logger.error(
                    "Giving up on e-mail %s to %s after %d attempts: %s",
                    message.id, message.recipient, message.attempts, message.last_error,
                )
        else:
            message.sent_at = utcnow()
            sent += 1
        session.commit()
        if failed and stop_on_failure:
            break
    return sent, failed


@event.listens_for(Session, "after_commit")
def _outbox_committed(session: Session) -> None:
    """Remember the ids of the messages this commit stored (their identity needs no SQL here)."""
    pending = session.info.pop("outbox_pending", None)
    if pending:
        ids = [identity[0] for identity in (sa.inspect(message).identity for message in pending) if identity]
        session.info.setdefault("outbox_committed", []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _outbox_rolled_back(session: Session) -> None:
    session.info.pop("outbox_pending", None)


def register_outbox(app: Flask) -> None:
    """Send what this request queued, right after its transaction committed.

    Only this request's messages: older ones, and those that failed, are left to `flask outbox send` (cron),
    so a slow or unreachable mail server delays one request by one attempt at most, not by the whole backlog.
    """

    @app.after_request
    def send_after_commit(response: Response) -> Response:
        session = db.session
        ids = session.info.pop("outbox_committed", None)
        if ids:
            session.rollback()  # only reads can be open here: services commit once
            try:
                send_pending(limit=len(ids), ids=ids, stop_on_failure=True)
            except Exception:  # never fail the user's request because mail is down
                app.logger.exception("Sending the outbox failed; `flask outbox send` will retry")
                session.rollback()
        return response
