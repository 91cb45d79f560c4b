"""Activities: scheduling (from a selected proposal or not), weekly series, overlap refusal, reports,
sign-ups with a waiting list, room requests, reminders and calendar links.

Each public function checks permission first, validates, changes, writes the audit event and the
outbox, and commits once. Sign-ups lock the activity row and scheduling locks the place row
(``locking``), so parallel requests can neither overbook nor double-book.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.activities import permissions, queries
from app.activities.locking import lock, lock_activity
from app.activities.models import (
    Activity,
    ActivityStatus,
    Place,
    RequestStatus,
    RoomRequest,
    Signup,
    SignupStatus,
    VolunteerRole,
)
from app.activities.times import local, time_range, to_utc, weekly
from app.audit.services import record
from app.auth.models import User
from app.auth.services import find_user_by_email
from app.db import db, utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import FORBIDDEN_CHARACTERS
from app.notifications.services import Mail, follow, followers, notify, path_for
from app.numbers import parse_whole
from app.outbox.services import queue_email_to
from app.permissions import is_staff, is_verified_resident, require
from app.proposals.models import Proposal, Status
from app.proposals.services import set_status
from app.text import render_markdown
from app.urls import external_url

MAX_WEEKS = 52
MAX_ROLES = 20
REMINDER_AHEAD = timedelta(hours=24)


# --- input and validation -------------------------------------------------------------------------


@dataclass
class ActivityInput:
    title: str = ""
    description: str = ""
    day: date | None = None
    starts: time | None = None
    ends: time | None = None
    place_id: int | None = None
    capacity: int | None = None
    open_to_all: bool = True
    coordinator_id: int | None = None
    coordinator_email: str = ""
    roles: str = ""  # one per line: "set up the room: 2"
    repeat_weeks: int = 1


@dataclass
class RoomRequestInput:
    title: str = ""
    description: str = ""
    organisation: str = ""
    day: date | None = None
    starts: time | None = None
    ends: time | None = None
    place_id: int | None = None
    expected_people: int | None = None
    open_to_all: bool = True


def _text(value: str | None, field: str, maximum: int, required: bool = False) -> str:
    value = (value or "").strip()
    if FORBIDDEN_CHARACTERS.search(value):
        raise InvalidInput(_l("This field contains characters that are not allowed."), field=field)
    if required and not value:
        raise InvalidInput(_l("This field is required."), field=field)
    if len(value) > maximum:
        raise InvalidInput(_l("This field may have at most %(max)d characters.", max=maximum), field=field)
    return value


def _positive(value: int | None, field: str, maximum: int = 10_000) -> int | None:
    if value is None:
        return None
    if value < 1 or value > maximum:
        raise InvalidInput(_l("Enter a number from 1 to %(max)d.", max=maximum), field=field)
    return value


def parse_roles(text: str) -> list[tuple[str, int]]:
    """ "set up the room: 2" per line → [("set up the room", 2)]; a line without a number means 1 slot."""
    roles: list[tuple[str, int]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        name, slots = line, 1
        if ":" in line:
            head, _, tail = line.rpartition(":")
            if parse_whole(tail) is not None:
                name, slots = head.strip(), parse_whole(tail)
        if not name or slots < 1 or slots > 100:
            raise InvalidInput(
                _l(
                    "Write each role on its own line as “name: number of people” "
                    "(1 to 100), e.g. “bring tea: 1”."
                ),
                field="roles",
            )
        if len(name) > 120 or FORBIDDEN_CHARACTERS.search(name):
            raise InvalidInput(
                _l("A role's name may have at most %(max)d characters.", max=120), field="roles"
            )
        if any(existing.casefold() == name.casefold() for existing, _ in roles):
            raise InvalidInput(_l("The role “%(name)s” is listed twice.", name=name), field="roles")
        roles.append((name, slots))
    if len(roles) > MAX_ROLES:
        raise InvalidInput(_l("List at most %(max)d roles.", max=MAX_ROLES), field="roles")
    return roles


def roles_text(activity: Activity) -> str:
    return "\n".join(f"{role.name}: {role.slots}" for role in activity.roles)


def _times(day, starts, ends) -> None:
    if day is None:
        raise InvalidInput(_l("Enter the date."), field="day")
    if starts is None:
        raise InvalidInput(_l("Enter the start time."), field="starts")
    if ends is None:
        raise InvalidInput(_l("Enter the end time."), field="ends")


def _place(place_id: int | None) -> Place:
    place = db.session.get(Place, place_id) if place_id else None
    if place is None or not place.active:
        raise InvalidInput(_l("Choose one of the centre's places."), field="place_id")
    return place


def _coordinator(data: ActivityInput) -> User | None:
    email = _text(data.coordinator_email, "coordinator_email", 254)
    if email:
        user = find_user_by_email(email)
        if user is None or not is_verified_resident(user):
            raise InvalidInput(_l("No verified resident has this e-mail address."), field="coordinator_email")
        return user
    if data.coordinator_id is None:
        return None
    user = db.session.get(User, data.coordinator_id)
    if user is None or not is_verified_resident(user):
        raise InvalidInput(_l("The coordinator must be a verified resident."), field="coordinator_id")
    return user


def _validated(data: ActivityInput) -> dict:
    values = {
        "title": _text(data.title, "title", 200, required=True),
        "description": _text(data.description, "description", 20_000),
        "capacity": _positive(data.capacity, "capacity"),
        "open_to_all": bool(data.open_to_all),
    }
    values["description_html"] = render_markdown(values["description"])
    _times(data.day, data.starts, data.ends)
    return values


def _when(activity_or_request) -> str:
    return time_range(activity_or_request.starts_at, activity_or_request.ends_at)


def _refuse_clash(place: Place, starts_at: datetime, ends_at: datetime, exclude_ids=()) -> None:
    other = queries.clash(place.id, starts_at, ends_at, exclude_ids)
    if other is not None:
        raise Conflict(
            _l(
                "%(place)s is already taken at that time by “%(title)s” (%(when)s). Choose another time "
                "or place.",
                place=place.name,
                title=other.title,
                when=_when(other),
            ),
            field="place_id",
        )


# --- scheduling -----------------------------------------------------------------------------------


def schedule_activity(actor, data: ActivityInput, proposal: Proposal | None = None) -> list[Activity]:
    """Create an activity (or a weekly series of them); a selected proposal moves to ``scheduled``."""
    require(permissions.can_schedule(actor, proposal))
    values = _validated(data)
    weeks = data.repeat_weeks or 1
    if weeks < 1 or weeks > MAX_WEEKS:
        raise InvalidInput(_l("Enter a number from 1 to %(max)d.", max=MAX_WEEKS), field="repeat_weeks")
    occurrences = weekly(data.day, data.starts, data.ends, weeks)
    roles = parse_roles(data.roles)
    coordinator = _coordinator(data)
    place = _place(data.place_id)
    place_id, actor_id = place.id, actor.id
    coordinator_id = coordinator.id if coordinator else None
    proposal_id = proposal.id if proposal is not None else None

    lock(place_id=place_id)
    place = db.session.get(Place, place_id, populate_existing=True)
    if proposal_id is not None:
        proposal = db.session.get(Proposal, proposal_id, populate_existing=True)
        require(permissions.can_schedule(actor, proposal))
    for starts_at, ends_at in occurrences:
        _refuse_clash(place, starts_at, ends_at)
    series_id = uuid.uuid4().hex if weeks > 1 else None
    created = []
    for starts_at, ends_at in occurrences:
        activity = Activity(
            proposal_id=proposal_id,
            series_id=series_id,
            starts_at=starts_at,
            ends_at=ends_at,
            place_id=place_id,
            coordinator_id=coordinator_id,
            created_by_id=actor_id,
            status=ActivityStatus.PLANNED,
            sequence=0,
            **values,
        )
        activity.roles = [VolunteerRole(name=name, slots=slots) for name, slots in roles]
        db.session.add(activity)
        created.append(activity)
    db.session.flush()
    if proposal is not None and proposal.status == Status.SELECTED:
        set_status(actor, proposal, Status.SCHEDULED, commit=False)
    record(
        actor,
        "activity.scheduled",
        created[0],
        ids=[a.id for a in created],
        proposal_id=proposal_id,
        place=place.name,
        starts_at=created[0].starts_at.isoformat(),
        series_id=series_id,
    )
    db.session.commit()
    return created


def update_activity(actor, activity: Activity, data: ActivityInput, together: bool = False) -> list[Activity]:
    """Change one activity, or (``together``) it and every planned activity of its series that has not
    started yet (the past stays as it was).

    The new date shifts each activity of the series by the same number of days; start and end times
    are wall-clock times in Warsaw for each of them. When the time or the place changes, everyone signed
    up is e-mailed and will be reminded again before the new time.
    """
    require(permissions.can_edit(actor, activity))
    values = _validated(data)
    roles = parse_roles(data.roles)
    coordinator = _coordinator(data)
    place = _place(data.place_id)
    if data.ends <= data.starts:
        raise InvalidInput(_l("The end must be later than the start."), field="ends")
    to_utc(data.day, data.starts, "starts")
    to_utc(data.day, data.ends, "ends")
    shift = data.day - local(activity.starts_at).date()
    now = utcnow()
    if together and activity.series_id:
        ids = list(
            db.session.scalars(
                sa.select(Activity.id).where(
                    Activity.series_id == activity.series_id,
                    Activity.status == ActivityStatus.PLANNED,
                    sa.or_(Activity.id == activity.id, Activity.starts_at > now),
                )
            )
        )
    else:
        ids = [activity.id]
    activity_id, place_id = activity.id, place.id
    coordinator_id = coordinator.id if coordinator else None

    lock(place_id=place_id, activity_ids=ids)
    place = db.session.get(Place, place_id, populate_existing=True)
    targets = db.session.scalars(
        sa.select(Activity)
        .options(selectinload(Activity.roles))
        .where(Activity.id.in_(ids), Activity.status == ActivityStatus.PLANNED)
        .order_by(Activity.starts_at)
        .execution_options(populate_existing=True)
    ).all()
    if not any(target.id == activity_id for target in targets):
        raise Conflict(_l("Only a planned activity can be changed."))
    ids = [target.id for target in targets]
    moved = []
    for target in targets:
        day = local(target.starts_at).date() + shift
        starts_at, ends_at = to_utc(day, data.starts, "starts"), to_utc(day, data.ends, "ends")
        _refuse_clash(place, starts_at, ends_at, exclude_ids=ids)
        before = {"starts_at": target.starts_at, "ends_at": target.ends_at, "place": target.place}
        _apply(target, values, place_id, coordinator_id, starts_at, ends_at, roles)
        if (starts_at, ends_at, place_id) != (before["starts_at"], before["ends_at"], before["place"].id):
            db.session.expire(target, ["place"])
            moved.append((target, before))
    _tell_about_changes(moved, now)
    record(actor, "activity.updated", activity, ids=[t.id for t in targets], together=together)
    db.session.commit()
    return targets


def _tell_about_changes(moved: list[tuple[Activity, dict]], now: datetime) -> None:
    """After a change of time or place: the reminder is due again before the new time, and everyone
    signed up (registered, waiting or volunteering) gets one e-mail listing what changed for them."""
    moved = [
        (activity, before) for activity, before in moved if max(activity.ends_at, before["ends_at"]) > now
    ]
    if not moved:
        return
    by_id = {activity.id: (activity, before) for activity, before in moved}
    db.session.execute(
        sa.update(Signup).where(Signup.activity_id.in_(by_id)).values(reminded_at=None)
    )
    signups = db.session.scalars(
        sa.select(Signup)
        .options(joinedload(Signup.user))
        .where(Signup.activity_id.in_(by_id), Signup.status.in_(queries.LIVE), Signup.user_id.is_not(None))
        .order_by(Signup.user_id, Signup.activity_id)
    ).all()
    people: dict[int, tuple[User, dict[int, dict]]] = {}
    for signup in signups:  # one e-mail per person, one entry per activity (whatever their roles)
        user, theirs = people.setdefault(signup.user_id, (signup.user, {}))
        if signup.activity_id not in theirs:
            activity, before = by_id[signup.activity_id]
            link = external_url("activities.show", activity_id=activity.id)
            theirs[signup.activity_id] = {"activity": activity, "before": before, "link": link}
    told: set[int] = set()
    for user, theirs in people.values():
        changes = sorted(theirs.values(), key=lambda change: change["activity"].starts_at)
        first = changes[0]["activity"]
        mail = Mail(_l("New time or place: %(title)s", title=first.title), "activities/email/changed.txt",
                    {"activity": first, "changes": changes, "link": changes[0]["link"]})
        told |= notify([user], "activity.changed", category="activities", mail=mail, **_about(first))
    for activity, _ in moved:
        notify(followers("activity", activity.id), "activity.changed", category="following", exclude=told,
               **_about(activity))


def _apply(
    activity: Activity,
    values: dict,
    place_id: int,
    coordinator_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    roles: list[tuple[str, int]],
) -> None:
    registered = queries.live_count(activity.id, None)
    if values["capacity"] is not None and values["capacity"] < registered:
        raise InvalidInput(
            _l("%(num)d people are already registered; the capacity cannot be lower.", num=registered),
            field="capacity",
        )
    existing = {role.name.casefold(): role for role in activity.roles}
    wanted = {name.casefold() for name, _ in roles}
    for key, role in existing.items():
        taken = queries.live_count(activity.id, role.id)
        if key not in wanted and taken:
            raise InvalidInput(
                _l("Volunteers have signed up for “%(name)s”; it cannot be removed.", name=role.name),
                field="roles",
            )
        if key not in wanted:
            activity.roles.remove(role)
    for name, slots in roles:
        role = existing.get(name.casefold())
        if role is None:
            activity.roles.append(VolunteerRole(name=name, slots=slots))
            continue
        taken = queries.live_count(activity.id, role.id)
        if slots < taken:
            raise InvalidInput(
                _l(
                    "%(num)d volunteers have signed up for “%(name)s”; it needs at least as many slots.",
                    num=taken,
                    name=role.name,
                ),
                field="roles",
            )
        role.name, role.slots = name, slots
    for key, value in values.items():
        setattr(activity, key, value)
    activity.place_id, activity.coordinator_id = place_id, coordinator_id
    activity.starts_at, activity.ends_at = starts_at, ends_at
    activity.sequence += 1
    activity.updated_at = utcnow()
    db.session.flush()
    _promote(activity)


# --- after the activity ---------------------------------------------------------------------------


def _finish(actor, activity: Activity, status: str, **values) -> None:
    """planned → held/cancelled, once: a parallel request that got there first wins."""
    now = utcnow()
    changed = db.session.execute(
        sa.update(Activity)
        .where(Activity.id == activity.id, Activity.status == ActivityStatus.PLANNED)
        .values(status=status, sequence=Activity.sequence + 1, updated_at=now, **values)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict(_l("This activity has already been marked held or cancelled."))
    db.session.refresh(activity)
    proposal = activity.proposal
    if proposal is not None and proposal.status == Status.SCHEDULED:
        statuses = set(
            db.session.scalars(sa.select(Activity.status).where(Activity.proposal_id == proposal.id))
        )
        if ActivityStatus.HELD in statuses and statuses <= {ActivityStatus.HELD, ActivityStatus.CANCELLED}:
            if is_staff(actor):
                set_status(actor, proposal, Status.IMPLEMENTED, commit=False)
            else:  # the coordinator's report completes it
                set_status(None, proposal, Status.IMPLEMENTED, commit=False, by_system=True)
    if is_staff(actor):
        record(
            actor, f"activity.{status}", activity, **{k: v for k, v in values.items() if k != "report_html"}
        )


def mark_held(actor, activity: Activity, report: str, attendance: int | None) -> None:
    require(permissions.can_mark_held(actor, activity))
    report = _text(report, "report", 10_000, required=True)
    if attendance is None:
        raise InvalidInput(_l("Enter how many people came."), field="attendance")
    if attendance < 0 or attendance > 100_000:
        raise InvalidInput(_l("Enter a number from 0 to %(max)d.", max=100_000), field="attendance")
    _finish(
        actor,
        activity,
        ActivityStatus.HELD,
        report=report,
        report_html=render_markdown(report),
        attendance=attendance,
    )
    db.session.commit()


def cancel_activity(actor, activity: Activity, reason: str) -> None:
    require(permissions.can_report(actor, activity))
    reason = _text(reason, "reason", 500, required=True)
    people = db.session.scalars(queries.live_signups(activity.id)).all()
    _finish(actor, activity, ActivityStatus.CANCELLED, cancel_reason=reason)
    mail = Mail(_l("Cancelled: %(title)s", title=activity.title), "activities/email/cancelled.txt",
                {"activity": activity, "reason": reason,
                 "link": external_url("activities.show", activity_id=activity.id)})
    what = {**_about(activity), "detail": reason, "actor": actor}
    told = notify([signup.user for signup in people], "activity.cancelled", category="activities", mail=mail,
                  **what)
    notify(followers("activity", activity.id), "activity.cancelled", category="following",
           exclude=told, **what)
    db.session.commit()


# --- sign-ups ---------------------------------------------------------------------------------------


def _about(activity: Activity) -> dict:
    """What a notification about an activity shows: its title and page."""
    return {"subject_kind": "activity", "subject_id": activity.id, "title": activity.title,
            "link": path_for("activities.show", activity_id=activity.id)}


def _mail(user: User, subject, template: str, **context) -> None:
    activity = context.get("activity")
    link = external_url("activities.show", activity_id=activity.id) if activity is not None else None
    queue_email_to(user, subject, template, user=user, link=link, **context)


def _live_signup(activity_id: int, user_id: int, role_id: int | None) -> Signup | None:
    role_clause = Signup.role_id.is_(None) if role_id is None else Signup.role_id == role_id
    return db.session.scalars(
        sa.select(Signup).where(
            Signup.activity_id == activity_id,
            Signup.user_id == user_id,
            role_clause,
            Signup.status.in_(queries.LIVE),
        )
    ).first()


def _role(activity: Activity, role_id: int | None) -> VolunteerRole | None:
    if role_id is None:
        return None
    role = db.session.get(VolunteerRole, role_id)
    if role is None or role.activity_id != activity.id:
        raise NotFound()
    return role


def sign_up(actor, activity: Activity, role_id: int | None = None) -> Signup:
    """Register to attend (waiting list when full) or take a volunteer role's slot."""
    check = permissions.can_attend if role_id is None else permissions.can_volunteer
    require(check(actor, activity))
    _role(activity, role_id)
    activity_id, actor_id = activity.id, actor.id

    activity = lock_activity(activity_id)
    require(check(actor, activity))
    if _live_signup(activity_id, actor_id, role_id) is not None:
        raise Conflict(_l("You have already signed up."))
    if role_id is None:
        registered = queries.live_count(activity_id, None)
        full = activity.capacity is not None and registered >= activity.capacity
        status = SignupStatus.WAITLISTED if full else SignupStatus.REGISTERED
    else:
        role = db.session.get(VolunteerRole, role_id)
        if queries.live_count(activity_id, role_id) >= role.slots:
            raise Conflict(_l("Every slot of “%(name)s” is taken.", name=role.name))
        status = SignupStatus.REGISTERED
    signup = Signup(
        activity_id=activity_id, user_id=actor_id, role_id=role_id, status=status, created_at=utcnow()
    )
    db.session.add(signup)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("You have already signed up.")) from None
    follow(actor, "activity", activity_id)
    db.session.commit()
    return signup


