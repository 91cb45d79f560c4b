"""Command-line tools: `flask users …`, `flask outbox send|failed`, `flask audit verify`, `flask demo …`."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.errors import DomainError
from app.urls import external_url

users_cli = AppGroup("users", help="Manage accounts and roles.")
outbox_cli = AppGroup("outbox", help="Send queued e-mails.")
audit_cli = AppGroup("audit", help="Check the audit log.")
demo_cli = AppGroup("demo", help="Demo content.")


def _fail(error: DomainError) -> None:
    raise click.ClickException(str(error.message))


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["resident", "moderator", "steering", "admin"]))
def set_role(email: str, role: str) -> None:
    """Give the account with EMAIL the ROLE."""
    from app.residents.services import set_role_by_email

    try:
        user = set_role_by_email(email, role)
    except DomainError as error:
        _fail(error)
    click.echo(f"{user.email} is now {user.role}.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default=None, help="Display name (default: the part before @).")
def create_admin(email: str, name: str | None) -> None:
    """Create an administrator (or promote an account); the password is read from a prompt or stdin."""
    from app.auth.services import create_admin as create

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create(email, password, name)
    except DomainError as error:
        _fail(error)
    click.echo(f"{user.email} is an administrator.")


@users_cli.command("setup-link")
def setup_link() -> None:
    """Print the one-time link that creates the first administrator (only while there is none)."""
    from app.auth.services import setup_token
    from app.demo.seed import demo_administrator

    token = setup_token()
    if token is None:
        click.echo(f"An administrator exists; sign in at {external_url('auth.login')}.")
        demo_admin = demo_administrator()
        if demo_admin:
            click.echo(f"The demo's administrator: {demo_admin[0]}, password {demo_admin[1]}")
        return
    link = external_url("auth.setup", token=token)
    click.echo(
        "\n" + "=" * 72 + "\nNo administrator yet. Open this one-time link to create the admin account:\n"
        f"\n    {link}\n\n" + "=" * 72 + "\n"
    )


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True)
def outbox_send(limit: int) -> None:
    """Send e-mails waiting in the outbox."""
    from app.outbox.services import send_pending

    sent, failed = send_pending(limit)
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        sys.exit(1)


@outbox_cli.command("failed")
def outbox_failed() -> None:
    """List e-mails given up on after OUTBOX_MAX_ATTEMPTS failed attempts (kept for inspection)."""
    from app.db import db
    from app.outbox.services import failed_messages

    messages = db.session.scalars(failed_messages()).all()
    for message in messages:
        error = (message.last_error or "").splitlines()[0][:200] if message.last_error else ""
        click.echo(f"{message.id}\t{message.created_at:%Y-%m-%d %H:%M}\t{message.recipient}\t"
                   f"{message.attempts} attempts\t{error}")
    click.echo(f"{len(messages)} e-mail(s) given up on")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain."""
    from app.audit.services import verify_chain

    broken = verify_chain()
    if broken is not None:
        raise click.ClickException(f"the audit chain is broken at event {broken}")
    click.echo("audit chain intact")


@demo_cli.command("seed")
@click.option("--force", is_flag=True, help="Seed even when MAM_ENV=production (creates public demo logins).")
def demo_seed(force: bool) -> None:
    """Fill the database with realistic demo content (safe to run again)."""
    from app.demo.seed import seed

    if current_app.config["MAM_ENV"] == "production" and not force:
        raise click.ClickException(
            "Refusing to seed demo content: MAM_ENV is production. The demo creates accounts, an "
            "administrator among them, whose password is published. Run it with MAM_ENV=development, "
            "or add --force if this really is a demo site."
        )
    for line in seed():
        click.echo(line)


def register_cli(app: Flask) -> None:
    from app.activities.cli import activities_cli
    from app.notifications.cli import notifications_cli
    from app.rounds.cli import rounds_cli
    from app.search.cli import search_cli
    from app.votes.cli import votes_cli

    groups = (users_cli, outbox_cli, audit_cli, demo_cli, rounds_cli, votes_cli, activities_cli, search_cli,
              notifications_cli)
    for group in groups:
        app.cli.add_command(group)
