"""How activities tell people: what a notification about an activity shows, and a feature e-mail that
links to the activity."""

from __future__ import annotations

from typing import Any

from app.activities.models import Activity
from app.auth.models import User
from app.notifications.services import path_for
from app.outbox.services import queue_email_to
from app.urls import external_url


def about(activity: Activity) -> dict[str, Any]:
    """What a notification about an activity shows: its title and page."""
    return {"subject_kind": "activity", "subject_id": activity.id, "title": activity.title,
            "link": path_for("activities.show", activity_id=activity.id)}


def activity_link(activity: Activity) -> str:
    return external_url("activities.show", activity_id=activity.id)


def mail(user: User, subject: object, template: str, **context: Any) -> None:
    """Queue an e-mail to one person; with an ``activity`` in the context it links to its page."""
    activity = context.get("activity")
    link = activity_link(activity) if activity is not None else None
    queue_email_to(user, subject, template, user=user, link=link, **context)
