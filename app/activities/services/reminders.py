"""The reminder e-mail a day before an activity, to everyone registered for it or volunteering at it
(``flask activities remind``, by cron)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.activities import queries
from app.activities.locking import lock
from app.activities.models import Activity, ActivityStatus, Signup, SignupStatus
from app.activities.services.messages import mail
from app.auth.models import User
from app.db import db, rowcount, utcnow

REMINDER_AHEAD = timedelta(hours=24)


def send_reminders(now: datetime | None = None) -> int:
    """E-mail the people registered for, or volunteering at, activities starting within 24 hours: one
    e-mail per person per activity, naming what they signed up for, and never twice. Each sign-up's
    reminded_at mark is set in the same transaction, with the activities locked, so two crons never send
    twice; a sign-up made after its person was reminded is marked without another e-mail."""
    now = now or utcnow()
    due_now = sa.and_(
        Signup.status == SignupStatus.REGISTERED,
        Signup.reminded_at.is_(None),
        Activity.status == ActivityStatus.PLANNED,
        Activity.starts_at > now,
        Activity.starts_at <= now + REMINDER_AHEAD,
    )
    due_ids = sa.select(Signup.activity_id).join(Signup.activity).where(due_now)
    activity_ids = sorted(set(db.session.scalars(due_ids)))
    if not activity_ids:
        return 0
    lock(activity_ids=activity_ids)
    due = db.session.scalars(
        sa.select(Signup)
        .join(Signup.activity)
        .options(joinedload(Signup.user), joinedload(Signup.role))
        .where(due_now, Signup.activity_id.in_(activity_ids))
        .order_by(Signup.activity_id, Signup.user_id, Signup.id)
        .execution_options(populate_existing=True)
    ).all()
    already = set(
        db.session.execute(
            sa.select(Signup.activity_id, Signup.user_id).where(
                Signup.activity_id.in_(activity_ids),
                Signup.status.in_(queries.LIVE),
                Signup.reminded_at.is_not(None),
            )
        ).all()
    )
    people: dict[tuple[int, int | None], list[Signup]] = {}
    for signup in due:
        people.setdefault((signup.activity_id, signup.user_id), []).append(signup)
    sent = 0
    for (activity_id, user_id), signups in people.items():
        user = signups[0].user
        if _claim(signups, now) and (activity_id, user_id) not in already and user is not None:
            _remind(user, activity_id, signups)
            sent += 1
    db.session.commit()
    return sent


def _claim(signups: list[Signup], now: datetime) -> bool:
    """Mark a person's sign-ups reminded; False when another run marked them first."""
    claimed = rowcount(db.session.execute(
        sa.update(Signup)
        .where(Signup.id.in_([signup.id for signup in signups]), Signup.reminded_at.is_(None))
        .values(reminded_at=now),
        execution_options={"synchronize_session": False},
    ))
    return bool(claimed)


def _remind(user: User, activity_id: int, signups: list[Signup]) -> None:
    activity = db.session.get_one(Activity, activity_id)
    mail(
        user,
        _l("Reminder: %(title)s", title=activity.title),
        "activities/email/reminder.txt",
        activity=activity,
        attending=any(signup.role_id is None for signup in signups),
        roles=[signup.role.name for signup in signups if signup.role is not None],
    )
