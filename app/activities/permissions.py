"""Who may schedule, edit, report on, sign up for and see the lists of activities, request rooms and
manage places. Pure predicates returning a ``Decision``; services enforce them, templates only ask."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.activities.models import Activity, ActivityStatus, RequestStatus, RoomRequest
from app.db import utcnow
from app.permissions import ALLOW, Decision, deny, is_staff, is_verified_resident, signed_in
from app.proposals.models import Proposal, Status

# A proposal can lead to many activities over time (a weekly cooking club, a repair café): being
# implemented never blocks scheduling another.
SCHEDULABLE = (Status.SELECTED, Status.SCHEDULED, Status.IMPLEMENTED)


def can_manage(actor) -> Decision:
    """Scheduling, editing, places and room requests are moderators' work."""
    if not is_staff(actor):
        return deny(_l("Only moderators can manage the calendar of activities."))
    return ALLOW


def can_schedule(actor, proposal: Proposal | None = None) -> Decision:
    decision = can_manage(actor)
    if decision and proposal is not None and proposal.status not in SCHEDULABLE:
        return deny(_l("Only a proposal selected in the vote can become an activity."))
    return decision


def is_coordinator(actor, activity: Activity) -> bool:
    return signed_in(actor) and activity.coordinator_id is not None and activity.coordinator_id == actor.id


def can_edit(actor, activity: Activity) -> Decision:
    decision = can_manage(actor)
    if decision and activity.status != ActivityStatus.PLANNED:
        return deny(_l("Only a planned activity can be changed."))
    return decision


def can_report(actor, activity: Activity) -> Decision:
    """Marking an activity held (with a report) or cancelled: its coordinator or a moderator."""
    if not (is_staff(actor) or is_coordinator(actor, activity)):
        return deny(_l("Only the coordinator of this activity or a moderator can do this."))
    if activity.status != ActivityStatus.PLANNED:
        return deny(_l("This activity has already been marked held or cancelled."))
    return ALLOW


def can_mark_held(actor, activity: Activity) -> Decision:
    decision = can_report(actor, activity)
    if decision and activity.starts_at > utcnow():
        return deny(_l("An activity can be marked held once it has started."))
    return decision


def can_see_people(actor, activity: Activity) -> Decision:
    """The lists of participants and volunteers: the coordinator, moderators and the steering group."""
    if is_coordinator(actor, activity) or is_staff(actor) or (signed_in(actor) and actor.role == "steering"):
        return ALLOW
    return deny(_l("Only the coordinator of this activity and moderators can see who signed up."))


def has_started(activity: Activity) -> bool:
    return activity.starts_at <= utcnow()


def signups_open(activity: Activity) -> Decision:
    """Signing up, and taking part at all (the "Take part" box): a planned activity that has not started."""
    if activity.status != ActivityStatus.PLANNED or has_started(activity):
        return deny(_l("Sign-ups for this activity are closed."))
    return ALLOW


def can_attend(actor, activity: Activity) -> Decision:
    if not signed_in(actor):
        return deny(_l("Sign in to take part."))
    if not actor.is_email_verified:
        return deny(_l("Confirm your e-mail address before signing up."))
    if not activity.open_to_all and not is_verified_resident(actor):
        return deny(_l("This activity is for verified residents only."))
    return signups_open(activity)


def can_volunteer(actor, activity: Activity) -> Decision:
    if not is_verified_resident(actor):
        return deny(_l("Only verified residents can volunteer."))
    return signups_open(activity)


def can_request_room(actor) -> Decision:
    if not is_verified_resident(actor):
        return deny(_l("Only verified residents can request a room."))
    return ALLOW


def can_decide_request(actor, room_request: RoomRequest) -> Decision:
    decision = can_manage(actor)
    if decision and room_request.status != RequestStatus.PENDING:
        return deny(_l("This request has already been decided."))
    return decision


def can_have_calendar(actor) -> Decision:
    if not signed_in(actor):
        return deny(_l("Sign in to see your calendar."))
    return ALLOW


def can_cancel_signup(actor, activity: Activity) -> Decision:
    """Cancelling one's own sign-up: until the activity starts (a place freed later helps nobody, and
    the waiting list must not be promoted after the start)."""
    if not signed_in(actor):
        return deny(_l("Sign in to take part."))
    if activity.status != ActivityStatus.PLANNED:
        return deny(_l("This activity is over; sign-ups cannot change."))
    if has_started(activity):
        return deny(_l("The activity has already started, so the sign-up can no longer be cancelled."))
    return ALLOW


def can_manage_pictures(actor, activity: Activity) -> Decision:
    """Pictures of an activity: moderators, and its coordinator while it is planned."""
    if is_staff(actor):
        return ALLOW
    return can_report(actor, activity)
