"""Places, activities and sign-ups for the activities tests, made directly (fast)."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

from app.activities.models import Activity, Place, Signup, VolunteerRole
from app.activities.times import WARSAW, local, to_utc
from app.db import utcnow
from app.text import render_markdown

_counter = itertools.count(1)
HOSTILE_TITLE = "Warsztaty <script>alert('x')</script> zażółć gęślą jaźń"


def make_place(session, name: str | None = None, active: bool = True) -> Place:
    place = Place(
        name=name or f"Sala nr {next(_counter)} — Kozłówka",
        description="Parter",
        active=active,
        position=next(_counter),
    )
    session.add(place)
    session.commit()
    return place


def in_days(days: int, hour: int = 18, minute: int = 0) -> datetime:
    """A UTC instant ``days`` from today at a Warsaw wall-clock time."""
    day = local(utcnow()).date() + timedelta(days=days)
    return to_utc(day, time(hour, minute))


def make_activity(
    session,
    place: Place | None = None,
    starts_at: datetime | None = None,
    hours: float = 2,
    capacity: int | None = None,
    coordinator=None,
    proposal=None,
    roles=(),
    status: str = "planned",
    open_to_all: bool = True,
    title: str | None = None,
    series_id: str | None = None,
) -> Activity:
    place = place or make_place(session)
    starts_at = starts_at or in_days(7)
    description = "Przynieś **kubek**. <img src=x onerror=alert(1)>"
    activity = Activity(
        title=title or f"{HOSTILE_TITLE} {next(_counter)}",
        description=description,
        description_html=render_markdown(description),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place_id=place.id,
        capacity=capacity,
        coordinator_id=coordinator.id if coordinator else None,
        proposal_id=proposal.id if proposal else None,
        status=status,
        open_to_all=open_to_all,
        series_id=series_id,
        sequence=0,
    )
    activity.roles = [VolunteerRole(name=name, slots=slots) for name, slots in roles]
    session.add(activity)
    session.commit()
    return activity


def sign(
    session,
    activity: Activity,
    user,
    role: VolunteerRole | None = None,
    status: str = "registered",
    created_at: datetime | None = None,
) -> Signup:
    signup = Signup(
        activity_id=activity.id,
        user_id=user.id,
        role_id=role.id if role else None,
        status=status,
        created_at=created_at or utcnow(),
    )
    session.add(signup)
    session.commit()
    return signup


__all__ = ["WARSAW"]
