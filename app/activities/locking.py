"""Serialising writes on one activity (sign-ups) or one place (scheduling), across threads, processes
and app servers — the same technique as ``app.phases.locking``."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from app.activities.models import Activity, Place
from app.db import db


def lock(place_id: int | None = None, activity_ids: Iterable[int] = ()) -> None:
    """Start the caller's write transaction holding the locks of a place and/or some activities.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the rows (the place first, then activities by id, so two
    callers always lock in the same order). SQLite locks the whole database for a writer: the
    transaction starts afresh with a write, as ``BEGIN IMMEDIATE`` would. Nothing may have been
    written in the session before this call; objects loaded before it are expired (SQLite).
    """
    session = db.session
    activity_ids = sorted(set(activity_ids))
    if session.get_bind().dialect.name == "sqlite":
        session.rollback()
        if place_id is not None:
            session.execute(sa.update(Place).where(Place.id == place_id).values(id=Place.id))
        else:
            session.execute(sa.update(Activity).where(Activity.id.in_(activity_ids)).values(id=Activity.id))
        return
    if place_id is not None:
        session.execute(sa.select(Place.id).where(Place.id == place_id).with_for_update())
    if activity_ids:
        session.execute(
            sa.select(Activity.id)
            .where(Activity.id.in_(activity_ids))
            .order_by(Activity.id)
            .with_for_update()
        )


def lock_activity(activity_id: int) -> Activity:
    """Lock one activity and return it fresh from the database (activities are never deleted)."""
    lock(activity_ids=[activity_id])
    return db.session.get_one(Activity, activity_id, populate_existing=True)
