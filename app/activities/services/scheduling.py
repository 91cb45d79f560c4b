"""Scheduling: putting an activity (or a weekly series of them) in the calendar, from a selected
proposal or not, and changing it later; a place is never double-booked."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypedDict

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.activities import permissions, queries
from app.activities.locking import lock
from app.activities.models import Activity, ActivityStatus, Place, Signup, VolunteerRole
from app.activities.services.inputs import (
    ActivityInput,
    active_place,
    activity_values,
    coordinator,
    refuse_clash,
    require_times,
)
from app.activities.services.messages import about, activity_link
from app.activities.services.roles import parse_roles, sync_roles
from app.activities.services.signups import promote
from app.activities.times import local, to_utc, weekly
from app.audit.services import record
from app.auth.models import User
from app.db import db, utcnow
from app.errors import Conflict, InvalidInput
from app.notifications.services import Mail, followers, notify
from app.permissions import require
from app.proposals.models import Proposal, Status
from app.proposals.services import change_status

MAX_WEEKS = 52


class _Before(TypedDict):
    """An activity's time and place before a change."""

    starts_at: datetime
    ends_at: datetime
    place: Place


class _Change(TypedDict):
    """One activity in the e-mail about changes of time or place."""

    activity: Activity
    before: _Before
    link: str


def schedule_activity(actor: User, data: ActivityInput, proposal: Proposal | None = None) -> list[Activity]:
    """Create an activity (or a weekly series of them); a selected proposal moves to ``scheduled``."""
    require(permissions.can_schedule(actor, proposal))
    values = activity_values(data)
    day, starts, ends = require_times(data.day, data.starts, data.ends)
    weeks = data.repeat_weeks or 1
    if weeks < 1 or weeks > MAX_WEEKS:
        raise InvalidInput(_l("Enter a number from 1 to %(max)d.", max=MAX_WEEKS), field="repeat_weeks")
    occurrences = weekly(day, starts, ends, weeks)
    roles = parse_roles(data.roles)
    chosen = coordinator(data)
    place = active_place(data.place_id)
    place_id, actor_id = place.id, actor.id
    coordinator_id = chosen.id if chosen else None
    proposal_id = proposal.id if proposal is not None else None

    lock(place_id=place_id)
    place = db.session.get_one(Place, place_id, populate_existing=True)
    if proposal_id is not None:
        proposal = db.session.get(Proposal, proposal_id, populate_existing=True)
        require(permissions.can_schedule(actor, proposal))
    for starts_at, ends_at in occurrences:
        refuse_clash(place, starts_at, ends_at)
    series_id = uuid.uuid4().hex if weeks > 1 else None
    created = []
    for starts_at, ends_at in occurrences:
        activity = Activity(
            proposal_id=proposal_id,
            series_id=series_id,
            starts_at=starts_at,
            ends_at=ends_at,
            place_id=place_id,
            coordinator_id=coordinator_id,
            created_by_id=actor_id,
            status=ActivityStatus.PLANNED,
            sequence=0,
            **values,
        )
        activity.roles = [VolunteerRole(name=name, slots=slots) for name, slots in roles]
        db.session.add(activity)
        created.append(activity)
    db.session.flush()
    if proposal is not None and proposal.status == Status.SELECTED:
        try:
            change_status(actor, proposal, Status.SCHEDULED)
        except Conflict:
            db.session.rollback()
            raise
    record(
        actor,
        "activity.scheduled",
        created[0],
        ids=[a.id for a in created],
        proposal_id=proposal_id,
        place=place.name,
        starts_at=created[0].starts_at.isoformat(),
        series_id=series_id,
    )
    db.session.commit()
    return created


