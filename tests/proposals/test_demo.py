import sqlalchemy as sa

from app.demo.seed import _people as seed_people
from app.phases.models import Round
from app.proposals import demo
from app.proposals.models import Category, Proposal, Status


def test_demo_data_has_proposals_in_every_status_and_is_idempotent(session):
    list(seed_people())
    from app.auth.models import User

    people = {user.email: user for user in session.scalars(sa.select(User))}
    lines = list(demo.seed(people))
    assert "12 created" in lines[0]
    statuses = set(session.scalars(sa.select(Proposal.status)))
    # Winning ideas stay selected: the activities demo schedules them (tests/test_demo.py).
    assert statuses == {str(s) for s in Status} - {Status.SCHEDULED, Status.IMPLEMENTED}
    assert session.scalar(sa.select(sa.func.count()).select_from(Category)) == 7
    assert session.scalar(sa.select(Round.phase).where(Round.title == demo.OPEN_ROUND)) == "submission"
    garden = session.scalar(sa.select(Proposal).where(Proposal.title.startswith("Ogród społeczny")))
    assert garden.pledge_count == 3
    written_in = dict(session.execute(sa.select(Proposal.title, Proposal.language)).all())
    assert written_in[demo.UKRAINIAN_PROPOSAL] == "uk"  # Oksana writes in Ukrainian
    assert {language for title, language in written_in.items() if title != demo.UKRAINIAN_PROPOSAL} == {"pl"}
    assert "0 created" in list(demo.seed(people))[0]
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 12
