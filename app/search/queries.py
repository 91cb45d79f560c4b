"""Which records match a query, per kind, among the ones the public lists show.

PostgreSQL: full-text search on the folded words, every stem a prefix (``senior:* & gotow:*``), served by
a GIN index on ``to_tsvector('simple', document)``. The words are folded (diacritics removed, "ł" → "l") in
Python before they are stored, which is what an ``unaccent`` configuration would do, without needing that
extension (and the privileges to install it).
SQLite, the simpler fallback: each stem must start a word of the document (``LIKE '% stem%'``), which is the
same match without an index; fine for one estate's content.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.activities.models import Activity
from app.db import db, utcnow
from app.news.models import NewsPost
from app.news.queries import news_posts
from app.proposals.queries import public_proposals
from app.rounds.queries import rounds
from app.search.models import SearchEntry

KIND_ORDER = ("proposal", "activity", "news", "round")


def _matches(kind: str, terms: list[str]):
    """The ids of the records of ``kind`` whose words start with every term."""
    query = sa.select(SearchEntry.subject_id).where(SearchEntry.kind == kind)
    if db.engine.dialect.name == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        simple: sa.ColumnClause[Any] = sa.literal_column("'simple'::regconfig")
        words = sa.func.to_tsvector(simple, SearchEntry.document)
        return query.where(words.bool_op("@@")(sa.func.to_tsquery(simple, tsquery)))
    for term in terms:
        query = query.where(SearchEntry.document.like(f"% {term}%"))
    return query


def listed(kind: str) -> sa.Select:
    """What the public lists of ``kind`` show, in their own order."""
    if kind == "proposal":
        return public_proposals()
    if kind == "activity":
        return (sa.select(Activity).options(joinedload(Activity.place))
                .order_by(Activity.starts_at.desc(), Activity.id.desc()))
    if kind == "news":
        return news_posts().where(NewsPost.published_at <= utcnow())  # scheduled posts are not out yet
    return rounds()


def search(kind: str, terms: list[str]) -> sa.Select:
    model = listed(kind).column_descriptions[0]["entity"]
    return listed(kind).where(model.id.in_(_matches(kind, terms)))
