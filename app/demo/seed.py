"""Realistic demo content for every feature that exists. Idempotent: keyed on e-mail addresses."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from app.audit.services import record
from app.auth.models import Role, User, VerificationMethod
from app.auth.passwords import hash_password
from app.auth.services import find_user_by_email
from app.db import db, utcnow

DEMO_PASSWORD = "kozlowka-demo-2026"  # noqa: S105 (public demo accounts only)

PEOPLE = [
    # email, display name, role, verified resident, locale
    ("moderator@mam.example", "Tomasz Kędzior (moderator)", Role.MODERATOR, True, "pl"),
    ("admin@mam.example", "Agnieszka Wróbel (admin)", Role.ADMIN, True, "pl"),
    ("rada@mam.example", "Halina Żurek (grupa sterująca)", Role.STEERING, True, "pl"),
    ("ngo@mam.example", "Fundacja Kozłówka — Paweł Nowak", Role.STEERING, True, "pl"),
    ("jadwiga@mam.example", "Jadwiga Łukasik", Role.RESIDENT, True, "pl"),
    ("zbigniew@mam.example", "Zbigniew Śliwa", Role.RESIDENT, True, "pl"),
    ("oksana@mam.example", "Oksana Melnyk", Role.RESIDENT, True, "uk"),
    ("kasia@mam.example", "Kasia Dąbrowska", Role.RESIDENT, True, "pl"),
    ("michal@mam.example", "Michał Grzegorczyk", Role.RESIDENT, False, "pl"),
    ("ewa@mam.example", "Ewa Pająk", Role.RESIDENT, False, "pl"),
]

FRONT_DESK = [
    # Registered in person at the front desk, without e-mail: display name, building, staircase, flat, phone
    ("Stanisława Kowalczyk", "27", "II", "14", "600100200"),
    ("Józef Wiśniewski", "29", "", "3", ""),
]


def demo_administrator() -> tuple[str, str] | None:
    """The demo's administrator (e-mail, password) when `flask demo seed` has made it, else None."""
    email = next(row[0] for row in PEOPLE if row[2] == Role.ADMIN)
    user = db.session.scalar(sa.select(User).where(User.email == email, User.role == Role.ADMIN))
    return (email, DEMO_PASSWORD) if user is not None else None


def seed() -> Iterator[str]:
    """People first, then each feature's demo in the order the lifecycle runs."""
    from app.activities import demo as activities_demo
    from app.demo import pictures as pictures_demo
    from app.discussion import demo as discussion_demo
    from app.news import demo as news_demo
    from app.proposals import demo as proposals_demo
    from app.rounds import demo as rounds_demo

    yield from _people()
    yield from _front_desk_people()
    people = {user.email: user for user in db.session.scalars(
        sa.select(User).where(User.email.in_([row[0] for row in PEOPLE]))) if user.email}
    yield from rounds_demo.seed_imported(people)
    for feature in (proposals_demo, discussion_demo, rounds_demo, activities_demo, news_demo, pictures_demo):
        yield from feature.seed(people)
    yield from _deadlines()


def _deadlines() -> Iterator[str]:
    """A round open for proposals or votes always shows its deadline: voting ends a week after the
    seed date, proposals are due in two weeks (both at 20:00 Warsaw time)."""
    from datetime import UTC, datetime, time, timedelta

    from app.i18n import WARSAW
    from app.phases.models import Phase, Round

    today = utcnow().astimezone(WARSAW).date()

    def evening(days: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(20, 0), WARSAW).astimezone(UTC)

    steps = ((Phase.VOTING, "voting_ends_at", 7), (Phase.SUBMISSION, "review_starts_at", 14))
    for phase, column, days in steps:
        for round_ in db.session.scalars(sa.select(Round).where(Round.phase == phase)):
            if getattr(round_, column) is None:
                setattr(round_, column, evening(days))
    db.session.commit()
    yield "demo deadlines: voting ends in a week, proposals are due in two weeks"


def _people() -> Iterator[str]:
    password_hash = hash_password(DEMO_PASSWORD)
    moderator = None
    created = 0
    for email, name, role, verified, locale in PEOPLE:
        user = find_user_by_email(email)
        if user is None:
            user = User(email=email, display_name=name, role=role, locale=locale,
                        password_hash=password_hash, email_verified_at=utcnow())
            db.session.add(user)
            db.session.flush()
            created += 1
            if verified:
                user.resident_verified_at = utcnow()
                user.resident_verified_by_id = moderator.id if moderator else None
                user.resident_verification_method = VerificationMethod.IN_PERSON
                record(moderator, "resident.verified_in_person", user, demo=True)
        if role == Role.MODERATOR:
            moderator = user
    db.session.commit()
    yield f"demo accounts: {created} created, {len(PEOPLE) - created} already there"
    yield f"every demo account's password: {DEMO_PASSWORD}"
    for email, _name, role, verified, _locale in PEOPLE:
        yield f"  {email:24} {role:10} {'verified resident' if verified else 'not verified yet'}"


def _front_desk_people() -> Iterator[str]:
    from app.residents.front_desk import FrontDeskData, register_at_front_desk

    moderator = find_user_by_email(PEOPLE[0][0])
    assert moderator is not None  # seeded first, above
    known = set(db.session.scalars(sa.select(User.display_name).where(User.email.is_(None))))
    created = 0
    for name, building, staircase, flat, phone in FRONT_DESK:
        if name not in known:
            register_at_front_desk(moderator, FrontDeskData(name, building, staircase, flat, phone),
                                   confirmed=True)
            created += 1
    yield (f"front-desk residents without e-mail: {created} created, "
           f"{len(FRONT_DESK) - created} already there (print their sign-in slips at /residents)")
