"""Scheduling, series across daylight-saving changes, overlap refusal, capacity and the waiting list, role
slots, reports that complete a proposal, room requests, reminders and calendar links."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.activities.models import Activity, RoomRequest, Signup
from app.activities.services.calendar import calendar_token, user_for_calendar
from app.activities.services.inputs import ActivityInput, RoomRequestInput
from app.activities.services.reminders import send_reminders
from app.activities.services.reports import cancel_activity, mark_held
from app.activities.services.roles import roles_text
from app.activities.services.rooms import approve_request, decline_request, request_room
from app.activities.services.scheduling import schedule_activity, update_activity
from app.activities.services.signups import cancel_signup, sign_up
from app.activities.times import WARSAW, local
from app.audit.models import AuditEvent
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotAllowed
from app.outbox.models import OutboxMessage
from app.proposals.models import Pledge, ProposalEvent, Status
from tests.activities.factories import in_days, make_activity, make_place, sign
from tests.proposals.factories import make_proposal


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def data(place, day: date, starts="18:00", ends="20:00", **extra) -> ActivityInput:
    values = {
        "title": "Kawiarenka naprawcza",
        "description": "Naprawiamy **razem**.",
        "day": day,
        "starts": time.fromisoformat(starts),
        "ends": time.fromisoformat(ends),
        "place_id": place.id,
    }
    values.update(extra)
    return ActivityInput(**values)


def outbox(session) -> list[dict]:
    """E-mails queued so far (services queue them; a request sends them after commit)."""
    return [
        {"to": m.recipient, "subject": m.subject, "body": m.body}
        for m in session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
    ]


def next_week() -> date:
    return local(utcnow()).date() + timedelta(days=7)


# --- scheduling -----------------------------------------------------------------------------------


def test_scheduling_a_selected_proposal_moves_it_to_scheduled(session, users):
    moderator, author, helper = users.moderator(), users.resident(), users.resident()
    proposal = make_proposal(session, author, status=Status.SELECTED)
    session.add(Pledge(proposal_id=proposal.id, user_id=helper.id, kind="coordinate"))
    session.commit()
    place = make_place(session)

    [activity] = schedule_activity(
        moderator,
        data(
            place,
            next_week(),
            capacity=12,
            coordinator_id=helper.id,
            roles="przygotować salę: 2\nprzynieść herbatę: 1",
        ),
        proposal,
    )

    assert activity.proposal_id == proposal.id and activity.coordinator_id == helper.id
    assert [(r.name, r.slots) for r in activity.roles] == [("przygotować salę", 2), ("przynieść herbatę", 1)]
    assert local(activity.starts_at).hour == 18 and activity.capacity == 12
    session.refresh(proposal)
    assert proposal.status == Status.SCHEDULED
    events = session.scalars(
        sa.select(ProposalEvent).where(
            ProposalEvent.proposal_id == proposal.id, ProposalEvent.kind == "status"
        )
    ).all()
    assert [e.to_status for e in events] == [Status.SCHEDULED]
    assert [m["to"] for m in outbox(session)] == [author.email]  # the author hears the proposal moved on
    actions = session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "activity.scheduled" in actions and "proposal.scheduled" in actions


@pytest.mark.parametrize(
    "status", [Status.ACCEPTED, Status.SUBMITTED, Status.NOT_SELECTED, Status.REJECTED]
)
def test_only_selected_proposals_can_be_scheduled_and_refusal_writes_nothing(session, users, status):
    proposal = make_proposal(session, users.resident(), status=status)
    place = make_place(session)
    before = count(session, Activity), count(session, ProposalEvent)
    with pytest.raises(NotAllowed):
        schedule_activity(users.moderator(), data(place, next_week()), proposal)
    assert (count(session, Activity), count(session, ProposalEvent)) == before


def test_a_second_activity_of_a_scheduled_proposal_keeps_it_scheduled(session, users):
    moderator = users.moderator()
    proposal = make_proposal(session, users.resident(), status=Status.SELECTED)
    place = make_place(session)
    schedule_activity(moderator, data(place, next_week()), proposal)
    schedule_activity(moderator, data(place, next_week() + timedelta(days=1)), proposal)
    session.refresh(proposal)
    assert proposal.status == Status.SCHEDULED
    assert count(session, Activity) == 2


def test_an_implemented_proposal_gets_another_activity_and_stays_implemented(session, users):
    """A repeating idea (weekly cooking): after the first activity is held, the next can be scheduled."""
    moderator = users.moderator()
    proposal = make_proposal(session, users.resident(), status=Status.SELECTED)
    place = make_place(session)
    [first] = schedule_activity(moderator, data(place, local(utcnow()).date() - timedelta(days=7)),
                                         proposal)
    mark_held(moderator, first, "Gotowaliśmy pierogi.", 12)
    session.refresh(proposal)
    assert proposal.status == Status.IMPLEMENTED

    [second] = schedule_activity(moderator, data(place, next_week()), proposal)

    session.refresh(proposal)
    assert second.proposal_id == proposal.id and proposal.status == Status.IMPLEMENTED
    assert count(session, Activity) == 2


def test_activities_without_a_proposal_and_residents_cannot_schedule(session, users):
    place = make_place(session)
    [activity] = schedule_activity(users.admin(), data(place, next_week()))
    assert activity.proposal_id is None
    for actor in (users.resident(), users.steering(), users.unverified(), None):
        with pytest.raises(NotAllowed):
            schedule_activity(actor, data(place, next_week() + timedelta(days=2)))
    assert count(session, Activity) == 1


def test_coordinator_must_be_a_verified_resident(session, users):
    place = make_place(session)
    with pytest.raises(InvalidInput) as error:
        schedule_activity(
            users.moderator(), data(place, next_week(), coordinator_id=users.unverified().id)
        )
    assert error.value.field == "coordinator_id"
    resident = users.resident()
    [activity] = schedule_activity(
        users.moderator(), data(place, next_week(), coordinator_email=resident.email.upper())
    )
    assert activity.coordinator_id == resident.id


@pytest.mark.parametrize("roles", ["herbata: 0", "herbata: 1\nHERBATA: 2", "x" * 130 + ": 1"])
def test_bad_roles_are_refused(session, users, roles):
    with pytest.raises(InvalidInput) as error:
        schedule_activity(users.moderator(), data(make_place(session), next_week(), roles=roles))
    assert error.value.field == "roles"


# --- time zones and series ------------------------------------------------------------------------


def test_weekly_series_keeps_local_time_across_the_october_change(session, users):
    # Summer time ends on Sunday 27 October 2030.
    activities = schedule_activity(
        users.moderator(), data(make_place(session), date(2030, 10, 14), repeat_weeks=4)
    )
    assert [local(a.starts_at).strftime("%Y-%m-%d %H:%M") for a in activities] == [
        "2030-10-14 18:00",
        "2030-10-21 18:00",
        "2030-10-28 18:00",
        "2030-11-04 18:00",
    ]
    assert [a.starts_at.astimezone(UTC).hour for a in activities] == [16, 16, 17, 17]
    assert len({a.series_id for a in activities}) == 1 and activities[0].series_id


def test_weekly_series_keeps_local_time_across_the_march_change(session, users):
    # Summer time starts on Sunday 30 March 2031.
    activities = schedule_activity(
        users.moderator(), data(make_place(session), date(2031, 3, 24), "09:30", "11:00", repeat_weeks=2)
    )
    assert [a.starts_at.astimezone(UTC).strftime("%H:%M") for a in activities] == ["08:30", "07:30"]
    assert [local(a.ends_at).strftime("%H:%M") for a in activities] == ["11:00", "11:00"]


def test_a_time_skipped_by_the_clocks_is_refused(session, users):
    with pytest.raises(InvalidInput) as error:
        schedule_activity(
            users.moderator(), data(make_place(session), date(2031, 3, 30), "02:30", "04:00")
        )
    assert error.value.field == "starts"
    assert count(session, Activity) == 0


def test_end_before_start_is_refused(session, users):
    with pytest.raises(InvalidInput) as error:
        schedule_activity(
            users.moderator(), data(make_place(session), next_week(), "18:00", "17:00")
        )
    assert error.value.field == "ends"


def test_editing_one_activity_or_the_whole_series(session, users):
    moderator = users.moderator()
    place = make_place(session)
    series = schedule_activity(moderator, data(place, date(2030, 10, 14), repeat_weeks=3))
    first, second, third = series
    # One by one: only the second changes.
    update_activity(
        moderator, second, data(place, date(2030, 10, 22), "17:00", "19:00", title="Przeniesione")
    )
    session.expire_all()
    assert (first.title, second.title, third.title) == (
        "Kawiarenka naprawcza",
        "Przeniesione",
        "Kawiarenka naprawcza",
    )
    assert local(second.starts_at) == datetime(2030, 10, 22, 17, 0, tzinfo=WARSAW)
    assert (first.sequence, second.sequence) == (0, 1)
    # Together: every planned activity gets the new time, each on its own day (shifted as the edited one).
    update_activity(
        moderator,
        first,
        data(place, date(2030, 10, 14), "19:00", "21:00", title="Cała seria", roles="herbata: 1"),
        together=True,
    )
    session.expire_all()
    assert {a.title for a in series} == {"Cała seria"}
    assert [local(a.starts_at).strftime("%m-%d %H:%M") for a in series] == [
        "10-14 19:00",
        "10-22 19:00",
        "10-28 19:00",
    ]
    assert all(len(a.roles) == 1 for a in series)


# --- overlaps -------------------------------------------------------------------------------------


def test_overlap_in_the_same_place_is_refused_with_the_clash_named(session, users):
    place = make_place(session, name="Sala główna")
    existing = make_activity(
        session, place=place, starts_at=in_days(7, 17), hours=2, title="Joga dla seniorów"
    )
    day = local(existing.starts_at).date()
    before = count(session, Activity)
    with pytest.raises(Conflict) as error:
        schedule_activity(users.moderator(), data(place, day, "18:30", "20:00"))
    assert "Sala główna" in error.value.message and "Joga dla seniorów" in error.value.message
    assert error.value.field == "place_id"
    assert count(session, Activity) == before


def test_touching_times_other_places_and_cancelled_activities_do_not_clash(session, users):
    moderator = users.moderator()
    place, other = make_place(session), make_place(session)
    existing = make_activity(session, place=place, starts_at=in_days(7, 16), hours=2)  # 16:00–18:00
    make_activity(session, place=place, starts_at=in_days(7, 18), hours=2, status="cancelled")
    day = local(existing.starts_at).date()
    schedule_activity(moderator, data(place, day, "18:00", "20:00"))
    schedule_activity(moderator, data(other, day, "16:00", "18:00"))
    assert count(session, Activity) == 4


def test_a_series_is_refused_whole_when_one_week_clashes(session, users):
    place = make_place(session)
    make_activity(session, place=place, starts_at=datetime(2030, 10, 28, 17, 30, tzinfo=WARSAW), hours=1)
    with pytest.raises(Conflict):
        schedule_activity(users.moderator(), data(place, date(2030, 10, 14), repeat_weeks=3))
    assert count(session, Activity) == 1


def test_moving_an_activity_onto_another_is_refused(session, users):
    place = make_place(session)
    first = make_activity(session, place=place, starts_at=in_days(7, 10), title="Pierwsze")
    second = make_activity(session, place=place, starts_at=in_days(7, 14))
    with pytest.raises(Conflict) as error:
        update_activity(
            users.moderator(), second, data(place, local(first.starts_at).date(), "11:00", "12:00")
        )
    assert "Pierwsze" in error.value.message
    session.expire_all()
    assert local(second.starts_at).hour == 14 and second.sequence == 0


# --- sign-ups, capacity, waiting list, roles ------------------------------------------------------


def test_capacity_then_waiting_list_then_promotion_in_order(session, users):
    activity = make_activity(session, capacity=2)
    a, b, c, d = (users.resident() for _ in range(4))
    statuses = [sign_up(person, activity).status for person in (a, b, c, d)]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]

    cancel_signup(b, activity)

    rows = {s.user_id: s.status for s in session.scalars(sa.select(Signup)).all()}
    assert rows == {a.id: "registered", b.id: "cancelled", c.id: "registered", d.id: "waitlisted"}
    assert [m["to"] for m in outbox(session)] == [c.email]  # the first in the queue, and only them
    assert activity.title in outbox(session)[0]["subject"]


def test_cancelling_from_the_waiting_list_promotes_nobody(session, users):
    activity = make_activity(session, capacity=1)
    a, b = users.resident(), users.resident()
    sign_up(a, activity)
    sign_up(b, activity)
    cancel_signup(b, activity)
    assert {s.user_id: s.status for s in session.scalars(sa.select(Signup))} == {
        a.id: "registered",
        b.id: "cancelled",
    }
    assert outbox(session) == []


def test_signing_up_twice_is_refused_but_again_after_cancelling_is_fine(session, users):
    activity = make_activity(session)
    person = users.resident()
    sign_up(person, activity)
    with pytest.raises(Conflict):
        sign_up(person, activity)
    cancel_signup(person, activity)
    assert sign_up(person, activity).status == "registered"
    assert count(session, Signup) == 2


def test_role_slots_are_never_exceeded(session, users):
    activity = make_activity(session, roles=[("przynieść herbatę", 1)])
    [role] = activity.roles
    first, second = users.resident(), users.resident()
    sign_up(first, activity, role.id)
    with pytest.raises(Conflict):
        sign_up(second, activity, role.id)
    assert count(session, Signup) == 1
    cancel_signup(first, activity, role.id)
    sign_up(second, activity, role.id)
    live = session.scalars(sa.select(Signup).where(Signup.status == "registered")).all()
    assert [s.user_id for s in live] == [second.id]


def test_a_volunteer_can_also_attend(session, users):
    activity = make_activity(session, capacity=1, roles=[("przygotować salę", 2)])
    person = users.resident()
    sign_up(person, activity, activity.roles[0].id)
    assert sign_up(person, activity).status == "registered"


def test_who_may_sign_up(session, users):
    open_activity = make_activity(session)
    residents_only = make_activity(session, open_to_all=False)
    unverified = users.unverified()
    assert sign_up(unverified, open_activity).status == "registered"
    with pytest.raises(NotAllowed):
        sign_up(unverified, residents_only)
    volunteer_activity = make_activity(session, roles=[("herbata", 1)])
    with pytest.raises(NotAllowed):
        sign_up(unverified, volunteer_activity, volunteer_activity.roles[0].id)
    with pytest.raises(NotAllowed):
        sign_up(users.resident(email_verified=False), open_activity)
    for status, starts_at in (("cancelled", in_days(3)), ("planned", in_days(-1))):
        closed = make_activity(session, status=status, starts_at=starts_at)
        with pytest.raises(NotAllowed):
            sign_up(users.resident(), closed)
    assert count(session, Signup) == 1


def test_raising_the_capacity_promotes_and_lowering_below_registered_is_refused(session, users):
    moderator = users.moderator()
    activity = make_activity(session, capacity=1)
    a, b = users.resident(), users.resident()
    sign_up(a, activity)
    sign_up(b, activity)
    day = local(activity.starts_at).date()
    update_activity(moderator, activity, data(activity.place, day, capacity=2))
    assert {s.user_id: s.status for s in session.scalars(sa.select(Signup))} == {
        a.id: "registered",
        b.id: "registered",
    }
    assert [m["to"] for m in outbox(session)] == [b.email]
    with pytest.raises(InvalidInput) as error:
        update_activity(moderator, activity, data(activity.place, day, capacity=1))
    assert error.value.field == "capacity"


# --- held, cancelled, the proposal's progress -----------------------------------------------------


def test_coordinator_report_completes_the_proposal_when_all_activities_are_held(session, users):
    coordinator = users.resident()
    proposal = make_proposal(session, users.resident(), status=Status.SCHEDULED)
    first = make_activity(session, proposal=proposal, coordinator=coordinator, starts_at=in_days(-3))
    second = make_activity(session, proposal=proposal, coordinator=coordinator, starts_at=in_days(-1))

    mark_held(coordinator, first, "Przyszło 12 osób. Następnym razem więcej krzeseł.", 12)
    session.refresh(proposal)
    assert proposal.status == Status.SCHEDULED  # one activity still to report

    cancel_activity(users.moderator(), second, "Awaria ogrzewania")
    session.refresh(proposal)
    assert proposal.status == Status.IMPLEMENTED
    session.refresh(first)
    assert (first.status, first.attendance, first.sequence) == ("held", 12, 1)
    assert "<p>" in first.report_html


def test_marking_held_needs_a_report_a_started_activity_and_the_right_person(session, users):
    coordinator = users.resident()
    past = make_activity(session, coordinator=coordinator, starts_at=in_days(-1))
    future = make_activity(session, coordinator=coordinator, starts_at=in_days(2))
    with pytest.raises(InvalidInput):
        mark_held(coordinator, past, "   ", 3)
    with pytest.raises(InvalidInput):
        mark_held(coordinator, past, "Było super", None)
    with pytest.raises(NotAllowed):
        mark_held(coordinator, future, "Było super", 3)
    for actor in (users.resident(), users.steering(), None):
        with pytest.raises(NotAllowed):
            mark_held(actor, past, "Było super", 3)
    session.expire_all()
    assert (past.status, future.status) == ("planned", "planned")
    mark_held(coordinator, past, "Było super", 3)
    with pytest.raises(NotAllowed):
        mark_held(users.moderator(), past, "Jeszcze raz", 3)


def test_cancelling_tells_everyone_signed_up(session, users):
    activity = make_activity(session, capacity=1, roles=[("herbata", 1)])
    a, b, c = users.resident(), users.resident(), users.resident()
    sign(session, activity, a)
    sign(session, activity, b, status="waitlisted")
    sign(session, activity, c, role=activity.roles[0])
    sign(session, activity, users.resident(), status="cancelled")
    with pytest.raises(InvalidInput):
        cancel_activity(users.moderator(), activity, "")
    cancel_activity(users.moderator(), activity, "Choroba prowadzącej")
    assert sorted(m["to"] for m in outbox(session)) == sorted([a.email, b.email, c.email])
    assert all("Choroba prowadzącej" in m["body"] for m in outbox(session))
    session.refresh(activity)
    assert (activity.status, activity.cancel_reason, activity.sequence) == (
        "cancelled",
        "Choroba prowadzącej",
        1,
    )


# --- room requests --------------------------------------------------------------------------------


def request_data(place, day=None, **extra) -> RoomRequestInput:
    values = {
        "title": "Koło dziewiarskie",
        "description": "Spotykamy się i robimy na drutach.",
        "day": day or next_week(),
        "starts": time(10),
        "ends": time(12),
        "place_id": place.id,
        "expected_people": 8,
    }
    values.update(extra)
    return RoomRequestInput(**values)


def test_room_request_approved_enters_the_calendar_with_the_requester_coordinating(session, users):
    requester = users.resident()
    room_request = request_room(requester, request_data(make_place(session), organisation="KGW"))
    assert room_request.status == "pending"
    moderator = users.moderator()
    activity = approve_request(moderator, room_request)
    session.refresh(room_request)
    assert (room_request.status, room_request.activity_id, room_request.decided_by_id) == (
        "approved",
        activity.id,
        moderator.id,
    )
    assert activity.coordinator_id == requester.id and activity.title == "Koło dziewiarskie"
    assert local(activity.starts_at).hour == 10
    assert [m["to"] for m in outbox(session)] == [requester.email]
    with pytest.raises(NotAllowed):
        approve_request(moderator, room_request)
    assert count(session, Activity) == 1


def test_room_request_declined_with_a_reason(session, users):
    requester = users.resident()
    room_request = request_room(requester, request_data(make_place(session)))
    with pytest.raises(InvalidInput):
        decline_request(users.moderator(), room_request, " ")
    decline_request(users.moderator(), room_request, "Sala jest w remoncie.")
    session.refresh(room_request)
    assert (room_request.status, room_request.decline_reason) == ("declined", "Sala jest w remoncie.")
    assert [m["to"] for m in outbox(session)] == [requester.email] and "Sala jest w remoncie." in outbox(
        session
    )[0]["body"]
    assert count(session, Activity) == 0


def test_approval_is_refused_when_the_place_has_been_taken_since(session, users):
    place = make_place(session)
    room_request = request_room(users.resident(), request_data(place))
    schedule_activity(users.moderator(), data(place, next_week(), "11:00", "13:00"))
    with pytest.raises(Conflict):
        approve_request(users.moderator(), room_request)
    session.refresh(room_request)
    assert room_request.status == "pending"


def test_who_may_request_a_room(session, users):
    place = make_place(session)
    for actor in (None, users.unverified()):
        with pytest.raises(NotAllowed):
            request_room(actor, request_data(place))
    with pytest.raises(InvalidInput):
        request_room(users.resident(), request_data(place, day=date(2020, 1, 1)))
    assert count(session, RoomRequest) == 0


# --- reminders and calendar links -----------------------------------------------------------------


def test_reminders_go_once_to_registered_people_and_volunteers_24_hours_ahead(session, users):
    now = utcnow()
    soon = make_activity(session, starts_at=now + timedelta(hours=20), capacity=1, roles=[("herbata", 1)])
    later = make_activity(session, starts_at=now + timedelta(hours=30))
    attendee, waiting, volunteer, other = (users.resident() for _ in range(4))
    sign(session, soon, attendee)
    sign(session, soon, waiting, status="waitlisted")
    sign(session, soon, volunteer, role=soon.roles[0])
    sign(session, later, other)

    assert send_reminders(now) == 2
    assert sorted(m["to"] for m in outbox(session)) == sorted([attendee.email, volunteer.email])
    assert send_reminders(now) == 0
    assert send_reminders(now + timedelta(hours=7)) == 1  # the later one is now due
    assert len(outbox(session)) == 3


def test_calendar_link_is_made_once_and_can_be_reset(session, users):
    person = users.resident()
    token = calendar_token(person)
    assert len(token) >= 40 and calendar_token(person) == token
    assert user_for_calendar(token).id == person.id
    new = calendar_token(person, reset=True)
    assert new != token and user_for_calendar(token) is None
    with pytest.raises(NotAllowed):
        calendar_token(None)


# --- audit fixes: the start of an activity, series edits, changes, reminders ------------------------


def started_minutes_ago(minutes: int = 30) -> datetime:
    """A whole-minute instant in the past (the edit form speaks HH:mm, so re-saving keeps it)."""
    return (utcnow() - timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def hours_left_that_day(start: datetime, wanted: float) -> float:
    """``wanted`` hours, or fewer so that the activity ends by 23:59 of its day in Warsaw: the edit form
    has one date, so an activity past midnight could not be saved back unchanged (whatever the time
    the tests run at)."""
    end_of_day = local(start).replace(hour=23, minute=59, second=0, microsecond=0)
    return min(wanted, (end_of_day - local(start)).total_seconds() / 3600)


def form_for(activity, **extra) -> ActivityInput:
    """The edit form as it comes back unchanged (what a moderator saves without touching the time)."""
    start, end = local(activity.starts_at), local(activity.ends_at)
    values = {
        "title": activity.title,
        "description": activity.description,
        "day": start.date(),
        "starts": start.time(),
        "ends": end.time(),
        "place_id": activity.place_id,
        "capacity": activity.capacity,
        "roles": roles_text(activity),
    }
    values.update(extra)
    return ActivityInput(**values)


def test_cancelling_after_the_start_is_refused_and_promotes_nobody(session, users):
    activity = make_activity(session, capacity=1, starts_at=started_minutes_ago(), roles=[("herbata", 1)])
    attendee, waiting, volunteer = users.resident(), users.resident(), users.resident()
    sign(session, activity, attendee)
    sign(session, activity, waiting, status="waitlisted")
    sign(session, activity, volunteer, role=activity.roles[0])

    with pytest.raises(NotAllowed) as error:
        cancel_signup(attendee, activity)
    assert error.value.message == "Wydarzenie już się rozpoczęło, więc zapisu nie można już anulować."
    with pytest.raises(NotAllowed):
        cancel_signup(volunteer, activity, activity.roles[0].id)

    statuses = {s.user_id: s.status for s in session.scalars(sa.select(Signup))}
    assert statuses == {attendee.id: "registered", waiting.id: "waitlisted", volunteer.id: "registered"}
    assert outbox(session) == []


def test_no_promotion_after_the_start_even_when_places_are_added(session, users):
    start = started_minutes_ago()
    activity = make_activity(session, capacity=1, starts_at=start, hours=hours_left_that_day(start, 3))
    attendee, waiting = users.resident(), users.resident()
    sign(session, activity, attendee)
    sign(session, activity, waiting, status="waitlisted")
    update_activity(users.moderator(), activity, form_for(activity, capacity=5))
    statuses = {s.user_id: s.status for s in session.scalars(sa.select(Signup))}
    assert statuses == {attendee.id: "registered", waiting.id: "waitlisted"}
    assert outbox(session) == []


def test_a_cancellation_before_the_start_still_promotes(session, users):
    activity = make_activity(session, capacity=1, starts_at=utcnow() + timedelta(minutes=30))
    attendee, waiting = users.resident(), users.resident()
    sign(session, activity, attendee)
    sign(session, activity, waiting, status="waitlisted")
    cancel_signup(attendee, activity)
    assert session.scalar(sa.select(Signup.status).where(Signup.user_id == waiting.id)) == "registered"
    assert [m["to"] for m in outbox(session)] == [waiting.email]


def test_editing_a_series_together_moves_only_occurrences_that_have_not_started(session, users):
    place = make_place(session)
    series_id = "a" * 32
    past = make_activity(session, place=place, starts_at=in_days(-7), series_id=series_id, title="Seria")
    running = make_activity(
        session, place=place, starts_at=started_minutes_ago(), series_id=series_id, title="Seria"
    )
    coming = make_activity(session, place=place, starts_at=in_days(7), series_id=series_id, title="Seria")
    last = make_activity(session, place=place, starts_at=in_days(14), series_id=series_id, title="Seria")
    before = {a.id: (a.starts_at, a.ends_at) for a in (past, running)}

    update_activity(
        users.moderator(),
        coming,
        data(place, local(coming.starts_at).date(), "19:00", "21:00", title="Seria o 19"),
        together=True,
    )

    session.expire_all()
    for activity in (past, running):
        assert (activity.starts_at, activity.ends_at) == before[activity.id]
        assert (activity.title, activity.sequence) == ("Seria", 0)
    assert [local(a.starts_at).strftime("%H:%M") for a in (coming, last)] == ["19:00", "19:00"]
    assert [a.title for a in (coming, last)] == ["Seria o 19", "Seria o 19"]


def test_a_new_time_is_e_mailed_to_everyone_signed_up_and_the_reminder_is_due_again(session, users):
    moderator = users.moderator()
    activity = make_activity(session, capacity=1, starts_at=in_days(1, 18), roles=[("herbata", 2)])
    attendee, waiting, volunteer, gone = (users.resident() for _ in range(4))
    signups = [
        sign(session, activity, attendee),
        sign(session, activity, attendee, role=activity.roles[0]),  # attends and helps
        sign(session, activity, waiting, status="waitlisted"),
        sign(session, activity, volunteer, role=activity.roles[0]),
        sign(session, activity, gone, status="cancelled"),
    ]
    for signup in signups:
        signup.reminded_at = utcnow()
    session.commit()
    old_when = local(activity.starts_at)
    new_day = old_when.date() + timedelta(days=2)

    update_activity(
        moderator, activity, form_for(activity, day=new_day, starts=time(17), ends=time(19))
    )

    mails = outbox(session)
    assert sorted(m["to"] for m in mails) == sorted([attendee.email, waiting.email, volunteer.email])
    mail = mails[0]
    assert activity.title in mail["subject"] and mail["subject"].startswith("Nowy termin lub miejsce")
    assert f"{new_day.day} " in mail["body"] and "17:00–19:00" in mail["body"]
    assert "Wcześniej:" in mail["body"] and "18:00–20:00" in mail["body"]
    assert f"/activities/{activity.id}" in mail["body"]
    session.expire_all()
    assert all(s.reminded_at is None for s in session.scalars(sa.select(Signup)))
    # The reminder comes again, 24 hours before the new time, to the attendee (once) and the volunteer.
    day_before = activity.starts_at - timedelta(hours=20)
    assert send_reminders(day_before) == 2
    assert sorted(m["to"] for m in outbox(session)[3:]) == sorted([attendee.email, volunteer.email])


def test_a_new_place_is_e_mailed_but_other_edits_are_not(session, users):
    moderator = users.moderator()
    activity = make_activity(session)
    person = users.resident()
    sign(session, activity, person)
    update_activity(moderator, activity, form_for(activity, title="Nowy tytuł", capacity=30))
    assert outbox(session) == []
    other = make_place(session, name="Ogród za domem")
    update_activity(moderator, activity, form_for(activity, place_id=other.id))
    [mail] = outbox(session)
    assert mail["to"] == person.email and "Ogród za domem" in mail["body"]


def test_moving_a_series_together_sends_one_e_mail_per_person(session, users):
    moderator = users.moderator()
    place = make_place(session)
    series = schedule_activity(moderator, data(place, next_week(), repeat_weeks=3))
    person = users.resident()
    for activity in series[:2]:
        sign(session, activity, person)
    update_activity(moderator, series[0], data(place, next_week(), "10:00", "12:00"), together=True)
    [mail] = outbox(session)
    assert mail["to"] == person.email
    assert mail["body"].count("10:00–12:00") == 2
    assert "Zmienił się termin lub miejsce wydarzeń" in mail["body"]


def test_one_reminder_per_person_per_activity_naming_every_role(session, users):
    now = utcnow()
    soon = make_activity(
        session, starts_at=now + timedelta(hours=20), roles=[("herbata", 1), ("sprzątanie", 2)]
    )
    helper, guest, late = users.resident(), users.resident(), users.resident()
    sign(session, soon, helper)
    sign(session, soon, helper, role=soon.roles[0])
    sign(session, soon, helper, role=soon.roles[1])
    sign(session, soon, guest)

    assert send_reminders(now) == 2
    mails = {m["to"]: m["body"] for m in outbox(session)}
    assert sorted(mails) == sorted([helper.email, guest.email])
    assert "Masz miejsce na tym wydarzeniu." in mails[helper.email]
    assert "herbata, sprzątanie" in mails[helper.email]
    assert "herbata" not in mails[guest.email] and "Masz miejsce na tym wydarzeniu." in mails[guest.email]
    assert all(s.reminded_at is not None for s in session.scalars(sa.select(Signup)))

    # Someone already reminded who then volunteers gets no second reminder; a newcomer gets theirs.
    sign(session, soon, guest, role=soon.roles[1])
    sign(session, soon, late)
    assert send_reminders(now + timedelta(minutes=15)) == 1
    assert [m["to"] for m in outbox(session)[2:]] == [late.email]
    assert send_reminders(now + timedelta(minutes=30)) == 0
    assert all(s.reminded_at is not None for s in session.scalars(sa.select(Signup)))


def test_the_clash_message_reads_well_in_polish(session, users):
    place = make_place(session, name="Sala główna")
    existing = make_activity(session, place=place, starts_at=datetime(2030, 11, 30, 18, tzinfo=WARSAW))
    with pytest.raises(Conflict) as error:
        schedule_activity(users.moderator(), data(place, date(2030, 11, 30), "19:00", "21:00"))
    assert error.value.message == (
        f"Miejsce „Sala główna” jest w tym czasie zajęte przez „{existing.title}” "
        "(sobota, 30 listopada 2030, 18:00–20:00). Wybierz inny termin lub miejsce."
    )


# --- the permission is checked again under the activity's lock ------------------------------------


def cancelled_meanwhile(session, activity: Activity) -> None:
    """Another request cancels the activity and commits after this one loaded it (still "planned" here)."""
    session.execute(sa.update(Activity).where(Activity.id == activity.id).values(status="cancelled"),
                    execution_options={"synchronize_session": False})
    session.commit()
    session.refresh(activity)
    set_committed_value(activity, "status", "planned")


@pytest.mark.parametrize("as_volunteer", [False, True], ids=["attend", "volunteer"])
def test_signing_up_to_an_activity_cancelled_meanwhile_is_refused(session, users, as_volunteer):
    activity = make_activity(session, roles=[("herbata", 2)])
    role_id = activity.roles[0].id if as_volunteer else None
    resident = users.resident()
    cancelled_meanwhile(session, activity)

    with pytest.raises(NotAllowed) as error:
        sign_up(resident, activity, role_id)

    assert error.value.message == "Zapisy na to wydarzenie są zamknięte."
    assert count(session, Signup) == 0


def test_cancelling_a_sign_up_of_an_activity_cancelled_meanwhile_is_refused(session, users):
    activity = make_activity(session, capacity=1)
    attendee, waiting = users.resident(), users.resident()
    sign(session, activity, attendee)
    sign(session, activity, waiting, status="waitlisted")
    cancelled_meanwhile(session, activity)

    with pytest.raises(NotAllowed) as error:
        cancel_signup(attendee, activity)

    assert error.value.message == "To wydarzenie już się zakończyło; zapisów nie można zmieniać."
    statuses = {s.user_id: s.status for s in session.scalars(sa.select(Signup))}
    assert statuses == {attendee.id: "registered", waiting.id: "waitlisted"}
    assert outbox(session) == []  # nobody promoted into a cancelled activity
