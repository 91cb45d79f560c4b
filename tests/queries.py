"""Counting the SQL statements a piece of code runs (for the fixed-number-of-queries tests)."""

from __future__ import annotations

from collections.abc import Callable
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


def assert_fixed_query_count(app, page: Callable[[], object], fill: Callable[[int], None]) -> None:
    """``page()`` runs as many statements after ``fill(4)`` more of everything as after ``fill(1)``."""
    fill(1)
    with count_queries(app) as few:
        page()
    fill(4)
    with count_queries(app) as many:
        page()
    assert len(many) == len(few), "\n".join(many)
