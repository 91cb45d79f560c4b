"""The iCalendar feeds: the public one, one activity's, and a resident's personal feed."""

from __future__ import annotations

from flask import Response, current_app, make_response, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.activities import bp, ical, queries
from app.activities.routes.common import activity_or_404
from app.activities.services.calendar import user_for_calendar
from app.db import db
from app.errors import NotFound
from app.i18n import ui_language


def _ics(body: bytes, filename: str) -> Response:
    response = make_response(body)
    response.headers["Content-Type"] = ical.CONTENT_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/activities.ics")
def feed() -> ResponseReturnValue:
    """The public feed, built once per change of its activities: a repeat gets 304 by its ETag, and a
    calendar asking without one gets the kept bytes."""
    body, etag = ical.cached(
        (ui_language(), current_app.config["BASE_URL"], *queries.feed_stamp()),
        lambda: ical.calendar(db.session.scalars(queries.feed_all()).all(),
                              _("Activities at MAM Na Kozłówce")),
    )
    response = _ics(body, "mam-activities.ics")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.vary.update(("Cookie", "Accept-Language"))
    response.set_etag(etag)
    return response.make_conditional(request)


@bp.get("/activities/<id:activity_id>.ics")
def feed_one(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    return _ics(ical.calendar([activity], activity.title), f"mam-activity-{activity.id}.ics")


@bp.get("/activities/calendar/<token>.ics")
def feed_personal(token: str) -> ResponseReturnValue:
    user = user_for_calendar(token)
    if user is None:
        raise NotFound()
    activities = db.session.scalars(queries.feed_personal(user.id)).all()
    waiting = set(db.session.scalars(queries.waiting_only(user.id)))
    body = ical.calendar(activities, _("My activities at MAM Na Kozłówce"), tentative_ids=waiting)
    response = _ics(body, "mam-my-activities.ics")
    response.headers["X-Robots-Tag"] = "noindex"
    return response
