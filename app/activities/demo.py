"""Demo activities: the centre's places; planned, held and cancelled activities, each from the winning idea it
came from (moved along its lifecycle by the services), with volunteers and participants; a second series
from an idea already implemented; one past activity still without its report; a room request pending and
one approved. Idempotent: keyed on place names and activity / request titles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta

import sqlalchemy as sa

from app.activities.models import Activity, Place, RoomRequest, Signup, SignupStatus
from app.activities.services.inputs import ActivityInput, RoomRequestInput
from app.activities.services.reports import cancel_activity, mark_held
from app.activities.services.rooms import approve_request, request_room
from app.activities.services.scheduling import schedule_activity
from app.activities.services.signups import sign_up
from app.activities.times import local
from app.auth.models import User
from app.db import db, utcnow
from app.proposals.models import Pledge, Proposal, Status

PLACES = [
    ("Sala główna", "Parter, 60 krzeseł, rzutnik", 60),
    ("Pracownia", "Stoły warsztatowe, narzędzia", 15),
    ("Kuchnia społeczna", "Kuchenka, zmywarka, 12 miejsc przy stole", 12),
    ("Ogród", "Za budynkiem, grządki i ławki", 40),
]
MODERATOR = "moderator@mam.example"
RESIDENTS = ["jadwiga@mam.example", "zbigniew@mam.example", "oksana@mam.example", "kasia@mam.example"]


def _places() -> dict[str, Place]:
    places = {}
    for position, (name, description, capacity) in enumerate(PLACES, start=1):
        place = db.session.scalar(sa.select(Place).where(Place.name == name))
        if place is None:
            place = Place(
                name=name, description=description, capacity=capacity, position=position, active=True
            )
            db.session.add(place)
        places[name] = place
    db.session.commit()
    return places


def _exists(title: str) -> bool:
    return db.session.scalar(sa.select(Activity.id).where(Activity.title == title).limit(1)) is not None


def _input(title, description, days, starts, ends, place, **extra) -> ActivityInput:
    day = local(utcnow()).date() + timedelta(days=days)
    return ActivityInput(
        title=title,
        description=description,
        day=day,
        starts=time(*starts),
        ends=time(*ends),
        place_id=place.id,
        **extra,
    )


def _coordinator_for(proposal: Proposal | None, fallback: User) -> User:
    if proposal is not None:
        pledge = db.session.scalar(
            sa.select(Pledge)
            .where(Pledge.proposal_id == proposal.id)
            .order_by(Pledge.kind != "coordinate", Pledge.id)
            .limit(1)
        )
        if pledge is not None and pledge.user.is_verified_resident:
            return pledge.user
    return fallback


def _sign(activity: Activity, user: User, role_index: int | None = None) -> None:
    """Sign a demo resident up directly (past activities are closed to the service)."""
    role_id = activity.roles[role_index].id if role_index is not None else None
    exists = db.session.scalar(
        sa.select(Signup.id).where(
            Signup.activity_id == activity.id,
            Signup.user_id == user.id,
            Signup.role_id.is_(role_id) if role_id is None else Signup.role_id == role_id,
        )
    )
    if exists is None:
        db.session.add(
            Signup(
                activity_id=activity.id,
                user_id=user.id,
                role_id=role_id,
                status=SignupStatus.REGISTERED,
                created_at=utcnow(),
            )
        )


# The ideas the activities came from (app/proposals/demo.py), by title: each activity links to its own idea.
HOMEWORK_IDEA = "Pomoc w lekcjach dla dzieci z osiedla"
REPAIR_IDEA = "Kawiarenka naprawcza raz w miesiącu"


def _idea(title: str) -> Proposal | None:
    """The demo idea, if it was selected in the vote (and may get activities)."""
    return db.session.scalar(
        sa.select(Proposal).where(
            Proposal.title == title,
            Proposal.imported.is_(False),
            Proposal.status.in_((Status.SELECTED, Status.SCHEDULED, Status.IMPLEMENTED)),
        )
    )


def seed(people: dict[str, User]) -> Iterator[str]:
    moderator = people[MODERATOR]
    residents = [people[email] for email in RESIDENTS if email in people]
    places = _places()
    yield f"places: {', '.join(places)}"
    homework, repair = _idea(HOMEWORK_IDEA), _idea(REPAIR_IDEA)
    made = 0

    # The homework club met once a week ago, with a report: the idea is implemented. It goes on: a
    # second series of afternoons from the same idea starts this week (an idea can repeat).
    title = "Lekcje z sąsiadami — pierwsze popołudnie"
    if not _exists(title):
        [held] = schedule_activity(
            moderator,
            _input(
                title,
                "Dzieci przychodzą z zadaniami, sąsiedzi pomagają. Zeszyty i herbata na miejscu.",
                -7,
                (16, 0),
                (18, 0),
                places["Sala główna"],
                capacity=20,
                coordinator_id=_coordinator_for(homework, residents[0]).id,
                roles="pomoc z matematyki: 2\nprzygotować herbatę: 1",
            ),
            homework,
        )
        for index, person in enumerate(residents[:3]):
            _sign(held, person)
            if index < 2:
                _sign(held, person, 0)
        db.session.commit()
        mark_held(
            moderator,
            held,
            "Przyszło 9 dzieci i 4 osoby do pomocy. **Następnym razem:** więcej osób od matematyki.",
            13,
        )
        made += 1
    title = "Lekcje z sąsiadami"
    if not _exists(title):
        series = schedule_activity(
            moderator,
            _input(
                title,
                "Co tydzień: dzieci z zadaniami domowymi, sąsiedzi do pomocy.",
                1,
                (16, 0),
                (18, 0),
                places["Sala główna"],
                capacity=20,
                repeat_weeks=3,
                coordinator_id=_coordinator_for(homework, residents[0]).id,
                roles="pomoc z matematyki: 2",
            ),
            homework,
        )
        sign_up(residents[2], series[0])
        made += len(series)

    # The repair café from the repair-café idea: a weekly series, one date cancelled.
    title = "Kawiarenka naprawcza"
    if not _exists(title):
        series = schedule_activity(
            moderator,
            _input(
                title,
                "Przynieś zepsuty toster, rower albo kurtkę z urwanym zamkiem.",
                5,
                (17, 0),
                (19, 30),
                places["Pracownia"],
                capacity=2,
                repeat_weeks=4,
                coordinator_id=_coordinator_for(repair, residents[1]).id,
                roles="przygotować stoły: 2\nprzynieść herbatę: 1",
            ),
            repair,
        )
        for person in residents[:3]:  # capacity 2: the third waits
            sign_up(person, series[0])
        sign_up(residents[3], series[0], series[0].roles[1].id)
        cancel_activity(moderator, series[2], "W tym tygodniu pracownia jest w remoncie.")
        made += len(series)

    # The centre's own evenings, not from a proposal: one this week, and one that took place three days
    # ago and still waits for its report (the moderator's desk shows it).
    title = "Wieczór planszówek"
    if not _exists(title):
        [planned] = schedule_activity(
            moderator,
            _input(
                title,
                "Gry dla dorosłych i dzieci.",
                3,
                (18, 0),
                (21, 0),
                places["Sala główna"],
                roles="rozstawić stoły: 2\nupiec ciasto: 1",
            ),
        )
        sign_up(residents[2], planned)
        sign_up(residents[0], planned, planned.roles[1].id)
        made += 1
    title = "Sprzątanie skweru i sadzenie cebulek"
    if not _exists(title):
        schedule_activity(
            moderator,
            _input(title, "Rękawice i worki zapewnia centrum.", -3, (10, 0), (13, 0), places["Ogród"],
                   capacity=30),
        )
        made += 1
    yield f"activities: {made} created"

    requester = residents[3]
    for request_title, days, approve in (
        ("Koło dziewiarskie", 8, True),
        ("Spotkanie wspólnoty ul. Kozłówka 20", 12, False),
    ):
        if db.session.scalar(sa.select(RoomRequest.id).where(RoomRequest.title == request_title)) is None:
            room_request = request_room(
                requester,
                RoomRequestInput(
                    title=request_title,
                    description="Spotykamy się raz w tygodniu.",
                    day=local(utcnow()).date() + timedelta(days=days),
                    starts=time(11),
                    ends=time(13),
                    place_id=places["Kuchnia społeczna"].id,
                    expected_people=10,
                    organisation="Klub Seniora" if approve else "",
                ),
            )
            if approve:
                approve_request(moderator, room_request)
    yield "room requests: one approved, one pending"
