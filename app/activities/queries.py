"""Queries for the activities pages: each returns a select() that loads what the page shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.activities.models import (
    Activity,
    ActivityStatus,
    Place,
    RequestStatus,
    RoomRequest,
    Signup,
    SignupStatus,
)
from app.db import db, utcnow
from app.proposals.models import Pledge, Proposal, Status

LIVE = (SignupStatus.REGISTERED, SignupStatus.WAITLISTED)
FEED_HISTORY = timedelta(days=365)
# The public feed's window: a year back and a little over a year ahead, from the start of the day (UTC), so
# that its rows change only with the data or at midnight (see feed_stamp).
FEED_AHEAD = timedelta(days=400)


def places(active_only: bool = False) -> sa.Select:
    query = sa.select(Place).order_by(Place.position, Place.name, Place.id)
    if active_only:
        query = query.where(Place.active.is_(True))
    return query


def _listed() -> sa.Select:
    return sa.select(Activity).options(joinedload(Activity.place), joinedload(Activity.proposal))


def upcoming(place_id: int | None = None, now: datetime | None = None) -> sa.Select:
    query = _listed().where(Activity.ends_at >= (now or utcnow()))
    if place_id:
        query = query.where(Activity.place_id == place_id)
    return query.order_by(Activity.starts_at, Activity.id)


def past(place_id: int | None = None, now: datetime | None = None) -> sa.Select:
    query = _listed().where(Activity.ends_at < (now or utcnow()))
    if place_id:
        query = query.where(Activity.place_id == place_id)
    return query.order_by(Activity.starts_at.desc(), Activity.id.desc())


def between(start: datetime, end: datetime, place_id: int | None = None) -> sa.Select:
    query = _listed().where(Activity.starts_at < end, Activity.ends_at > start)
    if place_id:
        query = query.where(Activity.place_id == place_id)
    return query.order_by(Activity.starts_at, Activity.id)


def activity(activity_id: int) -> sa.Select:
    return (
        sa.select(Activity)
        .options(
            joinedload(Activity.place),
            joinedload(Activity.proposal),
            joinedload(Activity.coordinator),
            selectinload(Activity.roles),
        )
        .where(Activity.id == activity_id)
    )


def series(series_id: str) -> sa.Select:
    return (
        sa.select(Activity).where(Activity.series_id == series_id).order_by(Activity.starts_at, Activity.id)
    )


def activities_for(proposal) -> Sequence[Activity]:
    """The activities a proposal became, in time order (one query; for the proposal page)."""
    proposal_id = getattr(proposal, "id", proposal)
    if proposal_id is None:
        return []
    return db.session.scalars(
        sa.select(Activity)
        .options(joinedload(Activity.place))
        .where(Activity.proposal_id == proposal_id)
        .order_by(Activity.starts_at, Activity.id)
    ).all()


def signup_counts(activity_id: int) -> Counter:
    """Live sign-ups by (role id or None, status)."""
    rows = db.session.execute(
        sa.select(Signup.role_id, Signup.status, sa.func.count())
        .where(Signup.activity_id == activity_id, Signup.status.in_(LIVE))
        .group_by(Signup.role_id, Signup.status)
    ).all()
    return Counter({(role_id, status): count for role_id, status, count in rows})


def live_signups(activity_id: int, user_id: int | None = None) -> sa.Select:
    query = (
        sa.select(Signup)
        .options(joinedload(Signup.user), joinedload(Signup.role))
        .where(Signup.activity_id == activity_id, Signup.status.in_(LIVE))
    )
    if user_id is not None:
        query = query.where(Signup.user_id == user_id)
    return query.order_by(
        Signup.role_id.is_not(None), Signup.role_id, Signup.status, Signup.created_at, Signup.id
    )


def my_signups(user_id: int, now: datetime | None = None) -> sa.Select:
    return (
        sa.select(Signup)
        .join(Signup.activity)
        .options(joinedload(Signup.activity).joinedload(Activity.place), joinedload(Signup.role))
        .where(Signup.user_id == user_id, Signup.status.in_(LIVE), Activity.ends_at >= (now or utcnow()))
        .order_by(Activity.starts_at, Signup.id)
    )


def coordinated_by(user_id: int, now: datetime | None = None) -> sa.Select:
    return (
        _listed()
        .where(Activity.coordinator_id == user_id, Activity.ends_at >= (now or utcnow()) - FEED_HISTORY)
        .order_by(Activity.starts_at, Activity.id)
    )


def feed_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    today = (now or utcnow()).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - FEED_HISTORY, today + FEED_AHEAD


def _in_feed(now: datetime | None = None):
    start, end = feed_window(now)
    return sa.and_(Activity.ends_at >= start, Activity.starts_at < end)


def feed_all(now: datetime | None = None) -> sa.Select:
    return (
        sa.select(Activity)
        .options(joinedload(Activity.place))
        .where(_in_feed(now))
        .order_by(Activity.starts_at, Activity.id)
    )


def feed_stamp(now: datetime | None = None) -> tuple:
    """What the public feed's text depends on, in two small reads: the window, its activities' count,
    newest change and newest id (every change of an activity moves its updated_at), and the places'
    names (an event's location). Equal stamps give byte-identical feeds."""
    start, _ = feed_window(now)
    activities = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(Activity.updated_at), sa.func.max(Activity.id))
        .where(_in_feed(now))
    ).one()
    places = db.session.execute(sa.select(Place.id, Place.name).order_by(Place.id)).all()
    return start, tuple(activities), tuple(map(tuple, places))


