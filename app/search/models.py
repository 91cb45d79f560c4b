"""One row per searchable record: its kind, its id and its words, folded for diacritic-blind search."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model


class SearchEntry(Model):
    __tablename__ = "search_entries"
    __table_args__ = (
        sa.UniqueConstraint("kind", "subject_id", name="uq_search_entries_subject"),
        # PostgreSQL's full-text search reads the words through this index (migration 0018); SQLite has none
        # (``info["dialects"]``: see app.db.in_schema_of).
        sa.Index("ix_search_entries_document", sa.text("to_tsvector('simple'::regconfig, document)"),
                 postgresql_using="gin", info={"dialects": ("postgresql",)}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int] = mapped_column(sa.Integer)
    # " word word …": folded to lower-case ASCII, with a leading space so that a word start is " prefix".
    document: Mapped[str] = mapped_column(sa.Text, default="")

