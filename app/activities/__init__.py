"""Activities: the centre's calendar, places, volunteer roles, sign-ups, room requests and iCalendar
feeds (routes in ``routes``)."""

from flask import Blueprint, Flask

from app.notifications import subjects

bp = Blueprint("activities", __name__)


def register_jinja(app: Flask) -> None:
    """``activities_for(proposal)`` and ``can_schedule(user, proposal)`` for the proposal page
    (``activities/_for_proposal.html``), and ``time_range(starts_at, ends_at)`` for every page and e-mail
    that says when an activity is."""
    from app.activities.permissions import can_schedule
    from app.activities.queries import activities_for
    from app.activities.times import time_range

    app.jinja_env.globals["activities_for"] = activities_for
    app.jinja_env.globals["can_schedule"] = can_schedule
    app.jinja_env.globals["time_range"] = time_range


def _followable(ids: list[int]) -> dict[int, tuple[str, str]]:
    from app.activities.follows import followable

    return followable(ids)


subjects.register("activity", _followable)
