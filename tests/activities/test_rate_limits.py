"""Room requests (each one e-mails the moderators) are rate-limited per person."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.activities.models import RoomRequest
from app.activities.times import local
from app.db import utcnow
from tests.activities.factories import make_place


def test_room_requests_are_limited_per_person(client, users, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_CONTRIBUTIONS", "1 per hour")
    place = make_place(session)
    client.login(users.resident())
    day = (local(utcnow()) + timedelta(days=14)).date().isoformat()

    def ask(title):
        return client.post("/activities/rooms/request", {
            "title": title, "description": "Gramy w piątki.", "organisation": "", "day": day,
            "starts": "17:00", "ends": "20:00", "place_id": str(place.id), "expected_people": "12",
        }).status_code

    assert ask("Klub planszówek") == 303
    assert ask("Klub szachowy") == 429
    assert session.scalars(sa.select(RoomRequest.title)).all() == ["Klub planszówek"]
