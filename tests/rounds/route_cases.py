"""What the shared route × role table (tests/test_permissions.py) needs for the round routes: rounds in
a phase (``subject`` functions return the URL placeholders) and the check of a request carried out."""

from __future__ import annotations

from app.phases.models import Phase, Round
from app.votes.models import Ballot, Participation
from tests.rounds.factories import make_proposal, make_round

TABLES = {
    "rounds": Round.__table__,
    "ballots": Ballot.__table__,
    "participations": Participation.__table__,
}
NOT_PUBLIC = "Ta runda nie jest jeszcze publiczna."
ONLY_MODERATORS = "Tylko moderatorzy mogą prowadzić rundy konsultacji."
ONLY_RESIDENTS = "W tej rundzie mogą głosować tylko zweryfikowani mieszkańcy."
NOT_OPEN = "Głosowanie w tej rundzie nie jest otwarte."
REQUIRED = "To pole jest wymagane."
CHOOSE_VOTER = "Najpierw znajdź głosującą osobę i wybierz ją z listy."


def _round(phase):
    def subject(session, users, actor):
        round_ = make_round(session, phase)
        make_proposal(session, round_)
        return {"round_id": round_.id}
    return subject


draft_round = _round(Phase.DRAFT)
voting_round = _round(Phase.VOTING)
closed_round = _round(Phase.CLOSED)

