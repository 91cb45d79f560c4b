"""Activities and places (the centre's rooms) have pictures: registered with the media layer."""

from __future__ import annotations

from flask import url_for

from app.activities.models import Activity, Place
from app.activities.permissions import can_manage, can_manage_pictures
from app.db import db
from app.media import Kind, register
from app.permissions import ALLOW

LIMIT = 6


def register_pictures() -> None:
    register(Kind(
        name="activity", limit=LIMIT, load=lambda subject_id: db.session.get(Activity, subject_id),
        can_view=lambda actor, activity: ALLOW, can_manage=can_manage_pictures,
        title=lambda activity: activity.title,
        url=lambda activity: url_for("activities.show", activity_id=activity.id),
    ))
    register(Kind(
        name="place", limit=LIMIT, load=lambda subject_id: db.session.get(Place, subject_id),
        can_view=lambda actor, place: ALLOW, can_manage=lambda actor, place: can_manage(actor),
        title=lambda place: place.name, url=lambda place: url_for("activities.places"),
    ))
