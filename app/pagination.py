"""Pages of a long list whose cost does not grow with the page number or the list's length.

``db.paginate`` runs the page's query with OFFSET, joins included, and counts the whole filtered list on
every request. ``paginate_by_ids`` walks the list's order for the page's ids only, in a subquery without
joins (the order's index serves it), loads just those rows with what the page shows, and takes the total
from ``app.counts``: counted once per change of the table.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask import current_app
from flask_sqlalchemy.pagination import Pagination

from app import counts
from app.db import db
from app.urls import page_arg


class IdsFirstPagination(Pagination):
    def _query_items(self) -> list:
        select, model = self._query_args["select"], self._query_args["model"]
        window = select.options(sa_orm.lazyload("*")).limit(self.per_page).offset(self._query_offset)
        page_ids = sa.select(window.subquery().c.id)
        return list(db.session.scalars(select.where(model.id.in_(page_ids))).unique())

    def _query_count(self) -> int:
        select, model = self._query_args["select"], self._query_args["model"]
        return counts.cached_count(select, (model.__tablename__, self._query_args["key"],
                                            counts.table_stamp(model)))


def paginate_by_ids(select: sa.Select, model, key: tuple) -> Pagination:
    """A page (``?page=``, PAGE_SIZE items) of ``select(model)…``; ``key`` names its filters (the count's
    cache key). ``model`` has an indexed ``updated_at`` that every change moves (see app/counts.py). A
    page past the end shows the last page."""
    per_page = current_app.config["PAGE_SIZE"]
    page = IdsFirstPagination(page=page_arg(), per_page=per_page, error_out=False, select=select, model=model,
                              key=key)
    if not page.items and page.page > 1 and page.total:
        page = IdsFirstPagination(page=page.pages, per_page=per_page, error_out=False, select=select,
                                  model=model, key=key)
    return page
