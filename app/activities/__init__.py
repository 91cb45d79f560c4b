"""Activities: the centre's calendar, places, volunteer roles, sign-ups, room requests and iCalendar
feeds (routes in ``routes``)."""

from flask import Blueprint, Flask

from app.notifications import subjects
from app.proposals.signals import proposal_page

bp = Blueprint("activities", __name__)


def register_jinja(app: Flask) -> None:
    """``time_range(starts_at, ends_at)`` for every page and e-mail that says when an activity is."""
    from app.activities.times import time_range

    app.jinja_env.globals["time_range"] = time_range


@proposal_page.connect
def _activities_on_proposal_page(proposal, viewer) -> dict:
    """What ``activities/_for_proposal.html`` shows on the proposal's page: the activities it became, and
    whether the viewer may schedule another."""
    from app.activities.permissions import can_schedule
    from app.activities.queries import activities_for

    return {"proposal_activities": activities_for(proposal), "may_schedule": can_schedule(viewer, proposal)}


def _followable(ids: list[int]) -> dict[int, tuple[str, str]]:
    from app.activities.follows import followable

    return followable(ids)


subjects.register("activity", _followable)
