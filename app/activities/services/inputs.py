"""What the activity and room-request forms send, checked: texts, numbers, times, the place, the
coordinator, and no clash with what the place already holds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l

from app.activities import queries
from app.activities.models import Activity, Place, RoomRequest
from app.activities.times import time_range
from app.auth.models import User
from app.auth.services import find_user_by_email
from app.db import db
from app.errors import Conflict, InvalidInput
from app.forms import FORBIDDEN_CHARACTERS
from app.permissions import is_verified_resident
from app.text import render_markdown


@dataclass
class ActivityInput:
    title: str = ""
    description: str = ""
    day: date | None = None
    starts: time | None = None
    ends: time | None = None
    place_id: int | None = None
    capacity: int | None = None
    open_to_all: bool = True
    coordinator_id: int | None = None
    coordinator_email: str = ""
    roles: str = ""  # one per line: "set up the room: 2"
    repeat_weeks: int = 1


@dataclass
class RoomRequestInput:
    title: str = ""
    description: str = ""
    organisation: str = ""
    day: date | None = None
    starts: time | None = None
    ends: time | None = None
    place_id: int | None = None
    expected_people: int | None = None
    open_to_all: bool = True


def text(value: str | None, field: str, maximum: int, required: bool = False) -> str:
    value = (value or "").strip()
    if FORBIDDEN_CHARACTERS.search(value):
        raise InvalidInput(_l("This field contains characters that are not allowed."), field=field)
    if required and not value:
        raise InvalidInput(_l("This field is required."), field=field)
    if len(value) > maximum:
        raise InvalidInput(_l("This field may have at most %(max)d characters.", max=maximum), field=field)
    return value


def positive(value: int | None, field: str, maximum: int = 10_000) -> int | None:
    if value is None:
        return None
    if value < 1 or value > maximum:
        raise InvalidInput(_l("Enter a number from 1 to %(max)d.", max=maximum), field=field)
    return value


def require_times(day: date | None, starts: time | None, ends: time | None) -> tuple[date, time, time]:
    """The date, start and end, each given."""
    if day is None:
        raise InvalidInput(_l("Enter the date."), field="day")
    if starts is None:
        raise InvalidInput(_l("Enter the start time."), field="starts")
    if ends is None:
        raise InvalidInput(_l("Enter the end time."), field="ends")
    return day, starts, ends


def active_place(place_id: int | None) -> Place:
    place = db.session.get(Place, place_id) if place_id else None
    if place is None or not place.active:
        raise InvalidInput(_l("Choose one of the centre's places."), field="place_id")
    return place


def coordinator(data: ActivityInput) -> User | None:
    email = text(data.coordinator_email, "coordinator_email", 254)
    if email:
        user = find_user_by_email(email)
        if user is None or not is_verified_resident(user):
            raise InvalidInput(_l("No verified resident has this e-mail address."), field="coordinator_email")
        return user
    if data.coordinator_id is None:
        return None
    user = db.session.get(User, data.coordinator_id)
    if user is None or not is_verified_resident(user):
        raise InvalidInput(_l("The coordinator must be a verified resident."), field="coordinator_id")
    return user


def activity_values(data: ActivityInput) -> dict[str, Any]:
    """The columns an activity takes from the form as they are (times, place and roles apart)."""
    values: dict[str, Any] = {
        "title": text(data.title, "title", 200, required=True),
        "description": text(data.description, "description", 20_000),
        "capacity": positive(data.capacity, "capacity"),
        "open_to_all": bool(data.open_to_all),
    }
    values["description_html"] = render_markdown(values["description"])
    return values


def refuse_clash(
    place: Place, starts_at: datetime, ends_at: datetime, exclude_ids: Iterable[int] = ()
) -> None:
    other = queries.clash(place.id, starts_at, ends_at, exclude_ids)
    if other is not None:
        raise Conflict(
            _l(
                "%(place)s is already taken at that time by “%(title)s” (%(when)s). Choose another time "
                "or place.",
                place=place.name,
                title=other.title,
                when=_when(other),
            ),
            field="place_id",
        )


def _when(activity_or_request: Activity | RoomRequest) -> str:
    return time_range(activity_or_request.starts_at, activity_or_request.ends_at)
