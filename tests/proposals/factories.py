"""Rounds, categories and proposals for the proposals tests, made directly (fast) in any status."""

from __future__ import annotations

import itertools

from app.db import utcnow
from app.phases.models import Round
from app.proposals.models import Category, Proposal, ProposalEvent, Status
from app.text import fold, render_markdown

_counter = itertools.count(1)
HOSTILE_BODY = "Zażółć **gęślą** jaźń <script>alert('x')</script> [klik](javascript:alert(1))"


def make_round(session, phase: str = "submission", title: str | None = None) -> Round:
    round_ = Round(title=title or f"Runda {next(_counter)} — Kozłówka", phase=phase)
    session.add(round_)
    session.commit()
    return round_


def make_category(session, name: str | None = None, active: bool = True, position: int = 0) -> Category:
    category = Category(name=name or f"Kategoria {next(_counter)}", active=active, position=position)
    session.add(category)
    session.commit()
    return category


def make_proposal(session, author, status: str = Status.SUBMITTED, round_=None, category=None,
                  title: str | None = None, body: str = HOSTILE_BODY, cost: int | None = 150_000,
                  **extra) -> Proposal:
    title = title or f"Ogród społeczny nr {next(_counter)}"
    proposal = Proposal(
        author_id=author.id if author else None, title=title, body=body, body_html=render_markdown(body),
        needs="Sala, łopaty", cost_grosze=cost, status=status,
        round_id=round_.id if round_ else None, category_id=category.id if category else None,
        search_text=fold(f"{title}\n{body}\nSala, łopaty"),
        **{"submitted_at": None if status == Status.DRAFT else utcnow(), **extra},
    )
    session.add(proposal)
    session.flush()
    session.add(ProposalEvent(proposal_id=proposal.id, actor_id=proposal.author_id, kind="created"))
    session.commit()
    return proposal