def feed_personal(user_id: int, now: datetime | None = None) -> sa.Select:
    """What the resident signed up for (attending, waiting or volunteering) or coordinates."""
    signed = sa.select(Signup.activity_id).where(Signup.user_id == user_id, Signup.status.in_(LIVE))
    return (
        sa.select(Activity)
        .options(joinedload(Activity.place))
        .where(sa.or_(Activity.id.in_(signed), Activity.coordinator_id == user_id))
        .where(Activity.ends_at >= (now or utcnow()) - FEED_HISTORY)
        .order_by(Activity.starts_at, Activity.id)
    )


def waiting_only(user_id: int) -> sa.Select:
    """Ids of the activities the resident is only on the waiting list for: not registered, not
    volunteering, not coordinating (their personal feed marks these tentative)."""
    sure = sa.select(Signup.activity_id).where(
        Signup.user_id == user_id, Signup.status == SignupStatus.REGISTERED
    )
    return (
        sa.select(Signup.activity_id)
        .join(Signup.activity)
        .where(Signup.user_id == user_id, Signup.status == SignupStatus.WAITLISTED)
        .where(Signup.activity_id.not_in(sure))
        .where(sa.or_(Activity.coordinator_id.is_(None), Activity.coordinator_id != user_id))
    )


def ready_to_schedule() -> sa.Select:
    """Selected proposals (and scheduled ones that may get more activities), for the moderators."""
    return (
        sa.select(Proposal)
        .options(joinedload(Proposal.author), joinedload(Proposal.round))
        .where(Proposal.status.in_((Status.SELECTED, Status.SCHEDULED)), Proposal.imported.is_(False))
        .order_by(Proposal.status, Proposal.updated_at.desc(), Proposal.id.desc())
    )


def pledges_of(proposal_ids: list[int]) -> sa.Select:
    return (
        sa.select(Pledge)
        .options(joinedload(Pledge.user))
        .where(Pledge.proposal_id.in_(proposal_ids or [-1]))
        .order_by(Pledge.proposal_id, Pledge.kind, Pledge.created_at, Pledge.id)
    )


def requests(status: str = RequestStatus.PENDING) -> sa.Select:
    query = sa.select(RoomRequest).options(joinedload(RoomRequest.requester), joinedload(RoomRequest.place))
    if status:
        query = query.where(RoomRequest.status == status)
    return query.order_by(RoomRequest.starts_at, RoomRequest.id)


def requests_by(user_id: int) -> sa.Select:
    return (
        sa.select(RoomRequest)
        .options(joinedload(RoomRequest.place))
        .where(RoomRequest.requester_id == user_id)
        .order_by(RoomRequest.created_at.desc(), RoomRequest.id.desc())
    )


def live_count(activity_id: int, role_id: int | None, status: str = SignupStatus.REGISTERED) -> int:
    role_clause = Signup.role_id.is_(None) if role_id is None else Signup.role_id == role_id
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Signup.activity_id == activity_id, role_clause, Signup.status == status
        )
    ) or 0


def clash(place_id: int, starts_at: datetime, ends_at: datetime, exclude_ids=()) -> Activity | None:
    """An activity that is not cancelled and overlaps the time in the same place."""
    query = sa.select(Activity).where(
        Activity.place_id == place_id,
        Activity.status != ActivityStatus.CANCELLED,
        Activity.starts_at < ends_at,
        Activity.ends_at > starts_at,
    )
    exclude_ids = list(exclude_ids)
    if exclude_ids:
        query = query.where(Activity.id.not_in(exclude_ids))
    return db.session.scalars(query.order_by(Activity.starts_at, Activity.id).limit(1)).first()
