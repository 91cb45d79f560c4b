"""What the API reads: the public rows of each list, and one page of a list with its total and the time
it last changed."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app import counts
from app.activities.models import Activity
from app.db import db, utcnow
from app.news.models import NewsPost
from app.phases.models import Phase, Round
from app.proposals.models import Proposal
from app.proposals.queries import is_public


def rounds() -> sa.Select:
    return sa.select(Round).where(Round.phase != Phase.DRAFT).order_by(Round.id.desc())


def round_(round_id: int) -> Round | None:
    return db.session.scalar(sa.select(Round).where(Round.phase != Phase.DRAFT, Round.id == round_id))


def _public_proposals() -> sa.Select:
    return sa.select(Proposal).options(joinedload(Proposal.category)).where(is_public())


def proposals(round_id: int | None = None, status: str = "") -> sa.Select:
    query = _public_proposals()
    if round_id:
        query = query.where(Proposal.round_id == round_id)
    if status:
        query = query.where(Proposal.status == status)
    return query.order_by(Proposal.id.desc())


def proposal(proposal_id: int) -> Proposal | None:
    return db.session.scalar(_public_proposals().where(Proposal.id == proposal_id))


def activities() -> sa.Select:
    return sa.select(Activity).options(joinedload(Activity.place)).order_by(Activity.starts_at, Activity.id)


def news() -> sa.Select:
    return (
        sa.select(NewsPost)
        .where(NewsPost.published_at <= utcnow())
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
    )


@dataclass
class Page:
    items: list[Any]
    total: int
    last_modified: datetime | None


def page(query: sa.Select, number: int, per_page: int, *, updated: str | None = None,
         stamped: type | None = None, cache_key: Hashable | None = None) -> Page:
    """One page of ``query``. With ``stamped`` (a model whose rows leave the list only by an update, and
    whose ``updated_at`` is indexed), the total is counted once per change of the table, not per request:
    the table's newest ``updated_at`` and id (two index look-ups) say whether the cached count still holds,
    and the newest ``updated_at`` is the Last-Modified. Otherwise ``updated`` names the column whose
    newest value is the Last-Modified."""
    last_modified = None
    if stamped is not None:
        stamp = counts.table_stamp(stamped)
        total = counts.cached_count(query, (cache_key, stamp))
        last_modified = stamp[0]
    else:
        total = counts.count(query)
    items = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).unique().all()
    if stamped is None and updated is not None:
        rows = query.order_by(None).subquery()
        last_modified = db.session.scalar(sa.select(sa.func.max(rows.c[updated])))
    return Page(list(items), total, last_modified)
