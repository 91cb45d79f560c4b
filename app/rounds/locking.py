"""Serialising writes on one round across threads, processes and app servers."""

from __future__ import annotations

import sqlalchemy as sa

from app.db import db
from app.rounds.models import Round


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
    return session.get(Round, round_id, populate_existing=True)
