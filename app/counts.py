"""List totals that do not cost a full-table count on every request (the API, the proposals list).

``table_stamp(model)`` is the table's newest ``updated_at`` and newest id, read from their indexes
(two look-ups, whatever the table's size). Every change of a row moves ``updated_at`` (the column's
onupdate), and a new row moves the id, so a count cached under the stamp is exact until the stamp
moves. The cache is per process and small; each worker counts once per change.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.db import db
from app.kept import Kept

_counts: Kept[int] = Kept(256)


def count(query: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0


def table_stamp(model) -> tuple:
    # Two scalar subqueries: each is answered from its index on both engines (one SELECT with two
    # max() would make SQLite scan the table).
    return db.session.execute(sa.select(
        sa.select(sa.func.max(model.updated_at)).scalar_subquery(),
        sa.select(sa.func.max(model.id)).scalar_subquery(),
    )).one()


def cached_count(query: sa.Select, key: tuple) -> int:
    return _counts.get((db.engine.url.render_as_string(), *key), lambda: count(query))
