"""The activities pages over HTTP: the calendar in list and month views with the place filter, an activity's
page (places left, roles still needed), scheduling from a proposal, the clash message, sign-ups, the lists
for the door, room requests, the proposal page include and the reminders command."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import render_template_string

from app.activities.models import Activity, RoomRequest, Signup
from app.activities.times import WARSAW, local
from app.db import utcnow
from app.proposals.models import Pledge, Status
from app.proposals.signals import proposal_page
from tests.activities.factories import in_days, make_activity, make_place, sign
from tests.proposals.factories import make_proposal
from tests.queries import count_queries


def test_calendar_lists_upcoming_and_past_and_filters_by_place(client, session):
    hall, garden = make_place(session, name="Sala główna"), make_place(session, name="Ogród")
    soon = make_activity(session, place=hall, title="Joga w sali", starts_at=in_days(2))
    outside = make_activity(session, place=garden, title="Sadzenie w ogrodzie", starts_at=in_days(3))
    done = make_activity(session, place=hall, title="Dawne warsztaty", starts_at=in_days(-5), status="held")
    page = client.get("/activities").get_data(as_text=True)
    assert soon.title in page and outside.title in page and done.title not in page
    assert page.index("Joga w sali") < page.index("Sadzenie w ogrodzie")
    filtered = client.get(f"/activities?place={garden.id}").get_data(as_text=True)
    assert outside.title in filtered and soon.title not in filtered
    past = client.get("/activities?when=past").get_data(as_text=True)
    assert done.title in past and soon.title not in past


def test_month_view_and_htmx_fragment(client, session):
    activity = make_activity(session, title="Kino sąsiedzkie", starts_at=in_days(1))
    month = local(activity.starts_at).strftime("%Y-%m")
    page = client.get(f"/activities?view=month&month={month}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Kino sąsiedzkie" in html and 'class="table month-grid"' in html
    fragment = client.get(f"/activities?view=month&month={month}", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "Kino sąsiedzkie" in text and "<html" not in text
    assert "Kino sąsiedzkie" not in client.get("/activities?view=month&month=2001-01").get_data(as_text=True)


def test_hostile_titles_are_escaped(client, session):
    activity = make_activity(session)
    html = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<img" not in html


def test_activity_page_shows_places_left_and_roles_still_needed(client, users, session):
    activity = make_activity(session, capacity=5, roles=[("bring tea", 1), ("set up the room", 2)])
    sign(session, activity, users.resident())
    sign(session, activity, users.resident(), role=activity.roles[1])
    client.login(users.resident(locale="en"))
    html = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "4 places left" in html
    assert "We still need 1 person: bring tea" in html
    assert "We still need 1 person: set up the room" in html


def test_signing_up_over_http_then_waiting_then_cancelling(client, make_client, users, session):
    activity = make_activity(session, capacity=1)
    first, second = users.resident(locale="en"), users.resident(locale="en")
    client.login(first)
    client.post(f"/activities/{activity.id}/signup")
    other = make_client()
    other.login(second)
    response = other.post(f"/activities/{activity.id}/signup", follow_redirects=True)
    assert "waiting list" in response.get_data(as_text=True)
    twice = client.post(f"/activities/{activity.id}/signup")  # a double click
    assert twice.status_code == 409 and "You have already signed up." in twice.text
    assert 'id="activity-title"' in twice.text  # the activity page, not an error page
    client.post(f"/activities/{activity.id}/signup/cancel", confirm=True)
    statuses = dict(
        session.execute(sa.select(Signup.user_id, Signup.status).where(Signup.status != "cancelled")).all()
    )
    assert statuses == {second.id: "registered"}


def test_scheduling_from_a_proposal_over_http(client, users, session):
    moderator = users.moderator(locale="en")
    helper = users.resident(name="Halina Pomocna")
    proposal = make_proposal(session, users.resident(), status=Status.SELECTED, title="Kawiarenka naprawcza")
    session.add(Pledge(proposal_id=proposal.id, user_id=helper.id, kind="coordinate", note="Mam narzędzia"))
    session.commit()
    place = make_place(session, name="Pracownia")
    client.login(moderator)
    listing = client.get("/activities/schedule").get_data(as_text=True)
    assert "Kawiarenka naprawcza" in listing and "Halina Pomocna" in listing and "Mam narzędzia" in listing
    form = client.get(f"/activities/new?proposal={proposal.id}").get_data(as_text=True)
    assert 'value="Kawiarenka naprawcza"' in form  # prefilled, editable
    assert f'<option value="{helper.id}">Halina Pomocna' in form
    day = (local(utcnow()) + timedelta(days=10)).date().isoformat()
    response = client.post(
        f"/activities/new?proposal={proposal.id}",
        {
            "title": "Kawiarenka naprawcza — pierwsza sobota",
            "description": "Przynieś zepsuty toster.",
            "day": day,
            "starts": "10:00",
            "ends": "13:00",
            "place_id": str(place.id),
            "capacity": "15",
            "open_to_all": "y",
            "coordinator_id": str(helper.id),
            "coordinator_email": "",
            "roles": "przygotować salę: 2\nprzynieść herbatę: 1",
            "repeat_weeks": "1",
        },
    )
    assert response.status_code == 303
    activity = session.scalar(sa.select(Activity).where(Activity.proposal_id == proposal.id))
    assert activity.coordinator_id == helper.id and local(activity.starts_at).hour == 10
    session.refresh(proposal)
    assert proposal.status == Status.SCHEDULED

    clash = client.post(
        "/activities/new",
        {
            "title": "Inne",
            "day": day,
            "starts": "12:00",
            "ends": "14:00",
            "place_id": str(place.id),
            "repeat_weeks": "1",
            "coordinator_id": "",
        },
    )
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Pracownia is already taken" in html and "Kawiarenka naprawcza — pierwsza sobota" in html


def test_form_errors_re_render_with_422(client, users, session):
    client.login(users.moderator(locale="en"))
    place = make_place(session)
    response = client.post(
        "/activities/new",
        {"title": "", "day": "31.02.2030", "starts": "25:00", "ends": "", "place_id": str(place.id)},
    )
    assert response.status_code == 422
    assert session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 0


def test_lists_for_the_door(client, users, session):
    coordinator = users.resident()
    activity = make_activity(session, coordinator=coordinator, capacity=1, roles=[("herbata", 1)])
    sign(session, activity, users.resident(name="Anna Uczestniczka"))
    sign(session, activity, users.resident(name="Bogdan Czekający"), status="waitlisted")
    sign(session, activity, users.resident(name="Celina Herbaciana"), role=activity.roles[0])
    sign(session, activity, users.resident(name="Darek Zrezygnował"), status="cancelled")
    client.login(coordinator)
    html = client.get(f"/activities/{activity.id}/people").get_data(as_text=True)
    for name in ("Anna Uczestniczka", "Bogdan Czekający", "Celina Herbaciana"):
        assert name in html
    assert "Darek Zrezygnował" not in html


def test_room_request_then_approval_over_http(client, make_client, users, session):
    requester = users.resident()
    place = make_place(session)
    client.login(requester)
    day = (local(utcnow()) + timedelta(days=14)).date().isoformat()
    response = client.post(
        "/activities/rooms/request",
        {
            "title": "Klub planszówek",
            "description": "Gramy w piątki.",
            "organisation": "Stowarzyszenie Gramy",
            "day": day,
            "starts": "17:00",
            "ends": "20:00",
            "place_id": str(place.id),
            "expected_people": "12",
            "open_to_all": "y",
        },
    )
    assert response.status_code == 303
    room_request = session.scalar(sa.select(RoomRequest))
    assert room_request.status == "pending" and room_request.organisation == "Stowarzyszenie Gramy"
    moderator = make_client()
    moderator.login(users.moderator())
    assert "Klub planszówek" in moderator.get("/activities/rooms").get_data(as_text=True)
    empty = moderator.post(f"/activities/rooms/{room_request.id}/decline", {"reason": ""}, confirm=True)
    assert empty.status_code == 422
    assert moderator.post(f"/activities/rooms/{room_request.id}/approve").status_code == 303
    activity = session.scalar(sa.select(Activity))
    assert activity.coordinator_id == requester.id
    assert "Klub planszówek" in client.get("/activities/mine").get_data(as_text=True)


def test_marking_held_over_http_with_a_report(client, users, session):
    coordinator = users.resident()
    activity = make_activity(session, coordinator=coordinator, starts_at=in_days(-1))
    client.login(coordinator)
    assert client.post(f"/activities/{activity.id}/held", {"attendance": "", "report": ""}).status_code == 422
    response = client.post(
        f"/activities/{activity.id}/held",
        {"attendance": "14", "report": "Świetnie. **Następnym razem** w ogrodzie."},
    )
    assert response.status_code == 303
    html = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "<strong>Następnym razem</strong>" in html


SEVEN_HELD = "Odbyło się 7 spotkań"


def test_a_held_proposal_gets_a_second_activity_over_http(client, users, session):
    """A repeating idea: after its first activity is held (the proposal is implemented), a moderator
    schedules another from the proposal's page, and the page lists them all."""
    proposal = make_proposal(session, users.resident(), status=Status.IMPLEMENTED, title="Gotujemy razem")
    place = make_place(session, name="Kuchnia")
    for week in range(7):
        make_activity(session, place=place, proposal=proposal, title=f"Gotujemy razem nr {week + 1}",
                      starts_at=in_days(-7 * (week + 1)), status="held")
    resident_view = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert SEVEN_HELD in resident_view and "Gotujemy razem nr 7" in resident_view
    assert f"/activities/new?proposal={proposal.id}" not in resident_view
    client.login(users.moderator())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/activities/new?proposal={proposal.id}">Zaplanuj działanie</a>' in page

    form = client.get(f"/activities/new?proposal={proposal.id}")
    assert form.status_code == 200 and 'value="Gotujemy razem"' in form.get_data(as_text=True)
    response = client.post(f"/activities/new?proposal={proposal.id}", {
        "title": "Gotujemy razem — pierogi", "description": "Przynieś fartuch.",
        "day": (local(utcnow()) + timedelta(days=3)).date().isoformat(), "starts": "17:00", "ends": "19:00",
        "place_id": str(place.id), "capacity": "12", "open_to_all": "y", "coordinator_id": "",
        "coordinator_email": "", "roles": "", "repeat_weeks": "1",
    })

    assert response.status_code == 303
    session.refresh(proposal)
    assert proposal.status == Status.IMPLEMENTED
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert SEVEN_HELD + "; jeszcze 1 zaplanowane." in page and "Gotujemy razem — pierogi" in page


