"""Flask-Migrate, set up when first used. Importing it imports alembic, mako and pygments (a tenth of
every start), which only ``flask db …``, the tests and the benchmark's seeding need; every other command,
cron job and worker boot skips them. ``flask --help`` still lists ``flask db``."""

from __future__ import annotations

import os

import click
from flask import Flask

from app.db import UTCDateTime

HELP = "Perform database migrations."


def _render_item(type_, obj, autogen_context):
    """Autogenerate writes our UTC timestamp type as the plain column type it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _set_up(app: Flask) -> None:
    from flask_migrate import Migrate

    from app.db import db

    directory = os.path.join(os.path.dirname(app.root_path), "migrations")
    Migrate(render_as_batch=True, compare_type=True, render_item=_render_item).init_app(app, db, directory)


class _Extensions(dict):
    """``app.extensions``, where Flask-Migrate's ``"migrate"`` entry appears when first read."""

    def __init__(self, app: Flask, existing: dict):
        super().__init__(existing)
        self._app = app

    def __missing__(self, key):
        if key != "migrate":
            raise KeyError(key)
        _set_up(self._app)  # sets self["migrate"] and replaces the placeholder command
        return self[key]


class _DbCommand(click.Group):
    """``flask db``: listed by ``flask --help`` with its help line; Flask-Migrate's own group, imported
    when the command runs, parses the rest."""

    def __init__(self, app: Flask):
        super().__init__("db", help=HELP, short_help=HELP)
        self._app = app

    def make_context(self, info_name, args, parent=None, **extra):
        self._app.extensions["migrate"]  # noqa: B018  (sets Flask-Migrate up)
        return self._app.cli.commands["db"].make_context(info_name, args, parent=parent, **extra)


def register_migrations(app: Flask) -> None:
    app.extensions = _Extensions(app, app.extensions)
    app.cli.add_command(_DbCommand(app))