def cancel_signup(actor, activity: Activity, role_id: int | None = None) -> None:
    """Cancel one's own sign-up, until the activity starts; the first person waiting takes a freed place
    (same transaction)."""
    require(permissions.can_cancel_signup(actor, activity))
    _role(activity, role_id)
    activity_id, actor_id = activity.id, actor.id
    activity = lock_activity(activity_id)
    require(permissions.can_cancel_signup(actor, activity))
    signup = _live_signup(activity_id, actor_id, role_id)
    if signup is None:
        raise Conflict(_l("You are not signed up."))
    signup.status = SignupStatus.CANCELLED
    signup.cancelled_at = utcnow()
    db.session.flush()
    if role_id is None:
        _promote(activity)
    db.session.commit()


def _promote(activity: Activity) -> list[Signup]:
    """Move people from the waiting list, in order, into free places; e-mail each of them. Never once
    the activity has started: a place freed then is of no use to anyone."""
    if activity.status != ActivityStatus.PLANNED or permissions.has_started(activity):
        return []
    registered = queries.live_count(activity.id, None)
    free = None if activity.capacity is None else activity.capacity - registered
    if free is not None and free <= 0:
        return []
    waiting = sa.select(Signup).where(
        Signup.activity_id == activity.id, Signup.role_id.is_(None), Signup.status == SignupStatus.WAITLISTED
    )
    waiting = waiting.order_by(Signup.created_at, Signup.id)
    if free is not None:
        waiting = waiting.limit(free)
    promoted = db.session.scalars(waiting).all()
    for signup in promoted:
        signup.status = SignupStatus.REGISTERED
        if signup.user is not None:
            mail = Mail(_l("A place is free for you: %(title)s", title=activity.title),
                        "activities/email/promoted.txt",
                        {"activity": activity,
                         "link": external_url("activities.show", activity_id=activity.id)})
            notify([signup.user], "activity.promoted", category="activities", mail=mail, **_about(activity))
    db.session.flush()
    return promoted


