"""Signing up to attend or to volunteer, cancelling it, and the lists for the door."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.activities import bp, permissions, queries
from app.activities.models import Activity, Signup, SignupStatus
from app.activities.routes.calendar import show
from app.activities.routes.common import activity_or_404, lost_race
from app.activities.services import signups as services
from app.confirmation import confirmation_needed
from app.db import db
from app.errors import Conflict
from app.htmx import redirect_to
from app.permissions import require


def _sign_up(
    activity_id: int, role_id: int | None, thanks: Callable[[Signup], str]
) -> ResponseReturnValue:
    """Sign up and say so; the activity's page again (409) when the last place or slot went meanwhile."""
    try:
        signup = services.sign_up(current_user, activity_or_404(activity_id), role_id)
    except Conflict as error:
        return lost_race(error, lambda: show(activity_id))
    flash(thanks(signup), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


@bp.post("/activities/<id:activity_id>/signup")
@login_required
def sign_up(activity_id: int) -> ResponseReturnValue:
    return _sign_up(
        activity_id,
        None,
        lambda signup: _("You are registered. See you there!")
        if signup.status == SignupStatus.REGISTERED
        else _("The activity is full: you are on the waiting list. We will e-mail you if a place frees up."),
    )


@bp.post("/activities/<id:activity_id>/roles/<id:role_id>/signup")
@login_required
def volunteer(activity_id: int, role_id: int) -> ResponseReturnValue:
    return _sign_up(
        activity_id, role_id, lambda signup: _("Thank you for helping! You are signed up as a volunteer.")
    )


def _cancel(
    activity: Activity, role_id: int | None, question: str, yes: str, done: str
) -> ResponseReturnValue:
    """Ask first (the place may go to someone else), then cancel the sign-up."""
    back = url_for("activities.show", activity_id=activity.id)
    if page := confirmation_needed(question, yes, back):
        return page
    services.cancel_signup(current_user, activity, role_id)
    flash(done, "success")
    return redirect_to(back)


@bp.post("/activities/<id:activity_id>/signup/cancel")
@login_required
def cancel_signup(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    return _cancel(
        activity,
        None,
        _("You will cancel your sign-up for “%(title)s”. Your place may go to someone else.",
          title=activity.title),
        _("Yes, cancel my sign-up"),
        _("Your sign-up is cancelled."),
    )


@bp.post("/activities/<id:activity_id>/roles/<id:role_id>/cancel")
@login_required
def cancel_volunteer(activity_id: int, role_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    return _cancel(
        activity,
        role_id,
        _("You will stop volunteering at “%(title)s”. Your place may go to someone else.",
          title=activity.title),
        _("Yes, stop volunteering"),
        _("You are no longer signed up for this role."),
    )


@bp.get("/activities/<id:activity_id>/people")
@login_required
def people(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    require(permissions.can_see_people(current_user, activity))
    signups = db.session.scalars(queries.live_signups(activity.id)).all()
    return render_template(
        "activities/people.html",
        activity=activity,
        registered=[s for s in signups if s.role_id is None and s.status == SignupStatus.REGISTERED],
        waitlisted=[s for s in signups if s.role_id is None and s.status == SignupStatus.WAITLISTED],
        volunteers={role.id: [s for s in signups if s.role_id == role.id] for role in activity.roles},
    )
