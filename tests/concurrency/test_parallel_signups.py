"""Parallel sign-ups for the last places never overbook (SQLite and PostgreSQL, over real HTTP)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.activities.models import Activity, Place, Signup, VolunteerRole
from app.auth.models import User
from app.db import db, utcnow
from tests.factories import PASSWORD, password_hash
from tests.live_server import LiveServer, scratch_database

PEOPLE = 12


def _setup(app, capacity: int, slots: int):
    with app.app_context():
        people = [
            User(
                email=f"chetna{n}@kozlowka.example",
                display_name=f"Chętna {n}",
                role="resident",
                locale="pl",
                password_hash=password_hash(),
                email_verified_at=utcnow(),
                resident_verified_at=utcnow(),
            )
            for n in range(PEOPLE)
        ]
        place = Place(name="Sala główna", description="", position=1, active=True)
        db.session.add_all([*people, place])
        db.session.flush()
        starts = utcnow() + timedelta(days=3)
        activity = Activity(
            title="Warsztaty",
            description="",
            description_html="",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place_id=place.id,
            capacity=capacity,
            open_to_all=True,
            status="planned",
            sequence=0,
        )
        activity.roles = [VolunteerRole(name="przynieść herbatę", slots=slots)]
        db.session.add(activity)
        db.session.commit()
        return activity.id, activity.roles[0].id, [person.email for person in people]


def _fire(server, emails, path):
    sessions = [server.login(email, PASSWORD) for email in emails]  # sign in first, then fire together

    def post(session):
        cookie, token = session
        return server.request("POST", path, cookie, {"csrf_token": token})[0]

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        return list(pool.map(post, sessions))


def _statuses(app, activity_id, role_id):
    with app.app_context():
        rows = db.session.execute(
            sa.select(Signup.status, sa.func.count())
            .where(Signup.activity_id == activity_id)
            .where(Signup.role_id.is_(None) if role_id is None else Signup.role_id == role_id)
            .group_by(Signup.status)
        ).all()
        return dict(rows)


@pytest.mark.parametrize("capacity", [1, 5])
def test_parallel_registrations_fill_exactly_the_capacity(tmp_path, capacity):
    with scratch_database(tmp_path) as url, LiveServer(url) as server:
        activity_id, _role_id, emails = _setup(server.app, capacity, slots=1)
        statuses = _fire(server, emails, f"/activities/{activity_id}/signup")
        assert set(statuses) == {303}, statuses  # registered or waitlisted: everyone is answered
        assert _statuses(server.app, activity_id, None) == {
            "registered": capacity,
            "waitlisted": PEOPLE - capacity,
        }


def test_parallel_volunteers_fill_exactly_the_slots(tmp_path):
    with scratch_database(tmp_path) as url, LiveServer(url) as server:
        activity_id, role_id, emails = _setup(server.app, capacity=1, slots=2)
        statuses = _fire(server, emails, f"/activities/{activity_id}/roles/{role_id}/signup")
        assert sorted(statuses) == [303, 303] + [409] * (PEOPLE - 2), statuses
        assert _statuses(server.app, activity_id, role_id) == {"registered": 2}
