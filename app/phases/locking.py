"""Serialising writes on one round across threads, processes and app servers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.db import db, in_writing_request
from app.phases.models import Round


def lock_round(round_id: int) -> Round:
    """Start the caller's write transaction holding the round's lock, and return the fresh round.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the round row. SQLite locks the whole database for a
    writer: the transaction starts afresh with a write, which is what ``BEGIN IMMEDIATE`` does (a
    deferred transaction that read first could not upgrade once another writer had committed).
    Nothing may have been written in the session before this call.
    """
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        session.rollback()
        session.execute(sa.update(Round).where(Round.id == round_id).values(id=Round.id))
    else:
        session.execute(sa.select(Round.id).where(Round.id == round_id).with_for_update())
    return session.get_one(Round, round_id, populate_existing=True)


def get_round_shared(round_id: int) -> Round | None:
    """The round (None if there is none), read holding its lock shared as ``lock_round_phase(round_,
    shared=True)`` takes it, in one statement: for a request that casts a ballot, whose ``lock_round_phase``
    then reads nothing more while the same transaction lasts.

    PostgreSQL: ``SELECT … FOR SHARE``. SQLite: a state-changing request's transaction holds the write lock
    from its start, so a plain read is as fresh; in any other request the round is read without a lock,
    and ``lock_round_phase`` takes it."""
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        round_ = session.get(Round, round_id, populate_existing=True)
        locked = in_writing_request()
    else:
        round_ = session.get(Round, round_id, with_for_update={"read": True}, populate_existing=True)
        locked = True
    if round_ is not None and locked:
        session.info[_SHARED] = (_transaction_under_way(), round_id)
    return round_


# session.info: the transaction (or savepoint) that read a round with ``get_round_shared``, and the round's
# id. Another transaction, or a savepoint begun or ended since, no longer counts as holding the lock.
_SHARED = "round_read_shared"


def _transaction_under_way() -> object:
    session = db.session()
    return session.get_nested_transaction() or session.get_transaction()


def _holds_shared(round_id: int) -> bool:
    transaction, held = db.session.info.get(_SHARED, (None, None))
    return held == round_id and transaction is not None and transaction is _transaction_under_way()


def lock_round_phase(round_: Round, *, shared: bool = False) -> Round:
    """``lock_round`` for a write that depends only on the round's phase (a ballot): a round's settings and
    its ballot are frozen from the start of voting and its phase only moves on, so the lock reads just the
    phase into the round already loaded, instead of loading the round again. On SQLite a state-changing
    request's transaction holds the write lock from its start (app/db.py), so a plain read is as fresh.

    ``shared``: on PostgreSQL, writes of this kind run side by side (``FOR SHARE``: ballots of one round),
    and only ``lock_round`` (a phase change) waits for them all and makes them all wait; SQLite has one
    writer at a time anyway."""
    if shared and _holds_shared(round_.id):
        return round_  # read under the lock already (``get_round_shared``)
    session = db.session
    query = sa.select(Round.phase).where(Round.id == round_.id)
    if session.get_bind().dialect.name == "sqlite":
        if not in_writing_request():
            return lock_round(round_.id)
    else:
        query = query.with_for_update(read=shared)
    set_committed_value(round_, "phase", session.scalar(query))
    return round_
