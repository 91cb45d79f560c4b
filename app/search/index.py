"""Keeps ``search_entries`` up to date: every flush that adds, changes or deletes a proposal, activity, news
post or round writes its entry in the same transaction. ``reindex()`` rebuilds them all (``flask search
reindex``, after bulk imports that bypass the ORM)."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from app.activities.models import Activity
from app.db import db
from app.news.models import NewsPost
from app.phases.models import Round
from app.proposals.models import Proposal
from app.search.models import SearchEntry
from app.search.stemming import WORD
from app.text import fold

# kind → (model, the fields search reads)
KINDS: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "proposal": (Proposal, ("title", "body", "needs")),
    "activity": (Activity, ("title", "description")),
    "news": (NewsPost, ("title", "body")),
    "round": (Round, ("title", "description")),
}
KIND_OF = {model: kind for kind, (model, _) in KINDS.items()}


def document(kind: str, record: Any) -> str:
    """' word word … ': the record's folded words between single spaces; ' prefix' finds a word start."""
    text = " ".join(getattr(record, field) or "" for field in KINDS[kind][1])
    return " " + " ".join(WORD.findall(fold(text))) + " "


def _text_changed(obj: object) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[field].history.has_changes() for field in KINDS[KIND_OF[type(obj)]][1])


@event.listens_for(Session, "after_flush")
def _index_changes(session: Session, _context: UOWTransaction) -> None:
    new = [obj for obj in session.new if type(obj) in KIND_OF]
    changed = [obj for obj in session.dirty if type(obj) in KIND_OF and _text_changed(obj)]
    deleted = [obj for obj in session.deleted if type(obj) in KIND_OF]
    if not (new or changed or deleted):
        return
    table, connection = cast(sa.Table, SearchEntry.__table__), session.connection()
    for obj in [*changed, *deleted]:
        kind = KIND_OF[type(obj)]
        connection.execute(table.delete().where(table.c.kind == kind, table.c.subject_id == obj.id))
    rows = [{"kind": KIND_OF[type(obj)], "subject_id": obj.id, "document": document(KIND_OF[type(obj)], obj)}
            for obj in [*new, *changed]]
    if rows:
        connection.execute(table.insert(), rows)


def reindex() -> int:
    """Rebuild every entry from the records themselves; returns how many there are."""
    db.session.execute(sa.delete(SearchEntry))
    total = 0
    for kind, (model, fields) in KINDS.items():
        records = db.session.execute(sa.select(model.id, *(getattr(model, field) for field in fields)))
        rows = [{"kind": kind, "subject_id": record.id, "document": document(kind, record)}
                for record in records]
        if rows:
            db.session.execute(sa.insert(SearchEntry), rows)
        total += len(rows)
    db.session.commit()
    return total