def test_proposal_page_include_shows_the_path_to_what_happened(app, session, users):
    proposal = make_proposal(session, users.resident(), status=Status.SCHEDULED)
    make_activity(
        session, proposal=proposal, title="Pierwsze spotkanie", starts_at=in_days(-7), status="held"
    )
    make_activity(session, proposal=proposal, title="Drugie spotkanie", starts_at=in_days(7))
    def include(proposal) -> str:
        """The part as the proposal page renders it, with what the activities package gives that page."""
        parts = {}
        for _receiver, values in proposal_page.send(proposal, viewer=None):
            parts.update(values)
        with count_queries(app) as rendering:
            html = render_template_string('{% include "activities/_for_proposal.html" %}', proposal=proposal,
                                          **parts)
        assert rendering == []  # the template does not query
        return html

    with app.test_request_context("/"):
        html = include(proposal)
    assert html.index("Pierwsze spotkanie") < html.index("Drugie spotkanie")
    assert "Odbyło się 1 spotkanie; jeszcze 1 zaplanowane." in html
    assert "Zaplanuj działanie" not in html  # a visitor does not schedule
    with app.test_request_context("/"):
        other = make_proposal(session, users.resident(), status=Status.SELECTED)
        assert include(other).strip() == ""


def test_remind_command_sends_once(app, session, users, mail):
    activity = make_activity(session, starts_at=utcnow() + timedelta(hours=3))
    person = users.resident()
    sign(session, activity, person)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["activities", "remind"])
    assert first.exit_code == 0 and "reminders queued: 1" in first.output
    assert "reminders queued: 0" in runner.invoke(args=["activities", "remind"]).output
    assert session.scalar(sa.select(Signup.reminded_at)) is not None