def update_activity(
    actor: User, activity: Activity, data: ActivityInput, together: bool = False
) -> list[Activity]:
    """Change one activity, or (``together``) it and every planned activity of its series that has not
    started yet (the past stays as it was).

    The new date shifts each activity of the series by the same number of days; start and end times
    are wall-clock times in Warsaw for each of them. When the time or the place changes, everyone signed
    up is e-mailed and will be reminded again before the new time.
    """
    require(permissions.can_edit(actor, activity))
    values = activity_values(data)
    day, starts, ends = require_times(data.day, data.starts, data.ends)
    roles = parse_roles(data.roles)
    chosen = coordinator(data)
    place = active_place(data.place_id)
    if ends <= starts:
        raise InvalidInput(_l("The end must be later than the start."), field="ends")
    to_utc(day, starts, "starts")
    to_utc(day, ends, "ends")
    shift = day - local(activity.starts_at).date()
    now = utcnow()
    ids = _series_ids(activity, now) if together and activity.series_id else [activity.id]
    activity_id, place_id = activity.id, place.id
    values.update(place_id=place_id, coordinator_id=chosen.id if chosen else None)

    lock(place_id=place_id, activity_ids=ids)
    place = db.session.get_one(Place, place_id, populate_existing=True)
    targets = db.session.scalars(
        sa.select(Activity)
        .options(selectinload(Activity.roles))
        .where(Activity.id.in_(ids), Activity.status == ActivityStatus.PLANNED)
        .order_by(Activity.starts_at)
        .execution_options(populate_existing=True)
    ).all()
    if not any(target.id == activity_id for target in targets):
        raise Conflict(_l("Only a planned activity can be changed."))
    ids = [target.id for target in targets]
    moved = []
    for target in targets:
        target_day = local(target.starts_at).date() + shift
        starts_at, ends_at = to_utc(target_day, starts, "starts"), to_utc(target_day, ends, "ends")
        refuse_clash(place, starts_at, ends_at, exclude_ids=ids)
        before: _Before = {"starts_at": target.starts_at, "ends_at": target.ends_at, "place": target.place}
        _apply(target, {**values, "starts_at": starts_at, "ends_at": ends_at}, roles)
        if (starts_at, ends_at, place_id) != (before["starts_at"], before["ends_at"], before["place"].id):
            db.session.expire(target, ["place"])
            moved.append((target, before))
    _tell_about_changes(moved, now)
    record(actor, "activity.updated", activity, ids=[t.id for t in targets], together=together)
    db.session.commit()
    return list(targets)


def _series_ids(activity: Activity, now: datetime) -> list[int]:
    """The activity and the planned activities of its series that have not started yet."""
    return list(
        db.session.scalars(
            sa.select(Activity.id).where(
                Activity.series_id == activity.series_id,
                Activity.status == ActivityStatus.PLANNED,
                sa.or_(Activity.id == activity.id, Activity.starts_at > now),
            )
        )
    )


def _apply(activity: Activity, values: dict[str, Any], roles: list[tuple[str, int]]) -> None:
    """Write the new values, times, place and roles; the waiting list moves up if there is more room."""
    registered = queries.live_count(activity.id, None)
    if values["capacity"] is not None and values["capacity"] < registered:
        raise InvalidInput(
            _l("%(num)d people are already registered; the capacity cannot be lower.", num=registered),
            field="capacity",
        )
    sync_roles(activity, roles)
    for key, value in values.items():
        setattr(activity, key, value)
    activity.sequence += 1
    activity.updated_at = utcnow()
    db.session.flush()
    promote(activity)


def _tell_about_changes(moved: list[tuple[Activity, _Before]], now: datetime) -> None:
    """After a change of time or place: the reminder is due again before the new time, and everyone
    signed up (registered, waiting or volunteering) gets one e-mail listing what changed for them."""
    moved = [
        (activity, before) for activity, before in moved if max(activity.ends_at, before["ends_at"]) > now
    ]
    if not moved:
        return
    by_id = {activity.id: (activity, before) for activity, before in moved}
    db.session.execute(
        sa.update(Signup).where(Signup.activity_id.in_(by_id)).values(reminded_at=None)
    )
    signups = db.session.scalars(
        sa.select(Signup)
        .options(joinedload(Signup.user))
        .where(Signup.activity_id.in_(by_id), Signup.status.in_(queries.LIVE), Signup.user_id.is_not(None))
        .order_by(Signup.user_id, Signup.activity_id)
    ).all()
    people: dict[int, tuple[User, dict[int, _Change]]] = {}
    for signup in signups:  # one e-mail per person, one entry per activity (whatever their roles)
        if signup.user is None:  # not selected above
            continue
        user, theirs = people.setdefault(signup.user.id, (signup.user, {}))
        if signup.activity_id not in theirs:
            activity, before = by_id[signup.activity_id]
            link = activity_link(activity)
            theirs[signup.activity_id] = {"activity": activity, "before": before, "link": link}
    told: set[int] = set()
    for user, theirs in people.values():
        changes = sorted(theirs.values(), key=lambda change: change["activity"].starts_at)
        first = changes[0]["activity"]
        mail = Mail(_l("New time or place: %(title)s", title=first.title), "activities/email/changed.txt",
                    {"activity": first, "changes": changes, "link": changes[0]["link"]})
        told |= notify([user], "activity.changed", category="activities", mail=mail, **about(first))
    for activity, _ in moved:
        notify(followers("activity", activity.id), "activity.changed", category="following", exclude=told,
               **about(activity))
