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
    p1 = make_proposal(session, people["jadwiga@mam.example"], status=Status.SELECTED)
    p2 = make_proposal(session, people["kasia@mam.example"], status=Status.SELECTED)
    session.add(Pledge(proposal_id=p2.id, user_id=people["zbigniew@mam.example"].id, kind="coordinate"))
    session.commit()
    assert "activities: 6 created" in list(demo.seed(people))
    assert "activities: 0 created" in list(demo.seed(people))  # idempotent
    session.refresh(p1)
    session.refresh(p2)
    assert p1.status == "implemented" and p2.status == "scheduled"
    statuses = sorted(session.scalars(sa.select(Activity.status)))
    assert statuses.count("held") == 1 and statuses.count("cancelled") == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 7
    assert sorted(session.scalars(sa.select(RoomRequest.status))) == ["approved", "pending"]
