"""A picture attached to a subject (a proposal, an activity, a place, a news post), known only as
``(subject_kind, subject_id)``: the media layer never imports the features that use it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model, UTCDateTime, utcnow

ALT_MAX = 300


class Image(Model):
    __tablename__ = "images"
    __table_args__ = (
        sa.CheckConstraint("card_width > 0 AND card_height > 0 AND page_width > 0 AND page_height > 0",
                           name="sizes_positive"),
        sa.Index("ix_images_subject", "subject_kind", "subject_id", "position"),
        # At most one cover per subject.
        sa.Index("uq_images_cover", "subject_kind", "subject_id", unique=True,
                 sqlite_where=sa.text("is_cover"), postgresql_where=sa.text("is_cover")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(sa.String(16))
    subject_id: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    alt: Mapped[str] = mapped_column(sa.String(ALT_MAX))
    is_cover: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    # Files named by the SHA-256 of their bytes ("<64 hex>.jpg"), one per size.
    card_name: Mapped[str] = mapped_column(sa.String(80), index=True)
    card_width: Mapped[int] = mapped_column()
    card_height: Mapped[int] = mapped_column()
    page_name: Mapped[str] = mapped_column(sa.String(80), index=True)
    page_width: Mapped[int] = mapped_column()
    page_height: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A moderator may hide a picture; the reason is shown in its place.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    def size(self, size: str) -> tuple[str, int, int]:
        """(file name, width, height) of ``card`` or ``page``."""
        if size == "card":
            return self.card_name, self.card_width, self.card_height
        return self.page_name, self.page_width, self.page_height

    @property
    def file_names(self) -> set[str]:
        return {self.card_name, self.page_name}
