"""What the shared route × role table (tests/test_permissions.py) needs for the activities routes: the rows a
route acts on (``subject`` functions return the URL placeholders) and checks of the requests carried out."""

from __future__ import annotations

from app.activities.models import Activity, Place, RoomRequest, Signup, VolunteerRole
from tests.activities.factories import in_days, make_activity, make_place

ONLY_MODERATORS = "Tylko moderatorzy mogą zarządzać kalendarzem wydarzeń."
ONLY_COORDINATOR = "Może to zrobić tylko osoba koordynująca to wydarzenie lub moderator."
ONLY_LISTS = "Listę zapisanych widzą tylko osoba koordynująca to wydarzenie i moderatorzy."
ONLY_VERIFIED_VOLUNTEER = "Tylko zweryfikowani mieszkańcy mogą zgłaszać się do pomocy."
ONLY_VERIFIED_ROOM = "Tylko zweryfikowani mieszkańcy mogą prosić o salę."
NOT_SIGNED_UP = "Nie masz zapisu."
NOT_FOUND = "Nie znaleźliśmy tej strony."

EMPTY_ACTIVITY = {
    "title": "",
    "description": "",
    "day": "",
    "starts": "",
    "ends": "",
    "place_id": "",
    "capacity": "",
    "coordinator_id": "",
    "coordinator_email": "",
    "roles": "",
    "repeat_weeks": "",
}
EMPTY_REQUEST = {
    "title": "",
    "description": "",
    "organisation": "",
    "day": "",
    "starts": "",
    "ends": "",
    "place_id": "",
    "expected_people": "",
}


def activity(session, users, actor):
    """A planned activity next week, coordinated by another resident, with one volunteer role."""
    item = make_activity(session, coordinator=users.resident(), capacity=10, roles=[("przynieść herbatę", 2)])
    return {"activity_id": item.id, "role_id": item.roles[0].id, "place_id": item.place_id}


def past_activity(session, users, actor):
    item = make_activity(session, coordinator=users.resident(), starts_at=in_days(-1))
    return {"activity_id": item.id}


def room_request(session, users, actor):
    place = make_place(session)
    item = RoomRequest(
        requester_id=users.resident().id,
        title="Koło szachowe",
        description="Gramy w szachy.",
        place_id=place.id,
        starts_at=in_days(9),
        ends_at=in_days(9, 20),
        status="pending",
    )
    session.add(item)
    session.commit()
    return {"request_id": item.id}


def _rows(state, table, **where):
    return [row for row in state[table] if all(getattr(row, k) == v for k, v in where.items())]


def calendar_link_made(ctx, before, after):
    [row] = _rows(after, "users", id=ctx.actor.id)
    assert row.calendar_token and len(row.calendar_token) >= 40


def held(ctx, before, after):
    [row] = _rows(after, "activities", id=ctx.values["activity_id"])
    assert (row.status, row.attendance) == ("held", 5)
    assert after["audit_events"][-1].action == "activity.held"


def signed_up(ctx, before, after):
    [row] = _rows(after, "signups", activity_id=ctx.values["activity_id"])
    assert (row.user_id, row.role_id, row.status) == (ctx.actor.id, None, "registered")


def volunteered(ctx, before, after):
    [row] = _rows(after, "signups", activity_id=ctx.values["activity_id"])
    assert (row.user_id, row.role_id, row.status) == (ctx.actor.id, ctx.values["role_id"], "registered")


def place_added(ctx, before, after):
    [new] = [row for row in after["places"] if row not in before["places"]]
    assert new.name == "Ogród społeczny" and new.capacity == 40
    assert after["audit_events"][-1].action == "place.created"


def approved(ctx, before, after):
    [row] = _rows(after, "room_requests", id=ctx.values["request_id"])
    assert row.status == "approved" and row.activity_id is not None
    [new] = _rows(after, "activities", id=row.activity_id)
    assert new.coordinator_id == row.requester_id
    assert len(after["outbox_messages"]) == len(before["outbox_messages"]) + 1


TABLES = {
    "activities": Activity.__table__,
    "places": Place.__table__,
    "volunteer_roles": VolunteerRole.__table__,
    "signups": Signup.__table__,
    "room_requests": RoomRequest.__table__,
}
