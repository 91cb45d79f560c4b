"""News lists: select() statements with the author and the linked round and proposal loaded."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.db import db
from app.news.models import NewsPost
from app.proposals.models import Proposal, Status
from app.rounds.models import Round


def news_posts() -> sa.Select:
    return (
        sa.select(NewsPost)
        .options(selectinload(NewsPost.author), selectinload(NewsPost.round),
                 selectinload(NewsPost.proposal))
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
    )


def latest_news(limit: int = 3) -> list[NewsPost]:
    return list(db.session.scalars(news_posts().limit(limit)))


def round_choices() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(Round.id, Round.title).order_by(Round.created_at.desc(), Round.id.desc())
    )]


def proposal_choices() -> list[tuple[int, str]]:
    """Public proposals (not drafts, not hidden) a post may link to."""
    return [tuple(row) for row in db.session.execute(
        sa.select(Proposal.id, Proposal.title)
        .where(Proposal.status != Status.DRAFT, Proposal.hidden_at.is_(None))
        .order_by(Proposal.title, Proposal.id)
    )]
