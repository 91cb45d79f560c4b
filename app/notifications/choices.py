"""Each person's e-mail choice per kind of event: at once, in the weekly digest, or never."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.db import db
from app.errors import InvalidInput
from app.notifications.events import CATEGORIES
from app.notifications.models import Choice, EmailChoice
from app.notifications.permissions import require_signed_in


def choices_for(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each person's e-mail choice per kind of event (the default where they have not chosen)."""
    user_ids = list(set(user_ids))
    chosen: dict[int, dict[str, str]] = {uid: {} for uid in user_ids}
    for start in range(0, len(user_ids), 500):
        for row in db.session.scalars(
            sa.select(EmailChoice).where(EmailChoice.user_id.in_(user_ids[start:start + 500]))
        ):
            chosen[row.user_id][row.category] = row.choice
    return {
        uid: {name: theirs.get(name, category.default) for name, category in CATEGORIES.items()}
        for uid, theirs in chosen.items()
    }


def set_choices(actor: User, values: dict[str, str]) -> None:
    """Save a person's e-mail choices (one per kind of event)."""
    require_signed_in(actor)
    for name, choice in values.items():
        if name not in CATEGORIES or choice not in {c.value for c in Choice}:
            raise InvalidInput(_l("Choose one of the options for each kind of event."), field=name)
    store_choices(actor.id, values)
    db.session.commit()


def store_choices(user_id: int, values: Mapping[str, str]) -> None:
    """Write the choices in the caller's transaction (flushes, never commits)."""
    existing = {row.category: row for row in db.session.scalars(
        sa.select(EmailChoice).where(EmailChoice.user_id == user_id))}
    for name, choice in values.items():
        if name in existing:
            existing[name].choice = choice
        else:
            db.session.add(EmailChoice(user_id=user_id, category=name, choice=choice))
    db.session.flush()
