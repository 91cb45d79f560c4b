"""The iCalendar feeds, parsed back with ``icalendar`` as a calendar client would: Warsaw times on both
sides of a daylight-saving change, stable UIDs, SEQUENCE, cancelled events, the personal feed and its
secret link."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar

from app.activities.services.calendar import calendar_token
from app.activities.services.inputs import ActivityInput
from app.activities.services.reports import cancel_activity
from app.activities.services.scheduling import schedule_activity
from app.activities.times import WARSAW
from tests.activities.factories import in_days, make_activity, make_place, sign


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.get_data())


def events_by_uid(cal) -> dict[str, icalendar.Event]:
    return {str(event["uid"]): event for event in cal.walk("VEVENT")}


def days_before_the_october_change(year: int) -> date:
    """Three days before summer time ends in Warsaw (the last Sunday of October): a week on is winter."""
    last = date(year, 10, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7 + 3)


def next_october_change() -> date:
    """The feed reaches about a year ahead: the next such day still to come."""
    today = date.today()
    this_year = days_before_the_october_change(today.year)
    return this_year if this_year > today else days_before_the_october_change(today.year + 1)


def test_whole_feed_has_warsaw_times_across_the_october_change(client, users, session):
    place = make_place(session, name="Sala główna")
    first_day = next_october_change()
    series = schedule_activity(
        users.moderator(),
        ActivityInput(
            title="Joga",
            day=first_day,
            starts=datetime(2030, 1, 1, 18).time(),
            ends=datetime(2030, 1, 1, 19, 30).time(),
            place_id=place.id,
            repeat_weeks=2,
        ),
    )
    cal = parse(client.get("/activities.ics"))
    assert cal["version"] == "2.0" and cal["prodid"]
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    events = events_by_uid(cal)
    starts = [events[f"activity-{a.id}@activities.mam-na-kozlowce"].decoded("dtstart") for a in series]
    assert [s.tzinfo.key if hasattr(s.tzinfo, "key") else str(s.tzinfo) for s in starts] == [
        "Europe/Warsaw"
    ] * 2
    assert [(s.hour, s.minute) for s in starts] == [(18, 0), (18, 0)]
    assert [s.astimezone(UTC).hour for s in starts] == [16, 17]  # CEST, then CET
    first = events[f"activity-{series[0].id}@activities.mam-na-kozlowce"]
    assert first.decoded("dtend") == datetime.combine(first_day, time(19, 30), tzinfo=WARSAW)
    assert str(first["location"]) == "Sala główna" and str(first["status"]) == "CONFIRMED"


def test_uids_are_stable_sequence_grows_and_cancelled_events_are_marked(client, users, session):
    moderator = users.moderator()
    activity = make_activity(session, starts_at=in_days(4))
    uid = f"activity-{activity.id}@activities.mam-na-kozlowce"
    before = events_by_uid(parse(client.get(f"/activities/{activity.id}.ics")))[uid]
    assert int(before["sequence"]) == 0
    cancel_activity(moderator, activity, "Remont sali")
    after = events_by_uid(parse(client.get(f"/activities/{activity.id}.ics")))[uid]
    assert str(after["status"]) == "CANCELLED"
    assert int(after["sequence"]) == 1
    assert "Remont sali" in str(after["description"])
    assert after["summary"] == activity.title  # hostile text travels as text


def test_personal_feed_lists_only_what_the_resident_signed_up_for(client, users, session):
    person = users.resident()
    attending = make_activity(session, starts_at=in_days(3))
    volunteering = make_activity(session, starts_at=in_days(4), roles=[("herbata", 1)])
    waiting = make_activity(session, starts_at=in_days(5))
    coordinating = make_activity(session, starts_at=in_days(6), coordinator=person)
    cancelled_signup = make_activity(session, starts_at=in_days(7))
    make_activity(session, starts_at=in_days(8))  # not theirs
    sign(session, attending, person)
    sign(session, volunteering, person, role=volunteering.roles[0])
    sign(session, waiting, person, status="waitlisted")
    sign(session, cancelled_signup, person, status="cancelled")

    client.login(person)
    assert client.post("/activities/mine/calendar-link", confirm=True).status_code == 303
    session.refresh(person)
    token = person.calendar_token
    page = client.get("/activities/mine").get_data(as_text=True)
    assert f"/activities/calendar/{token}.ics" in page
    client.logout()

    cal = parse(client.get(f"/activities/calendar/{token}.ics"))  # calendar apps do not sign in
    ids = {int(uid.split("-")[1].split("@")[0]) for uid in events_by_uid(cal)}
    assert ids == {attending.id, volunteering.id, waiting.id, coordinating.id}


def test_a_reset_link_stops_the_old_one(client, users, session):
    person = users.resident()
    old = calendar_token(person)
    client.login(person)
    client.post("/activities/mine/calendar-link", {"reset": "1"}, confirm=True)
    session.refresh(person)
    assert person.calendar_token != old
    assert client.get(f"/activities/calendar/{old}.ics").status_code == 404
    assert client.get(f"/activities/calendar/{person.calendar_token}.ics").status_code == 200
    assert client.get("/activities/calendar/nie-ma-takiego.ics").status_code == 404


def test_personal_feed_marks_waiting_list_sign_ups_tentative(client, users, session):
    person = users.resident()
    attending = make_activity(session, starts_at=in_days(3))
    waiting = make_activity(session, starts_at=in_days(4))
    waiting_but_helping = make_activity(session, starts_at=in_days(5), roles=[("herbata", 1)])
    waiting_then_cancelled = make_activity(session, starts_at=in_days(6))
    sign(session, attending, person)
    sign(session, waiting, person, status="waitlisted")
    sign(session, waiting_but_helping, person, status="waitlisted")
    sign(session, waiting_but_helping, person, role=waiting_but_helping.roles[0])
    sign(session, waiting_then_cancelled, person, status="waitlisted")
    cancel_activity(users.moderator(), waiting_then_cancelled, "Remont")
    token = calendar_token(person)

    cal = parse(client.get(f"/activities/calendar/{token}.ics"))
    events = events_by_uid(cal)
    status = {int(uid.split("-")[1].split("@")[0]): str(event["status"]) for uid, event in events.items()}
    assert status == {
        attending.id: "CONFIRMED",
        waiting.id: "TENTATIVE",
        waiting_but_helping.id: "CONFIRMED",
        waiting_then_cancelled.id: "CANCELLED",
    }
    # The public feeds know nothing of one person's waiting list.
    public = events_by_uid(parse(client.get(f"/activities/{waiting.id}.ics")))
    assert [str(event["status"]) for event in public.values()] == ["CONFIRMED"]
