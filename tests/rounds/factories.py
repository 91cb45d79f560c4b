"""Rounds and proposals written straight into the database, for the round page tests."""

from __future__ import annotations

import itertools
from datetime import timedelta

from app.db import utcnow
from app.phases.models import Phase, Round
from app.proposals.models import Proposal, Status
from app.rounds.settings import RoundSettings
from app.text import fold

_n = itertools.count(1)
HOSTILE_TITLE = "Ogród „Żółw” <script>alert('x')</script> Gęślą"


def deadlines(phase: str, settings: dict) -> dict:
    """The deadlines a round in ``phase`` needs to reach its next phases (a round cannot enter
    submission without the end of proposals, nor voting without the end of voting), unless the test
    sets dates of its own."""
    values = {}
    if phase in (Phase.DRAFT, Phase.SUBMISSION) and "review_starts_at" not in settings:
        values["review_starts_at"] = utcnow() + timedelta(days=7)
    if phase not in (Phase.CLOSED, Phase.ARCHIVED) and "voting_ends_at" not in settings:
        values["voting_ends_at"] = utcnow() + timedelta(days=14)
    return values


def make_round(session, phase: str = Phase.VOTING, ballot_kind: str = "approval", **settings) -> Round:
    """A round in ``phase``; settings as in RoundSettings (a budget of 10 000 zł by default)."""
    values = {"title": f"Budżet Na Kozłówce {next(_n)} <b>ę</b>", "budget_grosze": 1_000_000,
              "ballot_kind": ballot_kind}
    if ballot_kind == "ordinal":
        values["max_choices"] = 3
    if ballot_kind == "cumulative":
        values["points_total"] = 10
    values.update(deadlines(phase, settings))
    values.update(settings)
    round_ = Round(phase=phase, description="Opis **rundy**",
                   description_html="<p>Opis <strong>rundy</strong></p>")
    RoundSettings(**values).apply_to(round_)
    session.add(round_)
    session.commit()
    return round_


def make_proposal(session, round_, status: str = Status.ACCEPTED, cost_grosze: int | None = 100_000,
                  title: str | None = None, author=None) -> Proposal:
    title = title or f"{HOSTILE_TITLE} {next(_n)}"
    proposal = Proposal(
        round_id=getattr(round_, "id", None), author_id=getattr(author, "id", None), title=title,
        body="Opis *propozycji*", body_html="<p>Opis <em>propozycji</em></p>", search_text=fold(title),
        status=status, cost_grosze=cost_grosze,
    )
    session.add(proposal)
    session.commit()
    return proposal


def ballot_round(session, ballot_kind: str = "approval", n: int = 3, costs=None, **settings):
    """A round in voting with ``n`` accepted proposals; returns (round, [proposals])."""
    round_ = make_round(session, Phase.VOTING, ballot_kind, **settings)
    costs = costs or [100_000 * (i + 1) for i in range(n)]
    return round_, [make_proposal(session, round_, cost_grosze=cost) for cost in costs]
