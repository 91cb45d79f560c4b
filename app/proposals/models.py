"""Proposals, their revisions and timeline, categories, and pledges of help."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Model, UTCDateTime, one_of, utcnow
from app.phases.models import Round


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    SCHEDULED = "scheduled"
    IMPLEMENTED = "implemented"


class PledgeKind(StrEnum):
    VOLUNTEER = "volunteer"
    COORDINATE = "coordinate"
    RESOURCES = "resources"


class Category(Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name_en: Mapped[str | None] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Proposal(Model):
    __tablename__ = "proposals"
    __table_args__ = (
        sa.CheckConstraint(one_of("status", Status), name="status_known"),
        sa.CheckConstraint("cost_grosze IS NULL OR cost_grosze >= 0", name="cost_not_negative"),
        sa.CheckConstraint("pledge_count >= 0 AND comment_count >= 0", name="counts_not_negative"),
        sa.CheckConstraint("language IN ('pl', 'uk', 'en')", name="language_known"),
        sa.Index("ix_proposals_status_created", "status", "created_at"),
        sa.Index("ix_proposals_round_status", "round_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)  # Markdown as written
    body_html: Mapped[str] = mapped_column(sa.Text)  # sanitised on write
    needs: Mapped[str] = mapped_column(sa.Text, default="")
    cost_grosze: Mapped[int | None] = mapped_column(sa.BigInteger)
    status: Mapped[str] = mapped_column(sa.String(16), default=Status.DRAFT)
    moderator_answer: Mapped[str | None] = mapped_column(sa.Text)
    # The language the resident wrote it in (pages mark it with lang= when it differs from theirs).
    language: Mapped[str] = mapped_column(sa.String(5), default="pl", server_default="pl")
    # Title and text folded to lower-case ASCII ("żółw" → "zolw") for diacritic-blind search.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    pledge_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Indexed: the API reads the newest change to know whether its cached count holds (app/api/counts.py).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)
    # A moderator may hide a proposal after a flag; the reason is shown in place of the text.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A project of an imported round (a historical example): kept out of lists, queues and the desk.
    imported: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    category: Mapped[Category | None] = relationship()
    round: Mapped[Round | None] = relationship()


# The "newest" order of the lists: by publication time, those never published last. PostgreSQL keeps
# the index in exactly that order; SQLite (no NULLS LAST in an index) sorts NULL lowest, so its
# descending index has them last anyway. Migration 0006 creates it for each engine.
sa.Index("ix_proposals_submitted", Proposal.submitted_at.desc().nulls_last(), Proposal.id.desc())


class ProposalRevision(Model):
    """The proposal as it was before an edit made after submission."""

    __tablename__ = "proposal_revisions"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    needs: Mapped[str] = mapped_column(sa.Text, default="")
    cost_grosze: Mapped[int | None] = mapped_column(sa.BigInteger)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    editor: Mapped[User | None] = relationship()


class ProposalEvent(Model):
    """One step on a proposal's public timeline: who changed what, and when."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(32))  # "status", "edited", ...
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str | None] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class Pledge(Model):
    __tablename__ = "pledges"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "user_id", "kind"),
        sa.CheckConstraint(one_of("kind", PledgeKind), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
