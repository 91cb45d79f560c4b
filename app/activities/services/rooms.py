"""The centre's rooms: the places activities happen in (kept by moderators), and residents' requests to
use one, which a moderator approves into the calendar or declines with a reason."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.activities import permissions
from app.activities.locking import lock
from app.activities.models import Activity, ActivityStatus, Place, RequestStatus, RoomRequest
from app.activities.services.inputs import (
    RoomRequestInput,
    active_place,
    positive,
    refuse_clash,
    require_times,
    text,
)
from app.activities.services.messages import mail
from app.activities.times import weekly
from app.audit.services import record
from app.auth.models import User
from app.db import db, rowcount, utcnow
from app.errors import Conflict, InvalidInput
from app.permissions import require
from app.text import render_markdown

# --- room requests ------------------------------------------------------------------------------------


def request_room(actor: User, data: RoomRequestInput) -> RoomRequest:
    require(permissions.can_request_room(actor))
    title = text(data.title, "title", 200, required=True)
    description = text(data.description, "description", 5_000, required=True)
    organisation = text(data.organisation, "organisation", 200)
    expected = positive(data.expected_people, "expected_people")
    day, starts, ends = require_times(data.day, data.starts, data.ends)
    [(starts_at, ends_at)] = weekly(day, starts, ends, 1)
    if starts_at <= utcnow():
        raise InvalidInput(_l("Choose a time in the future."), field="day")
    place = active_place(data.place_id)
    refuse_clash(place, starts_at, ends_at)
    room_request = RoomRequest(
        requester_id=actor.id,
        organisation=organisation,
        title=title,
        description=description,
        place_id=place.id,
        starts_at=starts_at,
        ends_at=ends_at,
        expected_people=expected,
        open_to_all=bool(data.open_to_all),
        status=RequestStatus.PENDING,
        created_at=utcnow(),
    )
    db.session.add(room_request)
    db.session.commit()
    return room_request


def approve_request(actor: User, room_request: RoomRequest) -> Activity:
    """The request enters the calendar with the requester as coordinator; the requester is told."""
    require(permissions.can_decide_request(actor, room_request))
    request_id, place_id = room_request.id, room_request.place_id
    lock(place_id=place_id)
    room_request = db.session.get_one(RoomRequest, request_id, populate_existing=True)
    require(permissions.can_decide_request(actor, room_request))
    place = db.session.get_one(Place, place_id, populate_existing=True)
    refuse_clash(place, room_request.starts_at, room_request.ends_at)
    activity = Activity(
        title=room_request.title,
        description=room_request.description,
        description_html=render_markdown(room_request.description),
        starts_at=room_request.starts_at,
        ends_at=room_request.ends_at,
        place_id=place_id,
        capacity=room_request.expected_people,
        open_to_all=room_request.open_to_all,
        coordinator_id=room_request.requester_id,
        created_by_id=actor.id,
        status=ActivityStatus.PLANNED,
        sequence=0,
    )
    db.session.add(activity)
    db.session.flush()
    room_request.status = RequestStatus.APPROVED
    room_request.decided_by_id, room_request.decided_at = actor.id, utcnow()
    room_request.activity_id = activity.id
    _tell_requester(
        room_request,
        _l("Your room request is approved: %(title)s", title=room_request.title),
        "activities/email/request_approved.txt",
        activity=activity,
    )
    record(actor, "room_request.approved", room_request, activity_id=activity.id)
    db.session.commit()
    return activity


def decline_request(actor: User, room_request: RoomRequest, reason: str) -> None:
    require(permissions.can_decide_request(actor, room_request))
    reason = text(reason, "reason", 500, required=True)
    changed = rowcount(db.session.execute(
        sa.update(RoomRequest)
        .where(RoomRequest.id == room_request.id, RoomRequest.status == RequestStatus.PENDING)
        .values(
            status=RequestStatus.DECLINED, decline_reason=reason, decided_by_id=actor.id, decided_at=utcnow()
        )
    ))
    if changed != 1:
        db.session.rollback()
        raise Conflict(_l("This request has already been decided."))
    db.session.refresh(room_request)
    _tell_requester(
        room_request,
        _l("Your room request: %(title)s", title=room_request.title),
        "activities/email/request_declined.txt",
        reason=reason,
    )
    record(actor, "room_request.declined", room_request, reason=reason)
    db.session.commit()


def _tell_requester(room_request: RoomRequest, subject: object, template: str, **context: Any) -> None:
    if room_request.requester is not None:
        mail(room_request.requester, subject, template, room_request=room_request, **context)


# --- places -------------------------------------------------------------------------------------------


def create_place(actor: User, name: str, description: str = "", capacity: int | None = None) -> Place:
    require(permissions.can_manage(actor))
    values = _place_values(name, description, capacity)
    position = (db.session.scalar(sa.select(sa.func.max(Place.position))) or 0) + 1
    place = Place(position=position, active=True, **values)
    db.session.add(place)
    db.session.flush()
    record(actor, "place.created", place, name=place.name)
    db.session.commit()
    return place


def update_place(
    actor: User,
    place: Place,
    name: str,
    description: str = "",
    capacity: int | None = None,
    active: bool = True,
) -> None:
    require(permissions.can_manage(actor))
    values = _place_values(name, description, capacity, except_id=place.id)
    for key, value in values.items():
        setattr(place, key, value)
    place.active = bool(active)
    record(actor, "place.updated", place, **values, active=place.active)
    db.session.commit()


def _place_values(
    name: str, description: str, capacity: int | None, except_id: int | None = None
) -> dict[str, Any]:
    name = text(name, "name", 120, required=True)
    taken = sa.select(Place.id).where(sa.func.lower(Place.name) == name.lower())
    if except_id is not None:
        taken = taken.where(Place.id != except_id)
    if db.session.scalar(taken) is not None:
        raise InvalidInput(_l("A place with this name exists already."), field="name")
    return {
        "name": name,
        "description": text(description, "description", 500),
        "capacity": positive(capacity, "capacity"),
    }
