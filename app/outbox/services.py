"""Queue e-mails in the caller's transaction; send them after commit.

Backends: ``smtp`` (MAIL_SERVER set), ``console`` (development: printed), ``memory`` (tests: kept in
``app.extensions["mail_sent"]``).
"""

from __future__ import annotations

import smtplib
import sys
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.db import db, utcnow
from app.outbox.models import OutboxMessage

CLAIM_TIMEOUT = timedelta(minutes=10)


def queue_email(recipient: str, subject, template: str, locale: str = "pl", **context):
    """Render ``template`` (plain text) in the recipient's language and add it to the outbox."""
    with force_locale(locale):
        message = OutboxMessage(
            recipient=recipient,
            subject=str(subject),
            body=render_template(template, **context),
        )
    db.session.add(message)
    db.session.info["outbox_pending"] = True
    return message


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_sent", []).append(
            {"to": message.recipient, "subject": message.subject, "body": message.body}
        )
        return
    if backend == "console":
        print(
            f"\n----- e-mail to {message.recipient} -----\nSubject: {message.subject}\n\n"
            f"{message.body}\n----- end of e-mail -----\n",
            file=sys.stderr,
            flush=True,
        )
        return
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send unsent messages; each is claimed first so several servers never send one twice.

    Returns (sent, failed).
    """
    session = db.session
    stale = utcnow() - CLAIM_TIMEOUT
    ids = session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None))
        .where(sa.or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale))
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message_id in ids:
        claimed = session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
            .where(sa.or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale))
            .values(claimed_at=utcnow())
        ).rowcount
        session.commit()
        if claimed != 1:
            continue
        message = session.get(OutboxMessage, message_id)
        try:
            _deliver(message)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = str(error)[:2000]
            message.claimed_at = None
            failed += 1
        else:
            message.attempts += 1
            message.sent_at = utcnow()
            sent += 1
        session.commit()
    return sent, failed


@event.listens_for(Session, "after_commit")
def _outbox_committed(session):
    if session.info.pop("outbox_pending", False):
        session.info["outbox_committed"] = True


@event.listens_for(Session, "after_rollback")
def _outbox_rolled_back(session):
    session.info.pop("outbox_pending", None)


def register_outbox(app) -> None:
    """Send what a request queued, right after its transaction committed."""

    @app.after_request
    def send_after_commit(response):
        session = db.session
        if session.info.pop("outbox_committed", False):
            session.rollback()  # only reads can be open here: services commit once
            try:
                send_pending()
            except Exception:  # never fail the user's request because mail is down
                app.logger.exception("Sending the outbox failed; `flask outbox send` will retry")
                session.rollback()
        return response
