"""A round with known ballots, counted by the real services, for the export tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from app.auth.models import User
from app.proposals.models import Proposal
from app.rounds import services as rounds
from app.rounds.models import Round
from app.votes import services as votes
from app.votes import tally as engine
from tests.votes.helpers import make_proposal, make_round

_n = itertools.count(1)
INJECTED_TITLE = '=HYPERLINK("http://zly.example","Kliknij")'


@dataclass
class KnownRound:
    """Approval, greedy, budget 10 000 zł; four proposals; five online ballots and one on paper.

    Scores: A 4, B 3, C 3, D 1. Greedy funds A (4 000 zł), then meets the tie B–C (3 points each),
    broken by the lower cost: C (3 000 zł) fits, B (5 000 zł) no longer does, D (2 000 zł) fits.
    Winners: A, C, D; 9 000 zł used.
    """

    round: Round
    proposals: dict[str, Proposal]
    voters: list[User] = field(default_factory=list)
    eligible: int = 0

    def pid(self, key: str) -> str:
        return str(self.proposals[key].id)


COSTS = {"A": 400_000, "B": 500_000, "C": 300_000, "D": 200_000}
ONLINE = [("A", "B"), ("A", "C"), ("A", "B", "D"), ("B", "C"), ("C",)]
PAPER = [("A",)]


def known_round(session, users, secrecy: str = "secret", close: bool = True, **settings) -> KnownRound:
    moderator = users.moderator()
    round_ = make_round(session, secrecy=secrecy, **settings)
    proposals = {}
    for key, cost in COSTS.items():
        title = INJECTED_TITLE if key == "D" else f"Propozycja {key} — „Żółw” nr {next(_n)}"
        proposals[key] = make_proposal(session, round_, cost_grosze=cost, title=title)
    known = KnownRound(round_, proposals)
    for choice in ONLINE:
        voter = users.resident()
        known.voters.append(voter)
        votes.cast_ballot(voter, round_, engine.ApprovalBallot(tuple(known.pid(k) for k in choice)))
    for choice in PAPER:
        voter = users.resident()
        known.voters.append(voter)
        votes.enter_paper_ballot(
            moderator, round_, voter, engine.ApprovalBallot(tuple(known.pid(k) for k in choice))
        )
    if close:
        known.eligible = rounds.eligible_voters(round_)
        rounds.advance_phase(moderator, round_.id, "voting")
    return known
