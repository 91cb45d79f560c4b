"""Pooled PostgreSQL connections are checked before use only after sitting idle
(DATABASE_PING_AFTER_IDLE_SECONDS): a busy site saves a round trip per request, and a connection the server
closed meanwhile (a restart, a firewall) is replaced before anyone sees an error."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from app import create_app
from app.db import db


@pytest.fixture
def pg_app(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite is a file: there is no connection for a server to close")

    def make(after_seconds: float):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                          "DATABASE_PING_AFTER_IDLE_SECONDS": after_seconds})
        made.append(app)
        return app

    made: list = []
    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _backend(app) -> int:
    with app.app_context():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        db.session.remove()  # the connection goes back to the pool
        return pid


def _pings(app, monkeypatch) -> list:
    pings: list = []
    with app.app_context():
        dialect = db.engine.dialect
    original = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(1) or original(conn))
    return pings


def test_a_connection_in_steady_use_is_not_pinged(pg_app, monkeypatch):
    app = pg_app(10)
    pings = _pings(app, monkeypatch)
    first = _backend(app)
    assert [_backend(app) for _ in range(5)] == [first] * 5
    assert pings == []


def test_a_connection_closed_by_the_server_while_idle_is_replaced_unseen(pg_app, database_url, monkeypatch):
    app = pg_app(0.05)
    pings = _pings(app, monkeypatch)
    closed = _backend(app)
    other = sa.create_engine(database_url)
    with other.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": closed})
    other.dispose()
    time.sleep(0.1)

    assert _backend(app) != closed  # no error: the pool connected afresh
    assert pings
