"""``flask search reindex``: rebuild the search entries (after imports that bypass the ORM)."""

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="Search everything.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search entries of every proposal, activity, news post and round."""
    from app.search.index import reindex

    click.echo(f"{reindex()} records indexed.")
