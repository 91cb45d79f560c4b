"""Counting the SQL statements a piece of code runs (for the fixed-number-of-queries tests)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from app.db import db


@contextmanager
def count_queries(app):
    """Yields the list of statements sent to the database while the block runs."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
