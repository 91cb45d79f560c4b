"""iCalendar (RFC 5545) feeds built with the ``icalendar`` package: stable UIDs, Europe/Warsaw times with
their VTIMEZONE, SEQUENCE bumped on every change, cancelled events marked CANCELLED; in the personal feed,
activities the resident only waits for (waiting list) are TENTATIVE."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from app.activities.models import Activity, ActivityStatus
from app.activities.times import local
from app.urls import external_url

if TYPE_CHECKING:  # icalendar costs ~0.1 s to import: only the feeds pay it
    import icalendar

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//MAM Na Kozlowce//Activities//PL"
UID_DOMAIN = "activities.mam-na-kozlowce"
STATUS: dict[str, str] = {
    ActivityStatus.PLANNED: "CONFIRMED",
    ActivityStatus.HELD: "CONFIRMED",
    ActivityStatus.CANCELLED: "CANCELLED",
}


def uid(activity: Activity) -> str:
    return f"activity-{activity.id}@{UID_DOMAIN}"


def _event(activity: Activity, tentative: bool = False) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid(activity))
    # The last change, not the time of the request: the same activities give the same bytes, so the
    # feed's ETag is strong and a repeat is answered 304 (RFC 5545 allows it for METHOD:PUBLISH).
    event.add("dtstamp", activity.updated_at)
    event.add("dtstart", local(activity.starts_at))
    event.add("dtend", local(activity.ends_at))
    event.add("summary", activity.title)
    event.add("sequence", activity.sequence)
    status = STATUS[activity.status]
    if tentative and activity.status != ActivityStatus.CANCELLED:
        status = "TENTATIVE"
    event.add("status", status)
    event.add("last-modified", activity.updated_at)
    event.add("location", activity.place.name)
    link = external_url("activities.show", activity_id=activity.id)
    event.add("url", link)
    description = activity.description.strip()
    if activity.status == ActivityStatus.CANCELLED and activity.cancel_reason:
        description = f"{activity.cancel_reason}\n\n{description}".strip()
    event.add("description", f"{description}\n\n{link}".strip())
    return event


def calendar(activities: Iterable[Activity], name: str, tentative_ids: Collection[int] = ()) -> bytes:
    """The feed; the activities whose ids are in ``tentative_ids`` are marked TENTATIVE (not sure to
    happen for this person) unless cancelled."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Warsaw")
    for activity in activities:
        cal.add_component(_event(activity, tentative=activity.id in tentative_ids))
    cal.add_missing_timezones()
    return cal.to_ical()


_cached: dict = {}
_lock = threading.Lock()


def cached(key: tuple, build: Callable[[], bytes]) -> tuple[bytes, str]:
    """The feed for ``key`` (what its text depends on) and its strong ETag, built once per key and kept
    per process (one entry per language: a new key replaces its language's old one)."""
    with _lock:
        found = _cached.get(key)
    if found is None:
        body = build()
        found = (body, hashlib.sha256(body).hexdigest())
        with _lock:
            for old in [k for k in _cached if k[0] == key[0]]:
                del _cached[old]
            _cached[key] = found
    return found