def withdraw_everywhere(user_id: int) -> None:
    """Remove every sign-up of a person (their account is being deleted); the places they free go to the
    waiting lists as when they cancel. Part of the caller's transaction: it locks the activities whose
    places are freed, so it must come before the caller writes anything; it flushes, never commits."""
    freed = sa.select(Signup.activity_id).where(
        Signup.user_id == user_id, Signup.role_id.is_(None), Signup.status == SignupStatus.REGISTERED
    )
    activity_ids = sorted(set(db.session.scalars(freed)))
    if activity_ids:
        lock(activity_ids=activity_ids)
        activity_ids = sorted(set(db.session.scalars(freed)))  # what is true now that we hold the locks
    db.session.execute(sa.delete(Signup).where(Signup.user_id == user_id))
    for activity in db.session.scalars(
        sa.select(Activity)
        .where(Activity.id.in_(activity_ids))
        .order_by(Activity.id)
        .execution_options(populate_existing=True)
    ):
        _promote(activity)


# --- room requests ------------------------------------------------------------------------------------


def request_room(actor, data: RoomRequestInput) -> RoomRequest:
    require(permissions.can_request_room(actor))
    title = _text(data.title, "title", 200, required=True)
    description = _text(data.description, "description", 5_000, required=True)
    organisation = _text(data.organisation, "organisation", 200)
    expected = _positive(data.expected_people, "expected_people")
    _times(data.day, data.starts, data.ends)
    [(starts_at, ends_at)] = weekly(data.day, data.starts, data.ends, 1)
    if starts_at <= utcnow():
        raise InvalidInput(_l("Choose a time in the future."), field="day")
    place = _place(data.place_id)
    _refuse_clash(place, starts_at, ends_at)
    room_request = RoomRequest(
        requester_id=actor.id,
        organisation=organisation,
        title=title,
        description=description,
        place_id=place.id,
        starts_at=starts_at,
        ends_at=ends_at,
        expected_people=expected,
        open_to_all=bool(data.open_to_all),
        status=RequestStatus.PENDING,
        created_at=utcnow(),
    )
    db.session.add(room_request)
    db.session.commit()
    return room_request


