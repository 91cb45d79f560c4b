"""What the activity pages share: finding the activity, and the answer to a lost race."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash, make_response

from app.activities import queries
from app.activities.models import Activity
from app.db import db
from app.errors import Conflict, NotFound


def activity_or_404(activity_id: int) -> Activity:
    activity = db.session.scalar(queries.activity(activity_id))
    if activity is None:
        raise NotFound()
    return activity


def lost_race(error: Conflict, page: Callable[[], object]) -> Response:
    """Someone else got there first (the last slot, a double click, a room taken since): the page the
    person came from again, with the reason on top and status 409, instead of a bare error page."""
    db.session.rollback()
    flash(error.message, "error")
    response = make_response(page())
    response.status_code = 409
    return response
