"""The demo data: places, held / planned / cancelled activities from winning proposals, room requests."""

import sqlalchemy as sa

from app.activities import demo
from app.activities.models import Activity, RoomRequest
from app.demo.seed import PEOPLE
from app.proposals.models import Pledge, Status
from tests.proposals.factories import make_proposal


def test_demo(session, users):
    people = {
        email: users.make(role=role, verified=verified, email=email, name=name)
        for email, name, role, verified, _ in PEOPLE
    }
    p1 = make_proposal(session, people["jadwiga@mam.example"], status=Status.SELECTED,
                       title=demo.HOMEWORK_IDEA)
    p2 = make_proposal(session, people["kasia@mam.example"], status=Status.SELECTED, title=demo.REPAIR_IDEA)
    session.add(Pledge(proposal_id=p2.id, user_id=people["zbigniew@mam.example"].id, kind="coordinate"))
    session.commit()
    assert "activities: 10 created" in list(demo.seed(people))
    assert "activities: 0 created" in list(demo.seed(people))  # idempotent
    session.refresh(p1)
    session.refresh(p2)
    # The homework idea was held once and goes on: implemented, with a new series planned after it.
    assert p1.status == "implemented" and p2.status == "scheduled"
    activities = session.scalars(sa.select(Activity)).all()
    assert {a.proposal_id for a in activities if a.title.startswith("Lekcje z sąsiadami")} == {p1.id}
    assert {a.proposal_id for a in activities if a.title == "Kawiarenka naprawcza"} == {p2.id}
    statuses = sorted(a.status for a in activities)
    assert statuses.count("held") == 1 and statuses.count("cancelled") == 1
    assert len(activities) == 11
    assert sorted(session.scalars(sa.select(RoomRequest.status))) == ["approved", "pending"]
