"""Notifications, follows, e-mail choices and the last digest of each person.

A subject is known only as ``(subject_kind, subject_id)`` plus the words to show (its title) and the
address of its page: this package never imports the features that notify.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model, UTCDateTime, one_of, utcnow


class Choice(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    NEVER = "never"


class Pending(StrEnum):
    """What a notification still waits for by e-mail."""

    SOON = "soon"  # an immediate e-mail, held back to be sent together (`flask notifications send`)
    DIGEST = "digest"  # the next weekly digest


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (
        sa.CheckConstraint(f"email_pending IS NULL OR {one_of('email_pending', Pending)}",
                           name="email_pending_known"),
        sa.Index("ix_notifications_unread", "user_id", "read_at"),
        sa.Index("ix_notifications_subject", "subject_kind", "subject_id", "event"),
        sa.Index("ix_notifications_email_pending", "email_pending", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(40))
    category: Mapped[str] = mapped_column(sa.String(20))
    subject_kind: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    subject_title: Mapped[str] = mapped_column(sa.String(200))
    link: Mapped[str] = mapped_column(sa.String(500))
    detail: Mapped[str | None] = mapped_column(sa.Text)
    actor_name: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_pending: Mapped[str | None] = mapped_column(sa.String(10))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Follow(Model):
    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "subject_kind", "subject_id", name="uq_follows_user_subject"),
        sa.Index("ix_follows_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EmailChoice(Model):
    """A person's e-mail choice for one kind of event; without a row the kind's default applies."""

    __tablename__ = "notification_email_choices"
    __table_args__ = (sa.CheckConstraint(one_of("choice", Choice), name="choice_known"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    choice: Mapped[str] = mapped_column(sa.String(10))


class DigestSent(Model):
    """When a person's last weekly digest went out."""

    __tablename__ = "notification_digests"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
