"""`flask rounds advance` (cron: apply the schedule), `flask rounds recount ID`, and `flask votes
import-pabulib` (with the other `flask votes` commands, but defined here: an imported round is closed by the
round's own phase change, which sits above the votes package)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from app.errors import DomainError
from app.votes.cli import DEDUPE_HELP, refuse, votes_cli
from app.votes.tally import PabulibError, parse_pabulib

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


@votes_cli.command("import-pabulib")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default=None, help="Title of the new round (default: the file's description).")
@click.option("--dedupe-votes", is_flag=True, help=DEDUPE_HELP)
def import_pabulib_command(file: Path, title: str | None, dedupe_votes: bool) -> None:
    """Create a closed round (proposals and anonymous ballots) from a Pabulib FILE.pb."""
    from app.rounds.importing import import_parsed
    from app.votes.pabulib_messages import pabulib_error_message

    try:
        parsed = parse_pabulib(file, dedupe_votes=dedupe_votes)
    except PabulibError as error:
        refuse(file, pabulib_error_message(error))  # in the platform's language
    round_ = import_parsed(parsed, file, title)
    assert round_.result is not None  # closed and counted
    winners = round_.result["tally"]["winners"]
    click.echo(f"round {round_.id}: {round_.result['ballots']} ballots, {len(winners)} selected proposals")
    click.echo(f"ballots sha256: {round_.ballots_sha256}")
    if dedupe_votes:
        click.echo(f"approval votes naming a project twice, counted once: {parsed.votes_deduplicated}")
