"""After the activity: marked held with a report and the attendance, or cancelled with a reason; a
scheduled proposal is implemented once all its activities are held or cancelled."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.activities import permissions, queries
from app.activities.models import Activity, ActivityStatus
from app.activities.services.inputs import text
from app.activities.services.messages import about, activity_link
from app.audit.services import record
from app.auth.models import User
from app.db import db, rowcount, utcnow
from app.errors import Conflict, InvalidInput
from app.notifications.services import Mail, followers, notify
from app.permissions import is_staff, require
from app.proposals.models import Status
from app.proposals.services import change_status
from app.text import render_markdown

MAX_ATTENDANCE = 100_000


def mark_held(actor: User, activity: Activity, report: str, attendance: int | None) -> None:
    require(permissions.can_mark_held(actor, activity))
    report = text(report, "report", 10_000, required=True)
    if attendance is None:
        raise InvalidInput(_l("Enter how many people came."), field="attendance")
    if attendance < 0 or attendance > MAX_ATTENDANCE:
        raise InvalidInput(_l("Enter a number from 0 to %(max)d.", max=MAX_ATTENDANCE), field="attendance")
    try:
        _finish(actor, activity, ActivityStatus.HELD, report=report, report_html=render_markdown(report),
                attendance=attendance)
    except Conflict:
        db.session.rollback()
        raise
    db.session.commit()


def cancel_activity(actor: User, activity: Activity, reason: str) -> None:
    require(permissions.can_report(actor, activity))
    reason = text(reason, "reason", 500, required=True)
    people = db.session.scalars(queries.live_signups(activity.id)).all()
    try:
        _finish(actor, activity, ActivityStatus.CANCELLED, cancel_reason=reason)
    except Conflict:
        db.session.rollback()
        raise
    mail = Mail(_l("Cancelled: %(title)s", title=activity.title), "activities/email/cancelled.txt",
                {"activity": activity, "reason": reason, "link": activity_link(activity)})
    what = {**about(activity), "detail": reason, "actor": actor}
    told = notify([signup.user for signup in people], "activity.cancelled", category="activities", mail=mail,
                  **what)
    notify(followers("activity", activity.id), "activity.cancelled", category="following",
           exclude=told, **what)
    db.session.commit()


def _finish(actor: User, activity: Activity, status: str, **values: Any) -> None:
    """planned → held/cancelled, once: a parallel request that got there first wins (Conflict)."""
    changed = rowcount(db.session.execute(
        sa.update(Activity)
        .where(Activity.id == activity.id, Activity.status == ActivityStatus.PLANNED)
        .values(status=status, sequence=Activity.sequence + 1, updated_at=utcnow(), **values)
    ))
    if changed != 1:
        raise Conflict(_l("This activity has already been marked held or cancelled."))
    db.session.refresh(activity)
    _complete_proposal(actor, activity)
    if is_staff(actor):
        record(
            actor, f"activity.{status}", activity, **{k: v for k, v in values.items() if k != "report_html"}
        )


def _complete_proposal(actor: User, activity: Activity) -> None:
    """A scheduled proposal is implemented once one of its activities is held and none is planned."""
    proposal = activity.proposal
    if proposal is None or proposal.status != Status.SCHEDULED:
        return
    statuses = set(db.session.scalars(sa.select(Activity.status).where(Activity.proposal_id == proposal.id)))
    if ActivityStatus.HELD not in statuses or not statuses <= {ActivityStatus.HELD, ActivityStatus.CANCELLED}:
        return
    if is_staff(actor):
        change_status(actor, proposal, Status.IMPLEMENTED)
    else:  # the coordinator's report completes it
        change_status(None, proposal, Status.IMPLEMENTED, by_system=True)
