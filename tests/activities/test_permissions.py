"""Every activity action × every role, plus the coordinator of this activity: who may, who is sent to sign in,
who is refused — and a refused request writes nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.activities.models import Activity, Place, RoomRequest, Signup, VolunteerRole
from app.audit.models import AuditEvent
from app.auth.models import User
from app.outbox.models import OutboxMessage
from app.proposals.models import Proposal, ProposalEvent, Status
from tests.activities.factories import in_days, make_activity, make_place
from tests.proposals.factories import make_proposal

ROLES = ("anonymous", "unverified", "resident", "moderator", "steering", "admin", "coordinator")
SIGN_IN = 302
TABLES = [
    Activity,
    Place,
    RoomRequest,
    Signup,
    VolunteerRole,
    AuditEvent,
    OutboxMessage,
    Proposal,
    ProposalEvent,
    User,
]


def table(**statuses) -> dict[str, int]:
    """Start from "signed-in users are refused" and override."""
    base = {role: 403 for role in ROLES}
    base["anonymous"] = SIGN_IN
    base.update(statuses)
    return base


def staff(status: int) -> dict[str, int]:
    return table(moderator=status, admin=status)


def staff_and_coordinator(status: int) -> dict[str, int]:
    return table(moderator=status, admin=status, coordinator=status)


def everyone_signed_in(status: int, **overrides) -> dict[str, int]:
    base = {role: status for role in ROLES}
    base["anonymous"] = SIGN_IN
    base.update(overrides)
    return base


def _state(session):
    return {
        model.__tablename__: session.execute(sa.select(model.__table__).order_by(model.__table__.c.id)).all()
        for model in TABLES
    }


def _world(session, users):
    """A future activity and a past one coordinated by the same resident, a selected proposal, a pending room
    request."""
    coordinator = users.resident()
    place = make_place(session)
    future = make_activity(
        session,
        place=place,
        coordinator=coordinator,
        capacity=3,
        roles=[("przynieść herbatę", 1)],
        starts_at=in_days(5),
    )
    past = make_activity(session, place=place, coordinator=coordinator, starts_at=in_days(-2))
    proposal = make_proposal(session, users.resident(), status=Status.SELECTED)
    room_request = RoomRequest(
        requester_id=users.resident().id,
        title="Koło szachowe",
        description="Gramy.",
        place_id=place.id,
        starts_at=in_days(9),
        ends_at=in_days(9, 20),
        status="pending",
    )
    session.add(room_request)
    session.commit()
    return {
        "coordinator": coordinator,
        "place": place,
        "future": future,
        "past": past,
        "proposal": proposal,
        "request": room_request,
    }


def _activity_form(w):
    day = in_days(12).date().isoformat()
    return {
        "title": "Sprzątanie skweru",
        "description": "",
        "day": day,
        "starts": "10:00",
        "ends": "12:00",
        "place_id": str(w["place"].id),
        "capacity": "",
        "open_to_all": "y",
        "coordinator_id": "",
        "coordinator_email": "",
        "roles": "worki: 2",
        "repeat_weeks": "1",
        "scope": "one",
    }


# (label, method, url builder, form builder, expected statuses by role)
ACTIONS = [
    ("calendar", "GET", lambda w: "/activities", None, {r: 200 for r in ROLES}),
    ("activity page", "GET", lambda w: f"/activities/{w['future'].id}", None, {r: 200 for r in ROLES}),
    ("feed", "GET", lambda w: "/activities.ics", None, {r: 200 for r in ROLES}),
    ("activity feed", "GET", lambda w: f"/activities/{w['future'].id}.ics", None, {r: 200 for r in ROLES}),
    ("my activities", "GET", lambda w: "/activities/mine", None, everyone_signed_in(200)),
    ("schedule list", "GET", lambda w: "/activities/schedule", None, staff(200)),
    ("new form", "GET", lambda w: f"/activities/new?proposal={w['proposal'].id}", None, staff(200)),
    (
        "schedule",
        "POST",
        lambda w: f"/activities/new?proposal={w['proposal'].id}",
        _activity_form,
        staff(303),
    ),
    ("edit form", "GET", lambda w: f"/activities/{w['future'].id}/edit", None, staff(200)),
    ("edit", "POST", lambda w: f"/activities/{w['future'].id}/edit", _activity_form, staff(303)),
    ("report form", "GET", lambda w: f"/activities/{w['past'].id}/report", None, staff_and_coordinator(200)),
    (
        "mark held",
        "POST",
        lambda w: f"/activities/{w['past'].id}/held",
        lambda w: {"attendance": "9", "report": "Było dobrze, powtórzymy."},
        staff_and_coordinator(303),
    ),
    (
        "cancel",
        "POST",
        lambda w: f"/activities/{w['future'].id}/cancel",
        lambda w: {"reason": "Deszcz"},
        staff_and_coordinator(303),
    ),
    (
        "people",
        "GET",
        lambda w: f"/activities/{w['future'].id}/people",
        None,
        table(moderator=200, admin=200, steering=200, coordinator=200),
    ),
    ("attend", "POST", lambda w: f"/activities/{w['future'].id}/signup", None, everyone_signed_in(303)),
    (
        "volunteer",
        "POST",
        lambda w: f"/activities/{w['future'].id}/roles/{w['future'].roles[0].id}/signup",
        None,
        everyone_signed_in(303, unverified=403),
    ),
    (
        "cancel sign-up (none)",
        "POST",
        lambda w: f"/activities/{w['future'].id}/signup/cancel",
        None,
        everyone_signed_in(409),
    ),
    (
        "cancel volunteering (none)",
        "POST",
        lambda w: f"/activities/{w['future'].id}/roles/{w['future'].roles[0].id}/cancel",
        None,
        everyone_signed_in(409),
    ),
    ("places", "GET", lambda w: "/activities/places", None, staff(200)),
    (
        "add place",
        "POST",
        lambda w: "/activities/places",
        lambda w: {"name": "Ogród", "description": "", "capacity": "40"},
        staff(303),
    ),
    (
        "edit place",
        "POST",
        lambda w: f"/activities/places/{w['place'].id}",
        lambda w: {"name": "Pracownia", "description": "", "capacity": "", "active": "y"},
        staff(303),
    ),
    (
        "request form",
        "GET",
        lambda w: "/activities/rooms/request",
        None,
        everyone_signed_in(200, unverified=403),
    ),
    (
        "request a room",
        "POST",
        lambda w: "/activities/rooms/request",
        lambda w: {
            "title": "Klub książki",
            "description": "Czytamy razem.",
            "organisation": "",
            "day": in_days(20).date().isoformat(),
            "starts": "17:00",
            "ends": "18:00",
            "place_id": str(w["place"].id),
            "expected_people": "10",
            "open_to_all": "y",
        },
        everyone_signed_in(303, unverified=403),
    ),
    ("room requests", "GET", lambda w: "/activities/rooms", None, staff(200)),
    ("approve", "POST", lambda w: f"/activities/rooms/{w['request'].id}/approve", None, staff(303)),
    (
        "decline",
        "POST",
        lambda w: f"/activities/rooms/{w['request'].id}/decline",
        lambda w: {"reason": "Remont"},
        staff(303),
    ),
    ("calendar link", "POST", lambda w: "/activities/mine/calendar-link", None, everyone_signed_in(303)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_answers_each_role(action, role, client, users, session):
    label, method, url, form, expected = action
    w = _world(session, users)
    actor = w["coordinator"] if role == "coordinator" else users.for_role(role)
    if actor is not None:
        client.login(actor)
    before = _state(session)
    target = url(w)
    response = client.get(target) if method == "GET" else client.post(target, form(w) if form else {},
                                                                      confirm=True)
    assert response.status_code == expected[role], (label, role, response.get_data(as_text=True)[:1500])
    if response.status_code >= 300 or method == "GET":
        if response.status_code == 303 and method == "POST":
            assert _state(session) != before, "an action carried out must change something"
        else:
            assert _state(session) == before, "a refused request wrote to the database"


def test_every_activities_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("activities.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    thing = SimpleNamespace(id=1, roles=[SimpleNamespace(id=2)])
    fake = {"future": thing, "past": thing, "proposal": thing, "place": thing, "request": thing}
    adapter = app.url_map.bind("localhost")
    covered = {
        (adapter.match(url(fake).split("?")[0], method=method)[0], method)
        for _label, method, url, _form, _expected in ACTIONS
    }
    # The personal feed needs its secret token: tests/activities/test_feeds.py covers it.
    assert routes - covered == {("activities.feed_personal", "GET")}


def test_coordinator_of_another_activity_has_no_rights_here(client, users, session):
    w = _world(session, users)
    other = make_activity(session, coordinator=users.resident(), starts_at=in_days(-1))
    client.login(w["coordinator"])
    before = _state(session)
    assert client.post(f"/activities/{other.id}/held", {"attendance": "3", "report": "x"}).status_code == 403
    assert client.get(f"/activities/{other.id}/people").status_code == 403
    assert _state(session) == before
