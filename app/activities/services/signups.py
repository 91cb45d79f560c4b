"""Signing up: to attend (a waiting list when the activity is full) or to take a volunteer role's slot;
cancelling, and the waiting list moving up when a place is freed."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.activities import permissions, queries
from app.activities.locking import lock, lock_activity
from app.activities.models import Activity, ActivityStatus, Signup, SignupStatus, VolunteerRole
from app.activities.services.messages import about, activity_link
from app.auth.models import User
from app.db import db, utcnow
from app.errors import Conflict, NotFound
from app.notifications.services import Mail, follow, notify
from app.permissions import require


def sign_up(actor: User, activity: Activity, role_id: int | None = None) -> Signup:
    """Register to attend (waiting list when full) or take a volunteer role's slot."""
    check = permissions.can_attend if role_id is None else permissions.can_volunteer
    require(check(actor, activity))
    if role_id is not None:
        _role(activity, role_id)
    activity_id, actor_id = activity.id, actor.id

    activity = lock_activity(activity_id)
    require(check(actor, activity))
    if _live_signup(activity_id, actor_id, role_id) is not None:
        raise Conflict(_l("You have already signed up."))
    signup = Signup(
        activity_id=activity_id,
        user_id=actor_id,
        role_id=role_id,
        status=_new_status(activity, role_id),
        created_at=utcnow(),
    )
    db.session.add(signup)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("You have already signed up.")) from None
    follow(actor, "activity", activity_id)
    db.session.commit()
    return signup


def _new_status(activity: Activity, role_id: int | None) -> str:
    """Registered, or waiting when every place is taken; a full role refuses."""
    if role_id is None:
        registered = queries.live_count(activity.id, None)
        full = activity.capacity is not None and registered >= activity.capacity
        return SignupStatus.WAITLISTED if full else SignupStatus.REGISTERED
    role = _role(activity, role_id)  # a change of the activity may have removed it meanwhile
    if queries.live_count(activity.id, role_id) >= role.slots:
        raise Conflict(_l("Every slot of “%(name)s” is taken.", name=role.name))
    return SignupStatus.REGISTERED


def cancel_signup(actor: User, activity: Activity, role_id: int | None = None) -> None:
    """Cancel one's own sign-up, until the activity starts; the first person waiting takes a freed place
    (same transaction)."""
    require(permissions.can_cancel_signup(actor, activity))
    if role_id is not None:
        _role(activity, role_id)
    activity_id, actor_id = activity.id, actor.id
    activity = lock_activity(activity_id)
    require(permissions.can_cancel_signup(actor, activity))
    signup = _live_signup(activity_id, actor_id, role_id)
    if signup is None:
        raise Conflict(_l("You are not signed up."))
    signup.status = SignupStatus.CANCELLED
    signup.cancelled_at = utcnow()
    db.session.flush()
    if role_id is None:
        promote(activity)
    db.session.commit()


def _live_signup(activity_id: int, user_id: int, role_id: int | None) -> Signup | None:
    role_clause = Signup.role_id.is_(None) if role_id is None else Signup.role_id == role_id
    return db.session.scalars(
        sa.select(Signup).where(
            Signup.activity_id == activity_id,
            Signup.user_id == user_id,
            role_clause,
            Signup.status.in_(queries.LIVE),
        )
    ).first()


def _role(activity: Activity, role_id: int) -> VolunteerRole:
    role = db.session.get(VolunteerRole, role_id)
    if role is None or role.activity_id != activity.id:
        raise NotFound()
    return role


def promote(activity: Activity) -> list[Signup]:
    """Move people from the waiting list, in order, into free places; e-mail each of them (the caller's
    transaction: flushes, never commits). Never once the activity has started: a place freed then is of
    no use to anyone."""
    if activity.status != ActivityStatus.PLANNED or permissions.has_started(activity):
        return []
    registered = queries.live_count(activity.id, None)
    free = None if activity.capacity is None else activity.capacity - registered
    if free is not None and free <= 0:
        return []
    waiting = sa.select(Signup).where(
        Signup.activity_id == activity.id, Signup.role_id.is_(None), Signup.status == SignupStatus.WAITLISTED
    )
    waiting = waiting.order_by(Signup.created_at, Signup.id)
    if free is not None:
        waiting = waiting.limit(free)
    promoted = db.session.scalars(waiting).all()
    for signup in promoted:
        signup.status = SignupStatus.REGISTERED
        if signup.user is not None:
            mail = Mail(_l("A place is free for you: %(title)s", title=activity.title),
                        "activities/email/promoted.txt",
                        {"activity": activity, "link": activity_link(activity)})
            notify([signup.user], "activity.promoted", category="activities", mail=mail, **about(activity))
    db.session.flush()
    return list(promoted)


def withdraw_everywhere(user_id: int) -> None:
    """Remove every sign-up of a person (their account is being deleted); the places they free go to the
    waiting lists as when they cancel. Part of the caller's transaction: it locks the activities whose
    places are freed, so it must come before the caller writes anything; it flushes, never commits."""
    freed = sa.select(Signup.activity_id).where(
        Signup.user_id == user_id, Signup.role_id.is_(None), Signup.status == SignupStatus.REGISTERED
    )
    activity_ids = sorted(set(db.session.scalars(freed)))
    if activity_ids:
        lock(activity_ids=activity_ids)
        activity_ids = sorted(set(db.session.scalars(freed)))  # what is true now that we hold the locks
    db.session.execute(sa.delete(Signup).where(Signup.user_id == user_id))
    for activity in db.session.scalars(
        sa.select(Activity)
        .where(Activity.id.in_(activity_ids))
        .order_by(Activity.id)
        .execution_options(populate_existing=True)
    ):
        promote(activity)
