"""Declarative base, the ``db`` handle and engine tuning.

SQLite: foreign keys on, WAL, a busy timeout, and real transactions. Python's sqlite3 driver starts
transactions lazily and breaks SAVEPOINT; we switch its own handling off and emit BEGIN ourselves, as
SQLAlchemy documents (BEGIN IMMEDIATE in POST requests, so that writers queue instead of failing).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The models' base class. It is ``db.Model``, which mypy cannot take as a base class (it is an attribute of
# an instance, python/mypy#8603): to mypy it is a subclass of ``Base``, which is what it is at run time.
if TYPE_CHECKING:

    class Model(Base):
        __abstract__ = True

else:
    Model = db.Model

_WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def in_schema_of(dialect: str):
    """Alembic's ``include_object`` for comparing the models with a database of ``dialect``: an object
    whose ``info["dialects"]`` leaves that dialect out (a PostgreSQL-only full-text index) is not expected."""

    def include(obj, _name, _type, _reflected, _compare_to) -> bool:
        dialects = getattr(obj, "info", {}).get("dialects")
        return dialects is None or dialect in dialects

    return include


def one_of(column: str, enum) -> str:
    """A CHECK constraint's text: the column holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in enum)})"


def utcnow() -> datetime:
    """Timezone-aware now in UTC; every stored timestamp is UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use app.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    if connection.dialect.name == "sqlite":
        # A state-changing request takes the write lock at once: waiting for another writer is
        # covered by the busy timeout, whereas a transaction that read first could not upgrade
        # once another writer had committed (SQLITE_BUSY_SNAPSHOT), and a double click would fail.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if in_writing_request() else "BEGIN")


def ping_idle_connections(engine: Engine, after_seconds: float) -> None:
    """Check a pooled connection before use only when it has been idle for ``after_seconds`` (0: always).

    SQLAlchemy's ``pool_pre_ping`` costs a round trip per request. A connection in steady use is alive; one
    that sat idle may have been closed by a restarted server or a firewall, and is replaced before anyone
    sees an error. Should the server restart while connections are in steady use, the first request on
    each of them fails (the error page asks to try again) and the pool drops them all at once."""
    if engine.dialect.name == "sqlite":
        return  # a file: nothing to reconnect to

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop("idle_since", None)
        if since is not None and time.monotonic() - since < after_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise sa.exc.DisconnectionError() from error  # the pool connects afresh
            raise


def in_writing_request() -> bool:
    """A state-changing request: on SQLite its transactions hold the write lock from their start."""
    return has_request_context() and request.method in _WRITING_METHODS


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session has loaded, for a request that only shows, after the
    commit, what it has just read or written itself (a cast ballot's receipt page): no second read of
    the same rows. Anything changed by others meanwhile is not seen, so use it only there."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def rowcount(result: object) -> int:
    """How many rows an UPDATE or DELETE run by ``db.session.execute`` matched. The session returns a
    ``CursorResult`` for them, though its signature promises only a ``Result``, which has no count."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an UPDATE or DELETE: {result!r}")
    return result.rowcount
