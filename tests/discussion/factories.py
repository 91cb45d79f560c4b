"""Proposals and comments for the discussion tests, hostile by default."""

from __future__ import annotations

import itertools
from datetime import timedelta

from app.db import utcnow
from app.discussion.models import Comment, CommentState, Flag
from app.phases.models import Round
from app.proposals.models import Proposal, Status
from app.text import COMMENT_TAGS, render_markdown

_counter = itertools.count(1)
HOSTILE_TITLE = "Świetlica <script>alert('p')</script> dla seniorów"


def make_round(session, phase: str) -> Round:
    round_ = Round(title=f"Runda {next(_counter)} — {phase}", phase=phase)
    session.add(round_)
    session.commit()
    return round_


def make_proposal(session, author=None, status: str = Status.SUBMITTED, round_=None,
                  hidden: bool = False, title: str | None = None) -> Proposal:
    n = next(_counter)
    proposal = Proposal(
        title=title or f"{HOSTILE_TITLE} {n}",
        body="Zróbmy **warsztaty** dla sąsiadów.",
        body_html="<p>Zróbmy <strong>warsztaty</strong> dla sąsiadów.</p>",
        status=status,
        author_id=author.id if author else None,
        round_id=round_.id if round_ else None,
        submitted_at=utcnow() if status != Status.DRAFT else None,
    )
    if hidden:
        proposal.hidden_at = utcnow()
        proposal.hidden_reason = "Spam"
    session.add(proposal)
    session.commit()
    return proposal


def make_comment(session, proposal, author, body: str = "Dobry pomysł, pomogę!", parent=None,
                 state: str = CommentState.VISIBLE, age: timedelta = timedelta(0),
                 count: bool = True) -> Comment:
    """A stored comment; ``count`` keeps Proposal.comment_count in step as the services would."""
    comment = Comment(
        proposal_id=proposal.id,
        author_id=author.id if author else None,
        parent_id=parent.id if parent else None,
        body=body if state != CommentState.DELETED else "",
        body_html=render_markdown(body, tags=COMMENT_TAGS) if state != CommentState.DELETED else "",
        state=state,
        created_at=utcnow() - age,
    )
    if state == CommentState.HIDDEN:
        comment.hidden_reason = "Obraźliwy język"
    session.add(comment)
    if count and state == CommentState.VISIBLE:
        proposal.comment_count += 1
    session.commit()
    return comment


def make_flag(session, reporter, comment=None, proposal=None, reason="Spam") -> Flag:
    flag = Flag(reporter_id=reporter.id, comment_id=comment.id if comment else None,
                proposal_id=proposal.id if proposal else None, reason=reason)
    session.add(flag)
    session.commit()
    return flag
