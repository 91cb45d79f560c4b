"""The calendar (a list or a month), an activity's page, and my activities with my calendar link."""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import current_app, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.activities import bp, permissions, queries
from app.activities.models import Activity, SignupStatus
from app.activities.routes.common import activity_or_404
from app.activities.services.calendar import calendar_token
from app.activities.signals import activity_page
from app.activities.times import local, month_bounds
from app.confirmation import confirmation_needed
from app.db import db, utcnow
from app.htmx import redirect_to, render
from app.media.queries import pictures_for_page
from app.notifications.services import is_following
from app.urls import id_arg, page_arg


def _month_arg() -> tuple[int, int]:
    raw = request.args.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = local(utcnow()).date()
    return today.year, today.month


def _month_grid(
    year: int, month: int, activities: Sequence[Activity]
) -> list[list[tuple[date, list[Activity]]]]:
    by_day: dict[date, list[Activity]] = {}
    for activity in activities:
        by_day.setdefault(local(activity.starts_at).date(), []).append(activity)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[(day, by_day.get(day, []) if day.month == month else []) for day in week] for week in weeks]


def _month(place_id: int | None) -> dict[str, Any]:
    year, month = _month_arg()
    start, end = month_bounds(year, month)
    activities = db.session.scalars(queries.between(start, end, place_id)).all()
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return {
        "weeks": _month_grid(year, month, activities),
        "month_start": date(year, month, 1),
        "month_label": format_date(date(year, month, 1), "LLLL yyyy"),
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "count": len(activities),
    }


@bp.get("/activities")
def index() -> ResponseReturnValue:
    view = "month" if request.args.get("view") == "month" else "list"
    when = "past" if request.args.get("when") == "past" else "upcoming"
    place_id = id_arg("place")
    context: dict[str, Any] = {
        "view": view,
        "when": when,
        "place_id": place_id,
        "places": db.session.scalars(queries.places()).all(),
        "can_manage": bool(permissions.can_manage(current_user)),
        "can_request": bool(permissions.can_request_room(current_user)),
    }
    if view == "month":
        context.update(_month(place_id))
    else:
        query = queries.past(place_id) if when == "past" else queries.upcoming(place_id)
        context["page"] = db.paginate(query, page=page_arg(), per_page=current_app.config["PAGE_SIZE"],
                                      error_out=False)
    return render("activities/index.html", "activities/_calendar.html", **context)


def _occupancy(activity: Activity) -> dict:
    counts = queries.signup_counts(activity.id)
    registered = counts[(None, SignupStatus.REGISTERED)]
    roles = [(role, counts[(role.id, SignupStatus.REGISTERED)]) for role in activity.roles]
    return {
        "registered": registered,
        "waitlisted": counts[(None, SignupStatus.WAITLISTED)],
        "places_left": None if activity.capacity is None else max(activity.capacity - registered, 0),
        "roles": [(role, taken, max(role.slots - taken, 0)) for role, taken in roles],
    }


@bp.get("/activities/<id:activity_id>")
def show(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    mine = {}
    if current_user.is_authenticated:
        mine = {
            signup.role_id: signup
            for signup in db.session.scalars(queries.live_signups(activity.id, current_user.id))
        }
    siblings = db.session.scalars(queries.series(activity.series_id)).all() if activity.series_id else []
    parts: dict[str, object] = {}  # the parts of the features above activities (news about it)
    for _receiver, values in activity_page.send(activity, viewer=current_user):
        parts.update(values)
    return render_template(
        "activities/show.html",
        **parts,
        activity=activity,
        occupancy=_occupancy(activity),
        mine=mine,
        siblings=siblings,
        signups_open=bool(permissions.signups_open(activity)),
        can_attend=permissions.can_attend(current_user, activity),
        can_volunteer=permissions.can_volunteer(current_user, activity),
        can_cancel_signup=bool(permissions.can_cancel_signup(current_user, activity)),
        can_edit=bool(permissions.can_edit(current_user, activity)),
        can_report=bool(permissions.can_report(current_user, activity)),
        can_see_people=bool(permissions.can_see_people(current_user, activity)),
        can_manage_pictures=bool(permissions.can_manage_pictures(current_user, activity)),
        following=is_following(current_user, "activity", activity.id),
        pictures=pictures_for_page("activity", activity),
    )


# --- my activities and my calendar link -------------------------------------------------------------------


@bp.get("/activities/mine")
@login_required
def mine() -> ResponseReturnValue:
    token = current_user.calendar_token
    return render_template(
        "activities/mine.html",
        signups=db.session.scalars(queries.my_signups(current_user.id)).all(),
        coordinated=db.session.scalars(queries.coordinated_by(current_user.id)).all(),
        room_requests=db.session.scalars(queries.requests_by(current_user.id)).all(),
        feed_url=url_for("activities.feed_personal", token=token, _external=True) if token else None,
        can_request=bool(permissions.can_request_room(current_user)),
    )


@bp.post("/activities/mine/calendar-link")
@login_required
def calendar_link() -> ResponseReturnValue:
    reset = request.form.get("reset") == "1"
    if page := confirmation_needed(
        _("You will get a new calendar link. The old one will stop working in every calendar that uses it."),
        _("Yes, make a new link"), url_for("activities.mine"), when=reset,
    ):
        return page
    calendar_token(current_user, reset=reset)
    flash(
        _("Your old calendar link no longer works; here is the new one.")
        if reset
        else _("Your personal calendar link is ready."),
        "success",
    )
    return redirect_to(url_for("activities.mine"))
