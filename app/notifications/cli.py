"""`flask notifications send | digest | reminders` (cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

notifications_cli = AppGroup("notifications", help="Notifications e-mailed by choice.")


@notifications_cli.command("send")
def send() -> None:
    """Send the e-mails held back to go together (run every few minutes)."""
    from app.notifications.sending import send_held

    click.echo(f"{send_held()} e-mail(s) sent")


@notifications_cli.command("digest")
def digest() -> None:
    """Send the weekly digest to everyone with something new (run once a week)."""
    from app.notifications.sending import send_digests

    click.echo(f"{send_digests()} digest(s) sent")


@notifications_cli.command("reminders")
def reminders() -> None:
    """Remind people of what is due soon, such as a vote closing within 24 hours (safe to run often)."""
    from app.db import db, utcnow
    from app.notifications.signals import reminders_due

    told = sum(result or 0 for _, result in reminders_due.send(None, now=utcnow()))
    db.session.commit()
    click.echo(f"{told} person(s) reminded")
