"""Comments in threads under proposals, and flags that feed the moderation queue."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Model, UTCDateTime, utcnow


class CommentState(StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"
    DELETED = "deleted"


class FlagResolution(StrEnum):
    HIDDEN = "hidden"
    DISMISSED = "dismissed"


class Comment(Model):
    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint("state IN ('visible', 'hidden', 'deleted')", name="state_known"),
        sa.CheckConstraint("language IN ('pl', 'uk', 'en')", name="language_known"),
        sa.Index("ix_comments_proposal_created", "proposal_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(8), default=CommentState.VISIBLE)
    # The language the resident wrote it in (pages mark it with lang= when it differs from theirs).
    language: Mapped[str] = mapped_column(sa.String(5), default="pl", server_default="pl")
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class Flag(Model):
    """A report by a user about a comment or a proposal."""

    __tablename__ = "flags"
    __table_args__ = (
        sa.CheckConstraint(
            "(comment_id IS NOT NULL) <> (proposal_id IS NOT NULL)", name="one_target"
        ),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('hidden', 'dismissed')", name="resolution_known"
        ),
        sa.Index("ix_flags_open", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(sa.String(16))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    comment: Mapped[Comment | None] = relationship()
