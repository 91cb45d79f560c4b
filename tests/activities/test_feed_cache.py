"""The public activities feed: a strong ETag and 304 on a repeat, a bounded window, and a cost that does
not grow with the number of activities (built once per change, kept per process)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import sqlalchemy as sa

from app.activities import ical
from app.activities.models import Activity
from app.activities.services.reports import cancel_activity
from tests.activities.factories import in_days, make_activity, make_place
from tests.queries import count_queries


def uids(response) -> set[str]:
    cal = icalendar.Calendar.from_ical(response.get_data())
    return {str(event["uid"]) for event in cal.walk("VEVENT")}


def test_a_repeat_gets_304_by_a_strong_etag_and_a_change_a_new_feed(client, users, session):
    activity = make_activity(session, starts_at=in_days(3))
    first = client.get("/activities.ics")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/activities.ics").get_data() == first.get_data()  # byte for byte: strong

    again = client.get("/activities.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""

    cancel_activity(users.moderator(), activity, "Remont sali")
    changed = client.get("/activities.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert b"STATUS:CANCELLED" in changed.get_data()


def test_a_renamed_place_changes_the_feed(client, session):
    place = make_place(session, name="Sala główna")
    make_activity(session, place=place, starts_at=in_days(3))
    etag = client.get("/activities.ics").headers["ETag"]
    place.name = "Sala widokowa"
    session.commit()
    renamed = client.get("/activities.ics", headers={"If-None-Match": etag})
    assert renamed.status_code == 200 and "Sala widokowa" in renamed.get_data(as_text=True)


def test_the_feed_keeps_to_its_window(client, session):
    place = make_place(session)
    inside = [make_activity(session, place=place, starts_at=in_days(d)) for d in (-300, 0, 380)]
    outside = [make_activity(session, place=place, starts_at=in_days(d)) for d in (-400, 420)]
    listed = uids(client.get("/activities.ics"))
    assert {ical.uid(a) for a in inside} <= listed
    assert not {ical.uid(a) for a in outside} & listed


def _bulk_activities(session, place_id: int, count: int) -> None:
    now = in_days(0)
    session.execute(sa.insert(Activity.__table__), [
        {"title": f"Zajęcia {n}", "description": "", "description_html": "", "place_id": place_id,
         "starts_at": now + timedelta(hours=6 * n), "ends_at": now + timedelta(hours=6 * n + 2),
         "open_to_all": True, "status": "planned", "sequence": 0, "created_at": now, "updated_at": now}
        for n in range(count)
    ])
    session.commit()


def test_a_feed_of_500_activities_costs_what_a_feed_of_10_does(app, client, session, monkeypatch):
    """After its first build the feed is not built again until something changes: the same statements
    and no rendering, with 10 activities or with 500."""
    builds = []
    real = ical.calendar
    monkeypatch.setattr(ical, "calendar", lambda *a, **k: builds.append(1) or real(*a, **k))
    place = make_place(session)
    costs, added = {}, 0
    for total in (10, 500):
        _bulk_activities(session, place.id, total - added)
        added = total
        first = client.get("/activities.ics")
        assert len(uids(first)) == total
        builds.clear()
        with count_queries(app) as statements:
            assert client.get("/activities.ics").get_data() == first.get_data()
        costs[total] = (len(statements), len(builds))
    assert costs[10] == costs[500]
    assert costs[500][1] == 0
