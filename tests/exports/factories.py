"""A round with known ballots, counted by the real services, for the export tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from app.activities.models import Activity
from app.auth.models import User
from app.phases.models import Round
from app.proposals.models import Proposal
from app.rounds import services as rounds
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


# --- a small known data set for the reports (proposals, activities, participation) ---------------------


def utc(text: str) -> datetime:
    """An exact UTC instant, e.g. ``utc("2024-03-31 22:30")``."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@dataclass
class ReportData:
    march: Round
    april: Round
    proposals: dict[str, Proposal]
    held: Activity
    planned: Activity
    steering: User  # who downloads the reports
    people: int  # accounts, all created (by the data set's clock) on 2024-02-15
    eligible: dict[str, int]  # eligible voters frozen when each round closed


def report_data(session, users) -> ReportData:
    """Two closed rounds, proposals with pledges and comments, and activities with sign-ups and attendance,
    made with the real services where they keep counters, then moved to known instants (UTC; Warsaw is
    UTC+1 in winter and UTC+2 from 31 March 2024), so every cell of every report is known.

    - Round "march" (approval, greedy, 10 000 zł): A (4 000 zł) and B (5 000 zł) accepted, both fit, both
      selected. Voted online on 2024-03-10: A+B and A; on paper: B, entered 2024-03-31 22:30 UTC, which is
      already 1 April in Warsaw.
    - Round "april": C (3 000 zł) accepted and selected, E (9 000 zł) rejected. Online C on 2024-04-15, on
      paper C and C on 2024-04-16.
    - An idea without a round (submitted, then hidden by a moderator) and a draft (in no report).
    - Pledges: A two (a third one withdrawn), the idea one, all on 2024-03-20. Comments, all written
      2024-02-29 23:30 UTC (1 March in Warsaw): A three, one hidden by a moderator; B one, deleted by its
      author. What people can read: A 2, B 0.
    - Activity "held" (from A, 2024-04-20 10:00–12:00 Warsaw, 10 places, a volunteer role): 3 participants
      registered, 1 waitlisted, 1 cancelled, 1 volunteer, all signed up 2024-04-02; attendance 7.
      Activity "planned" (2030), nobody signed up.
    """
    from app.activities.models import Signup
    from app.auth.models import User as Account
    from app.discussion import services as discussion
    from app.discussion.models import Comment
    from app.proposals import services as proposal_services
    from app.proposals.models import Pledge
    from app.votes.models import Participation
    from tests.activities.factories import make_activity, make_place, sign

    moderator, steering = users.moderator(), users.steering()
    helpers = [users.resident() for _ in range(3)]
    march = make_round(session, title="Runda marcowa — „Żółw”")
    april = make_round(session, title="Runda kwietniowa")
    proposals = {
        "A": make_proposal(session, march, cost_grosze=400_000, title="A: Ławki przy skwerze"),
        "B": make_proposal(session, march, cost_grosze=500_000, title="=B: Plac zabaw"),
        "C": make_proposal(session, april, cost_grosze=300_000, title="C: Rowerownia"),
        "E": make_proposal(session, april, status="rejected", cost_grosze=900_000, title="E: Fontanna"),
        "idea": make_proposal(session, None, status="submitted", cost_grosze=None, title="Pomysł: Kino"),
        "draft": make_proposal(session, march, status="draft", title="Szkic"),
    }
    proposal_services.add_pledge(helpers[0], proposals["A"], "volunteer", "Pomogę")
    proposal_services.add_pledge(helpers[1], proposals["A"], "coordinate")
    proposal_services.add_pledge(helpers[0], proposals["idea"], "resources", "Rzutnik")
    withdrawn = proposal_services.add_pledge(helpers[2], proposals["A"], "volunteer")
    proposal_services.withdraw_pledge(helpers[2], proposals["A"], withdrawn.id)
    comments = [discussion.post_comment(helpers[i], proposals["A"], f"Komentarz {i}") for i in range(3)]
    discussion.hide_comment(moderator, comments[2], "Nie na temat")
    mistake = discussion.post_comment(helpers[0], proposals["B"], "Pomyłka")
    discussion.delete_comment(helpers[0], mistake)
    discussion.hide_proposal(moderator, proposals["idea"], "Spam")

    def ballot(*keys):
        return engine.ApprovalBallot(tuple(str(proposals[k].id) for k in keys))

    votes.cast_ballot(users.resident(), march, ballot("A", "B"))
    votes.cast_ballot(users.resident(), march, ballot("A"))
    votes.enter_paper_ballot(moderator, march, users.resident(), ballot("B"))
    votes.cast_ballot(users.resident(), april, ballot("C"))
    for _ in range(2):
        votes.enter_paper_ballot(moderator, april, users.resident(), ballot("C"))
    eligible = {}
    for name, round_ in (("march", march), ("april", april)):
        eligible[name] = rounds.eligible_voters(round_)
        rounds.advance_phase(moderator, round_.id, "voting")

    place = make_place(session, name="Sala główna — Kozłówka")
    held = make_activity(session, place=place, starts_at=utc("2024-04-20 08:00"), capacity=10,
                         proposal=proposals["A"], roles=[("Grill", 2)], status="held", title="Sadzenie drzew")
    held.attendance = 7
    planned = make_activity(session, place=place, starts_at=utc("2030-06-01 10:00"), title="+Piknik")
    participants = [users.resident() for _ in range(5)]
    for person in participants[:3]:
        sign(session, held, person)
    sign(session, held, participants[3], status="waitlisted")
    sign(session, held, participants[4], status="cancelled")
    sign(session, held, helpers[0], role=held.roles[0])

    def at(model, moment: str, *where, column: str = "created_at"):
        session.execute(sa.update(model).where(*where).values({column: utc(moment)}))

    at(Account, "2024-02-15 10:00")
    at(Proposal, "2024-02-20 12:00", Proposal.id.in_([proposals[k].id for k in "AB"]), column="submitted_at")
    at(Proposal, "2024-03-05 12:00", Proposal.id.in_([proposals[k].id for k in ("C", "E", "idea")]),
       column="submitted_at")
    session.execute(sa.update(Proposal).values(created_at=utc("2024-02-10 09:00"),
                                               updated_at=utc("2024-04-30 09:00")))
    at(Comment, "2024-02-29 23:30")
    at(Pledge, "2024-03-20 12:00")
    at(Signup, "2024-04-02 12:00")
    at(Round, "2024-03-31 18:00", Round.id == march.id, column="closed_at")
    at(Round, "2024-04-30 18:00", Round.id == april.id, column="closed_at")
    for round_, channel, moment in (
        (march, "online", "2024-03-10 12:00"),
        (march, "paper", "2024-03-31 22:30"),
        (april, "online", "2024-04-15 12:00"),
        (april, "paper", "2024-04-16 12:00"),
    ):
        at(Participation, moment, Participation.round_id == round_.id, Participation.channel == channel,
           column="voted_at")
    session.commit()
    session.expire_all()
    people = session.scalar(sa.select(sa.func.count()).select_from(Account))
    return ReportData(march, april, proposals, held, planned, steering, people, eligible)
