"""Rounds with proposals on the ballot, for the voting tests."""

from __future__ import annotations

import itertools

from app.phases.models import Round
from app.proposals.models import Proposal, Status
from app.rounds.settings import RoundSettings
from app.text import fold
from tests.rounds.factories import deadlines

_n = itertools.count(1)


def make_round(session, phase="voting", **settings) -> Round:
    values = {"title": f"Budżet sąsiedzki {next(_n)} — Na Kozłówce", "budget_grosze": 1_000_000}
    values.update(deadlines(phase, settings))
    values.update(settings)
    round_ = Round(phase=phase, description="", description_html="")
    RoundSettings(**values).apply_to(round_)
    session.add(round_)
    session.commit()
    return round_


def make_proposal(session, round_, author=None, status=Status.ACCEPTED, cost_grosze=100_000, title=None):
    title = title or f"Ogród społeczny „Żółw” nr {next(_n)}"
    proposal = Proposal(
        round_id=round_.id if round_ else None, author_id=getattr(author, "id", None), title=title,
        body="Opis", body_html="<p>Opis</p>", search_text=fold(title), status=status,
        cost_grosze=cost_grosze,
    )
    session.add(proposal)
    session.commit()
    return proposal