def approve_request(actor, room_request: RoomRequest) -> Activity:
    """The request enters the calendar with the requester as coordinator; the requester is told."""
    require(permissions.can_decide_request(actor, room_request))
    request_id, place_id = room_request.id, room_request.place_id
    lock(place_id=place_id)
    room_request = db.session.get(RoomRequest, request_id, populate_existing=True)
    require(permissions.can_decide_request(actor, room_request))
    place = db.session.get(Place, place_id, populate_existing=True)
    _refuse_clash(place, room_request.starts_at, room_request.ends_at)
    activity = Activity(
        title=room_request.title,
        description=room_request.description,
        description_html=render_markdown(room_request.description),
        starts_at=room_request.starts_at,
        ends_at=room_request.ends_at,
        place_id=place_id,
        capacity=room_request.expected_people,
        open_to_all=room_request.open_to_all,
        coordinator_id=room_request.requester_id,
        created_by_id=actor.id,
        status=ActivityStatus.PLANNED,
        sequence=0,
    )
    db.session.add(activity)
    db.session.flush()
    room_request.status = RequestStatus.APPROVED
    room_request.decided_by_id, room_request.decided_at = actor.id, utcnow()
    room_request.activity_id = activity.id
    if room_request.requester is not None:
        _mail(
            room_request.requester,
            _l("Your room request is approved: %(title)s", title=room_request.title),
            "activities/email/request_approved.txt",
            activity=activity,
            room_request=room_request,
        )
    record(actor, "room_request.approved", room_request, activity_id=activity.id)
    db.session.commit()
    return activity