# --- audit fixes ----------------------------------------------------------------------------------------


def test_cancelling_after_the_start_is_refused_and_the_button_is_gone(client, users, session, mail):
    person, waiting = users.resident(), users.resident()
    soon = make_activity(session, capacity=1, starts_at=utcnow() + timedelta(hours=1))
    sign(session, soon, person)
    client.login(person)
    cancel_url = f"/activities/{soon.id}/signup/cancel"
    assert cancel_url in client.get(f"/activities/{soon.id}").text  # before the start: the button

    started = make_activity(session, capacity=1, starts_at=utcnow() - timedelta(minutes=10))
    sign(session, started, person)
    sign(session, started, waiting, status="waitlisted")
    page = client.get(f"/activities/{started.id}").text
    assert f"/activities/{started.id}/signup/cancel" not in page

    response = client.post(f"/activities/{started.id}/signup/cancel", confirm=True)
    assert response.status_code == 403
    assert "Wydarzenie już się rozpoczęło, więc zapisu nie można już anulować." in response.text
    statuses = dict(
        session.execute(
            sa.select(Signup.user_id, Signup.status).where(Signup.activity_id == started.id)
        ).all()
    )
    assert statuses == {person.id: "registered", waiting.id: "waitlisted"}
    assert mail == []


@pytest.mark.parametrize(
    "status, days, why",
    [("held", -1, "Wydarzenie już się odbyło."), ("cancelled", 3, "Wydarzenie zostało odwołane."),
     ("planned", -1, "Wydarzenie już się zaczęło: nie można się już zapisać ani wypisać.")],
    ids=["held", "cancelled", "started"],
)
def test_the_take_part_box_is_only_for_planned_activities_that_have_not_started(
    client, users, session, status, days, why
):
    closed = make_activity(session, capacity=5, status=status, starts_at=in_days(days), roles=[("tea", 2)])
    open_ = make_activity(session, capacity=5, roles=[("tea", 2)])
    client.login(users.resident(locale="en"))
    page = client.get(f"/activities/{open_.id}").text
    assert "Take part" in page and "5 places left" in page and "We still need 2 people: tea" in page
    page = client.get(f"/activities/{closed.id}").text
    assert "Take part" not in page and "places left" not in page and "We still need" not in page
    assert f"/activities/{closed.id}.ics" in page  # the calendar link stays
    # The box does not vanish without a word: it says sign-ups are closed, and why.
    assert '<h2 id="take-part-heading">Sign-ups closed</h2>' in page
    client.logout()
    page = client.get(f"/activities/{closed.id}").text
    box = page.split('<aside class="card" aria-labelledby="take-part-heading">')[1].split("</aside>")[0]
    assert '<h2 id="take-part-heading">Zapisy zamknięte</h2>' in box and why in box


