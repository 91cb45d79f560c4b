"""The resident's personal calendar feed: a secret link, made on first request and renewable."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from app.activities import permissions
from app.auth.models import User
from app.db import db
from app.permissions import require

MAX_TOKEN = 64


def calendar_token(actor: User, reset: bool = False) -> str:
    """The secret of the resident's personal feed: made on first request; ``reset`` makes the old link
    stop working."""
    require(permissions.can_have_calendar(actor))
    if reset or not actor.calendar_token:
        actor.calendar_token = secrets.token_urlsafe(32)
        db.session.commit()
    return actor.calendar_token


def user_for_calendar(token: str) -> User | None:
    if not token or len(token) > MAX_TOKEN:
        return None
    return db.session.scalar(sa.select(User).where(User.calendar_token == token))