def decline_request(actor, room_request: RoomRequest, reason: str) -> None:
    require(permissions.can_decide_request(actor, room_request))
    reason = _text(reason, "reason", 500, required=True)
    changed = db.session.execute(
        sa.update(RoomRequest)
        .where(RoomRequest.id == room_request.id, RoomRequest.status == RequestStatus.PENDING)
        .values(
            status=RequestStatus.DECLINED, decline_reason=reason, decided_by_id=actor.id, decided_at=utcnow()
        )
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict(_l("This request has already been decided."))
    db.session.refresh(room_request)
    if room_request.requester is not None:
        _mail(
            room_request.requester,
            _l("Your room request: %(title)s", title=room_request.title),
            "activities/email/request_declined.txt",
            room_request=room_request,
            reason=reason,
        )
    record(actor, "room_request.declined", room_request, reason=reason)
    db.session.commit()


# --- places -------------------------------------------------------------------------------------------


def _place_values(name: str, description: str, capacity: int | None, except_id: int | None = None) -> dict:
    name = _text(name, "name", 120, required=True)
    taken = sa.select(Place.id).where(sa.func.lower(Place.name) == name.lower())
    if except_id is not None:
        taken = taken.where(Place.id != except_id)
    if db.session.scalar(taken) is not None:
        raise InvalidInput(_l("A place with this name exists already."), field="name")
    return {
        "name": name,
        "description": _text(description, "description", 500),
        "capacity": _positive(capacity, "capacity"),
    }


def create_place(actor, name: str, description: str = "", capacity: int | None = None) -> Place:
    require(permissions.can_manage(actor))
    values = _place_values(name, description, capacity)
    position = (db.session.scalar(sa.select(sa.func.max(Place.position))) or 0) + 1
    place = Place(position=position, active=True, **values)
    db.session.add(place)
    db.session.flush()
    record(actor, "place.created", place, name=place.name)
    db.session.commit()
    return place


def update_place(
    actor, place: Place, name: str, description: str = "", capacity: int | None = None, active: bool = True
) -> None:
    require(permissions.can_manage(actor))
    values = _place_values(name, description, capacity, except_id=place.id)
    for key, value in values.items():
        setattr(place, key, value)
    place.active = bool(active)
    record(actor, "place.updated", place, **values, active=place.active)
    db.session.commit()


# --- the personal calendar feed, reminders -----------------------------------------------------------------


def calendar_token(actor, reset: bool = False) -> str:
    """The secret of the resident's personal feed: made on first request; ``reset`` makes the old link
    stop working."""
    require(permissions.can_have_calendar(actor))
    if reset or not actor.calendar_token:
        actor.calendar_token = secrets.token_urlsafe(32)
        db.session.commit()
    return actor.calendar_token


def user_for_calendar(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(User).where(User.calendar_token == token))


def send_reminders(now: datetime | None = None) -> int:
    """E-mail the people registered for, or volunteering at, activities starting within 24 hours: one
    e-mail per person per activity, naming what they signed up for, and never twice. Each sign-up's
    reminded_at mark is set in the same transaction, with the activities locked, so two crons never send
    twice; a sign-up made after its person was reminded is marked without another e-mail."""
    now = now or utcnow()
    due_now = sa.and_(
        Signup.status == SignupStatus.REGISTERED,
        Signup.reminded_at.is_(None),
        Activity.status == ActivityStatus.PLANNED,
        Activity.starts_at > now,
        Activity.starts_at <= now + REMINDER_AHEAD,
    )
    due_ids = sa.select(Signup.activity_id).join(Signup.activity).where(due_now)
    activity_ids = sorted(set(db.session.scalars(due_ids)))
    if not activity_ids:
        return 0
    lock(activity_ids=activity_ids)
    due = db.session.scalars(
        sa.select(Signup)
        .join(Signup.activity)
        .options(joinedload(Signup.user), joinedload(Signup.role))
        .where(due_now, Signup.activity_id.in_(activity_ids))
        .order_by(Signup.activity_id, Signup.user_id, Signup.id)
        .execution_options(populate_existing=True)
    ).all()
    already = set(
        db.session.execute(
            sa.select(Signup.activity_id, Signup.user_id).where(
                Signup.activity_id.in_(activity_ids),
                Signup.status.in_(queries.LIVE),
                Signup.reminded_at.is_not(None),
            )
        ).all()
    )
    people: dict[tuple[int, int | None], list[Signup]] = {}
    for signup in due:
        people.setdefault((signup.activity_id, signup.user_id), []).append(signup)
    sent = 0
    for (activity_id, user_id), signups in people.items():
        claimed = db.session.execute(
            sa.update(Signup)
            .where(Signup.id.in_([signup.id for signup in signups]), Signup.reminded_at.is_(None))
            .values(reminded_at=now),
            execution_options={"synchronize_session": False},
        ).rowcount
        user = signups[0].user
        if not claimed or user is None or (activity_id, user_id) in already:
            continue
        activity = db.session.get(Activity, activity_id)
        _mail(
            user,
            _l("Reminder: %(title)s", title=activity.title),
            "activities/email/reminder.txt",
            activity=activity,
            attending=any(signup.role_id is None for signup in signups),
            roles=[signup.role.name for signup in signups if signup.role is not None],
        )
        sent += 1
    db.session.commit()
    return sent