def test_a_full_volunteer_role_shows_the_reason_on_the_activity_page(client, users, session):
    activity = make_activity(session, roles=[("tea", 1)])
    [role] = activity.roles
    sign(session, activity, users.resident(), role=role)
    client.login(users.resident(locale="en"))
    page = client.post(f"/activities/{activity.id}/roles/{role.id}/signup")
    assert page.status_code == 409 and 'id="activity-title"' in page.text
    assert '<p class="flash flash-error">Every slot of “tea” is taken.</p>' in page.text
    assert session.scalar(sa.select(sa.func.count()).select_from(Signup)) == 1


def test_approving_a_request_whose_room_was_taken_since_shows_on_the_requests_page(
    client, users, session
):
    place = make_place(session, name="Workshop")
    room_request = RoomRequest(
        requester_id=users.resident().id,
        title="Chess club",
        description="We play chess.",
        place_id=place.id,
        starts_at=in_days(9, 17),
        ends_at=in_days(9, 19),
        status="pending",
    )
    session.add(room_request)
    session.commit()
    make_activity(session, place=place, starts_at=in_days(9, 18), title="Repair café")
    client.login(users.moderator(locale="en"))
    response = client.post(f"/activities/rooms/{room_request.id}/approve")
    assert response.status_code == 409 and "Chess club" in response.text  # the requests page
    assert "flash-error" in response.text and "Workshop is already taken" in response.text
    assert "Repair café" in response.text
    session.refresh(room_request)
    assert room_request.status == "pending"


def test_pages_e_mails_and_the_door_list_give_the_time_once_without_seconds(
    client, make_client, users, session, mail
):
    coordinator, first, waiting = users.resident(), users.resident(), users.resident()
    activity = make_activity(
        session,
        coordinator=coordinator,
        capacity=1,
        starts_at=datetime(2030, 11, 30, 18, tzinfo=WARSAW),
    )
    sign(session, activity, first)
    sign(session, activity, waiting, status="waitlisted")
    expected = "sobota, 30 listopada 2030, 18:00–20:00"

    client.login(coordinator)
    for url in (f"/activities/{activity.id}", f"/activities/{activity.id}/people", "/activities"):
        page = client.get(url).text
        assert expected in page, url
        shown = re.sub(r'datetime="[^"]*"', "", page)  # what people read, not the machine-readable time
        assert "18:00:00" not in shown and "30.11.2030" not in shown, url
        assert 'datetime="2030-11-30T18:00:00+01:00"' in page or url.endswith("/people"), url

    leaving = make_client()
    leaving.login(first)
    leaving.post(f"/activities/{activity.id}/signup/cancel", confirm=True)
    [promoted] = mail
    assert promoted["to"] == waiting.email and f"Kiedy: {expected}" in promoted["body"]
    assert "18:00:00" not in promoted["body"] and "czas środkowoeuropejski" not in promoted["body"]


def test_the_clash_message_in_polish(client, users, session):
    place = make_place(session, name="Pracownia")
    make_activity(session, place=place, starts_at=datetime(2030, 11, 30, 18, tzinfo=WARSAW), title="Joga")
    client.login(users.moderator())
    response = client.post(
        "/activities/new",
        {
            "title": "Inne",
            "day": "2030-11-30",
            "starts": "19:00",
            "ends": "21:00",
            "place_id": str(place.id),
            "repeat_weeks": "1",
            "coordinator_id": "",
        },
    )
    assert response.status_code == 409
    assert (
        "Miejsce „Pracownia” jest w tym czasie zajęte przez „Joga” (sobota, 30 listopada 2030, 18:00–20:00)."
        in response.text
    )
