"""`flask rounds advance` (cron: apply the schedule) and `flask rounds recount ID`."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from app.errors import DomainError

rounds_cli = AppGroup("rounds", help="Consultation rounds.")


@rounds_cli.command("advance")
def advance() -> None:
    """Move every round whose scheduled date has passed to its next phase (safe to run every minute)."""
    from app.rounds.services import apply_schedule

    for round_id, old, new in apply_schedule():
        click.echo(f"round {round_id}: {old} -> {new}")


@rounds_cli.command("recount")
@click.argument("round_id", type=int)
@click.option("--show", is_flag=True, help="Print both results as JSON.")
def recount(round_id: int, show: bool) -> None:
    """Count the stored ballots of a closed round again and compare with the published result."""
    from app.rounds.services import recount as do_recount

    try:
        same, stored, recomputed = do_recount(round_id)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    if show:
        click.echo(json.dumps({"stored": stored, "recomputed": recomputed}, indent=2, ensure_ascii=False))
    click.echo(f"ballots sha256: {recomputed['ballots_sha256']}")
    click.echo(f"result  sha256: {recomputed['result_sha256']}")
    if not same:
        raise click.ClickException("the recount DIFFERS from the stored result")
    click.echo("recount matches the stored result")
