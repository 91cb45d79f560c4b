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


def lock_round_phase(round_: Round, *, shared: bool = False) -> Round:
    """``lock_round`` for a write that depends only on the round's phase (a ballot): a round's settings and
    its ballot are frozen from the start of voting and its phase only moves on, so the lock reads just the
    phase into the round already loaded, instead of loading the round again. On SQLite a state-changing
    request's transaction holds the write lock from its start (app/db.py), so a plain read is as fresh.

    ``shared``: on PostgreSQL, writes of this kind run side by side (``FOR SHARE``: ballots of one round),
    and only ``lock_round`` (a phase change) waits for them all and makes them all wait; SQLite has one
    writer at a time anyway."""
    session = db.session
    query = sa.select(Round.phase).where(Round.id == round_.id)
    if session.get_bind().dialect.name == "sqlite":
        if not in_writing_request():
            return lock_round(round_.id)
    else:
        query = query.with_for_update(read=shared)
    set_committed_value(round_, "phase", session.scalar(query))
    return round_
