"""`flask activities remind` (cron, e.g. every 15 minutes): e-mail people 24 hours before an activity."""

from __future__ import annotations

import click
from flask.cli import AppGroup

activities_cli = AppGroup("activities", help="Activities in the centre's calendar.")


@activities_cli.command("remind")
def remind() -> None:
    """E-mail registered participants and volunteers of activities starting within 24 hours (once each)."""
    from app.activities.services.reminders import send_reminders

    click.echo(f"reminders queued: {send_reminders()}")
